"""A seller can only ever touch their own store's data: every write endpoint, every way in.

Two sellers, A and B, each with a store, a product with two variants, a picture and an order.
Every write route of API v1 is found from the app's url_map: ``test_every_write_route_is_covered``
fails until a new one is listed here, as store-scoped (``SELLER_ENDPOINTS``), staff-only
(``ADMIN_ENDPOINTS``) or, with the test that covers it, ``NOT_STORE_SCOPED``. For each listed
endpoint ``test_write_endpoint_keeps_the_rules`` checks that:

- seller B with a valid token on seller A's store gets 403, and so does a shopper, and so does
  the city admin except on a store's orders, which staff may handle;
- a seller using their own store id with the other seller's product, variant, picture or order
  id gets 404 (the row is not "in this store"); another store's variant in a POS sale is a 422
  naming the line;
- no token, a malformed one, a logged-out one or an expired one gets 401 with
  ``WWW-Authenticate: Bearer``;
- the admin endpoints answer 403 to every non-admin, the store's own seller included;

and that after each refused request the database and the picture storage are exactly what they
were. Each endpoint also runs once as its rightful caller, which must change something: that
keeps the "nothing changed" checks from passing vacuously.
"""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import dataclass
from typing import Callable, NamedTuple

import pytest
from sqlalchemy import select

from commerce.accounts.services import create_admin
from commerce.models import Base
from commerce.unit_of_work import UnitOfWork
from tests.helpers import PASSWORD, png_bytes, wrong_token

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
PROBLEM = "application/problem+json"
_sku = itertools.count(1)


# --- helpers shared with tests/test_bad_input.py ------------------------------------------


def snapshot(app) -> dict:
    """Every row of every table, and every file in picture storage: what "nothing changed"
    compares."""
    wiring = app.extensions["smartcity"]
    state = {}
    with wiring.session_factory() as session:
        for table in Base.metadata.sorted_tables:
            query = select(table).order_by(*table.primary_key.columns)
            state[table.name] = [tuple(row) for row in session.execute(query)]
    root = getattr(wiring.storage, "root", None)
    files = root.rglob("*") if root and root.exists() else []
    state["storage"] = sorted(str(p.relative_to(root)) for p in files if p.is_file())
    return state


def assert_problem(response, status: int, *, field: str | None = None) -> dict:
    """An RFC 9457 problem with this status; with ``field``, one of its errors names it."""
    text = response.get_data(as_text=True)
    assert response.status_code == status, text
    assert response.mimetype == PROBLEM, text
    body = response.get_json()
    assert {"type", "title", "status", "detail"} <= set(body), body
    assert body["status"] == status and body["title"] and body["detail"], body
    if field is not None:
        fields = [e["field"] for e in body.get("errors") or []]
        assert field in fields, f"expected an error naming {field!r}, got {body}"
        assert all(e["message"] for e in body["errors"]), body
    return body


def assert_unauthenticated(response) -> None:
    assert_problem(response, 401)
    assert response.headers.get("WWW-Authenticate", "").startswith("Bearer"), dict(response.headers)


# --- the world: two sellers, an admin, a shopper --------------------------------------------


@dataclass
class Seller:
    token: str
    ids: dict  # store_id, product_id, variant_id, image_id: path parameters of this seller's rows
    revoked_token: str = ""
    expired_token: str = ""


@dataclass
class World:
    a: Seller
    b: Seller
    admin: str
    revoked_admin: str
    shopper: str
    pending_store_id: int  # seller A's second store, still waiting for approval


def _logged_out_token(api, email: str) -> str:
    token = api.login(email)
    assert api.call("POST", "/api/v1/auth/logout", token=token).status_code == 204
    return token


ADDRESS = {"street": "Jl. Pangeran Antasari No. 12", "kecamatan": "Samarinda Ulu", "kelurahan": "Air Hitam"}


def place_order(api, variant_id: int, *, token: str | None = None, payment: str = "cod") -> dict:
    """A shopper's order of one unit, through the public checkout."""
    started = api.call("POST", "/api/v1/checkouts", token=token,
                       json={"lines": [{"variant_id": variant_id, "quantity": 1}]})
    assert started.status_code == 201, started.json
    checkout = f"/api/v1/checkouts/{started.json['id']}"
    filled = api.call("PATCH", checkout, token=token, json={"email": "pembeli@contoh.id", "phone": "0813 4700 1122",
                                                            "name": "Rina", "shipping_address": ADDRESS,
                                                            "payment_method": payment})
    assert filled.status_code == 200, filled.json
    done = api.call("POST", f"{checkout}/complete", json={}, token=token,
                    headers={"Idempotency-Key": f"kunci-{started.json['id']}"})
    assert done.status_code == 201, done.json
    return done.json["orders"][0]


def _seller(api, expired_app, colour) -> Seller:
    email = api.register(name="Penjual")
    token = api.login(email)
    store = api.open_store(token)
    api.approve(store["id"])
    product = api.add_product(token, store["id"], variants=[
        {"sku": f"OWN-{next(_sku)}", "name": "Kecil", "price": 15000, "stock": 4},
        {"sku": f"OWN-{next(_sku)}", "name": "Besar", "price": 25000, "stock": 2},
    ])
    upload = api.call("POST", f"/api/v1/stores/{store['id']}/products/{product['id']}/images", token=token,
                      data={"file": (io.BytesIO(png_bytes(colour=colour)), "foto.png")},
                      content_type="multipart/form-data")
    assert upload.status_code == 201, upload.json
    expired = expired_app.test_client().post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert expired.status_code == 200 and expired.json["expires_in"] == 0
    variant_id = product["variants"][0]["id"]
    order = place_order(api, variant_id)  # cash on delivery: "processing", ready to ship or be paid
    sale = api.call("POST", f"/api/v1/stores/{store['id']}/pos-sales", token=token,
                    json={"lines": [{"variant_id": product["variants"][1]["id"], "quantity": 1}], "payment": "cash"})
    assert sale.status_code == 201, sale.json
    return Seller(
        token=token,
        ids={"store_id": store["id"], "product_id": product["id"], "variant_id": variant_id,
             "image_id": upload.json["id"], "order_id": order["id"], "sale_id": sale.json["id"]},
        revoked_token=_logged_out_token(api, email),
        expired_token=expired.json["access_token"],
    )


@pytest.fixture
def world(api, make_app) -> World:
    # Tokens this app issues expire the moment they are issued; the same database serves both.
    expired_app = make_app(token_ttl_hours=0)
    a = _seller(api, expired_app, (200, 40, 40))
    b = _seller(api, expired_app, (40, 40, 200))
    pending = api.open_store(a.token, name="Toko Kedua A")
    admin_email = "petugas@samarindakota.go.id"
    with UnitOfWork(api.app.extensions["smartcity"].session_factory) as uow:
        create_admin(uow, email=admin_email, password=PASSWORD)
    return World(
        a=a, b=b,
        admin=api.login(admin_email),
        revoked_admin=_logged_out_token(api, admin_email),
        shopper=api.new_user("Pembeli"),
        pending_store_id=pending["id"],
    )


# --- the write endpoints --------------------------------------------------------------------


def _json(body: dict) -> Callable[[dict], dict]:
    return lambda ids: {"json": body}


def _no_body(ids: dict) -> dict:
    return {}


def _new_product(ids: dict) -> dict:
    return {"json": {"name": "Produk Baru", "description": "", "category": "kerajinan",
                     "variants": [{"sku": f"NEW-{next(_sku)}", "name": "Satu", "price": 50000, "stock": 1}]}}


def _new_variant(ids: dict) -> dict:
    return {"json": {"sku": f"NEW-{next(_sku)}", "name": "Sedang", "price": 20000, "stock": 3}}


def _new_image(ids: dict) -> dict:
    return {"data": {"file": (io.BytesIO(png_bytes(colour=(10, 160, 90))), "baru.png"), "alt": "baru"},
            "content_type": "multipart/form-data"}


def _pos_sale(ids: dict) -> dict:
    return {"json": {"lines": [{"variant_id": ids["variant_id"], "quantity": 1}], "payment": "cash"}}


class Endpoint(NamedTuple):
    method: str
    rule: str  # as in app.url_map, converters left out
    request: Callable[[dict], dict]  # ids -> keyword arguments of a request the rightful caller may make
    admin: bool = False  # city staff only
    staff_too: bool = False  # the owner or city staff (who e.g. confirm a bank transfer)
    body_ids: tuple[str, ...] = ()  # ids the body carries rather than the path
    body_id_field: str | None = None  # another store's id in the body: 422 naming this field

    @property
    def id(self) -> str:
        return f"{self.method} {self.rule.removeprefix('/api/v1')}"

    @property
    def params(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.rule)

    def url(self, ids: dict) -> str:
        return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), self.rule)


STORE = "/api/v1/stores/<store_id>"
SELLER_ENDPOINTS = [
    Endpoint("PATCH", STORE, _json({"name": "Toko Diambil Alih", "phone": "0813 1111 2222"})),
    Endpoint("POST", f"{STORE}/products", _new_product),
    Endpoint("PATCH", f"{STORE}/products/<product_id>", _json({"name": "Diubah", "category": "jasa"})),
    Endpoint("DELETE", f"{STORE}/products/<product_id>", _no_body),
    Endpoint("POST", f"{STORE}/products/<product_id>/variants", _new_variant),
    Endpoint("PATCH", f"{STORE}/variants/<variant_id>", _json({"price": 1, "name": "Murah"})),
    Endpoint("PUT", f"{STORE}/variants/<variant_id>/stock", _json({"quantity": 999})),
    Endpoint("POST", f"{STORE}/products/<product_id>/images", _new_image),
    Endpoint("DELETE", f"{STORE}/products/<product_id>/images/<image_id>", _no_body),
    Endpoint("POST", f"{STORE}/orders/<order_id>/status", _json({"status": "shipped"}), staff_too=True),
    Endpoint("POST", f"{STORE}/orders/<order_id>/payment", _json({"note": "tunai diterima"}), staff_too=True),
    Endpoint("PUT", f"{STORE}/delivery-fees", _json({"fees": {"Palaran": 12000, "Samarinda Ulu": 0}})),
    Endpoint("POST", f"{STORE}/pos-sales", _pos_sale,
             body_ids=("variant_id",), body_id_field="lines.0.variant_id"),
    Endpoint("POST", f"{STORE}/pos-sales/<sale_id>/void", _json({"reason": "salah input jumlah"})),
]
ADMIN_ENDPOINTS = [
    Endpoint("POST", "/api/v1/admin/stores/<store_id>/approve", _no_body, admin=True),
    Endpoint("POST", "/api/v1/admin/stores/<store_id>/suspend", _no_body, admin=True),
]
ENDPOINTS = SELLER_ENDPOINTS + ADMIN_ENDPOINTS

# Writes that touch no store's existing data, each with why, and the test that covers it.
NOT_STORE_SCOPED = {
    ("POST", "/api/v1/signers"): "city staff only: test_signer_write_routes_refuse_strangers",
    ("POST", "/api/v1/signatures"): "city staff who are enrolled signers: test_signer_write_routes_refuse_strangers",
    ("POST", "/api/v1/documents"): "city staff only: test_signer_write_routes_refuse_strangers",
    ("POST", "/api/v1/documents/<document_id>/signatures"):
        "only the signer whose turn it is: test_three_signers_in_turn_with_refusals",
    ("POST", "/api/v1/verifications"): "public by design (anyone checks a letter): test_three_signers_in_turn_with_refusals",
    ("POST", "/api/v1/auth/register"): "public: creates a new account (test_bad_input covers its input)",
    ("POST", "/api/v1/auth/token"): "public: logs in (test_bad_input covers its input)",
    ("POST", "/api/v1/auth/logout"): "revokes the caller's own token: test_logout_needs_a_live_token",
    ("POST", "/api/v1/stores"):
        "creates a store owned by the caller: test_opening_a_store_cannot_take_ownership",
    ("POST", "/api/v1/checkouts"): "public: any shopper reserves any store's goods (tests/test_checkout.py)",
    ("PATCH", "/api/v1/checkouts/<checkout_id>"):
        "the unguessable checkout id is the key, and the account for one started with an account: "
        "test_a_guessed_checkout_id_reaches_nothing, test_a_checkout_started_with_an_account_is_that_accounts_alone",
    ("POST", "/api/v1/checkouts/<checkout_id>/complete"):
        "the unguessable checkout id is the key, and the account for one started with an account: "
        "test_a_guessed_checkout_id_reaches_nothing, test_a_checkout_started_with_an_account_is_that_accounts_alone",
    ("POST", "/api/v1/orders/<order_id>/status"):
        "the buyer's own order: test_only_the_buyer_moves_their_order",
    ("POST", "/api/v1/auth/session"): "public: logs in to the dashboard (tests/test_sessions.py)",
    ("DELETE", "/api/v1/auth/session"): "ends the caller's own session only: tests/test_sessions.py",
    ("POST", "/api/v1/orders/lookup"):
        "reads one order whose number and phone the caller knows, rate-limited, without email or street: "
        "tests/test_order_tracking.py",
}


def _admin_target(world: World, endpoint: Endpoint) -> dict:
    # approve a store that is pending, suspend one that is approved: both are real changes
    store_id = world.pending_store_id if endpoint.rule.endswith("/approve") else world.a.ids["store_id"]
    return {"store_id": store_id}


def _call(api, endpoint: Endpoint, ids: dict, token: str | None, **extra):
    return api.call(endpoint.method, endpoint.url(ids), token=token, **endpoint.request(ids), **extra)


def _refused(api, endpoint, ids, token, status, *, field=None, **extra):
    """Make the call, expect a problem with ``status``, and expect nothing to have changed."""
    before = snapshot(api.app)
    response = _call(api, endpoint, ids, token, **extra)
    if status == 401:
        assert_unauthenticated(response)
    else:
        assert_problem(response, status, field=field)
    assert snapshot(api.app) == before, f"{endpoint.id} changed data although it answered {status}"
    return response


def _without_converters(rule: str) -> str:
    return re.sub(r"<\w+:(\w+)>", r"<\1>", rule)


def test_every_write_route_is_covered(app):
    routes = {
        (method, _without_converters(rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods & WRITE_METHODS
    }
    covered = {(e.method, e.rule) for e in ENDPOINTS}
    assert not covered & set(NOT_STORE_SCOPED), "an endpoint is listed twice"
    missing = routes - covered - set(NOT_STORE_SCOPED)
    assert not missing, (
        f"write routes without an ownership test: {sorted(missing)}; add each to SELLER_ENDPOINTS "
        "or ADMIN_ENDPOINTS in tests/test_ownership.py (or, if it touches no store's data, to "
        "NOT_STORE_SCOPED with a test)"
    )
    stale = (covered | set(NOT_STORE_SCOPED)) - routes
    assert not stale, f"listed in tests/test_ownership.py but no longer routes: {sorted(stale)}"


def test_every_write_endpoint_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json
    documented = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method.upper() in WRITE_METHODS
    }
    for endpoint in ENDPOINTS:
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", endpoint.rule)
        assert (endpoint.method, path) in documented, endpoint.id


# --- the rules every write endpoint must keep ------------------------------------------------
# Each rule is a function of (api, world, endpoint); test_write_endpoint_keeps_the_rules runs all
# that apply to an endpoint on one world and reports every rule broken, not just the first.


def another_seller_is_forbidden(api, world, endpoint):
    a_ids = world.a.ids
    # B's own ids in the path change nothing: the store decides first.
    for ids in (a_ids, {**world.b.ids, "store_id": a_ids["store_id"]}):
        _refused(api, endpoint, ids, world.b.token, 403)


def shoppers_and_admins_are_not_owners_either(api, world, endpoint):
    # city staff may handle a store's orders, but not its catalog or its settings
    for token in (world.shopper,) if endpoint.staff_too else (world.shopper, world.admin):
        _refused(api, endpoint, world.a.ids, token, 403)


def _children(endpoint: Endpoint) -> list[str]:
    return [p for p in endpoint.params if p != "store_id"] + list(endpoint.body_ids)


def my_store_with_the_other_sellers_rows_is_refused(api, world, endpoint):
    children = _children(endpoint)
    status = 422 if endpoint.body_id_field else 404
    for me, other in ((world.b, world.a), (world.a, world.b)):
        # every mix of my and the other seller's ids below my own store, except all mine
        for owners in itertools.product((me, other), repeat=len(children)):
            if all(owner is me for owner in owners):
                continue
            ids = {"store_id": me.ids["store_id"]} | {
                name: owner.ids[name] for name, owner in zip(children, owners, strict=True)
            }
            _refused(api, endpoint, ids, me.token, status, field=endpoint.body_id_field)


def a_store_that_does_not_exist_is_not_found(api, world, endpoint):
    ids = {**world.b.ids, "store_id": 2_147_483_647}
    _refused(api, endpoint, ids, world.b.token, 404)


def without_a_live_token_it_is_401(api, world, endpoint):
    ids = _admin_target(world, endpoint) if endpoint.admin else world.a.ids
    owner = world.a
    for token in (None, "bukan-token", owner.token + "x"):
        _refused(api, endpoint, ids, token, 401)
    for header in ("Bearer ", "Bearer", f"Basic {owner.token}", owner.token, f"Token {owner.token}"):
        _refused(api, endpoint, ids, None, 401, headers={"Authorization": header})
    revoked = world.revoked_admin if endpoint.admin else owner.revoked_token
    _refused(api, endpoint, ids, revoked, 401)
    _refused(api, endpoint, ids, owner.expired_token, 401)


def only_admins_may(api, world, endpoint):
    ids = _admin_target(world, endpoint)
    # seller A owns the target store: owning it does not make them staff
    for token in (world.a.token, world.b.token, world.shopper):
        _refused(api, endpoint, ids, token, 403)


def the_owners_view_is_intact_after_refusals(api, world, endpoint):
    """Seen through the API too: after B's attempts A's store, products, orders read as before."""
    a = world.a.ids

    def a_view():
        return [api.call("GET", f"/api/v1/stores/{a['store_id']}{tail}", token=world.a.token).json
                for tail in ("", "/products", "/orders", "/delivery-fees")]

    before = a_view()
    _call(api, endpoint, a, world.b.token)
    _call(api, endpoint, {**a, "store_id": world.b.ids["store_id"]}, world.b.token)
    assert a_view() == before


def the_rightful_caller_does_change_something(api, world, endpoint):
    """The control for every rule above: the same request from the owner (or an admin) works."""
    if endpoint.admin:
        token, ids = world.admin, _admin_target(world, endpoint)
    else:
        token, ids = world.a.token, world.a.ids
    before = snapshot(api.app)
    response = _call(api, endpoint, ids, token)
    assert 200 <= response.status_code < 300, response.get_data(as_text=True)
    assert snapshot(api.app) != before, f"{endpoint.id} changed nothing even for its rightful caller"


def rules_for(endpoint: Endpoint) -> list:
    if endpoint.admin:
        rules = [without_a_live_token_it_is_401, only_admins_may]
    else:
        rules = [another_seller_is_forbidden, shoppers_and_admins_are_not_owners_either,
                 a_store_that_does_not_exist_is_not_found, without_a_live_token_it_is_401,
                 the_owners_view_is_intact_after_refusals]
        if _children(endpoint):
            rules.append(my_store_with_the_other_sellers_rows_is_refused)
    return rules + [the_rightful_caller_does_change_something]  # last: it changes data


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.id)
def test_write_endpoint_keeps_the_rules(api, world, endpoint):
    broken = []
    for rule in rules_for(endpoint):
        try:
            rule(api, world, endpoint)
        except AssertionError as error:
            broken.append(f"{rule.__name__}: {error}")
    assert not broken, f"{endpoint.id} breaks {len(broken)} rule(s):\n\n" + "\n\n".join(broken)


# Every read of a store's private side, and whether city staff may read it too (they handle
# orders, e.g. confirming a transfer; the rest is the seller's business).
PRIVATE_READS = {
    "/products": False, "/products/<product_id>": False, "/delivery-fees": False, "/pos-summary": False, "/pos-sales": False,
    "/pos-sales/<sale_id>": False, "/sales": False, "/sales.csv": False,
    "/orders": True, "/orders/<order_id>": True, "/order-counts": True,
}


def test_every_private_read_of_a_store_is_listed(app):
    reads = {_without_converters(rule.rule).removeprefix(STORE) for rule in app.url_map.iter_rules()
             if rule.rule.startswith(STORE + "/") and "GET" in rule.methods}
    assert reads == set(PRIVATE_READS), "list every GET route of a store in PRIVATE_READS (tests/test_ownership.py)"


def test_private_reads_of_a_store_are_the_owners(api, world):
    a = world.a.ids
    store = f"/api/v1/stores/{a['store_id']}"
    for rule, staff_may in PRIVATE_READS.items():
        tail = re.sub(r"<(\w+)>", lambda m: str(a[m.group(1)]), rule)
        also_refused = () if staff_may else (world.admin,)
        url = store + tail
        assert api.call("GET", url, token=world.a.token).status_code == 200, url
        for token in (world.b.token, world.shopper, *also_refused):
            assert_problem(api.call("GET", url, token=token), 403)
        assert_unauthenticated(api.call("GET", url))
        assert_unauthenticated(api.call("GET", url, token=world.a.revoked_token))
    # my own store with the other seller's order or sale
    other_order = f"/api/v1/stores/{world.b.ids['store_id']}/orders/{a['order_id']}"
    assert_problem(api.call("GET", other_order, token=world.b.token), 404)
    other_sale = f"/api/v1/stores/{world.b.ids['store_id']}/pos-sales/{a['sale_id']}"
    assert_problem(api.call("GET", other_sale, token=world.b.token), 404)

    store_url = f"/api/v1/stores/{a['store_id']}"
    assert "phone" in api.call("GET", store_url, token=world.a.token).json
    assert "phone" not in api.call("GET", store_url, token=world.b.token).json
    assert "phone" not in api.call("GET", store_url).json

    pending = f"/api/v1/stores/{world.pending_store_id}"
    assert api.call("GET", pending, token=world.a.token).status_code == 200
    assert_problem(api.call("GET", pending, token=world.b.token), 404)

    for token in (world.a.token, world.shopper):
        assert_problem(api.call("GET", "/api/v1/admin/stores", token=token), 403)
    assert_unauthenticated(api.call("GET", "/api/v1/admin/stores"))
    assert api.call("GET", "/api/v1/admin/stores", token=world.admin).status_code == 200


def test_opening_a_store_cannot_take_ownership(api, world):
    body = {"name": "Toko Baru B", "kecamatan": "Palaran", "kelurahan": "Rawa Makmur",
            "address": "Jl. Trikora", "phone": "0812 7777 8888"}
    for token in (None, "bukan-token", world.b.revoked_token, world.b.expired_token):
        before = snapshot(api.app)
        assert_unauthenticated(api.call("POST", "/api/v1/stores", token=token, json=body))
        assert snapshot(api.app) == before

    before = snapshot(api.app)
    me_a = api.call("GET", "/api/v1/me", token=world.a.token).json
    # fields a client might try to smuggle in are not the caller's to set
    smuggled = body | {"owner_id": me_a["id"], "status": "approved", "id": world.a.ids["store_id"],
                       "slug": me_a["stores"][0]["slug"]}
    response = api.call("POST", "/api/v1/stores", token=world.b.token, json=smuggled)
    assert response.status_code in (201, 422), response.json
    after_a = api.call("GET", "/api/v1/me", token=world.a.token).json
    assert after_a == me_a
    if response.status_code == 422:
        assert snapshot(api.app) == before
        return
    created = response.json
    assert created["status"] == "pending"
    assert created["id"] != world.a.ids["store_id"] and created["slug"] != me_a["stores"][0]["slug"]
    me_b = api.call("GET", "/api/v1/me", token=world.b.token).json
    assert created["owner_id"] == me_b["id"]
    assert created["id"] in [s["id"] for s in me_b["stores"]]


def test_an_owner_cannot_move_their_store_to_another_owner_or_status(api, world):
    a = world.a.ids
    me_b = api.call("GET", "/api/v1/me", token=world.b.token).json
    response = api.call("PATCH", f"/api/v1/stores/{a['store_id']}", token=world.a.token,
                        json={"owner_id": me_b["id"], "status": "pending", "id": world.b.ids["store_id"]})
    assert response.status_code in (200, 422), response.json
    store = api.call("GET", f"/api/v1/stores/{a['store_id']}", token=world.a.token).json
    assert store["owner_id"] != me_b["id"]
    assert store["status"] == "approved" and store["id"] == a["store_id"]


def test_logout_needs_a_live_token(api, world):
    for token in (None, "bukan-token", world.a.revoked_token, world.a.expired_token):
        before = snapshot(api.app)
        assert_unauthenticated(api.call("POST", "/api/v1/auth/logout", token=token))
        assert snapshot(api.app) == before
    # logging out ends only that token: the seller's other session still works
    assert api.call("GET", "/api/v1/me", token=world.a.token).status_code == 200


def test_a_logged_out_token_stops_working_at_once(api, world):
    a = world.a.ids
    email = api.call("GET", "/api/v1/me", token=world.a.token).json["email"]
    token = api.login(email)
    stock = f"/api/v1/stores/{a['store_id']}/variants/{a['variant_id']}/stock"
    assert api.call("PUT", stock, token=token, json={"quantity": 5}).status_code == 200
    assert api.call("POST", "/api/v1/auth/logout", token=token).status_code == 204
    before = snapshot(api.app)
    assert_unauthenticated(api.call("PUT", stock, token=token, json={"quantity": 6}))
    assert_unauthenticated(api.call("POST", "/api/v1/auth/logout", token=token))
    assert snapshot(api.app) == before


def test_a_guessed_checkout_id_reaches_nothing(api, world):
    place_order(api, world.a.ids["variant_id"])  # a real checkout exists beside the guesses
    for guess in ("0" * 32, "bukan-checkout-siapa-pun", "1" * 64):
        checkout = f"/api/v1/checkouts/{guess}"
        before = snapshot(api.app)
        assert_problem(api.call("PATCH", checkout, token=world.b.token, json={"payment_method": "cod"}), 404)
        assert_problem(api.call("POST", f"{checkout}/complete", token=world.b.token, json={},
                                headers={"Idempotency-Key": "kunci-tebakan-1"}), 404)
        assert snapshot(api.app) == before


def test_a_checkout_started_with_an_account_is_that_accounts_alone(api, world):
    """Its id is the key to the buyer's name, phone and address: holding the id is not enough."""
    buyer = api.new_user("Pembeli Berakun")
    started = api.call("POST", "/api/v1/checkouts", token=buyer,
                       json={"lines": [{"variant_id": world.a.ids["variant_id"], "quantity": 1}]})
    assert started.status_code == 201, started.json
    checkout = f"/api/v1/checkouts/{started.json['id']}"
    details = {"email": "pembeli@contoh.id", "phone": "0813 4700 1122", "name": "Rina",
               "shipping_address": ADDRESS, "payment_method": "cod"}
    assert api.call("PATCH", checkout, token=buyer, json=details).status_code == 200
    complete = {"json": {}, "headers": {"Idempotency-Key": "kunci-orang-lain-1"}}
    for token, status in ((None, 401), (world.shopper, 403), (world.a.token, 403), (world.admin, 403)):
        before = snapshot(api.app)
        read = api.call("GET", checkout, token=token)
        (assert_unauthenticated if status == 401 else lambda r: assert_problem(r, status))(read)
        assert "Rina" not in read.get_data(as_text=True)
        for method, url, kwargs in (("PATCH", checkout, {"json": {"name": "Pencuri"}}),
                                    ("POST", f"{checkout}/complete", complete)):
            answer = api.call(method, url, token=token, **kwargs)
            (assert_unauthenticated if status == 401 else lambda r: assert_problem(r, status))(answer)
        assert snapshot(api.app) == before
    done = api.call("POST", f"{checkout}/complete", token=buyer, json={}, headers={"Idempotency-Key": "kunci-pemilik-1"})
    assert done.status_code == 201, done.json
    # ... and a replay of the owner's completion is the owner's too
    replay = api.call("POST", f"{checkout}/complete", token=world.shopper, json={},
                      headers={"Idempotency-Key": "kunci-pemilik-1"})
    assert_problem(replay, 403)
    assert "token" not in replay.get_data(as_text=True)


def test_an_anonymous_checkout_is_reached_by_its_id_alone(api, world):
    started = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": world.a.ids["variant_id"], "quantity": 1}]})
    checkout = f"/api/v1/checkouts/{started.json['id']}"
    assert api.call("PATCH", checkout, token=world.shopper, json={"name": "Rina"}).status_code == 200
    assert api.call("GET", checkout).json["name"] == "Rina"


def test_only_the_buyer_moves_their_order(api, world):
    buyer = api.new_user("Pembeli Transfer")
    order = place_order(api, world.a.ids["variant_id"], token=buyer, payment="bank_transfer")
    assert order["status"] == "awaiting_payment"
    url = f"/api/v1/orders/{order['id']}/status"
    cancel = {"json": {"status": "cancelled"}}
    # the selling store's owner, another seller, a shopper, staff and nobody are not the buyer
    for token in (None, world.a.token, world.b.token, world.shopper, world.admin):
        before = snapshot(api.app)
        assert_problem(api.call("POST", url, token=token, **cancel), 404)
        assert_problem(api.call("POST", f"{url}?token={wrong_token(order['token'])}", token=token, **cancel), 404)
        assert snapshot(api.app) == before
    # ... nor is the buyer of another order, whatever order token they hold
    other = place_order(api, world.b.ids["variant_id"], token=world.shopper, payment="bank_transfer")
    before = snapshot(api.app)
    assert_problem(api.call("POST", f"{url}?token={other['token']}", token=world.shopper, **cancel), 404)
    assert snapshot(api.app) == before
    moved = api.call("POST", url, token=buyer, **cancel)
    assert moved.status_code == 200 and moved.json["status"] == "cancelled", moved.json
