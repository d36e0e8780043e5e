"""Checkout: start a multi-store cart, fill it, complete it into one order per store.

Starting, changing and completing checkouts are rate-limited per client address
(``SMARTCITY_CHECKOUT_START_LIMIT``, ``SMARTCITY_CHECKOUT_CHANGE_LIMIT``); what a cart may hold
is the domain's policy (:mod:`commerce.inventory.reservations`).
"""

from __future__ import annotations

from typing import Literal

from flask import request
from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel, EmailStr, Field, ValidationError

from api import context
from api.extensions import limiter
from api.order_views import checkout_json, completion_json
from api.problems import problem, validation_problem
from api.schemas import Body, Id, ParamsModel, text
from commerce.checkout import services as checkouts
from commerce.checkout.completion import PricesChanged, complete_checkout as complete
from commerce.errors import InvalidInput
from commerce.inventory.management import MAX_LINES, MAX_QUANTITY, LineRequest

bp = APIBlueprint("checkout", __name__, url_prefix="/api/v1",
                  abp_tags=[Tag(name="checkout", description="Keranjang multi-toko dan penyelesaian pesanan")])


class LineIn(Body):
    variant_id: Id
    quantity: int = Field(ge=1, le=MAX_QUANTITY)


class CheckoutIn(Body):
    lines: list[LineIn] = Field(min_length=1, max_length=MAX_LINES)


class AddressIn(Body):
    street: text(300, min_length=1)
    kecamatan: text(60, min_length=1)
    kelurahan: text(60, min_length=1)


class CheckoutPatch(Body):
    email: EmailStr | None = Field(None, max_length=254)
    phone: text(30, min_length=1) | None = None
    name: text(120, min_length=1) | None = None
    shipping_address: AddressIn | None = None
    payment_method: Literal["cod", "bank_transfer", "stripe"] | None = None
    delivery: dict[str, Literal["delivery", "pickup"]] | None = Field(
        None, description="Per toko: {\"<store_id>\": \"delivery\" | \"pickup\"}", max_length=MAX_LINES)
    lines: list[LineIn] | None = Field(None, min_length=1, max_length=MAX_LINES, description="Ganti isi keranjang")


class CompleteIn(Body):
    note: text(300) | None = None
    expected_total: int | None = Field(
        None, ge=0, le=10**12,
        description="Total (rupiah) yang ditunjukkan kepada pembeli dan ia setujui. Jika berbeda dengan total "
                    "sekarang, tidak ada pesanan yang dibuat: jawabannya 409 dengan total baru. Tanpa field "
                    "ini, yang dibandingkan adalah harga, jumlah dan ongkir pada jawaban checkout terakhir.")


class CompleteHeaders(ParamsModel):
    idempotency_key: text(200, min_length=8) = Field(
        alias="Idempotency-Key", description="Kunci unik dari klien; mengulang permintaan yang sama aman")


class CheckoutPath(BaseModel):
    checkout_id: text(64, min_length=10)


class AddressOut(BaseModel):
    street: str
    kecamatan: str
    kelurahan: str
    kecamatan_code: str
    kelurahan_code: str


class CheckoutLineOut(BaseModel):
    id: int
    variant_id: int
    product_id: int
    product_name: str
    variant_name: str
    sku: str
    store_id: int
    quantity: int
    unit_price: int
    total: int
    available: int
    reserved: int = Field(description="Unit yang disimpan untuk keranjang ini sampai reserved_until "
                                      "(bisa kurang dari quantity; sisanya dibeli selama stok masih ada)")


class StoreBriefOut(BaseModel):
    id: int
    slug: str
    name: str
    kecamatan: str
    kelurahan: str


class CheckoutStoreOut(BaseModel):
    store: StoreBriefOut
    delivery: str
    delivery_options: list[str] = Field(description="Yang dilayani toko ini: delivery dan/atau pickup")
    items_total: int
    delivery_fee: int
    total: int


class TotalsOut(BaseModel):
    items: int
    delivery: int
    total: int
    total_display: str


class CheckoutOut(BaseModel):
    id: str
    lines: list[CheckoutLineOut]
    stores: list[CheckoutStoreOut]
    totals: TotalsOut
    reserved_until: str | None
    email: str | None
    phone: str | None
    name: str | None
    shipping_address: AddressOut | None
    payment_method: str | None
    delivery: dict[str, str]
    completed: bool


class PaymentOut(BaseModel):
    method: str
    status: str
    amount: int
    amount_display: str
    instructions: dict
    due_at: str | None
    paid_at: str | None


class PlacedOrderOut(BaseModel):
    id: int
    number: str
    store_id: int
    status: str
    total: int
    token: str | None = Field(description="Token rahasia untuk melacak pesanan; hanya diberikan sekali")
    payment: PaymentOut | None


class CompletionPaymentOut(BaseModel):
    method: str | None
    amount: int
    amount_display: str
    per_order: list[dict]


class CompletionOut(BaseModel):
    orders: list[PlacedOrderOut]
    payment: CompletionPaymentOut


class PricesChangedOut(BaseModel):
    """409 when a price, quantity or fee changed: nothing was placed."""

    type: str
    title: str
    status: int
    detail: str
    totals: TotalsOut
    checkout: CheckoutOut


def _start_limit() -> str:
    return context.settings().checkout_start_limit


def _change_limit() -> str:
    return context.settings().checkout_change_limit


def _lines(items: list[LineIn]) -> list[LineRequest]:
    return [LineRequest(line.variant_id, line.quantity) for line in items]


@bp.post("/checkouts", responses={201: CheckoutOut}, summary="Mulai checkout (stok disimpan sementara)",
         description="Barang disimpan untuk keranjang ini dalam batas kebijakan (lihat `reserved` per baris).")
@limiter.limit(_start_limit, scope="checkout-start")
def start_checkout(body: CheckoutIn):
    summary = checkouts.start_checkout(context.uow(), lines=_lines(body.lines), user=context.optional_user(),
                                       holder=context.cart_holder(), policy=context.hold_policy())
    return checkout_json(summary), 201


@bp.get("/checkouts/<checkout_id>", responses={200: CheckoutOut}, summary="Lihat checkout")
def get_checkout(path: CheckoutPath):
    return checkout_json(checkouts.read_checkout(context.uow(), path.checkout_id, caller=context.optional_user()))


@bp.patch("/checkouts/<checkout_id>", responses={200: CheckoutOut}, summary="Isi kontak, alamat, pembayaran, pengiriman")
@limiter.shared_limit(_change_limit, scope="checkout-change")
def fill_checkout(path: CheckoutPath, body: CheckoutPatch):
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    if body.lines is not None:
        changes["lines"] = _lines(body.lines)
    summary = checkouts.update_checkout(context.uow(), path.checkout_id, changes=changes, caller=context.optional_user(),
                                        holder=context.cart_holder(), policy=context.hold_policy())
    return checkout_json(summary)


@bp.post("/checkouts/<checkout_id>/complete", responses={201: CompletionOut, 200: CompletionOut, 409: PricesChangedOut},
         summary="Selesaikan: satu pesanan per toko (wajib header Idempotency-Key)",
         description="Jika harga, jumlah atau ongkir berubah sejak jawaban checkout terakhir (atau total tidak sama "
                     "dengan `expected_total`), tidak ada pesanan yang dibuat: jawabannya 409 dengan total baru, "
                     "dan menyelesaikan lagi memakai total itu.",
         # The body is optional (an empty POST is fine), so it is read by hand below; documented here.
         openapi_extensions={"requestBody": {"required": False, "content": {
             "application/json": {"schema": CompleteIn.model_json_schema()}}}})
@limiter.shared_limit(_change_limit, scope="checkout-change")
def complete_checkout(path: CheckoutPath, header: CompleteHeaders):
    body = request.get_json(silent=True) if request.content_length else {}
    if body is None or not isinstance(body, dict):
        raise InvalidInput.field("body", "Isi permintaan harus objek JSON (boleh kosong).")
    try:
        confirmed = CompleteIn.model_validate(body)
    except ValidationError as error:
        return validation_problem(error)
    try:
        status, answer = complete(
            context.uow(), path.checkout_id, idempotency_key=header.idempotency_key, body=body,
            render=completion_json, providers=context.payment_providers(), caller=context.optional_user(),
            expected_total=confirmed.expected_total,
        )
    except PricesChanged as changed:
        shown = checkout_json(changed.summary)
        return problem(409, changed.detail, title=changed.title,
                       extensions={"totals": shown["totals"], "checkout": shown})
    return answer, status
