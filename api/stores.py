"""Stores: open one, read one, list approved ones, and the owner's edits."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel, Field

from api import context
from api.schemas import Body, Id, Page, PageQuery, text
from api.serializers import store_json
from commerce.stores import services as stores

bp = APIBlueprint("stores", __name__, url_prefix="/api/v1", abp_tags=[Tag(name="toko", description="Toko UMKM")])
BEARER = [{"bearer": []}]


class StoreIn(Body):
    name: text(120, min_length=1)
    kecamatan: text(60, min_length=1) = Field(description="Nama atau kode kecamatan, mis. 'Samarinda Ulu' atau '64.72.03'")
    kelurahan: text(60, min_length=1) = Field(description="Nama atau kode kelurahan di kecamatan itu")
    address: text(300, min_length=1)
    phone: text(30, min_length=1) = Field(description="Nomor Indonesia; disimpan sebagai +62...")
    description: text(2000) = ""


class StorePatch(Body):
    name: text(120, min_length=1) | None = None
    kecamatan: text(60, min_length=1) | None = None
    kelurahan: text(60, min_length=1) | None = None
    address: text(300, min_length=1) | None = None
    phone: text(30, min_length=1) | None = None
    description: text(2000) | None = None
    opening_hours: text(200) | None = Field(None, description="Mis. 'Senin–Sabtu 08.00–17.00 WITA'")
    offers_delivery: bool | None = Field(None, description="Toko mengantar pesanan")
    offers_pickup: bool | None = Field(None, description="Pembeli boleh mengambil di toko")
    publish_phone: bool | None = Field(None, description="Tampilkan nomor (tautan WhatsApp) di etalase")
    publish_address: bool | None = Field(None, description="Tampilkan alamat lengkap di etalase")
    bank_name: text(60) | None = Field(None, description="Bank tujuan transfer pembeli; kosong: rekening kota")
    bank_account_number: text(30) | None = None
    bank_account_name: text(120) | None = None


class StoreCreated(BaseModel):
    id: int
    slug: str
    status: str


class StoreOut(BaseModel):
    id: int
    slug: str
    name: str
    status: str
    description: str
    kecamatan: str
    kelurahan: str
    kecamatan_code: str
    kelurahan_code: str
    created_at: str
    opening_hours: str
    offers_delivery: bool
    offers_pickup: bool
    address: str | None = Field(None, description="Publik hanya jika penjual memilih menampilkannya")
    phone: str | None = Field(None, description="Publik hanya jika penjual memilih menampilkannya")
    whatsapp_url: str | None = Field(None, description="https://wa.me/62..., jika nomor ditampilkan")
    publish_phone: bool | None = Field(None, description="Hanya untuk pemilik toko dan petugas kota")
    publish_address: bool | None = Field(None, description="Hanya untuk pemilik toko dan petugas kota")
    bank_name: str | None = Field(None, description="Hanya untuk pemilik toko dan petugas kota")
    bank_account_number: str | None = None
    bank_account_name: str | None = None
    owner_id: int | None = None


class StoreList(Page):
    items: list[StoreOut]


class StorePath(BaseModel):
    store_id: Id


class StoreKeyPath(BaseModel):
    id_or_slug: text(140, min_length=1)


class StoreListQuery(PageQuery):
    kecamatan: text(60) | None = None


@bp.post("/stores", responses={201: StoreOut}, security=BEARER, summary="Buka toko (menunggu persetujuan)")
def open_store(body: StoreIn):
    store = stores.open_store(context.uow(), owner=context.current_user(), **body.model_dump())
    return store_json(store, private=True), 201


@bp.get("/stores", responses={200: StoreList}, summary="Toko yang sudah disetujui")
def list_approved_stores(query: StoreListQuery):
    page = stores.list_stores(
        context.uow(), status="approved", kecamatan=query.kecamatan, cursor=query.cursor, limit=query.limit
    )
    return {"items": [store_json(s) for s in page.items], "next_cursor": page.next_cursor}


@bp.get("/stores/<id_or_slug>", responses={200: StoreOut}, summary="Satu toko")
def get_store(path: StoreKeyPath):
    viewer = context.optional_user()
    store = stores.find_store(context.uow(), path.id_or_slug, viewer=viewer)
    return store_json(store, private=stores.manages(viewer, store))


@bp.patch("/stores/<store_id>", responses={200: StoreOut}, security=BEARER, summary="Ubah data toko (pemilik)")
def update_store(path: StorePath, body: StorePatch):
    unit = context.uow()
    store = stores.owned_store(unit, path.store_id, context.current_user())
    store = stores.update_store(unit, store, **body.model_dump(exclude_unset=True, exclude_none=True))
    return store_json(store, private=True)
