from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commerce.db import Base, UTCDateTime, utcnow

__all__ = ["PosSale", "PosSaleLine"]


class PosSale(Base):
    """A sale at the store's own counter. Never deleted: a sale entered by mistake is voided,
    with its reason, and its units return to the stock.

    ``idempotency_key`` is the cashier's device's name for the sale: a sale sent again (a
    tablet that lost its connection and retries from its queue) is the same sale, once."""

    __tablename__ = "pos_sales"
    __table_args__ = (UniqueConstraint("store_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    receipt_number: Mapped[str | None] = mapped_column(String(40), unique=True, default=None)
    payment: Mapped[str] = mapped_column(String(10))  # cash | qris | transfer
    total: Mapped[int]
    cashier_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), default=None)
    cash_received: Mapped[int | None] = mapped_column(default=None)  # cash: what the buyer handed over
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    void_reason: Mapped[str | None] = mapped_column(String(300), default=None)
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    @property
    def change_due(self) -> int | None:
        return None if self.cash_received is None else self.cash_received - self.total

    lines: Mapped[list["PosSaleLine"]] = relationship(order_by="PosSaleLine.id", lazy="selectin", cascade="all, delete-orphan")


class PosSaleLine(Base):
    __tablename__ = "pos_sale_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("pos_sales.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    product_name: Mapped[str] = mapped_column(String(160))
    variant_name: Mapped[str] = mapped_column(String(120))
    unit_price: Mapped[int]
    quantity: Mapped[int]
    total: Mapped[int]
