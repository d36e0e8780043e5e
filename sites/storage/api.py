"""The storage interface shared by every adapter."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Iterator, NamedTuple

__all__ = ["ObjectStorage", "StoredObject"]


class StoredObject(NamedTuple):
    key: str
    size: int


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

    @staticmethod
    def check_key(key: str) -> str:
        parts = key.split("/")
        if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts):
            raise ValueError(f"bad storage key {key!r}")
        return key
