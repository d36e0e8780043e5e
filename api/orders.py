"""A buyer's orders: track one with its secret token or your account; cancel or confirm receipt;
find a lost one by its number and phone.

The token may come in the ``X-Order-Token`` header, which no server or proxy logs, and which is
what the storefront sends (its tracking links carry the token in the URL fragment, which
browsers never send). ``?token=`` stays for older clients.
"""

from __future__ import annotations

from typing import Literal

from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel, Field

from api import context
from api.extensions import limiter
from api.order_views import order_json
from api.schemas import Body, Id, Page, PageQuery, ParamsModel, text
from commerce.orders import services as orders

bp = APIBlueprint("orders", __name__, url_prefix="/api/v1", abp_tags=[Tag(name="pesanan", description="Pesanan pembeli")])


class OrderPath(BaseModel):
    order_id: Id


class TokenQuery(ParamsModel):
    token: text(100) | None = Field(None, description="Token rahasia pesanan (dari respons checkout); "
                                                      "lebih baik lewat header X-Order-Token")


class TokenHeader(ParamsModel):
    order_token: text(100) | None = Field(None, alias="X-Order-Token", description="Token rahasia pesanan")


class LookupIn(Body):
    number: text(32, min_length=5) = Field(description="Nomor pesanan, mis. BHB-261205-000123")
    phone: text(30, min_length=6) = Field(description="Nomor telepon yang diisi saat checkout")


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
    email: str | None
    phone: str | None


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
    seller_actions: dict = Field(description="Untuk penjual: status berikutnya yang boleh dipilih, dan apakah "
                                             "pembayaran boleh dicatat diterima")
    created_at: str


class OrderList(Page):
    items: list[OrderOut]


def _lookup_limit() -> str:
    return context.settings().order_lookup_limit


@bp.get("/orders/<order_id>", responses={200: OrderOut}, summary="Lacak pesanan (token pesanan atau akun pembeli)")
def track_order(path: OrderPath, query: TokenQuery, header: TokenHeader):
    order = orders.buyer_order(context.uow(), path.order_id, token=header.order_token or query.token,
                               user=context.optional_user())
    return order_json(order)


@bp.post("/orders/<order_id>/status", responses={200: OrderOut}, summary="Pembeli: batalkan atau konfirmasi diterima")
def buyer_status(path: OrderPath, query: TokenQuery, header: TokenHeader, body: BuyerStatusIn):
    order = orders.buyer_change_status(context.uow(), path.order_id, body.status, token=header.order_token or query.token,
                                       user=context.optional_user())
    return order_json(order)


@bp.post("/orders/lookup", responses={200: OrderOut},
         summary="Cari pesanan dengan nomor pesanan dan nomor telepon (tanpa email dan alamat jalan)",
         description="Untuk pembeli yang kehilangan tautan pelacakan. Percobaan dibatasi per alamat klien.")
@limiter.limit(_lookup_limit, scope="order-lookup")
def lookup_order(body: LookupIn):
    order = orders.order_by_number_and_phone(context.uow(), body.number, body.phone)
    return order_json(order, contact=False)


@bp.get("/me/orders", responses={200: OrderList}, security=[{"bearer": []}], summary="Pesanan saya")
def my_orders(query: PageQuery):
    page = orders.buyer_orders(context.uow(), context.current_user(), cursor=query.cursor, limit=query.limit)
    return {"items": [order_json(o) for o in page.items], "next_cursor": page.next_cursor}
