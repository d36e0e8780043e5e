"""Checkout benchmark: completed guest checkouts per second on PostgreSQL, against pgbench.

One run

1. makes a throw-away pgbench database beside the app's (``pgbench -i -s 16``) and measures
   the reference: ``pgbench -c 16 -j 2 -T <duration> -N`` (simple-update) on the same server,
   once before and once after the app's scenarios (the reference is their mean);
2. makes a throw-away app database, migrates it with ``commerce.migrate.upgrade`` and seeds five
   approved stores with 2,000 ordinary variants and five "hot" ones (``seed.py``);
3. starts the real app with gunicorn (``python -m gunicorn api.wsgi:app -k gthread``, 4 workers x
   4 threads) on a free 127.0.0.1 port, and drives it with N concurrent clients (N/4 threads in
   each of 4 client processes, ``http.client``; each journey opens a keep-alive connection for
   its 3 requests), each running whole buyer journeys back to back:
   ``POST /api/v1/checkouts`` with 1-3 lines of 1-3 units,
   ``PATCH /api/v1/checkouts/{id}`` (contact, address, ``cod``), ``POST .../complete`` with a
   fresh ``Idempotency-Key``;
4. scenario "uncontended": lines pick random variants of the 2,000; scenario "contended":
   every line is one of the five hot variants; scenario "floor", a second reference: the same
   clients and server, but each journey is three ``GET /api/v1/health`` (no checkout work, no
   database), the most journeys per second anything built on this server could reach; each
   scenario is a warm-up, then a measured window;
5. prints completed checkouts/s (complete answered 201), p50/p99 of the whole journey and of
   the complete call alone, the ratio to pgbench's tps and the targets; CPU used by the
   client, the server and PostgreSQL in the window; the CPU budget the 15 % target leaves a
   journey and how much of it the floor already takes; what PostgreSQL's backends were doing
   (sampled ``pg_stat_activity``); writes everything to ``benchmarks/checkout/results/``;
6. stops the server, drops both databases and removes the temp dir, whatever happened.

Targets (the issue): uncontended >= 15 % of pgbench's tps, contended >= 50 % of uncontended,
p99 <= 500 ms.

Run from the repository root: ``.venv/bin/python benchmarks/checkout/run.py``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import multiprocessing
import os
import platform
import random
import re
import resource
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter
from contextlib import ExitStack, contextmanager
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path[:0] = [str(HERE), str(HERE.parent), str(REPO)]

from proc import busy_seconds, children, cpu_model, free_port, log, process_seconds, stop_process_group, tail  # noqa: E402
from seed import seed_market  # noqa: E402

from commerce.db import make_engine  # noqa: E402
from commerce.migrate import upgrade  # noqa: E402

RESULTS = HERE / "results"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

TARGET_VS_PGBENCH = 0.15      # uncontended completed/s >= 15 % of pgbench tps
TARGET_CONTENDED_RATIO = 0.50  # contended completed/s >= 50 % of uncontended
TARGET_P99_MS = 500.0

BUYER = {
    "email": "pembeli@contoh.id", "phone": "0813 4700 1122", "name": "Pembeli Benchmark",
    "shipping_address": {"street": "Jl. Pramuka 12", "kecamatan": "Samarinda Ulu", "kelurahan": "Air Putih"},
    "payment_method": "cod",
}
SCENARIOS = ("uncontended", "contended", "floor")
# The floor: the same clients and server, but each "journey" is three requests the app answers
# without any checkout work (GET /api/v1/health, no database). Nothing built on this server can
# complete checkouts faster than it runs these, so it bounds what the 15 % target can ask of
# the checkout itself (see cpu_budget()).
FLOOR_PATH = "/api/v1/health"


class BenchmarkError(RuntimeError):
    pass


# --- databases ---------------------------------------------------------------------------------

def _check_loopback(url: str) -> None:
    host = urlsplit(url).hostname
    if host not in LOOPBACK:
        raise BenchmarkError(f"refusing a non-loopback PostgreSQL server: {host}")


@contextmanager
def throwaway_database(admin_url: str, prefix: str):
    import psycopg

    _check_loopback(admin_url)
    parts = urlsplit(admin_url)
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    log(f"created database {name}")
    try:
        yield name, urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        log(f"dropped database {name}")


def checkpoint(admin_url: str) -> None:
    """Start every measured phase with no checkpoint pending, so none lands in one phase only."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute("CHECKPOINT")


def server_settings(admin_url: str) -> dict:
    import psycopg

    names = ("server_version", "max_connections", "shared_buffers", "synchronous_commit", "fsync",
             "wal_level", "checkpoint_timeout", "max_wal_size", "commit_delay")
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        return {n: conn.execute(f"SHOW {n}").fetchone()[0] for n in names}


# --- pgbench (the reference) -------------------------------------------------------------------

def _pg_args(url: str) -> tuple[list[str], dict]:
    parts = urlsplit(url)
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432), "-U", unquote(parts.username or "postgres")]
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = unquote(parts.password)
    return args, env


def pgbench_init(url: str, dbname: str, scale: int) -> float:
    args, env = _pg_args(url)
    started = time.perf_counter()
    done = subprocess.run(["pgbench", *args, "-i", "-s", str(scale), "-q", dbname], env=env,
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise BenchmarkError(f"pgbench -i failed: {done.stderr[-1000:]}")
    return time.perf_counter() - started


def pgbench_run(url: str, dbname: str, *, clients: int, jobs: int, seconds: int) -> dict:
    args, env = _pg_args(url)
    command = ["pgbench", *args, "-c", str(clients), "-j", str(jobs), "-T", str(seconds), "-N", dbname]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    total_before = machine_busy()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 120)
    total_after = machine_busy()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise BenchmarkError(f"pgbench failed ({done.returncode}): {done.stdout[-800:]} {done.stderr[-800:]}")
    tps = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", done.stdout)
    latency = re.search(r"latency average = ([0-9.]+) ms", done.stdout)
    processed = re.search(r"number of transactions actually processed: (\d+)", done.stdout)
    if not tps:
        raise BenchmarkError(f"could not read pgbench's tps: {done.stdout[-800:]}")
    client_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {
        "command": " ".join(command[:1] + command[len(args) + 1:]),
        "tps": round(float(tps.group(1)), 1),
        "latency_avg_ms": float(latency.group(1)) if latency else None,
        "transactions": int(processed.group(1)) if processed else None,
        "pgbench_client_cpu_cores": round(client_cpu / seconds, 2),
        "machine_busy_cores": round((total_after - total_before) / seconds, 2),
    }


# --- the server --------------------------------------------------------------------------------

@contextmanager
def running_server(database_url: str, workdir: Path, *, workers: int, threads: int, startup_timeout: float = 60.0):
    port = free_port()
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url,
        "SMARTCITY_STORAGE": (workdir / "storage").as_uri(),
        "SMARTCITY_VAR_DIR": str(workdir / "var"),
        "SMARTCITY_RATELIMIT_ENABLED": "0",
    })
    log_path = workdir / f"server-{port}.log"
    command = [sys.executable, "-m", "gunicorn", "api.wsgi:app", "-b", f"127.0.0.1:{port}", "-w", str(workers),
               "-k", "gthread", "--threads", str(threads), "--timeout", "60", "--graceful-timeout", "10"]
    with open(log_path, "wb") as server_log:
        process = subprocess.Popen(command, env=env, cwd=REPO, stdout=server_log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if process.poll() is not None:
                raise BenchmarkError(f"server exited with {process.returncode}:\n{tail(log_path)}")
            try:
                status, _ = call(http.client.HTTPConnection("127.0.0.1", port, timeout=2), "GET", "/api/v1/health")
                if status == 200 and len(children(process.pid)) >= workers:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise BenchmarkError(f"server did not answer within {startup_timeout:.0f} s:\n{tail(log_path)}")
            time.sleep(0.2)
        log(f"server up on 127.0.0.1:{port} (pid {process.pid}, {workers} workers x {threads} threads, gthread)")
        yield port, process, log_path, " ".join(["python"] + command[1:])
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    if stop_process_group(process):
        log(f"server stopped (pid {process.pid})")


def process_cpu(pid: int) -> float:
    return process_seconds([pid])


def machine_busy() -> float:
    return busy_seconds()[0]


# --- CPU accounting ----------------------------------------------------------------------------

def wait_for_quiet(max_wait: float, *, busy_max: float = 0.3, window: float = 3.0) -> float:
    """Wait (at most ``max_wait`` s) until the machine has been nearly idle for ``window`` s:
    other programs on the same cores skew every figure here. Returns the busy cores last seen."""
    deadline = time.monotonic() + max_wait
    while True:
        before = machine_busy()
        time.sleep(window)
        busy = (machine_busy() - before) / window
        if busy <= busy_max or time.monotonic() >= deadline:
            if busy > busy_max:
                log(f"machine still busy ({busy:.2f} cores used by others); measuring anyway")
            return round(busy, 2)


def postgres_pids(conn, dbname: str) -> list[int]:
    """Backends of our database and the server's own background processes (WAL writer ...)."""
    rows = conn.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s OR backend_type <> 'client backend'", (dbname,)
    ).fetchall()
    return [r[0] for r in rows]


# --- the load ----------------------------------------------------------------------------------

def call(conn: http.client.HTTPConnection, method: str, path: str, body=None, headers=None) -> tuple[int, bytes]:
    data = None if body is None else json.dumps(body).encode()
    all_headers = {"Content-Type": "application/json"} if data is not None else {}
    all_headers.update(headers or {})
    try:
        conn.request(method, path, body=data, headers=all_headers)
        response = conn.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException):
        conn.close()  # the next request reconnects
        raise


def journey(conn, rng: random.Random, pool: list[int]) -> tuple:
    """One buyer: start (1-3 lines of 1-3 units), fill, complete. Returns the record."""
    chosen = rng.sample(pool, rng.randint(1, 3))
    lines = [{"variant_id": v, "quantity": rng.randint(1, 3)} for v in chosen]
    t0 = time.monotonic()
    status, body = call(conn, "POST", "/api/v1/checkouts", {"lines": lines})
    t1 = time.monotonic()
    if status != 201:
        return (t1, (t1 - t0) * 1e3, None, None, None, "start", status, 0, body[:300].decode(errors="replace"))
    checkout_id = json.loads(body)["id"]
    status, body = call(conn, "PATCH", f"/api/v1/checkouts/{checkout_id}", BUYER)
    t2 = time.monotonic()
    if status != 200:
        return (t2, (t2 - t0) * 1e3, None, None, None, "fill", status, 0, body[:300].decode(errors="replace"))
    status, body = call(conn, "POST", f"/api/v1/checkouts/{checkout_id}/complete", {},
                        {"Idempotency-Key": secrets.token_hex(16)})
    t3 = time.monotonic()
    orders = len(json.loads(body)["orders"]) if status == 201 else 0
    detail = "" if status == 201 else body[:300].decode(errors="replace")
    return (t3, (t3 - t0) * 1e3, (t3 - t2) * 1e3, (t1 - t0) * 1e3, (t2 - t1) * 1e3, "complete", status, orders, detail)


def floor_journey(conn, rng: random.Random, pool: list[int]) -> tuple:
    """Three requests that do no checkout work, in the shape of a journey's record (its last
    step is labelled "complete" and counted as done when all three answered 200)."""
    t0 = time.monotonic()
    marks = []
    for _ in range(3):
        status, body = call(conn, "GET", FLOOR_PATH)
        marks.append(time.monotonic())
        if status != 200:
            return (marks[-1], (marks[-1] - t0) * 1e3, None, None, None, "floor", status, 0,
                    body[:300].decode(errors="replace"))
    t1, t2, t3 = marks
    return (t3, (t3 - t0) * 1e3, (t3 - t2) * 1e3, (t1 - t0) * 1e3, (t2 - t1) * 1e3, "complete", 201, 0, "")


JOURNEYS = {"uncontended": journey, "contended": journey, "floor": floor_journey}


def client_process(port: int, threads: int, seed: int, pool: list[int], t_start: float, t_end: float,
                   per_journey: bool, queue, scenario: str = "uncontended") -> None:
    """One client process: ``threads`` buyers back to back, on keep-alive connections (a new one
    for every journey, or one per client for the whole run)."""
    # The parent cleans up on Ctrl-C / SIGTERM and then terminates us: die quietly.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    records: list[list] = [[] for _ in range(threads)]
    one_journey = JOURNEYS[scenario]

    def buyer(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        delay = t_start - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        while time.monotonic() < t_end:
            try:
                records[n].append(one_journey(conn, rng, pool))
            except (OSError, http.client.HTTPException, ValueError) as error:
                records[n].append((time.monotonic(), None, None, None, None, "transport", 0, 0, repr(error)[:300]))
            if per_journey:
                conn.close()  # the next request connects afresh (http.client reopens by itself)
        conn.close()

    workers = [threading.Thread(target=buyer, args=(n,), daemon=True) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    queue.put([r for rs in records for r in rs])


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return round(ordered[rank - 1], 1)


class ActivitySampler(threading.Thread):
    """What our database's backends are doing, ten times a second, during the window."""

    def __init__(self, admin_url: str, dbname: str, t_from: float, t_to: float):
        super().__init__(daemon=True)
        self.admin_url, self.dbname, self.t_from, self.t_to = admin_url, dbname, t_from, t_to
        self.counts: Counter = Counter()
        self.samples = 0

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as conn:
            time.sleep(max(0.0, self.t_from - time.monotonic()))
            while time.monotonic() < self.t_to:
                rows = conn.execute(
                    "SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
                    "WHERE datname = %s AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                    (self.dbname,),
                ).fetchall()
                self.samples += 1
                for state, wtype, wevent in rows:
                    if state == "active":
                        key = f"active, waiting {wtype}:{wevent}" if wtype else "active, on CPU"
                    else:
                        key = state or "unknown"
                    self.counts[key] += 1
                time.sleep(0.1)

    def report(self) -> dict:
        if not self.samples:
            return {}
        return {k: round(v / self.samples, 2) for k, v in self.counts.most_common()}


def run_scenario(name: str, *, port: int, server_pid: int, pool: list[int], args, dbname: str, db_url: str) -> dict:
    import psycopg

    busy_before = wait_for_quiet(args.wait_quiet) if args.wait_quiet else None
    checkpoint(args.pg_url)
    with psycopg.connect(db_url, autocommit=True, connect_timeout=5) as app_db:
        orders_before = app_db.execute("SELECT count(*) FROM orders").fetchone()[0]
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    procs = min(args.client_procs, args.clients)
    per_proc = [args.clients // procs + (1 if i < args.clients % procs else 0) for i in range(procs)]
    t_start = time.monotonic() + 1.0
    t_measure = t_start + args.warmup
    t_end = t_measure + args.duration
    per_journey = args.connection == "per-journey"
    clients = [
        ctx.Process(target=client_process, daemon=True,
                    args=(port, n, zlib.crc32(f"{name}-{i}".encode()), pool, t_start, t_end, per_journey, queue, name))
        for i, n in enumerate(per_proc)
    ]
    for c in clients:
        c.start()

    workers = children(server_pid)
    sampler = ActivitySampler(args.pg_url, dbname, t_measure, t_end)
    sampler.start()
    spies = []
    with psycopg.connect(args.pg_url, autocommit=True, connect_timeout=5) as pg:
        time.sleep(max(0.0, t_measure - time.monotonic()))
        pg_pids = postgres_pids(pg, dbname)
        cpu0 = {
            "client": sum(process_cpu(c.pid) for c in clients),
            "server": sum(process_cpu(p) for p in [server_pid, *workers]),
            "postgres": {p: process_cpu(p) for p in pg_pids},
            "workers": {p: process_cpu(p) for p in workers},
            "machine": machine_busy(),
            "stat": pg.execute("SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted "
                               "FROM pg_stat_database WHERE datname = %s", (dbname,)).fetchone(),
        }
        if args.py_spy:
            spies = start_py_spy(name, workers, args)
        time.sleep(max(0.0, t_end - time.monotonic()))
        pg.execute("SELECT pg_stat_clear_snapshot()")
        pg_pids_end = postgres_pids(pg, dbname)
        cpu1 = {
            "client": sum(process_cpu(c.pid) for c in clients),
            "server": sum(process_cpu(p) for p in [server_pid, *workers]),
            "postgres": {p: process_cpu(p) for p in set(pg_pids) | set(pg_pids_end)},
            "workers": {p: process_cpu(p) for p in workers},
            "machine": machine_busy(),
        }
    records = []
    for _ in clients:
        try:
            records.extend(queue.get(timeout=args.duration + 180))
        except Exception as error:  # queue.Empty: a client process died or hung
            raise BenchmarkError(f"a client process did not report: {error!r}") from error
    for c in clients:
        c.join(timeout=30)
    sampler.join(timeout=10)
    for spy in spies:
        try:
            spy.wait(timeout=60)
        except subprocess.TimeoutExpired:
            spy.kill()

    # Transaction counts: read once the backends have flushed their statistics (<= 1 s in PG 15).
    time.sleep(1.2)
    with psycopg.connect(args.pg_url, autocommit=True, connect_timeout=5) as pg:
        stat1 = pg.execute("SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted "
                           "FROM pg_stat_database WHERE datname = %s", (dbname,)).fetchone()
    with psycopg.connect(db_url, autocommit=True, connect_timeout=5) as app_db:
        orders_in_db = app_db.execute("SELECT count(*) FROM orders").fetchone()[0]

    window = args.duration
    measured = [r for r in records if t_measure <= r[0] < t_end]
    done = [r for r in measured if r[5] == "complete" and r[6] == 201]
    failures = Counter(f"{r[5]} {r[6]}" for r in measured if not (r[5] == "complete" and r[6] == 201))
    failure_examples = {}
    for r in measured:
        if not (r[5] == "complete" and r[6] == 201):
            failure_examples.setdefault(f"{r[5]} {r[6]}", r[8])
    journey_ms = [r[1] for r in done]
    complete_ms = [r[2] for r in done]
    start_ms = [r[3] for r in done]
    fill_ms = [r[4] for r in done]
    pg_cpu = sum(cpu1["postgres"].get(p, 0.0) - cpu0["postgres"].get(p, 0.0) for p in cpu1["postgres"])
    client_cpu, server_cpu = cpu1["client"] - cpu0["client"], cpu1["server"] - cpu0["server"]
    machine = cpu1["machine"] - cpu0["machine"]
    xacts = (stat1[0] - cpu0["stat"][0]) if stat1 and cpu0["stat"] else None
    completed_per_s = len(done) / window
    result = {
        "window_s": window,
        "busy_cores_before": busy_before,
        "warmup_s": args.warmup,
        "journeys_measured": len(measured),
        "completed": len(done),
        "completed_per_s": round(completed_per_s, 1),
        "orders_per_checkout": round(sum(r[7] for r in done) / max(len(done), 1), 2),
        "requests_per_s": round(3 * completed_per_s, 1),
        "journey_ms": {"p50": percentile(journey_ms, 50), "p90": percentile(journey_ms, 90),
                       "p99": percentile(journey_ms, 99), "max": percentile(journey_ms, 100)},
        "complete_ms": {"p50": percentile(complete_ms, 50), "p90": percentile(complete_ms, 90),
                        "p99": percentile(complete_ms, 99), "max": percentile(complete_ms, 100)},
        "start_ms": {"p50": percentile(start_ms, 50), "p99": percentile(start_ms, 99)},
        "fill_ms": {"p50": percentile(fill_ms, 50), "p99": percentile(fill_ms, 99)},
        "failures": dict(failures),
        "failure_examples": failure_examples,
        "cpu_cores": {
            # average number of cores busy during the window
            "client": round(client_cpu / window, 2),
            "server": round(server_cpu / window, 2),
            "postgres": round(pg_cpu / window, 2),
            "machine": round(machine / window, 2),
            "other": round((machine - client_cpu - server_cpu - pg_cpu) / window, 2),
            "server_per_worker": [round((cpu1["workers"][p] - cpu0["workers"][p]) / window, 2) for p in workers],
        },
        "cpu_ms_per_checkout": {
            "server": round(server_cpu * 1e3 / max(len(done), 1), 2),
            "postgres": round(pg_cpu * 1e3 / max(len(done), 1), 2),
            "client": round(client_cpu * 1e3 / max(len(done), 1), 2),
        },
        "db_transactions_per_checkout": round(xacts / max(len(done), 1), 2) if xacts is not None else None,
        "pg_backends": sampler.report(),
        "consistency": {
            # every order a client was told about (warm-up and tail included) is in the database, no more
            "orders_reported_201": sum(r[7] for r in records if r[5] == "complete" and r[6] == 201),
            "orders_added_to_database": orders_in_db - orders_before,
        },
    }
    if spies:
        result["py_spy"] = [str(s.args[s.args.index("-o") + 1]) for s in spies]
    return result


def start_py_spy(name: str, workers: list[int], args) -> list[subprocess.Popen]:
    exe = Path(sys.executable).with_name("py-spy")
    if not exe.exists():
        raise BenchmarkError(".venv/bin/py-spy is missing: .venv/bin/pip install py-spy")
    out = Path(args.py_spy)
    out.mkdir(parents=True, exist_ok=True)
    spies = []
    for pid in workers:
        target = out / f"{name}-{pid}.txt"
        spies.append(subprocess.Popen(
            [str(exe), "record", "--pid", str(pid), "--duration", str(args.duration), "--rate", str(args.py_spy_rate),
             "--format", "raw", "--nonblocking", "--threads", *({"gil": ["--gil"], "active": [], "idle": ["--idle"]}[args.py_spy_mode]),
             "-o", str(target)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    return spies


# --- report ------------------------------------------------------------------------------------

def verdicts(report: dict) -> dict:
    ref = report["pgbench"]["tps"]
    scenarios = report["scenarios"]
    out = {}
    if "uncontended" in scenarios and ref:
        u = scenarios["uncontended"]
        u["vs_pgbench"] = round(u["completed_per_s"] / ref, 3)
        out["uncontended_vs_pgbench"] = {"value": u["vs_pgbench"], "target": f">= {TARGET_VS_PGBENCH:.0%}",
                                         "met": u["vs_pgbench"] >= TARGET_VS_PGBENCH}
    if "contended" in scenarios:
        c = scenarios["contended"]
        if ref:
            c["vs_pgbench"] = round(c["completed_per_s"] / ref, 3)
        if "uncontended" in scenarios:
            c["vs_uncontended"] = round(c["completed_per_s"] / scenarios["uncontended"]["completed_per_s"], 3)
            out["contended_vs_uncontended"] = {"value": c["vs_uncontended"], "target": f">= {TARGET_CONTENDED_RATIO:.0%}",
                                               "met": c["vs_uncontended"] >= TARGET_CONTENDED_RATIO}
    if "floor" in scenarios and ref:
        scenarios["floor"]["vs_pgbench"] = round(scenarios["floor"]["completed_per_s"] / ref, 3)
    for name, s in scenarios.items():
        if name == "floor":
            continue  # a reference, not a checkout: no target applies
        for which in ("journey", "complete"):
            p99 = s[f"{which}_ms"]["p99"]
            out[f"{name}_{which}_p99"] = {"value": p99, "target": f"<= {TARGET_P99_MS:g} ms",
                                          "met": p99 is not None and p99 <= TARGET_P99_MS}
    for name, s in scenarios.items():
        if s["failures"]:
            out[f"{name}_no_failures"] = {"value": s["failures"], "target": "none", "met": False}
    return out


def cpu_budget(report: dict) -> dict | None:
    """What the 15 % target leaves a checkout, in CPU time, measured in this run.

    At the target rate the machine's cores are shared by every journey, so one journey may
    cost at most cores / rate of CPU (client, server and PostgreSQL together). The floor
    scenario shows what three requests cost on this server before any checkout work, and
    pgbench what one whole simple-update transaction costs; the difference between the budget
    and the floor is what the checkout's own work (its transactions, statements, logic) may use.
    """
    scenarios, ref = report["scenarios"], report["pgbench"]["tps"]
    if not ref or "floor" not in scenarios:
        return None
    cores = report["machine"]["cpus"]
    target_rate = TARGET_VS_PGBENCH * ref

    def per(scenario: dict) -> float:
        return sum(scenario["cpu_ms_per_checkout"].values())

    busy = [r["machine_busy_cores"] for r in report["pgbench"]["runs"]]
    out = {
        "target_checkouts_per_s": round(target_rate, 1),
        "budget_ms_per_journey": round(cores * 1e3 / target_rate, 2),
        "floor_ms_per_journey": round(per(scenarios["floor"]), 2),
        "floor_per_s": scenarios["floor"]["completed_per_s"],
        "floor_vs_pgbench": scenarios["floor"].get("vs_pgbench"),
        "pgbench_ms_per_transaction": round(sum(busy) / len(busy) * 1e3 / ref, 2),
    }
    out["left_for_checkout_work_ms"] = round(out["budget_ms_per_journey"] - out["floor_ms_per_journey"], 2)
    if "uncontended" in scenarios:
        out["checkout_ms_per_journey"] = round(per(scenarios["uncontended"]), 2)
        out["checkout_work_ms"] = round(out["checkout_ms_per_journey"] - out["floor_ms_per_journey"], 2)
    return out


def table(report: dict) -> str:
    pg = report["pgbench"]
    runs = ", ".join(f"{r['tps']:.0f}" for r in pg["runs"])
    server = report["server"]
    lines = [
        f"PostgreSQL {report['postgres']['server_version']}; {report['machine']['cpus']} CPUs; app: {server['workers']} "
        f"gunicorn gthread workers x {server['threads']} threads; load: {report['load']['clients']} clients in "
        f"{report['load']['client_procs']} processes ({report['load']['client']}), {report['load']['warmup_s']} s warm-up + "
        f"{report['load']['duration_s']} s measured",
        f"reference: pgbench -c {report['load']['clients']} -j 2 -T {report['load']['duration_s']} -N (scale "
        f"{pg['scale']}): {pg['tps']:.0f} tps (runs: {runs})" if pg["tps"] else "reference: pgbench skipped",
        "",
    ]
    rows = [("scenario", "completed/s", "journey p50", "journey p99", "complete p50", "complete p99",
             "vs pgbench", "vs uncont.", "CPU cores client/server/pg/other")]
    for name, s in report["scenarios"].items():
        c = s["cpu_cores"]
        rows.append((
            name, f"{s['completed_per_s']:.1f}", f"{s['journey_ms']['p50']} ms", f"{s['journey_ms']['p99']} ms",
            f"{s['complete_ms']['p50']} ms", f"{s['complete_ms']['p99']} ms", f"{s['vs_pgbench']:.1%}" if "vs_pgbench" in s else "-",
            f"{s['vs_uncontended']:.0%}" if "vs_uncontended" in s else "-",
            f"{c['client']:.2f}/{c['server']:.2f}/{c['postgres']:.2f}/{c['other']:.2f}",
        ))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    for key, v in report["targets"].items():
        value = v["value"]
        shown = f"{value:.1%}" if isinstance(value, float) and "vs" in key else (
            f"{value} ms" if isinstance(value, float) else str(value))
        lines.append(f"  {key:34} {shown:>12}  (target {v['target']}): {'ok' if v['met'] else 'MISSED'}")
    budget = report.get("cpu_budget")
    if budget:
        lines += [
            f"  CPU budget: 15 % of pgbench is {budget['target_checkouts_per_s']:.0f} checkouts/s, so a journey may cost "
            f"{budget['budget_ms_per_journey']} ms of CPU on these {report['machine']['cpus']} cores (client, server, PostgreSQL);",
            f"    the floor (three requests, no checkout work) costs {budget['floor_ms_per_journey']} ms and runs at "
            f"{budget['floor_per_s']:.0f}/s ({budget['floor_vs_pgbench']:.1%} of pgbench), leaving "
            f"{budget['left_for_checkout_work_ms']} ms for the checkout's own work;",
            f"    one whole pgbench transaction costs {budget['pgbench_ms_per_transaction']} ms"
            + (f"; the checkout's own work costs {budget['checkout_work_ms']} ms (uncontended "
               f"{budget['checkout_ms_per_journey']} ms - floor)" if "checkout_work_ms" in budget else ""),
        ]
    for name, s in report["scenarios"].items():
        if name == "floor":
            continue
        per = s["cpu_ms_per_checkout"]
        lines.append(f"  {name}: {s['orders_per_checkout']} orders/checkout, {s['db_transactions_per_checkout']} "
                     f"DB transactions/checkout, CPU per checkout: server {per['server']} ms, postgres "
                     f"{per['postgres']} ms, client {per['client']} ms; per worker {s['cpu_cores']['server_per_worker']}")
        lines.append(f"    backends of the app database, average count by state: {s['pg_backends']}")
        k = s["consistency"]
        lines.append(f"    orders the clients were told of: {k['orders_reported_201']}, orders added to the database: "
                     f"{k['orders_added_to_database']} ({'consistent' if k['orders_reported_201'] == k['orders_added_to_database'] else 'MISMATCH'})")
        if s["failures"]:
            lines.append(f"    FAILURES: {s['failures']} e.g. {s['failure_examples']}")
    return "\n".join(lines)


def machine() -> dict:
    cpu = cpu_model()
    import gunicorn
    import psycopg
    import sqlalchemy

    return {"cpu": cpu, "cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "gunicorn": gunicorn.__version__, "psycopg": psycopg.__version__, "sqlalchemy": sqlalchemy.__version__,
            "loadavg_at_start": os.getloadavg()}


# --- main --------------------------------------------------------------------------------------

def run(args) -> dict:
    report = {"benchmark": "checkout", "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "machine": machine(), "postgres": server_settings(args.pg_url),
              "server": {"command": None, "workers": args.workers, "threads": args.threads, "accesslog": "off"},
              "load": {"clients": args.clients, "client_procs": min(args.client_procs, args.clients),
                       "client": f"http.client, keep-alive connection {args.connection}", "warmup_s": args.warmup,
                       "duration_s": args.duration, "lines": "1-3 distinct variants, 1-3 units each"},
              "pgbench": {"scale": args.pgbench_scale, "runs": []}, "scenarios": {}}
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-checkout-")))
        if not args.skip_pgbench:
            bench_db, _bench_url = stack.enter_context(throwaway_database(args.pg_url, "bench_pgbench"))
            took = pgbench_init(args.pg_url, bench_db, args.pgbench_scale)
            log(f"pgbench -i -s {args.pgbench_scale} in {took:.1f} s")

        def reference(label: str) -> None:
            busy_before = wait_for_quiet(args.wait_quiet) if args.wait_quiet else None
            checkpoint(args.pg_url)
            result = pgbench_run(args.pg_url, bench_db, clients=args.clients, jobs=2, seconds=args.duration)
            result["when"], result["busy_cores_before"] = label, busy_before
            report["pgbench"]["runs"].append(result)
            log(f"pgbench ({label}): {result['tps']:.0f} tps, latency avg {result['latency_avg_ms']} ms, "
                f"pgbench itself {result['pgbench_client_cpu_cores']} cores")

        if not args.skip_pgbench:
            reference("before")

        app_db, app_url = stack.enter_context(throwaway_database(args.pg_url, "bench_checkout"))
        started = time.perf_counter()
        upgrade(app_url)
        engine = make_engine(app_url)
        try:
            market = seed_market(engine, variants=args.variants)
        finally:
            engine.dispose()
        log(f"migrated and seeded in {time.perf_counter() - started:.1f} s: {len(market.stores)} stores, "
            f"{len(market.variants)} variants (stock {market.stock:,}), hot variants {market.hot_variants} "
            f"(stock {market.hot_stock:,})")
        report["seed"] = {"stores": len(market.stores), "variants": len(market.variants),
                          "hot_variants": market.hot_variants, "stock": market.stock, "hot_stock": market.hot_stock}

        with running_server(app_url, workdir, workers=args.workers, threads=args.threads) as server:
            port, process, log_path, command = server
            report["server"]["command"] = command
            smoke = journey(http.client.HTTPConnection("127.0.0.1", port, timeout=30), random.Random(1), market.variants)
            if smoke[6] != 201:
                raise BenchmarkError(f"a single buyer journey failed at {smoke[5]} with {smoke[6]}: {smoke[8]}")
            for name in args.scenarios:
                pool = market.hot_variants if name == "contended" else market.variants
                log(f"{name}: {args.clients} clients, {args.warmup} s warm-up + {args.duration} s measured")
                result = run_scenario(name, port=port, server_pid=process.pid, pool=pool, args=args, dbname=app_db,
                                      db_url=app_url)
                if process.poll() is not None:
                    raise BenchmarkError(f"server died during {name}:\n{tail(log_path)}")
                report["scenarios"][name] = result
                log(f"{name}: {result['completed_per_s']:.1f} completed/s, journey p50 {result['journey_ms']['p50']} ms "
                    f"p99 {result['journey_ms']['p99']} ms, complete p50 {result['complete_ms']['p50']} ms p99 "
                    f"{result['complete_ms']['p99']} ms, failures {result['failures'] or 'none'}, CPU cores "
                    f"{result['cpu_cores']}")

        if not (args.no_pgbench_after or args.skip_pgbench):
            reference("after")
    runs = report["pgbench"]["runs"]
    report["pgbench"]["tps"] = round(sum(r["tps"] for r in runs) / len(runs), 1) if runs else None
    report["targets"] = verdicts(report)
    report["cpu_budget"] = cpu_budget(report)
    report["finished_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return report


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--duration", type=int, default=20, help="measured seconds per scenario (and per pgbench run)")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured seconds of load before each scenario")
    parser.add_argument("--clients", type=int, default=16, help="concurrent buyers (and pgbench clients)")
    parser.add_argument("--client-procs", type=int, default=4, help="client processes the buyers are spread over")
    parser.add_argument("--connection", choices=("per-journey", "per-client"), default="per-journey",
                        help="a new keep-alive connection for each buyer journey (its 3 requests), or one per "
                             "client for the whole run (gthread workers then keep the connections they accepted)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--variants", type=int, default=2000, help="variants in the uncontended pool")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help="comma-separated: uncontended, contended, floor (three requests without checkout work)")
    parser.add_argument("--pgbench-scale", type=int, default=16)
    parser.add_argument("--no-pgbench-after", action="store_true",
                        help="run pgbench only before the scenarios (default: before and after, mean reported)")
    parser.add_argument("--wait-quiet", type=float, default=60, metavar="SECONDS",
                        help="before each measured phase wait up to this long for the machine to be idle "
                             "(<= 0.3 cores busy for 3 s); 0: don't wait")
    parser.add_argument("--skip-pgbench", action="store_true",
                        help="no reference (for trying server settings quickly; the pgbench ratio is not judged)")
    parser.add_argument("--py-spy", metavar="DIR", default=None,
                        help="record every worker with py-spy (raw stacks, --idle) during each measured window")
    parser.add_argument("--py-spy-rate", type=int, default=50, help="py-spy samples per second")
    parser.add_argument("--py-spy-mode", choices=("gil", "active", "idle"), default="gil",
                        help="gil: only the thread holding the GIL (where the Python CPU goes); active: threads "
                             "the OS reports runnable (includes waiting for a CPU); idle: every thread, blocked "
                             "ones too (wall time: what requests wait for, e.g. row locks)")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG),
                        help="PostgreSQL admin URL (loopback only); throw-away databases are made beside it")
    parser.add_argument("--output", type=Path, default=None, help="results JSON (default: results/checkout-<time>.json)")
    args = parser.parse_args(argv)
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    if set(args.scenarios) - set(SCENARIOS) or not args.scenarios:
        parser.error(f"--scenarios: choose from {', '.join(SCENARIOS)}")
    if not (1 <= args.duration <= 300 and 0 <= args.warmup <= 60 and 1 <= args.clients <= 64):
        parser.error("--duration 1..300, --warmup 0..60, --clients 1..64")
    if not (1 <= args.workers <= 16 and 1 <= args.threads <= 32 and 1 <= args.client_procs <= 16):
        parser.error("--workers 1..16, --threads 1..32, --client-procs 1..16")
    _check_loopback(args.pg_url)
    return args


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


def main(argv=None) -> int:
    args = parse_args(argv)
    if not Path("/usr/bin/pgbench").exists() and subprocess.run(["which", "pgbench"], capture_output=True).returncode:
        print("pgbench is not installed (apt-get install postgresql-client)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _interrupt)  # a CI timeout unwinds like Ctrl-C: server and databases go too
    try:
        report = run(args)
    except BenchmarkError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; server and databases cleaned up", file=sys.stderr)
        return 130
    output = args.output or RESULTS / f"checkout-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n")
    print("\n" + table(report))
    met = all(v["met"] for v in report["targets"].values())
    print(f"\ntargets {'all met' if met else 'NOT all met'}; results: {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
