"""Catalog read benchmark: browse list and product detail against a trivial endpoint.

For each backend (SQLite, PostgreSQL) this

1. makes a fresh database (a file in a temp dir; a throw-away PostgreSQL database), migrates it
   with ``commerce.migrate.upgrade`` and seeds 500 approved stores with 10,000 products;
2. starts the real server as production does (``smartcity serve``: gunicorn, gthread workers,
   through ``api.server.serve``) on a free 127.0.0.1 port, once with the app's default
   settings and once with its public cache off (``--configs``);
3. loads it with ``wrk`` endpoint by endpoint, same server and settings for each:
   ``GET /api/v1/health`` (the reference: a trivial JSON answer of the same app),
   ``GET /api/v1/products?limit=24`` and ``GET /api/v1/products/{id}`` over random ids;
4. prints requests/s, p50 and p99 latency and the ratios to the reference, checks the targets
   (list >= 40 % of the reference's requests/s, list p99 <= 3x the reference's p99) and writes
   everything to ``benchmarks/catalog/results/``;
5. stops the server and removes the database and temp dir, whatever happened.

Run from the repository root: ``.venv/bin/python benchmarks/catalog/run.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # this benchmark, then benchmarks/ (proc.py)

from cpu import CpuProbe  # noqa: E402
from proc import cpu_model  # noqa: E402
from harness import (  # noqa: E402
    BUSY_MACHINE_CORES, DEFAULT_PG, SERVER_THREADS, BenchmarkError, database_backends, database_version,
    distinct_products, get_json, log, postgresql_database, prepare, run_wrk, running_server, sqlite_database, tail,
    wait_for_quiet,
)

RESULTS = HERE / "results"

TARGET_RPS_RATIO = 0.40  # list requests/s >= 40 % of the reference's
TARGET_P99_RATIO = 3.0   # list p99 <= 3x the reference's p99

# Server settings compared in one run. "default" is the app as configured out of the box (what
# production runs); "uncached" switches off the per-worker cache of public answers
# (api/public_cache.py), so every request builds its answer: what a cache miss costs, and what
# every search, filter and later page costs.
CACHE_SETTING = "SMARTCITY_PUBLIC_CACHE_SECONDS"
CONFIGS = {
    "default": {CACHE_SETTING: None},
    "uncached": {CACHE_SETTING: "0"},
}

REFERENCE = "reference"
ENDPOINTS = {
    # name: (label, path wrk is pointed at, random-id prefix or None)
    REFERENCE: ("GET /api/v1/health (reference)", "/api/v1/health", None),
    "list": ("GET /api/v1/products?limit=24", "/api/v1/products?limit=24", None),
    "detail": ("GET /api/v1/products/{id}", "/api/v1/products/1", "/api/v1/products/"),
}


def sanity_check(base: str, product_ids: list[int]) -> str | None:
    """Every endpoint answers 200 with the right shape before it is timed. Returns the list's
    Cache-Control header (what the public cache says it does)."""
    status, body, headers = get_json(base + "/api/v1/products?limit=24")
    if status != 200 or len(body.get("items", [])) != 24 or not body.get("next_cursor"):
        raise BenchmarkError(f"list endpoint answered {status}: {str(body)[:300]}")
    status, body, _ = get_json(f"{base}/api/v1/products/{product_ids[len(product_ids) // 2]}")
    if status != 200 or not body.get("variants"):
        raise BenchmarkError(f"detail endpoint answered {status}: {str(body)[:300]}")
    return headers.get("Cache-Control")


def load(base: str, endpoint: str, *, seconds: float, args, ids_file: Path, probe: CpuProbe | None = None) -> dict:
    _label, path, prefix = ENDPOINTS[endpoint]
    return run_wrk(base + path, seconds=seconds, threads=args.threads, connections=args.connections,
                   random_ids=(prefix, ids_file) if prefix else None, probe=probe)


def measure(base: str, args, ids_file: Path, probe: CpuProbe) -> dict:
    rounds: dict[str, list[dict]] = {name: [] for name in ENDPOINTS}
    for round_number in range(1, args.rounds + 1):
        for endpoint in ENDPOINTS:
            wait_for_quiet(args.quiet_wait, probe.server_pid)
            if args.warmup > 0:
                load(base, endpoint, seconds=args.warmup, args=args, ids_file=ids_file)
            result = load(base, endpoint, seconds=args.duration, args=args, ids_file=ids_file, probe=probe)
            rounds[endpoint].append(result)
            log(f"round {round_number}/{args.rounds} {ENDPOINTS[endpoint][0]}: {result['rps']:.0f} req/s, "
                f"p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
                f"app CPU {result['app_cpu_ms_per_request']:.2f} ms/request, errors {result['errors']}, "
                f"other processes {result['other_processes_cores']:.2f} cores, "
                f"machine busy {result['machine_busy_fraction']:.0%}, workers' cores {result['worker_cores']}")
    summary = {}
    for endpoint, results in rounds.items():
        summary[endpoint] = {
            key: round(statistics.median(r[key] for r in results), 2)
            for key in ("rps", "p50_ms", "p90_ms", "p99_ms", "max_ms", "bytes_per_response",
                        "server_cpu_ms_per_request", "database_cpu_ms_per_request", "app_cpu_ms_per_request",
                        "wrk_cpu_ms_per_request")
        } | {"errors": sum(r["errors"] for r in results),
             "other_processes_cores_max": max(r["other_processes_cores"] for r in results),
             "rounds": results}
    reference = summary[REFERENCE]
    for endpoint in ("list", "detail"):
        figures = summary[endpoint]
        figures["rps_ratio"] = round(figures["rps"] / reference["rps"], 3)
        figures["p99_ratio"] = round(figures["p99_ms"] / reference["p99_ms"], 2)
        figures["cpu_ratio"] = round(figures["app_cpu_ms_per_request"] / reference["app_cpu_ms_per_request"], 1)
        figures["rps_target_met"] = figures["rps_ratio"] >= TARGET_RPS_RATIO
        figures["p99_target_met"] = figures["p99_ratio"] <= TARGET_P99_RATIO
    return summary


# --- report ------------------------------------------------------------------------------------

def table(backend: str, config: str, result: dict) -> str:
    seed, server = result["seed"], result["configs"][config]["server"]
    settings = ", ".join(f"{k}={v}" for k, v in server["settings"].items())
    header = (f"{backend}, {config} settings ({settings}): {result['database_version']}, {seed['stores']} stores, "
              f"{seed['products']} products, {seed['variants']} variants; {server['workers']} gunicorn workers x "
              f"{server['threads']} threads; wrk -t{result['load']['threads']} "
              f"-c{result['load']['connections']} -d{result['load']['duration_s']}s")
    endpoints = result["configs"][config]["endpoints"]
    rows = [("endpoint", "req/s", "p50 ms", "p99 ms", "req/s vs ref", "p99 vs ref", "CPU ms/req", "target")]
    for endpoint, (label, _path, _prefix) in ENDPOINTS.items():
        f = endpoints[endpoint]
        if endpoint == REFERENCE:
            ratio, p99_ratio, verdict = "1.00", "1.00", "-"
        else:
            ratio, p99_ratio = f"{f['rps_ratio']:.2f}", f"{f['p99_ratio']:.2f}"
            if endpoint == "list":
                verdict = (f"req/s >= {TARGET_RPS_RATIO:.0%} of ref: {'ok' if f['rps_target_met'] else 'MISSED'}; "
                           f"p99 <= {TARGET_P99_RATIO:g}x ref: {'ok' if f['p99_target_met'] else 'MISSED'}")
            else:
                verdict = "no target (for scale)"
        if f["errors"]:
            verdict += f"  [{f['errors']} errors]"
        rows.append((label, f"{f['rps']:.0f}", f"{f['p50_ms']:.1f}", f"{f['p99_ms']:.1f}", ratio, p99_ratio,
                     f"{f['app_cpu_ms_per_request']:.2f}", verdict))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [header]
    for n, row in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if i in (0, 7) else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("CPU ms/req: CPU time of the gunicorn workers" + (" and the PostgreSQL backends" if
                 backend == "postgresql" else "") + " per request (less sensitive to other load than req/s).")
    idle = [(ENDPOINTS[name][0], r["machine_busy_fraction"], r["worker_cores"])
            for name, f in endpoints.items() for r in f["rounds"] if r["machine_busy_fraction"] < 0.85]
    for label, fraction, workers in idle:
        lines.append(f"NOTE: {label}: CPUs only {fraction:.0%} busy in a round; workers' cores {workers} "
                     "(keep-alive connections unevenly spread over the gunicorn workers).")
    busy = max(f["other_processes_cores_max"] for f in endpoints.values())
    if busy > BUSY_MACHINE_CORES:
        lines.append(f"WARNING: other processes used up to {busy:.2f} of {os.cpu_count()} cores during these runs; "
                     "req/s and latencies are lower than on a quiet machine (ratios less so).")
    return "\n".join(lines)


def machine() -> dict:
    cpu = cpu_model()
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0].strip()
    import gunicorn
    return {"cpu": cpu, "cpus": os.cpu_count(), "platform": platform.platform(),
            "python": platform.python_version(), "sqlite_library": sqlite3.sqlite_version,
            "gunicorn": gunicorn.__version__, "wrk": wrk_version, "loadavg_at_start": os.getloadavg()}


# --- main --------------------------------------------------------------------------------------

def run_config(config: str, url: str, workdir: Path, ids_file: Path, backend: str, args) -> dict:
    """One server with one set of settings, all three endpoints."""
    with running_server(url, workdir, workers=args.workers, env_overrides=CONFIGS[config]) as (base, process, log_path):
        cache_control = sanity_check(base, [int(i) for i in ids_file.read_text().split()])
        log(f"{backend}/{config}: list answers with Cache-Control: {cache_control}")
        if config == "uncached" and cache_control and "max-age=0" not in cache_control:
            log(f"WARNING: {CACHE_SETTING}=0 did not switch the public cache off")
        probe = CpuProbe(process.pid, database_backends(args.pg_url, url) if backend == "postgresql" else (lambda: []))
        endpoints = measure(base, args, ids_file, probe)
        if process.poll() is not None:
            raise BenchmarkError(f"server died during the run:\n{tail(log_path)}")
        endpoints["detail"]["distinct_products"] = distinct_products(log_path)
    return {
        "server": {"command": "smartcity serve (api.server.serve: gunicorn gthread)", "workers": args.workers,
                   "threads": SERVER_THREADS, "ratelimit": "off", "accesslog": "on (production)",
                   "settings": {k: ("(app default)" if v is None else v) for k, v in CONFIGS[config].items()},
                   "list_cache_control": cache_control},
        "endpoints": endpoints,
    }


def run_backend(backend: str, args) -> dict:
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"bench-catalog-{backend}-")))
        if backend == "sqlite":
            url = stack.enter_context(sqlite_database(workdir))
        else:
            url = stack.enter_context(postgresql_database(args.pg_url))
        log(f"{backend}: preparing {url.split('@')[-1]}")
        seed = prepare(url, stores=args.stores, products=args.products, images=args.images)
        ids_file = workdir / "product_ids.txt"
        ids_file.write_text("\n".join(map(str, seed.pop("product_ids"))) + "\n")
        configs = {config: run_config(config, url, workdir, ids_file, backend, args) for config in args.configs}
        return {
            "database_version": database_version(url),
            "seed": seed,
            "load": {"tool": "wrk", "threads": args.threads, "connections": args.connections,
                     "duration_s": args.duration, "warmup_s": args.warmup, "rounds": args.rounds},
            "configs": configs,
        }


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--configs", default="default,uncached",
                        help="server settings to run: default (as shipped), uncached (public cache off)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of measured load per endpoint")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of unmeasured load before each")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--rounds", type=int, default=1, help="repeat the three endpoints; medians are reported")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1,
                        help="gunicorn workers (default: what `smartcity serve` uses, 2 x CPUs + 1)")
    parser.add_argument("--quiet-wait", type=int, default=30,
                        help="before each endpoint, wait at most this long for other processes to leave the CPUs")
    parser.add_argument("--stores", type=int, default=500)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--images", type=int, default=300, help="products with an image row")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG),
                        help="PostgreSQL admin URL (loopback only); a throw-away database is made beside it")
    parser.add_argument("--output", type=Path, default=None, help="results JSON (default: results/catalog-<time>.json)")
    args = parser.parse_args(argv)
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = set(args.backends) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown backend(s): {', '.join(sorted(unknown))}")
    args.configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    if not args.configs or set(args.configs) - set(CONFIGS):
        parser.error(f"--configs: choose from {', '.join(CONFIGS)}")
    if not (1 <= args.duration <= 600 and 0 <= args.warmup <= 60 and 1 <= args.rounds <= 10):
        parser.error("--duration 1..600, --warmup 0..60, --rounds 1..10")
    if args.connections < args.threads:
        parser.error("--connections must be at least --threads")
    return args


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


def main(argv=None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    # SIGTERM (e.g. a CI timeout) unwinds like Ctrl-C, so the server and the database go too.
    signal.signal(signal.SIGTERM, _interrupt)
    report = {"benchmark": "catalog", "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "machine": machine(),
              "targets": {"list_rps_ratio_min": TARGET_RPS_RATIO, "list_p99_ratio_max": TARGET_P99_RATIO},
              "backends": {}}
    tables = []
    try:
        for backend in args.backends:
            result = run_backend(backend, args)
            report["backends"][backend] = result
            for config in result["configs"]:
                tables.append(table(backend, config, result))
                print("\n" + tables[-1] + "\n", flush=True)
    except BenchmarkError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; server and databases cleaned up", file=sys.stderr)
        return 130
    report["finished_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    output = args.output or RESULTS / f"catalog-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n")
    if len(tables) > 1:
        print("\n\n".join(tables))
    print()
    for config in args.configs:
        met = {backend: r["configs"][config]["endpoints"]["list"]["rps_target_met"]
               and r["configs"][config]["endpoints"]["list"]["p99_target_met"]
               for backend, r in report["backends"].items()}
        print(f"list targets, {config} settings: " + ", ".join(
            f"{backend} {'hold' if ok else 'MISSED'}" for backend, ok in met.items()))
    print(f"results: {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
