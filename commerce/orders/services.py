"""Order use cases: move an order through its state machine, confirm payments, read orders.

Every change of status goes through :func:`transition`, which enforces the state machine,
applies the stock side effects and records who did what when.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from sqlalchemy import delete, func, select

from commerce.accounts.models import User
from commerce.db import utcnow
from commerce.errors import Conflict, FieldError, InvalidInput, NotAllowed, NotFound
from commerce.inventory.lock_objects import lock_variants
from commerce.inventory.models import Allocation
from commerce.orders.models import Order, OrderStatusChange
from commerce.orders.status import GOODS_LEAVE, STATUSES, TERMINAL, allowed_actors
from commerce.paging import Page, keyset_page
from commerce.phones import normalise_phone
from commerce.stores.models import Store
from commerce.unit_of_work import UnitOfWork

__all__ = [
    "hash_order_token",
    "transition",
    "change_status",
    "record_payment",
    "expire_overdue",
    "store_orders",
    "store_order",
    "buyer_order",
    "buyer_orders",
    "buyer_change_status",
    "order_by_number_and_phone",
    "status_counts",
]


def hash_order_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _lock_order(uow: UnitOfWork, order_id: int) -> Order | None:
    query = select(Order).where(Order.id == order_id).with_for_update(of=Order).execution_options(populate_existing=True)
    return uow.session.scalar(query)


def transition(
    uow: UnitOfWork, order: Order, to_status: str, *, actor: str, user: User | None = None,
    note: str = "", now: datetime | None = None,
) -> None:
    """Move ``order`` (locked by the caller) to ``to_status``; the caller commits.

    ``now`` is for tests; by default the clock is read here, and again once the order's stock
    is locked when a payment meets its deadline.
    """
    clock_given = now is not None
    now = now or utcnow()
    if to_status not in STATUSES:
        raise InvalidInput.field("status", f"Status tidak dikenal: {to_status}. Pilihan: {', '.join(STATUSES)}.")
    if actor not in allowed_actors(order.status, to_status):
        if order.status in TERMINAL:
            raise Conflict(f"Pesanan {order.number} sudah {order.status}; statusnya tidak bisa diubah lagi.",
                           errors=[FieldError("status", f"status akhir: {order.status}")])
        raise Conflict(f"Pesanan {order.number} tidak bisa diubah dari {order.status} ke {to_status}.",
                       errors=[FieldError("status", f"tidak boleh dari {order.status} ke {to_status}")])
    if to_status == "shipped" and order.delivery_method != "delivery":
        raise Conflict("Pesanan ini diambil di toko; gunakan ready_for_pickup.", errors=[FieldError("status", "pickup")])
    if to_status == "ready_for_pickup" and order.delivery_method != "pickup":
        raise Conflict("Pesanan ini diantar; gunakan shipped.", errors=[FieldError("status", "delivery")])
    if to_status == "completed" and order.payment_status != "paid":
        raise Conflict("Catat pembayaran tunai (COD) dulu sebelum menyelesaikan pesanan.",
                       errors=[FieldError("status", "belum dibayar")])
    if to_status == "paid" and order.payment_due_at is not None:
        # Until the deadline the units are the order's; from it on a checkout may count them
        # as free and take them. Decide under the same stock lock such a checkout takes, by the
        # clock read after it: a checkout that took the units first has committed by then, at a
        # moment past the deadline, and one that comes later sees them kept for this order.
        lock_variants(uow.session, uow.session.scalars(select(Allocation.variant_id).where(Allocation.order_id == order.id)))
        if not clock_given:
            now = utcnow()
        if order.payment_due_at <= now:
            # The units may already be sold to someone else: an expired order stays expired.
            _apply(uow, order, "expired", actor="system", user=None, note="batas waktu pembayaran lewat", now=now)
            raise Conflict(f"Batas waktu pembayaran pesanan {order.number} sudah lewat; pesanan kedaluwarsa.",
                           errors=[FieldError("status", "kedaluwarsa")])
    _apply(uow, order, to_status, actor=actor, user=user, note=note, now=now)


def _apply(uow, order, to_status, *, actor, user, note, now) -> None:
    allocations = list(uow.session.scalars(select(Allocation).where(Allocation.order_id == order.id)))
    if to_status in GOODS_LEAVE and allocations:
        variants = lock_variants(uow.session, [a.variant_id for a in allocations])
        for allocation in allocations:
            variant = variants[allocation.variant_id]
            variant.stock = max(variant.stock - allocation.quantity, 0)
        uow.session.execute(delete(Allocation).where(Allocation.order_id == order.id))
    elif to_status in ("cancelled", "expired"):
        uow.session.execute(delete(Allocation).where(Allocation.order_id == order.id))
        for payment in order.payments:
            if payment.status == "pending":
                payment.status = "cancelled"
    elif to_status == "paid":
        _settle(uow, order, user=user, now=now)
    order.history.append(OrderStatusChange(
        from_status=order.status, to_status=to_status, actor=actor,
        actor_user_id=user.id if user else None, note=note[:300], at=now,
    ))
    order.status = to_status
    order.updated_at = now


def _settle(uow, order, *, user, now) -> None:
    order.payment_status = "paid"
    order.payment_due_at = None
    for allocation in uow.session.scalars(select(Allocation).where(Allocation.order_id == order.id)):
        allocation.expires_at = None  # paid: the units stay promised however long shipping takes
    for payment in order.payments:
        if payment.status == "pending":
            payment.status, payment.paid_at = "paid", now
            payment.confirmed_by = user.id if user else None


def _actor_for(user: User, store: Store) -> str:
    if user.id == store.owner_id:
        return "seller"
    if user.has_role("admin"):
        return "admin"
    raise NotAllowed("Anda bukan pemilik toko ini.")


def store_order(uow: UnitOfWork, store: Store, order_id: int, *, lock: bool = False) -> Order:
    order = _lock_order(uow, order_id) if lock else uow.session.get(Order, order_id)
    if order is None or order.store_id != store.id:
        raise NotFound(f"Pesanan {order_id} tidak ada di toko ini.")
    return order


def change_status(uow: UnitOfWork, store: Store, order_id: int, to_status: str, *, user: User, note: str = "") -> Order:
    """A seller (or an admin) moves one of the store's orders."""
    actor = _actor_for(user, store)
    uow.begin_write()
    order = store_order(uow, store, order_id, lock=True)
    if to_status == "paid" and order.payment_method == "cod":
        raise Conflict("Pesanan COD dicatat lunas lewat pembayaran, bukan status.", errors=[FieldError("status", "cod")])
    transition(uow, order, to_status, actor=actor, user=user, note=note)
    uow.commit()
    return order


def record_payment(uow: UnitOfWork, store: Store, order_id: int, *, user: User, note: str = "") -> Order:
    """The seller or an admin confirms money received: a bank transfer arrived (the order becomes
    paid) or the cash of a cash-on-delivery order was collected."""
    actor = _actor_for(user, store)
    uow.begin_write()
    order = store_order(uow, store, order_id, lock=True)
    if order.payment_status == "paid":
        raise Conflict(f"Pesanan {order.number} sudah lunas.", errors=[FieldError("payment", "sudah lunas")])
    if order.payment_method == "cod":
        if order.status in TERMINAL:
            raise Conflict(f"Pesanan {order.number} sudah {order.status}.", errors=[FieldError("payment", order.status)])
        now = utcnow()
        _settle(uow, order, user=user, now=now)
        order.history.append(OrderStatusChange(from_status=order.status, to_status=order.status,
                                               actor=actor, actor_user_id=user.id, note=note or "COD lunas", at=now))
    elif order.payment_method == "bank_transfer":
        transition(uow, order, "paid", actor=actor, user=user, note=note or "transfer diterima")
    else:
        raise Conflict("Pembayaran ini dikonfirmasi oleh penyedia pembayaran.", errors=[FieldError("payment", order.payment_method)])
    uow.commit()
    return order


def expire_overdue(uow: UnitOfWork, *, store_id: int | None = None, order_id: int | None = None,
                   now: datetime | None = None) -> int:
    """Record the expiry of unpaid orders whose deadline has passed.

    Their stock is already available again (allocations filter by time); this only makes the
    status say so. Runs lazily before orders are read or moved, and as ``smartcity orders expire``.
    """
    now = now or utcnow()
    query = select(Order.id).where(Order.status == "awaiting_payment", Order.payment_due_at <= now)
    if store_id is not None:
        query = query.where(Order.store_id == store_id)
    if order_id is not None:
        query = query.where(Order.id == order_id)
    overdue = list(uow.session.scalars(query))
    if not overdue:
        return 0
    uow.begin_write()
    count = 0
    for oid in overdue:
        order = _lock_order(uow, oid)
        if order is not None and order.status == "awaiting_payment" and order.payment_due_at <= now:
            transition(uow, order, "expired", actor="system", note="batas waktu pembayaran lewat", now=now)
            count += 1
    uow.commit()
    return count


def store_orders(uow: UnitOfWork, store: Store, *, status: str | None, cursor: str | None, limit: int) -> Page:
    expire_overdue(uow, store_id=store.id)
    query = select(Order).where(Order.store_id == store.id)
    if status:
        wanted = [s.strip() for s in status.split(",") if s.strip()]  # "paid,processing": a board's column
        unknown = [s for s in wanted if s not in STATUSES]
        if unknown or not wanted:
            raise InvalidInput.field("status", f"Status tidak dikenal: {', '.join(unknown) or status}.")
        query = query.where(Order.status.in_(wanted))
    return keyset_page(uow.session, query, Order.id, cursor=cursor, limit=limit)


def buyer_order(uow: UnitOfWork, order_id: int, *, token: str | None, user: User | None) -> Order:
    """An order read by its buyer: with the order's secret token, or as the account that placed it.

    Both failures give the same 404, so ids cannot be probed for existence.
    """
    order = uow.session.get(Order, order_id)
    allowed = order is not None and (
        (token and hmac.compare_digest(order.token_hash, hash_order_token(token)))
        or (user is not None and order.user_id == user.id)
    )
    if not allowed:
        raise NotFound(f"Pesanan {order_id} tidak ditemukan (periksa token pesanan).")
    if order.status == "awaiting_payment" and order.payment_due_at and order.payment_due_at <= utcnow():
        expire_overdue(uow, order_id=order.id)
        order = uow.session.get(Order, order_id, populate_existing=True)
    return order


def buyer_orders(uow: UnitOfWork, user: User, *, cursor: str | None, limit: int) -> Page:
    return keyset_page(uow.session, select(Order).where(Order.user_id == user.id), Order.id, cursor=cursor, limit=limit)


def buyer_change_status(uow: UnitOfWork, order_id: int, to_status: str, *, token: str | None, user: User | None) -> Order:
    """What a buyer may do: cancel an order still awaiting payment, confirm receipt."""
    found = buyer_order(uow, order_id, token=token, user=user)
    uow.begin_write()
    order = _lock_order(uow, found.id)
    transition(uow, order, to_status, actor="buyer", user=user, note="oleh pembeli")
    uow.commit()
    return order


def order_by_number_and_phone(uow: UnitOfWork, number: str, phone: str) -> Order:
    """An order found by its number and the phone number given at checkout: how a buyer who
    lost the tracking link finds it again. Any mismatch is the same 404; the API rate-limits
    the attempts per address, and the answer leaves out the email and street address."""
    try:
        normalised = normalise_phone(phone)
    except InvalidInput:
        normalised = ""
    order = uow.session.scalar(select(Order).where(Order.number == number.strip().upper()))
    if order is None or not normalised or not hmac.compare_digest(order.buyer_phone or "", normalised):
        raise NotFound("Tidak ada pesanan dengan nomor dan nomor telepon itu.")
    return order


def status_counts(uow: UnitOfWork, store: Store) -> dict[str, int]:
    """Orders of the store per status, for the seller's order board (every status, zeros too)."""
    expire_overdue(uow, store_id=store.id)
    counts = dict.fromkeys(STATUSES, 0)
    for status, count in uow.session.execute(
            select(Order.status, func.count()).where(Order.store_id == store.id).group_by(Order.status)):
        counts[status] = int(count)
    return counts
