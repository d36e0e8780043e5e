"""Taking units: the checks every sale path shares (online checkout and point of sale)."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy.orm import Session

from commerce.catalog.models import Variant
from commerce.errors import InvalidInput, OutOfStock, Shortage
from commerce.inventory.availability import held_quantities

__all__ = ["LineRequest", "merge_lines", "ensure_available", "check_shortages", "MAX_LINES", "MAX_QUANTITY"]

MAX_LINES = 50
MAX_QUANTITY = 999


class LineRequest(NamedTuple):
    variant_id: int
    quantity: int


def merge_lines(lines: list[LineRequest]) -> list[LineRequest]:
    """Validate quantities and fold repeated variants into one line (first position kept)."""
    if not lines:
        raise InvalidInput.field("lines", "Minimal satu barang.")
    if len(lines) > MAX_LINES:
        raise InvalidInput.field("lines", f"Maksimal {MAX_LINES} baris.")
    merged: dict[int, int] = {}
    for i, line in enumerate(lines):
        if not 1 <= line.quantity <= MAX_QUANTITY:
            raise InvalidInput.field(f"lines.{i}.quantity", f"Jumlah harus 1 sampai {MAX_QUANTITY}.")
        merged[line.variant_id] = merged.get(line.variant_id, 0) + line.quantity
    return [LineRequest(v, q) for v, q in merged.items()]


def ensure_available(
    session: Session, variants: dict[int, Variant], lines: list[LineRequest], *, now: datetime,
    except_checkout: str | None = None, carts: bool = True,
) -> dict[int, int]:
    """Raise :class:`OutOfStock` naming every line that asks for more than is available.

    The variants must have been locked by the caller (:func:`lock_variants`) in this transaction.
    ``carts=False`` (the point of sale) ignores open checkouts' reservations.
    Returns the units held by others per variant, which the caller may reuse for its answer.
    """
    held = held_quantities(session, [line.variant_id for line in lines], now=now, except_checkout=except_checkout,
                           carts=carts)
    return check_shortages(variants, lines, held)


def check_shortages(variants: dict[int, Variant], lines: list[LineRequest], held: dict[int, int]) -> dict[int, int]:
    """Raise :class:`OutOfStock` for the lines asking more than stock minus ``held``."""
    shortages = []
    for i, line in enumerate(lines):
        available = max(variants[line.variant_id].stock - held[line.variant_id], 0)
        if line.quantity > available:
            shortages.append(Shortage(i, line.variant_id, line.quantity, available))
    if shortages:
        raise OutOfStock(shortages)
    return held
