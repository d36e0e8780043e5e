"""Public browsing: what a shopper may see of the catalog.

Only active products of approved stores are public. Lists are keyset-paged newest first; a
text search is ranked by relevance with the database's own full-text engine
(:mod:`commerce.catalog.search`) and paged by (rank, id).
"""

from __future__ import annotations

import math

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, defer

from commerce import places
from commerce.catalog.categories import category_by_slug
from commerce.catalog.models import Product
from commerce.catalog.search import after, apply_search, search_terms
from commerce.errors import InvalidInput, NotFound
from commerce.keys import MAX_ID, as_id
from commerce.paging import Page, decode_position, encode_cursor, keyset_page
from commerce.stores.models import Store
from commerce.unit_of_work import UnitOfWork

__all__ = ["browse_products", "public_product", "MAX_PAGE"]

MAX_PAGE = 100


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
    if category:
        if category_by_slug(category) is None:
            raise InvalidInput.field("category", f"Kategori '{category}' tidak dikenal.")
        query = query.where(Product.category == category)
    if store:
        store_id = as_id(store)
        query = query.where(Store.id == store_id if store_id else Store.slug == store)
    if kecamatan:
        query = query.where(Store.kecamatan_code == places.require_kecamatan(kecamatan).code)
    if q is None or not q.strip():
        return keyset_page(uow.session, query, Product.id, cursor=cursor, limit=limit)
    terms = search_terms(q)
    if not terms.words:
        return Page([], None)
    return _ranked_page(uow, query, terms, cursor=cursor, limit=limit)


def _ranked_page(uow: UnitOfWork, query, terms, *, cursor: str | None, limit: int) -> Page:
    """Best match first, then newest; the cursor is the last row's (rank, id)."""
    dialect = uow.session.get_bind().dialect.name
    query, rank, higher_is_better = apply_search(query, dialect=dialect, terms=terms, product_id=Product.id)
    position = decode_position(cursor, _valid_search_position)
    if position:
        query = query.where(after(rank, Product.id, last_rank=position["rank"], last_id=position["id"],
                                  higher_is_better=higher_is_better))
    ordered = query.add_columns(rank).order_by(rank.desc() if higher_is_better else rank, Product.id.desc())
    rows = uow.session.execute(ordered.limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor({"rank": float(rows[-1][1]), "id": rows[-1][0].id}) if more else None
    return Page([product for product, _ in rows], next_cursor)


def _valid_search_position(position: dict) -> bool:
    return (set(position) == {"rank", "id"} and type(position["id"]) is int and 0 < position["id"] <= MAX_ID
            and type(position["rank"]) in (int, float) and math.isfinite(position["rank"]))


def public_product(uow: UnitOfWork, id_or_slug: str) -> Product:
    key = id_or_slug.strip()
    product_id = as_id(key)
    condition = Product.id == product_id if product_id else Product.slug == key
    product = uow.session.scalar(_public().where(condition))
    if product is None:
        raise NotFound(f"Produk '{key}' tidak ditemukan.")
    return product
