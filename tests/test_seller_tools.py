"""What the dashboard needs from the API: hidden products and the seller's filters, the order
board's counts, the store's bank account, a store's sales report."""

from __future__ import annotations

from datetime import timedelta

from commerce.calendar import city_today
from tests.test_checkout import complete, fill


def test_a_hidden_product_leaves_the_storefront_but_not_the_counter(api):
    token, store = api.seller_with_store()
    product = api.add_product(token, store["id"], name="Amplang Rahasia")
    url = f"/api/v1/stores/{store['id']}/products/{product['id']}"
    assert api.call("PATCH", url, token=token, json={"status": "hidden"}).json["status"] == "hidden"
    assert api.call("GET", f"/api/v1/products/{product['id']}").status_code == 404
    assert api.call("GET", "/api/v1/products?q=rahasia").json["items"] == []
    started = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": product["variants"][0]["id"], "quantity": 1}]})
    assert started.status_code == 422
    sale = api.call("POST", f"/api/v1/stores/{store['id']}/pos-sales", token=token,
                    json={"lines": [{"variant_id": product["variants"][0]["id"], "quantity": 1}], "payment": "qris"})
    assert sale.status_code == 201
    assert api.call("PATCH", url, token=token, json={"status": "archived"}).status_code == 422
    assert api.call("PATCH", url, token=token, json={"status": "active"}).json["status"] == "active"
    assert api.call("GET", f"/api/v1/products/{product['id']}").status_code == 200


def test_the_sellers_list_filters_and_finds_by_name_or_sku(api):
    token, store = api.seller_with_store()
    shown = api.add_product(token, store["id"], name="Keripik Pisang")
    hidden = api.add_product(token, store["id"], name="Amplang Udang")
    api.call("PATCH", f"/api/v1/stores/{store['id']}/products/{hidden['id']}", token=token, json={"status": "hidden"})
    empty = api.add_product(token, store["id"], name="Madu Kelulut",
                            variants=[{"sku": "MDU-250", "name": "250 ml", "price": 95000, "stock": 0}])

    def ids(**query):
        answer = api.call("GET", f"/api/v1/stores/{store['id']}/products", token=token, query_string=query)
        assert answer.status_code == 200, answer.json
        return {p["id"] for p in answer.json["items"]}

    assert ids() == {shown["id"], hidden["id"], empty["id"]}
    assert ids(show="hidden") == {hidden["id"]} and ids(show="out_of_stock") == {empty["id"]}
    assert ids(show="active") == {shown["id"], empty["id"]}
    assert ids(q="udang") == {hidden["id"]} and ids(q="mdu-2") == {empty["id"]} and ids(q="%") == set()


def test_the_order_board_counts_every_status(api):
    token, store = api.seller_with_store()
    product = api.add_product(token, store["id"])
    for n in range(2):
        started = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": product["variants"][0]["id"], "quantity": 1}]})
        fill(api, started.json["id"], payment_method="bank_transfer" if n else "cod")
        complete(api, started.json["id"], key=f"kunci-papan-{n}")
    counts = api.call("GET", f"/api/v1/stores/{store['id']}/order-counts", token=token).json["counts"]
    assert counts["processing"] == 1 and counts["awaiting_payment"] == 1 and counts["completed"] == 0


def test_a_store_names_its_own_bank_account_all_or_nothing(api):
    token, store = api.seller_with_store()
    url = f"/api/v1/stores/{store['id']}"
    half = api.call("PATCH", url, token=token, json={"bank_name": "Bank Kaltimtara"})
    assert half.status_code == 422 and half.json["errors"][0]["field"] == "bank_account_number"
    letters = api.call("PATCH", url, token=token, json={"bank_name": "BRI", "bank_account_number": "12ab",
                                                       "bank_account_name": "Yanti"})
    assert letters.status_code == 422
    ok = api.call("PATCH", url, token=token, json={"bank_name": "BRI", "bank_account_number": "0123-4567-89",
                                                  "bank_account_name": "Yanti Rahmawati"})
    assert ok.status_code == 200 and ok.json["bank_account_number"] == "0123-4567-89"
    assert "bank_account_number" not in api.call("GET", url).json  # the public does not see it


def test_the_sales_report_sums_online_and_counter_sales_by_wita_day(api):
    token, store = api.seller_with_store()
    product = api.add_product(token, store["id"], variants=[{"sku": "A", "name": "A", "price": 20000, "stock": 50}])
    variant = product["variants"][0]["id"]
    placed = []
    for n in range(3):
        started = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": variant, "quantity": n + 1}]})
        fill(api, started.json["id"], delivery={str(store["id"]): "pickup"})
        placed.append(complete(api, started.json["id"], key=f"kunci-laporan-{n}").json["orders"][0])
    cancelled = api.call("POST", f"/api/v1/stores/{store['id']}/orders/{placed[0]['id']}/status", token=token,
                         json={"status": "cancelled", "note": "uji"})
    assert cancelled.status_code == 200, cancelled.json
    for quantity in (2, 4):
        api.call("POST", f"/api/v1/stores/{store['id']}/pos-sales", token=token,
                 json={"lines": [{"variant_id": variant, "quantity": quantity}], "payment": "cash"})
    report = api.call("GET", f"/api/v1/stores/{store['id']}/sales", token=token).json
    today = city_today().isoformat()
    day = next(d for d in report["days"] if d["date"] == today)
    online = placed[1]["total"] + placed[2]["total"]  # a cancelled order is no revenue
    assert day["online_total"] == online == 100000 and day["pos_total"] == 120000 and day["pos_sales"] == 2
    assert day["online_orders"] == 2
    assert len(report["days"]) == 30 and report["to"] == today
    assert report["best_sellers"][0]["product_name"] == product["name"]
    assert report["by_kecamatan"] == [{"kecamatan": "Ambil di toko", "orders": day["online_orders"], "total": online}]
    csv = api.call("GET", f"/api/v1/stores/{store['id']}/sales.csv", token=token)
    assert csv.mimetype == "text/csv" and f"{today},{day['online_orders']},{online},2,120000," in csv.get_data(as_text=True)
    too_long = api.call("GET", f"/api/v1/stores/{store['id']}/sales", token=token,
                        query_string={"from": (city_today() - timedelta(days=400)).isoformat()})
    assert too_long.status_code == 422
