"""Checkout use cases: start a cart (reserving stock), fill it, read it.

Completing a checkout into orders is :mod:`commerce.checkout.completion`.

Concurrency rules, in one place:
- every use case that changes what is available starts a write transaction
  (``uow.begin_write()``) and locks the variant rows it needs in ascending id order
  (:mod:`commerce.inventory.lock_objects`), as late as it can;
- availability is always recomputed under that lock, so two buyers can never both have the
  last unit, and a POS sale racing an online checkout is serialised the same way;
- completion locks the checkout row first, so duplicate completions queue behind each other
  and the later ones find the first one's idempotency record or finished orders;
- what a cart may hold, and for how long, is :mod:`commerce.inventory.reservations`.

A checkout started by a logged-in buyer belongs to that account: only the same account may
read, change or complete it. An anonymous one is reached by its unguessable id alone.

Every answer records a digest of the prices, quantities and fees it showed (the price lock,
:func:`~commerce.checkout.summary.quote_digest`); completion refuses to charge anything else.

Each use case returns a :class:`~commerce.checkout.summary.CheckoutSummary` computed from what
its transaction read, so the answer needs no second transaction. Where stock is reserved, the
lock comes last: the cart's lines are written first, then the stock is locked, checked and
reserved, and the transaction commits at once; the summary is put together after the commit.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import joinedload

from commerce import places
from commerce.accounts.models import User
from commerce.bulk import insert_rows, insert_rows_returning_ids, set_loaded, update_loaded
from commerce.catalog.models import Variant
from commerce.checkout.models import Checkout, CheckoutLine
from commerce.checkout.summary import CheckoutSummary, delivery_fees_for, quote_digest, store_totals, summarise
from commerce.db import utcnow
from commerce.errors import FieldError, InvalidInput, NotAllowed, NotAuthenticated, NotFound
from commerce.inventory.lock_objects import CART_PRODUCT, load_variants, lock_stock
from commerce.inventory.management import LineRequest, merge_lines
from commerce.inventory.models import Reservation
from commerce.inventory.reservations import ANONYMOUS, Holder, HoldPolicy, Holds, hold_units
from commerce.payments.api import METHODS
from commerce.phones import normalise_phone
from commerce.unit_of_work import UnitOfWork

__all__ = [
    "LineRequest",
    "HoldPolicy",
    "Holder",
    "start_checkout",
    "update_checkout",
    "get_checkout",
    "read_checkout",
    "check_buyable",
]

DELIVERY_METHODS = ("delivery", "pickup")

# A checkout is always read with what its answer shows, in one statement: its lines, their
# variant, product and store (the product's other variants and images are not part of a
# cart). Built once, with a bound id, so that SQLAlchemy computes its cache key once: for a
# statement with loader options that costs more than running it.
_LINES = joinedload(Checkout.lines).joinedload(CheckoutLine.variant).joinedload(Variant.product).options(*CART_PRODUCT)
_CHECKOUT = select(Checkout).where(Checkout.id == bindparam("checkout_id")).options(_LINES)
_LOCKED_CHECKOUT = _CHECKOUT.with_for_update(of=Checkout).execution_options(populate_existing=True)


def _new_checkout_id() -> str:
    return secrets.token_urlsafe(32)


def get_checkout(uow: UnitOfWork, checkout_id: str, *, caller: User | None, lock: bool = False) -> Checkout:
    """The checkout, if ``caller`` may use it: anyone for an anonymous one, only its account
    for one started while logged in."""
    checkout = uow.session.scalars(_LOCKED_CHECKOUT if lock else _CHECKOUT, {"checkout_id": checkout_id}).unique().first()
    if checkout is None:
        raise NotFound("Checkout tidak ditemukan.")
    if checkout.user_id is not None:
        if caller is None:
            raise NotAuthenticated("Checkout ini dibuat dengan akun; masuk dengan akun itu untuk melanjutkannya.")
        if caller.id != checkout.user_id:
            raise NotAllowed("Checkout ini milik akun lain.")
    return checkout


def read_checkout(uow: UnitOfWork, checkout_id: str, *, caller: User | None = None,
                  now: datetime | None = None) -> CheckoutSummary:
    return summarise(uow, get_checkout(uow, checkout_id, caller=caller), now=now or utcnow())


def check_buyable(variants: dict[int, Variant], lines: list[LineRequest]) -> None:
    """Every line must name a variant of an active product in an approved store.

    The variants come from :func:`load_variants` or :func:`lock_variants`, which load their
    product and store.
    """
    errors = []
    for i, line in enumerate(lines):
        variant = variants.get(line.variant_id)
        product = variant.product if variant else None
        if product is None or product.status != "active" or product.store.status != "approved":
            errors.append(FieldError(f"lines.{i}.variant_id", f"Varian {line.variant_id} tidak dijual."))
    if errors:
        raise InvalidInput(errors[0].message, errors=errors)


def _buyable_lines(uow: UnitOfWork, requested: list[LineRequest]) -> tuple[dict[int, Variant], list[LineRequest]]:
    """The requested lines merged, with their variants loaded (no lock) and checked for sale."""
    lines = merge_lines(requested)
    variants = load_variants(uow.session, [line.variant_id for line in lines])
    check_buyable(variants, lines)
    return variants, lines


def _replace_lines(
    uow: UnitOfWork, checkout: Checkout, requested: list[LineRequest],
) -> tuple[dict[int, Variant], list[LineRequest]]:
    """Give the checkout these lines instead of its old ones (whose reservations go).

    Locks nothing: the stock is checked and held by :func:`_hold`, the last step of the
    transaction, so other buyers of the same goods wait only for that.
    """
    variants, lines = _buyable_lines(uow, requested)
    # Our own reservations never count against us, so they can go before the lock.
    uow.session.execute(delete(Reservation).where(Reservation.checkout_id == checkout.id))
    checkout.lines.clear()
    uow.session.flush()  # the old lines first: (checkout, variant) is unique
    for line in lines:
        variant = variants[line.variant_id]
        checkout.lines.append(CheckoutLine(
            variant_id=variant.id, variant=variant, store_id=variant.store_id, quantity=line.quantity,
        ))
    uow.session.flush()
    return variants, lines


def _hold(
    uow: UnitOfWork, checkout: Checkout, variants: dict[int, Variant], lines: list[LineRequest], *,
    holder: Holder, policy: HoldPolicy, now: datetime,
) -> Holds:
    """Lock the stock, check it, and hold what the policy allows; the caller commits next."""
    lock_stock(uow.session, variants)
    return hold_units(uow.session, checkout_id=checkout.id, started=checkout.created_at, variants=variants,
                      lines=lines, holder=holder, policy=policy, now=now)


def start_checkout(
    uow: UnitOfWork, *, lines: list[LineRequest], user: User | None = None, holder: Holder = ANONYMOUS,
    policy: HoldPolicy = HoldPolicy(), now: datetime | None = None,
) -> CheckoutSummary:
    now = now or utcnow()
    uow.begin_write()
    variants, merged = _buyable_lines(uow, lines)
    # The rows are written in Core (commerce.bulk), with nothing read back but the lines' ids;
    # the objects carry the answer and never join the session, so there is no ORM flush.
    checkout = Checkout(id=_new_checkout_id(), user_id=user.id if user else None, delivery_json="{}",
                        created_at=now, updated_at=now)
    checkout.lines = [CheckoutLine(checkout_id=checkout.id, variant_id=line.variant_id, variant=variants[line.variant_id],
                                   store_id=variants[line.variant_id].store_id, quantity=line.quantity)
                      for line in merged]
    # A new cart has no destination yet, so no delivery fee to read.
    parts = store_totals(uow, checkout, fees={})
    checkout.quoted_digest = quote_digest(parts)
    insert_rows(uow.session, Checkout, [dict(
        id=checkout.id, user_id=checkout.user_id, delivery_json="{}", quoted_digest=checkout.quoted_digest,
        created_at=now, updated_at=now)])
    line_ids = insert_rows_returning_ids(uow.session, CheckoutLine, [
        dict(checkout_id=checkout.id, variant_id=line.variant_id, store_id=line.store_id, quantity=line.quantity)
        for line in checkout.lines
    ])
    for line, line_id in zip(checkout.lines, line_ids):
        line.id = line_id
    holds = _hold(uow, checkout, variants, merged, holder=holder, policy=policy, now=now)
    uow.commit()
    return summarise(uow, checkout, now=now, holds=holds, parts=parts)


def _require_open(checkout: Checkout) -> None:
    if checkout.completed_at is not None:
        raise InvalidInput.field("checkout", "Checkout ini sudah selesai; buat checkout baru.")


def update_checkout(
    uow: UnitOfWork, checkout_id: str, *, changes: dict, caller: User | None = None, holder: Holder = ANONYMOUS,
    policy: HoldPolicy = HoldPolicy(), now: datetime | None = None,
) -> CheckoutSummary:
    """Fill in contact, address, payment method and delivery choices; new ``lines`` re-reserve
    (within the policy: never beyond the cart's maximum age)."""
    now = now or utcnow()
    uow.begin_write()
    checkout = get_checkout(uow, checkout_id, caller=caller, lock=True)
    _require_open(checkout)
    values: dict = {}  # the checkout's new column values, written in one Core UPDATE below
    if "email" in changes:
        values["email"] = changes["email"].strip().lower()
    if "name" in changes:
        name = changes["name"].strip()
        if not name:
            raise InvalidInput.field("name", "Nama penerima wajib diisi.")
        values["name"] = name
    if "phone" in changes:
        values["phone"] = normalise_phone(changes["phone"])
    if "shipping_address" in changes:
        address = changes["shipping_address"]
        street = (address.get("street") or "").strip()
        if not street:
            raise InvalidInput.field("shipping_address.street", "Alamat jalan wajib diisi.")
        kec, kel = places.resolve_place(address.get("kecamatan", ""), address.get("kelurahan", ""), prefix="shipping_address.")
        values.update(street=street, kecamatan_code=kec.code, kelurahan_code=kel.code)
    if "payment_method" in changes:
        if changes["payment_method"] not in METHODS:
            raise InvalidInput.field("payment_method", f"Metode pembayaran: {', '.join(METHODS)}.")
        values["payment_method"] = changes["payment_method"]
    if "lines" in changes:
        variants, lines = _replace_lines(uow, checkout, changes["lines"])
    if "delivery" in changes:
        stores_in_cart = {line.store_id for line in checkout.lines}
        choices = json.loads(checkout.delivery_json)
        stores = {line.store_id: line.variant.product.store for line in checkout.lines}
        for key, method in changes["delivery"].items():
            if not str(key).isdigit() or int(key) not in stores_in_cart:
                raise InvalidInput.field(f"delivery.{key}", "Toko ini tidak ada di keranjang.")
            if method not in DELIVERY_METHODS:
                raise InvalidInput.field(f"delivery.{key}", "Pilih 'delivery' (diantar) atau 'pickup' (ambil di toko).")
            store = stores[int(key)]
            if method == "pickup" and not store.offers_pickup:
                raise InvalidInput.field(f"delivery.{key}", f"{store.name} tidak melayani ambil di toko; pilih diantar.")
            if method == "delivery" and not store.offers_delivery:
                raise InvalidInput.field(f"delivery.{key}", f"{store.name} tidak mengantar; pilih ambil di toko.")
            choices[str(int(key))] = method
        values["delivery_json"] = json.dumps(choices, sort_keys=True)
    values["updated_at"] = now
    # The new values on the object first, so that the totals below are the ones the answer
    # shows; then written in Core with the quote, rather than through an ORM flush (a third of
    # the cost of this call).
    set_loaded(checkout, values)
    parts = store_totals(uow, checkout, fees=delivery_fees_for(uow, checkout))
    values["quoted_digest"] = quote_digest(parts)
    update_loaded(uow.session, checkout, values)
    if "lines" not in changes:
        summary = summarise(uow, checkout, now=now, parts=parts)
        uow.commit()
        return summary
    # New lines: everything but holding the units is done, and the delivery fees are read,
    # before the stock is locked; the lock is held only for the check and the reservations.
    holds = _hold(uow, checkout, variants, lines, holder=holder, policy=policy, now=now)
    uow.commit()
    return summarise(uow, checkout, now=now, holds=holds, parts=parts)
