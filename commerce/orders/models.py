from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commerce.db import Base, UTCDateTime, utcnow
from commerce.stores.models import Store

__all__ = ["Order", "OrderLine", "OrderStatusChange", "Payment", "is_pending_amount_clash"]


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_store_id_id", "store_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(32), unique=True, default=None)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    checkout_id: Mapped[str] = mapped_column(ForeignKey("checkouts.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, default=None)
    token_hash: Mapped[str] = mapped_column(String(64))  # the buyer's tracking token, hashed
    status: Mapped[str] = mapped_column(String(20))
    payment_method: Mapped[str] = mapped_column(String(20))
    payment_status: Mapped[str] = mapped_column(String(12), default="unpaid")  # unpaid | paid
    payment_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    delivery_method: Mapped[str] = mapped_column(String(10))  # delivery | pickup
    items_total: Mapped[int]
    delivery_fee: Mapped[int]
    total: Mapped[int]
    buyer_name: Mapped[str] = mapped_column(String(120))
    buyer_email: Mapped[str] = mapped_column(String(254))
    buyer_phone: Mapped[str] = mapped_column(String(20))
    street: Mapped[str | None] = mapped_column(String(300), default=None)
    kecamatan_code: Mapped[str | None] = mapped_column(String(8), default=None)
    kelurahan_code: Mapped[str | None] = mapped_column(String(13), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    store: Mapped[Store] = relationship(lazy="joined")
    lines: Mapped[list["OrderLine"]] = relationship(order_by="OrderLine.id", lazy="selectin", cascade="all, delete-orphan")
    history: Mapped[list["OrderStatusChange"]] = relationship(
        order_by="OrderStatusChange.id", lazy="selectin", cascade="all, delete-orphan"
    )
    payments: Mapped[list["Payment"]] = relationship(order_by="Payment.id", lazy="selectin", cascade="all, delete-orphan")


class OrderLine(Base):
    """What was bought, copied at the time of purchase (the product may change later)."""

    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    product_name: Mapped[str] = mapped_column(String(160))
    variant_name: Mapped[str] = mapped_column(String(120))
    sku: Mapped[str] = mapped_column(String(64))
    unit_price: Mapped[int]
    quantity: Mapped[int]
    total: Mapped[int]


class OrderStatusChange(Base):
    __tablename__ = "order_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(20))  # buyer | seller | admin | system | provider
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    note: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


PENDING_AMOUNT_INDEX = "uq_payments_pending_transfer_amount"
_PENDING_TRANSFER = text("method = 'bank_transfer' AND status = 'pending'")


class Payment(Base):
    """One payment attempt for one order, by one provider (cod, bank_transfer, stripe)."""

    __tablename__ = "payments"
    # A pending bank transfer is recognised by its amount alone (commerce.payments.bank_transfer),
    # so no two may ask for the same amount on the same account. The database holds that line
    # even when two completions choose their unique codes at the same moment.
    __table_args__ = (
        Index(PENDING_AMOUNT_INDEX, "reference", "amount", unique=True,
              postgresql_where=_PENDING_TRANSFER, sqlite_where=_PENDING_TRANSFER),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending | paid | failed | cancelled
    amount: Mapped[int]  # rupiah to pay, including a bank transfer's identifying unique code
    # bank transfer: the receiving account number; stripe: the PaymentIntent id
    reference: Mapped[str | None] = mapped_column(String(100), default=None)
    instructions_json: Mapped[str] = mapped_column(String(2000), default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


def is_pending_amount_clash(error: IntegrityError) -> bool:
    """Whether an INSERT into payments broke the unique amount of pending bank transfers."""
    diag = getattr(error.orig, "diag", None)  # psycopg names the constraint
    if diag is not None and getattr(diag, "constraint_name", None):
        return diag.constraint_name == PENDING_AMOUNT_INDEX
    # SQLite names the index's columns instead
    return "UNIQUE constraint failed: payments.reference, payments.amount" in str(error.orig)
