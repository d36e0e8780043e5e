from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commerce.db import Base, UTCDateTime, utcnow

__all__ = ["PosSale", "PosSaleLine"]


class PosSale(Base):
    __tablename__ = "pos_sales"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    receipt_number: Mapped[str | None] = mapped_column(String(40), unique=True, default=None)
    payment: Mapped[str] = mapped_column(String(10))  # cash | qris | transfer
    total: Mapped[int]
    cashier_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

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
