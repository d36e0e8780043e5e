"""The seller dashboard in real Chromium on a 360 px phone: a new seller's first day (register,
open a store, wait for approval, add a product with a picture and two variants, see it on the
storefront, handle a transfer order to the end, sell at the counter, print a 58 mm receipt, sell
offline and have it sent exactly once), and one seller's session reaching nothing of another's,
not even through a forged cross-site request.

Every screen is checked with axe-core and for sideways scrolling at 360 px.
"""

from __future__ import annotations

import http.server
import re
import subprocess
import threading

import pytest

from api.storefront import dashboard_settings
from sites.dashboard import build_dashboard
from tests.browser import serve_app
from tests.helpers import PASSWORD, ApiClient, png_bytes
from tests.storefront_support import PHONE_VIEWPORT, check_screen, no_horizontal_scroll
from tests.test_checkout import complete, fill

pytestmark = pytest.mark.slow


@pytest.fixture
def dashboard(make_app, tmp_path):
    app = make_app()
    build_dashboard(tmp_path / "sites" / "dashboard", settings=dashboard_settings(app.extensions["smartcity"].settings))
    base, stop = serve_app(app)
    yield app, ApiClient(app), base
    stop()


def _phone(chromium):
    context = chromium.new_context(viewport=PHONE_VIEWPORT, service_workers="block")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


def _variants_of(api, token, store_id):
    return {v["name"]: v for p in api.call("GET", f"/api/v1/stores/{store_id}/products", token=token).json["items"]
            for v in p["variants"]}


def test_a_new_sellers_first_day(chromium, dashboard, tmp_path):
    app, api, base = dashboard
    context, page, errors = _phone(chromium)
    # register and open a store
    page.goto(base + "/seller/daftar/")
    check_screen(page, "dashboard-register")
    page.fill("#name", "Yanti Rahmawati")
    page.fill("#email", "yanti@contoh.id")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Daftar").click()
    page.wait_for_url("**/seller/buka-toko/")
    page.fill("#name", "Amplang Bu Yanti")
    page.select_option("#kecamatan", label="Palaran")
    page.select_option("#kelurahan", label="Rawa Makmur")
    page.fill("#address", "Jl. Sultan Alimuddin No. 7")
    page.fill("#phone", "0812 5555 7788")
    check_screen(page, "dashboard-open-store")
    page.get_by_role("button", name="Daftarkan toko").click()
    page.get_by_text("menunggu persetujuan petugas kota").first.wait_for()
    # the city approves
    seller = api.login("yanti@contoh.id")
    store = api.call("GET", "/api/v1/me", token=seller).json["stores"][0]
    api.approve(store["id"])
    # a product with two variants and a picture from the phone
    page.goto(base + "/seller/produk/ubah/")
    page.fill("#name", "Amplang Ikan Pipih")
    page.select_option("#category", label="Kue, Camilan & Oleh-oleh")
    page.fill("#description", "Renyah, tanpa pengawet.")
    for index, (name, sku, price, stock) in enumerate((("250 g", "AMP-250", "35000", "12"), ("500 g", "AMP-500", "65000", "5"))):
        if index:
            page.get_by_role("button", name="+ Tambah varian").click()
        page.fill(f"#v{index}-name", name)
        page.fill(f"#v{index}-sku", sku)
        page.fill(f"#v{index}-price", price)
        page.fill(f"#v{index}-stock", stock)
    check_screen(page, "dashboard-product-form")
    page.get_by_role("button", name="Simpan produk").click()
    page.locator("#pictures:not([hidden]), #form-error:not([hidden]), .error[data-for]").first.wait_for()
    assert page.locator("#pictures").is_visible(), page.locator("main").inner_text()  # the product exists
    assert re.search(r"/seller/produk/ubah/\?id=\d+$", page.url), page.url
    page.set_input_files("#picture", files=[{"name": "amplang.png", "mimeType": "image/png",
                                             "buffer": png_bytes(size=(1200, 900), colour=(210, 150, 60))}])
    page.get_by_text("Foto tersimpan.").wait_for()
    assert page.locator("#thumbs img").count() == 1
    product_id = int(page.url.rsplit("=", 1)[1])
    # ... and it is on the storefront once the worker has published it
    assert "catalog change" in app.extensions["smartcity"].jobs.refresh_storefront()
    slug = api.call("GET", f"/api/v1/products/{product_id}").json["slug"]
    page.goto(base + f"/produk/{slug}/")
    assert page.get_by_role("heading", name="Amplang Ikan Pipih").is_visible()
    assert page.get_by_label(re.compile("500 g")).count() == 1
    # an order by bank transfer, followed to the end
    started = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": _variants_of(api, seller, store["id"])["250 g"]["id"], "quantity": 2}]})
    fill(api, started.json["id"], payment_method="bank_transfer")
    number = complete(api, started.json["id"]).json["orders"][0]["number"]
    page.goto(base + "/seller/pesanan/#bayar")
    page.get_by_role("link", name=re.compile(number)).click()
    check_screen(page, "dashboard-order")
    for button, status in (("Transfer sudah masuk", "Sudah dibayar"), ("Proses pesanan", "Sedang disiapkan penjual"),
                           ("Kirim pesanan", "Sedang diantar"), ("Sudah diterima pembeli", "Sudah sampai")):
        page.get_by_role("button", name=button).click()
        page.locator(".status", has_text=status).wait_for()
    assert page.get_by_role("button", name="Proses pesanan").count() == 0  # only what the state allows
    page.goto(base + "/seller/pesanan/#sampai")
    page.locator("#orders a").first.wait_for()
    check_screen(page, "dashboard-orders")
    # the counter: two 500 g for cash, with change; the receipt, printed on 58 mm paper
    page.goto(base + "/seller/kasir/")
    tile = page.get_by_role("button", name=re.compile(r"Amplang Ikan Pipih 500 g"))
    tile.click()
    tile.click()
    page.fill("#cash", "150000")
    assert page.locator("#change").inner_text() == "Rp20.000"
    check_screen(page, "dashboard-pos")
    page.get_by_role("button", name="Selesai & cetak struk").click()
    receipt = page.locator("#receipt")
    receipt.get_by_text(re.compile(r"POS-\d{4}-\d{6}-\d{6}")).wait_for()
    assert _variants_of(api, seller, store["id"])["500 g"]["stock"] == 3
    page.emulate_media(media="print")
    pdf = tmp_path / "struk.pdf"
    page.pdf(path=str(pdf), width="58mm", height="120mm", print_background=False)
    page.emulate_media(media="screen")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width_pt = float(re.search(r"Page size:\s+([\d.]+) x", info).group(1))
    assert abs(width_pt - 58 / 25.4 * 72) < 2, info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Amplang Bu Yanti" in text and "Kembali" in text and "Rp20.000" in text and "Kasir" not in text
    # offline for a moment: the sale waits in the tablet and is sent exactly once
    page.get_by_role("button", name="Penjualan berikutnya").click()
    before = len(api.call("GET", f"/api/v1/stores/{store['id']}/pos-sales", token=seller).json["items"])
    context.set_offline(True)
    page.get_by_role("button", name=re.compile(r"Amplang Ikan Pipih 250 g")).click()
    page.get_by_label("QRIS").check()
    page.get_by_role("button", name="Selesai & cetak struk").click()
    page.get_by_text("1 penjualan menunggu dikirim").wait_for()
    # the same queued sale twice, as a tablet that retried would have it: still one sale
    page.evaluate("""() => { const k = 'behambinan.kasir.antrean.v1'; const q = JSON.parse(localStorage.getItem(k));
                             localStorage.setItem(k, JSON.stringify([...q, ...q])); }""")
    context.set_offline(False)
    page.locator("#queue").wait_for(state="hidden", timeout=30000)
    sales = api.call("GET", f"/api/v1/stores/{store['id']}/pos-sales", token=seller).json["items"]
    assert len(sales) == before + 1 and sales[0]["payment"] == "qris"
    assert _variants_of(api, seller, store["id"])["250 g"]["stock"] == 12 - 2 - 1
    # the remaining screens pass the same checks
    for path, name in (("/seller/produk/", "products"), ("/seller/omzet/", "sales"), ("/seller/toko/", "store")):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        check_screen(page, f"dashboard-{name}")
    # ... and at a market stall's tablet width
    page.set_viewport_size({"width": 1024, "height": 768})
    for path in ("/seller/pesanan/", "/seller/kasir/", "/seller/produk/", "/seller/omzet/", "/seller/toko/"):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        no_horizontal_scroll(page, f"{path} at 1024 px")
    page.set_viewport_size(PHONE_VIEWPORT)
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(re.compile(r"/seller/$"))
    check_screen(page, "dashboard-login")
    assert errors == []
    context.close()


def _order_for(api, token, store_id):
    product = api.add_product(token, store_id)
    started = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": product["variants"][0]["id"], "quantity": 1}]})
    fill(api, started.json["id"])
    return product, complete(api, started.json["id"], key=f"kunci-toko-{store_id}").json["orders"][0]


class _Attacker(http.server.BaseHTTPRequestHandler):
    page = b""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args):
        pass


def test_one_sellers_session_reaches_nothing_of_anothers_and_forged_requests_change_nothing(chromium, dashboard):
    app, api, base = dashboard
    token_a, store_a = api.seller_with_store()
    token_b, store_b = api.seller_with_store()
    product_a, order_a = _order_for(api, token_a, store_a["id"])
    product_b, order_b = _order_for(api, token_b, store_b["id"])
    email_a = api.call("GET", "/api/v1/me", token=token_a).json["email"]
    context, page, _ = _phone(chromium)
    page.goto(base + "/seller/")
    page.fill("#email", email_a)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/seller/pesanan/")
    # B's order through A's screens: not in A's store
    page.goto(base + f"/seller/pesanan/detail/?id={order_b['id']}")
    page.get_by_text("tidak ada di toko Anda").wait_for()
    # and straight at the API, with A's session cookie and CSRF token
    answers = page.evaluate("""async ([storeB, variantB, orderB]) => {
        const session = await (await fetch('/api/v1/auth/session')).json();
        const h = {'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token};
        const calls = [
          ['GET', `/api/v1/stores/${storeB}/orders`], ['GET', `/api/v1/stores/${storeB}/products`],
          ['PUT', `/api/v1/stores/${storeB}/variants/${variantB}/stock`, {quantity: 0}],
          ['POST', `/api/v1/stores/${storeB}/orders/${orderB}/status`, {status: 'cancelled', note: 'x'}],
          ['POST', `/api/v1/stores/${storeB}/pos-sales`, {lines: [{variant_id: variantB, quantity: 1}], payment: 'cash'}],
        ];
        const out = [];
        for (const [method, url, body] of calls) {
          const r = await fetch(url, {method, headers: h, body: body ? JSON.stringify(body) : undefined});
          out.push(r.status);
        }
        return out;
    }""", [store_b["id"], product_b["variants"][0]["id"], order_b["id"]])
    assert answers == [403, 403, 403, 403, 403], answers
    # a page on another site posts to the API while A is logged in
    variant_a = product_a["variants"][0]["id"]
    target = f"{base}/api/v1/stores/{store_a['id']}"
    _Attacker.page = f"""<!doctype html><html><body>
      <form id="f" method="POST" action="{target}/pos-sales" enctype="text/plain">
        <input name='{{"lines":[{{"variant_id":{variant_a},"quantity":1}}],"payment":"cash","x":"' value='"}}'>
      </form>
      <script>
        fetch("{target}/variants/{variant_a}/stock", {{method: "PUT", credentials: "include", mode: "no-cors",
          headers: {{"Content-Type": "text/plain"}}, body: JSON.stringify({{quantity: 0}})}});
        fetch("{target}/pos-sales", {{method: "POST", credentials: "include", mode: "no-cors",
          headers: {{"Content-Type": "text/plain"}}, body: JSON.stringify({{lines: [{{variant_id: {variant_a}, quantity: 1}}], payment: "cash"}})}});
        setTimeout(() => document.getElementById("f").submit(), 300);
      </script></body></html>""".encode()
    attacker = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Attacker)
    threading.Thread(target=attacker.serve_forever, daemon=True).start()
    stock_before = _variants_of(api, token_a, store_a["id"])
    sales_before = api.call("GET", f"/api/v1/stores/{store_a['id']}/pos-sales", token=token_a).json["items"]
    try:
        evil = context.new_page()
        evil.goto(f"http://localhost:{attacker.server_port}/")  # localhost is another site than 127.0.0.1
        evil.wait_for_timeout(1500)
        evil.wait_for_load_state("networkidle")
    finally:
        attacker.shutdown()
    assert _variants_of(api, token_a, store_a["id"]) == stock_before
    assert api.call("GET", f"/api/v1/stores/{store_a['id']}/pos-sales", token=token_a).json["items"] == sales_before
    # and A's own session still works
    page.goto(base + "/seller/pesanan/")
    page.get_by_role("link", name=re.compile(order_a["number"])).wait_for()
    context.close()
