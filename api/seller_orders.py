"""A seller's side of selling: the store's orders and its delivery fees (the counter's sales are
api/point_of_sale.py)."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel, Field

from api import context
from api.order_views import order_json
from api.orders import OrderList, OrderOut
from api.schemas import Body, Id, PageQuery, text
from commerce.orders import services as orders
from commerce.orders.status import STATUSES
from commerce.stores import delivery
from commerce.stores.services import managed_store, owned_store

bp = APIBlueprint(
    "seller_orders", __name__, url_prefix="/api/v1/stores/<store_id>",
    abp_tags=[Tag(name="penjualan", description="Pesanan toko dan ongkir")],
    abp_security=[{"bearer": []}],
)


class StorePath(BaseModel):
    store_id: Id


class StoreOrderPath(StorePath):
    order_id: Id


class OrdersQuery(PageQuery):
    status: text(200) | None = Field(None, description="Saring menurut status (beberapa dipisah koma): " + ", ".join(STATUSES))


class StatusIn(Body):
    status: text(20, min_length=1) = Field(description=", ".join(STATUSES))
    note: text(300) = ""


class PaymentIn(Body):
    note: text(300) = ""


class FeesIn(Body):
    fees: dict[str, int] = Field(max_length=20, description="Ongkir per kecamatan tujuan (nama atau kode): rupiah")


class FeesOut(BaseModel):
    store_id: int
    fees: dict[str, int]


def _store(path: StorePath):
    return owned_store(context.uow(), path.store_id, context.current_user())


def _managed_store(path: StorePath):
    """Orders may be handled by the owner or by city staff (e.g. confirming a transfer)."""
    return managed_store(context.uow(), path.store_id, context.current_user())


@bp.get("/orders", responses={200: OrderList}, summary="Pesanan toko ini")
def store_orders(path: StorePath, query: OrdersQuery):
    page = orders.store_orders(context.uow(), _managed_store(path), status=query.status, cursor=query.cursor, limit=query.limit)
    return {"items": [order_json(o) for o in page.items], "next_cursor": page.next_cursor}


class CountsOut(BaseModel):
    counts: dict[str, int] = Field(description="Jumlah pesanan per status")


@bp.get("/order-counts", responses={200: CountsOut}, summary="Jumlah pesanan per status (papan pesanan)")
def order_counts(path: StorePath):
    return {"counts": orders.status_counts(context.uow(), _managed_store(path))}


@bp.get("/orders/<order_id>", responses={200: OrderOut}, summary="Satu pesanan toko ini")
def store_order(path: StoreOrderPath):
    store = _managed_store(path)
    orders.expire_overdue(context.uow(), order_id=path.order_id)
    return order_json(orders.store_order(context.uow(), store, path.order_id))


@bp.post("/orders/<order_id>/status", responses={200: OrderOut}, summary="Pindahkan status pesanan")
def move_order(path: StoreOrderPath, body: StatusIn):
    store = _managed_store(path)
    orders.expire_overdue(context.uow(), order_id=path.order_id)
    order = orders.change_status(context.uow(), store, path.order_id, body.status, user=context.current_user(), note=body.note)
    return order_json(order)


@bp.post("/orders/<order_id>/payment", responses={200: OrderOut},
         summary="Catat pembayaran diterima (transfer masuk, atau tunai COD)")
def record_payment(path: StoreOrderPath, body: PaymentIn):
    store = _managed_store(path)
    orders.expire_overdue(context.uow(), order_id=path.order_id)
    order = orders.record_payment(context.uow(), store, path.order_id, user=context.current_user(), note=body.note)
    return order_json(order)


@bp.get("/delivery-fees", responses={200: FeesOut}, summary="Ongkir toko per kecamatan tujuan")
def get_fees(path: StorePath):
    store = _store(path)
    return {"store_id": store.id, "fees": delivery.fee_table(context.uow(), store)}


@bp.put("/delivery-fees", responses={200: FeesOut}, summary="Atur ongkir per kecamatan tujuan")
def put_fees(path: StorePath, body: FeesIn):
    store = _store(path)
    return {"store_id": store.id, "fees": delivery.set_fees(context.uow(), store, body.fees)}
