"""Demo data for the embedded quick start: a living Behambinan market in Samarinda.

Loaded once into an empty database by ``smartcity demo``. It goes through the same use cases
as the API (so demo data obeys every rule real data does) and draws product pictures locally
with Pillow: nothing is downloaded.
"""

from __future__ import annotations

import io
import random
import secrets
from datetime import timedelta
from typing import Callable, NamedTuple

from PIL import Image, ImageDraw
from sqlalchemy import func, select

from commerce import places
from commerce.accounts import services as accounts
from commerce.catalog import services as catalog
from commerce.catalog.images import ImageStore
from commerce.db import utcnow
from commerce.stores import services as stores
from commerce.accounts.models import User
from commerce.orders.models import Order
from commerce.stores.models import Store
from commerce.unit_of_work import UnitOfWork

__all__ = ["DemoAccounts", "has_data", "load_demo_data"]

ADMIN_EMAIL = "admin@behambinan.samarindakota.go.id"
SELLER_EMAIL = "penjual@behambinan.samarindakota.go.id"


class DemoAccounts(NamedTuple):
    admin_email: str
    admin_password: str
    seller_email: str
    seller_password: str


# (store name, category slug, [(product, description, [(variant, price)])])
STORES: list[tuple[str, str, list[tuple[str, str, list[tuple[str, int]]]]]] = [
    ("Amplang Bu Yanti", "kue-camilan", [
        ("Amplang Ikan Tenggiri", "Kerupuk amplang renyah dari ikan tenggiri segar Sungai Mahakam.", [("250 g", 35000), ("500 g", 65000)]),
        ("Amplang Udang", "Amplang gurih dengan udang pilihan, tanpa pengawet.", [("250 g", 40000)]),
        ("Kerupuk Ikan Pipih", "Kerupuk ikan pipih khas Kalimantan Timur, siap goreng.", [("200 g", 30000), ("400 g", 55000)]),
    ]),
    ("Sarung Tenun Samarinda Hj. Aminah", "sarung-tenun-fashion", [
        ("Sarung Tenun Samarinda Motif Belang Hatta", "Ditenun dengan alat tenun bukan mesin (ATBM) di Kampung Tenun, Samarinda Seberang.", [("Merah marun", 450000), ("Hijau botol", 450000)]),
        ("Sarung Tenun Sutra Motif Soeharto", "Sutra halus, motif kotak khas Samarinda.", [("Standar", 750000)]),
        ("Selendang Tenun", "Selendang tenun tangan untuk acara resmi.", [("Kuning emas", 185000), ("Biru", 185000)]),
    ]),
    ("Lempok Durian Ina", "kue-camilan", [
        ("Lempok Durian Asli", "Dodol durian asli tanpa campuran tepung.", [("250 g", 45000), ("500 g", 85000)]),
        ("Kue Bingka Kentang", "Bingka lembut khas Banjar-Samarinda, dipanggang setiap pagi.", [("Loyang kecil", 35000), ("Loyang besar", 60000)]),
    ]),
    ("Kerajinan Manik Dayak Lamin", "kerajinan", [
        ("Tas Manik Motif Dayak Kenyah", "Tas manik-manik buatan tangan pengrajin Dayak Kenyah.", [("Kecil", 250000), ("Sedang", 400000)]),
        ("Gelang Manik", "Gelang manik warna-warni.", [("Satu buah", 25000), ("Isi tiga", 65000)]),
        ("Topi Seraung", "Topi lebar anyaman daun sang khas Dayak.", [("Standar", 150000)]),
    ]),
    ("Nasi Kuning Haji Samsudin", "makanan-minuman", [
        ("Nasi Kuning Ikan Haruan", "Nasi kuning dengan masak habang ikan haruan.", [("Porsi", 25000)]),
        ("Nasi Kuning Ayam", "Nasi kuning dengan ayam masak merah.", [("Porsi", 22000)]),
        ("Soto Banjar", "Soto Banjar dengan perkedel dan ketupat.", [("Porsi", 25000)]),
    ]),
    ("Ikan Segar Mahakam", "hasil-tani-ikan", [
        ("Udang Galah Mahakam", "Udang galah segar tangkapan nelayan Mahakam.", [("500 g", 120000), ("1 kg", 230000)]),
        ("Ikan Patin Segar", "Ikan patin dari keramba Sungai Mahakam.", [("1 kg", 45000)]),
        ("Ikan Asin Gabus", "Ikan gabus asin kering, dijemur alami.", [("250 g", 50000)]),
    ]),
    ("Kebun Sayur Lempake", "hasil-tani-ikan", [
        ("Sayur Kangkung Organik", "Kangkung tanpa pestisida dari kebun Lempake.", [("Ikat", 5000)]),
        ("Cabai Rawit", "Cabai rawit segar dipetik pagi hari.", [("250 g", 15000), ("500 g", 28000)]),
        ("Madu Kelulut", "Madu lebah kelulut hutan Kalimantan.", [("250 ml", 95000), ("500 ml", 180000)]),
    ]),
    ("Anyaman Rotan Sambutan", "kerajinan", [
        ("Keranjang Rotan", "Keranjang anyaman rotan serbaguna.", [("Kecil", 75000), ("Besar", 140000)]),
        ("Tikar Rotan", "Tikar rotan halus ukuran 2 x 3 meter.", [("2 x 3 m", 650000)]),
    ]),
    ("Kopi Tepian", "makanan-minuman", [
        ("Kopi Liberika Kutai", "Biji kopi liberika sangrai sedang.", [("200 g", 60000), ("500 g", 140000)]),
        ("Teh Serai Jahe", "Minuman serbuk serai jahe, hangat untuk musim hujan.", [("10 sachet", 30000)]),
    ]),
    ("Dapur Mama Rita", "makanan-minuman", [
        ("Sambal Raja", "Sambal raja khas Kutai dengan terong dan pete.", [("Botol 200 ml", 35000)]),
        ("Gangan Asam Kepala Ikan", "Gangan asam segar, pesan antar.", [("Porsi", 30000)]),
        ("Kue Dadar Gulung", "Dadar gulung isi unti kelapa.", [("Isi 10", 25000)]),
    ]),
    ("Batik Kaltim Borneo", "sarung-tenun-fashion", [
        ("Kemeja Batik Motif Enggang", "Kemeja batik tulis motif burung enggang.", [("M", 275000), ("L", 275000), ("XL", 290000)]),
        ("Kain Batik Shibori", "Kain shibori pewarna alami.", [("2 meter", 200000)]),
    ]),
    ("Tanaman Hias Air Hitam", "tanaman-hias", [
        ("Anggrek Hitam Kalimantan", "Anggrek hitam (Coelogyne pandurata) hasil budidaya.", [("Pot kecil", 150000)]),
        ("Monstera Adansonii", "Monstera daun jendela dalam pot 15 cm.", [("Pot 15 cm", 85000)]),
        ("Kuping Gajah", "Anthurium kuping gajah, daun lebar.", [("Pot 20 cm", 120000)]),
    ]),
    ("Jahit Rapi Bu Nur", "jasa", [
        ("Jasa Permak Celana", "Potong dan permak celana, selesai satu hari.", [("Per potong", 20000)]),
        ("Jahit Seragam Sekolah", "Jahit seragam sekolah sesuai ukuran.", [("Satu stel", 150000)]),
    ]),
    ("Laundry Kilat Loa Bakung", "jasa", [
        ("Cuci Setrika Kiloan", "Cuci kering setrika, antar jemput di Sungai Kunjang.", [("Per kg", 8000)]),
        ("Cuci Karpet", "Cuci karpet dan ambal.", [("Per meter", 15000)]),
    ]),
    ("Herbal Borneo Sehat", "kesehatan-kecantikan", [
        ("Minyak Bintang", "Minyak urut tradisional.", [("30 ml", 25000)]),
        ("Sabun Sereh Wangi", "Sabun batang minyak sereh wangi.", [("Satu batang", 15000), ("Isi empat", 50000)]),
        ("Bedak Dingin", "Bedak dingin beras tradisional.", [("100 g", 20000)]),
    ]),
    ("Perabot Kayu Ulin Palaran", "rumah-tangga", [
        ("Talenan Kayu Ulin", "Talenan kayu ulin kuat dan tahan air.", [("Kecil", 45000), ("Besar", 85000)]),
        ("Rak Bumbu Kayu", "Rak bumbu dinding tiga susun.", [("Standar", 120000)]),
    ]),
    ("Kue Basah Cik Ani", "kue-camilan", [
        ("Kue Amparan Tatak Pisang", "Amparan tatak pisang lembut.", [("Satu loyang", 70000), ("Per potong", 8000)]),
        ("Kue Sari Muka", "Kue sari muka ketan dan srikaya pandan.", [("Per potong", 7000)]),
    ]),
    ("Ayam Kampung Sungai Siring", "hasil-tani-ikan", [
        ("Ayam Kampung Potong", "Ayam kampung segar dipotong halal.", [("Per ekor", 85000)]),
        ("Telur Ayam Kampung", "Telur ayam kampung segar.", [("Isi 10", 30000)]),
    ]),
    ("Es Teh Tepian Mahakam", "makanan-minuman", [
        ("Es Teh Manis Jumbo", "Es teh manis gelas jumbo.", [("Gelas", 5000)]),
        ("Es Kelapa Muda", "Kelapa muda segar dengan sirup gula aren.", [("Gelas", 10000)]),
    ]),
    ("Servis Elektronik Pinang", "jasa", [
        ("Servis Kipas Angin", "Perbaikan kipas angin di tempat.", [("Per unit", 50000)]),
        ("Servis Rice Cooker", "Ganti elemen dan kabel rice cooker.", [("Per unit", 60000)]),
    ]),
    ("Rumah Sulam Sambutan", "sarung-tenun-fashion", [
        ("Kerudung Sulam", "Kerudung dengan sulam tangan motif bunga.", [("Satu buah", 95000)]),
        ("Taplak Meja Sulam", "Taplak meja sulam tangan.", [("Kecil", 75000), ("Besar", 125000)]),
    ]),
    ("Olahan Ikan Bakumpai", "kue-camilan", [
        ("Abon Ikan Haruan", "Abon ikan haruan tanpa pengawet.", [("100 g", 40000), ("250 g", 90000)]),
        ("Pentol Ikan Beku", "Pentol ikan tenggiri beku, tinggal rebus.", [("Isi 25", 35000)]),
    ]),
]

# Extra goods, mixed into every store so the catalog passes 200 products like a real market.
EXTRA = {
    "kue-camilan": ["Keripik Pisang Kepok", "Keripik Singkong Balado", "Kue Cincin", "Wadai Untuk", "Rengginang", "Kacang Sangrai", "Kue Kering Nastar", "Stik Keju"],
    "sarung-tenun-fashion": ["Peci Tenun", "Dompet Tenun", "Tas Jinjing Tenun", "Syal Tenun", "Kipas Tenun", "Kemeja Tenun", "Sarung Tenun Anak", "Bros Tenun"],
    "kerajinan": ["Gantungan Kunci Mandau Mini", "Miniatur Perahu Ces", "Hiasan Dinding Motif Dayak", "Tempat Tisu Rotan", "Tatakan Gelas Anyaman", "Tas Purun", "Lampu Hias Bambu", "Kalung Manik"],
    "makanan-minuman": ["Nasi Bakar", "Pisang Goreng Pasir", "Mie Goreng Samarinda", "Es Buah", "Lontong Sayur", "Ayam Cincane", "Nasi Uduk", "Kopi Susu Gula Aren"],
    "hasil-tani-ikan": ["Pisang Kepok", "Terong Asam", "Kelapa Parut", "Ikan Nila Segar", "Jeruk Lokal", "Kerang Darah", "Kepiting Bakau", "Beras Lokal"],
    "tanaman-hias": ["Sirih Gading", "Lidah Mertua", "Kaktus Mini", "Aglonema", "Bibit Cabai", "Bibit Durian", "Pot Tanah Liat", "Pupuk Kompos"],
    "jasa": ["Jasa Antar Barang", "Jasa Cuci Motor", "Jasa Pasang Gorden", "Jasa Sablon Kaos", "Jasa Ketik", "Jasa Fotokopi", "Jasa Desain Undangan", "Jasa Les Privat"],
    "kesehatan-kecantikan": ["Lulur Beras", "Minyak Kayu Putih", "Masker Kunyit", "Jamu Kunyit Asam", "Balsem Sereh", "Sampo Lidah Buaya", "Minyak Kemiri", "Teh Daun Kelor"],
    "rumah-tangga": ["Sapu Lidi", "Tudung Saji Anyaman", "Ulekan Batu", "Gayung Batok", "Keset Kain Perca", "Lemari Gantung", "Kursi Rotan", "Sendok Kayu"],
}

PALETTE = [(231, 111, 81), (42, 157, 143), (233, 196, 106), (38, 70, 83), (244, 162, 97), (106, 76, 147), (25, 130, 196)]


def has_data(uow: UnitOfWork) -> bool:
    return (uow.session.scalar(select(func.count()).select_from(Store)) or 0) > 0


def draw_picture(title: str, rng: random.Random) -> bytes:
    """A simple, recognisable product card: coloured background, shapes, the product name."""
    width, height = 800, 600
    bg = rng.choice(PALETTE)
    img = Image.new("RGB", (width, height), bg)
    draw = ImageDraw.Draw(img)
    for _ in range(6):
        colour = rng.choice(PALETTE)
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(40, 180)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    draw.rectangle((0, height - 150, width, height), fill=(255, 255, 255))
    words, lines, line = title.split(), [], ""
    for word in words:
        if len(line) + len(word) > 26:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    for i, text in enumerate(lines[:3]):
        draw.text((30, height - 135 + i * 40), text, fill=(30, 30, 30), font_size=34)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def load_demo_data(
    uow: UnitOfWork,
    images: ImageStore,
    *,
    seed: int = 2020,
    progress: Callable[[str], None] = lambda message: None,
) -> DemoAccounts:
    """Create the demo market. Passwords are random; the caller keeps and prints them."""
    rng = random.Random(seed)
    creds = DemoAccounts(ADMIN_EMAIL, secrets.token_urlsafe(12), SELLER_EMAIL, secrets.token_urlsafe(12))
    admin = accounts.create_admin(uow, email=creds.admin_email, password=creds.admin_password, name="Admin Diskominfo")
    seller = accounts.register(uow, email=creds.seller_email, password=creds.seller_password, name="Yanti Rahmawati")

    kecamatan = places.all_kecamatan()
    product_count = 0
    for index, (store_name, main_category, goods) in enumerate(STORES):
        owner = seller if index == 0 else accounts.register(
            uow, email=f"umkm{index:02d}@behambinan.samarindakota.go.id",
            password=secrets.token_urlsafe(16), name=f"Pemilik {store_name}",
        )
        kec = kecamatan[index % len(kecamatan)]
        kel = kec.kelurahan[index % len(kec.kelurahan)]
        store = stores.open_store(
            uow, owner=owner, name=store_name, kecamatan=kec.code, kelurahan=kel.code,
            address=f"Jl. Contoh No. {index + 1}, RT {rng.randint(1, 40):02d}",
            phone=f"0812{rng.randint(10_000_000, 99_999_999)}",
            description=f"UMKM di Kelurahan {kel.name}, Kecamatan {kec.name}.",
        )
        # What sellers usually choose to show: opening hours, most a WhatsApp number, some
        # (shops rather than homes) their street address.
        stores.update_store(uow, store, opening_hours=OPENING_HOURS[index % len(OPENING_HOURS)],
                            publish_phone=index % 4 != 3, publish_address=index % 3 == 0)
        stores.set_store_status(uow, store_id=store.id, status="approved")
        extra = [(name, f"{name} buatan {store_name}.", [("Satuan", rng.randrange(5, 150) * 1000)])
                 for name in rng.sample(EXTRA[main_category], k=len(EXTRA[main_category]))]
        for product_index, (name, description, variants) in enumerate(goods + extra):
            product = catalog.add_product(
                uow, store, name=name, description=description, category=main_category,
                variants=[
                    catalog.VariantInput(f"{store.id:03d}-{product_index:02d}-{n}", label, price, rng.randint(0, 60))
                    for n, (label, price) in enumerate(variants)
                ],
            )
            catalog.add_image(uow, store, product.id, draw_picture(name, rng), images, alt=name)
            product_count += 1
        progress(f"store {index + 1}/{len(STORES)}: {store_name} ({kec.name}), {product_count} products so far")
    # One store still waiting for approval, so the admin has something to review.
    pending = stores.open_store(
        uow, owner=seller, name="Pentol Bakar Mang Ujang", kecamatan=kecamatan[1].code,
        kelurahan=kecamatan[1].kelurahan[0].code, address="Jl. Contoh No. 99", phone="081255501234",
    )
    orders = _demo_orders(uow, rng, seller_store_id=stores.stores_of(uow, seller)[0].id)
    progress(f"demo data: {len(STORES)} approved stores, 1 pending (#{pending.id}), {product_count} products, "
             f"{orders} orders in every state; admin {admin.email}")
    return creds


OPENING_HOURS = ["Senin–Sabtu 08.00–17.00 WITA", "Setiap hari 07.00–21.00 WITA", "Senin–Jumat 09.00–16.00 WITA",
                 "Setiap hari 16.00–22.00 WITA"]

# The journeys demo orders take, so that sellers and staff see a living market.
JOURNEYS = [
    ("cod", "delivery", []),
    ("cod", "delivery", ["shipped"]),
    ("cod", "delivery", ["shipped", "delivered"]),
    ("cod", "delivery", ["shipped", "delivered", "$pay", "completed"]),
    ("cod", "pickup", ["ready_for_pickup"]),
    ("bank_transfer", "delivery", []),
    ("bank_transfer", "delivery", ["$pay"]),
    ("bank_transfer", "delivery", ["$pay", "processing"]),
    ("bank_transfer", "pickup", ["$pay", "processing", "ready_for_pickup", "delivered", "completed"]),
    ("bank_transfer", "delivery", ["cancelled"]),
    ("bank_transfer", "delivery", ["$expire"]),
]
BUYERS = ["Rina Wulandari", "Andi Saputra", "Siti Aisyah", "Muhammad Rizky", "Dewi Lestari", "Budi Santoso"]


def _demo_orders(uow: UnitOfWork, rng: random.Random, *, seller_store_id: int) -> int:
    """Orders in every state, placed and moved through the same use cases as real ones."""
    from commerce.catalog.models import Variant
    from commerce.checkout import services as checkouts
    from commerce.checkout.completion import complete_checkout
    from commerce.inventory.management import LineRequest
    from commerce.orders import services as orders
    from commerce.payments import providers
    from commerce.pos.services import record_sale

    payment_providers = providers()
    variants = list(uow.session.scalars(select(Variant).where(Variant.stock >= 5).order_by(Variant.id)))
    kecamatan = places.all_kecamatan()
    # The demo seller's own store gets one order of every journey.
    own = [v for v in variants if v.store_id == seller_store_id]
    placed = 0
    for n in range(30):
        method, delivery, steps = JOURNEYS[n % len(JOURNEYS)]
        picks = rng.sample(variants, k=rng.randint(1, 3))
        if n < len(JOURNEYS):
            picks = [own[n % len(own)]] + [v for v in picks if v.store_id != own[0].store_id][:1]
        checkout = checkouts.start_checkout(uow, lines=[LineRequest(v.id, rng.randint(1, 2)) for v in picks]).checkout
        kec = rng.choice(kecamatan)
        checkouts.update_checkout(uow, checkout.id, changes={
            "email": f"pembeli{n}@contoh.id", "phone": f"0813{rng.randint(10_000_000, 99_999_999)}",
            "name": rng.choice(BUYERS), "payment_method": method,
            "shipping_address": {"street": f"Jl. Contoh Gg. {n + 1}", "kecamatan": kec.code, "kelurahan": rng.choice(kec.kelurahan).code},
            "delivery": {str(line.store_id): delivery for line in checkout.lines},
        })
        # An order left unpaid is placed two days ago, so that its transfer deadline has passed.
        placed_at = utcnow() - timedelta(days=2) if "$expire" in steps else None
        _, answer = complete_checkout(
            uow, checkout.id, idempotency_key=f"demo-{n}", body={}, providers=payment_providers,
            render=lambda placed_orders, first: (201, {"orders": [p.order.id for p in placed_orders]}),
            now=placed_at,
        )
        for order_id in answer["orders"]:
            order = uow.session.get(Order, order_id)
            owner = uow.session.get(User, order.store.owner_id)
            for step in steps:
                if step == "$expire":
                    orders.expire_overdue(uow, order_id=order_id)
                elif step == "$pay":
                    orders.record_payment(uow, order.store, order_id, user=owner)
                else:
                    orders.change_status(uow, order.store, order_id, step, user=owner)
            placed += 1
    for variant in variants[:12]:
        store = uow.session.get(Store, variant.store_id)
        record_sale(uow, store, lines=[LineRequest(variant.id, 1)], payment=rng.choice(["cash", "qris"]),
                    cashier=uow.session.get(User, store.owner_id))
    return placed
