"""Fill a freshly migrated database with what the checkout benchmark buys from, fast.

A few approved stores, each with ordinary products (the "uncontended" pool: 2,000 variants
by default, stock large enough never to run out) and one "hot" product whose single variant
is one of the five variants every buyer of the contended scenario fights over. The hot
variants sit in five different stores, so a contended checkout of k lines makes k orders, as
an uncontended one of k lines over a few stores mostly does: both scenarios do comparable work
per checkout, and only the locking differs.

Bulk Core inserts into the ORM models' own tables (column types such as ``UTCDateTime`` store
values exactly as the app does); every row is one the use cases could have made.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import NamedTuple

from slugify import slugify
from sqlalchemy import Engine

from seeding import load_rows

from commerce import places
from commerce.catalog.categories import CATEGORIES
from commerce.models import Product, Store, User, UserRole, Variant

__all__ = ["Market", "seed_market"]

GOODS = ["Amplang", "Lempok Durian", "Sarung Tenun", "Madu Kelulut", "Kopi Liberika", "Tas Manik",
         "Abon Haruan", "Keripik Pisang", "Kerupuk Ikan", "Teh Serai"]
SIZES = ["Kecil", "Sedang", "Besar", "250 g", "500 g", "1 kg", "Isi 3", "Isi 10"]


class Market(NamedTuple):
    stores: list[int]
    variants: list[int]      # the uncontended pool
    hot_variants: list[int]  # the contended five, one per store
    stock: int
    hot_stock: int


def seed_market(engine: Engine, *, stores: int = 5, variants: int = 2000, per_product: int = 4, hot: int = 5,
                stock: int = 1_000_000, hot_stock: int = 1_000_000_000, seed: int = 2024) -> Market:
    if hot > stores:
        raise ValueError("one hot variant per store: need at least as many stores as hot variants")
    rng = random.Random(seed)
    now = datetime.now(timezone.utc) - timedelta(days=1)
    kecamatan = places.all_kecamatan()
    categories = [c.slug for c in CATEGORIES]

    users, roles, store_rows = [], [], []
    for n in range(1, stores + 1):
        kec = kecamatan[n % len(kecamatan)]
        kel = kec.kelurahan[0]
        name = f"UMKM Checkout {kel.name} {n}"
        users.append({"id": n, "email": f"seller{n}@checkout-bench.invalid", "name": f"Penjual {n}",
                      "password_hash": "!benchmark", "created_at": now})  # nobody can log in
        roles.append({"id": n, "user_id": n, "role": "seller"})
        store_rows.append({
            "id": n, "owner_id": n, "name": name, "slug": slugify(name), "description": "",
            "kecamatan_code": kec.code, "kelurahan_code": kel.code, "address": f"Jl. Contoh No. {n}",
            "phone": f"0812{rng.randint(10_000_000, 99_999_999)}", "status": "approved",
            "created_at": now, "status_changed_at": now,
        })

    product_rows, variant_rows, pool, hot_ids = [], [], [], []
    pid = vid = 0

    def product(store_id: int, name: str) -> int:
        nonlocal pid
        pid += 1
        product_rows.append({
            "id": pid, "store_id": store_id, "name": name, "slug": f"{slugify(name)}-{pid}",
            "description": f"{name}, produk UMKM Samarinda.", "category": categories[pid % len(categories)],
            "status": "active", "created_at": now, "updated_at": now,
        })
        return pid

    def variant(product_id: int, store_id: int, name: str, units: int) -> int:
        nonlocal vid
        vid += 1
        variant_rows.append({
            "id": vid, "product_id": product_id, "store_id": store_id, "sku": f"CB-{vid:06d}", "name": name,
            "price": rng.randrange(5, 300) * 1000, "stock": units, "created_at": now,
        })
        return vid

    while len(pool) < variants:
        store_id = (pid % stores) + 1
        p = product(store_id, f"{rng.choice(GOODS)} {pid + 1}")
        for v in range(min(per_product, variants - len(pool))):
            pool.append(variant(p, store_id, SIZES[v % len(SIZES)], stock))
    for n in range(hot):
        store_id = n + 1
        p = product(store_id, f"Promo Kilat {n + 1}")
        hot_ids.append(variant(p, store_id, "Satuan", hot_stock))

    with engine.begin() as connection:
        load_rows(connection, [(User.__table__, users), (UserRole.__table__, roles), (Store.__table__, store_rows),
                               (Product.__table__, product_rows), (Variant.__table__, variant_rows)])
    return Market([s["id"] for s in store_rows], pool, hot_ids, stock, hot_stock)
