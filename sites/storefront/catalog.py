"""What the storefront shows, read from the marketplace's database in a few Core queries.

The storefront is a static site: its pages are rendered from this snapshot and republished
when the outbox says something changed. Only approved stores and their active products are
read, with nothing a shopper may not see: a store's phone and exact address only where its
seller chose to publish them. Availability is not part of a page (it changes with every cart);
the pages fetch it live from the API.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Iterable, NamedTuple

from sqlalchemy import Connection, select

from commerce import places
from commerce.catalog.categories import CATEGORIES, Category
from commerce.catalog.models import Product, ProductImage, Variant, rendition_key
from commerce.phones import whatsapp_number
from commerce.stores.delivery import DEFAULT_FEE_ACROSS_CITY, DEFAULT_FEE_SAME_KECAMATAN
from commerce.stores.models import DeliveryFee, Store

__all__ = ["Catalog", "StoreInfo", "ProductInfo", "VariantInfo", "ImageInfo", "load_catalog"]


class ImageInfo(NamedTuple):
    keys: tuple[tuple[int, str], ...]  # (width, storage key), narrowest first
    width: int
    height: int
    alt: str


class VariantInfo(NamedTuple):
    id: int
    name: str
    price: int


class StoreInfo(NamedTuple):
    id: int
    slug: str
    name: str
    description: str
    kecamatan: str
    kelurahan: str
    kecamatan_code: str
    opening_hours: str
    offers_delivery: bool
    offers_pickup: bool
    address: str | None  # only when published
    whatsapp: str | None  # digits for wa.me, only when the phone is published
    fees: tuple[tuple[str, int], ...]  # (kecamatan name, rupiah), every kecamatan of the city


class ProductInfo(NamedTuple):
    id: int
    slug: str
    name: str
    description: str
    category: Category
    store: StoreInfo
    variants: tuple[VariantInfo, ...]
    images: tuple[ImageInfo, ...]
    created_at: datetime
    updated_at: datetime

    @property
    def price_from(self) -> int:
        return min(v.price for v in self.variants)


class Catalog(NamedTuple):
    stores: dict[int, StoreInfo]
    products: dict[int, ProductInfo]  # newest first

    def in_category(self, slug: str) -> list[ProductInfo]:
        return [p for p in self.products.values() if p.category.slug == slug]

    def of_store(self, store_id: int) -> list[ProductInfo]:
        return [p for p in self.products.values() if p.store.id == store_id]


def _place_names(kecamatan_code: str, kelurahan_code: str) -> tuple[str, str]:
    kec = places.find_kecamatan(kecamatan_code)
    kel = places.find_kelurahan(kec, kelurahan_code) if kec else None
    return (kec.name if kec else kecamatan_code, kel.name if kel else kelurahan_code)


def _stores(conn: Connection, only: Iterable[int] | None) -> dict[int, StoreInfo]:
    query = select(Store.__table__).where(Store.status == "approved")
    if only is not None:
        query = query.where(Store.id.in_(list(only)))
    rows = conn.execute(query).mappings().all()
    custom = defaultdict(dict)
    for store_id, code, fee in conn.execute(select(DeliveryFee.store_id, DeliveryFee.kecamatan_code, DeliveryFee.fee)
                                            .where(DeliveryFee.store_id.in_([r["id"] for r in rows]))):
        custom[store_id][code] = fee
    stores = {}
    for r in rows:
        kecamatan, kelurahan = _place_names(r["kecamatan_code"], r["kelurahan_code"])
        fees = tuple(
            (k.name, custom[r["id"]].get(k.code, DEFAULT_FEE_SAME_KECAMATAN if k.code == r["kecamatan_code"]
                                         else DEFAULT_FEE_ACROSS_CITY))
            for k in places.all_kecamatan()
        )
        stores[r["id"]] = StoreInfo(
            r["id"], r["slug"], r["name"], r["description"] or "", kecamatan, kelurahan, r["kecamatan_code"],
            r["opening_hours"] or "", bool(r["offers_delivery"]), bool(r["offers_pickup"]),
            r["address"] if r["publish_address"] else None,
            whatsapp_number(r["phone"]) if r["publish_phone"] else None, fees)
    return stores


def load_catalog(conn: Connection, *, store_ids: Iterable[int] | None = None) -> Catalog:
    """Every public store and product (or only those of ``store_ids``), newest products first."""
    stores = _stores(conn, store_ids)
    by_category = {c.slug: c for c in CATEGORIES}
    product_rows = conn.execute(
        select(Product.id, Product.slug, Product.name, Product.description, Product.category, Product.store_id,
               Product.created_at, Product.updated_at)
        .where(Product.status == "active", Product.store_id.in_(list(stores)))
        .order_by(Product.id.desc())
    ).all()
    ids = [row.id for row in product_rows]
    variants, images = defaultdict(list), defaultdict(list)
    # In chunks: an IN list of 10,000 ids is more than SQLite allows in one statement.
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        for v in conn.execute(select(Variant.product_id, Variant.id, Variant.name, Variant.price)
                              .where(Variant.product_id.in_(chunk)).order_by(Variant.id)):
            variants[v.product_id].append(VariantInfo(v.id, v.name, v.price))
        for i in conn.execute(select(ProductImage.product_id, ProductImage.sha256, ProductImage.widths,
                                     ProductImage.width, ProductImage.height, ProductImage.alt)
                              .where(ProductImage.product_id.in_(chunk))
                              .order_by(ProductImage.product_id, ProductImage.position, ProductImage.id)):
            widths = sorted(int(w) for w in i.widths.split(",") if w)
            keys = tuple((w, rendition_key(i.sha256, w)) for w in widths)
            images[i.product_id].append(ImageInfo(keys, i.width, i.height, i.alt))
    products = {}
    for row in product_rows:
        if not variants[row.id]:
            continue  # nothing to buy
        products[row.id] = ProductInfo(
            row.id, row.slug, row.name, row.description or "", by_category.get(row.category, CATEGORIES[0]),
            stores[row.store_id], tuple(variants[row.id]), tuple(images[row.id]),
            row.created_at, row.updated_at)
    return Catalog(stores, products)
