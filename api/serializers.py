"""Domain objects to the JSON of API v1 (ARCHITECTURE.md, the API contract): field names here are the
contract other clients are written against."""

from __future__ import annotations

from datetime import datetime

from commerce import places
from commerce.accounts.models import User
from commerce.calendar import CITY_ZONE
from commerce.catalog.categories import category_by_slug
from commerce.catalog.models import Product, ProductImage, Variant
from commerce.phones import whatsapp_number
from commerce.stores.models import Store

__all__ = ["when", "rupiah", "user_json", "store_json", "store_brief", "published_contact", "variant_json",
           "product_summary", "product_detail", "image_json"]

def when(value: datetime | None) -> str | None:
    """ISO 8601 in the city's zone (WITA, +08:00)."""
    return value.astimezone(CITY_ZONE).isoformat() if value else None


def rupiah(amount: int) -> str:
    return "Rp" + f"{amount:,}".replace(",", ".")


def user_json(user: User) -> dict:
    return {"id": user.id, "email": user.email, "name": user.name, "roles": user.roles}


def _place_names(store: Store) -> tuple[str, str]:
    kec = places.find_kecamatan(store.kecamatan_code)
    kel = places.find_kelurahan(kec, store.kelurahan_code) if kec else None
    return (kec.name if kec else store.kecamatan_code, kel.name if kel else store.kelurahan_code)


def store_brief(store: Store) -> dict:
    kecamatan, kelurahan = _place_names(store)
    return {"id": store.id, "slug": store.slug, "name": store.name,
            "kecamatan": kecamatan, "kelurahan": kelurahan}


def published_contact(store: Store, *, private: bool = False) -> dict:
    """The address, phone and WhatsApp link the seller chose to publish (all of them for the
    owner and city staff)."""
    data = {}
    if store.publish_address or private:
        data["address"] = store.address
    if store.publish_phone or private:
        data["phone"] = store.phone
        data["whatsapp_url"] = f"https://wa.me/{whatsapp_number(store.phone)}"
    return data


def store_json(store: Store, *, private: bool = False) -> dict:
    """Public fields for everyone; ``private`` adds what only the owner and admins see."""
    data = store_brief(store) | {
        "status": store.status,
        "description": store.description,
        "kecamatan_code": store.kecamatan_code,
        "kelurahan_code": store.kelurahan_code,
        "created_at": when(store.created_at),
        "opening_hours": store.opening_hours,
        "offers_delivery": store.offers_delivery,
        "offers_pickup": store.offers_pickup,
    }
    data |= published_contact(store, private=private)
    if private:
        data |= {"owner_id": store.owner_id, "publish_phone": store.publish_phone,
                 "publish_address": store.publish_address, "bank_name": store.bank_name,
                 "bank_account_number": store.bank_account_number, "bank_account_name": store.bank_account_name}
    return data


def image_json(image: ProductImage, storage) -> dict:
    sizes = [{"width": w, "url": storage.url(image.key(w))} for w in image.width_list]
    default = next((s for s in sizes if s["width"] >= 480), sizes[-1])
    return {"id": image.id, "alt": image.alt, "width": image.width, "height": image.height,
            "url": default["url"], "sizes": sizes}


def variant_json(variant: Variant, available: dict[int, int], *, private: bool = False) -> dict:
    data = {"id": variant.id, "sku": variant.sku, "name": variant.name, "price": variant.price,
            "price_display": rupiah(variant.price), "available": available.get(variant.id, 0)}
    if private:
        data["stock"] = variant.stock
    return data


def _category_name(slug: str) -> str:
    category = category_by_slug(slug)
    return category.name if category else slug


def product_summary(product: Product, storage, available: dict[int, int]) -> dict:
    """``available``: units per variant id, from :func:`commerce.inventory.availability.availability`."""
    prices = [v.price for v in product.variants] or [0]
    return {
        "id": product.id,
        "slug": product.slug,
        "name": product.name,
        "category": product.category,
        "category_name": _category_name(product.category),
        "price_from": min(prices),
        "price_display": rupiah(min(prices)),
        "in_stock": any(available.get(v.id, 0) > 0 for v in product.variants),
        "store": store_brief(product.store),
        "image": image_json(product.images[0], storage) if product.images else None,
    }


def product_detail(product: Product, storage, available: dict[int, int], *, private: bool = False) -> dict:
    return product_summary(product, storage, available) | {
        "description": product.description,
        "status": product.status,
        "variants": [variant_json(v, available, private=private) for v in product.variants],
        "images": [image_json(i, storage) for i in product.images],
        "created_at": when(product.created_at),
        "updated_at": when(product.updated_at),
    }
