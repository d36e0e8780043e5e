"""The publish lock: one object written with a conditional PUT (If-None-Match: *), so two
publishes to the same place cannot interleave their uploads and deletions.

A lock left by a publish that died is stale when the store says it was last written longer
ago than its time (its holder rewrites it every quarter of that time), or at once when it was
taken on this machine by a process that no longer exists; a stale lock is taken over with a
conditional overwrite (If-Match), so two publishes that both find it stale cannot both win.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import threading
import time
from datetime import datetime, timedelta, timezone

from sites.publish.manifest import LOCK_KEY
from sites.storage import ObjectStorage

__all__ = ["PublishLock", "PublishLocked"]

CONTENT_TYPE = "application/json; charset=utf-8"


class PublishLocked(RuntimeError):
    pass


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read(data: bytes) -> dict | None:
    try:
        holder = json.loads(data)
        if datetime.fromisoformat(holder["expires_at"]).tzinfo is None or not isinstance(holder.get("pid", 0), int):
            return None
        return holder
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


class PublishLock:
    def __init__(self, storage: ObjectStorage, *, site: str, ttl: timedelta = timedelta(minutes=10)):
        self.storage = storage
        self.site = site
        self.ttl = ttl
        self.token = secrets.token_hex(8)
        self.version: str | None = None
        self._taken = 0.0
        self.lost = False
        self._guard = threading.Lock()  # the heartbeat and the publisher never refresh at once
        self._stop = threading.Event()
        self._beating: threading.Thread | None = None

    def _body(self) -> bytes:
        now = _now()
        return json.dumps({
            "token": self.token, "site": self.site, "host": socket.gethostname(), "pid": os.getpid(),
            "taken_at": now.isoformat(), "expires_at": (now + self.ttl).isoformat(),
            "ttl_seconds": self.ttl.total_seconds(),
        }).encode()

    def _stale(self, holder: dict, age: float) -> bool:
        # By the lock's age as the store measures it (its holder rewrites it every quarter of
        # its time), not by comparing the holder's clock with ours: a machine whose clock runs
        # ahead must not take a live lock. expires_at is for people reading the message.
        ttl = holder.get("ttl_seconds")
        if age > (ttl if isinstance(ttl, (int, float)) and ttl > 0 else self.ttl.total_seconds()):
            return True
        return holder.get("host") == socket.gethostname() and not _pid_alive(int(holder.get("pid", 0)))

    def acquire(self) -> None:
        self.version = self.storage.create(LOCK_KEY, self._body(), content_type=CONTENT_TYPE)
        if self.version:
            self._taken = time.monotonic()
            return
        try:
            data, version, age = self.storage.read_versioned(LOCK_KEY)
        except KeyError:  # released between our two calls: try once more
            self.version = self.storage.create(LOCK_KEY, self._body(), content_type=CONTENT_TYPE)
            if self.version:
                self._taken = time.monotonic()
                return
            raise PublishLocked("another publish took the lock just now; try again")
        holder = _read(data)
        if holder is None or self._stale(holder, age):  # a lock nobody can read cannot be honoured either
            self.version = self.storage.replace_if(LOCK_KEY, self._body(), version, content_type=CONTENT_TYPE)
            if self.version:
                self._taken = time.monotonic()
                return
        holder = holder or {}
        raise PublishLocked(
            f"another publish of '{holder.get('site')}' holds the lock (host {holder.get('host')}, "
            f"pid {holder.get('pid')}, since {holder.get('taken_at')}, until {holder.get('expires_at')})"
        )

    def keep_alive(self) -> None:
        """Push the expiry forward from a background thread, every quarter of the lock's time,
        until :meth:`release`: a phase of a big publish may take longer than the lock lasts."""
        self._stop = threading.Event()
        self._beating = threading.Thread(target=self._beat, name="publish-lock", daemon=True)
        self._beating.start()

    def _beat(self) -> None:
        while not self._stop.wait(self.ttl.total_seconds() / 4):
            try:
                self.refresh()
            except PublishLocked:
                return  # self.lost is set; the publisher stops at its next check
            except Exception:  # the network, for a moment: three more beats before the lock runs out
                continue

    def refresh(self) -> None:
        with self._guard:
            if self.lost or self._stop.is_set():
                return
            version = self.storage.replace_if(LOCK_KEY, self._body(), self.version, content_type=CONTENT_TYPE)
            if not version:
                self.lost = True
                raise PublishLocked("the publish lock was taken over by another publish; stopping")
            self.version, self._taken = version, time.monotonic()

    def check(self) -> None:
        """Raise if the lock was lost: called before every upload, the manifest and the deletions."""
        if self.lost:
            raise PublishLocked("the publish lock was taken over by another publish; stopping")

    def release(self) -> None:
        self._stop.set()
        if self._beating is not None:
            self._beating.join()
        try:
            data = self.storage.read_versioned(LOCK_KEY).data
        except KeyError:
            return
        if (_read(data) or {}).get("token") == self.token:
            self.storage.delete([LOCK_KEY])
