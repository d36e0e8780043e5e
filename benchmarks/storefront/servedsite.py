"""A small, realistic market served by the real app, for Lighthouse: a dozen approved stores
with their products, every product with a real picture in the storage folder, the storefront
built and published where the app serves it (``<var>/sites/storefront``, at ``/``), and the
API answering the product pages' live stock requests.

Same wiring as the demo (``smartcity demo``): SQLite, the local storage folder served at
``/media/``, the app in a thread (``tests/browser.py: serve_app``, werkzeug). Rate limits are off
(Lighthouse reloads pages quickly), nothing else differs.
"""

from __future__ import annotations

import logging
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from market import load_market, make_market, write_pictures

from commerce.catalog.models import Product, Variant
from commerce.db import make_engine
from commerce.migrate import upgrade

__all__ = ["ServedSite", "served_site"]

ROOT = Path(__file__).resolve().parents[2]


class ServedSite(NamedTuple):
    base_url: str
    pages: dict[str, str]  # page type -> path, for Lighthouse
    published: Path  # the published storefront folder
    products: int
    stores: int


def _pages_to_test(market) -> dict[str, str]:
    """Home; the first page of the biggest category (a full page of cards); the newest product
    with the most variants (the largest product page, and one whose stock the page fetches)."""
    products = market.rows(Product.__table__)
    counts: dict[str, int] = {}
    for p in products:
        counts[p["category"]] = counts.get(p["category"], 0) + 1
    category = max(counts, key=lambda slug: (counts[slug], slug))
    variants: dict[int, int] = {}
    for v in market.rows(Variant.__table__):
        variants[v["product_id"]] = variants.get(v["product_id"], 0) + 1
    product = max(products, key=lambda p: (variants[p["id"]], p["id"]))
    return {"home": "/", "category": f"/kategori/{category}/", "product": f"/produk/{product['slug']}/"}


@contextmanager
def served_site(workdir: Path, *, stores: int = 12, per_store: int = 20):
    """Yield a :class:`ServedSite`; the server stops and the database closes at exit (the
    caller removes ``workdir``)."""
    sys.path.insert(0, str(ROOT))  # tests/browser.py
    from api import create_app
    from api.config import Settings
    from api.storefront import storefront_settings
    from sites.publish import publish
    from sites.storage import open_storage
    from sites.storefront import build_storefront
    from tests.browser import serve_app

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    var = workdir / "var"
    storage = var / "storage"
    url = f"sqlite:///{var / 'smartcity.db'}"
    var.mkdir(parents=True)
    market = make_market(stores=stores, per_store=per_store, seed=7)
    write_pictures(market, storage)
    upgrade(url)
    engine = make_engine(url)
    load_market(engine, market)
    settings = Settings(database_url=url, var_dir=var, storage_url=storage.as_uri(), ratelimit_enabled=False)
    build = var / "build" / "storefront"
    build_storefront(build, engine=engine, settings=storefront_settings(settings))
    published = var / "sites" / "storefront"
    publish("storefront", build, open_storage(published.as_uri()), target=published.as_uri())
    app = create_app(settings)
    base_url, stop = serve_app(app)
    try:
        yield ServedSite(base_url, _pages_to_test(market), published, market.product_count, market.store_count)
    finally:
        stop()
        app.extensions["smartcity"].engine.dispose()
        engine.dispose()
