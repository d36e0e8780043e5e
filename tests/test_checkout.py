"""Checkout: multi-store carts, reservations, completion into one order per store, idempotency,
delivery fees, and the two offline payment methods."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import update

from commerce.checkout import completion, services
from commerce.db import utcnow
from commerce.inventory import reservations
from commerce.inventory.models import Reservation
from commerce.orders.models import Order
from tests.helpers import ApiClient

ADDRESS = {"street": "Jl. Pangeran Antasari No. 12, RT 05", "kecamatan": "Samarinda Ulu", "kelurahan": "Air Hitam"}


def _variant(product, i=0):
    return product["variants"][i]["id"]


@pytest.fixture
def market(api):
    """Two approved stores with one product each."""
    token_a, store_a = api.seller_with_store()
    token_b = api.new_user("Penjual B")
    store_b = api.open_store(token_b, kecamatan="Palaran", kelurahan="Rawa Makmur")
    api.approve(store_b["id"])
    amplang = api.add_product(token_a, store_a["id"], name="Amplang", variants=[
        {"sku": "AMP-250", "name": "250 g", "price": 35000, "stock": 10}])
    sarung = api.add_product(token_b, store_b["id"], name="Sarung Tenun", category="sarung-tenun-fashion", variants=[
        {"sku": "SRG-1", "name": "Merah", "price": 450000, "stock": 2}])
    return {"a": (token_a, store_a, amplang), "b": (token_b, store_b, sarung)}


def fill(api, checkout_id, *, token=None, **overrides):
    body = {"email": "Pembeli@Contoh.id", "phone": "0813 4700 1122", "name": "Rina",
            "shipping_address": ADDRESS, "payment_method": "cod"} | overrides
    response = api.call("PATCH", f"/api/v1/checkouts/{checkout_id}", json=body, token=token)
    assert response.status_code == 200, response.json
    return response.json


def complete(api, checkout_id, key="kunci-pertama-123", body=None, *, token=None):
    return api.call("POST", f"/api/v1/checkouts/{checkout_id}/complete", json=body or {},
                    headers={"Idempotency-Key": key}, token=token)


def available(api, product):
    return api.call("GET", f"/api/v1/products/{product['id']}").json["variants"][0]["available"]


def _pause_before_the_stock_lock(monkeypatch, module=services):
    """Hold the first buyer who reaches the stock lock (cart lines already written) until
    ``go`` is set; ``paused`` says one is there."""
    paused, go = threading.Event(), threading.Event()
    real_lock = module.lock_stock

    def lock_later(session, variants):
        paused.set()
        assert go.wait(20)
        real_lock(session, variants)

    monkeypatch.setattr(module, "lock_stock", lock_later)
    return paused, go


def _until_someone_waits_on_a_lock(app) -> bool:
    """Whether, within 10 s, a backend of the app's database is waiting for a lock."""
    from sqlalchemy import text

    with app.extensions["smartcity"].session_factory() as probe:
        for _ in range(200):
            waiting = probe.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'")).scalar()
            probe.rollback()
            if waiting:
                return True
            threading.Event().wait(0.05)
    return False


def test_multi_store_cart_completes_into_one_order_per_store(api, market):
    _, store_a, amplang = market["a"]
    _, store_b, sarung = market["b"]
    response = api.call("POST", "/api/v1/checkouts", json={"lines": [
        {"variant_id": _variant(amplang), "quantity": 3}, {"variant_id": _variant(sarung), "quantity": 1}]})
    assert response.status_code == 201, response.json
    checkout = response.json
    assert len(checkout["id"]) >= 40
    assert checkout["reserved_until"].endswith("+08:00")
    assert checkout["totals"]["items"] == 3 * 35000 + 450000
    # reserved: others see less
    assert available(api, amplang) == 7 and available(api, sarung) == 1

    filled = fill(api, checkout["id"], delivery={str(store_b["id"]): "pickup"})
    assert filled["phone"] == "+6281347001122"
    assert filled["shipping_address"]["kelurahan_code"].startswith("64.72.03.")
    parts = {p["store"]["id"]: p for p in filled["stores"]}
    assert parts[store_a["id"]]["delivery_fee"] == 10000  # same kecamatan as the buyer
    assert parts[store_b["id"]]["delivery_fee"] == 0 and parts[store_b["id"]]["delivery"] == "pickup"

    response = complete(api, checkout["id"])
    assert response.status_code == 201, response.json
    orders = response.json["orders"]
    assert [o["store_id"] for o in orders] == sorted([store_a["id"], store_b["id"]])
    assert all(o["number"].startswith("BHB-") and o["token"] and o["status"] == "processing" for o in orders)
    assert {o["total"] for o in orders} == {3 * 35000 + 10000, 450000}
    assert response.json["payment"]["method"] == "cod"

    order = api.call("GET", f"/api/v1/orders/{orders[0]['id']}?token={orders[0]['token']}").json
    assert order["buyer"]["email"] == "pembeli@contoh.id"
    assert order["history"][0]["to"] == "processing"
    # allocated units stay unavailable; the reservation is gone
    assert available(api, amplang) == 7 and available(api, sarung) == 1


def test_short_lines_are_reported_per_line_with_what_is_available(api, market):
    _, _, amplang = market["a"]
    _, _, sarung = market["b"]
    response = api.call("POST", "/api/v1/checkouts", json={"lines": [
        {"variant_id": _variant(amplang), "quantity": 2}, {"variant_id": _variant(sarung), "quantity": 5}]})
    assert response.status_code == 409
    problem = response.json
    assert problem["lines"] == [{"line": 1, "variant_id": _variant(sarung), "requested": 5, "available": 2}]
    assert problem["errors"][0]["field"] == "lines.1.quantity"
    assert available(api, amplang) == 10  # nothing reserved


def test_expired_reservations_free_their_units_without_any_sweep(app, api, market):
    token_b, store_b, sarung = market["b"]  # 2 in stock: carts may hold 1 of them
    first = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": _variant(sarung), "quantity": 2}]}).json
    assert [line["reserved"] for line in first["lines"]] == [1]
    assert api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": _variant(sarung), "quantity": 2}]}).status_code == 409
    with app.extensions["smartcity"].session_factory() as session:
        session.execute(update(Reservation).values(reserved_until=utcnow() - timedelta(seconds=1)))
        session.commit()
    assert available(api, sarung) == 2
    # the first buyer's reservation ran out, and another buyer bought the units meanwhile
    second = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": _variant(sarung), "quantity": 2}]})
    assert second.status_code == 201
    fill(api, second.json["id"])
    sold = complete(api, second.json["id"], key="kunci-pembeli-kedua")
    assert sold.status_code == 201, sold.json
    # completing now fails clearly
    fill(api, first["id"])
    response = complete(api, first["id"])
    assert response.status_code == 409
    assert response.json["lines"][0]["available"] == 0
    # Completion writes its orders before it locks the stock; losing the check must undo them,
    # and must not store the refusal under the Idempotency-Key: the same key is tried afresh.
    with app.extensions["smartcity"].session_factory() as session:
        assert session.query(Order).filter_by(checkout_id=first["id"]).count() == 0
    assert api.call("GET", f"/api/v1/checkouts/{first['id']}").json["completed"] is False
    cancelled = api.call("POST", f"/api/v1/stores/{store_b['id']}/orders/{sold.json['orders'][0]['id']}/status",
                         token=token_b, json={"status": "cancelled", "note": "pembeli batal"})
    assert cancelled.status_code == 200, cancelled.json
    retried = complete(api, first["id"])
    assert retried.status_code == 201, retried.json
    assert available(api, sarung) == 0


@pytest.mark.parametrize("step", ["start", "complete"])
def test_two_buyers_who_wrote_their_lines_before_the_stock_lock_do_not_deadlock(app, api, market, backend, monkeypatch, step):
    """Checkout lines and order lines are written before the stock is locked, and each takes a
    key-share lock on its variant (the foreign key). Here both buyers have written theirs before
    either locks the stock; with FOR UPDATE each would wait for the other's key-share lock."""
    if backend != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time")
    _, _, amplang = market["a"]
    lines = {"lines": [{"variant_id": _variant(amplang), "quantity": 2}]}
    module = services if step == "start" else completion
    checkouts = []
    if step == "complete":
        for _ in range(2):
            checkouts.append(api.call("POST", "/api/v1/checkouts", json=lines).json["id"])
            fill(api, checkouts[-1])
    both_wrote = threading.Barrier(2, timeout=20)
    real_lock = module.lock_stock

    def lock_once_both_wrote(session, variants):
        both_wrote.wait()
        real_lock(session, variants)

    monkeypatch.setattr(module, "lock_stock", lock_once_both_wrote)

    def buy(i):
        client = ApiClient(app)
        if step == "start":
            return client.call("POST", "/api/v1/checkouts", json=lines)
        return complete(client, checkouts[i], key=f"kunci-pembeli-{i}-123")

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(buy, range(2)))
    assert [a.status_code for a in answers] == [201, 201], [a.json for a in answers]
    monkeypatch.undo()
    assert available(api, amplang) == 10 - 4


def _seller_acts_while_a_buyer_is_held(app, monkeypatch, variant_id, seller, while_held):
    """A buyer starts a checkout of one unit and is held after writing the cart line (a
    key-share lock on the variant), before locking the stock; meanwhile ``seller()`` makes its
    request and ``while_held(future)`` runs; then the buyer goes on. Both answers."""
    paused, go = _pause_before_the_stock_lock(monkeypatch)
    with ThreadPoolExecutor(2) as pool:
        buying = pool.submit(lambda: ApiClient(app).call(
            "POST", "/api/v1/checkouts", json={"lines": [{"variant_id": variant_id, "quantity": 1}]}))
        assert paused.wait(20)
        selling = pool.submit(seller)
        try:
            while_held(selling)
        finally:
            go.set()
        answers = buying.result(timeout=30), selling.result(timeout=30)
    monkeypatch.undo()
    return answers


def test_a_stock_edit_does_not_wait_for_buyers_still_writing_their_carts(app, api, market, backend, monkeypatch):
    """A buyer who has written the cart's lines (a key-share lock on the variant) but not yet
    locked the stock does not hold up the seller's stock edit; the buyer then sees the new stock."""
    if backend != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time")
    token_a, store_a, amplang = market["a"]
    bought, edited = _seller_acts_while_a_buyer_is_held(
        app, monkeypatch, _variant(amplang),
        lambda: ApiClient(app).call("PUT", f"/api/v1/stores/{store_a['id']}/variants/{_variant(amplang)}/stock",
                                    token=token_a, json={"quantity": 3}),
        lambda editing: editing.result(timeout=10),  # done while the buyer is still held
    )
    assert edited.status_code == 200 and edited.json["quantity"] == 3
    assert bought.status_code == 201 and bought.json["lines"][0]["available"] == 2


def test_a_sku_change_waiting_for_a_buyer_lets_the_buyer_finish(app, api, market, backend, monkeypatch):
    """A new SKU changes a key column, so the seller's UPDATE waits for the key-share lock of a
    buyer who has written a cart line for the variant. The buyer then locks the stock: it must
    get it (its own key-share lock lets it past the waiting seller) rather than deadlock."""
    if backend != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time")
    token_a, store_a, amplang = market["a"]

    def the_change_waits(_editing):
        assert _until_someone_waits_on_a_lock(app), "the SKU change did not wait for the buyer's cart line"

    bought, edited = _seller_acts_while_a_buyer_is_held(
        app, monkeypatch, _variant(amplang),
        lambda: ApiClient(app).call("PATCH", f"/api/v1/stores/{store_a['id']}/variants/{_variant(amplang)}",
                                    token=token_a, json={"sku": "AMP-250-BARU"}),
        the_change_waits,
    )
    assert bought.status_code == 201, bought.json
    assert edited.status_code == 200, edited.json
    assert edited.json["sku"] == "AMP-250-BARU"


def test_a_buyer_who_waited_for_the_stock_lock_sees_what_the_holder_took(app, api, market, backend, monkeypatch):
    """The second buyer asks while the first holds the lock with five units reserved but not
    committed. When the lock comes, the count must include the first buyer's units. That is
    why the lock and the count are two statements: one statement reads with the snapshot from
    before its wait for the lock, and would sell the units twice (tried: it does)."""
    if backend != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time")

    _, _, amplang = market["a"]  # 10 in stock: one client may hold 5 of them
    holding, release = threading.Event(), threading.Event()
    real_insert = reservations.insert_rows

    def insert_then_hold(session, model, rows):
        real_insert(session, model, rows)
        if model is Reservation and not holding.is_set():
            holding.set()
            assert release.wait(20)

    def buyer(address: str, quantity: int):
        return ApiClient(app).call("POST", "/api/v1/checkouts", environ_base={"REMOTE_ADDR": address},
                                   json={"lines": [{"variant_id": _variant(amplang), "quantity": quantity}]})

    monkeypatch.setattr(reservations, "insert_rows", insert_then_hold)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(buyer, "10.1.0.1", 5)
        assert holding.wait(20)
        second = pool.submit(buyer, "10.1.0.2", 6)
        try:
            assert _until_someone_waits_on_a_lock(app), "the second buyer never waited for the stock lock"
        finally:
            release.set()
        answers = first.result(timeout=30), second.result(timeout=30)
    monkeypatch.undo()
    assert answers[0].status_code == 201, answers[0].json
    assert answers[0].json["lines"][0]["reserved"] == 5
    assert answers[1].status_code == 409, answers[1].json
    assert answers[1].json["lines"][0]["available"] == 5
    assert available(api, amplang) == 5


def test_idempotency_replays_and_refuses_other_bodies(api, market):
    _, _, amplang = market["a"]
    checkout = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": _variant(amplang), "quantity": 1}]}).json
    fill(api, checkout["id"])
    first = complete(api, checkout["id"], key="abc-12345678")
    replay = complete(api, checkout["id"], key="abc-12345678")
    assert first.status_code == replay.status_code == 201
    assert first.json == replay.json
    other_body = complete(api, checkout["id"], key="abc-12345678", body={"note": "lain"})
    assert other_body.status_code == 422
    assert other_body.json["errors"][0]["field"] == "Idempotency-Key"
    again = complete(api, checkout["id"], key="kunci-lain-999")
    assert again.status_code == 200
    assert [o["id"] for o in again.json["orders"]] == [o["id"] for o in first.json["orders"]]
    assert again.json["orders"][0]["token"] is None
    missing = api.call("POST", f"/api/v1/checkouts/{checkout['id']}/complete", json={})
    assert missing.status_code == 422 and missing.json["errors"][0]["field"] == "Idempotency-Key"
    assert available(api, amplang) == 9


def test_incomplete_checkout_cannot_complete(api, market):
    _, _, amplang = market["a"]
    checkout = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": _variant(amplang), "quantity": 1}]}).json
    response = complete(api, checkout["id"])
    assert response.status_code == 422
    assert {e["field"] for e in response.json["errors"]} >= {"email", "name", "phone", "payment_method", "shipping_address"}


def test_bank_transfer_awaits_payment_seller_confirms(api, market):
    token_a, store_a, amplang = market["a"]
    checkout = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": _variant(amplang), "quantity": 2}]}).json
    fill(api, checkout["id"], payment_method="bank_transfer")
    order = complete(api, checkout["id"]).json["orders"][0]
    assert order["status"] == "awaiting_payment"
    payment = order["payment"]
    assert order["total"] < payment["amount"] <= order["total"] + 999
    assert payment["instructions"]["amount"] == payment["amount"] and payment["due_at"]
    response = api.call("POST", f"/api/v1/stores/{store_a['id']}/orders/{order['id']}/payment", token=token_a, json={})
    assert response.status_code == 200
    assert response.json["status"] == "paid" and response.json["payment_status"] == "paid"
    assert [h["to"] for h in response.json["history"]] == ["awaiting_payment", "paid"]


def test_unpaid_transfer_expires_and_its_stock_returns(app, api, market):
    token_a, store_a, amplang = market["a"]
    checkout = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": _variant(amplang), "quantity": 4}]}).json
    fill(api, checkout["id"], payment_method="bank_transfer")
    order = complete(api, checkout["id"]).json["orders"][0]
    assert available(api, amplang) == 6
    with app.extensions["smartcity"].session_factory() as session:
        from commerce.inventory.models import Allocation

        past = utcnow() - timedelta(minutes=1)
        session.execute(update(Order).values(payment_due_at=past))
        session.execute(update(Allocation).values(expires_at=past))
        session.commit()
    assert available(api, amplang) == 10
    response = api.call("POST", f"/api/v1/stores/{store_a['id']}/orders/{order['id']}/payment", token=token_a, json={})
    assert response.status_code == 409
    detail = api.call("GET", f"/api/v1/stores/{store_a['id']}/orders/{order['id']}", token=token_a).json
    assert detail["status"] == "expired"
    assert detail["history"][-1]["actor"] == "system"


def test_two_orders_of_one_completion_never_ask_for_the_same_transfer_amount(app, api, monkeypatch):
    """Two stores without their own account both take transfers on the city's account; with
    equal totals and the first free unique code picked, the second order must get another."""
    products = []
    for name in ("Toko Satu", "Toko Dua"):
        token, store = api.seller_with_store()
        products.append(api.add_product(token, store["id"], name=f"Amplang {name}", variants=[
            {"sku": "AMP", "name": "250 g", "price": 35000, "stock": 5}]))
    provider = app.extensions["smartcity"].payment_providers["bank_transfer"]
    monkeypatch.setattr(provider._random, "choice", lambda free: free[0])
    checkout = api.call("POST", "/api/v1/checkouts", json={"lines": [
        {"variant_id": _variant(p), "quantity": 1} for p in products]}).json
    pickup = {str(line["store_id"]): "pickup" for line in checkout["lines"]}
    fill(api, checkout["id"], payment_method="bank_transfer", delivery=pickup)
    orders = complete(api, checkout["id"]).json["orders"]
    assert [o["total"] for o in orders] == [35000, 35000]
    amounts = [o["payment"]["amount"] for o in orders]
    assert sorted(amounts) == [35001, 35002]


def _pickup_transfer_checkout(api, product, quantity=1):
    checkout = api.call("POST", "/api/v1/checkouts", json={"lines": [
        {"variant_id": _variant(product), "quantity": quantity}]}).json
    fill(api, checkout["id"], payment_method="bank_transfer",
         delivery={str(line["store_id"]): "pickup" for line in checkout["lines"]})
    return checkout["id"]


def test_two_completions_at_the_same_moment_never_ask_for_the_same_transfer_amount(app, api, backend, monkeypatch):
    """Both choose their unique code before either has committed. The database refuses the
    second one's amount (it waits for the first to commit), and that completion chooses again."""
    if backend != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time: the two cannot interleave")

    products = []
    for name in ("Toko Tiga", "Toko Empat"):  # both take transfers on the city's account
        token, store = api.seller_with_store()
        products.append(api.add_product(token, store["id"], name=f"Amplang {name}", variants=[
            {"sku": "AMP", "name": "250 g", "price": 35000, "stock": 5}]))
    checkouts = [_pickup_transfer_checkout(api, p) for p in products]
    provider = app.extensions["smartcity"].payment_providers["bank_transfer"]
    monkeypatch.setattr(provider._random, "choice", lambda free: free[0])  # both want Rp35.001

    first_in, guard = [], threading.Lock()
    real_lock = completion.lock_stock

    def second_waits_on_our_amount(session, variants):
        with guard:
            first = not first_in
            first_in.append(True)
        if first:  # our payment is written: hold the transaction open until the other waits on it
            assert _until_someone_waits_on_a_lock(app), "the second completion never waited for the first one's amount"
        real_lock(session, variants)

    monkeypatch.setattr(completion, "lock_stock", second_waits_on_our_amount)
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda i: complete(ApiClient(app), checkouts[i], key=f"kunci-transfer-{i}-123"),
                                range(2)))
    assert [a.status_code for a in answers] == [201, 201], [a.json for a in answers]
    amounts = sorted(a.json["orders"][0]["payment"]["amount"] for a in answers)
    assert amounts == [35001, 35002]
    instructions = sorted(a.json["orders"][0]["payment"]["instructions"]["amount"] for a in answers)
    assert instructions == amounts


def test_an_account_with_every_code_taken_refuses_a_transfer_clearly(app, api, market):
    """999 pending transfers around one total on the city's account: the next is refused with
    a 409 that says what to do, and nothing of it is written."""
    from commerce.orders.models import Payment

    token_a, store_a, amplang = market["a"]
    paid_before = _pickup_transfer_checkout(api, amplang)
    order = complete(api, paid_before).json["orders"][0]
    account = order["payment"]["instructions"]["account_number"]
    with app.extensions["smartcity"].session_factory() as session:
        session.execute(update(Payment).where(Payment.order_id == order["id"]).values(status="cancelled"))
        session.add_all(Payment(order_id=order["id"], method="bank_transfer", status="pending", amount=35000 + code,
                                reference=account, instructions_json="{}", created_at=utcnow())
                        for code in range(1, 1000))
        session.commit()
    checkout_id = _pickup_transfer_checkout(api, amplang)
    response = complete(api, checkout_id, key="kunci-penuh-12345")
    assert response.status_code == 409, response.json
    assert "metode pembayaran lain" in response.json["detail"]
    assert api.call("GET", f"/api/v1/checkouts/{checkout_id}").json["completed"] is False
    again = fill(api, checkout_id, payment_method="cod")
    assert again["payment_method"] == "cod"
    assert complete(api, checkout_id, key="kunci-penuh-12345").status_code == 201


def test_a_transfer_confirmed_as_its_deadline_passes_never_keeps_units_sold_since(app, api, market, backend, monkeypatch):
    """The seller's confirmation starts before the deadline; by the time it locks the stock,
    the deadline has passed and another buyer has taken the units. The order must expire."""
    if backend != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time: the two cannot interleave")
    from commerce.inventory.models import Allocation
    from commerce.orders import services as orders

    token_b, store_b, sarung = market["b"]  # 2 units in stock
    first = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": _variant(sarung), "quantity": 2}]}).json
    fill(api, first["id"], payment_method="bank_transfer")
    order = complete(api, first["id"]).json["orders"][0]
    deadline = utcnow() + timedelta(seconds=1.5)
    with app.extensions["smartcity"].session_factory() as session:
        session.execute(update(Order).where(Order.id == order["id"]).values(payment_due_at=deadline))
        session.execute(update(Allocation).where(Allocation.order_id == order["id"]).values(expires_at=deadline))
        session.commit()

    paused, go = threading.Event(), threading.Event()
    real_lock = orders.lock_variants

    def lock_later(session, variant_ids):
        paused.set()
        assert go.wait(20)
        return real_lock(session, variant_ids)

    monkeypatch.setattr(orders, "lock_variants", lock_later)
    with ThreadPoolExecutor(1) as pool:
        confirming = pool.submit(lambda: ApiClient(app).call(
            "POST", f"/api/v1/stores/{store_b['id']}/orders/{order['id']}/payment", token=token_b, json={}))
        assert paused.wait(20)
        while utcnow() <= deadline:
            threading.Event().wait(0.05)
        second = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": _variant(sarung), "quantity": 2}]})
        assert second.status_code == 201, second.json
        fill(api, second.json["id"])
        assert complete(api, second.json["id"], key="kunci-kedua-123").status_code == 201
        go.set()
        answer = confirming.result(timeout=30)
    monkeypatch.undo()
    assert answer.status_code == 409, answer.json
    detail = api.call("GET", f"/api/v1/stores/{store_b['id']}/orders/{order['id']}", token=token_b).json
    assert detail["status"] == "expired" and detail["payment_status"] != "paid"
    assert available(api, sarung) == 0


def test_custom_delivery_fees(api, market):
    token_a, store_a, amplang = market["a"]
    response = api.call("PUT", f"/api/v1/stores/{store_a['id']}/delivery-fees", token=token_a,
                        json={"fees": {"Samarinda Ulu": 7000, "64.72.01": 25000}})
    assert response.status_code == 200
    assert response.json["fees"]["64.72.03"] == 7000 and response.json["fees"]["64.72.01"] == 25000
    checkout = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": _variant(amplang), "quantity": 1}]}).json
    filled = fill(api, checkout["id"])
    assert filled["totals"]["delivery"] == 7000
    bad = api.call("PUT", f"/api/v1/stores/{store_a['id']}/delivery-fees", token=token_a, json={"fees": {"Jakarta": 1}})
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "fees.Jakarta"
