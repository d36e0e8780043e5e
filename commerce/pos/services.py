"""Point-of-sale use cases: an in-store sale takes units from the same stock as online orders,
under the same locks, so a market-stall sale and an online checkout can never both take the
last unit.

The shop's own counter comes first: a sale is refused only by units promised to placed orders,
never by other people's open carts. A cart that loses its units this way is told so, per line,
when its buyer completes it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from commerce.accounts.models import User
from commerce.calendar import city_day_bounds, day_code
from commerce.db import utcnow
from commerce.errors import FieldError, InvalidInput
from commerce.inventory.lock_objects import lock_variants
from commerce.inventory.management import LineRequest, ensure_available, merge_lines
from commerce.pos.models import PosSale, PosSaleLine
from commerce.stores.models import Store
from commerce.stores.trading import ensure_may_sell
from commerce.unit_of_work import UnitOfWork

__all__ = ["POS_PAYMENTS", "record_sale", "daily_summary"]

POS_PAYMENTS = ("cash", "qris", "transfer")


def record_sale(
    uow: UnitOfWork, store: Store, *, lines: list[LineRequest], payment: str, cashier: User,
    now: datetime | None = None,
) -> PosSale:
    if payment not in POS_PAYMENTS:
        raise InvalidInput.field("payment", f"Pembayaran POS: {', '.join(POS_PAYMENTS)}.")
    now = now or utcnow()
    lines = merge_lines(lines)
    uow.begin_write()
    ensure_may_sell(uow, store)
    variants = lock_variants(uow.session, [line.variant_id for line in lines])
    errors = []
    for i, line in enumerate(lines):
        variant = variants.get(line.variant_id)
        if variant is None or variant.store_id != store.id:
            errors.append(FieldError(f"lines.{i}.variant_id", f"Varian {line.variant_id} bukan milik toko ini."))
        elif variant.product.status != "active":
            errors.append(FieldError(f"lines.{i}.variant_id", f"Produk '{variant.product.name}' sudah diarsipkan; "
                                                              "tidak bisa dijual."))
    if errors:
        raise InvalidInput(errors[0].message, errors=errors)
    ensure_available(uow.session, variants, lines, now=now, carts=False)
    sale = PosSale(store_id=store.id, payment=payment, total=0, cashier_id=cashier.id, created_at=now)
    for line in lines:
        variant = variants[line.variant_id]
        variant.stock -= line.quantity  # the goods leave the stall now
        sale.lines.append(PosSaleLine(
            variant_id=variant.id, product_name=variant.product.name, variant_name=variant.name,
            unit_price=variant.price, quantity=line.quantity, total=variant.price * line.quantity,
        ))
    sale.total = sum(line.total for line in sale.lines)
    uow.session.add(sale)
    uow.session.flush()
    sale.receipt_number = f"POS-{store.id:04d}-{day_code(now)}-{sale.id:06d}"
    uow.commit()
    return sale


def daily_summary(uow: UnitOfWork, store: Store, day: date) -> dict:
    """Sales of one local (WITA) day: count and total per payment, and units per product."""
    start, end = city_day_bounds(day)
    in_day = (PosSale.store_id == store.id, PosSale.created_at >= start, PosSale.created_at < end)
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
    return {
        "date": day.isoformat(),
        "sales": sum(p["sales"] for p in by_payment.values()),
        "total": sum(p["total"] for p in by_payment.values()),
        "by_payment": by_payment,
        "items": items,
    }
