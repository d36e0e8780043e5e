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
    "OutOfStock",
    "Shortage",
]


class FieldError(NamedTuple):
    field: str
    message: str


class CommerceError(Exception):
    """Base class; ``title`` is the short summary, the message is the detail."""

    title = "Permintaan tidak dapat diproses"

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None, extensions: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        # Extra members of the problem document (RFC 9457 allows them), e.g. per-line stock.
        self.extensions = extensions or {}


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


class Shortage(NamedTuple):
    line: int  # index of the line in the request
    variant_id: int
    requested: int
    available: int


class OutOfStock(Conflict):
    """Some lines ask for more than can be had; ``shortages`` says what is available per line."""

    title = "Stok tidak cukup"

    def __init__(self, shortages: list[Shortage], *, field_prefix: str = "lines"):
        errors = [
            FieldError(
                f"{field_prefix}.{s.line}.quantity",
                f"Varian {s.variant_id}: diminta {s.requested}, tersedia {s.available}."
                if s.available else f"Varian {s.variant_id} sudah habis.",
            )
            for s in shortages
        ]
        super().__init__(
            "Stok tidak cukup untuk sebagian barang; lihat 'lines' untuk jumlah yang tersedia.",
            errors=errors,
            extensions={"lines": [s._asdict() for s in shortages]},
        )
        self.shortages = shortages
