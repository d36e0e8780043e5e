"""What open carts may hold (commerce/inventory/reservations.py), rule by rule, through the API.

Every client here has its own address (``REMOTE_ADDR``), as real shoppers would; the live
attack on a multi-worker server is in tests/test_hoarding.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from commerce.checkout import services as checkouts
from commerce.db import utcnow
from commerce.inventory.management import LineRequest
from commerce.inventory.models import Reservation
from commerce.inventory.reservations import Holder, HoldPolicy
from commerce.unit_of_work import UnitOfWork
from tests.test_checkout import ADDRESS


@pytest.fixture
def variants(api):
    """One approved store; variants with 1, 2, 10, 300 and 1,000 units, by their stock."""
    token, store = api.seller_with_store()
    product = api.add_product(token, store["id"], name="Amplang Ikan Pipih", variants=[
        {"sku": f"AMP-{stock}", "name": f"{stock} unit", "price": 20000, "stock": stock} for stock in (1, 2, 10, 300, 1000)])
    return {v["stock"]: v["id"] for v in product["variants"]} | {"seller": token, "store": store["id"]}


def start(api, lines: dict[int, int], *, address: str, token: str | None = None):
    return api.call("POST", "/api/v1/checkouts", token=token, environ_base={"REMOTE_ADDR": address},
                    json={"lines": [{"variant_id": v, "quantity": q} for v, q in lines.items()]})


def held(api, variant_id: int) -> int:
    with api.app.extensions["smartcity"].session_factory() as session:
        return session.scalar(select(func.coalesce(func.sum(Reservation.quantity), 0)).where(
            Reservation.variant_id == variant_id, Reservation.reserved_until > utcnow()))


def reserved(answer) -> dict[int, int]:
    return {line["variant_id"]: line["reserved"] for line in answer.json["lines"]}


def test_carts_together_hold_at_most_80_percent_and_the_rest_goes_to_whoever_pays(api, variants):
    ten = variants[10]
    answers = [start(api, {ten: 5}, address=f"10.2.0.{i}") for i in range(1, 4)]
    assert [a.status_code for a in answers] == [201, 201, 409]  # 10 in stock: the third asks for more than is left
    assert [reserved(a)[ten] for a in answers[:2]] == [5, 3]  # 8 of 10 held, the second cart in part
    assert held(api, ten) == 8
    # The 2 units nobody can hold are sold to whoever completes first.
    late = start(api, {ten: 2}, address="10.2.0.9")
    assert late.status_code == 201 and reserved(late)[ten] == 0
    fill_and_complete = _complete(api, late.json["id"])
    assert fill_and_complete.status_code == 201, fill_and_complete.json
    # The second cart held 3 of its 5: with the 2 free units gone, it can only buy what it holds.
    second = _complete(api, answers[1].json["id"])
    assert second.status_code == 409 and second.json["lines"][0]["available"] == 3
    assert _complete(api, answers[0].json["id"]).status_code == 201


def test_a_single_unit_is_never_held_so_an_attacker_cannot_take_it(api, variants):
    one = variants[1]
    grabbed = start(api, {one: 1}, address="10.3.0.1")
    assert grabbed.status_code == 201 and reserved(grabbed)[one] == 0 and grabbed.json["reserved_until"] is None
    buyer = start(api, {one: 1}, address="10.3.0.2")
    assert buyer.status_code == 201
    assert _complete(api, buyer.json["id"]).status_code == 201
    assert _complete(api, grabbed.json["id"]).status_code == 409


def test_one_client_holds_at_most_half_a_variant_and_100_units_in_all(api, variants):
    two, ten, big, bigger = variants[2], variants[10], variants[300], variants[1000]
    first = start(api, {two: 2, ten: 4}, address="10.4.0.1")
    assert reserved(first) == {two: 1, ten: 4}
    # the same address in another cart: half of 10 is 5, of which it already holds 4
    again = start(api, {ten: 4}, address="10.4.0.1")
    assert reserved(again) == {ten: 1}
    # every variant together: 100 units per client, 6 of them already held
    bulk = start(api, {big: 150}, address="10.4.0.1")
    assert bulk.status_code == 201 and reserved(bulk) == {big: 94}
    # another address is another client, within the carts' 80 %
    other = start(api, {big: 150}, address="10.4.0.2")
    assert reserved(other) == {big: 100}
    # an account counts as one client from every address, and its address counts too
    token = api.new_user("Pembeli")
    by_account = start(api, {bigger: 30}, address="10.4.0.3", token=token)
    assert reserved(by_account) == {bigger: 30}
    elsewhere = start(api, {bigger: 90}, address="10.4.0.4", token=token)
    assert reserved(elsewhere) == {bigger: 70}
    from_full_address = start(api, {ten: 1}, address="10.4.0.1", token=api.new_user("Pembeli lain"))
    assert reserved(from_full_address) == {ten: 0}


def test_changing_the_lines_never_holds_beyond_the_maximum_age(app, api, variants):
    ten = variants[10]
    wiring = app.extensions["smartcity"]
    policy = HoldPolicy(ttl=timedelta(minutes=15), max_age=timedelta(minutes=30))
    holder = Holder("a" * 32)
    t0 = utcnow()
    with UnitOfWork(wiring.session_factory) as uow:
        summary = checkouts.start_checkout(uow, lines=[LineRequest(ten, 2)], holder=holder, policy=policy, now=t0)
        checkout_id = summary.checkout.id
        assert summary.reserved_until == t0 + timedelta(minutes=15)
    # renewed at 20 minutes: the hold ends at 30, not at 35
    with UnitOfWork(wiring.session_factory) as uow:
        renewed = checkouts.update_checkout(uow, checkout_id, changes={"lines": [LineRequest(ten, 3)]}, holder=holder,
                                            policy=policy, now=t0 + timedelta(minutes=20))
        assert renewed.reserved_until == t0 + timedelta(minutes=30) and renewed.reserved == {ten: 3}
    # past 30 minutes the cart keeps its lines but holds nothing
    with UnitOfWork(wiring.session_factory) as uow:
        late = checkouts.update_checkout(uow, checkout_id, changes={"lines": [LineRequest(ten, 3)]}, holder=holder,
                                         policy=policy, now=t0 + timedelta(minutes=31))
        assert late.reserved_until is None and late.reserved == {}
        assert [line.quantity for line in late.checkout.lines] == [3]


def test_the_shop_counter_is_not_held_up_by_carts(api, variants):
    ten = variants[10]
    for i in range(1, 3):
        assert start(api, {ten: 5}, address=f"10.5.0.{i}").status_code == 201  # 8 held by carts
    sale = api.call("POST", f"/api/v1/stores/{variants['store']}/pos-sales", token=variants["seller"],
                    json={"lines": [{"variant_id": ten, "quantity": 10}], "payment": "cash"})
    assert sale.status_code == 201, sale.json


def _complete(api, checkout_id: str):
    filled = api.call("PATCH", f"/api/v1/checkouts/{checkout_id}", json={
        "email": "pembeli@contoh.id", "phone": "0813 4700 1122", "name": "Rina", "shipping_address": ADDRESS,
        "payment_method": "cod"})
    assert filled.status_code == 200, filled.json
    return api.call("POST", f"/api/v1/checkouts/{checkout_id}/complete", json={},
                    headers={"Idempotency-Key": f"kunci-{checkout_id}"})
