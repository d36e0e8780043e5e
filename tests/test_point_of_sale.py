"""The store's counter: a sale sent twice is sold once, a sale voided returns its units and
stays on record, the day's sales and summary, cash and change."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.helpers import ApiClient


@pytest.fixture
def stall(api):
    token, store = api.seller_with_store()
    product = api.add_product(token, store["id"], variants=[{"sku": "AMP", "name": "250 g", "price": 15000, "stock": 10}])
    return token, store, product["variants"][0]["id"], product["id"]


def _sell(api, token, store, variant, quantity=1, key=None, **extra):
    headers = {"Idempotency-Key": key} if key else {}
    return api.call("POST", f"/api/v1/stores/{store['id']}/pos-sales", token=token, headers=headers,
                    json={"lines": [{"variant_id": variant, "quantity": quantity}], "payment": "cash"} | extra)


def _stock(api, token, store, product):
    page = api.call("GET", f"/api/v1/stores/{store['id']}/products", token=token).json
    return next(p for p in page["items"] if p["id"] == product)["variants"][0]["stock"]


def test_a_sale_sent_again_with_its_key_is_sold_once(api, stall):
    token, store, variant, product = stall
    first = _sell(api, token, store, variant, 2, key="tablet-1-sale-0001", cash_received=50000)
    assert first.status_code == 201 and first.json["change_due"] == 20000
    again = _sell(api, token, store, variant, 2, key="tablet-1-sale-0001", cash_received=50000)
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    assert _stock(api, token, store, product) == 8
    other = _sell(api, token, store, variant, 3, key="tablet-1-sale-0001")
    assert other.status_code == 422 and other.json["errors"][0]["field"] == "Idempotency-Key"


def test_the_same_sale_sent_at_the_same_moment_is_sold_once(app, stall, backend):
    token, store, variant, product = stall
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: _sell(ApiClient(app), token, store, variant, 1, key="antrean-offline-42"), range(8)))
    assert sorted(a.status_code for a in answers) == [200] * 7 + [201], [a.json for a in answers]
    assert len({a.json["id"] for a in answers}) == 1
    assert _stock(ApiClient(app), token, store, product) == 9


def test_cash_short_of_the_total_is_refused(api, stall):
    token, store, variant, _ = stall
    short = _sell(api, token, store, variant, 2, cash_received=20000)
    assert short.status_code == 422 and short.json["errors"][0]["field"] == "cash_received"


def test_a_voided_sale_returns_its_units_and_stays_on_record(api, stall):
    token, store, variant, product = stall
    sale = _sell(api, token, store, variant, 3).json
    _sell(api, token, store, variant, 1)
    url = f"/api/v1/stores/{store['id']}/pos-sales/{sale['id']}/void"
    assert api.call("POST", url, token=token, json={"reason": "  "}).status_code == 422
    voided = api.call("POST", url, token=token, json={"reason": "salah input jumlah"})
    assert voided.status_code == 200 and voided.json["void_reason"] == "salah input jumlah" and voided.json["voided_at"]
    assert _stock(api, token, store, product) == 9
    assert api.call("POST", url, token=token, json={"reason": "lagi"}).status_code == 409  # once only
    day = api.call("GET", f"/api/v1/stores/{store['id']}/pos-sales", token=token).json
    assert [s["id"] for s in day["items"]][1] == sale["id"] and len(day["items"]) == 2
    summary = api.call("GET", f"/api/v1/stores/{store['id']}/pos-summary", token=token).json
    assert summary["sales"] == 1 and summary["total"] == 15000 and summary["voided"] == 1
    reprint = api.call("GET", f"/api/v1/stores/{store['id']}/pos-sales/{sale['id']}", token=token).json
    assert reprint["receipt_number"] == sale["receipt_number"]
