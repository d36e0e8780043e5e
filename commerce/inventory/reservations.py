"""Holding units for open carts, in a way nobody can turn into a weapon.

A reservation keeps units for a buyer who is filling in a checkout, so that nobody takes them
meanwhile. Left unbounded, that is also the cheapest attack on a marketplace: a few anonymous
carts asking for everything hold the whole catalogue, and nobody (not even the seller's own
counter) can sell. So what a cart holds is bounded, and a cart that cannot hold all its lines
still exists and can still be completed while the units are there; it is only not protected.

The rules (:class:`HoldPolicy`; the README's "How the marketplace keeps its promises" says
the same to people):

1. **Carts together hold at most 80 % of a variant's units not yet promised to orders**
   (rounded down). The rest is sold to whoever completes an order first, so however many
   addresses an attacker has, every product with stock can still be bought. A single unit is
   never held: the first buyer to pay gets it.
2. **One client holds at most half of those units** (rounded up) **and at most 100 units in
   all** across its open carts. A client is the buyer's account when they are logged in,
   and always also the address the request came from, so neither many accounts behind one
   address nor one account from many addresses gets more.
3. **A hold lasts 15 minutes from the cart's last change of lines, and never beyond 30 minutes
   after the cart was started.** Changing the lines again does not renew a cart for ever.
4. The point of sale ignores carts (see :mod:`commerce.inventory.availability`).

Rate limits on starting and changing checkouts live in the API (per client address).

Every number is checked with the variant rows locked (:mod:`commerce.inventory.lock_objects`),
so two carts racing for the last holdable units cannot both get them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from math import ceil
from typing import NamedTuple

from sqlalchemy import bindparam, func, literal_column, or_, select, union_all
from sqlalchemy.orm import Session

from commerce.bulk import insert_rows
from commerce.catalog.models import Variant
from commerce.inventory.availability import IN_OTHER_CARTS, PROMISED
from commerce.inventory.management import LineRequest, check_shortages
from commerce.inventory.models import Reservation

__all__ = ["HoldPolicy", "Holder", "Holds", "hold_units", "own_holds", "ANONYMOUS"]


class HoldPolicy(NamedTuple):
    """How much an open cart may hold, and for how long."""

    ttl: timedelta = timedelta(minutes=15)  # from the cart's last change of lines
    max_age: timedelta = timedelta(minutes=30)  # from the cart's start: no hold lasts beyond it
    carts_percent: int = 80  # of a variant's unpromised units, all carts together (rounded down)
    client_percent: int = 50  # of a variant's unpromised units, one client's carts together (rounded up)
    client_units: int = 100  # in all one client's carts, every variant together

    def until(self, *, started: datetime, now: datetime) -> datetime:
        return min(now + self.ttl, started + self.max_age)


class Holder(NamedTuple):
    """Who a cart's holds count against: the client's address (a keyed hash, never the address
    itself) and, when logged in, the account."""

    client_key: str | None
    user_id: int | None = None


ANONYMOUS = Holder(None, None)


class Holds(NamedTuple):
    """What a hold step found and did, for the checkout's answer."""

    held_by_others: dict[int, int]  # variant id -> units of live allocations and other carts' holds
    reserved: dict[int, int]  # variant id -> units this cart now holds
    until: datetime | None  # when this cart's holds end; None when it holds nothing


# One round trip under the lock: the units promised to orders and held by other carts per
# variant of this cart (as availability counts them), and every live hold of this cart's client
# in its other carts, whatever the variant (their sum is what rule 2 caps). Built once.
_CLIENT = (
    select(Reservation.variant_id, func.sum(Reservation.quantity))
    .where(Reservation.reserved_until > bindparam("now"), Reservation.checkout_id != bindparam("except_checkout"),
           or_(Reservation.client_key == bindparam("client_key"), Reservation.user_id == bindparam("user_id")))
    .group_by(Reservation.variant_id)
)
_HOLD_CHECK = union_all(
    PROMISED.add_columns(literal_column("'promised'")),
    IN_OTHER_CARTS.add_columns(literal_column("'carts'")),
    _CLIENT.add_columns(literal_column("'client'")),
)


def _counts(session: Session, ids: list[int], *, checkout_id: str, holder: Holder, now: datetime):
    promised, carts, client = (dict.fromkeys(ids, 0) for _ in range(3))
    into = {"promised": promised, "carts": carts, "client": client}
    # "" and -1 match no reservation: an anonymous request from an unknown address counts
    # against nobody's holds but its own cart's.
    params = {"ids": ids, "now": now, "except_checkout": checkout_id,
              "client_key": holder.client_key or "", "user_id": holder.user_id or -1}
    for variant_id, quantity, kind in session.execute(_HOLD_CHECK, params):
        into[kind][variant_id] = into[kind].get(variant_id, 0) + int(quantity or 0)
    return promised, carts, client


def hold_units(
    session: Session, *, checkout_id: str, started: datetime, variants: dict[int, Variant],
    lines: list[LineRequest], holder: Holder, policy: HoldPolicy, now: datetime,
) -> Holds:
    """Check every line against what is available and hold what the policy allows.

    The variants must be locked by the caller, and the cart's own earlier reservations
    deleted. Raises :class:`~commerce.errors.OutOfStock` for lines asking more than is
    available (a cart never contains more than could be bought); lines that cannot be held in
    full are held in part or not at all.
    """
    ids = [line.variant_id for line in lines]
    promised, carts, client = _counts(session, ids, checkout_id=checkout_id, holder=holder, now=now)
    held_by_others = {v: promised[v] + carts[v] for v in ids}
    check_shortages(variants, lines, held_by_others)

    until = policy.until(started=started, now=now)
    client_left = policy.client_units - sum(client.values())
    reserved: dict[int, int] = {}
    for line in lines:
        if until <= now or client_left <= 0:
            break
        unpromised = variants[line.variant_id].stock - promised[line.variant_id]
        carts_left = unpromised * policy.carts_percent // 100 - carts[line.variant_id]
        client_variant_left = ceil(unpromised * policy.client_percent / 100) - client.get(line.variant_id, 0)
        units = min(line.quantity, carts_left, client_variant_left, client_left)
        if units > 0:
            reserved[line.variant_id] = units
            client_left -= units
    insert_rows(session, Reservation, [
        dict(checkout_id=checkout_id, variant_id=variant_id, quantity=units, reserved_until=until,
             client_key=holder.client_key, user_id=holder.user_id)
        for variant_id, units in reserved.items()
    ])
    return Holds(held_by_others, reserved, until if reserved else None)


_OWN = select(Reservation.variant_id, Reservation.quantity, Reservation.reserved_until).where(
    Reservation.checkout_id == bindparam("checkout_id"))


def own_holds(session: Session, checkout_id: str, *, now: datetime) -> tuple[dict[int, int], datetime | None]:
    """What a cart holds now (variant id -> units) and until when; nothing once it has ended."""
    reserved, until = {}, None
    for variant_id, quantity, reserved_until in session.execute(_OWN, {"checkout_id": checkout_id}):
        if reserved_until > now:
            reserved[variant_id] = quantity
            until = reserved_until
    return reserved, until
