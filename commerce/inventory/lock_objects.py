"""The locking queries, alone and named.

Every use case that changes what is available (checkout reservations, order completion, POS
sales, stock edits) locks the variant rows it touches, always in ascending id order, so two
buyers can never both take the last unit and two transactions can never wait on each other in
a cycle. On SQLite the whole write transaction already holds the database's write lock
(:meth:`commerce.unit_of_work.UnitOfWork.begin_write`); FOR UPDATE is a no-op there.

The lock is ``FOR NO KEY UPDATE``, the lock PostgreSQL's own UPDATE of a non-key column takes:
it excludes every other stock lock, but not the ``FOR KEY SHARE`` lock a foreign-key check
takes on the referenced variant. That is what lets a use case insert its checkout lines or
order lines *before* it locks the stock (so the lock is held for less time) without two such
transactions deadlocking: with ``FOR UPDATE`` each would wait for the other's key-share lock.
"""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, defaultload, defer, joinedload, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from commerce.catalog.models import Product, Variant
from commerce.stores.models import Store

__all__ = ["STOCK_LOCK", "CART_PRODUCT", "load_variants", "lock_variants", "lock_stock"]


# How a product is loaded with a variant in a cart, at checkout or at a sale: its store
# (joined, as the model says), none of its other variants and images, and neither its
# description nor its store's, which can be long and which no cart shows.
CART_PRODUCT = (lazyload(Product.variants), lazyload(Product.images), defer(Product.description),
                defaultload(Product.store).defer(Store.description))

# Built once (expanding IN, cacheable). Each variant comes with its product and the product's
# store, which every caller checks or copies (is it for sale, the product name), in the same
# round trip; the product's other variants and images are not wanted here.
_VARIANTS = (
    select(Variant)
    .where(Variant.id.in_(bindparam("ids", expanding=True)))
    .order_by(Variant.id)
    .options(joinedload(Variant.product, innerjoin=True).options(*CART_PRODUCT))
    # populate_existing: rows read earlier in this session must show the current values.
    .execution_options(populate_existing=True)
)
# FOR NO KEY UPDATE, in SQLAlchemy's words; for every stock lock, including session.get().
STOCK_LOCK = {"key_share": True}
# Only the variant rows are locked (OF variants), not their products and stores.
_LOCK = _VARIANTS.with_for_update(of=Variant, **STOCK_LOCK)
# The lock alone, for variants already loaded: no ORM loading while other buyers wait.
_LOCK_STOCK = (
    select(Variant.id, Variant.stock)
    .where(Variant.id.in_(bindparam("ids", expanding=True)))
    .order_by(Variant.id)
    .with_for_update(**STOCK_LOCK)
)


def _variants(session: Session, statement, variant_ids: Iterable[int]) -> dict[int, Variant]:
    ids = sorted(set(variant_ids))
    if not ids:
        return {}
    return {v.id: v for v in session.scalars(statement, {"ids": ids}).unique()}


def load_variants(session: Session, variant_ids: Iterable[int]) -> dict[int, Variant]:
    """The variants with their product and store, without locking them."""
    return _variants(session, _VARIANTS, variant_ids)


def lock_variants(session: Session, variant_ids: Iterable[int]) -> dict[int, Variant]:
    """Load and lock the variants (with their product and store) in one statement."""
    return _variants(session, _LOCK, variant_ids)


def lock_stock(session: Session, variants: dict[int, Variant]) -> None:
    """Lock the rows of variants this session has already loaded, and refresh their stock.

    The stock read under the lock replaces the loaded value without marking the object
    changed, so availability is computed from the locked row. Variants are never deleted, so
    every loaded row is found.
    """
    if not variants:
        return
    for variant_id, stock in session.execute(_LOCK_STOCK, {"ids": sorted(variants)}):
        set_committed_value(variants[variant_id], "stock", stock)
