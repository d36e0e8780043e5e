"""Seller-side catalog use cases. Every function takes the seller's store, already checked by
:func:`commerce.stores.services.owned_store`, and only ever touches rows of that store."""

from __future__ import annotations

from typing import Callable, NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from commerce import outbox
from commerce.catalog.categories import CATEGORIES, category_by_slug
from commerce.catalog.images import ImageStore, prepare_image
from commerce.catalog.models import Product, ProductImage, Variant, rendition_key
from commerce.errors import Conflict, FieldError, InvalidInput, NotFound
from commerce.inventory.lock_objects import STOCK_LOCK
from commerce.paging import Page, keyset_page
from commerce.slugs import unique_slug
from commerce.stores.models import Store
from commerce.stores.trading import ensure_may_change_catalog
from commerce.unit_of_work import UnitOfWork, write_transaction

__all__ = [
    "VariantInput",
    "add_product",
    "update_product",
    "archive_product",
    "add_variant",
    "update_variant",
    "set_stock",
    "add_image",
    "remove_image",
    "product_of_store",
    "store_products",
]

MAX_IMAGES = 8
IMMUTABLE = "public, max-age=31536000, immutable"


class VariantInput(NamedTuple):
    sku: str
    name: str
    price: int
    stock: int = 0


def _check_category(slug: str) -> str:
    if category_by_slug(slug) is None:
        choices = ", ".join(c.slug for c in CATEGORIES)
        raise InvalidInput.field("category", f"Kategori '{slug}' tidak dikenal. Pilihan: {choices}.")
    return slug


def _check_variant(v: VariantInput, prefix: str) -> VariantInput:
    errors = []
    sku = (v.sku or "").strip()
    if not sku:
        errors.append(FieldError(prefix + "sku", "SKU wajib diisi."))
    if isinstance(v.price, bool) or not isinstance(v.price, int) or v.price <= 0:
        errors.append(FieldError(prefix + "price", "Harga harus bilangan bulat rupiah lebih dari 0."))
    if isinstance(v.stock, bool) or not isinstance(v.stock, int) or v.stock < 0:
        errors.append(FieldError(prefix + "stock", "Stok harus bilangan bulat 0 atau lebih."))
    if errors:
        raise InvalidInput(errors[0].message, errors=errors)
    return VariantInput(sku, (v.name or "").strip() or sku, v.price, v.stock)


def _sku_taken(uow: UnitOfWork, store: Store, sku: str, *, except_id: int | None = None) -> bool:
    query = select(Variant.id).where(Variant.store_id == store.id, Variant.sku == sku)
    if except_id is not None:
        query = query.where(Variant.id != except_id)
    return uow.session.scalar(query) is not None


def _sku_conflict(field: str, sku: str) -> Conflict:
    msg = f"SKU '{sku}' sudah dipakai di toko ini."
    return Conflict(msg, errors=[FieldError(field, msg)])


def _commit_guarding_sku(uow: UnitOfWork, field: str, sku: str, *, changed: Callable[[], int]) -> None:
    """Record the product ``changed()`` names in the outbox and commit. The pre-check above
    gives the nice message; the unique constraint catches the race of two requests adding the
    same SKU at once, at the flush."""
    try:
        uow.session.flush()
        outbox.record(uow, outbox.PRODUCT_CHANGED, changed())
        uow.commit()
    except IntegrityError:
        uow.rollback()
        raise _sku_conflict(field, sku)


@write_transaction
def add_product(
    uow: UnitOfWork,
    store: Store,
    *,
    name: str,
    description: str,
    category: str,
    variants: list[VariantInput],
) -> Product:
    ensure_may_change_catalog(uow, store)
    name = (name or "").strip()
    if not name:
        raise InvalidInput.field("name", "Nama produk wajib diisi.")
    _check_category(category)
    if not variants:
        raise InvalidInput.field("variants", "Minimal satu varian.")
    checked = [_check_variant(v, f"variants.{i}.") for i, v in enumerate(variants)]
    seen: set[str] = set()
    for i, v in enumerate(checked):
        if v.sku in seen:
            raise _sku_conflict(f"variants.{i}.sku", v.sku)
        seen.add(v.sku)
        if _sku_taken(uow, store, v.sku):
            raise _sku_conflict(f"variants.{i}.sku", v.sku)
    product = Product(
        store_id=store.id,
        name=name,
        slug=unique_slug(uow.session, Product.slug, f"{name} {store.slug}"),
        description=(description or "").strip(),
        category=category,
        status="active",
    )
    product.variants = [
        Variant(store_id=store.id, sku=v.sku, name=v.name, price=v.price, stock=v.stock)
        for v in checked
    ]
    uow.session.add(product)
    _commit_guarding_sku(uow, "variants", ",".join(seen), changed=lambda: product.id)
    return product


def product_of_store(uow: UnitOfWork, store: Store, product_id: int) -> Product:
    product = uow.session.get(Product, product_id)
    if product is None or product.store_id != store.id or product.status == "archived":
        raise NotFound(f"Produk {product_id} tidak ada di toko ini.")
    return product


SELLER_VIEWS = ("all", "active", "hidden", "out_of_stock")


def store_products(uow: UnitOfWork, store: Store, *, cursor: str | None, limit: int, show: str = "all",
                   q: str | None = None) -> Page:
    """The seller's own view: every product not archived, public or not (the store may be
    pending); ``show`` narrows it to the shown, the hidden, or those with a variant out of
    stock; ``q`` finds a name or SKU (a seller types part of either at the counter)."""
    if show not in SELLER_VIEWS:
        raise InvalidInput.field("show", f"Pilihan: {', '.join(SELLER_VIEWS)}.")
    query = select(Product).where(Product.store_id == store.id, Product.status != "archived")
    if show in ("active", "hidden"):
        query = query.where(Product.status == show)
    if show == "out_of_stock":
        query = query.where(Product.id.in_(select(Variant.product_id).where(Variant.store_id == store.id, Variant.stock == 0)))
    if q and q.strip():
        pattern = "%" + q.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(func.lower(Product.name).like(pattern, escape="\\"),
                                Product.id.in_(select(Variant.product_id).where(
                                    Variant.store_id == store.id, func.lower(Variant.sku).like(pattern, escape="\\")))))
    return keyset_page(uow.session, query, Product.id, cursor=cursor, limit=limit)


def _variant_of_store(uow: UnitOfWork, store: Store, variant_id: int, *, lock: bool = False) -> Variant:
    # The same lock as every other stock change: a plain FOR UPDATE would wait for every buyer
    # who has written a cart line for this variant, and buyers arriving meanwhile would go first.
    variant = uow.session.get(Variant, variant_id, with_for_update=STOCK_LOCK if lock else None)
    if variant is None or variant.store_id != store.id:
        raise NotFound(f"Varian {variant_id} tidak ada di toko ini.")
    return variant


@write_transaction
def update_product(uow: UnitOfWork, store: Store, product_id: int, **changes) -> Product:
    ensure_may_change_catalog(uow, store)
    product = product_of_store(uow, store, product_id)
    if "name" in changes:
        name = (changes["name"] or "").strip()
        if not name:
            raise InvalidInput.field("name", "Nama produk wajib diisi.")
        product.name = name
    if "description" in changes:
        product.description = (changes["description"] or "").strip()
    if "category" in changes:
        product.category = _check_category(changes["category"])
    if "status" in changes:
        if changes["status"] not in ("active", "hidden"):
            raise InvalidInput.field("status", "Pilih 'active' (tampil di etalase) atau 'hidden' (disembunyikan).")
        product.status = changes["status"]
    outbox.record(uow, outbox.PRODUCT_CHANGED, product.id)
    uow.commit()
    return product


@write_transaction
def archive_product(uow: UnitOfWork, store: Store, product_id: int) -> None:
    """Archived products leave the catalog; their rows stay for orders that reference them."""
    ensure_may_change_catalog(uow, store)
    product = product_of_store(uow, store, product_id)
    product.status = "archived"
    outbox.record(uow, outbox.PRODUCT_CHANGED, product.id)
    uow.commit()


@write_transaction
def add_variant(uow: UnitOfWork, store: Store, product_id: int, variant: VariantInput) -> Variant:
    ensure_may_change_catalog(uow, store)
    product = product_of_store(uow, store, product_id)
    v = _check_variant(variant, "")
    if _sku_taken(uow, store, v.sku):
        raise _sku_conflict("sku", v.sku)
    row = Variant(product=product, store_id=store.id, sku=v.sku, name=v.name, price=v.price, stock=v.stock)
    uow.session.add(row)
    _commit_guarding_sku(uow, "sku", v.sku, changed=lambda: product.id)
    return row


@write_transaction
def update_variant(uow: UnitOfWork, store: Store, variant_id: int, **changes) -> Variant:
    ensure_may_change_catalog(uow, store)
    # Not locked first: a new SKU changes a key column, whose UPDATE waits for buyers' key-share
    # locks (their cart lines). Holding the stock lock meanwhile would make a buyer who then
    # locks the stock wait for us while we wait for them: a deadlock (tested in test_checkout).
    variant = _variant_of_store(uow, store, variant_id)
    merged = _check_variant(
        VariantInput(
            changes.get("sku", variant.sku),
            changes.get("name", variant.name),
            changes.get("price", variant.price),
            variant.stock,
        ),
        "",
    )
    if merged.sku != variant.sku and _sku_taken(uow, store, merged.sku, except_id=variant.id):
        raise _sku_conflict("sku", merged.sku)
    variant.sku, variant.name, variant.price = merged.sku, merged.name, merged.price
    _commit_guarding_sku(uow, "sku", merged.sku, changed=lambda: variant.product_id)
    return variant


@write_transaction
def set_stock(uow: UnitOfWork, store: Store, variant_id: int, quantity: int) -> Variant:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
        raise InvalidInput.field("quantity", "Stok harus bilangan bulat 0 atau lebih.")
    ensure_may_change_catalog(uow, store)
    variant = _variant_of_store(uow, store, variant_id, lock=True)
    variant.stock = quantity
    outbox.record(uow, outbox.PRODUCT_CHANGED, variant.product_id)
    uow.commit()
    return variant


@write_transaction
def add_image(
    uow: UnitOfWork, store: Store, product_id: int, data: bytes, images: ImageStore, *, alt: str = ""
) -> ProductImage:
    ensure_may_change_catalog(uow, store)
    product = product_of_store(uow, store, product_id)
    if len(product.images) >= MAX_IMAGES:
        raise InvalidInput.field("file", f"Maksimal {MAX_IMAGES} gambar per produk.")
    prepared = prepare_image(data)
    # Files first, row second: a crash in between leaves an unreferenced file, never a row
    # pointing at nothing.
    for width, blob in prepared.renditions.items():
        images.put(rendition_key(prepared.sha256, width), blob, content_type="image/webp", cache_control=IMMUTABLE)
    image = ProductImage(
        product=product,
        sha256=prepared.sha256,
        widths=",".join(str(w) for w in prepared.renditions),
        width=prepared.width,
        height=prepared.height,
        alt=(alt or product.name).strip()[:200],
        position=max((i.position for i in product.images), default=-1) + 1,
    )
    uow.session.add(image)
    outbox.record(uow, outbox.PRODUCT_CHANGED, product.id)
    uow.commit()
    return image


@write_transaction
def remove_image(uow: UnitOfWork, store: Store, product_id: int, image_id: int) -> None:
    """The row goes; the files stay, since another product may share the same picture."""
    ensure_may_change_catalog(uow, store)
    product = product_of_store(uow, store, product_id)
    image = next((i for i in product.images if i.id == image_id), None)
    if image is None:
        raise NotFound(f"Gambar {image_id} tidak ada pada produk ini.")
    product.images.remove(image)
    outbox.record(uow, outbox.PRODUCT_CHANGED, product.id)
    uow.commit()
