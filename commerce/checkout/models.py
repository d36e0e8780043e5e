from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commerce.catalog.models import Variant
from commerce.db import Base, UTCDateTime, utcnow

__all__ = ["Checkout", "CheckoutLine", "IdempotencyRecord"]


class Checkout(Base):
    """An open cart. Its id is an unguessable token: knowing it is what lets a guest fill and
    complete it, so it is never listed anywhere (nor logged). A cart started while logged in
    belongs to that account alone.

    ``quoted_digest`` fingerprints the prices, quantities and fees of the last answer its buyer
    was given (:func:`commerce.checkout.summary.quote_digest`): the price lock."""

    __tablename__ = "checkouts"

    id: Mapped[str] = mapped_column(String(43), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, default=None)
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    phone: Mapped[str | None] = mapped_column(String(20), default=None)
    name: Mapped[str | None] = mapped_column(String(120), default=None)
    street: Mapped[str | None] = mapped_column(String(300), default=None)
    kecamatan_code: Mapped[str | None] = mapped_column(String(8), default=None)
    kelurahan_code: Mapped[str | None] = mapped_column(String(13), default=None)
    payment_method: Mapped[str | None] = mapped_column(String(20), default=None)
    delivery_json: Mapped[str] = mapped_column(Text, default="{}")  # {"<store_id>": "delivery"|"pickup"}
    quoted_digest: Mapped[str | None] = mapped_column(String(64), default=None)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lines: Mapped[list["CheckoutLine"]] = relationship(
        back_populates="checkout", order_by="CheckoutLine.id", cascade="all, delete-orphan", lazy="selectin"
    )


class CheckoutLine(Base):
    __tablename__ = "checkout_lines"
    __table_args__ = (
        UniqueConstraint("checkout_id", "variant_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_id: Mapped[str] = mapped_column(ForeignKey("checkouts.id", ondelete="CASCADE"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    quantity: Mapped[int]

    checkout: Mapped[Checkout] = relationship(back_populates="lines")
    variant: Mapped[Variant] = relationship(lazy="joined")


class IdempotencyRecord(Base):
    """The first answer to a completion request, replayed for the same Idempotency-Key.

    ``fingerprint`` is the SHA-256 of the checkout id and the request body, so the same key
    sent with a different request is recognised and refused.
    """

    __tablename__ = "idempotency_records"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    checkout_id: Mapped[str] = mapped_column(ForeignKey("checkouts.id", ondelete="CASCADE"))
    status_code: Mapped[int]
    response_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
