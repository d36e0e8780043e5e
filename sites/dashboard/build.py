"""Building the dashboard: one page per screen, the reference data its forms need, and its
assets. Nothing here reads the database: every figure a seller sees comes live from the API.

=====================  ==========================================
path (under /seller/)  screen
=====================  ==========================================
``/``                  Masuk (log in)
``daftar/``            Daftar (register)
``buka-toko/``         Buka toko (open a store; waits for approval)
``pesanan/``           Pesanan: the order board, by status
``pesanan/detail/``    one order (``?id=``): contact, actions, packing slip
``produk/``            Produk: list, search, filters, quick stock
``produk/ubah/``       add or edit a product (``?id=``), pictures
``kasir/``             Kasir: the point of sale, receipts, the day
``omzet/``             Omzet: sales per day and week, best sellers
``toko/``              Toko: profile, delivery fees, bank account
=====================  ==========================================
"""

from __future__ import annotations

import json
import time
from functools import cache
from pathlib import Path
from typing import NamedTuple

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from commerce import places
from commerce.catalog.categories import CATEGORIES
from commerce.orders.status import STATUSES
from sites.common.assets import write_assets
from sites.common.builds import fresh_build
from sites.common.policy import content_security_policy

__all__ = ["DashboardSettings", "DashboardBuild", "build_dashboard", "SCREENS"]


class DashboardSettings(NamedTuple):
    api_base: str = ""  # must be the same site as the dashboard: the session cookie is SameSite=Strict
    base: str = "/seller/"  # where the dashboard is served
    picture_url: str = "/media/x"  # any picture's URL: its origin goes into the CSP


class DashboardBuild(NamedTuple):
    pages: int
    seconds: float

    def summary(self) -> str:
        return f"dashboard built: {self.pages} pages in {self.seconds:.1f} s"


# path -> (template, title, the nav item it belongs to)
SCREENS = {
    "": ("login.html", "Masuk", None),
    "daftar/": ("register.html", "Daftar sebagai penjual", None),
    "buka-toko/": ("open-store.html", "Buka toko", None),
    "pesanan/": ("orders.html", "Pesanan", "pesanan"),
    "pesanan/detail/": ("order.html", "Pesanan", "pesanan"),
    "produk/": ("products.html", "Produk", "produk"),
    "produk/ubah/": ("product-form.html", "Produk", "produk"),
    "kasir/": ("pos.html", "Kasir", "kasir"),
    "omzet/": ("sales.html", "Omzet", "omzet"),
    "toko/": ("store.html", "Toko", "toko"),
}
NAV = (("pesanan", "Pesanan"), ("produk", "Produk"), ("kasir", "Kasir"), ("omzet", "Omzet"), ("toko", "Toko"))


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("sites.dashboard", "templates"), autoescape=select_autoescape(["html"]),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _reference_data() -> dict:
    """What the forms choose from: categories, kecamatan and kelurahan, order statuses."""
    return {
        "categories": [{"slug": c.slug, "name": c.name} for c in CATEGORIES],
        "kecamatan": [{"code": k.code, "name": k.name, "kelurahan": [{"code": l.code, "name": l.name} for l in k.kelurahan]}
                      for k in places.all_kecamatan()],
        "statuses": list(STATUSES),
    }


def build_dashboard(out_dir: Path, *, settings: DashboardSettings = DashboardSettings()) -> DashboardBuild:
    started = time.monotonic()
    with fresh_build(out_dir) as fresh:
        assets = write_assets(fresh, "sites.dashboard", settings.base)
        csp = content_security_policy(api_base=settings.api_base, picture_url=settings.picture_url, extra_images=("blob:",))
        env = _environment()
        common = {"base": settings.base, "api_base": settings.api_base, "csp": csp, "nav": NAV,
                  "asset": lambda name: assets.urls[name]}
        for path, (template, title, section) in SCREENS.items():
            target = fresh / path / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(env.get_template(template).render(**common, title=title, section=section), encoding="utf-8")
        (fresh / "404.html").write_text(env.get_template("404.html").render(**common, title="Tidak ditemukan", section=None),
                                        encoding="utf-8")
        (fresh / "data").mkdir()
        (fresh / "data" / "referensi.json").write_text(json.dumps(_reference_data(), ensure_ascii=False,
                                                                  separators=(",", ":")), encoding="utf-8")
    return DashboardBuild(len(SCREENS) + 1, time.monotonic() - started)
