"""The store's own counter (POS): sales on the same stock as online orders, the day's sales and
summary, a receipt reprinted, a sale voided with its reason.

Every sale may carry an ``Idempotency-Key`` (the dashboard always sends one): a tablet that lost
its connection sends its queued sales again with the same keys, and each is sold once.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel, Field

from api import context
from api.order_views import pos_sale_json
from api.schemas import Body, Id, ParamsModel, text
from commerce.calendar import city_today
from commerce.inventory.management import MAX_LINES, MAX_QUANTITY, LineRequest
from commerce.pos import services as pos
from commerce.stores.services import owned_store

bp = APIBlueprint(
    "point_of_sale", __name__, url_prefix="/api/v1/stores/<store_id>",
    abp_tags=[Tag(name="kasir", description="Penjualan di toko (POS)")],
    abp_security=[{"bearer": []}],
)


class StorePath(BaseModel):
    store_id: Id


class SalePath(StorePath):
    sale_id: Id


class PosLineIn(Body):
    variant_id: Id
    quantity: int = Field(ge=1, le=MAX_QUANTITY)


class PosSaleIn(Body):
    lines: list[PosLineIn] = Field(min_length=1, max_length=MAX_LINES)
    payment: Literal["cash", "qris", "transfer"]
    cash_received: int | None = Field(None, ge=0, le=1_000_000_000, description="Tunai: uang dari pembeli (untuk kembalian)")


class SaleHeaders(ParamsModel):
    idempotency_key: text(64, min_length=8) | None = Field(
        None, alias="Idempotency-Key", description="Nama penjualan ini dari perangkat kasir; mengirim ulang aman")


class VoidIn(Body):
    reason: text(300, min_length=1) = Field(description="Alasan pembatalan, mis. 'salah input jumlah'")


class PosLineOut(BaseModel):
    variant_id: int
    product_name: str
    variant_name: str
    unit_price: int
    quantity: int
    total: int


class PosSaleOut(BaseModel):
    id: int
    receipt_number: str
    store_id: int
    payment: str
    total: int
    total_display: str
    cash_received: int | None = None
    change_due: int | None = None
    lines: list[PosLineOut]
    created_at: str
    voided_at: str | None = None
    void_reason: str | None = None


class SaleList(BaseModel):
    date: str
    items: list[PosSaleOut]


class DayQuery(ParamsModel):
    date: dt.date | None = Field(None, description="Tanggal (WITA), bawaan hari ini")


class SummaryOut(BaseModel):
    date: str
    sales: int
    total: int
    voided: int
    by_payment: dict[str, dict[str, int]]
    items: list[dict]


def _store(path: StorePath):
    return owned_store(context.uow(), path.store_id, context.current_user())


@bp.post("/pos-sales", responses={201: PosSaleOut, 200: PosSaleOut}, summary="Catat penjualan di toko (kasir)",
         description="201: penjualan baru. 200: penjualan yang sama sudah tercatat dengan Idempotency-Key ini.")
def pos_sale(path: StorePath, body: PosSaleIn, header: SaleHeaders):
    store = _store(path)
    lines = [LineRequest(line.variant_id, line.quantity) for line in body.lines]
    recorded = pos.record_sale(context.uow(), store, lines=lines, payment=body.payment, cashier=context.current_user(),
                               idempotency_key=header.idempotency_key, cash_received=body.cash_received)
    return pos_sale_json(recorded.sale), 200 if recorded.replayed else 201


@bp.get("/pos-sales", responses={200: SaleList}, summary="Penjualan kasir satu hari (yang dibatalkan juga)")
def pos_sales(path: StorePath, query: DayQuery):
    day = query.date or city_today()
    return {"date": day.isoformat(), "items": [pos_sale_json(s) for s in pos.sales_of_day(context.uow(), _store(path), day)]}


@bp.get("/pos-sales/<sale_id>", responses={200: PosSaleOut}, summary="Satu penjualan (untuk mencetak ulang struk)")
def pos_sale_one(path: SalePath):
    return pos_sale_json(pos.sale_of_store(context.uow(), _store(path), path.sale_id))


@bp.post("/pos-sales/<sale_id>/void", responses={200: PosSaleOut}, summary="Batalkan penjualan (stok kembali)")
def void_pos_sale(path: SalePath, body: VoidIn):
    sale = pos.void_sale(context.uow(), _store(path), path.sale_id, reason=body.reason, user=context.current_user())
    return pos_sale_json(sale)


@bp.get("/pos-summary", responses={200: SummaryOut}, summary="Ringkasan penjualan kasir harian")
def pos_summary(path: StorePath, query: DayQuery):
    store = _store(path)
    return pos.daily_summary(context.uow(), store, query.date or city_today())
