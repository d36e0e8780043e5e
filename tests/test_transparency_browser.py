"""The transparency site in a real browser, served by the demo's own app from the folder the
publisher wrote: a citizen opens a kelurahan page, types part of a name and sees the masked
match; no NIK, KK or phone number of the imported data is in the DOM or in any response, and
no request leaves for another host."""

from __future__ import annotations

import gzip
from datetime import date
from urllib.parse import urlsplit

import pytest

from commerce.db import make_engine, make_session_factory
from commerce.places import all_kecamatan
from commerce.unit_of_work import UnitOfWork
from sites.publish import publish
from sites.storage import open_storage
from sites.transparency.importer import import_file
from sites.transparency.leaks import LeakScanner
from sites.transparency.covid_site import build_covid_site
from tests.browser import serve_app
from tests.transparency_data import BANSOS_COLUMNS, COVID_COLUMNS, bansos_rows, covid_rows, date_range, write_csv

pytestmark = pytest.mark.slow

KECAMATAN = all_kecamatan()[3]
KELURAHAN = KECAMATAN.kelurahan[1]
PHONE = "0813 5555 0199"


@pytest.fixture
def covid_server(make_app, database_url, tmp_path):
    rows = bansos_rows(177)
    rows[0] |= {"nama": "Rahmawati Syahrani", "kelurahan": KELURAHAN.name, "kecamatan": KECAMATAN.name,
                "alamat": f"Jl. Cendana No. 4, HP {PHONE}", "rt": "7", "rw": "3"}
    rows[1] |= {"nama": "Rahmat Hidayat", "kelurahan": KELURAHAN.name, "kecamatan": KECAMATAN.name}
    for n, row in enumerate(rows[2:16]):  # more matches for "rahma" than one page of results
        row |= {"nama": f"Rahmi {'Putri' if n % 2 else 'Ayu'}", "kelurahan": KELURAHAN.name, "kecamatan": KECAMATAN.name}
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    for kind, data, columns in (("bansos", rows, BANSOS_COLUMNS),
                                ("covid", covid_rows(date_range(date(2020, 4, 1), 30)), COVID_COLUMNS)):
        with UnitOfWork(sessions) as uow:
            import_file(uow, kind, write_csv(tmp_path / f"{kind}.csv", data, columns), imported_by="test@host")
    engine.dispose()
    out = tmp_path / "build" / "covid"
    build_covid_site(out, database=database_url)
    target = (tmp_path / "sites" / "covid").as_uri()
    publish("covid", out, open_storage(target), target=target)
    base, stop = serve_app(make_app(var_dir=tmp_path))
    identifiers = {r["nik"] for r in rows} | {r["no_kk"] for r in rows} | {PHONE.replace(" ", "")}
    yield base, identifiers
    stop()


def test_a_citizen_finds_a_masked_name_and_nothing_personal_reaches_the_browser(chromium, covid_server):
    citizen_looks_up_a_name(chromium, *covid_server)


def citizen_looks_up_a_name(browser, base, identifiers):
    page = browser.new_page()
    requests, bodies = [], []
    page.on("request", lambda request: requests.append(request.url))

    def keep(response):
        try:
            body = response.body()
        except Exception:  # redirects and aborted requests have no body
            return
        bodies.append((response.url, response.headers.get("content-encoding"), body))

    page.on("response", keep)
    page.goto(f"{base}/covid/kelurahan/{KELURAHAN.slug}/", wait_until="networkidle")
    assert page.locator("html").get_attribute("lang") == "id"
    assert "Data per" in page.inner_text("body")

    search = page.locator("#nama-penerima")
    search.click()
    page.keyboard.type("rahma", delay=30)
    page.wait_for_selector(".covid-lookup__results tbody tr")
    # Exact lengths rank first ("Rahmi", 14 of them), a page of ten at a time.
    assert page.locator(".covid-lookup__results tbody tr").count() == 10
    assert "10 pertama ditampilkan" in page.inner_text(".covid-lookup__status")
    more = page.locator(".covid-lookup__more")
    more.click()
    page.wait_for_function("!document.querySelector('.covid-lookup__status').textContent.includes('pertama')")
    assert page.locator(".covid-lookup__results tbody tr").count() > 15  # all of them now
    assert more.is_hidden()
    found = page.locator(".covid-lookup__results tbody tr").all_inner_texts()
    assert all("R**** " in row for row in found[:14]), found
    assert any("R******** S*******" in row and "007/003" in row for row in found), found
    assert any("R***** H******" in row for row in found), found  # "rahma" is the start of both names
    search.fill("")
    page.keyboard.type("Rahmawati S", delay=30)
    page.wait_for_function("document.querySelectorAll('.covid-lookup__results tbody tr').length === 1")
    assert "R******** S*******" in page.locator(".covid-lookup__results tbody tr").inner_text()
    search.fill("")
    page.keyboard.type("Zzz", delay=30)
    page.wait_for_selector("text=Tidak ada nama yang cocok")

    # The site-wide search does not know the recipients.
    page.goto(f"{base}/covid/", wait_until="networkidle")
    site_search = page.locator("input[data-md-component='search-query']")
    site_search.focus()
    page.keyboard.type("kelurahan", delay=30)
    page.wait_for_selector(".md-search-result__item", timeout=15000)  # the search works ...
    site_search.fill("")
    page.keyboard.type("Rahmawati", delay=30)
    page.wait_for_timeout(500)
    assert page.locator(".md-search-result__item").count() == 0  # ... and knows no recipient
    dom = page.content()
    page.goto(f"{base}/covid/kelurahan/{KELURAHAN.slug}/", wait_until="networkidle")
    dom += page.content()
    page.close()

    lookup = [(enc, b) for url, enc, b in bodies if url.endswith(f"{KELURAHAN.slug}.json.gz")]
    assert lookup, [url for url, _, _ in bodies]
    assert lookup[0][0] == "gzip" and b"R******** S*******" in lookup[0][1]  # precompressed, decoded by the browser
    assert any(url.endswith("search_index.json") for url, _, _ in bodies)
    scanner = LeakScanner(identifiers)
    for url, _, body in bodies:
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        assert scanner.scan_bytes("response body", body) == [], url  # already decoded: no .gz name
        for value in identifiers:
            assert value.encode() not in body, url
    assert scanner.scan_bytes("dom", dom.encode()) == []
    hosts = {urlsplit(url).netloc for url in requests if not url.startswith(("data:", "blob:"))}
    assert hosts == {urlsplit(base).netloc}, hosts
