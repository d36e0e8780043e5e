"""The few-seconds cache of public catalog answers: served while fresh, gone after, never for
private or personalised answers."""

from __future__ import annotations

import time

from tests.helpers import ApiClient
from tests.test_checkout import complete, fill


def test_public_answers_are_cached_for_a_few_seconds_only(make_app):
    api = ApiClient(make_app(public_cache_seconds=1))
    token, store = api.seller_with_store()
    product = api.add_product(token, store["id"], name="Amplang")
    variant_id = product["variants"][0]["id"]

    first = api.call("GET", f"/api/v1/products/{product['id']}")
    assert first.headers["Cache-Control"] == "public, max-age=1"
    assert first.json["variants"][0]["available"] == 10
    api.call("PUT", f"/api/v1/stores/{store['id']}/variants/{variant_id}/stock", token=token, json={"quantity": 3})
    assert api.call("GET", f"/api/v1/products/{product['id']}").json["variants"][0]["available"] == 10  # still fresh
    # the seller's own view is never cached
    own = api.call("GET", f"/api/v1/stores/{store['id']}/products", token=token)
    assert own.json["items"][0]["variants"][0]["stock"] == 3 and "Cache-Control" not in own.headers
    time.sleep(1.1)
    assert api.call("GET", f"/api/v1/products/{product['id']}").json["variants"][0]["available"] == 3

    # errors are not cached, and different query strings are different entries
    assert api.call("GET", "/api/v1/products?limit=0").status_code == 422
    assert "Cache-Control" not in api.call("GET", "/api/v1/products?limit=0").headers
    assert len(api.call("GET", "/api/v1/products?limit=1").json["items"]) == 1
    assert api.call("GET", "/api/v1/products?q=tidak-ada").json["items"] == []


def test_checkout_is_not_fooled_by_a_stale_page(make_app):
    api = ApiClient(make_app(public_cache_seconds=60))
    token, store = api.seller_with_store()
    product = api.add_product(token, store["id"], variants=[{"sku": "X", "name": "X", "price": 1000, "stock": 1}])
    variant_id = product["variants"][0]["id"]
    assert api.call("GET", f"/api/v1/products/{product['id']}").json["variants"][0]["available"] == 1
    first = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": variant_id, "quantity": 1}]})
    fill(api, first.json["id"])
    assert complete(api, first.json["id"]).status_code == 201  # the last unit is sold
    assert api.call("GET", f"/api/v1/products/{product['id']}").json["variants"][0]["available"] == 1  # cached
    late = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": variant_id, "quantity": 1}]})
    assert late.status_code == 409 and late.json["lines"][0]["available"] == 0
