"""The publish lock: one object written with a conditional PUT (If-None-Match: *), so two
publishes to the same place cannot interleave their uploads and deletions.

A lock left by a publish that died is stale when its time is up, or at once when it was taken
on this machine by a process that no longer exists; a stale lock is taken over with a
conditional overwrite (If-Match), so two publishes that both find it stale cannot both win.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
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


class PublishLock:
    def __init__(self, storage: ObjectStorage, *, site: str, ttl: timedelta = timedelta(minutes=10)):
        self.storage = storage
        self.site = site
        self.ttl = ttl
        self.token = secrets.token_hex(8)
        self.version: str | None = None
        self._taken = 0.0

    def _body(self) -> bytes:
        now = _now()
        return json.dumps({
            "token": self.token, "site": self.site, "host": socket.gethostname(), "pid": os.getpid(),
            "taken_at": now.isoformat(), "expires_at": (now + self.ttl).isoformat(),
        }).encode()

    def _stale(self, holder: dict) -> bool:
        if datetime.fromisoformat(holder["expires_at"]) <= _now():
            return True
        return holder.get("host") == socket.gethostname() and not _pid_alive(int(holder.get("pid", 0)))

    def acquire(self) -> None:
        self.version = self.storage.create(LOCK_KEY, self._body(), content_type=CONTENT_TYPE)
        if self.version:
            self._taken = time.monotonic()
            return
        try:
            data, version = self.storage.read_versioned(LOCK_KEY)
        except KeyError:  # released between our two calls: try once more
            self.version = self.storage.create(LOCK_KEY, self._body(), content_type=CONTENT_TYPE)
            if self.version:
                self._taken = time.monotonic()
                return
            raise PublishLocked("another publish took the lock just now; try again")
        holder = json.loads(data)
        if self._stale(holder):
            self.version = self.storage.replace_if(LOCK_KEY, self._body(), version, content_type=CONTENT_TYPE)
            if self.version:
                self._taken = time.monotonic()
                return
        raise PublishLocked(
            f"another publish of '{holder.get('site')}' holds the lock (host {holder.get('host')}, "
            f"pid {holder.get('pid')}, since {holder.get('taken_at')}, until {holder.get('expires_at')})"
        )

    def refresh(self) -> None:
        """Push the expiry forward between phases of a long publish (once half of it is used)."""
        if time.monotonic() - self._taken < self.ttl.total_seconds() / 2:
            return
        self.version = self.storage.replace_if(LOCK_KEY, self._body(), self.version, content_type=CONTENT_TYPE)
        if not self.version:
            raise PublishLocked("the publish lock was taken over by another publish; stopping")
        self._taken = time.monotonic()

    def release(self) -> None:
        try:
            data, _ = self.storage.read_versioned(LOCK_KEY)
        except KeyError:
            return
        if json.loads(data).get("token") == self.token:
            self.storage.delete([LOCK_KEY])
