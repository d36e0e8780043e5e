"""A store's status is enforced on every write route of a store (commerce/stores/trading.py).

Suspended: no POS sale, no new or changed product, variant, stock, picture, profile or delivery
fee; orders already placed are still serviced. Pending: may prepare its catalogue, may not sell.

The routes come from the OpenAPI document: ``test_every_store_write_route_has_a_rule`` fails
until a new write route under ``/stores/{store_id}`` is put in one of the three lists below, and
each listed route is then tried against a suspended and a pending store, with the requests of
tests/test_ownership.py.
"""

from __future__ import annotations

import io
import re

import pytest

from tests.helpers import png_bytes
from tests.test_ownership import SELLER_ENDPOINTS, WRITE_METHODS, _call, assert_problem, snapshot, world  # noqa: F401

STORE = "/api/v1/stores/{store_id}"
CHANGES_THE_CATALOG = {  # refused when suspended, allowed while pending
    ("PATCH", STORE),
    ("POST", f"{STORE}/products"),
    ("PATCH", f"{STORE}/products/{{product_id}}"),
    ("DELETE", f"{STORE}/products/{{product_id}}"),
    ("POST", f"{STORE}/products/{{product_id}}/variants"),
    ("PATCH", f"{STORE}/variants/{{variant_id}}"),
    ("PUT", f"{STORE}/variants/{{variant_id}}/stock"),
    ("POST", f"{STORE}/products/{{product_id}}/images"),
    ("DELETE", f"{STORE}/products/{{product_id}}/images/{{image_id}}"),
    ("PUT", f"{STORE}/delivery-fees"),
}
SELLS = {("POST", f"{STORE}/pos-sales"), ("POST", f"{STORE}/pos-sales/{{sale_id}}/void")}  # refused when suspended and when pending
SERVICES_ORDERS = {  # allowed when suspended: buyers are waiting for these orders
    ("POST", f"{STORE}/orders/{{order_id}}/status"),
    ("POST", f"{STORE}/orders/{{order_id}}/payment"),
}


def _openapi_key(endpoint) -> tuple[str, str]:
    return endpoint.method, re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", endpoint.rule)


ENDPOINTS = {_openapi_key(e): e for e in SELLER_ENDPOINTS}


def test_every_store_write_route_has_a_rule(client):
    document = client.get("/api/v1/openapi.json").json
    routes = {(method.upper(), path) for path, item in document["paths"].items() for method in item
              if method.upper() in WRITE_METHODS and path.startswith(STORE)}
    listed = CHANGES_THE_CATALOG | SELLS | SERVICES_ORDERS
    assert routes - listed == set(), "write routes of a store without a status rule: list them in tests/test_store_status.py"
    assert listed - routes == set(), "listed but no longer routes"
    assert listed <= set(ENDPOINTS), "every listed route needs its request in tests/test_ownership.py"


def _suspend(api, world, store_id: int) -> None:
    answer = api.call("POST", f"/api/v1/admin/stores/{store_id}/suspend", token=world.admin)
    assert answer.status_code == 200 and answer.json["status"] == "suspended", answer.json


def test_a_suspended_store_cannot_sell_or_change_its_catalog_but_services_its_orders(api, world):
    a = world.a
    _suspend(api, world, a.ids["store_id"])
    broken = []
    for key in sorted(CHANGES_THE_CATALOG | SELLS):
        before = snapshot(api.app)
        answer = _call(api, ENDPOINTS[key], a.ids, a.token)
        try:
            body = assert_problem(answer, 409)
            assert "dibekukan" in body["detail"], body
            assert snapshot(api.app) == before, "changed data although refused"
        except AssertionError as error:
            broken.append(f"{key}: {error}")
    assert not broken, "\n".join(broken)
    # the order placed before the suspension is still shipped and paid for
    for key in (("POST", f"{STORE}/orders/{{order_id}}/status"), ("POST", f"{STORE}/orders/{{order_id}}/payment")):
        answer = _call(api, ENDPOINTS[key], a.ids, a.token)
        assert answer.status_code == 200, (key, answer.json)
    # the seller still reads their store, products and orders
    for tail in ("", "/products", "/orders"):
        assert api.call("GET", f"/api/v1/stores/{a.ids['store_id']}{tail}", token=a.token).status_code == 200


def _pending_catalog(api, world) -> dict:
    """A product with two variants and a picture in seller A's pending store."""
    store_id = world.pending_store_id
    product = api.add_product(world.a.token, store_id, variants=[
        {"sku": f"PND-{n}-{product_counter()}", "name": f"Varian {n}", "price": 10000, "stock": 5} for n in (1, 2)])
    image = api.call("POST", f"/api/v1/stores/{store_id}/products/{product['id']}/images", token=world.a.token,
                     data={"file": (io.BytesIO(png_bytes()), "foto.png")}, content_type="multipart/form-data")
    assert image.status_code == 201, image.json
    return {"store_id": store_id, "product_id": product["id"], "variant_id": product["variants"][0]["id"],
            "image_id": image.json["id"], "sale_id": 2_147_483_647}  # a pending store has no sales


_products = iter(range(1, 1_000_000))


def product_counter() -> int:
    return next(_products)


def test_a_pending_store_prepares_its_catalog_but_cannot_sell(api, world):
    for key in sorted(CHANGES_THE_CATALOG):
        ids = _pending_catalog(api, world)
        answer = _call(api, ENDPOINTS[key], ids, world.a.token)
        assert 200 <= answer.status_code < 300, (key, answer.get_data(as_text=True))
    ids = _pending_catalog(api, world)
    for key in sorted(SELLS):
        before = snapshot(api.app)
        body = assert_problem(_call(api, ENDPOINTS[key], ids, world.a.token), 409)
        assert "menunggu persetujuan" in body["detail"], body
        assert snapshot(api.app) == before


def test_an_archived_product_is_not_sold_at_the_counter(api, world):
    a = world.a
    assert api.call("DELETE", f"/api/v1/stores/{a.ids['store_id']}/products/{a.ids['product_id']}",
                    token=a.token).status_code == 204
    before = snapshot(api.app)
    sale = api.call("POST", f"/api/v1/stores/{a.ids['store_id']}/pos-sales", token=a.token,
                    json={"lines": [{"variant_id": a.ids["variant_id"], "quantity": 1}], "payment": "cash"})
    assert_problem(sale, 422, field="lines.0.variant_id")
    assert snapshot(api.app) == before


@pytest.mark.parametrize("status", ["suspended", "pending"])
def test_a_store_that_cannot_sell_has_no_buyable_products(api, world, status):
    """Online buyers were already kept out; this is the control that they still are."""
    a = world.a
    if status == "suspended":
        _suspend(api, world, a.ids["store_id"])
        variant_id = a.ids["variant_id"]
    else:
        variant_id = _pending_catalog(api, world)["variant_id"]
    started = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": variant_id, "quantity": 1}]})
    assert_problem(started, 422, field="lines.0.variant_id")
