"""A real multi-worker server (gunicorn, as in production) on the test database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

__all__ = ["LiveServer"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, database_url: str, workdir: Path, *, workers: int = 4, threads: int = 4):
        self.database_url = database_url
        self.workdir = workdir
        self.workers = workers
        self.threads = threads
        self.process: subprocess.Popen | None = None
        self.base = ""

    def start(self) -> "LiveServer":
        port = free_port()
        env = os.environ | {
            "DATABASE_URL": self.database_url,
            "SMARTCITY_STORAGE": (self.workdir / "storage").as_uri(),
            "SMARTCITY_RATELIMIT_ENABLED": "0",
            "SMARTCITY_VAR_DIR": str(self.workdir),
        }
        self.log = open(self.workdir / f"server-{port}.log", "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "api.wsgi:app", "-b", f"127.0.0.1:{port}",
             "-w", str(self.workers), "-k", "gthread", "--threads", str(self.threads), "--timeout", "120"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.output())
            try:
                if requests.get(self.base + "/api/v1/health", timeout=5).status_code == 200:
                    return self
            except requests.RequestException:  # not listening yet, or workers still booting
                pass
            time.sleep(0.2)
        raise RuntimeError("server did not start: " + self.output())

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-4000:]

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)
        self.log.close()

    def url(self, path: str) -> str:
        return self.base + path
