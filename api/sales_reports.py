"""A store's sales for its seller: per day and week (online and counter apart), best sellers,
orders by kecamatan; as JSON for the dashboard's charts and as CSV to download."""

from __future__ import annotations

import csv
import datetime as dt
import io

from flask import Response
from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel, Field

from api import context
from api.schemas import Id, ParamsModel
from commerce.calendar import city_today
from commerce.reports.store_sales import SalesReport, store_sales
from commerce.stores.services import owned_store

bp = APIBlueprint(
    "sales_reports", __name__, url_prefix="/api/v1/stores/<store_id>",
    abp_tags=[Tag(name="laporan penjualan", description="Omzet toko")],
    abp_security=[{"bearer": []}],
)


class StorePath(BaseModel):
    store_id: Id


class RangeQuery(ParamsModel):
    from_: dt.date | None = Field(None, alias="from", description="Tanggal awal (WITA); bawaan 29 hari sebelum 'to'")
    to: dt.date | None = Field(None, description="Tanggal akhir (WITA), ikut dihitung; bawaan hari ini")


class DayOut(BaseModel):
    date: str
    online_orders: int
    online_total: int
    pos_sales: int
    pos_total: int


class WeekOut(BaseModel):
    week_of: str
    online_total: int
    pos_total: int


class SalesOut(BaseModel):
    from_: str = Field(alias="from")
    to: str
    online_total: int
    pos_total: int
    days: list[DayOut]
    weeks: list[WeekOut]
    best_sellers: list[dict]
    by_kecamatan: list[dict]


def _report(path: StorePath, query: RangeQuery) -> SalesReport:
    store = owned_store(context.uow(), path.store_id, context.current_user())
    end = query.to or city_today()
    start = query.from_ or end - dt.timedelta(days=29)
    return store_sales(context.uow(), store, start=start, end=end)


@bp.get("/sales", responses={200: SalesOut}, summary="Omzet per hari dan minggu, produk terlaris, pesanan per kecamatan")
def sales(path: StorePath, query: RangeQuery):
    r = _report(path, query)
    return {
        "from": r.start.isoformat(), "to": r.end.isoformat(), "online_total": r.online_total, "pos_total": r.pos_total,
        "days": [{"date": d.day.isoformat(), "online_orders": d.online_orders, "online_total": d.online_total,
                  "pos_sales": d.pos_sales, "pos_total": d.pos_total} for d in r.days],
        "weeks": [{"week_of": w.monday.isoformat(), "online_total": w.online_total, "pos_total": w.pos_total} for w in r.weeks],
        "best_sellers": [b._asdict() for b in r.best_sellers],
        "by_kecamatan": [p._asdict() for p in r.by_kecamatan],
    }


@bp.get("/sales.csv", responses={200: None}, summary="Omzet per hari sebagai CSV (untuk spreadsheet)")
def sales_csv(path: StorePath, query: RangeQuery):
    r = _report(path, query)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["tanggal", "pesanan_online", "omzet_online", "penjualan_kasir", "omzet_kasir", "omzet_total"])
    for d in r.days:
        writer.writerow([d.day.isoformat(), d.online_orders, d.online_total, d.pos_sales, d.pos_total,
                         d.online_total + d.pos_total])
    name = f"omzet-{r.start.isoformat()}-{r.end.isoformat()}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
