from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commerce.accounts.models import User
from commerce.db import Base, UTCDateTime, utcnow

__all__ = ["Store", "STORE_STATUSES"]

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

    owner: Mapped[User] = relationship()

    @property
    def is_public(self) -> bool:
        return self.status == "approved"
