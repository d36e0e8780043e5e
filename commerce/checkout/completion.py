"""Completing a checkout: one order per store, exactly once, with the stock taken under lock.

The variant rows of the cart stay locked from the availability check to the commit, and every
statement run meanwhile lengthens the time other buyers of the same goods wait. So completion
writes in two steps: first everything that does not depend on stock (the orders and their
lines, payments and history, the answer and its Idempotency-Key record), then, under the
lock, only the check and the allocations that take the units. Each table gets one
multi-row statement, and nothing is read back but the new ids. If the units are gone, the
whole transaction rolls back, orders included.

Nothing is charged that the buyer was not shown: if a price, quantity or delivery fee changed
since the buyer's last look at the checkout (or the total differs from the ``expected_total``
the buyer confirmed), completion places nothing and answers with the new totals
(:class:`PricesChanged`); completing again then places the orders at those totals.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime
from typing import Callable, NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from commerce.accounts.models import User
from commerce.bulk import insert_rows, insert_rows_returning_ids, update_loaded, update_rows_by_id
from commerce.calendar import day_code
from commerce.catalog.models import Variant
from commerce.checkout.models import Checkout, IdempotencyRecord
from commerce.checkout.services import check_buyable, get_checkout
from commerce.checkout.summary import (CheckoutSummary, delivery_fees_for, quote_digest, store_delivery, store_totals,
                                       summarise)
from commerce.db import utcnow
from commerce.errors import Conflict, FieldError, InvalidInput
from commerce.inventory.lock_objects import lock_stock
from commerce.inventory.management import LineRequest, ensure_available
from commerce.inventory.models import Allocation, Reservation
from commerce.orders.models import Order, OrderLine, OrderStatusChange, Payment, is_pending_amount_clash
from commerce.orders.services import hash_order_token
from commerce.payments.api import PaymentProvider, PaymentStart
from commerce.unit_of_work import UnitOfWork

__all__ = ["PlacedOrder", "NewOrder", "NewPayment", "PricesChanged", "complete_checkout"]


class PricesChanged(Conflict):
    """A price, quantity or fee changed since the buyer last saw the checkout; nothing was
    placed. ``summary`` is the checkout as it is now, which the buyer must be shown."""

    title = "Harga atau ongkir berubah"

    def __init__(self, summary: CheckoutSummary):
        super().__init__("Harga atau ongkir berubah sejak Anda terakhir melihat checkout ini. Periksa total baru, "
                         "lalu selesaikan lagi.")
        self.summary = summary


class PlacedOrder(NamedTuple):
    """An order as completion hands it to the renderer; ``token`` only on first completion.

    ``order`` is an :class:`Order` when an earlier completion is answered again, and a
    :class:`NewOrder` (same attribute names) when the orders were just placed.
    """

    order: "Order | NewOrder"
    token: str | None


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
    caller: User | None = None,
    expected_total: int | None = None,
    now: datetime | None = None,
) -> tuple[int, dict]:
    """Turn the checkout into one order per store, exactly once.

    ``render(placed, first_time)`` builds the answer inside the transaction, so the answer
    stored for the Idempotency-Key is the one the first caller got. The same key with the same
    body replays it; the same key with another body is refused; another key for a completed
    checkout gets its orders again (without the tracking tokens, which were only ever shown once).

    Raises :class:`PricesChanged` (after recording that the buyer has now been shown the new
    totals) when the totals are not the ones the buyer saw or, with ``expected_total``, confirmed.
    """
    now = now or utcnow()
    fingerprint = _fingerprint(checkout_id, body)
    uow.begin_write()
    checkout = get_checkout(uow, checkout_id, caller=caller, lock=True)
    record = uow.session.get(IdempotencyRecord, idempotency_key)
    if record is not None:
        if record.fingerprint != fingerprint:
            raise InvalidInput.field("Idempotency-Key", "Kunci ini sudah dipakai untuk permintaan lain; buat kunci baru.")
        return record.status_code, json.loads(record.response_json)

    if checkout.completed_at is not None:
        orders = list(uow.session.scalars(select(Order).where(Order.checkout_id == checkout.id).order_by(Order.id)))
        status, answer = render([PlacedOrder(o, None) for o in orders], False)
        _remember(uow, idempotency_key, fingerprint, checkout, status, answer, now)
    else:
        placing = _write_orders(uow, checkout, providers=providers, expected_total=expected_total, now=now)
        status, answer = render(placing.placed, True)
        _remember(uow, idempotency_key, fingerprint, checkout, status, answer, now)
        _take_stock(uow, checkout, placing, now=now)
    uow.commit()
    return status, answer


def _remember(uow: UnitOfWork, key: str, fingerprint: str, checkout: Checkout, status: int, answer: dict,
              now: datetime) -> None:
    """Store the answer under its Idempotency-Key, written now rather than at the commit, so
    that a clash is known before the stock is locked."""
    try:
        insert_rows(uow.session, IdempotencyRecord, [dict(
            key=key, fingerprint=fingerprint, checkout_id=checkout.id,
            status_code=status, response_json=json.dumps(answer, ensure_ascii=False), created_at=now,
        )])
    except IntegrityError:  # the same key used concurrently for another checkout
        uow.rollback()
        raise InvalidInput.field("Idempotency-Key", "Kunci ini sudah dipakai untuk permintaan lain; buat kunci baru.")


class NewPayment(NamedTuple):
    method: str
    status: str
    amount: int
    reference: str | None
    instructions_json: str
    paid_at: datetime | None


class NewOrder(NamedTuple):
    """A just-placed order, with the attributes the answer reads from an :class:`Order`."""

    id: int
    number: str
    store_id: int
    status: str
    total: int
    payment_method: str
    payment_due_at: datetime | None
    payments: list[NewPayment]


class _Placing(NamedTuple):
    """Orders and their lines written, but not yet given their units."""

    placed: list[PlacedOrder]
    lines: list[LineRequest]
    variants: dict[int, Variant]  # the cart's variants, as loaded with the checkout
    allocations: list[dict]  # rows for Allocation, one per order line


def _confirm_prices(uow: UnitOfWork, checkout: Checkout, parts, *, expected_total: int | None, now: datetime) -> None:
    digest = quote_digest(parts)
    if expected_total is not None:
        shown = expected_total == sum(part.total for part in parts)
    else:
        shown = checkout.quoted_digest == digest
    if shown:
        return
    # The answer shows the new totals: from now on they are what completing charges.
    update_loaded(uow.session, checkout, {"quoted_digest": digest, "updated_at": now})
    summary = summarise(uow, checkout, now=now, parts=parts)
    uow.commit()
    raise PricesChanged(summary)


def _write_orders(uow: UnitOfWork, checkout: Checkout, *, providers, expected_total: int | None,
                  now: datetime) -> _Placing:
    """Orders, their lines, payments, history; the checkout marked complete. Nothing here
    locks stock, so none of it makes another buyer wait."""
    _ready(checkout, providers)
    lines = [LineRequest(line.variant_id, line.quantity) for line in checkout.lines]
    if not lines:
        raise InvalidInput.field("lines", "Keranjang kosong.")
    # The product and store as loaded with the checkout: a product withdrawn from sale since
    # the cart was filled is refused here, before anything is written.
    variants = {line.variant_id: line.variant for line in checkout.lines}
    check_buyable(variants, lines)
    provider = providers[checkout.payment_method]
    parts = store_totals(uow, checkout, fees=delivery_fees_for(uow, checkout))
    _confirm_prices(uow, checkout, parts, expected_total=expected_total, now=now)
    tokens = [secrets.token_urlsafe(24) for _ in parts]
    session = uow.session
    # Plain multi-row INSERTs rather than ORM objects (commerce.bulk): the rows are all known,
    # and nothing needs to be read back but the new ids.
    order_ids = insert_rows_returning_ids(session, Order, [
        dict(store_id=part.store.id, checkout_id=checkout.id, user_id=checkout.user_id,
             token_hash=hash_order_token(token), status="new", payment_method=checkout.payment_method,
             delivery_method=part.delivery, items_total=part.items_total, delivery_fee=part.delivery_fee,
             total=part.total, buyer_name=checkout.name, buyer_email=checkout.email, buyer_phone=checkout.phone,
             street=checkout.street if part.delivery == "delivery" else None,
             kecamatan_code=checkout.kecamatan_code if part.delivery == "delivery" else None,
             kelurahan_code=checkout.kelurahan_code if part.delivery == "delivery" else None,
             created_at=now, updated_at=now)
        for part, token in zip(parts, tokens)
    ])

    numbers = [f"BHB-{day_code(now)}-{order_id:06d}" for order_id in order_ids]
    starts, payments = _start_payments(session, provider, parts, numbers, order_ids, now=now)
    placed, numbering, order_lines, history = [], [], [], []
    for part, token, order_id, number, start, payment in zip(parts, tokens, order_ids, numbers, starts, payments):
        numbering.append({"id": order_id, "number": number, "status": start.order_status,
                          "payment_due_at": start.due_at, "updated_at": now})
        for line in part.lines:
            # From the same rows the totals were summed from: an order's lines add up to its total.
            variant = line.variant
            order_lines.append(dict(
                order_id=order_id, variant_id=variant.id, product_name=variant.product.name, variant_name=variant.name,
                sku=variant.sku, unit_price=variant.price, quantity=line.quantity, total=variant.price * line.quantity,
            ))
        history.append(dict(order_id=order_id, from_status=None, to_status=start.order_status, actor="buyer",
                            actor_user_id=checkout.user_id, note="pesanan dibuat", at=now))
        placed.append(PlacedOrder(NewOrder(order_id, number, part.store.id, start.order_status, part.total,
                                           checkout.payment_method, start.due_at, [payment]), token))
    update_rows_by_id(session, Order, numbering)
    # The order lines reference the variants, which takes a key-share lock on them; the stock
    # lock (FOR NO KEY UPDATE) does not conflict with it, see commerce.inventory.lock_objects.
    line_ids = insert_rows_returning_ids(session, OrderLine, order_lines)
    insert_rows(session, OrderStatusChange, history)
    # The checkout's own reservations never count against it (ensure_available excludes
    # them), so they can go before the lock; a rollback brings them back.
    session.execute(delete(Reservation).where(Reservation.checkout_id == checkout.id))
    # Written now, not at the commit, so that it is done before the lock.
    update_loaded(session, checkout, {"completed_at": now, "updated_at": now})
    due = {p.order.id: p.order.payment_due_at for p in placed}
    allocations = [
        dict(order_id=row["order_id"], order_line_id=line_id, variant_id=row["variant_id"], quantity=row["quantity"],
             expires_at=due[row["order_id"]], created_at=now)
        for row, line_id in zip(order_lines, line_ids)
    ]
    return _Placing(placed, lines, variants, allocations)


AMOUNT_ATTEMPTS = 5


def _start_payments(session, provider: PaymentProvider, parts, numbers: list[str], order_ids: list[int], *,
                    now: datetime) -> tuple[list[PaymentStart], list[NewPayment]]:
    """Each order's payment, as its provider starts it, written.

    Where the amount identifies the order (bank transfer), a completion running at the same
    moment may have chosen the same amount on the same account. The database refuses the
    second one (``uq_payments_pending_transfer_amount``; PostgreSQL makes it wait for the
    first to commit or roll back), and the codes are chosen again, with the first one's now
    visible. Only that insert is undone, in a savepoint; the orders written before stay.
    """
    for _ in range(AMOUNT_ATTEMPTS):
        starts = [provider.start(session, order_number=number, total=part.total, store=part.store, now=now)
                  for part, number in zip(parts, numbers)]
        payments = [NewPayment(provider.method, "pending", start.amount, start.reference,
                               json.dumps(start.instructions, ensure_ascii=False), None) for start in starts]
        rows = [dict(order_id=order_id, created_at=now, **payment._asdict())
                for order_id, payment in zip(order_ids, payments)]
        if not provider.amount_identifies_order:
            insert_rows(session, Payment, rows)
            return starts, payments
        try:
            with session.begin_nested():
                insert_rows(session, Payment, rows)
            return starts, payments
        except IntegrityError as error:
            if not is_pending_amount_clash(error):
                raise
    raise Conflict("Jumlah transfer yang unik untuk pesanan ini sedang dipakai pembeli lain; "
                   "ulangi permintaan yang sama sebentar lagi.")


def _take_stock(uow: UnitOfWork, checkout: Checkout, placing: _Placing, *, now: datetime) -> None:
    """Under the variant lock until the commit: the check, then the rows that take the units."""
    session = uow.session
    lock_stock(session, placing.variants)
    # Our own reservation counts for us, whether or not it has run out: if it has, the units
    # are ours only if nobody else took them meanwhile, which this check decides.
    ensure_available(session, placing.variants, placing.lines, now=now, except_checkout=checkout.id)
    insert_rows(session, Allocation, placing.allocations)
