"""Ids and slugs in one parameter (``/products/42`` or ``/products/kerupuk-amplang``)."""

from __future__ import annotations

__all__ = ["MAX_ID", "as_id"]

MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL


def as_id(value: str | int) -> int | None:
    """The integer id ``value`` names, or None when it is a slug (or out of range)."""
    text = str(value).strip()
    if text.isascii() and text.isdigit() and len(text) <= 10 and 0 < int(text) <= MAX_ID:
        return int(text)
    return None
