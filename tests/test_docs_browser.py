"""The programme documentation site in a real browser, served by the demo's own app from the
folder the publisher wrote: no request may leave for another host, and search finds
Indonesian words."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from sites.publish import publish
from sites.registry import build_site
from sites.storage import open_storage
from tests.browser import serve_app

pytestmark = pytest.mark.slow


@pytest.fixture
def docs_server(make_app, tmp_path):
    from api.sites_cli import _openapi_document

    out = tmp_path / "build" / "docs"
    build_site("docs", out, openapi=_openapi_document())
    target = (tmp_path / "sites" / "docs").as_uri()
    publish("docs", out, open_storage(target), target=target)
    base, stop = serve_app(make_app(var_dir=tmp_path))
    yield base
    stop()


def test_docs_pages_load_only_from_their_own_host_and_search_works(chromium, docs_server):
    page = chromium.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(docs_server + "/docs/", wait_until="networkidle")
    assert page.locator("html").get_attribute("lang") == "id"
    links = {a.split("#")[0] for a in page.eval_on_selector_all("nav a[href]", "els => els.map(e => e.href)")
             if a.startswith(docs_server + "/docs/")}
    assert len(links) >= 12
    for link in sorted(links):
        response = page.goto(link, wait_until="networkidle")
        assert response is None or response.status == 200, link  # None: same page, only the hash moved

    page.goto(docs_server + "/docs/", wait_until="networkidle")
    search = page.locator("input[data-md-component='search-query']")
    search.focus()
    page.keyboard.type("layan", delay=50)
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    results = page.locator(".md-search-result__item").all_inner_texts()
    assert any("Layanan" in r or "layanan" in r for r in results), results
    search.fill("")
    page.keyboard.type("pasar segiri", delay=50)
    page.wait_for_timeout(500)
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    assert any("Segiri" in r for r in page.locator(".md-search-result__item").all_inner_texts())

    hosts = {urlsplit(url).netloc for url in requests if not url.startswith(("data:", "blob:"))}
    assert hosts == {urlsplit(docs_server).netloc}, hosts
    assert len(requests) > len(links)
    page.close()
