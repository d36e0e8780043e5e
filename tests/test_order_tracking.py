"""Finding and tracking an order without its token ever reaching a server log: the token in a
header, a lost link recovered with the order number and phone, the store's published contact."""

from __future__ import annotations

import pytest

from tests.helpers import ApiClient, wrong_token
from tests.test_checkout import complete, fill


@pytest.fixture
def placed(api):
    seller, store = api.seller_with_store()
    product = api.add_product(seller, store["id"])
    started = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": product["variants"][0]["id"], "quantity": 1}]})
    fill(api, started.json["id"])  # phone 0813 4700 1122
    order = complete(api, started.json["id"]).json["orders"][0]
    return {"seller": seller, "store": store, "order": order}


def test_the_token_travels_in_a_header(api, placed):
    order = placed["order"]
    url = f"/api/v1/orders/{order['id']}"
    tracked = api.call("GET", url, headers={"X-Order-Token": order["token"]})
    assert tracked.status_code == 200 and tracked.json["number"] == order["number"]
    assert api.call("GET", url, headers={"X-Order-Token": wrong_token(order["token"])}).status_code == 404
    assert api.call("GET", f"{url}?token={order['token']}").status_code == 200  # older clients
    cancelled = api.call("POST", f"{url}/status", json={"status": "cancelled"}, headers={"X-Order-Token": order["token"]})
    assert cancelled.status_code in (200, 409), cancelled.json  # COD in processing: the buyer may not cancel
    assert cancelled.status_code != 404


def test_a_lost_order_is_found_by_number_and_phone_only(api, placed):
    order = placed["order"]
    found = api.call("POST", "/api/v1/orders/lookup", json={"number": order["number"].lower(), "phone": "+62 813-4700-1122"})
    assert found.status_code == 200, found.json
    assert found.json["id"] == order["id"] and found.json["status"] == order["status"]
    # whoever knows the number and phone sees the order, not where the buyer lives or their email
    assert found.json["shipping_address"] is None and found.json["buyer"]["email"] is None
    assert "Pangeran Antasari" not in found.get_data(as_text=True) and "contoh.id" not in found.get_data(as_text=True)
    for number, phone in ((order["number"], "0813 4700 1123"), ("BHB-000000-000000", "0813 4700 1122"),
                          (order["number"], "bukan nomor")):
        missed = api.call("POST", "/api/v1/orders/lookup", json={"number": number, "phone": phone})
        assert missed.status_code == 404 and missed.mimetype == "application/problem+json"


def test_guessing_numbers_and_phones_is_rate_limited(make_app, placed):
    api = ApiClient(make_app(ratelimit_enabled=True))
    order = placed["order"]
    answers = [api.call("POST", "/api/v1/orders/lookup", json={"number": order["number"], "phone": f"0813 4700 11{n:02d}"})
               for n in range(10)]
    assert [a.status_code for a in answers[:5]] == [404] * 5
    assert answers[5].status_code == 429 and answers[5].headers.get("Retry-After")
    # ... also for the right answer, from the same address
    right = api.call("POST", "/api/v1/orders/lookup", json={"number": order["number"], "phone": "0813 4700 1122"})
    assert right.status_code == 429


def test_the_store_shows_only_the_contact_its_seller_published(api, placed):
    store, seller = placed["store"], placed["seller"]
    public = api.call("GET", f"/api/v1/stores/{store['id']}").json
    assert "phone" not in public and "address" not in public and "whatsapp_url" not in public
    tracked = api.call("GET", f"/api/v1/orders/{placed['order']['id']}", headers={"X-Order-Token": placed["order"]["token"]})
    assert "phone" not in tracked.json["store"]
    changed = api.call("PATCH", f"/api/v1/stores/{store['id']}", token=seller, json={
        "publish_phone": True, "opening_hours": "Senin–Sabtu 08.00–17.00 WITA", "offers_pickup": True})
    assert changed.status_code == 200, changed.json
    public = api.call("GET", f"/api/v1/stores/{store['id']}").json
    assert public["whatsapp_url"] == "https://wa.me/6281255551234" and "address" not in public
    assert public["opening_hours"] == "Senin–Sabtu 08.00–17.00 WITA"
    tracked = api.call("GET", f"/api/v1/orders/{placed['order']['id']}", headers={"X-Order-Token": placed["order"]["token"]})
    assert tracked.json["store"]["whatsapp_url"] == "https://wa.me/6281255551234"


def test_a_store_that_does_not_deliver_is_picked_up_from(api):
    seller, store = api.seller_with_store()
    variant = api.add_product(seller, store["id"])["variants"][0]["id"]
    refused = api.call("PATCH", f"/api/v1/stores/{store['id']}", token=seller,
                       json={"offers_delivery": False, "offers_pickup": False})
    assert refused.status_code == 422 and refused.json["errors"][0]["field"] == "offers_delivery"
    assert api.call("PATCH", f"/api/v1/stores/{store['id']}", token=seller, json={"offers_delivery": False}).status_code == 200
    started = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": variant, "quantity": 1}]})
    assert started.json["stores"][0]["delivery"] == "pickup"
    wrong = api.call("PATCH", f"/api/v1/checkouts/{started.json['id']}", json={"delivery": {str(store["id"]): "delivery"}})
    assert wrong.status_code == 422 and wrong.json["errors"][0]["field"] == f"delivery.{store['id']}"
