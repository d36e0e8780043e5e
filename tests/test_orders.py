"""The order state machine: every allowed step, every forbidden one, who may move what, stock
side effects, and point-of-sale sales on the same stock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from commerce.db import utcnow
from commerce.inventory.models import Allocation
from commerce.orders.models import Order
from commerce.orders.status import STATUSES, TRANSITIONS
from tests.helpers import wrong_token
from tests.test_checkout import complete, fill

pytestmark = pytest.mark.usefixtures("app")


@pytest.fixture
def shop(api):
    token, store = api.seller_with_store()
    product = api.add_product(token, store["id"], variants=[{"sku": "KUE-1", "name": "Loyang", "price": 50000, "stock": 20}])
    return token, store, product["variants"][0]["id"], product


def place(api, variant_id, *, quantity=1, payment="cod", delivery="delivery", store_id=None):
    checkout = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": variant_id, "quantity": quantity}]}).json
    extra = {"delivery": {str(store_id): delivery}} if store_id else {}
    fill(api, checkout["id"], payment_method=payment, **extra)
    return complete(api, checkout["id"], key=f"key-{checkout['id'][:20]}").json["orders"][0]


def move(api, token, store_id, order_id, status):
    return api.call("POST", f"/api/v1/stores/{store_id}/orders/{order_id}/status", token=token, json={"status": status})


def stock_of(api, token, store_id, product_id):
    items = api.call("GET", f"/api/v1/stores/{store_id}/products", token=token).json["items"]
    variant = next(p for p in items if p["id"] == product_id)["variants"][0]
    return variant["stock"], variant["available"]


def test_cod_delivery_happy_path_and_stock(api, shop):
    token, store, variant_id, product = shop
    order = place(api, variant_id, quantity=3)
    assert order["status"] == "processing"
    assert stock_of(api, token, store["id"], product["id"]) == (20, 17)
    assert move(api, token, store["id"], order["id"], "shipped").json["status"] == "shipped"
    assert stock_of(api, token, store["id"], product["id"]) == (17, 17)  # goods left: stock decreased
    assert move(api, token, store["id"], order["id"], "delivered").status_code == 200
    refused = move(api, token, store["id"], order["id"], "completed")
    assert refused.status_code == 409  # cash not recorded yet
    paid = api.call("POST", f"/api/v1/stores/{store['id']}/orders/{order['id']}/payment", token=token, json={})
    assert paid.json["payment_status"] == "paid"
    done = move(api, token, store["id"], order["id"], "completed").json
    assert done["status"] == "completed"
    assert [(h["from"], h["to"], h["actor"]) for h in done["history"]] == [
        (None, "processing", "buyer"), ("processing", "shipped", "seller"), ("shipped", "delivered", "seller"),
        ("delivered", "delivered", "seller"), ("delivered", "completed", "seller")]


def test_pickup_path_decreases_stock_on_handover(api, shop):
    token, store, variant_id, product = shop
    order = place(api, variant_id, quantity=2, payment="bank_transfer", delivery="pickup", store_id=store["id"])
    assert order["total"] == 100000  # no delivery fee for pickup
    assert move(api, token, store["id"], order["id"], "shipped").status_code == 409
    assert api.call("POST", f"/api/v1/stores/{store['id']}/orders/{order['id']}/payment", token=token, json={}).status_code == 200
    for status in ("processing", "ready_for_pickup"):
        assert move(api, token, store["id"], order["id"], status).status_code == 200
    assert stock_of(api, token, store["id"], product["id"]) == (20, 18)
    assert move(api, token, store["id"], order["id"], "delivered").status_code == 200
    assert stock_of(api, token, store["id"], product["id"]) == (18, 18)


def test_cancel_returns_stock(api, shop):
    token, store, variant_id, product = shop
    order = place(api, variant_id, quantity=5)
    assert stock_of(api, token, store["id"], product["id"]) == (20, 15)
    assert move(api, token, store["id"], order["id"], "cancelled").json["status"] == "cancelled"
    assert stock_of(api, token, store["id"], product["id"]) == (20, 20)
    assert move(api, token, store["id"], order["id"], "processing").status_code == 409


def test_every_step_of_an_order_gives_or_takes_the_units_it_should(app, api, shop):
    """Availability through the life of orders of both offline methods: promised at
    completion, kept when paid, out of the stock when the goods leave, free again when
    cancelled or when an unpaid transfer lapses."""
    token, store, variant_id, product = shop

    def books():
        return stock_of(api, token, store["id"], product["id"])  # (stock, available)

    def pay(order):
        return api.call("POST", f"/api/v1/stores/{store['id']}/orders/{order['id']}/payment", token=token, json={})

    cod = place(api, variant_id, quantity=3)
    assert books() == (20, 17)
    transfer = place(api, variant_id, quantity=2, payment="bank_transfer")
    assert books() == (20, 15)  # held until its payment deadline
    assert pay(transfer).status_code == 200
    assert books() == (20, 15)  # paid: held however long shipping takes
    assert move(api, token, store["id"], cod["id"], "shipped").status_code == 200
    assert books() == (17, 15)  # the goods left: out of the stock, no longer held
    assert move(api, token, store["id"], transfer["id"], "cancelled").status_code == 200
    assert books() == (17, 17)  # a paid order cancelled gives its units back
    second_cod = place(api, variant_id, quantity=4)
    assert pay(second_cod).status_code == 200  # cash collected before delivery
    assert books() == (17, 13)
    assert move(api, token, store["id"], second_cod["id"], "cancelled").status_code == 200
    assert books() == (17, 17)
    lapsing = place(api, variant_id, quantity=6, payment="bank_transfer")
    assert books() == (17, 11)
    with app.extensions["smartcity"].session_factory() as session:
        past = utcnow() - timedelta(minutes=1)
        session.execute(update(Order).where(Order.id == lapsing["id"]).values(payment_due_at=past))
        session.execute(update(Allocation).where(Allocation.order_id == lapsing["id"]).values(expires_at=past))
        session.commit()
    assert books() == (17, 17)  # the deadline passed: free again, without any job
    assert pay(lapsing).status_code == 409  # too late: the order expires
    assert books() == (17, 17)


def _drive_to(api, token, store_id, variant_id, target):
    """An order in ``target`` status, reached through allowed steps."""
    paths = {
        "awaiting_payment": ("bank_transfer", []),
        "paid": ("bank_transfer", ["$pay"]),
        "processing": ("cod", []),
        "shipped": ("cod", ["shipped"]),
        "delivered": ("cod", ["shipped", "delivered"]),
        "completed": ("cod", ["shipped", "delivered", "$pay", "completed"]),
        "cancelled": ("cod", ["cancelled"]),
    }
    payment, steps = paths[target]
    order = place(api, variant_id, payment=payment)
    for step in steps:
        if step == "$pay":
            response = api.call("POST", f"/api/v1/stores/{store_id}/orders/{order['id']}/payment", token=token, json={})
        else:
            response = move(api, token, store_id, order["id"], step)
        assert response.status_code == 200, (target, step, response.json)
    return order


def test_every_forbidden_transition_is_refused(api, shop):
    token, store, variant_id, _ = shop
    reachable = ["awaiting_payment", "paid", "processing", "shipped", "delivered", "completed", "cancelled"]
    checked = 0
    for source in reachable:
        order = _drive_to(api, token, store["id"], variant_id, source)
        allowed = {to for to, actors in TRANSITIONS[source].items() if "seller" in actors}
        for target in STATUSES:
            if target in allowed or target == source:
                continue
            response = move(api, token, store["id"], order["id"], target)
            assert response.status_code == 409, (source, target, response.json)
            assert response.json["errors"][0]["field"] == "status"
            checked += 1
        # nothing changed
        status = api.call("GET", f"/api/v1/stores/{store['id']}/orders/{order['id']}", token=token).json["status"]
        assert status == source
    assert checked >= 40
    unknown = move(api, token, store["id"], _drive_to(api, token, store["id"], variant_id, "processing")["id"], "terbang")
    assert unknown.status_code == 422


def test_buyer_can_only_cancel_unpaid_or_confirm_receipt(api, shop):
    token, store, variant_id, _ = shop
    order = place(api, variant_id, payment="bank_transfer")
    url = f"/api/v1/orders/{order['id']}/status?token={order['token']}"
    assert api.call("POST", url, json={"status": "completed"}).status_code == 409
    assert api.call("POST", f"/api/v1/orders/{order['id']}/status?token=wrong", json={"status": "cancelled"}).status_code == 404
    assert api.call("POST", url, json={"status": "shipped"}).status_code == 422
    assert api.call("POST", url, json={"status": "cancelled"}).json["status"] == "cancelled"
    cod = place(api, variant_id)
    assert api.call("POST", f"/api/v1/orders/{cod['id']}/status?token={cod['token']}", json={"status": "cancelled"}).status_code == 409


def test_orders_are_private_to_their_buyer_seller_and_staff(api, shop):
    token, store, variant_id, _ = shop
    buyer = api.new_user("Pembeli")
    checkout = api.call("POST", "/api/v1/checkouts", token=buyer, json={"lines": [{"variant_id": variant_id, "quantity": 1}]}).json
    fill(api, checkout["id"], token=buyer)
    order = complete(api, checkout["id"], token=buyer).json["orders"][0]
    # the buyer's account reads it without the token; strangers cannot, with or without a token guess
    assert api.call("GET", f"/api/v1/orders/{order['id']}", token=buyer).status_code == 200
    assert api.call("GET", "/api/v1/me/orders", token=buyer).json["items"][0]["id"] == order["id"]
    stranger = api.new_user("Orang lain")
    assert api.call("GET", f"/api/v1/orders/{order['id']}", token=stranger).status_code == 404
    assert api.call("GET", f"/api/v1/orders/{order['id']}").status_code == 404
    assert api.call("GET", f"/api/v1/orders/{order['id']}?token={wrong_token(order['token'])}").status_code == 404
    # another seller can neither list nor move this store's orders, nor reach it through their own store
    other_token, other_store = api.seller_with_store()
    assert api.call("GET", f"/api/v1/stores/{store['id']}/orders", token=other_token).status_code == 403
    assert move(api, other_token, store["id"], order["id"], "shipped").status_code == 403
    assert move(api, other_token, other_store["id"], order["id"], "shipped").status_code == 404
    assert api.call("POST", f"/api/v1/stores/{other_store['id']}/orders/{order['id']}/payment", token=other_token, json={}).status_code == 404
    assert api.call("GET", f"/api/v1/stores/{other_store['id']}/orders/{order['id']}", token=other_token).status_code == 404
    assert api.call("GET", f"/api/v1/stores/{other_store['id']}/orders", token=other_token).json["items"] == []
    # an admin may handle it (e.g. confirm a transfer); the history says so
    admin = api.admin()
    moved = move(api, admin, store["id"], order["id"], "shipped").json
    assert moved["history"][-1]["actor"] == "admin"


def test_pos_sale_takes_the_same_stock(api, shop):
    token, store, variant_id, product = shop
    order = place(api, variant_id, quantity=15)  # 5 left to sell
    sale = api.call("POST", f"/api/v1/stores/{store['id']}/pos-sales", token=token,
                    json={"lines": [{"variant_id": variant_id, "quantity": 4}], "payment": "qris"})
    assert sale.status_code == 201, sale.json
    assert sale.json["receipt_number"].startswith(f"POS-{store['id']:04d}-")
    assert sale.json["total"] == 200000
    assert stock_of(api, token, store["id"], product["id"]) == (16, 1)
    too_many = api.call("POST", f"/api/v1/stores/{store['id']}/pos-sales", token=token,
                        json={"lines": [{"variant_id": variant_id, "quantity": 2}], "payment": "cash"})
    assert too_many.status_code == 409 and too_many.json["lines"][0]["available"] == 1
    api.call("POST", f"/api/v1/stores/{store['id']}/pos-sales", token=token,
             json={"lines": [{"variant_id": variant_id, "quantity": 1}], "payment": "cash"})
    summary = api.call("GET", f"/api/v1/stores/{store['id']}/pos-summary", token=token).json
    assert summary["sales"] == 2 and summary["total"] == 250000
    assert summary["by_payment"] == {"qris": {"sales": 1, "total": 200000}, "cash": {"sales": 1, "total": 50000}}
    assert summary["items"][0]["quantity"] == 5
    # another seller cannot sell this store's goods, through either store
    other_token, other_store = api.seller_with_store()
    body = {"lines": [{"variant_id": variant_id, "quantity": 1}], "payment": "cash"}
    assert api.call("POST", f"/api/v1/stores/{store['id']}/pos-sales", token=other_token, json=body).status_code == 403
    cross = api.call("POST", f"/api/v1/stores/{other_store['id']}/pos-sales", token=other_token, json=body)
    assert cross.status_code == 422 and cross.json["errors"][0]["field"] == "lines.0.variant_id"
    assert order["status"] == "processing"
