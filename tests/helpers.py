"""Test helpers: an API client that speaks the contract, and tiny image makers."""

from __future__ import annotations

import io
import itertools

from PIL import Image

from commerce.accounts.services import create_admin
from commerce.unit_of_work import UnitOfWork

_counter = itertools.count(1)
PASSWORD = "rahasia-samarinda-2020"


def wrong_token(token: str) -> str:
    """The token with its last character changed (to one it certainly is not)."""
    return token[:-1] + ("y" if token.endswith("x") else "x")


def png_bytes(size=(64, 48), colour=(200, 50, 50), fmt="PNG", **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt, **save)
    return out.getvalue()


class ApiClient:
    """Calls the API through Flask's test client the way a real client would."""

    def __init__(self, app):
        self.app = app
        self.http = app.test_client()

    def call(self, method: str, path: str, *, token: str | None = None, **kwargs):
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.http.open(path, method=method, headers=headers, **kwargs)

    def register(self, email: str | None = None, name: str = "Warga Samarinda"):
        email = email or f"warga{next(_counter)}@contoh.id"
        response = self.call("POST", "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "name": name})
        assert response.status_code == 201, response.json
        return email

    def login(self, email: str, password: str = PASSWORD) -> str:
        response = self.call("POST", "/api/v1/auth/token", json={"email": email, "password": password})
        assert response.status_code == 200, response.json
        return response.json["access_token"]

    def new_user(self, name: str = "Warga Samarinda") -> str:
        return self.login(self.register(name=name))

    def admin(self) -> str:
        email = f"admin{next(_counter)}@samarindakota.go.id"
        wiring = self.app.extensions["smartcity"]
        with UnitOfWork(wiring.session_factory) as uow:
            create_admin(uow, email=email, password=PASSWORD)
        return self.login(email)

    def open_store(self, token: str, name: str | None = None, **fields) -> dict:
        body = {
            "name": name or f"Toko Uji {next(_counter)}",
            "kecamatan": "Samarinda Ulu",
            "kelurahan": "Air Putih",
            "address": "Jl. Juanda No. 1",
            "phone": "0812 5555 1234",
        } | fields
        response = self.call("POST", "/api/v1/stores", token=token, json=body)
        assert response.status_code == 201, response.json
        return response.json

    def approve(self, store_id: int, admin_token: str | None = None) -> None:
        response = self.call("POST", f"/api/v1/admin/stores/{store_id}/approve", token=admin_token or self.admin())
        assert response.status_code == 200, response.json

    def add_product(self, token: str, store_id: int, name: str = "Amplang Ikan", **fields) -> dict:
        body = {
            "name": name,
            "description": "Kerupuk amplang renyah",
            "category": "kue-camilan",
            "variants": [{"sku": f"SKU-{next(_counter)}", "name": "250 g", "price": 35000, "stock": 10}],
        } | fields
        response = self.call("POST", f"/api/v1/stores/{store_id}/products", token=token, json=body)
        assert response.status_code == 201, response.json
        return response.json

    def seller_with_store(self, approved: bool = True) -> tuple[str, dict]:
        token = self.new_user("Penjual")
        store = self.open_store(token)
        if approved:
            self.approve(store["id"])
        return token, store
