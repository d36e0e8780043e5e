"""The hoarding attack, as it was found against ``make run``, scripted against a real
multi-worker server (gunicorn, 4 workers) on SQLite and PostgreSQL, with the production rate
limiter (Redis) and one trusted proxy in front.

The attack: anonymous checkouts of 50 lines each, every quantity what is available, to hold the
whole catalogue; then changing the lines again and again to keep the holds. Afterwards an
ordinary buyer must still be able to buy every product that has stock, and the seller's counter
must still sell. Then the same from many addresses at once (what a botnet, or one IPv6 /48,
would do): the policy's global cap must still leave every product buyable.

The same server's access log is then searched for every checkout id and order token the test
saw: none may be in it.
"""

from __future__ import annotations

import secrets
from math import ceil

import pytest
import requests
from sqlalchemy import func, select

from commerce.catalog.models import Variant
from commerce.db import make_engine, make_session_factory, utcnow
from commerce.inventory.models import Allocation, Reservation
from tests.conftest import missing_component, wipe
from tests.live import LiveServer, approved_seller

pytestmark = pytest.mark.slow

REDIS = "redis://127.0.0.1:6379/0"
STOCKS = (1, 1, 2, 3, 5, 8, 10, 20, 50, 120) * 6  # 60 variants, 1,314 units
BUYER = {"email": "pembeli@contoh.id", "phone": "0813 4700 1122", "name": "Pembeli Biasa",
         "shipping_address": {"street": "Jl. Gatot Subroto 3", "kecamatan": "Sungai Pinang",
                              "kelurahan": "Temindung Permai"},
         "payment_method": "cod"}


def _redis_reachable() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        missing_component(f"Redis not reachable at {REDIS} (the rate limiter's production storage): {error}")


@pytest.fixture(scope="module")
def live(database_url, tmp_path_factory):
    """A live server with the production limits, shared by this module's tests."""
    _redis_reachable()
    workdir = tmp_path_factory.mktemp("hoarding")
    server = LiveServer(database_url, workdir, env={
        "SMARTCITY_RATELIMIT_ENABLED": "1",
        "SMARTCITY_RATELIMIT_STORAGE": REDIS,
        "SMARTCITY_RATELIMIT_KEY_PREFIX": f"test-hoarding-{secrets.token_hex(4)}",
        "SMARTCITY_PROXY_HOPS": "1",
        "SMARTCITY_PUBLIC_CACHE_SECONDS": "0",
    }).start()
    try:
        yield server, database_url, []  # the list: every checkout id and order token the tests were given
    finally:
        server.kill()
        wipe(database_url)


@pytest.fixture
def shop(live):
    """A store of 60 variants of its own for each test, on the shared server."""
    server, database_url, seen = live
    return server, _market(server, database_url), seen


def _market(server: LiveServer, database_url: str) -> dict:
    http = requests.Session()
    http.headers["X-Forwarded-For"] = f"10.20.0.{secrets.randbelow(250) + 1}"  # the seller's own address
    token, store = approved_seller(server, http, database_url)
    auth = {"Authorization": f"Bearer {token}"}
    variants = {}
    for part in range(3):
        product = http.post(server.url(f"/api/v1/stores/{store['id']}/products"), headers=auth, json={
            "name": f"Amplang Bagian {part}", "category": "kue-camilan",
            "variants": [{"sku": f"P{part}-V{i}", "name": f"Varian {i}", "price": 15000, "stock": stock}
                         for i, stock in enumerate(STOCKS[part * 20:(part + 1) * 20])]})
        product.raise_for_status()
        variants |= {v["id"]: v["stock"] for v in product.json()["variants"]}
    return {"seller": token, "seller_address": http.headers["X-Forwarded-For"], "store": store["id"],
            "stock": variants, "database_url": database_url}


def _from(address: str) -> requests.Session:
    http = requests.Session()
    http.headers["X-Forwarded-For"] = address  # what the trusted proxy says the client is
    return http


def _available(server, http: requests.Session, store_id: int) -> dict[int, int]:
    available = {}
    for item in http.get(server.url("/api/v1/products"), params={"limit": 50, "store": store_id}).json()["items"]:
        detail = http.get(server.url(f"/api/v1/products/{item['id']}")).json()
        available |= {v["id"]: v["available"] for v in detail["variants"]}
    return available


def _grab_everything(server, http: requests.Session, store_id: int, seen: list[str]) -> list[requests.Response]:
    """Six checkouts of 50 lines, each quantity what is available at that moment."""
    answers = []
    for attempt in range(6):
        available = _available(server, http, store_id)
        lines = [{"variant_id": v, "quantity": q} for v, q in sorted(available.items()) if q > 0]
        lines = lines[(attempt * 10) % len(lines):][:50] or lines[:50]
        answer = http.post(server.url("/api/v1/checkouts"), json={"lines": lines})
        answers.append(answer)
        if answer.status_code == 201:
            seen.append(answer.json()["id"])
    return answers


def _holds(shop: dict) -> dict[str, dict]:
    """Of this shop's variants: live reservations per variant, per client key and per (client
    key, variant), and the units not promised to an order."""
    ids = list(shop["stock"])
    with make_session_factory(make_engine(shop["database_url"]))() as session:
        rows = session.execute(select(Reservation.variant_id, Reservation.client_key, func.sum(Reservation.quantity))
                               .where(Reservation.reserved_until > utcnow(), Reservation.variant_id.in_(ids))
                               .group_by(Reservation.variant_id, Reservation.client_key)).all()
        unsold = {v: stock - allocated for v, stock, allocated in session.execute(
            select(Variant.id, Variant.stock, func.coalesce(func.sum(Allocation.quantity), 0))
            .outerjoin(Allocation, Allocation.variant_id == Variant.id).where(Variant.id.in_(ids))
            .group_by(Variant.id, Variant.stock))}
    per_variant, per_client, per_client_variant = {}, {}, {}
    for variant_id, client, quantity in rows:
        per_variant[variant_id] = per_variant.get(variant_id, 0) + quantity
        per_client[client] = per_client.get(client, 0) + quantity
        per_client_variant[client, variant_id] = quantity
    return {"variant": per_variant, "client": per_client, "client_variant": per_client_variant, "unsold": unsold}


def _within_policy(holds: dict, stock: dict[int, int]) -> None:
    for variant_id, units in holds["variant"].items():
        assert units <= stock[variant_id] * 80 // 100, (variant_id, units, stock[variant_id])
    for client, units in holds["client"].items():
        assert units <= 100, (client, units)
    for (client, variant_id), units in holds["client_variant"].items():
        assert units <= ceil(stock[variant_id] / 2), (client, variant_id, units)


def _ordinary_buyer_buys_one_of_everything(server, shop: dict, seen: list[str], address: str) -> int:
    """Every variant that has unsold units, one each, in checkouts of up to 50 lines."""
    http = _from(address)
    unsold = _holds(shop)["unsold"]
    wanted = sorted(v for v, units in unsold.items() if units > 0)
    assert wanted, "nothing left to buy: the test is not testing anything"
    for chunk in (wanted[:50], wanted[50:]):
        if not chunk:
            continue
        started = http.post(server.url("/api/v1/checkouts"), json={"lines": [{"variant_id": v, "quantity": 1} for v in chunk]})
        assert started.status_code == 201, started.json()
        checkout = started.json()["id"]
        seen.append(checkout)
        assert http.patch(server.url(f"/api/v1/checkouts/{checkout}"), json=BUYER).status_code == 200
        done = http.post(server.url(f"/api/v1/checkouts/{checkout}/complete"), json={},
                         headers={"Idempotency-Key": secrets.token_hex(16)})
        assert done.status_code == 201, done.json()
        seen.extend(order["token"] for order in done.json()["orders"])
    return len(wanted)


def _counter_sells(server, shop: dict) -> None:
    """The seller sells, at the counter, every unit of the most-held variant not promised to an order."""
    holds = _holds(shop)
    variant_id = max(holds["variant"], key=holds["variant"].get)
    sale = _from(shop["seller_address"]).post(server.url(f"/api/v1/stores/{shop['store']}/pos-sales"),
                                   headers={"Authorization": f"Bearer {shop['seller']}"},
                                   json={"lines": [{"variant_id": variant_id, "quantity": holds["unsold"][variant_id]}],
                                         "payment": "cash"})
    assert sale.status_code == 201, sale.json()


def test_one_address_cannot_hold_the_catalogue(shop):
    server, market, seen = shop
    attacker = _from("203.0.113.66")
    answers = _grab_everything(server, attacker, market["store"], seen)
    assert all(a.status_code == 201 for a in answers), [a.json() for a in answers]
    # keeping the holds by changing the lines again and again
    for checkout in [a.json()["id"] for a in answers]:
        lines = attacker.get(server.url(f"/api/v1/checkouts/{checkout}")).json()["lines"]
        renewed = attacker.patch(server.url(f"/api/v1/checkouts/{checkout}"),
                                 json={"lines": [{"variant_id": l["variant_id"], "quantity": l["quantity"]} for l in lines]})
        assert renewed.status_code in (200, 409), renewed.json()
    # and more carts: the rate limit stops them (10 a minute per address)
    more = [attacker.post(server.url("/api/v1/checkouts"), json={"lines": [{"variant_id": min(market["stock"]), "quantity": 1}]})
            for _ in range(6)]
    refused = [a for a in more if a.status_code == 429]
    assert refused and refused[0].headers["Content-Type"].startswith("application/problem+json")
    assert int(refused[0].headers["Retry-After"]) > 0
    seen.extend(a.json()["id"] for a in more if a.status_code == 201)

    holds = _holds(market)
    _within_policy(holds, market["stock"])
    assert 0 < sum(holds["variant"].values()) <= 100  # one client: at most 100 units in all
    bought = _ordinary_buyer_buys_one_of_everything(server, market, seen, "198.51.100.7")
    assert bought == len(market["stock"])  # the attack left every single product buyable
    _counter_sells(server, market)


def test_many_addresses_cannot_hold_the_catalogue_either(shop):
    server, market, seen = shop
    for n in range(40):
        _grab_everything(server, _from(f"203.0.113.{100 + n}"), market["store"], seen)
    holds = _holds(market)
    _within_policy(holds, market["stock"])
    assert len(holds["client"]) >= 10  # the attack did spread over many clients
    # ... and got far more than one address could: without the global cap it would hold it all
    assert sum(holds["variant"].values()) > 500
    bought = _ordinary_buyer_buys_one_of_everything(server, market, seen, "198.51.100.8")
    assert bought == len(market["stock"])
    _counter_sells(server, market)


def test_the_access_log_holds_no_checkout_id_or_order_token(shop):
    server, market, seen = shop
    http = _from("198.51.100.9")
    # one more journey that also tracks its order by token, as a shopper's link does
    variant_id = max(market["stock"], key=market["stock"].get)
    started = http.post(server.url("/api/v1/checkouts"), json={"lines": [{"variant_id": variant_id, "quantity": 1}]}).json()
    http.patch(server.url(f"/api/v1/checkouts/{started['id']}"), json=BUYER)
    done = http.post(server.url(f"/api/v1/checkouts/{started['id']}/complete"), json={},
                     headers={"Idempotency-Key": secrets.token_hex(16)}).json()
    order = done["orders"][0]
    assert http.get(server.url(f"/api/v1/orders/{order['id']}"), params={"token": order["token"]}).status_code == 200
    seen.extend([started["id"], order["token"]])

    log = server.output(whole=True)
    assert "/api/v1/checkouts/…/complete" in log  # the log is there, and it logs checkouts
    leaked = [secret for secret in seen if secret in log]
    assert not leaked, f"{len(leaked)} checkout ids or order tokens in the access log"
