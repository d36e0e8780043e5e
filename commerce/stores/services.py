"""Store use cases: open, edit, approve, suspend; and the ownership check every seller
endpoint goes through."""

from __future__ import annotations

from sqlalchemy import select

from commerce import outbox, places
from commerce.accounts.models import User
from commerce.db import utcnow
from commerce.errors import InvalidInput, NotAllowed, NotFound
from commerce.keys import as_id
from commerce.paging import Page, keyset_page
from commerce.phones import normalise_phone
from commerce.slugs import unique_slug
from commerce.stores.models import STORE_STATUSES, Store
from commerce.stores.trading import ensure_may_change_catalog
from commerce.unit_of_work import UnitOfWork, write_transaction

__all__ = [
    "open_store",
    "update_store",
    "set_store_status",
    "find_store",
    "owned_store",
    "list_stores",
    "stores_of",
    "manages",
    "managed_store",
]


def _clean_text(value: str, field: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput.field(field, "Wajib diisi.")
    return value


@write_transaction
def open_store(
    uow: UnitOfWork,
    *,
    owner: User,
    name: str,
    kecamatan: str,
    kelurahan: str,
    address: str,
    phone: str,
    description: str = "",
) -> Store:
    name = _clean_text(name, "name")
    kec, kel = places.resolve_place(kecamatan, kelurahan)
    store = Store(
        owner_id=owner.id,
        name=name,
        slug=unique_slug(uow.session, Store.slug, name),
        description=description.strip(),
        kecamatan_code=kec.code,
        kelurahan_code=kel.code,
        address=_clean_text(address, "address"),
        phone=normalise_phone(phone),
        status="pending",
    )
    uow.session.add(store)
    owner = uow.session.merge(owner)
    owner.grant("seller")
    uow.commit()
    return store


@write_transaction
def update_store(uow: UnitOfWork, store: Store, **changes) -> Store:
    ensure_may_change_catalog(uow, store)
    if "name" in changes:
        store.name = _clean_text(changes["name"], "name")
    if "description" in changes:
        store.description = (changes["description"] or "").strip()
    if "address" in changes:
        store.address = _clean_text(changes["address"], "address")
    if "phone" in changes:
        store.phone = normalise_phone(changes["phone"])
    if "opening_hours" in changes:
        store.opening_hours = (changes["opening_hours"] or "").strip()
    for flag in ("offers_delivery", "offers_pickup", "publish_phone", "publish_address"):
        if flag in changes:
            setattr(store, flag, bool(changes[flag]))
    bank = {k: (changes[k] or "").strip() or None for k in ("bank_name", "bank_account_number", "bank_account_name")
            if k in changes}
    for key, value in bank.items():
        setattr(store, key, value)
    if bank and store.bank_account_number and not store.bank_account_number.replace(" ", "").replace("-", "").isdigit():
        raise InvalidInput.field("bank_account_number", "Nomor rekening hanya angka.")
    if bank and (store.bank_account_number or store.bank_name) and not (
            store.bank_name and store.bank_account_number and store.bank_account_name):
        raise InvalidInput.field("bank_account_number", "Isi nama bank, nomor rekening dan nama pemilik rekening, "
                                 "atau kosongkan ketiganya untuk memakai rekening kota.")
    if not (store.offers_delivery or store.offers_pickup):
        raise InvalidInput.field("offers_delivery", "Pilih setidaknya satu: diantar atau ambil di toko.")
    if "kecamatan" in changes or "kelurahan" in changes:
        kec_value = changes.get("kecamatan") or store.kecamatan_code
        kel_value = changes.get("kelurahan") or store.kelurahan_code
        kec, kel = places.resolve_place(kec_value, kel_value)
        store.kecamatan_code, store.kelurahan_code = kec.code, kel.code
    outbox.record(uow, outbox.STORE_CHANGED, store.id)
    uow.commit()
    return store


@write_transaction
def set_store_status(uow: UnitOfWork, *, store_id: int, status: str) -> Store:
    """Admin decision: approve (products become public) or suspend (they disappear)."""
    if status not in STORE_STATUSES:
        raise InvalidInput.field("status", f"Status toko tidak dikenal: {status}.")
    store = uow.session.get(Store, store_id)
    if store is None:
        raise NotFound(f"Toko {store_id} tidak ditemukan.")
    if store.status != status:
        store.status = status
        store.status_changed_at = utcnow()
        # Approved: its products appear on the storefront; suspended: they leave it.
        outbox.record(uow, outbox.STORE_CHANGED, store.id)
    uow.commit()
    return store


def find_store(uow: UnitOfWork, id_or_slug: str | int, *, viewer: User | None = None) -> Store:
    """A store as seen by ``viewer``: approved stores are public, others only to their owner
    and to admins."""
    key = str(id_or_slug).strip()
    store_id = as_id(key)
    store = uow.session.scalar(
        select(Store).where(Store.id == store_id if store_id else Store.slug == key)
    )
    if store is None or not (store.is_public or manages(viewer, store)):
        raise NotFound(f"Toko '{key}' tidak ditemukan.")
    return store


def manages(user: User | None, store: Store) -> bool:
    """Owners and city staff see a store's private side (address, phone, unapproved state)."""
    return user is not None and (user.id == store.owner_id or user.has_role("admin"))


def owned_store(uow: UnitOfWork, store_id: int, user: User, *, lock: bool = False) -> Store:
    """The store ``store_id`` if ``user`` owns it. Every seller write goes through here.

    Sellers get 403 for a store that is not theirs (store ids are public, so hiding it with a
    404 would protect nothing) and 404 for one that does not exist.
    """
    store = uow.session.get(Store, store_id, with_for_update=lock)
    if store is None:
        raise NotFound(f"Toko {store_id} tidak ditemukan.")
    if store.owner_id != user.id:
        raise NotAllowed("Anda bukan pemilik toko ini.")
    return store


def managed_store(uow: UnitOfWork, store_id: int, user: User) -> Store:
    """The store if ``user`` owns it or is city staff (who may e.g. confirm a bank transfer)."""
    store = uow.session.get(Store, store_id)
    if store is None:
        raise NotFound(f"Toko {store_id} tidak ditemukan.")
    if not manages(user, store):
        raise NotAllowed("Anda bukan pemilik toko ini.")
    return store


def list_stores(
    uow: UnitOfWork,
    *,
    status: str | None,
    kecamatan: str | None = None,
    cursor: str | None = None,
    limit: int = 24,
) -> Page:
    query = select(Store)
    if status:
        if status not in STORE_STATUSES:
            raise InvalidInput.field("status", f"Status toko tidak dikenal: {status}.")
        query = query.where(Store.status == status)
    if kecamatan:
        query = query.where(Store.kecamatan_code == places.require_kecamatan(kecamatan).code)
    return keyset_page(uow.session, query, Store.id, cursor=cursor, limit=limit)


def stores_of(uow: UnitOfWork, user: User) -> list[Store]:
    return list(uow.session.scalars(select(Store).where(Store.owner_id == user.id).order_by(Store.id)))
