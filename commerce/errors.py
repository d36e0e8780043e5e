"""Domain errors. The API maps each class to one HTTP status; the CLI prints the message.

Messages are written for the person who sent the request (in Bahasa Indonesia where a citizen
reads them), and never contain secrets.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "CommerceError",
    "FieldError",
    "InvalidInput",
    "NotFound",
    "NotAllowed",
    "NotAuthenticated",
    "Conflict",
]


class FieldError(NamedTuple):
    field: str
    message: str


class CommerceError(Exception):
    """Base class; ``title`` is the short summary, the message is the detail."""

    title = "Permintaan tidak dapat diproses"

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class InvalidInput(CommerceError):
    """The request is well-formed but a value is not acceptable (unknown kelurahan, ...)."""

    title = "Data tidak valid"

    @classmethod
    def field(cls, field: str, message: str) -> "InvalidInput":
        return cls(message, errors=[FieldError(field, message)])


class NotFound(CommerceError):
    title = "Tidak ditemukan"


class NotAuthenticated(CommerceError):
    title = "Perlu masuk"


class NotAllowed(CommerceError):
    """The caller is known but may not do this, e.g. touching another seller's store."""

    title = "Tidak diizinkan"


class Conflict(CommerceError):
    """The request clashes with the current state: a duplicate SKU, an email already used."""

    title = "Konflik dengan data yang ada"
