"""Building the storefront: every page from a snapshot of the catalog, or only the pages a
change touches.

=============================  =====================================================
path                           page
=============================  =====================================================
``/``                          home: search, categories, newest products, stores by kecamatan
``/kategori/<slug>/[<n>/]``    a category, 24 products a page
``/toko/``                     every store, by kecamatan
``/toko/<slug>/[<n>/]``        a store: where, how it delivers, its fees, its products
``/produk/<slug>/``            a product (every one is in ``sitemap.xml``)
``/cari/``                     search (the API ranks; nothing of the catalog is downloaded)
``/keranjang/`` ``/checkout/``  the cart and checkout (in the browser, through the API)
``/pesanan/``                  confirmation and tracking
``/bantuan/`` ``/404.html``    help, not found
=============================  =====================================================

A full build writes into a fresh folder beside the old one and swaps it in, so a failed build
never leaves half a site. A partial build (:func:`rebuild_storefront`) renders the pages of the
products and stores that changed, of their categories and stores (before and after the change),
the home page, the store index and the sitemap, and deletes the pages of products and stores
that left; it keeps what each product was in a small state file beside the build
(``<build>.state.json``), which is how it knows a product's old category or slug.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable, NamedTuple

from sqlalchemy import Engine

from commerce import places
from commerce.catalog.categories import CATEGORIES
from sites.common.builds import fresh_build
from sites.storefront.assets import write_assets
from sites.storefront.catalog import Catalog, load_catalog
from sites.storefront.render import SiteSettings, environment, page_globals

__all__ = ["BuildSummary", "build_storefront", "rebuild_storefront", "PAGE_SIZE"]

PAGE_SIZE = 24
NEWEST = 12
PARALLEL_FROM = 2000  # product pages: below this a forked process costs more than it saves
MAX_PROCESSES = 4
STATIC_PAGES = {  # path -> (template, title, description)
    "cari/": ("search.html", "Cari produk", "Cari produk UMKM Samarinda di Behambinan."),
    "keranjang/": ("cart.html", "Keranjang", "Keranjang belanja Anda di Behambinan."),
    "checkout/": ("checkout.html", "Checkout", "Selesaikan pesanan Anda di Behambinan."),
    "pesanan/": ("order.html", "Pesanan Anda", "Lacak pesanan Behambinan Anda."),
    "bantuan/": ("help.html", "Bantuan belanja", "Cara memesan, bayar di tempat (COD), transfer bank dan ambil di toko."),
}


class BuildSummary(NamedTuple):
    pages: int  # pages rendered this time
    deleted: int  # pages removed (products or stores that left)
    products: int
    stores: int
    seconds: float
    partial: bool

    def summary(self) -> str:
        return self.line()

    def line(self) -> str:
        kind = "rebuilt" if self.partial else "built"
        return (f"storefront {kind}: {self.pages} pages ({self.products} products, {self.stores} stores)"
                + (f", {self.deleted} removed" if self.deleted else "") + f" in {self.seconds:.1f} s")


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


class _Writer:
    def __init__(self, root: Path, catalog: Catalog, settings: SiteSettings):
        self.root = root
        self.catalog = catalog
        self.env = environment()
        self.globals = page_globals(settings, write_assets(root))
        self.pages = 0

    def write(self, path: str, template: str, **context) -> None:
        target = self.root / (path + "index.html" if path.endswith("/") or not path else path)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = self.env.get_template(template).render(**self.globals, **context)
        target.write_text(text, encoding="utf-8")
        self.pages += 1

    def page(self, path: str, template: str, *, title: str, description: str, canonical: bool = True, **context):
        self.write(path, template, title=title, description=description,
                   canonical=("/" + path) if canonical else None, **context)

    # --- the pages -------------------------------------------------------------------------

    def home(self) -> None:
        stores = self.catalog.stores.values()
        counts = defaultdict(int)
        for store in stores:
            counts[store.kecamatan_code] += 1
        by_kecamatan = [(k, counts[k.code]) for k in places.all_kecamatan() if counts[k.code]]
        self.page("", "home.html", title="Pasar UMKM Kota Samarinda",
                  description="Belanja produk UMKM Samarinda: amplang, sarung tenun, kue, hasil kebun dan jasa. "
                              "Bayar di tempat atau transfer, diantar atau ambil di toko.",
                  categories=CATEGORIES, newest=list(self.catalog.products.values())[:NEWEST],
                  store_count=len(self.catalog.stores), kecamatan_count=len(by_kecamatan),
                  stores_by_kecamatan=by_kecamatan)

    def _paged(self, base: str, template: str, products: list, *, title: str, description: str, **context) -> set[str]:
        """A list of products 24 to a page: ``base``, then ``base/2/`` …; returns the paths written."""
        pages = _chunks(products, PAGE_SIZE)
        written = set()
        for number, chunk in enumerate(pages, 1):
            path = base + (f"{number}/" if number > 1 else "")
            self.page(path, template, title=title + (f" (halaman {number})" if number > 1 else ""), description=description,
                      products=chunk, total=len(products), number=number, page_count=len(pages), **context)
            written.add(path)
        return written

    def category(self, slug: str) -> set[str]:
        category = next(c for c in CATEGORIES if c.slug == slug)
        products = self.catalog.in_category(slug)
        return self._paged(f"kategori/{slug}/", "category.html", products, title=category.name,
                           description=f"{len(products)} produk UMKM Samarinda di kategori {category.name}.",
                           category=category, categories=CATEGORIES)

    def store(self, store_id: int) -> set[str]:
        store = self.catalog.stores[store_id]
        return self._paged(f"toko/{store.slug}/", "store.html", self.catalog.of_store(store_id), title=store.name,
                           description=f"{store.name}, toko UMKM di {store.kelurahan}, {store.kecamatan}, Samarinda.",
                           store=store)

    def store_index(self) -> None:
        groups = defaultdict(list)
        for store in sorted(self.catalog.stores.values(), key=lambda s: s.name.lower()):
            groups[store.kecamatan_code].append(store)
        self.page("toko/", "stores.html", title="Toko per kecamatan",
                  description="Toko UMKM Behambinan di setiap kecamatan Kota Samarinda.",
                  groups=[(k, groups[k.code]) for k in places.all_kecamatan() if groups[k.code]])

    def product(self, product_id: int) -> None:
        p = self.catalog.products[product_id]
        self.page(f"produk/{p.slug}/", "product.html", title=p.name,
                  description=f"{p.name} dari {p.store.name}, {p.store.kecamatan}. Mulai Rp{p.price_from:,}.".replace(",", "."),
                  p=p)

    def fixed(self) -> None:
        for path, (template, title, description) in STATIC_PAGES.items():
            self.page(path, template, title=title, description=description, canonical=path == "bantuan/")
        self.write("404.html", "404.html", title="Halaman tidak ditemukan", description="", canonical=None)
        (self.root / "robots.txt").write_text(
            "User-agent: *\nDisallow: /keranjang/\nDisallow: /checkout/\nDisallow: /pesanan/\nDisallow: /cari/\n"
            f"Sitemap: {self.globals['site']['public_url']}/sitemap.xml\n", encoding="utf-8")
        data = self.root / "data" / "wilayah.json"
        data.parent.mkdir(parents=True, exist_ok=True)
        data.write_text(json.dumps([
            {"code": k.code, "name": k.name, "kelurahan": [{"code": l.code, "name": l.name} for l in k.kelurahan]}
            for k in places.all_kecamatan()], ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    def sitemap(self) -> None:
        urls = [("/", None), ("/bantuan/", None), ("/toko/", None)]
        urls += [(f"/kategori/{c.slug}/", None) for c in CATEGORIES]
        urls += [(f"/toko/{s.slug}/", None) for s in self.catalog.stores.values()]
        urls += [(f"/produk/{p.slug}/", p.updated_at.date().isoformat()) for p in self.catalog.products.values()]
        self.write("sitemap.xml", "sitemap.xml", urls=urls)


def _state_path(out_dir: Path) -> Path:
    return out_dir.with_name(out_dir.name + ".state.json")


def _state_of(catalog: Catalog) -> dict:
    return {"products": {str(p.id): [p.slug, p.category.slug, p.store.id] for p in catalog.products.values()},
            "stores": {str(s.id): s.slug for s in catalog.stores.values()}}


def _product_pages(writer: _Writer, product_ids: list[int], progress: Callable[[str], None] | None) -> None:
    """Every product page: in this process for a small catalog; for a big one, split over
    forked processes, one per core. Rendering is pure Python (the GIL would serialise threads)
    and a page per product is most of a build: 10,000 of 11,000 pages, about 3.5 of 4.5 s on
    one core here. The children inherit the catalog and the templates and only write files."""
    processes = min(os.cpu_count() or 1, MAX_PROCESSES)
    if len(product_ids) < PARALLEL_FROM or processes < 2:
        for count, product_id in enumerate(product_ids, 1):
            writer.product(product_id)
            if progress and count % 2000 == 0:
                progress(f"  {count} of {len(product_ids)} product pages")
        return
    context = multiprocessing.get_context("fork")
    children = [context.Process(target=_write_products, args=(writer, product_ids[n::processes]), daemon=True)
                for n in range(processes)]
    for child in children:
        child.start()
    for child in children:
        child.join()
    failed = [child.exitcode for child in children if child.exitcode != 0]
    if failed:
        raise RuntimeError(f"{len(failed)} of {len(children)} processes writing product pages failed "
                           f"(exit codes {failed}); nothing was swapped in")
    writer.pages += len(product_ids)
    if progress:
        progress(f"  {len(product_ids)} product pages in {processes} processes")


def _write_products(writer: _Writer, product_ids: list[int]) -> None:
    for product_id in product_ids:
        writer.product(product_id)


def build_storefront(out_dir: Path, *, engine: Engine, settings: SiteSettings,
                     progress: Callable[[str], None] | None = None) -> BuildSummary:
    """Every page, into a fresh folder swapped in at the end."""
    started = time.monotonic()
    with engine.connect() as conn:
        catalog = load_catalog(conn)
    with fresh_build(out_dir) as fresh:
        writer = _Writer(fresh, catalog, settings)
        writer.fixed()
        writer.home()
        writer.store_index()
        for category in CATEGORIES:
            writer.category(category.slug)
        for store_id in catalog.stores:
            writer.store(store_id)
        _product_pages(writer, list(catalog.products), progress)
        writer.sitemap()
    _state_path(out_dir).write_text(json.dumps(_state_of(catalog)), encoding="utf-8")
    return BuildSummary(writer.pages, 0, len(catalog.products), len(catalog.stores), time.monotonic() - started, False)


def rebuild_storefront(out_dir: Path, *, engine: Engine, settings: SiteSettings, product_ids: Iterable[int] = (),
                       store_ids: Iterable[int] = ()) -> BuildSummary:
    """Only the pages that products ``product_ids`` and stores ``store_ids`` touch, before and
    after their change; a full build when there is no earlier one to start from."""
    started = time.monotonic()
    try:
        state = json.loads(_state_path(out_dir).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        state = None
    if state is None or not out_dir.is_dir():
        return build_storefront(out_dir, engine=engine, settings=settings)
    with engine.connect() as conn:
        catalog = load_catalog(conn)
    before_products = {int(k): v for k, v in state["products"].items()}
    before_stores = {int(k): v for k, v in state["stores"].items()}
    store_ids, product_ids = set(store_ids), set(product_ids)
    # A store's change touches every page of its products (they show the store).
    product_ids |= {pid for pid, (_, _, sid) in before_products.items() if sid in store_ids}
    product_ids |= {p.id for p in catalog.products.values() if p.store.id in store_ids}
    categories, stores = set(), set(store_ids)
    deleted = 0
    writer = _Writer(out_dir, catalog, settings)
    for pid in product_ids:
        old = before_products.get(pid)
        new = catalog.products.get(pid)
        if old:
            categories.add(old[1])
            stores.add(old[2])
            if not new or new.slug != old[0]:
                deleted += _remove(out_dir / "produk" / old[0])
        if new:
            categories.add(new.category.slug)
            stores.add(new.store.id)
            writer.product(pid)
    for slug in categories:
        _remove_pages_beyond(out_dir / "kategori" / slug, writer.category(slug))
    for sid in stores:
        if sid in catalog.stores:
            _remove_pages_beyond(out_dir / "toko" / catalog.stores[sid].slug, writer.store(sid))
            if before_stores.get(sid) not in (None, catalog.stores[sid].slug):
                deleted += _remove(out_dir / "toko" / before_stores[sid])
        elif sid in before_stores:
            deleted += _remove(out_dir / "toko" / before_stores[sid])
    writer.home()
    writer.store_index()
    writer.sitemap()
    _state_path(out_dir).write_text(json.dumps(_state_of(catalog)), encoding="utf-8")
    return BuildSummary(writer.pages, deleted, len(product_ids), len(stores), time.monotonic() - started, True)


def _remove(folder: Path) -> int:
    if folder.is_dir():
        shutil.rmtree(folder)
        return 1
    return 0


def _remove_pages_beyond(folder: Path, written: set[str]) -> None:
    """Numbered page folders (``2/``, ``3/`` …) the list no longer has."""
    if not folder.is_dir():
        return
    kept = {path.rstrip("/").rsplit("/", 1)[-1] for path in written}
    for child in folder.iterdir():
        if child.is_dir() and child.name.isdigit() and child.name not in kept:
            shutil.rmtree(child)
