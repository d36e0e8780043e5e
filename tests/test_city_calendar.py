"""The city's calendar: order and receipt numbers, daily summaries and the times people read
are in WITA (Asia/Makassar, UTC+8), whatever the date is in UTC."""

from __future__ import annotations

from datetime import date, datetime, timezone

from commerce.accounts.models import User
from commerce.calendar import city_date, day_code
from commerce.checkout.completion import complete_checkout
from commerce.inventory.management import LineRequest
from commerce.pos.services import daily_summary, record_sale
from commerce.stores.models import Store
from commerce.unit_of_work import UnitOfWork
from tests.test_checkout import fill

# 01:36 WITA on 5 December is still 4 December in UTC.
NIGHT = datetime(2026, 12, 4, 17, 36, tzinfo=timezone.utc)


def test_the_city_date_is_the_wita_date():
    assert city_date(NIGHT) == date(2026, 12, 5)
    assert day_code(NIGHT) == "261205"
    assert day_code(datetime(2026, 12, 4, 15, 59, tzinfo=timezone.utc)) == "261204"  # 23:59 WITA


def test_an_order_and_a_sale_of_the_same_night_carry_the_same_wita_date(app, api):
    seller, store = api.seller_with_store()
    product = api.add_product(seller, store["id"])
    variant_id = product["variants"][0]["id"]
    wiring = app.extensions["smartcity"]
    started = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": variant_id, "quantity": 1}]})
    fill(api, started.json["id"])
    with UnitOfWork(wiring.session_factory) as uow:
        _, answer = complete_checkout(
            uow, started.json["id"], idempotency_key="kunci-malam-hari", body={}, providers=wiring.payment_providers,
            render=lambda placed, _first: (201, {"numbers": [p.order.number for p in placed]}), now=NIGHT)
    assert answer["numbers"][0].startswith("BHB-261205-"), answer
    with UnitOfWork(wiring.session_factory) as uow:
        shop = uow.session.get(Store, store["id"])
        cashier = uow.session.get(User, shop.owner_id)
        sale = record_sale(uow, shop, lines=[LineRequest(variant_id, 1)], payment="cash", cashier=cashier, now=NIGHT).sale
        assert sale.receipt_number.split("-")[2] == "261205"
        assert daily_summary(uow, shop, date(2026, 12, 5))["sales"] == 1
        assert daily_summary(uow, shop, date(2026, 12, 4))["sales"] == 0
    # and the order's times are given with the city's offset
    order = api.call("GET", f"/api/v1/stores/{store['id']}/orders", token=seller).json["items"][0]
    assert order["created_at"].endswith("+08:00") and order["created_at"].startswith("2026-12-05T01:36")
