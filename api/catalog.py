"""Public catalog: browse and search products, one product, categories, places."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel, Field

from api import context
from api.public_cache import public_cache
from api.schemas import Page, PageQuery, text
from api.serializers import product_detail, product_summary
from commerce import places
from commerce.catalog.browse import browse_products, public_product
from commerce.catalog.categories import CATEGORIES
from commerce.catalog.models import Product, Variant
from commerce.inventory.availability import availability

bp = APIBlueprint("catalog", __name__, url_prefix="/api/v1", abp_tags=[Tag(name="katalog", description="Produk dan kategori")])


class ImageSize(BaseModel):
    width: int
    url: str


class ImageOut(BaseModel):
    id: int
    alt: str
    width: int
    height: int
    url: str
    sizes: list[ImageSize]


class StoreBrief(BaseModel):
    id: int
    slug: str
    name: str
    kecamatan: str
    kelurahan: str


class VariantOut(BaseModel):
    id: int
    sku: str
    name: str
    price: int = Field(description="Rupiah, bilangan bulat")
    price_display: str
    available: int
    stock: int | None = Field(None, description="Hanya untuk pemilik toko")


class ProductSummary(BaseModel):
    id: int
    slug: str
    name: str
    category: str
    category_name: str
    price_from: int
    price_display: str
    in_stock: bool
    store: StoreBrief
    image: ImageOut | None


class ProductOut(ProductSummary):
    description: str
    status: str
    variants: list[VariantOut]
    images: list[ImageOut]
    created_at: str
    updated_at: str


class ProductList(Page):
    items: list[ProductSummary]


class BrowseQuery(PageQuery):
    q: text(100) | None = Field(None, description="Cari di nama dan deskripsi: diurutkan menurut kecocokan (nama lebih dulu), setiap kata boleh awalan (kerip -> keripik)")
    category: text(40) | None = Field(None, description="Slug kategori")
    store: text(140) | None = Field(None, description="Id atau slug toko")
    kecamatan: text(60) | None = Field(None, description="Nama atau kode kecamatan toko")


class ProductKeyPath(BaseModel):
    id_or_slug: text(180, min_length=1)


class CategoryOut(BaseModel):
    slug: str
    name: str


class CategoryList(BaseModel):
    items: list[CategoryOut]


class KelurahanOut(BaseModel):
    code: str
    name: str
    slug: str


class KecamatanOut(KelurahanOut):
    kelurahan: list[KelurahanOut]


class PlaceList(BaseModel):
    source: str
    items: list[KecamatanOut]


def available_units(products: list[Product] = (), variants: list[Variant] = ()) -> dict[int, int]:
    """Availability of every variant shown, in one query for the whole page."""
    shown = [v for p in products for v in p.variants] + list(variants)
    return availability(context.uow().session, shown)


@bp.get("/products", responses={200: ProductList}, summary="Jelajahi dan cari produk")
@public_cache
def browse(query: BrowseQuery):
    page = browse_products(
        context.uow(), q=query.q, category=query.category, store=query.store,
        kecamatan=query.kecamatan, limit=query.limit, cursor=query.cursor,
    )
    storage, available = context.storage(), available_units(page.items)
    return {"items": [product_summary(p, storage, available) for p in page.items], "next_cursor": page.next_cursor}


@bp.get("/products/<id_or_slug>", responses={200: ProductOut}, summary="Satu produk dengan variannya")
@public_cache
def product(path: ProductKeyPath):
    found = public_product(context.uow(), path.id_or_slug)
    return product_detail(found, context.storage(), available_units([found]))


@bp.get("/categories", responses={200: CategoryList}, summary="Daftar kategori")
@public_cache
def categories():
    return {"items": [{"slug": c.slug, "name": c.name} for c in CATEGORIES]}


@bp.get("/places", responses={200: PlaceList}, summary="Kecamatan dan kelurahan Kota Samarinda")
@public_cache
def place_list():
    items = [
        {"code": k.code, "name": k.name, "slug": k.slug,
         "kelurahan": [{"code": l.code, "name": l.name, "slug": l.slug} for l in k.kelurahan]}
        for k in places.all_kecamatan()
    ]
    return {"source": places.source(), "items": items}
