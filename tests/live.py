"""A real multi-worker server (gunicorn, as in production) on the test database."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

__all__ = ["LiveServer", "approved_seller"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, database_url: str, workdir: Path, *, workers: int = 4, threads: int = 4,
                 env: dict[str, str] | None = None):
        self.extra_env = env or {}
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
        } | self.extra_env
        self.log = open(self.workdir / f"server-{port}.log", "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:api.gunicorn_conf", "api.wsgi:app", "-b", f"127.0.0.1:{port}",
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

    def output(self, *, whole: bool = False) -> str:
        """What the server wrote (its access log included): the end of it, or all of it."""
        self.log.flush()
        text = Path(self.log.name).read_text(errors="replace")
        return text if whole else text[-4000:]

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)
        self.log.close()

    def url(self, path: str) -> str:
        return self.base + path


def approved_seller(server: LiveServer, http: requests.Session, database_url: str) -> tuple[str, dict]:
    """A new seller's bearer token and their store, approved by a new admin, all through the
    live server's API (the admin account is made in the database: there is no route for it)."""
    from commerce.accounts.services import create_admin
    from commerce.db import make_engine, make_session_factory
    from commerce.unit_of_work import UnitOfWork
    from tests.helpers import PASSWORD

    email = f"penjual-{secrets.token_hex(4)}@contoh.id"
    http.post(server.url("/api/v1/auth/register"), json={"email": email, "password": PASSWORD, "name": "Penjual"})
    token = http.post(server.url("/api/v1/auth/token"), json={"email": email, "password": PASSWORD}).json()["access_token"]
    store = http.post(server.url("/api/v1/stores"), headers={"Authorization": f"Bearer {token}"}, json={
        "name": f"Toko {email}", "kecamatan": "Samarinda Kota", "kelurahan": "Pelabuhan",
        "address": "Jl. Niaga 1", "phone": "0811 5555 000"}).json()
    engine = make_engine(database_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        create_admin(uow, email=f"admin-{email}", password=PASSWORD)
    engine.dispose()
    admin = http.post(server.url("/api/v1/auth/token"), json={"email": f"admin-{email}", "password": PASSWORD}).json()
    http.post(server.url(f"/api/v1/admin/stores/{store['id']}/approve"),
              headers={"Authorization": f"Bearer {admin['access_token']}"}).raise_for_status()
    return token, store
