"""A folder on this machine, for the embedded demo and for tests.

Writes go to a temporary file that is renamed into place, so a reader (or a crash) never sees
half a file.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sites.storage.api import ObjectStorage, StoredObject, Versioned

__all__ = ["LocalFolderStorage"]


class LocalFolderStorage(ObjectStorage):
    def __init__(self, root: Path, *, public_url: str = "/media/"):
        self.root = Path(root).resolve()
        self.public_url = public_url if public_url.endswith("/") else public_url + "/"

    def _path(self, key: str) -> Path:
        return self.root / self.check_key(key)

    def put(self, key, data, *, content_type, cache_control=None, content_encoding=None) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise KeyError(key) from None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, keys: list[str]) -> None:
        for key in keys:
            self._path(key).unlink(missing_ok=True)

    def list(self, prefix: str = "") -> Iterator[StoredObject]:
        if not self.root.exists():
            return
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.startswith((".tmp-", ".conditional-writes")):
                key = path.relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    yield StoredObject(key, path.stat().st_size)

    def url(self, key: str) -> str:
        return self.public_url + self.check_key(key)

    @contextmanager
    def _guard(self):
        """Serialise conditional writes between processes on this machine."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".conditional-writes.lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def create(self, key: str, data: bytes, *, content_type: str) -> str | None:
        with self._guard():
            if self._path(key).exists():
                return None
            self.put(key, data, content_type=content_type)
            return hashlib.sha256(data).hexdigest()

    def read_versioned(self, key: str) -> Versioned:
        data = self.get(key)
        try:
            age = time.time() - self._path(key).stat().st_mtime
        except FileNotFoundError:
            raise KeyError(key) from None
        return Versioned(data, hashlib.sha256(data).hexdigest(), age)

    def replace_if(self, key: str, data: bytes, version: str, *, content_type: str) -> str | None:
        with self._guard():
            try:
                current = self.read_versioned(key).version
            except KeyError:
                return None
            if current != version:
                return None
            self.put(key, data, content_type=content_type)
            return hashlib.sha256(data).hexdigest()
