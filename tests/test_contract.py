"""The fixed rows of API v1 (ARCHITECTURE.md, the API contract), field names included."""

from __future__ import annotations

import pytest

from tests.helpers import PASSWORD

pytestmark = pytest.mark.contract


def test_register_token_me(api):
    response = api.call("POST", "/api/v1/auth/register", json={"email": "Siti@Contoh.ID", "password": PASSWORD, "name": "Siti"})
    assert response.status_code == 201
    body = response.json
    assert set(body) >= {"id", "email", "name", "roles"}
    assert body["email"] == "siti@contoh.id"
    assert body["roles"] == ["shopper"]
    assert "password" not in str(body)

    response = api.call("POST", "/api/v1/auth/token", json={"email": "siti@contoh.id", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json
    assert token["token_type"] == "Bearer"
    assert isinstance(token["expires_in"], int) and token["expires_in"] > 0
    assert len(token["access_token"]) >= 40

    me = api.call("GET", "/api/v1/me", token=token["access_token"])
    assert me.status_code == 200
    assert me.json == {"id": body["id"], "email": "siti@contoh.id", "name": "Siti", "roles": ["shopper"], "stores": []}


def test_open_and_approve_store(api):
    token = api.new_user()
    response = api.call("POST", "/api/v1/stores", token=token, json={
        "name": "Amplang Bu Yanti", "kecamatan": "Samarinda Seberang", "kelurahan": "Baqa",
        "address": "Jl. Bung Tomo No. 5", "phone": "0812-3456-7890",
    })
    assert response.status_code == 201
    store = response.json
    assert store["status"] == "pending"
    assert store["slug"] == "amplang-bu-yanti"
    assert isinstance(store["id"], int)
    assert store["phone"] == "+6281234567890"
    assert store["kecamatan_code"] == "64.72.02"

    me = api.call("GET", "/api/v1/me", token=token).json
    assert "seller" in me["roles"]
    assert me["stores"] == [{"id": store["id"], "slug": "amplang-bu-yanti", "name": "Amplang Bu Yanti", "status": "pending"}]

    # pending stores are not public
    assert api.call("GET", f"/api/v1/stores/{store['id']}").status_code == 404
    response = api.call("POST", f"/api/v1/admin/stores/{store['id']}/approve", token=api.admin())
    assert response.status_code == 200
    assert response.json == {"id": store["id"], "status": "approved"}
    public = api.call("GET", "/api/v1/stores/amplang-bu-yanti").json
    assert public["status"] == "approved"
    assert "phone" not in public and "address" not in public


def test_categories(api):
    response = api.call("GET", "/api/v1/categories")
    assert response.status_code == 200
    items = response.json["items"]
    assert {"slug", "name"} == set(items[0])
    slugs = {c["slug"] for c in items}
    assert {"makanan-minuman", "kerajinan", "sarung-tenun-fashion", "hasil-tani-ikan", "jasa"} <= slugs


def test_add_product_set_stock_and_read(api):
    token, store = api.seller_with_store()
    response = api.call("POST", f"/api/v1/stores/{store['id']}/products", token=token, json={
        "name": "Sarung Tenun Samarinda", "description": "Tenun ATBM motif belang hatta",
        "category": "sarung-tenun-fashion",
        "variants": [{"sku": "STS-MERAH", "name": "Merah", "price": 450000, "stock": 3},
                     {"sku": "STS-HIJAU", "name": "Hijau", "price": 475000, "stock": 0}],
    })
    assert response.status_code == 201
    product = response.json
    assert set(product) >= {"id", "slug", "variants"}
    assert [set(v) >= {"id", "sku", "price", "stock"} for v in product["variants"]] == [True, True]
    assert [(v["sku"], v["price"], v["stock"]) for v in product["variants"]] == [("STS-MERAH", 450000, 3), ("STS-HIJAU", 475000, 0)]

    variant_id = product["variants"][1]["id"]
    response = api.call("PUT", f"/api/v1/stores/{store['id']}/variants/{variant_id}/stock", token=token, json={"quantity": 7})
    assert response.status_code == 200
    assert response.json == {"variant_id": variant_id, "quantity": 7}

    for key in (product["id"], product["slug"]):
        detail = api.call("GET", f"/api/v1/products/{key}")
        assert detail.status_code == 200
        variants = detail.json["variants"]
        assert [(v["sku"], v["available"]) for v in variants] == [("STS-MERAH", 3), ("STS-HIJAU", 7)]
        assert variants[0]["price_display"] == "Rp450.000"
        assert "stock" not in variants[0]
    assert detail.json["store"]["id"] == store["id"]


def test_products_of_unapproved_or_suspended_stores_are_not_public(api):
    token, store = api.seller_with_store(approved=False)
    product = api.add_product(token, store["id"], name="Lempok Durian")
    assert api.call("GET", f"/api/v1/products/{product['id']}").status_code == 404
    assert api.call("GET", "/api/v1/products").json["items"] == []
    admin = api.admin()
    api.approve(store["id"], admin)
    assert api.call("GET", f"/api/v1/products/{product['id']}").status_code == 200
    assert api.call("POST", f"/api/v1/admin/stores/{store['id']}/suspend", token=admin).json["status"] == "suspended"
    assert api.call("GET", f"/api/v1/products/{product['id']}").status_code == 404


def test_browse_search_filters_and_keyset_pages(api):
    token, store = api.seller_with_store()
    other_token = api.new_user()
    other = api.open_store(other_token, kecamatan="Palaran", kelurahan="Rawa Makmur")
    api.approve(other["id"])
    names = ["Amplang Ikan Tenggiri", "AMPLANG Udang", "Kerupuk Ikan Pipih", "Lempok Durian", "Madu Kelulut"]
    for name in names:
        api.add_product(token, store["id"], name=name, description=f"Oleh-oleh {name.lower()}")
    api.add_product(other_token, other["id"], name="Sarung Tenun", category="sarung-tenun-fashion",
                    description="Tenun khas amplang? bukan")

    found = api.call("GET", "/api/v1/products?q=AmPlAnG").json["items"]
    assert sorted(p["name"] for p in found) == ["AMPLANG Udang", "Amplang Ikan Tenggiri", "Sarung Tenun"]
    assert [p["name"] for p in api.call("GET", "/api/v1/products?q=ikan").json["items"]] == [
        "Kerupuk Ikan Pipih", "Amplang Ikan Tenggiri"]
    assert [p["name"] for p in api.call("GET", "/api/v1/products?q=amplang&category=kue-camilan").json["items"]] == [
        "AMPLANG Udang", "Amplang Ikan Tenggiri"]
    by_store = api.call("GET", f"/api/v1/products?store={other['slug']}").json["items"]
    assert [p["name"] for p in by_store] == ["Sarung Tenun"]
    by_kec = api.call("GET", "/api/v1/products?kecamatan=palaran").json["items"]
    assert [p["name"] for p in by_kec] == ["Sarung Tenun"]
    # a search of punctuation alone (a LIKE wildcard, say) finds nothing rather than everything
    assert api.call("GET", "/api/v1/products?q=%25").json["items"] == []

    seen, cursor = [], None
    while True:
        url = "/api/v1/products?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = api.call("GET", url).json
        assert len(page["items"]) <= 2
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 6 and len(set(seen)) == 6
    assert seen == sorted(seen, reverse=True)
