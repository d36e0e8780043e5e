"""`smartcity demo` (what `make run` ends in): migrates, loads the demo market once, serves it
with gunicorn, and keeps its data on the second run."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(var_dir, port):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SMARTCITY_STORAGE")}
    env["SMARTCITY_VAR_DIR"] = str(var_dir)
    log = open(var_dir / f"demo-{port}.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "demo", "--port", str(port), "--workers", "2"],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert process.poll() is None, (var_dir / f"demo-{port}.log").read_text()[-3000:]
        try:
            if requests.get(base + "/api/v1/health", timeout=2).status_code == 200:
                return process, base, log
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    raise AssertionError("demo did not start in 180 s")


def _stop(process, log):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)
    log.close()


def _all_products(base):
    items, cursor = [], None
    while True:
        params = {"limit": 100} | ({"cursor": cursor} if cursor else {})
        page = requests.get(base + "/api/v1/products", params=params, timeout=10).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


def test_demo_serves_a_living_market_and_keeps_its_data(tmp_path):
    process, base, log = _start(tmp_path, _free_port())
    try:
        home = requests.get(base + "/", timeout=10)  # the storefront, with the city's other pages in its footer
        assert home.status_code == 200 and "/api/docs" in home.text and "/docs/" in home.text
        assert "Produk terbaru" in home.text and 'srcset="/media/products/' in home.text
        dashboard = requests.get(base + "/seller/", timeout=10)
        assert dashboard.status_code == 200 and "Masuk ke dasbor toko" in dashboard.text
        assert "frame-ancestors 'none'" in dashboard.headers["Content-Security-Policy"]
        docs = requests.get(base + "/docs/", timeout=10)
        assert docs.status_code == 200 and '<html lang="id"' in docs.text
        assert docs.headers["Cache-Control"].startswith("public, max-age=60")
        api_reference = requests.get(base + "/docs/referensi-api/", timeout=10)
        assert api_reference.status_code == 200 and "/api/v1/checkouts" in api_reference.text
        assert home.headers["Server"].startswith("gunicorn")

        products = _all_products(base)
        assert len(products) >= 200
        assert all(p["image"] for p in products)
        picture = requests.get(base + products[0]["image"]["url"], timeout=10)
        assert picture.status_code == 200 and picture.headers["Content-Type"] == "image/webp"
        detail = requests.get(base + f"/api/v1/products/{products[0]['slug']}", timeout=10).json()
        assert detail["variants"] and "available" in detail["variants"][0]

        stores = requests.get(base + "/api/v1/stores", params={"limit": 100}, timeout=10).json()["items"]
        assert len(stores) >= 20
        assert len({s["kecamatan"] for s in stores}) == 10

        output = (tmp_path / f"demo-{base.rsplit(':', 1)[1]}.log").read_text()
        match = re.search(r"seller: (\S+)\s+password: (\S+)", output)
        assert match, output
        token = requests.post(base + "/api/v1/auth/token", json={"email": match[1], "password": match[2]}, timeout=10).json()
        me = requests.get(base + "/api/v1/me", headers={"Authorization": f"Bearer {token['access_token']}"}, timeout=10).json()
        assert "seller" in me["roles"] and me["stores"]
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        store_id = next(s["id"] for s in me["stores"] if s["status"] == "approved")
        store_orders = requests.get(base + f"/api/v1/stores/{store_id}/orders", headers=auth, params={"limit": 100}, timeout=10).json()
        counts = requests.get(base + f"/api/v1/stores/{store_id}/order-counts", headers=auth, timeout=10).json()["counts"]
        assert all(counts.values()), counts  # a living shop: orders in every state
        assert len(store_orders["items"]) == sum(counts.values())
        # the access log must not carry query strings (names typed into searches)
        requests.get(base + "/api/v1/products", params={"q": "Rahasia Pribadi"}, timeout=10)
    finally:
        _stop(process, log)
    assert "Rahasia" not in (tmp_path / f"demo-{base.rsplit(':', 1)[1]}.log").read_text()
    credentials = json.loads((tmp_path / "demo-credentials.json").read_text())
    assert oct((tmp_path / "demo-credentials.json").stat().st_mode & 0o777) == "0o600"

    process, base, log = _start(tmp_path, _free_port())
    try:
        assert len(_all_products(base)) == len(products)
        token = requests.post(base + "/api/v1/auth/token", timeout=10, json={
            "email": credentials["admin_email"], "password": credentials["admin_password"]})
        assert token.status_code == 200
    finally:
        _stop(process, log)
    assert "demo data already loaded" in (tmp_path / f"demo-{base.rsplit(':', 1)[1]}.log").read_text()
