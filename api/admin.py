"""City staff: review stores, approve or suspend them."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel

from api import context
from api.schemas import Id, Page, PageQuery, text
from api.serializers import store_json
from api.stores import StoreOut
from commerce.stores import services as stores

bp = APIBlueprint(
    "admin", __name__, url_prefix="/api/v1/admin", abp_tags=[Tag(name="admin", description="Petugas kota")],
    abp_security=[{"bearer": []}],
)


class StorePath(BaseModel):
    store_id: Id


class StoreStatusOut(BaseModel):
    id: int
    status: str


class AdminStoreQuery(PageQuery):
    status: text(12) | None = None


class AdminStoreList(Page):
    items: list[StoreOut]


@bp.get("/stores", responses={200: AdminStoreList}, summary="Semua toko, mis. yang menunggu persetujuan")
def list_all_stores(query: AdminStoreQuery):
    context.require_admin()
    page = stores.list_stores(context.uow(), status=query.status, cursor=query.cursor, limit=query.limit)
    return {"items": [store_json(s, private=True) for s in page.items], "next_cursor": page.next_cursor}


@bp.post("/stores/<store_id>/approve", responses={200: StoreStatusOut}, summary="Setujui toko")
def approve_store(path: StorePath):
    context.require_admin()
    store = stores.set_store_status(context.uow(), store_id=path.store_id, status="approved")
    return {"id": store.id, "status": store.status}


@bp.post("/stores/<store_id>/suspend", responses={200: StoreStatusOut}, summary="Bekukan toko")
def suspend_store(path: StorePath):
    context.require_admin()
    store = stores.set_store_status(context.uow(), store_id=path.store_id, status="suspended")
    return {"id": store.id, "status": store.status}
