"""The moving parts of a catalog benchmark run: throw-away databases, the server, wrk.

Everything here cleans up after itself (context managers), targets only the loopback
interface, and is bounded in time.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from cpu import CpuProbe, children, other_load, process_seconds
from proc import free_port, log, stop_process_group, tail
from seed import seed_catalog

from commerce.db import make_engine
from commerce.migrate import upgrade

__all__ = [
    "BenchmarkError", "DEFAULT_PG", "BUSY_MACHINE_CORES", "SERVER_THREADS", "log",
    "sqlite_database", "postgresql_database", "database_backends", "database_version", "prepare",
    "running_server", "get_json", "tail", "distinct_products", "run_wrk", "wait_for_quiet",
]

HERE = Path(__file__).resolve().parent
REPORT_LUA = HERE / "wrk_report.lua"          # static request, JSON summary at the end
RANDOM_IDS_LUA = HERE / "wrk_random_ids.lua"  # the same summary, a random product per request
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
BUSY_MACHINE_CORES = 0.25  # other processes using more than this during a run: figures are suspect
SERVER_THREADS = 4         # api.server.serve's gthread threads per worker


class BenchmarkError(RuntimeError):
    pass


# --- databases ---------------------------------------------------------------------------------

@contextmanager
def sqlite_database(workdir: Path):
    """A database file in ``workdir``; it goes when the caller removes the temp dir."""
    yield f"sqlite:///{workdir / 'catalog.db'}"


@contextmanager
def postgresql_database(admin_url: str):
    """A throw-away database beside ``admin_url``'s, dropped (WITH FORCE) at the end."""
    import psycopg

    parts = urlsplit(admin_url)
    if parts.hostname not in LOOPBACK:
        raise BenchmarkError(f"refusing a non-loopback PostgreSQL server: {parts.hostname}")
    name = f"bench_catalog_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        log(f"dropped database {name}")


def database_backends(admin_url: str, database_url: str):
    """A function listing the pids of the PostgreSQL backends connected to the benchmark database."""
    import psycopg

    name = urlsplit(database_url).path.lstrip("/")

    def pids() -> list[int]:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            return [row[0] for row in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (name,))]

    return pids


def database_version(url: str) -> str:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                return "SQLite " + conn.exec_driver_sql("select sqlite_version()").scalar()
            return "PostgreSQL " + conn.exec_driver_sql("show server_version").scalar().split()[0]
    finally:
        engine.dispose()


def prepare(url: str, *, stores: int, products: int, images: int) -> dict:
    """Migrate and seed; the seed's counts and every public product id."""
    started = time.perf_counter()
    upgrade(url)
    engine = make_engine(url)
    try:
        summary = seed_catalog(engine, stores=stores, products=products, images=images)
    finally:
        engine.dispose()
    took = time.perf_counter() - started
    log(f"migrated and seeded in {took:.1f} s: {summary.stores} stores, {summary.products} products, "
        f"{summary.variants} variants, {summary.images} image rows")
    return {"seconds": round(took, 1), "stores": summary.stores, "products": summary.products,
            "variants": summary.variants, "images": summary.images, "product_ids": summary.product_ids}


# --- the server --------------------------------------------------------------------------------

def get_json(url: str, timeout: float = 5.0):
    """(status, JSON body, headers) of a GET."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, json.loads(response.read()), response.headers


@contextmanager
def running_server(database_url: str, workdir: Path, *, workers: int, env_overrides: dict | None = None,
                   startup_timeout: float = 60.0):
    """``smartcity serve`` (gunicorn through ``api.server.serve``) on a free loopback port, in its
    own process group so that stopping it stops every worker. Yields (base URL, process, log path).
    ``env_overrides``: more settings; a value of None removes the variable (the app's default)."""
    port = free_port()
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url,
        "SMARTCITY_STORAGE": (workdir / "storage").as_uri(),
        "SMARTCITY_VAR_DIR": str(workdir / "var"),
        "SMARTCITY_RATELIMIT_ENABLED": "0",
    })
    for name, value in (env_overrides or {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    log_path = workdir / f"server-{port}.log"
    command = [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers)]
    with open(log_path, "wb") as server_log:
        process = subprocess.Popen(command, env=env, cwd=workdir, stdout=server_log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if process.poll() is not None:
                raise BenchmarkError(f"server exited with {process.returncode}:\n{tail(log_path)}")
            try:
                if get_json(base + "/api/v1/health", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise BenchmarkError(f"server did not answer within {startup_timeout:.0f} s:\n{tail(log_path)}")
            time.sleep(0.2)
        log(f"server up on {base} (pid {process.pid}, {workers} workers x {SERVER_THREADS} threads, gthread)")
        yield base, process, log_path
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    if stop_process_group(process):
        log(f"server stopped (pid {process.pid})")


def distinct_products(log_path: Path) -> int:
    """How many different products the detail load reached (from the access log's paths)."""
    seen = set()
    with open(log_path, errors="replace") as lines:
        for line in lines:
            marker = line.find('"GET /api/v1/products/')
            if marker >= 0:
                seen.add(line[marker:].split(" ", 2)[1])
    return len(seen)


# --- load --------------------------------------------------------------------------------------

def run_wrk(url: str, *, seconds: float, threads: int, connections: int,
            random_ids: tuple[str, Path] | None = None, probe: CpuProbe | None = None) -> dict:
    """One wrk run against ``url``; ``random_ids`` = (path prefix, file of ids) spreads the
    requests over those ids. With a ``probe``, adds CPU per request and the machine's other load."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
               "-s", str(RANDOM_IDS_LUA if random_ids else REPORT_LUA), url]
    if random_ids:
        command += ["--", random_ids[0], str(random_ids[1])]
    before = probe.snapshot(refresh=True) if probe else None
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    after = probe.snapshot() if probe else None
    line = next((row for row in done.stdout.splitlines() if row.startswith("WRK_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise BenchmarkError(f"wrk failed ({done.returncode}): {done.stdout[-500:]} {done.stderr[-500:]}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    measured = raw["duration_us"] / 1e6
    cpu = CpuProbe.delta(before, after, requests=raw["requests"], seconds=measured) if probe else {}
    return cpu | {
        "requests": raw["requests"],
        "seconds": round(measured, 2),
        "rps": round(raw["requests"] / measured, 1),
        "p50_ms": round(raw["latency_us"]["p50"] / 1000, 2),
        "p90_ms": round(raw["latency_us"]["p90"] / 1000, 2),
        "p99_ms": round(raw["latency_us"]["p99"] / 1000, 2),
        "max_ms": round(raw["latency_us"]["max"] / 1000, 2),
        "mean_ms": round(raw["latency_us"]["mean"] / 1000, 2),
        "bytes_per_response": round(raw["bytes"] / max(raw["requests"], 1)),
        "errors": sum(raw["errors"].values()),
        "error_detail": raw["errors"],
    }


def wait_for_quiet(max_seconds: float, server_pid: int) -> None:
    """Wait (bounded) until other processes leave the CPUs alone, e.g. a test suite finishing."""
    deadline = time.monotonic() + max_seconds
    ours = lambda: process_seconds([server_pid, *children(server_pid)])  # noqa: E731
    while True:
        load = other_load(2.0, exclude=ours)
        if load <= BUSY_MACHINE_CORES:
            return
        if time.monotonic() >= deadline:
            log(f"machine still busy ({load:.2f} cores used by other processes); measuring anyway")
            return
        log(f"other processes use {load:.2f} cores; waiting for a quieter machine")
        time.sleep(3)
