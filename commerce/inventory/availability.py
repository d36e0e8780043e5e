"""How many units of a variant a buyer can still have.

available = stock − live allocations − live reservations of other checkouts

"Live" is decided by time at the moment of the query; nothing has to sweep expired rows for
the number to be right. A seller's point-of-sale sale counts only the allocations (units
promised to placed orders): the shop's own counter is not held up by other people's carts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlalchemy import bindparam, func, or_, select, union_all
from sqlalchemy.orm import Session

from commerce.catalog.models import Variant
from commerce.db import utcnow
from commerce.inventory.models import Allocation, Reservation

__all__ = ["availability", "held_quantities", "PROMISED", "IN_OTHER_CARTS"]


# Built once: this runs for every product list and detail page and for every checkout step,
# and building a select() with an IN of literal ids costs more than running it. Expanding bind
# parameters keep the statement cacheable; one UNION ALL saves a round trip per call.
PROMISED = (
    select(Allocation.variant_id, func.sum(Allocation.quantity))
    .where(Allocation.variant_id.in_(bindparam("ids", expanding=True)),
           or_(Allocation.expires_at.is_(None), Allocation.expires_at > bindparam("now")))
    .group_by(Allocation.variant_id)
)
IN_OTHER_CARTS = (
    select(Reservation.variant_id, func.sum(Reservation.quantity))
    .where(Reservation.variant_id.in_(bindparam("ids", expanding=True)), Reservation.reserved_until > bindparam("now"),
           Reservation.checkout_id != bindparam("except_checkout"))
    .group_by(Reservation.variant_id)
)
_HELD = union_all(PROMISED, IN_OTHER_CARTS)


def held_quantities(
    session: Session, variant_ids: Iterable[int], *, now: datetime, except_checkout: str | None = None,
    carts: bool = True,
) -> dict[int, int]:
    """Units held per variant by live allocations and (unless ``carts`` is false) by the live
    reservations of checkouts other than ``except_checkout``."""
    ids = list(set(variant_ids))
    held = dict.fromkeys(ids, 0)
    if not ids:
        return held
    # "" is never a checkout id (they are 43-character tokens), so it excludes nothing.
    params = {"ids": ids, "now": now, "except_checkout": except_checkout or ""}
    for variant_id, quantity in session.execute(_HELD if carts else PROMISED, params):
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
