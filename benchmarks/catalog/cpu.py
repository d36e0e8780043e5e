"""CPU accounting from /proc, so a run says what the app cost and how busy the machine was.

Requests per second on a 2-core machine move with everything else running on it (a test
suite in another shell halves them). CPU time per request of the server's processes (and of
the PostgreSQL backends serving them) moves much less, and the CPU used by *other* processes
during a run tells whether its figures can be trusted.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from proc import busy_seconds, children, process_seconds, waited_children_seconds

__all__ = ["Counters", "CpuProbe", "children", "process_seconds", "busy_seconds", "other_load"]


class Counters(NamedTuple):
    server: float    # gunicorn arbiter + workers
    workers: dict    # pid -> CPU seconds, each gunicorn worker
    database: float  # PostgreSQL backends of the benchmark database (0 for SQLite: in-process)
    loadgen: float   # wrk, once it has been waited for
    busy: float      # the whole machine
    capacity: float  # wall time x CPUs


class CpuProbe:
    """Snapshots before and after a measured run; :meth:`delta` turns two into figures."""

    def __init__(self, server_pid: int, database_pids: Callable[[], list[int]] = lambda: []):
        self.server_pid = server_pid
        self.database_pids = database_pids
        self._pids: list[int] = []
        self._db_pids: list[int] = []

    def snapshot(self, *, refresh: bool = False) -> Counters:
        if refresh or not self._pids:
            self._pids = [self.server_pid, *children(self.server_pid)]
            self._db_pids = self.database_pids()
        busy, capacity = busy_seconds()
        workers = {pid: process_seconds([pid]) for pid in self._pids[1:]}
        return Counters(process_seconds(self._pids), workers, process_seconds(self._db_pids),
                        waited_children_seconds(), busy, capacity)

    @staticmethod
    def delta(before: Counters, after: Counters, *, requests: int, seconds: float) -> dict:
        server = after.server - before.server
        database = after.database - before.database
        loadgen = after.loadgen - before.loadgen
        busy = after.busy - before.busy
        other = max(busy - server - database - loadgen, 0.0)
        per_request = 1000 / max(requests, 1)
        return {
            "server_cpu_ms_per_request": round(server * per_request, 3),
            "database_cpu_ms_per_request": round(database * per_request, 3),
            "app_cpu_ms_per_request": round((server + database) * per_request, 3),
            "wrk_cpu_ms_per_request": round(loadgen * per_request, 3),
            "other_processes_cores": round(other / seconds, 2),
            # Cores each gunicorn worker used: keep-alive connections stay on the worker that
            # accepted them, so a few busy workers and idle others mean an uneven spread.
            "worker_cores": [round((after.workers[pid] - before.workers.get(pid, 0.0)) / seconds, 2)
                             for pid in after.workers],
            "machine_busy_fraction": round(busy / max(after.capacity - before.capacity, 1e-9), 3),
        }


def other_load(sample_seconds: float = 2.0, exclude: Callable[[], float] = lambda: 0.0) -> float:
    """Cores busy over a short sample, less what ``exclude`` (CPU seconds so far) accounts for."""
    import time

    busy0, _ = busy_seconds()
    ours0 = exclude()
    time.sleep(sample_seconds)
    busy1, _ = busy_seconds()
    return max((busy1 - busy0) - (exclude() - ours0), 0.0) / sample_seconds
