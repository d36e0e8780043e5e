"""What a store may do in each of its statuses, checked by every use case that sells or
changes a store's catalogue or profile.

=========  ===========================  ===========  ================================
status     catalogue and profile        sell (POS)   orders already placed
=========  ===========================  ===========  ================================
pending    may prepare them             no           (none: it cannot be bought from)
approved   yes                          yes          serviced as usual
suspended  frozen                       no           still serviced: buyers paid or
                                                     are waiting for their goods
=========  ===========================  ===========  ================================

Online buyers are kept out separately: only approved stores' products can be put in a cart or
completed (:func:`commerce.checkout.services.check_buyable`).

The status is read again inside the use case's write transaction, with the store row locked
(``FOR NO KEY UPDATE``, which the foreign-key checks of buyers' carts and orders do not wait
for): a suspension decided while a seller's request was on its way is either before it, and
refuses it, or waits for it to commit. The store row is always locked before any stock row, so
these locks never wait on each other in a cycle.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm.attributes import set_committed_value

from commerce.errors import Conflict
from commerce.stores.models import Store
from commerce.unit_of_work import UnitOfWork

__all__ = ["StoreNotTrading", "ensure_may_change_catalog", "ensure_may_sell"]

_SUSPENDED = ("Toko ini sedang dibekukan oleh petugas kota: produk, stok dan profil toko tidak bisa "
              "diubah dan kasir tidak bisa mencatat penjualan. Pesanan yang sudah masuk tetap bisa diproses.")
_PENDING = ("Toko ini masih menunggu persetujuan petugas kota. Katalog boleh disiapkan, "
            "tetapi toko belum boleh berjualan.")


_STATUS = select(Store.status).where(Store.id == bindparam("store_id")).with_for_update(key_share=True)


def _current_status(uow: UnitOfWork, store: Store) -> str:
    status = uow.session.scalar(_STATUS, {"store_id": store.id})
    set_committed_value(store, "status", status)
    return status


class StoreNotTrading(Conflict):
    """The store's status does not allow this (409: it may become possible later)."""

    title = "Toko tidak sedang berjualan"


def ensure_may_change_catalog(uow: UnitOfWork, store: Store) -> None:
    """Products, variants, stock, pictures, the store's profile and its delivery fees.

    Call it inside the use case's write transaction, before anything else is locked."""
    if _current_status(uow, store) == "suspended":
        raise StoreNotTrading(_SUSPENDED)


def ensure_may_sell(uow: UnitOfWork, store: Store) -> None:
    """A point-of-sale sale: only an approved store sells. Call it as
    :func:`ensure_may_change_catalog`, before the stock is locked."""
    status = _current_status(uow, store)
    if status == "suspended":
        raise StoreNotTrading(_SUSPENDED)
    if status != "approved":
        raise StoreNotTrading(_PENDING)
