"""Bad input of every kind gets a problem response that names the field, and changes nothing.

Wrong JSON types, missing and over-long fields, NUL characters, unknown places and categories,
negative money and stock, duplicate SKUs, broken cursors, huge ids, broken or oversized bodies,
and pictures that are not what they claim. Every answer must be ``application/problem+json``
with ``type``, ``title``, ``status`` and ``detail`` (and ``errors: [{field, message}]`` where a
field is at fault), never a 500; and after every refused request the database and the picture
storage are exactly what they were (``snapshot`` reads every row of every table).

Another seller's ids in paths are covered exhaustively by tests/test_ownership.py.
"""

from __future__ import annotations

import base64
import copy
import io
import json
import struct
import zlib
from contextlib import contextmanager
from types import SimpleNamespace

import pytest

from tests.helpers import PASSWORD, ApiClient, png_bytes
from tests.test_ownership import assert_problem, place_order, snapshot

MISSING = object()  # a case value meaning "leave this field out"


NOT_FOUND_OR_INVALID = (404, 422)  # for ids that name no row: either is honest, a 500 is not


def refused(api, status: int | tuple[int, ...], method: str, url: str, *, field: str | None = None,
            **kwargs) -> dict:
    """Send a request that must be refused with ``status`` (naming ``field``) and change nothing.

    ``status`` may be a tuple of acceptable statuses; then only a 422 must name ``field``.
    """
    statuses = status if isinstance(status, tuple) else (status,)
    before = snapshot(api.app)
    response = api.call(method, url, **kwargs)
    assert response.status_code in statuses, response.get_data(as_text=True)
    named = field if len(statuses) == 1 or response.status_code == 422 else None
    body = assert_problem(response, response.status_code, field=named)
    assert snapshot(api.app) == before, f"{method} {url} answered {response.status_code} but changed data"
    return body


@contextmanager
def each_refused(api):
    """For a table of bad requests checked in one test (one app, one shop): yields
    ``check(label, status, method, url, field=..., **request)``, which runs :func:`refused`, and
    at the end reports every case that was not refused properly, not only the first."""
    failures = []

    def check(label: str, status: int | tuple[int, ...], method: str, url: str, **kwargs) -> None:
        try:
            refused(api, status, method, url, **kwargs)
        except AssertionError as error:
            failures.append(f"{label}: {error}")

    yield check
    assert not failures, f"{len(failures)} case(s) not refused properly:\n\n" + "\n\n".join(failures)


def label(path: str, value) -> str:
    return f"{path}=missing" if value is MISSING else f"{path}={value!r:.40}"


def with_value(base: dict, path: str, value) -> dict:
    """``base`` with the field at dotted ``path`` (``variants.0.price``) set to ``value``,
    or removed when ``value`` is MISSING."""
    body = copy.deepcopy(base)
    *parents, last = path.split(".")
    target = body
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    key = int(last) if isinstance(target, list) else last
    if value is MISSING:
        del target[key]
    else:
        target[key] = value
    return body


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.fixture
def shop(api) -> SimpleNamespace:
    """A seller with an approved store and one product with variants SKU-A and SKU-B."""
    token, store = api.seller_with_store()
    product = api.add_product(token, store["id"], variants=[
        {"sku": "SKU-A", "name": "Kecil", "price": 15000, "stock": 5},
        {"sku": "SKU-B", "name": "Besar", "price": 25000, "stock": 1},
    ])
    sid, pid = store["id"], product["id"]
    va = product["variants"][0]["id"]  # SKU-A
    return SimpleNamespace(
        token=token, sid=sid, pid=pid, va=va,
        products=f"/api/v1/stores/{sid}/products",
        product_url=f"/api/v1/stores/{sid}/products/{pid}",
        variants=f"/api/v1/stores/{sid}/products/{pid}/variants",
        variant_url=f"/api/v1/stores/{sid}/variants/{va}",
        stock=f"/api/v1/stores/{sid}/variants/{va}/stock",
        images=f"/api/v1/stores/{sid}/products/{pid}/images",
        store_url=f"/api/v1/stores/{sid}",
    )


# --- products: types, lengths, characters, required fields ---------------------------------

PRODUCT = {
    "name": "Amplang Ikan Pipih",
    "description": "Renyah",
    "category": "kue-camilan",
    "variants": [{"sku": "NEW-1", "name": "250 g", "price": 35000, "stock": 10}],
}

# (field path, bad value, the field the problem must name)
PRODUCT_CASES = [
    # money is an integer number of rupiah, never a string, a float or a boolean
    ("variants.0.price", "15000", "variants.0.price"),
    ("variants.0.price", 1.5, "variants.0.price"),
    ("variants.0.price", 15000.0, "variants.0.price"),
    ("variants.0.price", True, "variants.0.price"),
    ("variants.0.price", None, "variants.0.price"),
    ("variants.0.price", MISSING, "variants.0.price"),
    ("variants.0.price", 0, "variants.0.price"),
    ("variants.0.price", -15000, "variants.0.price"),
    ("variants.0.price", 10**12, "variants.0.price"),
    ("variants.0.price", 10**40, "variants.0.price"),
    ("variants.0.price", [15000], "variants.0.price"),
    ("variants.0.price", {"amount": 15000, "currency": "IDR"}, "variants.0.price"),
    ("variants.0.stock", -1, "variants.0.stock"),
    ("variants.0.stock", "10", "variants.0.stock"),
    ("variants.0.stock", False, "variants.0.stock"),
    ("variants.0.stock", 2.0, "variants.0.stock"),
    ("variants.0.stock", 10**7, "variants.0.stock"),
    ("variants.0.sku", 12345, "variants.0.sku"),
    ("variants.0.sku", None, "variants.0.sku"),
    ("variants.0.sku", MISSING, "variants.0.sku"),
    ("variants.0.sku", "", "variants.0.sku"),
    ("variants.0.sku", "   ", "variants.0.sku"),
    ("variants.0.sku", "S" * 65, "variants.0.sku"),
    ("variants.0.sku", "SKU\x00-1", "variants.0.sku"),
    ("variants.0.name", ["250 g"], "variants.0.name"),
    ("variants.0.name", "n" * 121, "variants.0.name"),
    ("name", ["Amplang"], "name"),
    ("name", 12345, "name"),
    ("name", None, "name"),
    ("name", MISSING, "name"),
    ("name", "", "name"),
    ("name", "   ", "name"),
    ("name", "x" * 161, "name"),
    ("name", "Amplang\x00Ikan", "name"),
    ("name", {"id": {"nested": [1, {"deeper": True}]}}, "name"),
    ("description", "d" * 5001, "description"),
    ("description", ["renyah"], "description"),
    ("description", "renyah\x00", "description"),
    ("category", "elektronik", "category"),
    ("category", "Kue-Camilan ", "category"),
    ("category", None, "category"),
    ("category", MISSING, "category"),
    ("category", "c" * 41, "category"),
    ("category", ["kue-camilan"], "category"),
    ("variants", [], "variants"),
    ("variants", None, "variants"),
    ("variants", MISSING, "variants"),
    ("variants", {"sku": "NEW-1", "price": 35000}, "variants"),
    ("variants", ["NEW-1"], "variants.0"),
    ("variants", [[{"sku": "NEW-1", "price": 35000}]], "variants.0"),
    ("variants", [{"sku": f"V-{i}", "price": 1000} for i in range(51)], "variants"),
]


def test_bad_product_fields(api, shop):
    with each_refused(api) as check:
        for path, value, field in PRODUCT_CASES:
            check(label(path, value), 422, "POST", shop.products, token=shop.token,
                  json=with_value(PRODUCT, path, value), field=field)


def test_a_lone_surrogate_is_refused_naming_the_field(api, shop):
    # "\ud800" is valid JSON text but no character PostgreSQL can store
    raw = json.dumps(PRODUCT).replace('"Amplang Ikan Pipih"', '"Amplang \\ud800"')
    refused(api, 422, "POST", shop.products, token=shop.token, data=raw, content_type="application/json",
            field="name")


def test_a_body_that_is_not_an_object(api, shop):
    with each_refused(api) as check:
        for body in ([], [PRODUCT], "produk", 42, True):
            check(repr(body)[:40], 422, "POST", shop.products, token=shop.token, json=body, field="body")
        check("null", (400, 422), "POST", shop.products, token=shop.token, data="null",
              content_type="application/json", field="body")


def test_bad_product_patch(api, shop):
    cases = [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": ["x"]}, "name"),
        ({"name": "x" * 161}, "name"),
        ({"description": "d" * 5001}, "description"),
        ({"category": "elektronik"}, "category"),
        ({"category": 7}, "category"),
        # a good change next to a bad one is not applied half-way
        ({"name": "Diubah", "category": "elektronik"}, "category"),
        ({"description": "baru", "category": "elektronik"}, "category"),
        ({"category": "jasa", "name": "x" * 161}, "name"),
    ]
    with each_refused(api) as check:
        for body, field in cases:
            check(repr(body)[:60], 422, "PATCH", shop.product_url, token=shop.token, json=body, field=field)


# --- variants and stock ----------------------------------------------------------------------

VARIANT = {"sku": "NEW-V", "name": "Sedang", "price": 20000, "stock": 2}


def test_bad_new_variant(api, shop):
    cases = [
        ("price", "20000"), ("price", 20000.5), ("price", 0), ("price", -1), ("price", None), ("price", MISSING),
        ("stock", -5), ("stock", "2"), ("sku", ""), ("sku", MISSING), ("sku", ["NEW-V"]), ("sku", "s" * 65),
        ("name", "n" * 121), ("name", "a\x00b"),
    ]
    with each_refused(api) as check:
        for path, value in cases:
            check(label(path, value), 422, "POST", shop.variants, token=shop.token,
                  json=with_value(VARIANT, path, value), field=path)


VARIANT_PATCHES = [
    ({"price": "25000"}, "price"),
    ({"price": 0}, "price"),
    ({"price": -25000}, "price"),
    ({"price": True}, "price"),
    ({"price": 2.5e4}, "price"),
    ({"price": 10**10}, "price"),
    ({"sku": ""}, "sku"),
    ({"sku": "   "}, "sku"),
    ({"sku": "s" * 65}, "sku"),
    ({"sku": 5}, "sku"),
    ({"name": "n" * 121}, "name"),
    ({"price": 30000, "sku": "\x00"}, "sku"),  # the good price is not applied either
]


def test_bad_variant_patch(api, shop):
    with each_refused(api) as check:
        for body, field in VARIANT_PATCHES:
            check(repr(body)[:60], 422, "PATCH", shop.variant_url, token=shop.token, json=body, field=field)


def test_bad_stock(api, shop):
    bodies = [
        {"quantity": -1}, {"quantity": "7"}, {"quantity": 7.5}, {"quantity": 7.0}, {"quantity": True},
        {"quantity": None}, {}, {"quantity": [7]}, {"quantity": {"value": 7}}, {"quantity": 1_000_001},
        {"quantity": 10**30}, {"qty": 7},
    ]
    with each_refused(api) as check:
        for body in bodies:
            check(repr(body)[:60], 422, "PUT", shop.stock, token=shop.token, json=body, field="quantity")
        # JSON extensions Python's parser accepts are still not numbers of items
        for raw in ('{"quantity": NaN}', '{"quantity": Infinity}', '{"quantity": -Infinity}'):
            check(raw, 422, "PUT", shop.stock, token=shop.token, data=raw, content_type="application/json",
                  field="quantity")


# --- duplicate SKUs --------------------------------------------------------------------------


def test_duplicate_sku_within_one_request(api, shop):
    variants = [{"sku": "DUP", "price": 1000}, {"sku": "DUP", "price": 2000}]
    refused(api, 409, "POST", shop.products, token=shop.token, field="variants.1.sku",
            json=PRODUCT | {"variants": variants})
    # the same SKU once it is trimmed
    variants = [{"sku": "DUP", "price": 1000}, {"sku": "  DUP ", "price": 2000}]
    refused(api, 409, "POST", shop.products, token=shop.token, field="variants.1.sku",
            json=PRODUCT | {"variants": variants})


def test_duplicate_sku_against_an_existing_variant(api, shop):
    variants = [{"sku": "FRESH", "price": 1000}, {"sku": "SKU-A", "price": 2000}]
    refused(api, 409, "POST", shop.products, token=shop.token, field="variants.1.sku",
            json=PRODUCT | {"variants": variants})
    refused(api, 409, "POST", shop.variants, token=shop.token, field="sku", json=VARIANT | {"sku": "SKU-B"})
    refused(api, 409, "POST", shop.variants, token=shop.token, field="sku", json=VARIANT | {"sku": " SKU-B "})
    refused(api, 409, "PATCH", shop.variant_url, token=shop.token, field="sku", json={"sku": "SKU-B", "price": 1})


def test_the_same_sku_in_another_store_is_no_conflict(api, shop):
    token, store = api.seller_with_store()
    api.add_product(token, store["id"], variants=[{"sku": "SKU-A", "price": 1000}])  # asserts the 201


# --- stores: places, phones, lengths -------------------------------------------------------

STORE = {"name": "Toko Baru", "kecamatan": "Samarinda Ulu", "kelurahan": "Air Putih",
         "address": "Jl. Juanda No. 2", "phone": "0812 5555 4321"}

STORE_CASES = [
    ("kecamatan", "Samarinda Barat Daya", "kecamatan"),
    ("kecamatan", "64.72.99", "kecamatan"),
    ("kecamatan", "Balikpapan Kota", "kecamatan"),
    ("kecamatan", "", "kecamatan"),
    ("kecamatan", None, "kecamatan"),
    ("kecamatan", 3, "kecamatan"),
    ("kecamatan", MISSING, "kecamatan"),
    ("kelurahan", "Kampung Entah", "kelurahan"),
    ("kelurahan", "Baqa", "kelurahan"),  # a kelurahan of Samarinda Seberang, not Samarinda Ulu
    ("kelurahan", "64.72.02.1002", "kelurahan"),  # Baqa again, by its code
    ("kelurahan", "Rawa Makmur", "kelurahan"),  # Palaran's
    ("kelurahan", "", "kelurahan"),
    ("kelurahan", ["Air Putih"], "kelurahan"),
    ("kelurahan", MISSING, "kelurahan"),
    ("phone", "12345", "phone"),
    ("phone", "bukan nomor", "phone"),
    ("phone", "+1 202 555 0123", "phone"),  # a valid number, but not Indonesian
    ("phone", "0812" + "9" * 30, "phone"),
    ("phone", 81255554321, "phone"),
    ("phone", MISSING, "phone"),
    ("name", "n" * 121, "name"),
    ("name", "   ", "name"),
    ("name", MISSING, "name"),
    ("name", "Toko\x00", "name"),
    ("address", "a" * 301, "address"),
    ("address", " ", "address"),
    ("address", {"street": "Jl. Juanda"}, "address"),
    ("description", "d" * 2001, "description"),
]


def test_bad_new_store(api):
    token = api.new_user()  # a shopper: a refused store must not make them a seller either
    with each_refused(api) as check:
        for path, value, field in STORE_CASES:
            check(label(path, value), 422, "POST", "/api/v1/stores", token=token,
                  json=with_value(STORE, path, value), field=field)
    assert api.call("GET", "/api/v1/me", token=token).json["roles"] == ["shopper"]


STORE_PATCHES = [
    ({"kelurahan": "Baqa"}, "kelurahan"),  # Samarinda Seberang's, and the store is in Samarinda Ulu
    ({"kecamatan": "Palaran"}, "kelurahan"),  # the store's Air Putih is not in Palaran
    ({"kecamatan": "Atlantis"}, "kecamatan"),
    ({"kecamatan": "Palaran", "kelurahan": "Air Putih"}, "kelurahan"),
    ({"phone": "123"}, "phone"),
    ({"phone": "+44 20 7946 0958"}, "phone"),
    ({"name": "  "}, "name"),
    ({"name": 5}, "name"),
    ({"address": ""}, "address"),
    ({"description": "d" * 2001}, "description"),
    ({"name": "Nama Baru", "kelurahan": "Entah"}, "kelurahan"),  # the good name is not applied
]


def test_bad_store_patch(api, shop):
    with each_refused(api) as check:
        for body, field in STORE_PATCHES:
            check(repr(body)[:60], 422, "PATCH", shop.store_url, token=shop.token, json=body, field=field)


# --- selling: checkouts, orders, point of sale, delivery fees --------------------------------


def test_bad_checkouts(api, shop):
    line = {"variant_id": shop.va, "quantity": 1}
    with each_refused(api) as check:
        for lines, field in (
            ([], "lines"), (None, "lines"), ([line | {"quantity": 0}], "lines.0.quantity"),
            ([line | {"quantity": "1"}], "lines.0.quantity"), ([line | {"quantity": 10**6}], "lines.0.quantity"),
            ([line | {"variant_id": 2_147_483_000}], "lines.0.variant_id"),
            ([line | {"variant_id": 99999999999}], "lines.0.variant_id"),
            ([line | {"variant_id": "SKU-A"}], "lines.0.variant_id"),
        ):
            check(f"lines={lines!r:.60}", 422, "POST", "/api/v1/checkouts", json={"lines": lines}, field=field)

    started = api.call("POST", "/api/v1/checkouts", json={"lines": [line]})
    assert started.status_code == 201, started.json
    checkout = f"/api/v1/checkouts/{started.json['id']}"
    street = "Jl. Pangeran Antasari No. 12"
    with each_refused(api) as check:
        for body, field in (
            ({"shipping_address": {"street": street, "kecamatan": "Atlantis", "kelurahan": "Air Hitam"}},
             "shipping_address.kecamatan"),
            ({"shipping_address": {"street": street, "kecamatan": "Samarinda Ulu", "kelurahan": "Baqa"}},
             "shipping_address.kelurahan"),
            ({"shipping_address": {"street": "", "kecamatan": "Samarinda Ulu", "kelurahan": "Air Hitam"}},
             "shipping_address.street"),
            ({"shipping_address": "Jl. Antasari"}, "shipping_address"),
            ({"phone": "123"}, "phone"),
            ({"email": "bukan-email"}, "email"),
            ({"name": "n" * 121}, "name"),
            ({"payment_method": "bitcoin"}, "payment_method"),
            ({"delivery": {str(shop.sid): "drone"}}, f"delivery.{shop.sid}"),
            ({"delivery": {"999999": "pickup"}}, "delivery.999999"),
            ({"lines": [line | {"quantity": -1}]}, "lines.0.quantity"),
        ):
            check(repr(body)[:60], 422, "PATCH", checkout, json=body, field=field)
        complete = f"{checkout}/complete"
        check("no key", 422, "POST", complete, json={}, field="Idempotency-Key")
        check("short key", 422, "POST", complete, json={}, headers={"Idempotency-Key": "x"},
              field="Idempotency-Key")
        check("unfilled", 422, "POST", complete, json={}, headers={"Idempotency-Key": "kunci-belum-diisi"},
              field="email")


def test_bad_seller_sales_and_settings(api, shop):
    order = place_order(api, shop.va)  # cash on delivery, "processing"
    line = {"variant_id": shop.va, "quantity": 1}
    status_url = f"/api/v1/stores/{shop.sid}/orders/{order['id']}/status"
    with each_refused(api) as check:
        for body, field in (
            ({"lines": [line | {"quantity": 0}], "payment": "cash"}, "lines.0.quantity"),
            ({"lines": [line | {"quantity": "1"}], "payment": "cash"}, "lines.0.quantity"),
            ({"lines": [line | {"variant_id": 2_147_483_000}], "payment": "cash"}, "lines.0.variant_id"),
            ({"lines": [], "payment": "cash"}, "lines"),
            ({"lines": [line], "payment": "bitcoin"}, "payment"),
            ({"lines": [line]}, "payment"),
        ):
            check(f"pos {body!r:.60}", 422, "POST", f"/api/v1/stores/{shop.sid}/pos-sales", token=shop.token,
                  json=body, field=field)
        for fees, field in (
            ({"Atlantis": 1000}, "fees.Atlantis"), ({"Palaran": -1}, "fees.Palaran"),
            ({"Palaran": "1000"}, "fees.Palaran"), ({"Palaran": 1.5}, "fees.Palaran"),
            ({"Palaran": 10**9}, "fees.Palaran"), ([], "fees"),
        ):
            check(f"fees {fees!r}", 422, "PUT", f"/api/v1/stores/{shop.sid}/delivery-fees", token=shop.token,
                  json={"fees": fees}, field=field)
        for body, field in (({"status": "dikirim"}, "status"), ({"status": True}, "status"), ({}, "status"),
                            ({"status": "shipped", "note": "n" * 301}, "note")):
            check(f"status {body!r:.60}", 422, "POST", status_url, token=shop.token, json=body, field=field)
        # well-formed, but not a step this order may take now
        check("processing -> completed", 409, "POST", status_url, token=shop.token, json={"status": "completed"},
              field="status")


# --- accounts --------------------------------------------------------------------------------


REGISTRATIONS = [
    ({"email": "bukan-email", "password": PASSWORD, "name": "Siti"}, "email"),
    ({"email": ["siti@contoh.id"], "password": PASSWORD, "name": "Siti"}, "email"),
    ({"email": "siti@contoh.id", "password": "pendek", "name": "Siti"}, "password"),
    ({"email": "siti@contoh.id", "password": 1234567890123, "name": "Siti"}, "password"),
    ({"email": "siti@contoh.id", "password": PASSWORD, "name": ""}, "name"),
    ({"email": "siti@contoh.id", "password": PASSWORD, "name": "   "}, "name"),
    ({"email": "siti@contoh.id", "password": PASSWORD}, "name"),
    ({"email": "siti@contoh.id", "password": PASSWORD, "name": "n" * 121}, "name"),
    ({"email": "siti@contoh.id", "password": PASSWORD + "\x00", "name": "Siti"}, "password"),
    ({"email": None, "password": PASSWORD, "name": "Siti"}, "email"),
]


def test_bad_registration(api):
    with each_refused(api) as check:
        for body, field in REGISTRATIONS:
            check(repr(body)[:60], 422, "POST", "/api/v1/auth/register", json=body, field=field)


def test_registering_an_email_twice(api):
    email = api.register()
    refused(api, 409, "POST", "/api/v1/auth/register", field="email",
            json={"email": email.upper(), "password": PASSWORD, "name": "Lagi"})


def test_bad_login(api):
    cases = [
        ({"password": PASSWORD}, "email"),
        ({"email": "siti@contoh.id"}, "password"),
        ({"email": 5, "password": PASSWORD}, "email"),
        ({"email": "siti@contoh.id", "password": None}, "password"),
    ]
    with each_refused(api) as check:
        for body, field in cases:
            check(repr(body), 422, "POST", "/api/v1/auth/token", json=body, field=field)


# --- lists: cursors, limits, filters ---------------------------------------------------------

BAD_CURSORS = [
    "!!!",
    "bm90LWpzb24",  # base64 of "not-json"
    b64('{"id":"5"}'),
    b64("[5]"),
    b64('{"id":5,"extra":1}'),
    b64('{"id":true}'),
    b64('{"id":1.5}'),
    b64('{"id":99999999999999999999999999}'),
    b64('{"at":5}'),
    "x" * 501,
]


def _lists(api, shop) -> dict:
    return {
        "/api/v1/products": None,
        "/api/v1/stores": None,
        "/api/v1/admin/stores": api.admin(),
        shop.products: shop.token,
    }


def test_bad_cursor(api, shop):
    with each_refused(api) as check:
        for url, token in _lists(api, shop).items():
            for cursor in BAD_CURSORS:
                check(f"{url} cursor={cursor[:40]}", 422, "GET", f"{url}?cursor={cursor}", token=token,
                      field="cursor")


def test_limit_out_of_range(api, shop):
    with each_refused(api) as check:
        for url, token in _lists(api, shop).items():
            for limit in ("0", "101", "-1", "abc", "1.5", "", "1e2", "99999999999999999999"):
                check(f"{url} limit={limit}", 422, "GET", f"{url}?limit={limit}", token=token, field="limit")


def test_bad_filters(api, shop):
    cases = [
        ("/api/v1/products?category=elektronik", None, "category"),
        ("/api/v1/products?kecamatan=Atlantis", None, "kecamatan"),
        ("/api/v1/products?q=" + "a" * 101, None, "q"),
        ("/api/v1/products?q=amplang%00", None, "q"),
        ("/api/v1/products?store=" + "s" * 141, None, "store"),
        ("/api/v1/stores?kecamatan=Atlantis", None, "kecamatan"),
        ("/api/v1/admin/stores?status=dihapus", api.admin(), "status"),
    ]
    with each_refused(api) as check:
        for url, token, field in cases:
            check(url[:60], 422, "GET", url, token=token, field=field)


# --- ids in paths ----------------------------------------------------------------------------


def test_odd_keys_of_public_reads(api, shop):
    with each_refused(api) as check:
        for key in ("99999999999999999999", "2147483648", "0", "-1", "1e9", "%00", "1%20OR%201=1", "x" * 200):
            for url in (f"/api/v1/products/{key}", f"/api/v1/stores/{key}"):
                check(url[:60], NOT_FOUND_OR_INVALID, "GET", url, field="id_or_slug")


def _upload() -> dict:
    return {"data": {"file": (io.BytesIO(png_bytes()), "a.png")}, "content_type": "multipart/form-data"}


@pytest.mark.parametrize("bad_id", ["99999999999", "99999999999999999999", "0", "-1", "abc", "1.5"])
def test_odd_ids_in_seller_and_admin_paths(api, shop, bad_id):
    """An id that cannot be a row is a 404, or a 422 naming the path parameter: never a 500."""
    admin = api.admin()
    requests = [
        ("PATCH", f"/api/v1/stores/{bad_id}", "store_id", lambda: {"json": {"name": "x"}}),
        ("POST", f"/api/v1/stores/{bad_id}/products", "store_id", lambda: {"json": PRODUCT}),
        ("PATCH", f"{shop.products}/{bad_id}", "product_id", lambda: {"json": {"name": "x"}}),
        ("DELETE", f"{shop.products}/{bad_id}", "product_id", dict),
        ("POST", f"{shop.products}/{bad_id}/variants", "product_id", lambda: {"json": VARIANT}),
        ("PATCH", f"/api/v1/stores/{shop.sid}/variants/{bad_id}", "variant_id", lambda: {"json": {"price": 1}}),
        ("PUT", f"/api/v1/stores/{shop.sid}/variants/{bad_id}/stock", "variant_id",
         lambda: {"json": {"quantity": 1}}),
        ("DELETE", f"{shop.images}/{bad_id}", "image_id", dict),
        ("POST", f"{shop.products}/{bad_id}/images", "product_id", _upload),
    ]
    with each_refused(api) as check:
        for method, url, field, request in requests:
            check(f"{method} {url}", NOT_FOUND_OR_INVALID, method, url, token=shop.token, field=field,
                  **request())
        for action in ("approve", "suspend"):
            url = f"/api/v1/admin/stores/{bad_id}/{action}"
            check(url, NOT_FOUND_OR_INVALID, "POST", url, token=admin, field="store_id")


def test_an_id_in_range_that_does_not_exist_is_not_found(api, shop):
    missing = 2_147_483_647
    refused(api, 404, "PATCH", f"{shop.products}/{missing}", token=shop.token, json={"name": "x"})
    refused(api, 404, "PUT", f"/api/v1/stores/{shop.sid}/variants/{missing}/stock", token=shop.token,
            json={"quantity": 1})
    refused(api, 404, "DELETE", f"{shop.images}/{missing}", token=shop.token)
    refused(api, 404, "POST", f"/api/v1/admin/stores/{missing}/approve", token=api.admin())


# --- the request itself: routes, methods, JSON, content types, sizes -------------------------


def test_unknown_routes(api, shop):
    routes = [
        ("GET", "/api/v1/nope"),
        ("GET", "/api/v2/products"),
        ("GET", "/api/v1/products/1/variants"),
        ("GET", f"/api/v1/stores/{shop.sid}/nope"),
        ("POST", "/api/v1/nope"),
        ("PUT", f"{shop.product_url}/stock"),
        ("DELETE", "/api/v1/tidak-ada/sama-sekali"),
    ]
    with each_refused(api) as check:
        for method, url in routes:
            check(f"{method} {url}", 404, method, url, token=shop.token)
            # a body the API would not take anywhere does not hide that the address does not exist
            check(f"{method} {url} text/plain", 404, method, url, token=shop.token, data="halo",
                  content_type="text/plain")


def test_wrong_methods(api, shop):
    cases = [
        ("DELETE", "/api/v1/products", {"GET"}),
        ("PUT", "/api/v1/categories", {"GET"}),
        ("GET", "/api/v1/auth/token", {"POST"}),
        ("PUT", shop.store_url, {"GET", "PATCH"}),
        ("DELETE", shop.variant_url, {"PATCH"}),
        ("GET", shop.stock, {"PUT"}),
        ("PATCH", f"/api/v1/admin/stores/{shop.sid}/approve", {"POST"}),
    ]
    with each_refused(api) as check:
        for method, url, allowed in cases:
            for extra in ({}, {"data": "halo", "content_type": "text/plain"}, {"json": {"quantity": 1}}):
                check(f"{method} {url} {extra}", 405, method, url, token=shop.token, **extra)
            response = api.call(method, url, token=shop.token)
            allows = set(response.headers["Allow"].replace(" ", "").split(","))
            assert allowed <= allows, (url, response.headers)


MALFORMED_JSON = [
    b"{bad", b'{"quantity": 1', b'{"quantity": 1}}', b"{'quantity': 1}", b'{"quantity": 1,}',
    b'{"quantity": \xff}', b"\xef\xbb\xbf\xff\xfe",
    # nested deeper than the parser's recursion limit, well under the size limit
    b"[" * 5000 + b"]" * 5000,
    b'{"a":' * 20_000 + b"1" + b"}" * 20_000,
]


def test_malformed_json(api, shop):
    with each_refused(api) as check:
        for raw in MALFORMED_JSON:
            for method, url, token in (("PUT", shop.stock, shop.token), ("POST", "/api/v1/auth/register", None)):
                check(f"{url} {raw[:30]!r}", 400, method, url, token=token, data=raw,
                      content_type="application/json")


def test_wrong_content_type(api, shop):
    body = json.dumps({"quantity": 3})
    with each_refused(api) as check:
        for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml", "text/json",
                             "multipart/form-data", None):
            kwargs = {"data": body} | ({"content_type": content_type} if content_type else {})
            check(f"stock {content_type}", 415, "PUT", shop.stock, token=shop.token, **kwargs)
            check(f"register {content_type}", 415, "POST", "/api/v1/auth/register", **kwargs)


def test_json_sent_to_the_upload_endpoint(api, shop):
    refused(api, 415, "POST", shop.images, token=shop.token, json={"file": "iVBORw0KGgo="})
    refused(api, 415, "POST", shop.images, token=shop.token, data=png_bytes(), content_type="image/png")


def test_a_huge_json_body(api, shop):
    body = {"name": "x" * (300 * 1024), "category": "kue-camilan", "variants": []}
    refused(api, 413, "POST", shop.products, token=shop.token, json=body)
    refused(api, 413, "POST", "/api/v1/auth/register",
            json={"email": "a@b.id", "password": "p" * 400_000, "name": "x"})


def test_a_huge_json_body_without_a_content_length(api, shop):
    """Chunked transfer encoding carries no Content-Length; the JSON limit must hold anyway."""
    raw = json.dumps({"quantity": 4, "padding": "x" * (300 * 1024)}).encode()
    refused(api, 413, "PUT", shop.stock, token=shop.token, input_stream=io.BytesIO(raw),
            headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
            environ_overrides={"wsgi.input_terminated": True})


def test_a_small_json_body_without_a_content_length_still_works(api, shop):
    raw = json.dumps({"quantity": 4}).encode()
    response = api.call("PUT", shop.stock, token=shop.token, input_stream=io.BytesIO(raw),
                        headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
                        environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 200, response.json
    assert response.json["quantity"] == 4


def test_an_upload_beyond_the_size_limit(make_app):
    limit = 32 * 1024
    small = ApiClient(make_app(max_upload_bytes=limit))
    token, store = small.seller_with_store()
    product = small.add_product(token, store["id"])
    url = f"/api/v1/stores/{store['id']}/products/{product['id']}/images"
    big = png_bytes(size=(400, 400)) + b"\x00" * limit  # a real PNG, only too big
    refused(small, 413, "POST", url, token=token, content_type="multipart/form-data",
            data={"file": (io.BytesIO(big), "besar.png")})
    # the same upload path takes a picture under the limit
    ok = small.call("POST", url, token=token, content_type="multipart/form-data",
                    data={"file": (io.BytesIO(png_bytes()), "kecil.png")})
    assert ok.status_code == 201, ok.json


# --- pictures --------------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A well-formed PNG header declaring ``width`` x ``height`` RGB pixels, with pixel data for
    only a few rows: what a decompression bomb looks like to a decoder before it starts."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress((b"\x00" + b"\x00" * 3 * width) * 4, 9)
    chunks = _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", rows) + _png_chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def _bad_crc(data: bytes) -> bytes:
    data = bytearray(data)
    data[29] ^= 0xFF  # the last byte of IHDR's CRC
    return bytes(data)


BAD_PICTURES = {
    "text-renamed-png": (b"Ini bukan gambar, hanya teks.\n" * 20, "foto.png"),
    "truncated-png": (png_bytes(size=(200, 150))[:300], "foto.png"),
    "png-signature-only": (b"\x89PNG\r\n\x1a\n", "foto.png"),
    "png-bad-crc": (_bad_crc(png_bytes()), "foto.png"),
    "gif": (png_bytes(fmt="GIF"), "foto.gif"),
    "gif-named-png": (png_bytes(fmt="GIF"), "foto.png"),
    "bmp": (png_bytes(fmt="BMP"), "foto.bmp"),
    "tiff": (png_bytes(fmt="TIFF"), "foto.tif"),
    "svg": (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', "foto.svg"),
    "empty": (b"", "foto.png"),
    "bomb-50000x50000": (png_claiming(50_000, 50_000), "foto.png"),
    "over-40-megapixels": (png_claiming(8000, 6000), "foto.png"),
    "pdf": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "foto.jpg"),
}


def test_bad_pictures(api, shop):
    with each_refused(api) as check:
        for name, (data, filename) in BAD_PICTURES.items():
            check(name, 422, "POST", shop.images, token=shop.token, content_type="multipart/form-data",
                  data={"file": (io.BytesIO(data), filename)}, field="file")


def test_upload_without_a_file(api, shop):
    refused(api, 422, "POST", shop.images, token=shop.token, content_type="multipart/form-data",
            data={"alt": "tanpa berkas"}, field="file")
    refused(api, 422, "POST", shop.images, token=shop.token, content_type="multipart/form-data",
            data={"gambar": (io.BytesIO(png_bytes()), "foto.png")}, field="file")


def test_upload_with_text_where_the_file_belongs(api, shop):
    refused(api, 422, "POST", shop.images, token=shop.token, content_type="multipart/form-data",
            data={"file": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"}, field="file")


def test_upload_with_a_bad_alt_text(api, shop):
    for alt in ("a" * 201, "teks\x00"):
        refused(api, 422, "POST", shop.images, token=shop.token, content_type="multipart/form-data",
                data={"file": (io.BytesIO(png_bytes()), "foto.png"), "alt": alt}, field="alt")


def test_no_more_pictures_than_the_limit(api, shop):
    from commerce.catalog.services import MAX_IMAGES

    for i in range(MAX_IMAGES):
        response = api.call("POST", shop.images, token=shop.token, content_type="multipart/form-data",
                            data={"file": (io.BytesIO(png_bytes(colour=(i * 20, 80, 80))), f"{i}.png")})
        assert response.status_code == 201, response.json
    refused(api, 422, "POST", shop.images, token=shop.token, content_type="multipart/form-data",
            data={"file": (io.BytesIO(png_bytes(colour=(1, 2, 3))), "lagi.png")}, field="file")


def test_an_unreachable_database_is_a_503_to_try_again(make_app, backend, database_url, tmp_path, caplog):
    if backend == "sqlite":
        unreachable = f"sqlite:///{tmp_path / 'no-such-folder' / 'pasar.db'}"
    else:
        unreachable = database_url.rpartition("/")[0] + "/smartcity_no_such_database"
    client = ApiClient(make_app(database_url=unreachable))
    response = client.call("GET", "/api/v1/products")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert response.content_type == "application/problem+json"
    assert "Coba lagi" in response.json["detail"]
    assert "Traceback" not in response.get_data(as_text=True)
    assert any("database unavailable" in r.getMessage() for r in caplog.records)


def test_connections_the_database_dropped_cost_no_failed_request(api, app, backend):
    """What a PostgreSQL restart or an administrator's pg_terminate_backend leaves in the pool:
    connections that look open but are gone. The pool tests each one before a request uses it."""
    if backend != "postgresql":
        pytest.skip("a SQLite file has no server to drop connections")
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    assert api.call("GET", "/api/v1/products").status_code == 200  # a pooled connection now exists
    engine = app.extensions["smartcity"].engine
    assert engine.pool.checkedin() >= 1, engine.pool.status()
    killer = create_engine(engine.url, poolclass=NullPool)  # not one of the pool's connections
    with killer.connect() as connection:
        dropped = connection.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )).scalar()
    killer.dispose()
    assert dropped >= 1
    for _ in range(3):
        response = api.call("GET", "/api/v1/products")
        assert response.status_code == 200, response.json


def test_database_errors_never_carry_the_values_of_a_statement(database_url):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from commerce.db import make_engine

    engine = make_engine(database_url)
    try:
        with pytest.raises(DBAPIError) as failure, engine.connect() as connection:
            connection.execute(text("SELECT * FROM no_such_table WHERE phone = :phone"), {"phone": "+6281347001122"})
    finally:
        engine.dispose()
    assert "no_such_table" in str(failure.value)
    assert "6281347001122" not in str(failure.value)
