"""A buyer's orders: track one with its secret token or your account; cancel or confirm receipt."""

from __future__ import annotations

from typing import Literal

from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel, Field

from api import context
from api.order_views import order_json
from api.schemas import Body, Id, Page, PageQuery, ParamsModel, text
from commerce.orders import services as orders

bp = APIBlueprint("orders", __name__, url_prefix="/api/v1", abp_tags=[Tag(name="pesanan", description="Pesanan pembeli")])


class OrderPath(BaseModel):
    order_id: Id


class TokenQuery(ParamsModel):
    token: text(100) | None = Field(None, description="Token rahasia pesanan (dari respons checkout)")


class BuyerStatusIn(Body):
    status: Literal["cancelled", "completed"]


class HistoryOut(BaseModel):
    from_: str | None = Field(alias="from")
    to: str
    actor: str
    note: str
    at: str


class OrderLineOut(BaseModel):
    variant_id: int
    product_name: str
    variant_name: str
    sku: str
    unit_price: int
    quantity: int
    total: int


class BuyerOut(BaseModel):
    name: str
    email: str
    phone: str


class OrderOut(BaseModel):
    id: int
    number: str
    store_id: int
    store: dict
    status: str
    payment_method: str
    payment_status: str
    delivery_method: str
    items_total: int
    delivery_fee: int
    total: int
    total_display: str
    lines: list[OrderLineOut]
    buyer: BuyerOut
    shipping_address: dict | None
    payment: dict | None
    history: list[HistoryOut]
    created_at: str


class OrderList(Page):
    items: list[OrderOut]


@bp.get("/orders/<order_id>", responses={200: OrderOut}, summary="Lacak pesanan (token pesanan atau akun pembeli)")
def track_order(path: OrderPath, query: TokenQuery):
    order = orders.buyer_order(context.uow(), path.order_id, token=query.token, user=context.optional_user())
    return order_json(order)


@bp.post("/orders/<order_id>/status", responses={200: OrderOut}, summary="Pembeli: batalkan atau konfirmasi diterima")
def buyer_status(path: OrderPath, query: TokenQuery, body: BuyerStatusIn):
    order = orders.buyer_change_status(context.uow(), path.order_id, body.status, token=query.token,
                                       user=context.optional_user())
    return order_json(order)


@bp.get("/me/orders", responses={200: OrderList}, security=[{"bearer": []}], summary="Pesanan saya")
def my_orders(query: PageQuery):
    page = orders.buyer_orders(context.uow(), context.current_user(), cursor=query.cursor, limit=query.limit)
    return {"items": [order_json(o) for o in page.items], "next_cursor": page.next_cursor}
