"""The outbox: changes that must cause work elsewhere, recorded in the same transaction as the
change itself (ARCHITECTURE.md, background work).

A seller's edit and the note "the storefront must show this" commit together or not at all,
so a crash between the commit and handing the work to the worker loses nothing: the worker
handles every row it has not marked handled, and handling twice is harmless (each handler is
idempotent: a page rebuilt twice is the same page).

Topics and what they name (``ref_id``):

=========================  ==========  ===============================================
topic                      ref_id      handled by
=========================  ==========  ===============================================
``catalog.product``        product id  the storefront (its product, store, category pages)
``catalog.store``          store id    the storefront (the store's pages, all its products)
=========================  ==========  ===============================================
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, select, update
from sqlalchemy.orm import Mapped, mapped_column

from commerce.bulk import insert_rows
from commerce.db import Base, UTCDateTime, utcnow
from commerce.unit_of_work import UnitOfWork

__all__ = ["OutboxEvent", "record", "pending", "mark_handled", "PRODUCT_CHANGED", "STORE_CHANGED"]

PRODUCT_CHANGED = "catalog.product"
STORE_CHANGED = "catalog.store"


class OutboxEvent(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_handled_id", "handled_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(40))
    ref_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


def record(uow: UnitOfWork, topic: str, ref_id: int) -> None:
    """Note, in the use case's open transaction, that ``ref_id`` changed under ``topic``."""
    insert_rows(uow.session, OutboxEvent, [dict(topic=topic, ref_id=ref_id, created_at=utcnow())])
    uow.outbox_written = True


def pending(uow: UnitOfWork, topics: tuple[str, ...], *, limit: int = 1000) -> list[OutboxEvent]:
    """Unhandled events of these topics, oldest first."""
    return list(uow.session.scalars(
        select(OutboxEvent).where(OutboxEvent.handled_at.is_(None), OutboxEvent.topic.in_(topics))
        .order_by(OutboxEvent.id).limit(limit)))


def mark_handled(uow: UnitOfWork, event_ids: list[int]) -> None:
    if event_ids:
        uow.session.execute(update(OutboxEvent).where(OutboxEvent.id.in_(event_ids)).values(handled_at=utcnow()))
