"""The storefront in real Chromium on a phone's screen: a shopper's whole journey across two
stores, a cart that loses its last units to the seller's counter, the storefront on another
origin than the API, and seller-written markup that stays text.

Every page visited is checked with axe-core (no serious or critical violation) and for
sideways scrolling at 360 px. Set SMARTCITY_SCREENSHOTS=DIR to keep a screenshot of each.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from urllib.parse import urlsplit

import pytest

from api.storefront import storefront_settings
from tests.browser import serve_app
from tests.helpers import ApiClient
from tests.storefront_support import PHONE_VIEWPORT, check_screen, make_market, publish_storefront

pytestmark = pytest.mark.slow

BUYER = {"#name": "Rina Marlina", "#phone": "0813 4700 1122", "#email": "rina@contoh.id",
         "#street": "Jl. Pangeran Antasari No. 12, RT 05"}


def _look(page, name: str) -> None:
    check_screen(page, f"storefront-{name}")


@pytest.fixture
def shop(make_app, tmp_path):
    app = make_app()
    api = ApiClient(app)
    market = make_market(api)
    publish_storefront(app, tmp_path)
    base, stop = serve_app(app)
    yield api, market, base
    stop()


def _phone(chromium, base: str):
    context = chromium.new_context(viewport=PHONE_VIEWPORT, service_workers="block")
    page = context.new_page()
    hosts, dialogs = set(), []
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return context, page, hosts, dialogs


def _add_to_cart(page, *, variant: str | None = None, quantity: int = 1) -> None:
    page.wait_for_selector("#stock:not(:text('Memeriksa stok…'))")
    if variant:
        page.get_by_label(re.compile(re.escape(variant))).check()
    page.fill("#qty", str(quantity))
    page.get_by_role("button", name="Tambah ke keranjang").click()
    page.wait_for_selector("#added:not([hidden])")


def _fill_checkout(page, *, pickup_from: str | None = None) -> None:
    page.wait_for_selector("#checkout:not([hidden])")
    for selector, value in BUYER.items():
        page.fill(selector, value)
    page.select_option("#kecamatan", label="Samarinda Ulu")
    page.select_option("#kelurahan", label="Air Hitam")
    page.wait_for_load_state("networkidle")
    if pickup_from:
        page.get_by_role("group", name=pickup_from).get_by_label(re.compile("Ambil di toko")).check()
        page.wait_for_load_state("networkidle")


def test_a_shopper_finds_buys_from_two_stores_and_tracks_both_orders(chromium, shop):
    api, market, base = shop
    context, page, hosts, dialogs = _phone(chromium, base)
    page.goto(base + "/")
    _look(page, "home")
    # search finds store A's amplang
    page.fill("#q", "amplang")
    page.keyboard.press("Enter")
    page.get_by_role("link", name=re.compile("Amplang Ikan Tenggiri")).click()
    _look(page, "product")
    assert page.locator("#price").inner_text() == "Rp35.000"
    _add_to_cart(page, quantity=2)
    assert page.locator(".cart-count").first.inner_text() == "2"
    # a category page leads to store B's bag
    page.goto(base + "/")
    page.get_by_role("link", name="Kerajinan Tangan").click()
    _look(page, "category")
    page.get_by_role("link", name=re.compile("Tas Manik Dayak Kenyah")).click()
    _add_to_cart(page)
    page.get_by_role("link", name=re.compile("Manik Dayak Lamin")).first.click()
    _look(page, "store")
    assert page.get_by_role("link", name="Chat penjual di WhatsApp").get_attribute("href").startswith("https://wa.me/62")
    # the cart, grouped by store; then checkout with delivery from A and pickup from B, COD
    page.get_by_role("link", name=re.compile("Keranjang")).click()
    page.wait_for_selector(".store-group")
    _look(page, "cart")
    assert page.locator(".store-group").count() == 2
    page.get_by_role("link", name="Lanjut ke checkout").click()
    _fill_checkout(page, pickup_from="Manik Dayak Lamin")
    _look(page, "checkout")
    assert "disimpan untuk Anda sampai" in page.locator("#hold").inner_text()
    # A: 2 × Rp35.000 + Rp10.000 delivery within Samarinda Ulu; B: Rp250.000, picked up
    assert page.locator("#totals .grand td").inner_text() == "Rp330.000"
    page.get_by_role("button", name="Buat pesanan").click()
    page.wait_for_url(re.compile(r"/pesanan/#o=\d+\.[\w-]+,\d+\.[\w-]+"))
    page.wait_for_selector("article.order >> nth=1")
    _look(page, "confirmation")
    numbers = page.locator("article.order h2").all_inner_texts()
    assert len(numbers) == 2 and all(re.fullmatch(r"BHB-\d{6}-\d{6}", n) for n in numbers)
    assert page.locator("article.order .status").all_inner_texts() == ["Sedang disiapkan penjual"] * 2
    assert page.get_by_text("Terima kasih! Pesanan Anda sudah diterima.").is_visible()
    # the tracking link alone, in a fresh tab, shows both orders again
    link = page.url
    tracking = context.new_page()
    tracking.goto(link)
    tracking.wait_for_selector("article.order >> nth=1")
    assert tracking.locator("article.order h2").all_inner_texts() == numbers
    whatsapp = tracking.get_by_role("link", name="Chat penjual di WhatsApp")
    assert whatsapp.count() == 1 and "text=" in whatsapp.get_attribute("href")
    # each seller sees exactly their own order, with what the shopper chose
    seen = {}
    for token, store, method in ((market.seller_a, market.store_a, "delivery"), (market.seller_b, market.store_b, "pickup")):
        items = api.call("GET", f"/api/v1/stores/{store['id']}/orders", token=token).json["items"]
        assert len(items) == 1 and items[0]["delivery_method"] == method and items[0]["payment_method"] == "cod"
        seen[items[0]["number"]] = store["id"]
    assert set(seen) == set(numbers)
    assert not dialogs
    assert hosts == {urlsplit(base).netloc}, hosts  # nothing from another host
    context.close()


def test_a_cart_that_lost_its_last_units_to_the_counter_says_so_and_is_fixed_in_one_tap(chromium, shop):
    api, market, base = shop
    five_hundred = market.amplang["variants"][1]["id"]  # 4 in stock
    context, page, _, _ = _phone(chromium, base)
    page.goto(base + f"/produk/{market.amplang['slug']}/")
    _add_to_cart(page, variant="500 g", quantity=4)
    # meanwhile, at the market stall, three are sold
    sale = api.call("POST", f"/api/v1/stores/{market.store_a['id']}/pos-sales", token=market.seller_a,
                    json={"lines": [{"variant_id": five_hundred, "quantity": 3}], "payment": "cash"})
    assert sale.status_code == 201, sale.json
    page.goto(base + "/keranjang/")
    page.get_by_text("Tinggal 1.").wait_for()
    _look(page, "cart-short")
    page.get_by_role("button", name="Ubah jadi 1").click()
    assert page.locator(f"#qty-{five_hundred}").input_value() == "1"
    page.get_by_role("link", name="Lanjut ke checkout").click()
    _fill_checkout(page)
    # and the last one goes at the counter while the form is open
    assert api.call("POST", f"/api/v1/stores/{market.store_a['id']}/pos-sales", token=market.seller_a,
                    json={"lines": [{"variant_id": five_hundred, "quantity": 1}], "payment": "qris"}).status_code == 201
    page.get_by_role("button", name="Buat pesanan").click()
    problem = page.get_by_role("alert")
    problem.get_by_text("baru saja habis terjual").wait_for()
    assert "habis" in problem.inner_text()
    _look(page, "checkout-short")
    page.get_by_role("button", name="Hapus dari keranjang").click()
    page.get_by_text("Keranjang Anda kosong").wait_for()
    assert api.call("GET", f"/api/v1/stores/{market.store_a['id']}/orders", token=market.seller_a).json["items"] == []
    context.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_the_storefront_on_another_origin_completes_a_checkout(chromium, make_app, tmp_path):
    # The API on one origin, answering CORS for the storefront's; the storefront on another
    # (a plain static file server standing in for a bucket behind a CDN).
    static = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path / "cdn")))
    storefront = f"http://127.0.0.1:{static.server_port}"
    app = make_app(cors_origins=storefront)
    api_base, stop_api = serve_app(app)
    api = ApiClient(app)
    market = make_market(api)
    # the build is told where the API and the pictures are
    settings = app.extensions["smartcity"].settings.with_(storefront_api_url=api_base, storage_public_url=api_base + "/media/")
    publish_storefront(app, tmp_path, settings=storefront_settings(settings), target=tmp_path / "cdn")
    threading.Thread(target=static.serve_forever, daemon=True).start()
    try:
        context, page, hosts, dialogs = _phone(chromium, storefront)
        page.goto(storefront + f"/produk/{market.tas['slug']}/")
        _add_to_cart(page)
        page.goto(storefront + "/checkout/")
        _fill_checkout(page)
        page.get_by_role("button", name="Buat pesanan").click()
        page.wait_for_selector("article.order")
        assert re.fullmatch(r"BHB-\d{6}-\d{6}", page.locator("article.order h2").inner_text())
        assert hosts == {urlsplit(storefront).netloc, urlsplit(api_base).netloc}, hosts
        assert len(api.call("GET", f"/api/v1/stores/{market.store_b['id']}/orders", token=market.seller_b).json["items"]) == 1
        # the preflight of a completion is answered for the storefront, and for no other origin
        for origin, allowed in ((storefront, True), ("https://toko-palsu.example", False)):
            preflight = api.call("OPTIONS", "/api/v1/checkouts/x/complete", headers={
                "Origin": origin, "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type,idempotency-key"})
            assert (preflight.headers.get("Access-Control-Allow-Origin") == origin) is allowed, origin
            if allowed:
                assert "idempotency-key" in preflight.headers["Access-Control-Allow-Headers"].lower()
        context.close()
    finally:
        static.shutdown()
        stop_api()


def test_markup_in_a_product_name_is_shown_as_text_and_runs_nothing(chromium, make_app, tmp_path):
    app = make_app()
    api = ApiClient(app)
    token, store = api.seller_with_store()
    evil = "<img src=x onerror=alert(1)>"
    product = api.add_product(token, store["id"], name=evil, description="<script>alert(2)</script> renyah")
    publish_storefront(app, tmp_path)
    base, stop = serve_app(app)
    try:
        context, page, _, dialogs = _phone(chromium, base)
        for path in ("/", f"/produk/{product['slug']}/", "/kategori/kue-camilan/", f"/toko/{store['slug']}/"):
            response = page.goto(base + path)
            assert "script-src 'self'" in response.headers["content-security-policy"], path
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
            page.wait_for_load_state("networkidle")
            assert page.get_by_text(evil).first.is_visible(), path
            assert page.locator("img[src='x']").count() == 0, path
        page.goto(base + f"/produk/{product['slug']}/")
        _add_to_cart(page)
        page.goto(base + "/keranjang/")
        page.wait_for_selector(".store-group")
        assert page.get_by_text(evil).first.is_visible()
        page.goto(base + "/cari/?q=renyah")
        page.wait_for_selector("#results li")
        assert page.get_by_text(evil).first.is_visible() and page.locator("img[src='x']").count() == 0
        assert dialogs == []
        context.close()
    finally:
        stop()
