from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commerce.db import Base, UTCDateTime, utcnow
from commerce.stores.models import Store

__all__ = ["Product", "Variant", "ProductImage", "PRODUCT_STATUSES"]

# active: public and sold online; hidden: the seller took it off the storefront (still sold at
# their own counter); archived: gone, kept only for the orders that name it.
PRODUCT_STATUSES = ("active", "hidden", "archived")


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        # Browsing walks products newest first within the public ones; this index serves the
        # keyset pages without a sort.
        Index("ix_products_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    slug: Mapped[str] = mapped_column(String(180), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(12), default="active")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    store: Mapped[Store] = relationship(lazy="joined")
    variants: Mapped[list["Variant"]] = relationship(
        back_populates="product", order_by="Variant.id", lazy="selectin"
    )
    images: Mapped[list["ProductImage"]] = relationship(
        back_populates="product", order_by="ProductImage.position", lazy="selectin",
        cascade="all, delete-orphan",
    )


class Variant(Base):
    __tablename__ = "variants"
    __table_args__ = (
        UniqueConstraint("store_id", "sku"),
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    # Denormalised from the product so that "SKU unique within a store" is a database
    # constraint, not a check that two concurrent requests could both pass.
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120))
    price: Mapped[int]  # whole rupiah
    stock: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    product: Mapped[Product] = relationship(back_populates="variants")


class ProductImage(Base):
    """One uploaded picture, stored as WebP renditions at a few widths.

    The storage key is derived from the SHA-256 of the upload, so a rendition's URL never
    changes meaning and can be cached forever.
    """

    __tablename__ = "product_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    widths: Mapped[str] = mapped_column(String(40))  # "160,480,960"
    width: Mapped[int]
    height: Mapped[int]
    alt: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    product: Mapped[Product] = relationship(back_populates="images")

    @property
    def width_list(self) -> list[int]:
        return [int(w) for w in self.widths.split(",") if w]

    def key(self, width: int) -> str:
        return rendition_key(self.sha256, width)


def rendition_key(sha256: str, width: int) -> str:
    return f"products/{sha256[:2]}/{sha256}/{width}.webp"
