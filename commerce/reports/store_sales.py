"""A store's sales as its seller reads them: revenue per day and per week, online and at the
counter apart, best sellers, and where online orders go (by kecamatan).

Everything is summed by the database, grouped by the WITA date; only the per-day rows (at most
a year of them) and the top lines reach Python. Online revenue counts every placed order that
was not cancelled or expired, on the day it was placed; counter revenue every sale not voided.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import func, select

from commerce import places
from commerce.calendar import city_day_bounds
from commerce.errors import InvalidInput
from commerce.orders.models import Order, OrderLine
from commerce.pos.models import PosSale, PosSaleLine
from commerce.reports.dates import city_day
from commerce.stores.models import Store
from commerce.unit_of_work import UnitOfWork

__all__ = ["DaySales", "WeekSales", "SalesReport", "store_sales", "MAX_DAYS"]

MAX_DAYS = 366
GONE = ("cancelled", "expired")


class DaySales(NamedTuple):
    day: date
    online_orders: int
    online_total: int
    pos_sales: int
    pos_total: int


class WeekSales(NamedTuple):
    monday: date
    online_total: int
    pos_total: int


class BestSeller(NamedTuple):
    product_name: str
    quantity: int
    total: int


class PlaceSales(NamedTuple):
    kecamatan: str  # a name; "Ambil di toko" for pickups
    orders: int
    total: int


class SalesReport(NamedTuple):
    start: date
    end: date  # inclusive
    days: list[DaySales]
    weeks: list[WeekSales]
    best_sellers: list[BestSeller]
    by_kecamatan: list[PlaceSales]

    @property
    def online_total(self) -> int:
        return sum(d.online_total for d in self.days)

    @property
    def pos_total(self) -> int:
        return sum(d.pos_total for d in self.days)


def store_sales(uow: UnitOfWork, store: Store, *, start: date, end: date, top: int = 10) -> SalesReport:
    if end < start:
        raise InvalidInput.field("to", "Tanggal akhir harus sesudah tanggal awal.")
    if (end - start).days + 1 > MAX_DAYS:
        raise InvalidInput.field("from", f"Paling lama {MAX_DAYS} hari sekali lihat.")
    session = uow.session
    dialect = session.get_bind().dialect.name
    since, _ = city_day_bounds(start)
    _, until = city_day_bounds(end)
    orders = (Order.store_id == store.id, Order.created_at >= since, Order.created_at < until, Order.status.not_in(GONE))
    sales = (PosSale.store_id == store.id, PosSale.created_at >= since, PosSale.created_at < until, PosSale.voided_at.is_(None))

    online_day, pos_day = city_day(Order.created_at, dialect), city_day(PosSale.created_at, dialect)
    online = {d: (n, t) for d, n, t in session.execute(
        select(online_day, func.count(), func.sum(Order.total)).where(*orders).group_by(online_day))}
    counter = {d: (n, t) for d, n, t in session.execute(
        select(pos_day, func.count(), func.sum(PosSale.total)).where(*sales).group_by(pos_day))}
    days = []
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        o, p = online.get(day.isoformat(), (0, 0)), counter.get(day.isoformat(), (0, 0))
        days.append(DaySales(day, int(o[0]), int(o[1] or 0), int(p[0]), int(p[1] or 0)))
    weeks: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for d in days:
        monday = d.day - timedelta(days=d.day.weekday())
        weeks[monday][0] += d.online_total
        weeks[monday][1] += d.pos_total

    sold = defaultdict(lambda: [0, 0])
    for name, quantity, total in session.execute(
            select(OrderLine.product_name, func.sum(OrderLine.quantity), func.sum(OrderLine.total))
            .join(Order, OrderLine.order_id == Order.id).where(*orders).group_by(OrderLine.product_name)):
        sold[name][0] += int(quantity)
        sold[name][1] += int(total)
    for name, quantity, total in session.execute(
            select(PosSaleLine.product_name, func.sum(PosSaleLine.quantity), func.sum(PosSaleLine.total))
            .join(PosSale, PosSaleLine.sale_id == PosSale.id).where(*sales).group_by(PosSaleLine.product_name)):
        sold[name][0] += int(quantity)
        sold[name][1] += int(total)
    best = sorted((BestSeller(n, q, t) for n, (q, t) in sold.items()), key=lambda b: (-b.quantity, -b.total, b.product_name))

    names = {k.code: k.name for k in places.all_kecamatan()}
    by_place = [
        PlaceSales(names.get(code, code) if code else "Ambil di toko", int(n), int(t or 0))
        for code, n, t in session.execute(
            select(Order.kecamatan_code, func.count(), func.sum(Order.total)).where(*orders).group_by(Order.kecamatan_code))
    ]
    by_place.sort(key=lambda p: (-p.orders, p.kecamatan))
    return SalesReport(start, end, days, [WeekSales(m, o, p) for m, (o, p) in sorted(weeks.items())], best[:top], by_place)
