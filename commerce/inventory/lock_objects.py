"""The locking queries, alone and named.

Every use case that changes what is available (checkout reservations, order completion, POS
sales, stock edits) locks the variant rows it touches, always in ascending id order, so two
buyers can never both take the last unit and two transactions can never wait on each other in
a cycle. On SQLite the whole write transaction already holds the database's write lock
(:meth:`commerce.unit_of_work.UnitOfWork.begin_write`); FOR UPDATE is a no-op there.
"""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from commerce.catalog.models import Variant

__all__ = ["lock_variants"]


def lock_variants(session: Session, variant_ids: Iterable[int]) -> dict[int, Variant]:
    ids = sorted(set(variant_ids))
    if not ids:
        return {}
    query = select(Variant).where(Variant.id.in_(ids)).order_by(Variant.id).with_for_update()
    # populate_existing: rows read earlier in this session must show the locked, current values.
    rows = session.scalars(query.execution_options(populate_existing=True))
    return {v.id: v for v in rows}
