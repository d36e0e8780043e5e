"""The fixed list of product categories, chosen to fit Samarinda's UMKM.

Products name their category by slug. The list is code, not data, because the storefront's
navigation and the city's impact reports group by it; changing it is a deliberate release.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Category", "CATEGORIES", "category_by_slug"]


class Category(NamedTuple):
    slug: str
    name: str


CATEGORIES: tuple[Category, ...] = (
    Category("makanan-minuman", "Makanan & Minuman"),
    Category("kue-camilan", "Kue, Camilan & Oleh-oleh"),
    Category("sarung-tenun-fashion", "Sarung Tenun & Fashion"),
    Category("kerajinan", "Kerajinan Tangan"),
    Category("hasil-tani-ikan", "Hasil Tani, Kebun & Ikan"),
    Category("kesehatan-kecantikan", "Kesehatan & Kecantikan"),
    Category("rumah-tangga", "Perlengkapan Rumah Tangga"),
    Category("tanaman-hias", "Tanaman Hias"),
    Category("jasa", "Jasa"),
)

_BY_SLUG = {c.slug: c for c in CATEGORIES}


def category_by_slug(slug: str) -> Category | None:
    return _BY_SLUG.get(slug)
