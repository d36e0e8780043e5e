"""What a checkout amounts to: its parts per store, their totals, and what is still available.

A summary is computed inside the use case's transaction, from rows the use case has already
loaded, so that answering a checkout request costs no second transaction and no extra round
trips: the checkout's lines come with their variant, product and store; the delivery fees of
every store in the cart come in one query; availability comes from the hold counts the
reservation step already read under its lock.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from datetime import datetime
from typing import NamedTuple

from commerce.checkout.models import Checkout, CheckoutLine
from commerce.inventory.availability import held_quantities
from commerce.inventory.reservations import Holds, own_holds
from commerce.stores.delivery import delivery_fees
from commerce.stores.models import Store
from commerce.unit_of_work import UnitOfWork

__all__ = ["StoreTotals", "CheckoutSummary", "store_delivery", "store_totals", "delivery_fees_for", "summarise",
           "quote_digest"]


class StoreTotals(NamedTuple):
    """One store's part of a cart: what becomes one order."""

    store: Store
    lines: list[CheckoutLine]
    delivery: str  # delivery | pickup
    items_total: int
    delivery_fee: int  # 0 for pickup, and while the destination is not known yet

    @property
    def total(self) -> int:
        return self.items_total + self.delivery_fee


class CheckoutSummary(NamedTuple):
    """A checkout as its buyer sees it; ``available`` counts this checkout's own hold as taken."""

    checkout: Checkout
    stores: list[StoreTotals]
    available: dict[int, int]  # variant id -> units anyone could still add
    reserved_until: datetime | None  # when this cart's holds end; None when it holds nothing
    reserved: dict[int, int]  # variant id -> units held for this cart (may be fewer than asked)

    @property
    def items_total(self) -> int:
        return sum(part.items_total for part in self.stores)

    @property
    def delivery_total(self) -> int:
        return sum(part.delivery_fee for part in self.stores)

    @property
    def total(self) -> int:
        return self.items_total + self.delivery_total


def store_delivery(checkout: Checkout) -> dict[int, str]:
    """The delivery choice per store in the cart: the buyer's, else delivery where the store
    delivers and pickup where it only takes pickups."""
    choices = json.loads(checkout.delivery_json)
    return {
        line.store_id: choices.get(str(line.store_id),
                                   "delivery" if line.variant.product.store.offers_delivery else "pickup")
        for line in checkout.lines
    }


def delivery_fees_for(uow: UnitOfWork, checkout: Checkout) -> dict[int, int]:
    """The delivery fee of every store the buyer wants delivery from (by store id), in one
    query; none while the destination is unknown."""
    delivery = store_delivery(checkout)
    stores = {line.store_id: line.variant.product.store for line in checkout.lines if delivery[line.store_id] == "delivery"}
    if not checkout.kecamatan_code or not stores:
        return {}
    return delivery_fees(uow, list(stores.values()), checkout.kecamatan_code)


def store_totals(uow: UnitOfWork, checkout: Checkout, *, fees: dict[int, int] | None = None) -> list[StoreTotals]:
    """The cart split per store (ascending store id), with items total and delivery fee."""
    by_store: dict[int, list[CheckoutLine]] = defaultdict(list)
    for line in checkout.lines:
        by_store[line.store_id].append(line)
    delivery = store_delivery(checkout)
    stores = {store_id: lines[0].variant.product.store for store_id, lines in by_store.items()}
    if fees is None:
        fees = delivery_fees_for(uow, checkout)
    return [
        StoreTotals(
            stores[store_id], by_store[store_id], delivery[store_id],
            sum(line.variant.price * line.quantity for line in by_store[store_id]), fees.get(store_id, 0),
        )
        for store_id in sorted(by_store)
    ]


def quote_digest(parts: list[StoreTotals]) -> str:
    """A fingerprint of every price, quantity and fee a buyer was shown: the price lock.

    Completion compares it with the one recorded when the buyer last saw the checkout; if any
    of them changed since, the buyer is shown the new totals before anything is placed.
    """
    shown = [
        [part.store.id, part.delivery, part.delivery_fee,
         [[line.variant_id, line.quantity, line.variant.price] for line in part.lines]]
        for part in parts
    ]
    return hashlib.sha256(json.dumps(shown, separators=(",", ":")).encode()).hexdigest()


def summarise(
    uow: UnitOfWork, checkout: Checkout, *, now: datetime, holds: Holds | None = None,
    fees: dict[int, int] | None = None, parts: list[StoreTotals] | None = None,
) -> CheckoutSummary:
    """The checkout's summary; pass what the caller already knows to save the queries.

    ``holds`` is what :func:`commerce.inventory.reservations.hold_units` just did for this
    checkout, ``fees`` what :func:`delivery_fees_for` returned, ``parts`` what
    :func:`store_totals` did. With ``holds`` and either of the others the summary reads
    nothing, so it can be made after the commit.
    """
    if holds is None:
        variant_ids = [line.variant_id for line in checkout.lines]
        held_by_others = held_quantities(uow.session, variant_ids, now=now, except_checkout=checkout.id)
        reserved, until = ({}, None) if checkout.completed_at else own_holds(uow.session, checkout.id, now=now)
        holds = Holds(held_by_others, reserved, until)
    available = {
        line.variant_id: max(line.variant.stock - holds.held_by_others.get(line.variant_id, 0)
                             - holds.reserved.get(line.variant_id, 0), 0)
        for line in checkout.lines
    }
    if parts is None:
        parts = store_totals(uow, checkout, fees=fees)
    return CheckoutSummary(checkout, parts, available, holds.until, holds.reserved)
