"""A small market on a served storefront, for the browser tests: two approved stores in two
kecamatan, products with pictures in two categories, the storefront built and published to the
folder the app serves, and axe-core."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import NamedTuple

from api.storefront import storefront_settings
from commerce.db import make_engine
from sites.publish import publish
from sites.storage import open_storage
from sites.storefront import build_storefront
from sites.storefront.render import SiteSettings
from tests.helpers import ApiClient, png_bytes

__all__ = ["Market", "make_market", "publish_storefront", "assert_accessible", "no_horizontal_scroll", "check_screen"]

PHONE_VIEWPORT = {"width": 360, "height": 740}


class Market(NamedTuple):
    seller_a: str
    store_a: dict
    amplang: dict  # product of store A, found by searching "amplang"
    seller_b: str
    store_b: dict
    tas: dict  # product of store B, in the "kerajinan" category


def _picture(api: ApiClient, token: str, store_id: int, product_id: int, colour) -> None:
    answer = api.call("POST", f"/api/v1/stores/{store_id}/products/{product_id}/images", token=token,
                      data={"file": (io.BytesIO(png_bytes(size=(640, 480), colour=colour)), "foto.png")},
                      content_type="multipart/form-data")
    assert answer.status_code == 201, answer.json


def make_market(api: ApiClient) -> Market:
    seller_a, store_a = api.seller_with_store()  # Samarinda Ulu
    amplang = api.add_product(seller_a, store_a["id"], name="Amplang Ikan Tenggiri", description="Renyah, dari ikan segar.",
                              variants=[{"sku": "AMP-1", "name": "250 g", "price": 35000, "stock": 10},
                                        {"sku": "AMP-2", "name": "500 g", "price": 65000, "stock": 4}])
    _picture(api, seller_a, store_a["id"], amplang["id"], (220, 120, 60))
    seller_b = api.new_user("Penjual B")
    store_b = api.open_store(seller_b, name="Manik Dayak Lamin", kecamatan="Palaran", kelurahan="Rawa Makmur")
    api.approve(store_b["id"])
    assert api.call("PATCH", f"/api/v1/stores/{store_b['id']}", token=seller_b, json={
        "publish_phone": True, "publish_address": True, "opening_hours": "Senin–Sabtu 08.00–17.00 WITA"}).status_code == 200
    tas = api.add_product(seller_b, store_b["id"], name="Tas Manik Dayak Kenyah", category="kerajinan",
                          description="Tas manik buatan tangan.",
                          variants=[{"sku": "TAS-1", "name": "Kecil", "price": 250000, "stock": 3}])
    _picture(api, seller_b, store_b["id"], tas["id"], (40, 90, 160))
    for n in range(3):  # more of the category, so that its page is a real list
        api.add_product(seller_b, store_b["id"], name=f"Gelang Manik {n}", category="kerajinan",
                        variants=[{"sku": f"GLG-{n}", "name": "Satu", "price": 25000 + n * 1000, "stock": 20}])
    return Market(seller_a, store_a, amplang, seller_b, store_b, tas)


def publish_storefront(app, var_dir: Path, *, settings: SiteSettings | None = None, target: Path | None = None) -> Path:
    """Build the storefront from the app's database and publish it where the app serves it
    (or to ``target``); returns the published folder."""
    wiring = app.extensions["smartcity"]
    engine = make_engine(wiring.settings.database_url)
    out = var_dir / "build" / "storefront"
    build_storefront(out, engine=engine, settings=settings or storefront_settings(wiring.settings))
    engine.dispose()
    target = target or var_dir / "sites" / "storefront"
    publish("storefront", out, open_storage(target.as_uri()), target=target.as_uri())
    return target


def assert_accessible(page, name: str) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
           if v["impact"] in ("serious", "critical")]
    assert not bad, f"{name}: {bad}"


def no_horizontal_scroll(page, name: str) -> None:
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{name} scrolls sideways at {viewport}px ({width}px wide)"


def check_screen(page, name: str) -> None:
    """Every screen of a browser test: accessible, no sideways scrolling, and a screenshot in
    SMARTCITY_SCREENSHOTS if that is set (for a person to look at)."""
    page.wait_for_load_state("networkidle")
    assert_accessible(page, name)
    no_horizontal_scroll(page, name)
    folder = os.environ.get("SMARTCITY_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}-{page.viewport_size['width']}.png"), full_page=True)
