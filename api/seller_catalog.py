"""A seller's own catalog: products, variants, stock and pictures of a store they own.

Every view resolves the store through ``owned_store`` first, so no write can reach another
seller's rows whatever ids the request carries.
"""

from __future__ import annotations

from typing import Annotated, Literal

from flask_openapi3 import APIBlueprint, FileStorage, Tag
from pydantic import AfterValidator, BaseModel, Field
from werkzeug.datastructures import FileStorage as UploadedFile

from api import context
from api.requests import accepts_multipart
from api.catalog import ImageOut, ProductOut, VariantOut, available_units
from api.schemas import Body, Id, Page, PageQuery, ParamsModel, text
from api.serializers import image_json, product_detail, variant_json
from commerce.catalog import services as catalog
from commerce.stores.services import owned_store

bp = APIBlueprint(
    "seller_catalog", __name__, url_prefix="/api/v1/stores/<store_id>",
    abp_tags=[Tag(name="katalog penjual", description="Produk toko milik penjual")],
    abp_security=[{"bearer": []}],
)


class StorePath(BaseModel):
    store_id: Id


class ProductPath(StorePath):
    product_id: Id


class VariantPath(StorePath):
    variant_id: Id


class ImagePath(ProductPath):
    image_id: Id


class VariantIn(Body):
    sku: text(64, min_length=1)
    name: text(120) = ""
    price: int = Field(gt=0, le=1_000_000_000, description="Rupiah, bilangan bulat > 0")
    stock: int = Field(0, ge=0, le=1_000_000)


class ProductIn(Body):
    name: text(160, min_length=1)
    description: text(5000) = ""
    category: text(40, min_length=1) = Field(description="Slug dari GET /categories")
    variants: list[VariantIn] = Field(min_length=1, max_length=50)


class ProductPatch(Body):
    name: text(160, min_length=1) | None = None
    description: text(5000) | None = None
    category: text(40, min_length=1) | None = None
    status: Literal["active", "hidden"] | None = Field(None, description="active: tampil di etalase; hidden: disembunyikan")


class VariantPatch(Body):
    sku: text(64, min_length=1) | None = None
    name: text(120) | None = None
    price: int | None = Field(None, gt=0, le=1_000_000_000)


class StockIn(Body):
    quantity: int = Field(ge=0, le=1_000_000)


class StockOut(BaseModel):
    variant_id: int
    quantity: int


def _uploaded_file(value):
    # flask-openapi3 passes a plain text field named "file" through as a string
    if not isinstance(value, UploadedFile):
        raise ValueError("Kirim berkas gambar sebagai multipart/form-data, bukan teks.")
    return value


class ImageUpload(ParamsModel):
    file: Annotated[FileStorage, AfterValidator(_uploaded_file)]
    alt: text(200) = ""


class SellerProductList(Page):
    items: list[ProductOut]


class SellerProductQuery(PageQuery):
    show: Literal["all", "active", "hidden", "out_of_stock"] = Field(
        "all", description="all, active (tampil), hidden (disembunyikan), out_of_stock (ada varian stok 0)")
    q: text(100) | None = Field(None, description="Sebagian nama produk atau SKU")


def _store(path: StorePath):
    return owned_store(context.uow(), path.store_id, context.current_user())


@bp.post("/products", responses={201: ProductOut}, summary="Tambah produk")
def add_product(path: StorePath, body: ProductIn):
    store = _store(path)
    variants = [catalog.VariantInput(v.sku, v.name, v.price, v.stock) for v in body.variants]
    product = catalog.add_product(
        context.uow(), store, name=body.name, description=body.description,
        category=body.category, variants=variants,
    )
    return product_detail(product, context.storage(), available_units([product]), private=True), 201


@bp.get("/products", responses={200: SellerProductList}, summary="Produk toko ini (termasuk stok)")
def list_own_products(path: StorePath, query: SellerProductQuery):
    page = catalog.store_products(context.uow(), _store(path), cursor=query.cursor, limit=query.limit,
                                  show=query.show, q=query.q)
    storage = context.storage()
    available = available_units(page.items)
    return {"items": [product_detail(p, storage, available, private=True) for p in page.items],
            "next_cursor": page.next_cursor}


@bp.get("/products/<product_id>", responses={200: ProductOut}, summary="Satu produk toko ini (juga yang disembunyikan)")
def own_product(path: ProductPath):
    product = catalog.product_of_store(context.uow(), _store(path), path.product_id)
    return product_detail(product, context.storage(), available_units([product]), private=True)


@bp.patch("/products/<product_id>", responses={200: ProductOut}, summary="Ubah produk")
def update_product(path: ProductPath, body: ProductPatch):
    store = _store(path)
    product = catalog.update_product(context.uow(), store, path.product_id, **body.model_dump(exclude_unset=True, exclude_none=True))
    return product_detail(product, context.storage(), available_units([product]), private=True)


@bp.delete("/products/<product_id>", responses={204: None}, summary="Arsipkan produk")
def archive_product(path: ProductPath):
    catalog.archive_product(context.uow(), _store(path), path.product_id)
    return "", 204


@bp.post("/products/<product_id>/variants", responses={201: VariantOut}, summary="Tambah varian")
def add_variant(path: ProductPath, body: VariantIn):
    variant = catalog.add_variant(
        context.uow(), _store(path), path.product_id,
        catalog.VariantInput(body.sku, body.name, body.price, body.stock),
    )
    return variant_json(variant, available_units(variants=[variant]), private=True), 201


@bp.patch("/variants/<variant_id>", responses={200: VariantOut}, summary="Ubah varian (SKU, nama, harga)")
def update_variant(path: VariantPath, body: VariantPatch):
    variant = catalog.update_variant(context.uow(), _store(path), path.variant_id, **body.model_dump(exclude_unset=True, exclude_none=True))
    return variant_json(variant, available_units(variants=[variant]), private=True)


@bp.put("/variants/<variant_id>/stock", responses={200: StockOut}, summary="Atur stok varian")
def set_stock(path: VariantPath, body: StockIn):
    variant = catalog.set_stock(context.uow(), _store(path), path.variant_id, body.quantity)
    return {"variant_id": variant.id, "quantity": variant.stock}


@bp.post("/products/<product_id>/images", responses={201: ImageOut}, summary="Unggah gambar produk (JPEG, PNG, WebP)")
@accepts_multipart
def upload_image(path: ProductPath, form: ImageUpload):
    store = _store(path)
    data = form.file.read()
    image = catalog.add_image(context.uow(), store, path.product_id, data, context.storage(), alt=form.alt)
    return image_json(image, context.storage()), 201


@bp.delete("/products/<product_id>/images/<image_id>", responses={204: None}, summary="Hapus gambar produk")
def remove_image(path: ImagePath):
    catalog.remove_image(context.uow(), _store(path), path.product_id, path.image_id)
    return "", 204

