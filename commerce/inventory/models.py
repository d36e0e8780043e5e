from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from commerce.db import Base, UTCDateTime, utcnow

__all__ = ["Reservation", "Allocation"]


class Reservation(Base):
    """Units held for an open checkout until ``reserved_until``.

    Expired reservations are never swept: every availability query filters them out by time,
    so an abandoned checkout frees its units at the exact moment its reservation ends.

    ``client_key`` and ``user_id`` say whose hold it is (a keyed hash of the client's address,
    and the account when logged in), so that what one client holds can be capped
    (:mod:`commerce.inventory.reservations`).
    """

    __tablename__ = "reservations"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_reservations_variant_until", "variant_id", "reserved_until"),
        Index("ix_reservations_client_until", "client_key", "reserved_until"),
        Index("ix_reservations_user_until", "user_id", "reserved_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_id: Mapped[str] = mapped_column(ForeignKey("checkouts.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    quantity: Mapped[int]
    reserved_until: Mapped[datetime] = mapped_column(UTCDateTime)
    client_key: Mapped[str | None] = mapped_column(String(32), default=None)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


class Allocation(Base):
    """Units promised to an order line and still in the store.

    ``expires_at`` is set while the order awaits a bank transfer: once it passes, the units
    count as available again (the order expires) without any job having to run. When the goods
    leave the store the allocation is turned into a stock decrease.
    """

    __tablename__ = "allocations"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_allocations_variant", "variant_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id", ondelete="CASCADE"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    quantity: Mapped[int]
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
