"""The price lock: completing never charges what the buyer was not shown.

The scene as it was found: the checkout showed Rp25.000, then the seller set the variant to
Rp99.000 and the delivery fee to Rp400.000, and ``complete`` placed an order of Rp499.000.
"""

from __future__ import annotations

import pytest

from commerce.orders.models import Order
from tests.test_checkout import complete, fill
from tests.test_ownership import snapshot


@pytest.fixture
def cart(api):
    """A Rp25.000 cart (Rp15.000 of goods, Rp10.000 delivery in the store's own kecamatan)."""
    seller, store = api.seller_with_store()  # Samarinda Ulu
    product = api.add_product(seller, store["id"], name="Keripik Pisang", variants=[
        {"sku": "KRP-1", "name": "200 g", "price": 15000, "stock": 20}])
    variant_id = product["variants"][0]["id"]
    started = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": variant_id, "quantity": 1}]})
    assert started.status_code == 201, started.json
    shown = fill(api, started.json["id"])
    assert shown["totals"]["total"] == 25000
    return {"seller": seller, "store": store["id"], "variant": variant_id, "checkout": started.json["id"]}


def _seller_raises_prices(api, cart):
    price = api.call("PATCH", f"/api/v1/stores/{cart['store']}/variants/{cart['variant']}", token=cart["seller"],
                     json={"price": 99000})
    fee = api.call("PUT", f"/api/v1/stores/{cart['store']}/delivery-fees", token=cart["seller"],
                   json={"fees": {"Samarinda Ulu": 400000}})
    assert price.status_code == 200 and fee.status_code == 200, (price.json, fee.json)


def _orders(api, checkout_id: str) -> int:
    with api.app.extensions["smartcity"].session_factory() as session:
        return session.query(Order).filter_by(checkout_id=checkout_id).count()


def test_a_price_raised_after_the_buyer_looked_places_nothing_and_shows_the_new_totals(api, cart):
    _seller_raises_prices(api, cart)
    before = snapshot(api.app)
    refused = complete(api, cart["checkout"])
    assert refused.status_code == 409, refused.json
    assert refused.mimetype == "application/problem+json"
    assert refused.json["totals"] == {"items": 99000, "delivery": 400000, "total": 499000, "total_display": "Rp499.000"}
    assert refused.json["checkout"]["lines"][0]["unit_price"] == 99000
    assert _orders(api, cart["checkout"]) == 0
    # nothing but the record that the buyer has now been shown the new totals
    after = snapshot(api.app)
    assert {table for table in before if before[table] != after[table]} == {"checkouts"}
    # the buyer saw them in that answer: completing again places the order at those totals
    placed = complete(api, cart["checkout"])
    assert placed.status_code == 201, placed.json
    assert placed.json["orders"][0]["total"] == 499000


def test_the_total_the_buyer_confirmed_must_be_the_total(api, cart):
    _seller_raises_prices(api, cart)
    # a client that shows its own copy of the total says which one the buyer agreed to
    stale = complete(api, cart["checkout"], body={"expected_total": 25000})
    assert stale.status_code == 409 and stale.json["totals"]["total"] == 499000
    again = complete(api, cart["checkout"], key="kunci-kedua-456", body={"expected_total": 25000})
    assert again.status_code == 409, "an old total stays refused, however often it is sent"
    assert _orders(api, cart["checkout"]) == 0
    placed = complete(api, cart["checkout"], key="kunci-ketiga-789", body={"expected_total": 499000})
    assert placed.status_code == 201, placed.json
    assert placed.json["orders"][0]["total"] == 499000


def test_a_lower_price_is_also_shown_before_it_is_charged(api, cart):
    cheaper = api.call("PATCH", f"/api/v1/stores/{cart['store']}/variants/{cart['variant']}", token=cart["seller"],
                       json={"price": 12000})
    assert cheaper.status_code == 200
    refused = complete(api, cart["checkout"])
    assert refused.status_code == 409 and refused.json["totals"]["total"] == 22000


def test_an_unchanged_cart_completes_at_once_and_reading_it_changes_nothing(api, cart):
    looked = api.call("GET", f"/api/v1/checkouts/{cart['checkout']}")
    assert looked.status_code == 200 and looked.json["totals"]["total"] == 25000
    placed = complete(api, cart["checkout"], body={"expected_total": 25000})
    assert placed.status_code == 201, placed.json
    assert placed.json["orders"][0]["total"] == 25000


def test_the_price_lock_is_in_the_openapi_document(client):
    operation = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/checkouts/{checkout_id}/complete"]["post"]
    assert "409" in operation["responses"]
    assert "expected_total" in operation["requestBody"]["content"]["application/json"]["schema"]["properties"]
