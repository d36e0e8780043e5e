"""Delivery fees: what a store charges to bring goods to each kecamatan of the city.

Sellers set a fee per destination kecamatan; where they have not, a sensible default applies
(cheaper within the store's own kecamatan, since small sellers deliver by motorbike).
"""

from __future__ import annotations

from sqlalchemy import bindparam, delete, select

from commerce import outbox, places
from commerce.errors import FieldError, InvalidInput
from commerce.stores.models import DeliveryFee, Store
from commerce.stores.trading import ensure_may_change_catalog
from commerce.unit_of_work import UnitOfWork, write_transaction

__all__ = [
    "DEFAULT_FEE_SAME_KECAMATAN", "DEFAULT_FEE_ACROSS_CITY", "fee_table", "delivery_fees", "set_fees",
]

DEFAULT_FEE_SAME_KECAMATAN = 10_000
DEFAULT_FEE_ACROSS_CITY = 15_000
MAX_FEE = 500_000


def _default(store: Store, kecamatan_code: str) -> int:
    return DEFAULT_FEE_SAME_KECAMATAN if kecamatan_code == store.kecamatan_code else DEFAULT_FEE_ACROSS_CITY


def fee_table(uow: UnitOfWork, store: Store) -> dict[str, int]:
    """The fee to every kecamatan (code -> rupiah), the seller's where set, else the default."""
    custom = dict(uow.session.execute(
        select(DeliveryFee.kecamatan_code, DeliveryFee.fee).where(DeliveryFee.store_id == store.id)
    ).all())
    return {k.code: custom.get(k.code, _default(store, k.code)) for k in places.all_kecamatan()}


# Built once (bound parameters): asked on every checkout answer.
_FEES = select(DeliveryFee.store_id, DeliveryFee.fee).where(
    DeliveryFee.store_id.in_(bindparam("stores", expanding=True)), DeliveryFee.kecamatan_code == bindparam("kecamatan")
)


def delivery_fees(uow: UnitOfWork, stores: list[Store], kecamatan_code: str) -> dict[int, int]:
    """The fee of each store (by id) to one kecamatan, in one query for a whole cart."""
    custom = dict(uow.session.execute(_FEES, {"stores": [s.id for s in stores], "kecamatan": kecamatan_code}).all())
    return {s.id: custom.get(s.id, _default(s, kecamatan_code)) for s in stores}


@write_transaction
def set_fees(uow: UnitOfWork, store: Store, fees: dict[str, int]) -> dict[str, int]:
    """Replace the store's fees; keys are kecamatan names or codes, values whole rupiah >= 0."""
    ensure_may_change_catalog(uow, store)
    resolved: dict[str, int] = {}
    errors = []
    for key, fee in fees.items():
        kec = places.find_kecamatan(key)
        if kec is None:
            errors.append(FieldError(f"fees.{key}", f"Kecamatan '{key}' tidak ada di Kota Samarinda."))
        elif isinstance(fee, bool) or not isinstance(fee, int) or not 0 <= fee <= MAX_FEE:
            errors.append(FieldError(f"fees.{key}", f"Ongkir harus bilangan bulat 0 sampai {MAX_FEE}."))
        else:
            resolved[kec.code] = fee
    if errors:
        raise InvalidInput(errors[0].message, errors=errors)
    uow.session.execute(delete(DeliveryFee).where(DeliveryFee.store_id == store.id))
    uow.session.add_all(DeliveryFee(store_id=store.id, kecamatan_code=c, fee=f) for c, f in resolved.items())
    outbox.record(uow, outbox.STORE_CHANGED, store.id)  # the store page shows its fees
    uow.commit()
    return fee_table(uow, store)
