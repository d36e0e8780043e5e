from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commerce.accounts.models import User
from commerce.db import Base, UTCDateTime, utcnow

__all__ = ["Store", "DeliveryFee", "STORE_STATUSES"]

STORE_STATUSES = ("pending", "approved", "suspended")


class Store(Base):
    __tablename__ = "stores"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    description: Mapped[str] = mapped_column(String(2000), default="")
    kecamatan_code: Mapped[str] = mapped_column(String(8), index=True)
    kelurahan_code: Mapped[str] = mapped_column(String(13))
    address: Mapped[str] = mapped_column(String(300))
    phone: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Where buyers send a bank transfer; when empty, the city's collection account is used.
    bank_name: Mapped[str | None] = mapped_column(String(60), default=None)
    bank_account_number: Mapped[str | None] = mapped_column(String(30), default=None)
    bank_account_name: Mapped[str | None] = mapped_column(String(120), default=None)
    # What the storefront shows and offers. The phone and exact address are often a home's:
    # they are published only when the seller says so.
    opening_hours: Mapped[str] = mapped_column(String(200), default="", server_default="")
    offers_delivery: Mapped[bool] = mapped_column(default=True, server_default=true())
    offers_pickup: Mapped[bool] = mapped_column(default=True, server_default=true())
    publish_phone: Mapped[bool] = mapped_column(default=False, server_default=false())
    publish_address: Mapped[bool] = mapped_column(default=False, server_default=false())

    owner: Mapped[User] = relationship()

    @property
    def is_public(self) -> bool:
        return self.status == "approved"


class DeliveryFee(Base):
    """What a store charges to deliver to one destination kecamatan (rupiah)."""

    __tablename__ = "delivery_fees"
    __table_args__ = (UniqueConstraint("store_id", "kecamatan_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    kecamatan_code: Mapped[str] = mapped_column(String(8))
    fee: Mapped[int]
