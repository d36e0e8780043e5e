"""Summarise the py-spy recordings ``run.py --py-spy DIR`` makes of the gunicorn workers.

The recordings are raw collapsed stacks. With ``--py-spy-mode gil`` (the default) py-spy
samples only the thread holding each worker's GIL, so the shares below are of the workers'
*Python CPU time*; with ``idle`` blocked threads are sampled too and the shares are of *wall
time* of request-handling threads (on a saturated machine that wall time is mostly queueing: a
thread whose query has answered waits for the GIL inside the driver's wait, so read the GIL
profile for "where the CPU goes" and the idle one for "what requests wait for", e.g. row locks);
``active`` samples threads the OS reports runnable, which on a saturated machine includes
threads waiting for a CPU:

- by endpoint, and how much of it the thread spent in the PostgreSQL driver's wait
  (``psycopg ... Connection.wait`` and friends: the query's round trip, including any wait
  for a row lock) versus elsewhere in Python;
- by application function (inclusive), the same split;
- where the Python time goes by package (the innermost frame's package).

``.venv/bin/python benchmarks/checkout/pyspy_summary.py DIR [--scenario contended]``
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")
ENDPOINTS = {"start_checkout": "POST /checkouts", "fill_checkout": "PATCH /checkouts/{id}",
             "complete_checkout": "POST /checkouts/{id}/complete"}
# Frames that mean "this thread is blocked on PostgreSQL" (psycopg waits in C below these).
DB_WAIT = ("Connection.wait (psycopg/connection.py", "wait_c", "wait_select", "wait_epoll", "wait_poll",
           "BaseCursor._execute_send", "_exec_command", "PGconn.exec_")
# Application frames worth naming (inclusive time).
APP_PREFIXES = ("api/", "commerce/")


def parse(path: Path):
    for raw in path.read_text(errors="replace").splitlines():
        stack, _, count = raw.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        yield frames, int(count)


def package(frame: str) -> str:
    m = FRAME.match(frame)
    file = m.group("file") if m else frame
    if file.startswith("<"):
        return file
    top = file.split("/", 1)[0]
    return top.removesuffix(".py")


def is_db_wait(frames: list[str]) -> bool:
    leaf_area = ";".join(frames[-3:])
    return any(marker in leaf_area for marker in DB_WAIT)


def summarise(files: list[Path], top: int) -> str:
    total = idle = 0
    by_endpoint: Counter = Counter()
    by_endpoint_db: Counter = Counter()
    inclusive: Counter = Counter()
    inclusive_db: Counter = Counter()
    python_leaf_pkg: Counter = Counter()
    python_leaf: Counter = Counter()
    for path in files:
        for frames, count in parse(path):
            if not frames[0].startswith("thread") or "ThreadPoolExecutor" not in frames[0]:
                continue  # the worker's main thread (accept/poll loop) and the arbiter
            total += count
            if not any("handle_request" in f for f in frames):
                idle += count
                continue
            endpoint = next((ENDPOINTS[k] for f in frames for k in ENDPOINTS if f.startswith(k + " (api/")), "other")
            db = is_db_wait(frames)
            by_endpoint[endpoint] += count
            if db:
                by_endpoint_db[endpoint] += count
            else:
                python_leaf_pkg[package(frames[-1])] += count
                python_leaf[frames[-1]] += count
            seen = set()
            for f in frames:
                m = FRAME.match(f)
                if not m or not m.group("file").startswith(APP_PREFIXES):
                    continue
                name = f"{m.group('func')} ({m.group('file')})"
                if name in seen:
                    continue
                seen.add(name)
                inclusive[name] += count
                if db:
                    inclusive_db[name] += count
    busy = total - idle
    if not busy:
        return "no request-handling samples"
    out = [f"request-handling thread samples: {busy} of {total} worker-thread samples ({busy / total:.0%})", ""]
    out.append(f"{'endpoint':32} {'share':>6} {'in PostgreSQL driver':>21} {'in Python':>10}")
    for endpoint, n in by_endpoint.most_common():
        d = by_endpoint_db[endpoint]
        out.append(f"{endpoint:32} {n / busy:6.1%} {d / n:21.1%} {(n - d) / n:10.1%}")
    all_db = sum(by_endpoint_db.values())
    out.append(f"{'all':32} {1:6.1%} {all_db / busy:21.1%} {(busy - all_db) / busy:10.1%}")
    out += ["", f"application functions, inclusive share of request time (top {top}):",
            f"{'function':78} {'share':>6} {'of it in PG':>11}"]
    for name, n in inclusive.most_common(top):
        out.append(f"{name[:78]:78} {n / busy:6.1%} {inclusive_db[name] / n:11.0%}")
    py = busy - all_db
    out += ["", f"Python time ({py / busy:.0%} of request time) by package of the innermost frame:"]
    for pkg, n in python_leaf_pkg.most_common(12):
        out.append(f"  {pkg:28} {n / py:6.1%}")
    out += ["", "innermost Python frames (top 15):"]
    for frame, n in python_leaf.most_common(15):
        out.append(f"  {n / py:6.1%}  {frame[:110]}")
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--scenario", default=None, help="uncontended or contended (default: each)")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    scenarios = [args.scenario] if args.scenario else ["uncontended", "contended"]
    for scenario in scenarios:
        files = sorted(args.directory.glob(f"{scenario}-*.txt"))
        if not files:
            continue
        print(f"=== {scenario} ({len(files)} workers) ===")
        print(summarise(files, args.top))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
