"""Fill a freshly migrated database with a city-sized catalog, fast.

The use cases (``commerce.catalog.services.add_product``) would take minutes for 10,000
products because each one is its own write transaction; the benchmark only needs the rows, so
this writes them with bulk Core inserts into the real tables (the ORM models' own ``Table``
objects, so column types such as ``UTCDateTime`` store values exactly as the app does).
Every row is one the use cases could have made: approved stores in real kelurahan, unique
slugs and per-store SKUs, positive prices, stock of zero or more.
"""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta, timezone
from typing import NamedTuple

from slugify import slugify
from sqlalchemy import Engine, func, select

from seeding import load_rows

from commerce import places
from commerce.catalog.categories import CATEGORIES
from commerce.models import Product, ProductImage, Store, User, UserRole, Variant

__all__ = ["SeedSummary", "seed_catalog"]

# Words to build varied, plausible product names from ("Amplang Udang Pedas 250 g" ...).
GOODS = {
    "makanan-minuman": ["Nasi Kuning", "Soto Banjar", "Mie Goreng", "Es Kelapa", "Kopi Liberika", "Teh Serai", "Sambal Raja", "Nasi Bakar"],
    "kue-camilan": ["Amplang", "Lempok Durian", "Bingka", "Kerupuk Ikan", "Keripik Pisang", "Kue Cincin", "Abon Haruan", "Stik Keju"],
    "sarung-tenun-fashion": ["Sarung Tenun", "Selendang", "Kemeja Batik", "Peci Tenun", "Dompet Tenun", "Kerudung Sulam", "Syal Tenun", "Kain Shibori"],
    "kerajinan": ["Tas Manik", "Gelang Manik", "Topi Seraung", "Keranjang Rotan", "Tikar Rotan", "Tas Purun", "Miniatur Perahu", "Lampu Bambu"],
    "hasil-tani-ikan": ["Udang Galah", "Ikan Patin", "Cabai Rawit", "Madu Kelulut", "Pisang Kepok", "Kepiting Bakau", "Beras Lokal", "Telur Kampung"],
    "kesehatan-kecantikan": ["Minyak Urut", "Sabun Sereh", "Bedak Dingin", "Lulur Beras", "Jamu Kunyit", "Masker Kunyit", "Balsem Sereh", "Teh Kelor"],
    "rumah-tangga": ["Talenan Ulin", "Rak Bumbu", "Sapu Lidi", "Tudung Saji", "Ulekan Batu", "Keset Perca", "Kursi Rotan", "Sendok Kayu"],
    "tanaman-hias": ["Anggrek Hitam", "Monstera", "Kuping Gajah", "Sirih Gading", "Lidah Mertua", "Aglonema", "Bibit Durian", "Kaktus Mini"],
    "jasa": ["Permak Celana", "Jahit Seragam", "Cuci Setrika", "Cuci Karpet", "Servis Kipas", "Sablon Kaos", "Les Privat", "Desain Undangan"],
}
STYLES = ["Asli", "Pedas", "Manis", "Spesial", "Premium", "Original", "Khas Samarinda", "Mahakam", "Borneo", "Super"]
SIZES = ["Kecil", "Sedang", "Besar", "250 g", "500 g", "1 kg", "Satuan", "Isi 3", "Isi 10", "Paket Hemat"]
STORE_WORDS = ["Berkah", "Mandiri", "Sejahtera", "Tepian", "Mahakam", "Barokah", "Lestari", "Jaya", "Harapan", "Sumber Rezeki"]

class SeedSummary(NamedTuple):
    stores: int
    products: int
    variants: int
    images: int
    product_ids: list[int]  # every public product, for the detail benchmark


def seed_catalog(engine: Engine, *, stores: int = 500, products: int = 10_000, images: int = 300,
                 seed: int = 2020) -> SeedSummary:
    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    start = now - timedelta(days=365)
    kecamatan = places.all_kecamatan()
    categories = [c.slug for c in CATEGORIES]

    users, roles, store_rows = [], [], []
    for n in range(1, stores + 1):
        kec = kecamatan[n % len(kecamatan)]
        kel = kec.kelurahan[n % len(kec.kelurahan)]
        created = start + timedelta(minutes=n)
        name = f"UMKM {rng.choice(STORE_WORDS)} {kel.name} {n}"
        users.append({"id": n, "email": f"seller{n:04d}@bench.invalid", "name": f"Penjual {n}",
                      # Not an argon2 hash: nobody can log in as a benchmark seller.
                      "password_hash": "!benchmark", "created_at": created})
        roles.append({"user_id": n, "role": "seller"})
        store_rows.append({
            "id": n, "owner_id": n, "name": name, "slug": slugify(name),
            "description": f"UMKM di Kelurahan {kel.name}, Kecamatan {kec.name}.",
            "kecamatan_code": kec.code, "kelurahan_code": kel.code,
            "address": f"Jl. Contoh No. {n}, RT {rng.randint(1, 40):02d}",
            "phone": f"0812{rng.randint(10_000_000, 99_999_999)}",
            "status": "approved", "created_at": created, "status_changed_at": created,
            "bank_name": None, "bank_account_number": None, "bank_account_name": None,
        })

    product_rows, variant_rows = [], []
    variant_id = 0
    step = timedelta(seconds=(now - start).total_seconds() / (products + 1))
    for pid in range(1, products + 1):
        store = store_rows[(pid - 1) % stores]
        category = categories[(pid // 7) % len(categories)]
        name = f"{rng.choice(GOODS[category])} {rng.choice(STYLES)} {pid}"
        created = start + step * pid
        product_rows.append({
            "id": pid, "store_id": store["id"], "name": name,
            "slug": f"{slugify(name)}-{store['slug']}"[:180],
            "description": f"{name} buatan {store['name']}. " + "Produk UMKM Samarinda. " * rng.randint(1, 8),
            "category": category, "status": "active", "created_at": created, "updated_at": created,
        })
        for v in range(rng.randint(1, 3)):
            variant_id += 1
            variant_rows.append({
                "id": variant_id, "product_id": pid, "store_id": store["id"],
                "sku": f"P{pid:05d}-{v}", "name": SIZES[(pid + v) % len(SIZES)],
                "price": rng.randrange(5, 500) * 1000,
                "stock": 0 if rng.random() < 0.1 else rng.randint(1, 60),
                "created_at": created,
            })

    image_rows = []
    for n, pid in enumerate(sorted(rng.sample(range(1, products + 1), k=min(images, products))), start=1):
        image_rows.append({
            "id": n, "product_id": pid, "sha256": hashlib.sha256(f"bench-{pid}".encode()).hexdigest(),
            "widths": "160,480,960", "width": 800, "height": 600, "alt": product_rows[pid - 1]["name"],
            "position": 0, "created_at": product_rows[pid - 1]["created_at"],
        })

    with engine.begin() as connection:
        load_rows(connection, [(User.__table__, users), (UserRole.__table__, roles), (Store.__table__, store_rows),
                               (Product.__table__, product_rows), (Variant.__table__, variant_rows),
                               (ProductImage.__table__, image_rows)])
        public = list(connection.scalars(
            select(Product.id).join(Store, Product.store_id == Store.id)
            .where(Product.status == "active", Store.status == "approved").order_by(Product.id)
        ))
        counted = connection.scalar(select(func.count()).select_from(Variant.__table__))
    return SeedSummary(len(store_rows), len(product_rows), counted, len(image_rows), public)
