"""Point-of-sale use cases: an in-store sale takes units from the same stock as online orders,
under the same locks, so a market-stall sale and an online checkout can never both take the
last unit.

The shop's own counter comes first: a sale is refused only by units promised to placed orders,
never by other people's open carts. A cart that loses its units this way is told so, per line,
when its buyer completes it.
"""

from __future__ import annotations

from datetime import date, datetime

from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from commerce.accounts.models import User
from commerce.calendar import city_day_bounds, day_code
from commerce.db import utcnow
from commerce.errors import Conflict, FieldError, InvalidInput, NotFound
from commerce.inventory.lock_objects import lock_variants
from commerce.inventory.management import LineRequest, ensure_available, merge_lines
from commerce.pos.models import PosSale, PosSaleLine
from commerce.stores.models import Store
from commerce.stores.trading import ensure_may_sell
from commerce.unit_of_work import UnitOfWork

__all__ = ["POS_PAYMENTS", "RecordedSale", "record_sale", "void_sale", "sale_of_store", "sales_of_day", "daily_summary"]

POS_PAYMENTS = ("cash", "qris", "transfer")


class RecordedSale(NamedTuple):
    sale: PosSale
    replayed: bool  # True: the same Idempotency-Key was sent before; nothing new was sold


def _same_sale(sale: PosSale, lines: list[LineRequest], payment: str) -> bool:
    return sale.payment == payment and sorted((l.variant_id, l.quantity) for l in sale.lines) == sorted(lines)


def _existing(uow: UnitOfWork, store: Store, key: str) -> PosSale | None:
    return uow.session.scalar(select(PosSale).where(PosSale.store_id == store.id, PosSale.idempotency_key == key))


def record_sale(
    uow: UnitOfWork, store: Store, *, lines: list[LineRequest], payment: str, cashier: User,
    idempotency_key: str | None = None, cash_received: int | None = None, now: datetime | None = None,
) -> RecordedSale:
    """Sell at the counter: the units leave the stock now. With ``idempotency_key``, the same
    sale sent again is answered with the first one (``replayed``), and the same key with other
    lines is refused."""
    if payment not in POS_PAYMENTS:
        raise InvalidInput.field("payment", f"Pembayaran POS: {', '.join(POS_PAYMENTS)}.")
    now = now or utcnow()
    lines = merge_lines(lines)
    if idempotency_key is not None:
        earlier = _existing(uow, store, idempotency_key)
        if earlier is not None:
            return _replay(earlier, lines, payment)
    uow.begin_write()
    ensure_may_sell(uow, store)
    variants = lock_variants(uow.session, [line.variant_id for line in lines])
    errors = []
    for i, line in enumerate(lines):
        variant = variants.get(line.variant_id)
        if variant is None or variant.store_id != store.id:
            errors.append(FieldError(f"lines.{i}.variant_id", f"Varian {line.variant_id} bukan milik toko ini."))
        elif variant.product.status == "archived":
            errors.append(FieldError(f"lines.{i}.variant_id", f"Produk '{variant.product.name}' sudah diarsipkan; "
                                                              "tidak bisa dijual."))
    if errors:
        raise InvalidInput(errors[0].message, errors=errors)
    ensure_available(uow.session, variants, lines, now=now, carts=False)
    sale = PosSale(store_id=store.id, payment=payment, total=0, cashier_id=cashier.id, created_at=now,
                   idempotency_key=idempotency_key)
    for line in lines:
        variant = variants[line.variant_id]
        variant.stock -= line.quantity  # the goods leave the stall now
        sale.lines.append(PosSaleLine(
            variant_id=variant.id, product_name=variant.product.name, variant_name=variant.name,
            unit_price=variant.price, quantity=line.quantity, total=variant.price * line.quantity,
        ))
    sale.total = sum(line.total for line in sale.lines)
    if cash_received is not None:
        if payment != "cash":
            raise InvalidInput.field("cash_received", "Uang diterima hanya untuk pembayaran tunai.")
        if cash_received < sale.total:
            raise InvalidInput.field("cash_received", f"Uang diterima kurang dari total Rp{sale.total:,}.".replace(",", "."))
        sale.cash_received = cash_received
    uow.session.add(sale)
    try:
        uow.session.flush()
    except IntegrityError:  # the same key sent twice at the same moment: the other one sold
        uow.rollback()
        earlier = _existing(uow, store, idempotency_key) if idempotency_key else None
        if earlier is None:
            raise
        return _replay(earlier, lines, payment)
    sale.receipt_number = f"POS-{store.id:04d}-{day_code(now)}-{sale.id:06d}"
    uow.commit()
    return RecordedSale(sale, False)


def _replay(sale: PosSale, lines: list[LineRequest], payment: str) -> RecordedSale:
    if not _same_sale(sale, lines, payment):
        raise InvalidInput.field("Idempotency-Key", "Kunci ini sudah dipakai untuk penjualan lain; buat kunci baru.")
    return RecordedSale(sale, True)


def sale_of_store(uow: UnitOfWork, store: Store, sale_id: int, *, lock: bool = False) -> PosSale:
    sale = uow.session.get(PosSale, sale_id, with_for_update=lock)
    if sale is None or sale.store_id != store.id:
        raise NotFound(f"Penjualan {sale_id} tidak ada di toko ini.")
    return sale


def void_sale(uow: UnitOfWork, store: Store, sale_id: int, *, reason: str, user: User,
              now: datetime | None = None) -> PosSale:
    """Undo a sale entered by mistake: it stays on record, marked void with its reason and who
    voided it, and its units return to the stock."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput.field("reason", "Tulis alasan pembatalan.")
    uow.begin_write()
    ensure_may_sell(uow, store)
    sale = sale_of_store(uow, store, sale_id, lock=True)
    if sale.voided_at is not None:
        raise Conflict("Penjualan ini sudah dibatalkan.")
    variants = lock_variants(uow.session, [line.variant_id for line in sale.lines])
    for line in sale.lines:
        variants[line.variant_id].stock += line.quantity
    sale.voided_at, sale.void_reason, sale.voided_by_id = now or utcnow(), reason, user.id
    uow.commit()
    return sale


def sales_of_day(uow: UnitOfWork, store: Store, day: date) -> list[PosSale]:
    """Every sale of one WITA day, voided ones included, newest first."""
    start, end = city_day_bounds(day)
    return list(uow.session.scalars(select(PosSale).where(
        PosSale.store_id == store.id, PosSale.created_at >= start, PosSale.created_at < end).order_by(PosSale.id.desc())))


def daily_summary(uow: UnitOfWork, store: Store, day: date) -> dict:
    """Sales of one local (WITA) day: count and total per payment, and units per product; voided
    sales are counted apart and nowhere else."""
    start, end = city_day_bounds(day)
    in_day = (PosSale.store_id == store.id, PosSale.created_at >= start, PosSale.created_at < end,
              PosSale.voided_at.is_(None))
    by_payment = {
        payment: {"sales": count, "total": int(total or 0)}
        for payment, count, total in uow.session.execute(
            select(PosSale.payment, func.count(), func.sum(PosSale.total)).where(*in_day).group_by(PosSale.payment)
        )
    }
    items = [
        {"variant_id": variant_id, "product_name": name, "variant_name": variant_name,
         "quantity": int(quantity), "total": int(total)}
        for variant_id, name, variant_name, quantity, total in uow.session.execute(
            select(PosSaleLine.variant_id, PosSaleLine.product_name, PosSaleLine.variant_name,
                   func.sum(PosSaleLine.quantity), func.sum(PosSaleLine.total))
            .join(PosSale, PosSaleLine.sale_id == PosSale.id).where(*in_day)
            .group_by(PosSaleLine.variant_id, PosSaleLine.product_name, PosSaleLine.variant_name)
            .order_by(func.sum(PosSaleLine.quantity).desc())
        )
    ]
    voided = uow.session.scalar(select(func.count()).where(
        PosSale.store_id == store.id, PosSale.created_at >= start, PosSale.created_at < end, PosSale.voided_at.is_not(None)))
    return {
        "date": day.isoformat(),
        "voided": int(voided or 0),
        "sales": sum(p["sales"] for p in by_payment.values()),
        "total": sum(p["total"] for p in by_payment.values()),
        "by_payment": by_payment,
        "items": items,
    }
