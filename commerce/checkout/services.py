"""Checkout use cases: start a cart (reserving stock), fill it, complete it into orders.

Concurrency rules, in one place:
- every use case that changes what is available starts a write transaction
  (``uow.begin_write()``) and locks the variant rows it needs in ascending id order;
- availability is always recomputed under that lock, so two buyers can never both have the
  last unit, and a POS sale racing an online checkout is serialised the same way;
- completion locks the checkout row first, so duplicate completions queue behind each other
  and the later ones find the first one's idempotency record or finished orders.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Callable, NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from commerce import places
from commerce.accounts.models import User
from commerce.catalog.models import Product, Variant
from commerce.checkout.models import Checkout, CheckoutLine, IdempotencyRecord
from commerce.db import utcnow
from commerce.errors import FieldError, InvalidInput, NotFound
from commerce.inventory.lock_objects import lock_variants
from commerce.inventory.management import LineRequest, ensure_available, merge_lines
from commerce.inventory.models import Allocation, Reservation
from commerce.orders.models import Order, OrderLine, OrderStatusChange, Payment
from commerce.orders.services import hash_order_token
from commerce.payments.api import METHODS, PaymentProvider
from commerce.phones import normalise_phone
from commerce.stores.delivery import delivery_fee
from commerce.stores.models import Store
from commerce.unit_of_work import UnitOfWork, write_transaction

__all__ = [
    "LineRequest",
    "PlacedOrder",
    "DEFAULT_RESERVATION",
    "start_checkout",
    "update_checkout",
    "get_checkout",
    "store_delivery",
    "reserved_until",
    "StoreTotals",
    "store_totals",
    "complete_checkout",
]

DEFAULT_RESERVATION = timedelta(minutes=15)
DELIVERY_METHODS = ("delivery", "pickup")


class PlacedOrder(NamedTuple):
    """An order as completion hands it to the renderer; ``token`` only on first completion."""

    order: Order
    token: str | None


def _new_checkout_id() -> str:
    return secrets.token_urlsafe(32)


def get_checkout(uow: UnitOfWork, checkout_id: str, *, lock: bool = False) -> Checkout:
    query = select(Checkout).where(Checkout.id == checkout_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    checkout = uow.session.scalar(query)
    if checkout is None:
        raise NotFound("Checkout tidak ditemukan.")
    return checkout


def _buyable(uow: UnitOfWork, variants: dict[int, Variant], lines: list[LineRequest]) -> None:
    """Every line must name a variant of an active product in an approved store."""
    errors = []
    products = {p.id: p for p in uow.session.scalars(
        select(Product).where(Product.id.in_({v.product_id for v in variants.values()}))
    )}
    for i, line in enumerate(lines):
        variant = variants.get(line.variant_id)
        product = products.get(variant.product_id) if variant else None
        if product is None or product.status != "active" or product.store.status != "approved":
            errors.append(FieldError(f"lines.{i}.variant_id", f"Varian {line.variant_id} tidak dijual."))
    if errors:
        raise InvalidInput(errors[0].message, errors=errors)


def _reserve(uow: UnitOfWork, checkout: Checkout, requested: list[LineRequest], *, ttl: timedelta, now: datetime) -> None:
    """Replace the checkout's lines and hold their units until now + ttl (locks held by caller)."""
    lines = merge_lines(requested)
    variants = lock_variants(uow.session, [line.variant_id for line in lines])
    _buyable(uow, variants, lines)
    ensure_available(uow.session, variants, lines, now=now, except_checkout=checkout.id)
    uow.session.execute(delete(Reservation).where(Reservation.checkout_id == checkout.id))
    checkout.lines.clear()
    uow.session.flush()
    until = now + ttl
    for line in lines:
        checkout.lines.append(CheckoutLine(
            variant_id=line.variant_id, store_id=variants[line.variant_id].store_id, quantity=line.quantity,
        ))
        uow.session.add(Reservation(
            checkout_id=checkout.id, variant_id=line.variant_id, quantity=line.quantity, reserved_until=until,
        ))


def start_checkout(
    uow: UnitOfWork, *, lines: list[LineRequest], user: User | None = None,
    ttl: timedelta = DEFAULT_RESERVATION, now: datetime | None = None,
) -> Checkout:
    now = now or utcnow()
    uow.begin_write()
    checkout = Checkout(id=_new_checkout_id(), user_id=user.id if user else None, created_at=now, updated_at=now)
    uow.session.add(checkout)
    uow.session.flush()
    _reserve(uow, checkout, lines, ttl=ttl, now=now)
    uow.commit()
    return checkout


def _require_open(checkout: Checkout) -> None:
    if checkout.completed_at is not None:
        raise InvalidInput.field("checkout", "Checkout ini sudah selesai; buat checkout baru.")


@write_transaction
def update_checkout(
    uow: UnitOfWork, checkout_id: str, *, changes: dict, ttl: timedelta = DEFAULT_RESERVATION,
    now: datetime | None = None,
) -> Checkout:
    """Fill in contact, address, payment method and delivery choices; new ``lines`` re-reserve."""
    now = now or utcnow()
    checkout = get_checkout(uow, checkout_id, lock=True)
    _require_open(checkout)
    if "email" in changes:
        checkout.email = changes["email"].strip().lower()
    if "name" in changes:
        name = changes["name"].strip()
        if not name:
            raise InvalidInput.field("name", "Nama penerima wajib diisi.")
        checkout.name = name
    if "phone" in changes:
        checkout.phone = normalise_phone(changes["phone"])
    if "shipping_address" in changes:
        address = changes["shipping_address"]
        street = (address.get("street") or "").strip()
        if not street:
            raise InvalidInput.field("shipping_address.street", "Alamat jalan wajib diisi.")
        kec, kel = places.resolve_place(address.get("kecamatan", ""), address.get("kelurahan", ""), prefix="shipping_address.")
        checkout.street, checkout.kecamatan_code, checkout.kelurahan_code = street, kec.code, kel.code
    if "payment_method" in changes:
        if changes["payment_method"] not in METHODS:
            raise InvalidInput.field("payment_method", f"Metode pembayaran: {', '.join(METHODS)}.")
        checkout.payment_method = changes["payment_method"]
    if "lines" in changes:
        _reserve(uow, checkout, changes["lines"], ttl=ttl, now=now)
    if "delivery" in changes:
        stores_in_cart = {line.store_id for line in checkout.lines}
        choices = json.loads(checkout.delivery_json)
        for key, method in changes["delivery"].items():
            if not str(key).isdigit() or int(key) not in stores_in_cart:
                raise InvalidInput.field(f"delivery.{key}", "Toko ini tidak ada di keranjang.")
            if method not in DELIVERY_METHODS:
                raise InvalidInput.field(f"delivery.{key}", "Pilih 'delivery' (diantar) atau 'pickup' (ambil di toko).")
            choices[str(int(key))] = method
        checkout.delivery_json = json.dumps(choices, sort_keys=True)
    checkout.updated_at = now
    uow.commit()
    return checkout


def store_delivery(checkout: Checkout) -> dict[int, str]:
    """The delivery choice per store in the cart; delivery unless the buyer chose pickup."""
    choices = json.loads(checkout.delivery_json)
    return {line.store_id: choices.get(str(line.store_id), "delivery") for line in checkout.lines}


class StoreTotals(NamedTuple):
    """One store's part of a cart: what becomes one order."""

    store: Store
    lines: list[CheckoutLine]
    delivery: str  # delivery | pickup
    items_total: int
    delivery_fee: int  # 0 for pickup, and while the destination is not known yet

    @property
    def total(self) -> int:
        return self.items_total + self.delivery_fee


def store_totals(uow: UnitOfWork, checkout: Checkout) -> list[StoreTotals]:
    by_store: dict[int, list[CheckoutLine]] = defaultdict(list)
    for line in checkout.lines:
        by_store[line.store_id].append(line)
    delivery = store_delivery(checkout)
    result = []
    for store_id in sorted(by_store):
        lines = by_store[store_id]
        store = lines[0].variant.product.store
        method = delivery[store_id]
        fee = delivery_fee(uow, store, checkout.kecamatan_code) if method == "delivery" and checkout.kecamatan_code else 0
        items_total = sum(line.variant.price * line.quantity for line in lines)
        result.append(StoreTotals(store, lines, method, items_total, fee))
    return result


def reserved_until(uow: UnitOfWork, checkout: Checkout) -> datetime | None:
    return uow.session.scalar(
        select(Reservation.reserved_until).where(Reservation.checkout_id == checkout.id).limit(1)
    )


def _fingerprint(checkout_id: str, body: dict) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{checkout_id}\n{canonical}".encode()).hexdigest()


def _ready(checkout: Checkout, providers: dict[str, PaymentProvider]) -> None:
    missing = [f for f in ("email", "name", "phone", "payment_method") if not getattr(checkout, f)]
    errors = [FieldError(f, "Wajib diisi sebelum checkout diselesaikan.") for f in missing]
    if checkout.payment_method and checkout.payment_method not in providers:
        errors.append(FieldError("payment_method", f"Metode {checkout.payment_method} belum tersedia."))
    if "delivery" in store_delivery(checkout).values() and not checkout.street:
        errors.append(FieldError("shipping_address", "Alamat pengiriman wajib diisi untuk barang yang diantar."))
    if errors:
        raise InvalidInput("Lengkapi checkout: " + ", ".join(e.field for e in errors) + ".", errors=errors)


def complete_checkout(
    uow: UnitOfWork,
    checkout_id: str,
    *,
    idempotency_key: str,
    body: dict,
    render: Callable[[list[PlacedOrder], bool], tuple[int, dict]],
    providers: dict[str, PaymentProvider],
    now: datetime | None = None,
) -> tuple[int, dict]:
    """Turn the checkout into one order per store, exactly once.

    ``render(placed, first_time)`` builds the answer inside the transaction, so the answer
    stored for the Idempotency-Key is the one the first caller got. The same key with the same
    body replays it; the same key with another body is refused; another key for a completed
    checkout gets its orders again (without the tracking tokens, which were only ever shown once).
    """
    now = now or utcnow()
    fingerprint = _fingerprint(checkout_id, body)
    uow.begin_write()
    checkout = get_checkout(uow, checkout_id, lock=True)
    record = uow.session.get(IdempotencyRecord, idempotency_key)
    if record is not None:
        if record.fingerprint != fingerprint:
            raise InvalidInput.field("Idempotency-Key", "Kunci ini sudah dipakai untuk permintaan lain; buat kunci baru.")
        return record.status_code, json.loads(record.response_json)

    if checkout.completed_at is not None:
        orders = list(uow.session.scalars(select(Order).where(Order.checkout_id == checkout.id).order_by(Order.id)))
        status, answer = render([PlacedOrder(o, None) for o in orders], False)
    else:
        placed = _place_orders(uow, checkout, providers=providers, now=now)
        status, answer = render(placed, True)
    uow.session.add(IdempotencyRecord(
        key=idempotency_key, fingerprint=fingerprint, checkout_id=checkout.id,
        status_code=status, response_json=json.dumps(answer, ensure_ascii=False), created_at=now,
    ))
    try:
        uow.commit()
    except IntegrityError:  # the same key used concurrently for another checkout
        uow.rollback()
        raise InvalidInput.field("Idempotency-Key", "Kunci ini sudah dipakai untuk permintaan lain; buat kunci baru.")
    return status, answer


def _place_orders(uow: UnitOfWork, checkout: Checkout, *, providers, now: datetime) -> list[PlacedOrder]:
    _ready(checkout, providers)
    lines = [LineRequest(line.variant_id, line.quantity) for line in checkout.lines]
    if not lines:
        raise InvalidInput.field("lines", "Keranjang kosong.")
    variants = lock_variants(uow.session, [line.variant_id for line in lines])
    _buyable(uow, variants, lines)
    # Our own reservation counts for us, whether or not it has run out: if it has, the units
    # are ours only if nobody else took them meanwhile, which this check decides.
    ensure_available(uow.session, variants, lines, now=now, except_checkout=checkout.id)

    provider = providers[checkout.payment_method]
    placed = []
    for part in store_totals(uow, checkout):
        store, method = part.store, part.delivery
        token = secrets.token_urlsafe(24)
        order = Order(
            store_id=store.id, checkout_id=checkout.id, user_id=checkout.user_id, token_hash=hash_order_token(token),
            status="new", payment_method=checkout.payment_method, delivery_method=method,
            items_total=part.items_total, delivery_fee=part.delivery_fee, total=part.total,
            buyer_name=checkout.name, buyer_email=checkout.email, buyer_phone=checkout.phone,
            street=checkout.street if method == "delivery" else None,
            kecamatan_code=checkout.kecamatan_code if method == "delivery" else None,
            kelurahan_code=checkout.kelurahan_code if method == "delivery" else None,
            created_at=now, updated_at=now,
        )
        uow.session.add(order)
        uow.session.flush()
        order.number = f"BHB-{now:%y%m%d}-{order.id:06d}"
        start = provider.start(uow.session, order_number=order.number, total=order.total, store=store, now=now)
        order.status, order.payment_due_at = start.order_status, start.due_at
        for line in part.lines:
            variant = variants[line.variant_id]
            order_line = OrderLine(
                order_id=order.id, variant_id=variant.id, product_name=variant.product.name, variant_name=variant.name,
                sku=variant.sku, unit_price=variant.price, quantity=line.quantity, total=variant.price * line.quantity,
            )
            uow.session.add(order_line)
            uow.session.flush()
            uow.session.add(Allocation(
                order_id=order.id, order_line_id=order_line.id, variant_id=variant.id,
                quantity=line.quantity, expires_at=start.due_at, created_at=now,
            ))
        uow.session.add(Payment(
            order_id=order.id, method=provider.method, amount=start.amount, reference=start.reference,
            instructions_json=json.dumps(start.instructions, ensure_ascii=False), created_at=now,
        ))
        uow.session.add(OrderStatusChange(
            order_id=order.id, from_status=None, to_status=order.status, actor="buyer",
            actor_user_id=checkout.user_id, note="pesanan dibuat", at=now,
        ))
        placed.append(PlacedOrder(order, token))
    uow.session.execute(delete(Reservation).where(Reservation.checkout_id == checkout.id))
    checkout.completed_at = now
    uow.session.flush()
    for p in placed:
        uow.session.refresh(p.order)
    return placed
