"""The locking queries, alone and named.

Every use case that changes what is available (checkout reservations, order completion, POS
sales, stock edits) locks the variant rows it touches, always in ascending id order, so two
buyers can never both take the last unit and two transactions can never wait on each other in
a cycle. On SQLite the whole write transaction already holds the database's write lock
(:meth:`commerce.unit_of_work.UnitOfWork.begin_write`); FOR UPDATE is a no-op there.
"""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload, lazyload

from commerce.catalog.models import Product, Variant

__all__ = ["lock_variants"]


# Built once (expanding IN, cacheable). Each locked variant comes with its product and the
# product's store, which every caller checks or copies (is it for sale, the product name), in
# the same round trip; the product's other variants and images are not wanted here. Only the
# variant rows are locked (FOR UPDATE OF variants).
_LOCK = (
    select(Variant)
    .where(Variant.id.in_(bindparam("ids", expanding=True)))
    .order_by(Variant.id)
    .options(joinedload(Variant.product, innerjoin=True).options(lazyload(Product.variants), lazyload(Product.images)))
    .with_for_update(of=Variant)
    # populate_existing: rows read earlier in this session must show the locked, current values.
    .execution_options(populate_existing=True)
)


def lock_variants(session: Session, variant_ids: Iterable[int]) -> dict[int, Variant]:
    ids = sorted(set(variant_ids))
    if not ids:
        return {}
    return {v.id: v for v in session.scalars(_LOCK, {"ids": ids}).unique()}
