"""The small interfaces the signer needs from the outside, implemented elsewhere.

The app factory wires :class:`DocumentStore` to the platform's object storage (a local folder or
S3); a :class:`UnitOfWork` is the platform's transaction around one use case. ``signer`` never
imports those implementations.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable, Protocol

from sqlalchemy.orm import Session

__all__ = ["DocumentStore", "UnitOfWork", "Clock", "system_clock", "document_key"]


class DocumentStore(Protocol):
    def put(self, key: str, data: bytes, *, content_type: str) -> None: ...

    def get(self, key: str) -> bytes: ...


class UnitOfWork(Protocol):
    session: Session

    def commit(self) -> None: ...

    def begin_write(self) -> None: ...


Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


def document_key(sha256: str) -> str:
    """Content-addressed: a version is written once and never changes."""
    return f"signatures/{sha256[:2]}/{sha256}.pdf"
