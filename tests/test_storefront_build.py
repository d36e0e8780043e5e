"""Building the storefront: what a full build contains, and what a partial rebuild changes
when products and stores change (sites/storefront/build.py)."""

from __future__ import annotations

import json
import re

import pytest

from api.storefront import storefront_settings
from commerce.db import make_engine
from commerce.places import all_kecamatan
from sites.storefront import build_storefront, rebuild_storefront
from tests.helpers import ApiClient


@pytest.fixture
def site(make_app, tmp_path):
    app = make_app()
    api = ApiClient(app)
    engine = make_engine(app.extensions["smartcity"].settings.database_url)
    settings = storefront_settings(app.extensions["smartcity"].settings)
    out = tmp_path / "build" / "storefront"

    def full():
        return build_storefront(out, engine=engine, settings=settings)

    def partial(**changed):
        return rebuild_storefront(out, engine=engine, settings=settings, **changed)

    yield api, out, full, partial
    engine.dispose()


def _pages(out, folder: str) -> set[str]:
    root = out / folder
    return {str(p.parent.relative_to(root)) for p in root.rglob("index.html")} if root.exists() else set()


def test_a_full_build_has_every_page_and_nothing_of_the_unapproved(site):
    api, out, full, _ = site
    token, store = api.seller_with_store()
    products = [api.add_product(token, store["id"], name=f"Amplang {n}") for n in range(30)]
    pending_token = api.new_user()
    pending = api.open_store(pending_token, name="Toko Belum Disetujui")
    hidden = api.add_product(pending_token, pending["id"], name="Belum Boleh Dijual")
    summary = full()
    assert summary.products == 30 and summary.stores == 1
    assert _pages(out, "produk") == {p["slug"] for p in products}
    assert _pages(out, "kategori/kue-camilan") == {".", "2"}  # 24 a page
    assert _pages(out, f"toko/{store['slug']}") == {".", "2"}
    assert not (out / "toko" / pending["slug"]).exists() and hidden["slug"] not in (out / "sitemap.xml").read_text()
    sitemap = (out / "sitemap.xml").read_text()
    assert all(f"/produk/{p['slug']}/" in sitemap for p in products)
    places = json.loads((out / "data" / "wilayah.json").read_text())
    assert len(places) == 10 and sum(len(k["kelurahan"]) for k in places) == sum(len(k.kelurahan) for k in all_kecamatan())
    assert "Disallow: /checkout/" in (out / "robots.txt").read_text()
    for page in ("cari", "keranjang", "checkout", "pesanan", "bantuan"):
        html = (out / page / "index.html").read_text()
        assert '<html lang="id">' in html and "Content-Security-Policy" in html
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), f"inline script on /{page}/"


def test_a_rebuild_follows_archiving_a_move_to_another_category_and_a_suspension(site):
    api, out, full, partial = site
    token, store = api.seller_with_store()
    products = [api.add_product(token, store["id"], name=f"Amplang {n}") for n in range(26)]
    other_token, other = api.seller_with_store()
    kept = api.add_product(other_token, other["id"], name="Tas Manik", category="kerajinan")
    full()
    gone, moved = products[0], products[1]
    assert api.call("DELETE", f"/api/v1/stores/{store['id']}/products/{gone['id']}", token=token).status_code == 204
    assert api.call("PATCH", f"/api/v1/stores/{store['id']}/products/{moved['id']}", token=token,
                    json={"category": "kerajinan"}).status_code == 200
    summary = partial(product_ids=[gone["id"], moved["id"]])
    assert summary.partial and summary.deleted == 1
    assert gone["slug"] not in _pages(out, "produk")
    assert _pages(out, "kategori/kue-camilan") == {"."}  # 24 left: the second page went
    kerajinan = (out / "kategori" / "kerajinan" / "index.html").read_text()
    assert moved["slug"] in kerajinan and kept["slug"] in kerajinan
    assert gone["slug"] not in (out / "sitemap.xml").read_text()
    # the city suspends the first store: its pages and its products' pages leave the site
    admin = api.admin()
    assert api.call("POST", f"/api/v1/admin/stores/{store['id']}/suspend", token=admin).status_code == 200
    partial(store_ids=[store["id"]])
    assert not (out / "toko" / store["slug"]).exists()
    assert _pages(out, "produk") == {kept["slug"]}
    assert store["slug"] not in (out / "toko" / "index.html").read_text()
    home = (out / "index.html").read_text()
    assert not any(p["slug"] in home for p in products) and kept["slug"] in home


def test_a_rebuild_without_an_earlier_build_builds_everything(site):
    api, out, _, partial = site
    token, store = api.seller_with_store()
    product = api.add_product(token, store["id"])
    summary = partial(product_ids=[product["id"]])
    assert not summary.partial and (out / "produk" / product["slug"] / "index.html").is_file()


def test_every_asset_name_is_one_the_publisher_caches_for_a_year():
    from sites.common.assets import _hashed
    from sites.publish.headers import IMMUTABLE, headers_for

    # about one content in a hundred has a SHA-256 that starts with ten digits: take the first
    content = next(c for c in (str(n).encode() for n in range(10_000_000))
                   if __import__("hashlib").sha256(c).hexdigest()[:10].isdigit())
    name = _hashed("common.js", content)
    assert headers_for(f"aset/js/{name}").cache_control == IMMUTABLE, name


def test_a_big_catalog_writes_its_product_pages_from_several_processes(site, monkeypatch):
    from sites.storefront import build

    api, out, full, _ = site
    token, store = api.seller_with_store()
    products = [api.add_product(token, store["id"], name=f"Amplang {n}") for n in range(12)]
    monkeypatch.setattr(build, "PARALLEL_FROM", 5)
    monkeypatch.setattr(build.os, "cpu_count", lambda: 3)
    summary = full()
    assert summary.pages > 12 and _pages(out, "produk") == {p["slug"] for p in products}
    assert all("Amplang" in (out / "produk" / p["slug"] / "index.html").read_text() for p in products)
