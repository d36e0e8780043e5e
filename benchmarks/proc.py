"""What every benchmark here needs from the machine: loopback ports, a server's process group,
CPU seconds read from /proc, and a timestamped log line.

The benchmarks run as scripts (``python benchmarks/<name>/run.py``); each puts this folder on
``sys.path`` to import this module.
"""

from __future__ import annotations

import os
import resource
import signal
import socket
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Iterable

__all__ = [
    "TICK", "log", "free_port", "tail", "children", "process_seconds", "busy_seconds",
    "waited_children_seconds", "stop_process_group", "cpu_model",
]

TICK = os.sysconf("SC_CLK_TCK")


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path: Path, lines: int = 30) -> str:
    """The end of a log file, for an error message."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def process_seconds(pids: Iterable[int]) -> float:
    """User + system CPU seconds of these processes (all their threads); gone ones count 0."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def busy_seconds() -> tuple[float, float]:
    """(busy, wall x CPUs) CPU seconds of the whole machine since boot."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    total = sum(fields[:8])       # user nice system idle iowait irq softirq steal
    return (total - idle) / TICK, total / TICK


def waited_children_seconds() -> float:
    """CPU seconds of the child processes this process has waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def stop_process_group(process: subprocess.Popen) -> bool:
    """SIGTERM a server started in its own session (a gunicorn arbiter and its workers),
    SIGKILL it if it does not go; False if it had already exited."""
    if process.poll() is not None:
        return False
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        return False
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    return True


def cpu_model() -> str:
    try:
        return next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name"))
    except (OSError, StopIteration):
        return "unknown"
