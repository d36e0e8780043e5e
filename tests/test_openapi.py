"""The OpenAPI document: valid OpenAPI 3.1, and the running app keeps every promise it makes.

Schemathesis generates requests (valid and invalid) for every operation from the document and
checks each answer: no 5xx, a documented status code, the documented content type and a body
that matches the documented schema. The run is bounded so that it fits ``make test``.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.helpers import png_bytes

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_openapi_document_is_valid_3_1(client):
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation import OpenAPIV31SpecValidator

    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    validate(document, cls=OpenAPIV31SpecValidator)
    # every operation documents its problem responses as application/problem+json
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status in ("401", "404", "422"):
                assert "application/problem+json" in operation["responses"][status]["content"], (method, path)
    assert "/api/v1/stores/{store_id}/variants/{variant_id}/stock" in document["paths"]


def test_interactive_docs_are_served_locally(client):
    page = client.get("/api/docs", follow_redirects=True)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "swagger-ui" in html
    assert "https://" not in html and "http://" not in html.replace("http://www.w3.org", "")
    assert client.get("/api/docs/swagger/js/swagger-ui-bundle.js").status_code == 200


@pytest.fixture
def api_schema(app, api):
    """The live document of this app, with a seller-and-admin token and some real data."""
    token = api.new_user("Penjual Admin")
    store = api.open_store(token)
    api.approve(store["id"])
    product = api.add_product(token, store["id"])
    api.call("POST", f"/api/v1/stores/{store['id']}/products/{product['id']}/images", token=token,
             data={"file": (__import__("io").BytesIO(png_bytes()), "a.png")})
    email = api.call("GET", "/api/v1/me", token=token).json["email"]
    from commerce.accounts.services import create_admin
    from commerce.unit_of_work import UnitOfWork
    from tests.helpers import PASSWORD

    with UnitOfWork(app.extensions["smartcity"].session_factory) as uow:
        create_admin(uow, email=email, password=PASSWORD)
    app.config["SCHEMATHESIS_TOKEN"] = token
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_keeps_its_documented_promises(case):
    token = case.operation.schema.app.config["SCHEMATHESIS_TOKEN"]
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
