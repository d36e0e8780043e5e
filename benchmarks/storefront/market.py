"""A deterministic marketplace for the storefront benchmark: approved stores spread over the
city's kecamatan, products over every category, 1-3 variants and one picture each.

The same seed always gives the same rows (names, prices, dates), so two runs build the same
pages and a figure moves only when the code or the machine does. Rows go in with bulk Core
inserts into the models' own tables (``benchmarks/seeding.py``): seeding 10,000 products through
the use cases would take minutes and is not what is measured.

Pictures: the 10,000-product build only reads image *rows* (the pages name the renditions'
URLs), so those rows get made-up digests and no files. The small catalog served to Lighthouse
needs real files, so :func:`write_pictures` draws each product's card with the demo's picture
code, makes the WebP renditions the upload path makes (``prepare_image``) and stores them
under the keys the pages point at.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from seeding import load_rows
from slugify import slugify
from sqlalchemy import Engine

from commerce import places
from commerce.catalog.categories import CATEGORIES
from commerce.models import Product, ProductImage, Store, User, UserRole, Variant
from commerce.stores.models import DeliveryFee

__all__ = ["Market", "load_market", "make_market", "write_pictures"]

# What a Samarinda UMKM sells, per category (the storefront's nine).
GOODS = {
    "makanan-minuman": ["Amplang Ikan Pipih", "Kopi Liberika", "Madu Kelulut", "Teh Serai", "Sambal Raja",
                        "Abon Haruan", "Nasi Kuning Samarinda"],
    "kue-camilan": ["Lempok Durian", "Keripik Pisang", "Kerupuk Ikan", "Bingka Kentang", "Kue Sarang Semut",
                    "Amplang Kepiting"],
    "sarung-tenun-fashion": ["Sarung Tenun Samarinda", "Kain Ulap Doyo", "Batik Kaltim", "Kemeja Tenun",
                             "Selendang Tenun"],
    "kerajinan": ["Tas Manik Dayak", "Gelang Manik", "Anyaman Rotan", "Topi Seraung", "Ukiran Kayu Ulin"],
    "hasil-tani-ikan": ["Ikan Patin Segar", "Udang Galah", "Jeruk Pamanah", "Cabai Rawit", "Lai Kalimantan"],
    "kesehatan-kecantikan": ["Minyak Bintang", "Lulur Tradisional", "Sabun Kelor", "Jamu Kunyit Asam"],
    "rumah-tangga": ["Tikar Purun", "Bakul Rotan", "Sapu Lidi", "Tudung Saji Anyam"],
    "tanaman-hias": ["Anggrek Hitam Kalimantan", "Kantong Semar", "Aglaonema", "Monstera Mini"],
    "jasa": ["Jahit Baju", "Servis Kipas Angin", "Les Privat Matematika", "Cuci Sepatu", "Sewa Tenda"],
}
QUALITIES = ["Asli", "Spesial", "Premium", "Khas Samarinda", "Rumahan", "Pilihan", "Oleh-oleh", "Super"]
SIZES = {1: [["Satuan"]], 2: [["250 g", "500 g"], ["Kecil", "Besar"], ["Isi 5", "Isi 10"]],
         3: [["Kecil", "Sedang", "Besar"], ["250 g", "500 g", "1 kg"], ["S", "M", "L"]]}
SELLERS = ["Bu Sari", "Pak Rahman", "Mama Ayu", "Acil Ijah", "Kak Dewi", "Pak Udin", "Bu Mariam", "Uma Lina",
           "Pak Hasan", "Bu Nur"]
KINDS = ["Dapur", "Warung", "Galeri", "Kebun", "Rumah Tenun", "Toko", "Kedai", "Sanggar"]
PHRASES = [
    "Dibuat setiap hari dari bahan segar pilihan.",
    "Tanpa pengawet dan pewarna buatan.",
    "Resep keluarga yang sudah turun-temurun sejak 1998.",
    "Cocok untuk oleh-oleh khas Kalimantan Timur.",
    "Dikemas rapat, aman untuk dikirim ke seluruh Samarinda.",
    "Bisa pesan dalam jumlah besar untuk acara kantor dan hajatan.",
    "Hubungi penjual untuk ukuran atau warna lain.",
    "Sudah terdaftar PIRT dan bersertifikat halal.",
]
HOURS = ["Senin–Sabtu 08.00–17.00 WITA", "Setiap hari 07.00–21.00 WITA", "Senin–Jumat 09.00–16.00 WITA", ""]
# Fixed, so that every run writes the same dates into the pages and the sitemap.
EPOCH = datetime(2026, 11, 1, tzinfo=UTC)


class Market(NamedTuple):
    """Rows per table, in insertion order (a table's references come before it)."""

    tables: list[tuple[object, list[dict]]]
    store_count: int
    product_count: int

    def rows(self, table) -> list[dict]:
        return next(rows for t, rows in self.tables if t is table)


def _store_rows(count: int, rng: random.Random) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """Users, their seller role, approved stores round-robin over the kecamatan, and the custom
    delivery fees of every fourth store (the rest use the defaults)."""
    kecamatan = places.all_kecamatan()
    users, roles, stores, fees = [], [], [], []
    for n in range(1, count + 1):
        kec = kecamatan[n % len(kecamatan)]
        kel = kec.kelurahan[(n // len(kecamatan)) % len(kec.kelurahan)]
        name = f"{rng.choice(KINDS)} {rng.choice(SELLERS)} {kel.name}"
        created = EPOCH - timedelta(days=60) + timedelta(minutes=n)
        users.append({"id": n, "email": f"penjual{n}@storefront-bench.invalid", "name": f"Penjual {n}",
                      "password_hash": "!benchmark", "created_at": created})  # nobody can log in
        roles.append({"id": n, "user_id": n, "role": "seller"})
        stores.append({
            "id": n, "owner_id": n, "name": name, "slug": f"{slugify(name)}-{n}",
            "description": " ".join(rng.sample(PHRASES, 2)), "kecamatan_code": kec.code, "kelurahan_code": kel.code,
            "address": f"Jl. {kel.name} No. {rng.randint(1, 200)}, RT {rng.randint(1, 40):02d}",
            "phone": f"0812{rng.randint(10_000_000, 99_999_999)}", "status": "approved",
            "created_at": created, "status_changed_at": created, "opening_hours": rng.choice(HOURS),
            "offers_delivery": n % 7 != 0, "offers_pickup": n % 5 != 0 or n % 7 == 0,
            "publish_phone": n % 3 == 0, "publish_address": n % 6 == 0,
        })
        if n % 4 == 0:
            for k in kecamatan:
                fees.append({"id": len(fees) + 1, "store_id": n, "kecamatan_code": k.code,
                             "fee": 5000 if k.code == kec.code else rng.randrange(10, 30) * 1000})
    return users, roles, stores, fees


def _fake_picture(product_id: int, name: str) -> dict:
    """An image row whose files do not exist: enough for a build, which only names them."""
    return {"sha256": hashlib.sha256(f"storefront-bench-{product_id}".encode()).hexdigest(),
            "widths": "160,480,960", "width": 960, "height": 720, "alt": name}


def make_market(*, stores: int = 500, per_store: int = 20, seed: int = 2026) -> Market:
    """``stores`` approved stores with ``per_store`` active products each; product ids grow
    with their creation time, so the newest (shown first everywhere) have the highest ids."""
    rng = random.Random(seed)
    users, roles, store_rows, fees = _store_rows(stores, rng)
    products, variants, images = [], [], []
    pid = 0
    for round_ in range(per_store):  # interleaved: a store's products are spread over time
        for store in store_rows:
            pid += 1
            category = CATEGORIES[(pid * 7 + store["id"]) % len(CATEGORIES)].slug
            name = f"{rng.choice(GOODS[category])} {rng.choice(QUALITIES)}"
            created = EPOCH + timedelta(minutes=pid)
            products.append({
                "id": pid, "store_id": store["id"], "name": name, "slug": f"{slugify(name)}-{pid}",
                "description": " ".join(rng.sample(PHRASES, rng.randint(1, 3))), "category": category,
                "status": "active", "created_at": created, "updated_at": created,
            })
            count = rng.choice((1, 1, 2, 2, 3))
            base = rng.randrange(5, 150) * 1000
            for step, size in enumerate(rng.choice(SIZES[count])):
                variants.append({
                    "id": len(variants) + 1, "product_id": pid, "store_id": store["id"], "sku": f"SB-{pid}-{step}",
                    "name": size, "price": base + step * rng.randrange(2, 40) * 1000, "stock": rng.randint(0, 80),
                    "created_at": created,
                })
            images.append({"id": pid, "product_id": pid, "position": 0, "created_at": created,
                           **_fake_picture(pid, name)})
    tables = [(User.__table__, users), (UserRole.__table__, roles), (Store.__table__, store_rows),
              (DeliveryFee.__table__, fees), (Product.__table__, products), (Variant.__table__, variants),
              (ProductImage.__table__, images)]
    return Market(tables, stores, pid)


def load_market(engine: Engine, market: Market) -> None:
    with engine.begin() as connection:
        load_rows(connection, market.tables)


def write_pictures(market: Market, storage_root: Path, *, seed: int = 2026) -> None:
    """Real WebP renditions for every product of ``market``, as an upload makes them, stored
    under the keys its pages name; the image rows are changed to match (digest, widths, size).
    Call before :func:`load_market`."""
    from commerce.catalog.images import prepare_image
    from commerce.catalog.models import rendition_key
    from commerce.demo import draw_picture

    rng = random.Random(seed)
    names = {p["id"]: p["name"] for p in market.rows(Product.__table__)}
    for row in market.rows(ProductImage.__table__):
        prepared = prepare_image(draw_picture(names[row["product_id"]], rng))
        for width, data in prepared.renditions.items():
            path = storage_root / rendition_key(prepared.sha256, width)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        row.update(sha256=prepared.sha256, widths=",".join(str(w) for w in sorted(prepared.renditions)),
                   width=prepared.width, height=prepared.height)
