"""Public browsing: what a shopper may see of the catalog.

Only active products of approved stores are public. Lists are keyset-paged newest first; the
text search is a case-insensitive substring match over name and description, which is what
shoppers typing "amplang" or "Sarung" expect and is fast enough at a city's scale (tens of
thousands of products) without a search engine.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager, defer

from commerce import places
from commerce.catalog.categories import category_by_slug
from commerce.catalog.models import Product
from commerce.errors import InvalidInput, NotFound
from commerce.keys import as_id
from commerce.paging import Page, keyset_page
from commerce.stores.models import Store
from commerce.unit_of_work import UnitOfWork

__all__ = ["browse_products", "public_product", "MAX_PAGE"]

MAX_PAGE = 100


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _public():
    # contains_eager: the join that filters on the store's status also loads the store, instead
    # of a second join for Product.store.
    return (
        select(Product)
        .join(Store, Product.store_id == Store.id)
        .options(contains_eager(Product.store))
        .where(Product.status == "active", Store.status == "approved")
    )


def browse_products(
    uow: UnitOfWork,
    *,
    q: str | None = None,
    category: str | None = None,
    store: str | None = None,
    kecamatan: str | None = None,
    limit: int = 24,
    cursor: str | None = None,
) -> Page:
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput.field("limit", f"limit harus antara 1 dan {MAX_PAGE}.")
    query = _public().options(defer(Product.description))  # lists show no descriptions
    if q and q.strip():
        pattern = f"%{_escape_like(q.strip().lower())}%"
        query = query.where(
            or_(
                func.lower(Product.name).like(pattern, escape="\\"),
                func.lower(Product.description).like(pattern, escape="\\"),
            )
        )
    if category:
        if category_by_slug(category) is None:
            raise InvalidInput.field("category", f"Kategori '{category}' tidak dikenal.")
        query = query.where(Product.category == category)
    if store:
        store_id = as_id(store)
        query = query.where(Store.id == store_id if store_id else Store.slug == store)
    if kecamatan:
        query = query.where(Store.kecamatan_code == places.require_kecamatan(kecamatan).code)
    return keyset_page(uow.session, query, Product.id, cursor=cursor, limit=limit)


def public_product(uow: UnitOfWork, id_or_slug: str) -> Product:
    key = id_or_slug.strip()
    product_id = as_id(key)
    condition = Product.id == product_id if product_id else Product.slug == key
    product = uow.session.scalar(_public().where(condition))
    if product is None:
        raise NotFound(f"Produk '{key}' tidak ditemukan.")
    return product
