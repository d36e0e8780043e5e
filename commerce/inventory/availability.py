"""How many units of a variant a buyer can still have.

available = stock − live allocations − live reservations of other checkouts

"Live" is decided by time at the moment of the query; nothing has to sweep expired rows for
the number to be right.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from commerce.catalog.models import Variant
from commerce.db import utcnow
from commerce.inventory.models import Allocation, Reservation

__all__ = ["availability", "held_quantities"]


def held_quantities(
    session: Session, variant_ids: Iterable[int], *, now: datetime, except_checkout: str | None = None
) -> dict[int, int]:
    """Units held per variant by live allocations and live reservations."""
    ids = list(set(variant_ids))
    held = dict.fromkeys(ids, 0)
    if not ids:
        return held
    allocated = (
        select(Allocation.variant_id, func.sum(Allocation.quantity))
        .where(Allocation.variant_id.in_(ids), or_(Allocation.expires_at.is_(None), Allocation.expires_at > now))
        .group_by(Allocation.variant_id)
    )
    reserved = (
        select(Reservation.variant_id, func.sum(Reservation.quantity))
        .where(Reservation.variant_id.in_(ids), Reservation.reserved_until > now)
        .group_by(Reservation.variant_id)
    )
    if except_checkout is not None:
        reserved = reserved.where(Reservation.checkout_id != except_checkout)
    for query in (allocated, reserved):
        for variant_id, quantity in session.execute(query):
            held[variant_id] += int(quantity or 0)
    return held


def availability(
    session: Session,
    variants: Iterable[Variant],
    *,
    now: datetime | None = None,
    except_checkout: str | None = None,
) -> dict[int, int]:
    """Available units per variant id (never below zero)."""
    variants = list(variants)
    held = held_quantities(
        session, [v.id for v in variants], now=now or utcnow(), except_checkout=except_checkout
    )
    return {v.id: max(v.stock - held[v.id], 0) for v in variants}
