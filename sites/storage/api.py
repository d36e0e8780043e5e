"""The storage interface shared by every adapter."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Iterator, NamedTuple

__all__ = ["ObjectStorage", "StoredObject", "Versioned"]


class StoredObject(NamedTuple):
    key: str
    size: int


class Versioned(NamedTuple):
    data: bytes
    version: str  # ETag
    age: float  # seconds since it was last written, by the store's own clock


class ObjectStorage(ABC):
    """Keys are ``/``-separated relative paths; adapters map them to files or objects."""

    @abstractmethod
    def put(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str,
        cache_control: str | None = None,
        content_encoding: str | None = None,
    ) -> None: ...

    @abstractmethod
    def get(self, key: str) -> bytes:
        """The object's bytes; raises KeyError when it does not exist."""

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def delete(self, keys: list[str]) -> None: ...

    @abstractmethod
    def list(self, prefix: str = "") -> Iterator[StoredObject]: ...

    @abstractmethod
    def url(self, key: str) -> str:
        """Where a browser fetches the object."""

    # Conditional writes, for locks: S3's If-None-Match / If-Match on PUT.

    @abstractmethod
    def create(self, key: str, data: bytes, *, content_type: str) -> str | None:
        """Write ``key`` only if it does not exist: its version tag, or None when it already does."""

    @abstractmethod
    def read_versioned(self, key: str) -> Versioned:
        """The object's bytes, version tag and age; KeyError when it does not exist.

        The age is measured by the store (S3: the answer's Date minus Last-Modified), so that
        machines whose clocks disagree still agree on how old a lock is."""

    @abstractmethod
    def replace_if(self, key: str, data: bytes, version: str, *, content_type: str) -> str | None:
        """Overwrite ``key`` only if it is still at ``version``: the new version, or None when it changed."""

    def for_another_process(self) -> "ObjectStorage | None":
        """The same target for a forked upload process (its own connections), or None when
        uploading from several processes would not help (a local folder)."""
        return None

    @staticmethod
    def check_key(key: str) -> str:
        parts = key.split("/")
        # No backslash: some S3 servers (SeaweedFS) store "a\\b" as "a/b", a local folder on
        # Windows would too, and the manifest would then name a key that is not there.
        if (not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\\" in key
                or any(ord(c) < 32 or ord(c) == 127 for c in key)):
            raise ValueError(f"bad storage key {key!r}")
        return key
