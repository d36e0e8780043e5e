"""Where one buyer journey's time goes, in-process, one request at a time (no concurrency).

Makes a throw-away PostgreSQL database (migrated, seeded as ``run.py`` does), builds the app
with ``api.create_app`` and drives it with Flask's test client (no gunicorn, no sockets), then
for each of the three calls (start, fill, complete) reports:

- CPU time of the Python process per call (``time.process_time``) and wall time;
- SQL statements and round trips per call, by kind (SELECT / INSERT / UPDATE / DELETE /
  savepoint / ...), and the time spent inside the driver waiting for PostgreSQL;
- transactions per call (COMMIT and ROLLBACK as SQLAlchemy sees them);
- with ``--cprofile``, own time per package, and the top functions by cumulative and own time
  over all journeys;
- with ``--sql``, the text of every statement of one journey.

``.venv/bin/python benchmarks/checkout/profile_journey.py --journeys 300 --cprofile``
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import re
import secrets
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path[:0] = [str(HERE), str(HERE.parent), str(REPO)]

from run import BUYER, DEFAULT_PG, throwaway_database  # noqa: E402
from seed import seed_market  # noqa: E402

from sqlalchemy import event  # noqa: E402

from commerce.db import make_engine  # noqa: E402
from commerce.migrate import upgrade  # noqa: E402


def _own_time_by_package(profiler: cProfile.Profile) -> Counter:
    """Own time per installed package (sqlalchemy, psycopg, flask ...), per top folder of this
    repository (commerce, api ...), and the rest (the standard library and built-ins)."""
    own: Counter = Counter()
    for (filename, _line, _function), (_cc, _nc, tottime, _ct, _callers) in pstats.Stats(profiler).stats.items():
        if "site-packages/" in filename:
            package = filename.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
        elif filename.startswith(str(REPO) + os.sep):
            package = "ours: " + Path(filename).relative_to(REPO).parts[0]
        else:
            package = "stdlib, built-ins"
        own[package] += tottime
    return own


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--journeys", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--contended", action="store_true", help="lines on the five hot variants")
    parser.add_argument("--cprofile", action="store_true",
                        help="cProfile with a CPU-time clock (waiting for PostgreSQL costs nothing there)")
    parser.add_argument("--wall", action="store_true", help="cProfile with the wall clock instead")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sql", action="store_true", help="print the statements of one journey")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG))
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-checkout-prof-") as workdir, \
            throwaway_database(args.pg_url, "bench_checkout_prof") as (_name, url):
        upgrade(url)
        engine = make_engine(url)
        market = seed_market(engine)
        engine.dispose()
        storage = Path(workdir, "storage").as_uri()
        os.environ.update({"SMARTCITY_RATELIMIT_ENABLED": "0", "SMARTCITY_STORAGE": storage,
                           "SMARTCITY_VAR_DIR": str(Path(workdir, "var"))})
        from api import create_app
        from api.config import Settings

        app = create_app(Settings(database_url=url, ratelimit_enabled=False, storage_url=storage,
                                  var_dir=Path(workdir, "var")))
        app_engine = app.extensions["smartcity"].engine

        current = {"call": None}
        stats: dict[str, Counter] = defaultdict(Counter)
        db_wait: Counter = Counter()
        statements: list[str] = []
        record_sql = {"on": False}

        @event.listens_for(app_engine, "before_cursor_execute")
        def _before(conn, cursor, statement, parameters, context, executemany):
            conn.info["t0"] = time.perf_counter()
            if current["call"]:
                kind = statement.lstrip().split(None, 1)[0].upper()
                stats[current["call"]][f"sql {kind}"] += 1
                stats[current["call"]]["sql total"] += 1
            if record_sql["on"]:
                statements.append(f"[{current['call']}] " + re.sub(r"\s+", " ", statement)[:400])

        @event.listens_for(app_engine, "after_cursor_execute")
        def _after(conn, cursor, statement, parameters, context, executemany):
            if current["call"]:
                db_wait[current["call"]] += time.perf_counter() - conn.info.pop("t0", time.perf_counter())

        lock_held: Counter = Counter()
        lock_from: dict = {}

        @event.listens_for(app_engine, "before_cursor_execute")
        def _lock_start(conn, cursor, statement, parameters, context, executemany):
            # FOR UPDATE or FOR NO KEY UPDATE (commerce/inventory/lock_objects.py)
            if current["call"] and "UPDATE" in statement and statement.lstrip().startswith("SELECT") \
                    and "FROM variants" in statement:
                lock_from.setdefault(id(conn.connection.dbapi_connection), time.perf_counter())

        for name in ("commit", "rollback"):
            def _tx(conn, _name=name):
                if current["call"]:
                    stats[current["call"]][f"tx {_name}"] += 1
                    began = lock_from.pop(id(conn.connection.dbapi_connection), None)
                    if began is not None:
                        # until the COMMIT is sent; its round trip (WAL flush) comes on top
                        lock_held[current["call"]] += time.perf_counter() - began
                    if record_sql["on"]:
                        statements.append(f"[{current['call']}] {_name.upper()}")
            event.listen(app_engine, name, _tx)

        @event.listens_for(app_engine.pool, "checkout")
        def _checkout(dbapi_connection, record, proxy):
            if current["call"]:
                stats[current["call"]]["pool checkout"] += 1

        # Round trips to the server, whatever sends them (queries, BEGIN, COMMIT, pre-ping):
        # psycopg runs every one through Connection.wait.
        import psycopg

        original_wait = psycopg.Connection.wait

        def counting_wait(self, gen, *a, **kw):
            if current["call"]:
                stats[current["call"]]["round trips"] += 1
            return original_wait(self, gen, *a, **kw)

        psycopg.Connection.wait = counting_wait

        # In --sql mode, also list what the driver sends on its own (BEGIN, COMMIT, ROLLBACK) and
        # the pool's pre-ping, which go around SQLAlchemy's cursor events.
        from psycopg._connection_base import BaseConnection

        original_command = BaseConnection._exec_command

        def logging_command(self, command, *a, **kw):
            if record_sql["on"]:
                text = command if isinstance(command, (bytes, str)) else getattr(command, "as_string", lambda *_: command)(None)
                statements.append(f"[{current['call']}]   driver: {text.decode() if isinstance(text, bytes) else text}")
            return original_command(self, command, *a, **kw)

        BaseConnection._exec_command = logging_command

        original_ping = app_engine.dialect.do_ping

        def logging_ping(dbapi_connection):
            if record_sql["on"]:
                statements.append(f"[{current['call']}]   pool pre-ping")
            return original_ping(dbapi_connection)

        app_engine.dialect.do_ping = logging_ping

        client = app.test_client()
        rng = random.Random(7)
        pool = market.hot_variants if args.contended else market.variants
        cpu, wall = Counter(), Counter()

        def call(label, method, path, **kw):
            current["call"] = label
            c0, w0 = time.process_time(), time.perf_counter()
            response = client.open(path, method=method, **kw)
            cpu[label] += time.process_time() - c0
            wall[label] += time.perf_counter() - w0
            current["call"] = None
            return response

        def journey():
            lines = [{"variant_id": v, "quantity": rng.randint(1, 3)} for v in rng.sample(pool, rng.randint(1, 3))]
            r = call("start", "POST", "/api/v1/checkouts", json={"lines": lines})
            assert r.status_code == 201, r.get_data(as_text=True)
            cid = r.get_json()["id"]
            r = call("fill", "PATCH", f"/api/v1/checkouts/{cid}", json=BUYER)
            assert r.status_code == 200, r.get_data(as_text=True)
            r = call("complete", "POST", f"/api/v1/checkouts/{cid}/complete", json={},
                     headers={"Idempotency-Key": secrets.token_hex(16)})
            assert r.status_code == 201, r.get_data(as_text=True)
            return len(r.get_json()["orders"])

        for _ in range(args.warmup):
            journey()
        stats.clear(), db_wait.clear(), cpu.clear(), wall.clear(), lock_held.clear()
        if args.sql:
            record_sql["on"] = True
            journey()
            record_sql["on"] = False
            print("\n".join(statements))
            stats.clear(), db_wait.clear(), cpu.clear(), wall.clear(), lock_held.clear()

        profiler = None
        if args.cprofile:
            profiler = cProfile.Profile() if args.wall else cProfile.Profile(time.process_time)
        orders = 0
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        for _ in range(args.journeys):
            orders += journey()
        if profiler:
            profiler.disable()
        took = time.perf_counter() - started
        n = args.journeys
        scenario = "contended pool (5 hot variants)" if args.contended else f"uncontended pool ({len(pool)} variants)"
        print(f"\n{n} journeys one after another, {scenario}, {orders / n:.2f} orders/checkout, "
              f"{n / took:.1f} journeys/s single-threaded{' (under cProfile)' if profiler else ''}\n")
        print("per call, averaged: CPU of this process; wall; wall inside cursor.execute; variant row locks held "
              "(FOR [NO KEY] UPDATE to COMMIT);\nSQL statements; server round trips (statements + BEGIN/COMMIT/ROLLBACK + "
              "pool pre-ping); pool checkouts (each one pings)\n")
        print(f"{'call':9} {'CPU ms':>7} {'wall ms':>8} {'execute ms':>10} {'locks ms':>9} {'stmts':>6} {'trips':>6} "
              f"{'checkouts':>9} {'commits':>8} {'rollbacks':>9}  statements by kind")
        for label in ("start", "fill", "complete"):
            s = stats[label]
            kinds = ", ".join(f"{k[4:]} {v / n:.1f}" for k, v in sorted(s.items()) if k.startswith("sql ") and k != "sql total")
            print(f"{label:9} {cpu[label] * 1e3 / n:7.2f} {wall[label] * 1e3 / n:8.2f} {db_wait[label] * 1e3 / n:10.2f} "
                  f"{lock_held[label] * 1e3 / n:9.2f} {s['sql total'] / n:6.1f} {s['round trips'] / n:6.1f} "
                  f"{s['pool checkout'] / n:9.1f} {s['tx commit'] / n:8.1f} {s['tx rollback'] / n:9.1f}  {kinds}")
        total_cpu = sum(cpu.values()) * 1e3 / n
        print(f"{'journey':9} {total_cpu:7.2f} {sum(wall.values()) * 1e3 / n:8.2f} {sum(db_wait.values()) * 1e3 / n:10.2f} "
              f"{sum(lock_held.values()) * 1e3 / n:9.2f} {sum(s['sql total'] for s in stats.values()) / n:6.1f} "
              f"{sum(s['round trips'] for s in stats.values()) / n:6.1f} {sum(s['pool checkout'] for s in stats.values()) / n:9.1f}")
        if profiler:
            print("\n--- cProfile own time by package, ms per journey ---")
            for package, own in sorted(_own_time_by_package(profiler).items(), key=lambda kv: -kv[1]):
                print(f"{package:24} {own * 1e3 / n:7.2f}")
            for key in ("cumulative", "tottime"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(key).print_stats(args.top)
                print(f"\n--- cProfile ({'wall' if args.wall else 'CPU'} time), sorted by {key} (all {n} journeys) ---")
                print("\n".join(out.getvalue().splitlines()[4:]))
        app_engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
