"""Readable, unique URL slugs (``kerupuk-amplang-samarinda``, then ``...-2`` on a clash)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from slugify import slugify

__all__ = ["unique_slug"]


def unique_slug(session: Session, column, text: str, *, max_length: int = 120) -> str:
    base = slugify(text, max_length=max_length, word_boundary=True) or "item"
    taken = set(session.scalars(select(column).where(column.like(f"{base}%"))))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
