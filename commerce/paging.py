"""Opaque keyset cursors for every list in the API (never offsets: pages stay stable while
sellers add products, and deep pages cost the same as the first)."""

from __future__ import annotations

import base64
import json
from typing import Callable, NamedTuple

from sqlalchemy import Select
from sqlalchemy.orm import Session

from commerce.errors import InvalidInput
from commerce.keys import MAX_ID

__all__ = ["encode_cursor", "decode_cursor", "decode_position", "Page", "keyset_page"]


def encode_cursor(position: dict) -> str:
    raw = json.dumps(position, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, *, keys: tuple[str, ...] = ("id",)) -> dict | None:
    # Positions are row ids; anything outside the id range is no cursor we made, and
    # PostgreSQL would refuse to compare it with an integer column.
    return decode_position(cursor, lambda position: set(position) == set(keys) and all(
        type(position[k]) is int and 0 < position[k] <= MAX_ID for k in keys))


def decode_position(cursor: str | None, valid: Callable[[dict], bool]) -> dict | None:
    """The position a cursor encodes, if ``valid`` accepts it; a 422 naming ``cursor`` if not."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        position = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(position, dict) or not valid(position):
            raise ValueError
    except (ValueError, UnicodeError, json.JSONDecodeError):
        raise InvalidInput.field("cursor", "Cursor tidak valid; gunakan next_cursor dari halaman sebelumnya.")
    return position


class Page(NamedTuple):
    items: list
    next_cursor: str | None


def keyset_page(session: Session, query: Select, id_column, *, cursor: str | None, limit: int) -> Page:
    """Newest first by ``id_column``; fetch one extra row to know whether a next page exists."""
    position = decode_cursor(cursor)
    if position:
        query = query.where(id_column < position["id"])
    rows = list(session.scalars(query.order_by(id_column.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor({"id": rows[-1].id}) if more else None)
