"""The transparency site (``smartcity sites build covid``): its structure, open data, and the
promise that no personal number is ever published.

Identifiers are planted in every input field, through the importer where it accepts them and
straight into the database where it does not (the site must not trust the database either):
each build either scrubs them or fails. The leak check itself is proven by making a page and a
compressed data file leak, which must fail the build and leave the last good site in place.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from api.cli import main
from commerce.places import all_kecamatan
from commerce.unit_of_work import UnitOfWork
from sites.transparency.importer import import_file
from sites.transparency.leaks import LeakScanner
from sites.transparency.models import BansosRecipient
from sites.transparency.covid_site import SiteBuildError, SiteLeakError, build_covid_site
from sites.transparency.covid_site import texts
from sites.transparency.covid_site.data import CovidDay, SiteData, published_recipient
from tests.test_transparency_import import TransparencyDb
from tests.transparency_data import (
    BANSOS_COLUMNS, COVID_COLUMNS, bansos_rows, covid_rows, date_range, nik, write_csv,
)

KELURAHAN = [kel for kec in all_kecamatan() for kel in kec.kelurahan]
PLANTED_NIK = "6472015505850042"  # a valid-looking NIK of nobody in the data
PLANTED_KK = "6472010101990077"
PLANTED_PHONE = "081234567890"


class SiteDb(TransparencyDb):
    def import_rows(self, kind: str, rows: list[dict], tmp_path: Path, *, today: date | None = None):
        columns = BANSOS_COLUMNS if kind == "bansos" else COVID_COLUMNS
        path = write_csv(tmp_path / f"{kind}-{len(rows)}.csv", rows, columns)
        with UnitOfWork(self.sessions) as uow:
            return import_file(uow, kind, path, imported_by="test@host", today=today)

    def insert_raw(self, **values) -> None:
        """A recipient row written around the importer (e.g. by a hand-made SQL fix)."""
        row = {"import_id": self._any_import(), "nik": nik(9001), "no_kk": "6472010101010001", "nama": "Tini Planted",
               "alamat": "Jl. Test", "rt": "001", "rw": "001", "kecamatan_code": KELURAHAN[0].kecamatan_code,
               "kelurahan_code": KELURAHAN[0].code, "program": "BST", "periode": "2021-01", "nilai": 1,
               "status": "diterima"} | values
        with self.sessions() as session:
            session.add(BansosRecipient(**row))
            session.commit()

    def _any_import(self) -> int:
        with self.engine.connect() as conn:
            return conn.scalar(text("SELECT min(id) FROM transparency_imports"))

    def identifiers(self) -> set[str]:
        with self.engine.connect() as conn:
            return {v for row in conn.execute(text("SELECT nik, no_kk FROM bansos_recipients")) for v in row}


@pytest.fixture
def sdb(database_url):
    db = SiteDb(database_url)
    db.wipe()
    yield db
    db.wipe()
    db.engine.dispose()


@pytest.fixture
def city(sdb, tmp_path):
    """A small city: 2 recipients per kelurahan in two periods, 20 days of COVID-19 figures."""
    sdb.import_rows("bansos", bansos_rows(118), tmp_path)
    sdb.import_rows("bansos", bansos_rows(59, start=118, program="PKH", periode="2020-06"), tmp_path)
    sdb.import_rows("covid", covid_rows(date_range(date(2020, 4, 1), 20)), tmp_path)
    return sdb


def site_data(recipients: int = 177, days: int = 20) -> SiteData:
    """The same small city as ``city``, without a database: for tests of the build itself."""
    kec_codes = {kec.name: kec.code for kec in all_kecamatan()}
    rows = bansos_rows(118) + bansos_rows(recipients - 118, start=118, program="PKH", periode="2020-06")
    published: dict[str, list] = {kel.code: [] for kel in KELURAHAN}
    for i, row in enumerate(rows):
        code = KELURAHAN[i % len(KELURAHAN)].code
        published[code].append(published_recipient(
            SimpleNamespace(**(row | {"rt": row["rt"].zfill(3), "rw": row["rw"].zfill(3)}), kelurahan_code=code),
            {kel.code: kel for kel in KELURAHAN}))
    covid = [CovidDay(date.fromisoformat(r["tanggal"]), kec_codes[r["kecamatan"]],
                      *(int(r[c]) for c in ("konfirmasi", "sembuh", "meninggal", "aktif", "suspek")))
             for r in covid_rows(date_range(date(2020, 4, 1), days))]
    known = frozenset(v for row in rows for v in (row["nik"], row["no_kk"]))
    return SiteData(date(2020, 4, 21), covid, published, known)


@pytest.fixture(scope="module")
def small_data() -> SiteData:
    return site_data()


def all_bytes(root: Path):
    """(relative path, content) of every output file, gzip members decompressed."""
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        yield path.relative_to(root).as_posix(), data


def assert_absent(root: Path, values) -> None:
    digits = {re.sub(r"\D", "", v) for v in values}
    for name, data in all_bytes(root):
        flat = re.sub(rb"[\s.\-]", b"", data)
        for value in digits:
            assert value.encode() not in flat, f"{value[:4]}… found in {name}"


# -- structure and open data ---------------------------------------------------------------

def test_site_has_a_page_per_kecamatan_and_kelurahan_and_none_per_recipient(city, tmp_path):
    out = tmp_path / "site"
    result = build_covid_site(out, database=city.url)

    assert result.recipients == 177 and result.covid_days == 20
    assert "leak check passed" in result.summary()
    kecamatan = [p for p in (out / "kecamatan").iterdir() if p.is_dir()]
    kelurahan = [p for p in (out / "kelurahan").iterdir() if p.is_dir()]
    assert len(kecamatan) == 10 and len(kelurahan) == 59
    html = sorted(out.rglob("*.html"))
    assert len(html) == 1 + 1 + 10 + 59 + 3 + 1  # home, Wilayah, areas, fixed pages, 404
    for page in html:
        content = page.read_text("utf-8")
        assert '<html lang="id"' in content, page
        assert "Data per " in content, page
        assert not re.search(r"<script[^>]+src=\"(https?:)?//", content), page  # self-hosted scripts only
    not_found = (out / "404.html").read_text("utf-8")  # a page with the navigation and nothing else
    assert 5 <= not_found.count('class="md-nav__link') <= 12  # a short navigation: no kelurahan in it
    assert KELURAHAN[0].name not in not_found

    home = (out / "index.html").read_text("utf-8")
    for chart in ("grafik-harian", "grafik-kumulatif", "grafik-kecamatan", "grafik-program", "grafik-bansos-kecamatan"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in home, chart
    assert home.count("<figure") == 5 and home.count("<details") == 5  # every chart has its table
    assert "Rata-rata 7 hari" in home and "http://" not in home.split("<body", 1)[1].replace("http://www.w3.org", "")

    page = (out / "kelurahan" / KELURAHAN[0].slug / "index.html").read_text("utf-8")
    assert 'class="covid-lookup"' in page and f"data/cari/{KELURAHAN[0].slug}.json.gz" in page
    # Recipients only in their kelurahan's lookup file and CSV: no page, no search entry.
    masked = json.loads(gzip.decompress((out / "data/cari" / f"{KELURAHAN[0].slug}.json.gz").read_bytes()))["penerima"][0][0]
    assert "*" in masked
    for name, data in all_bytes(out):
        if name.endswith(".html") or name.startswith("search/") or name.startswith("sitemap"):
            assert masked.encode() not in data, name


def test_lookup_files_are_small_and_complete(small_data, tmp_path):
    out = tmp_path / "site"
    build_covid_site(out, data=small_data)
    rows = 0
    for kel in KELURAHAN:
        packed = (out / "data/cari" / f"{kel.slug}.json.gz").read_bytes()
        doc = json.loads(gzip.decompress(packed))
        assert doc["kelurahan"] == kel.name and doc["kolom"] == ["nama", "rt_rw", "periode", "status"]
        assert len(packed) < 30 * 1024
        for entry in doc["penerima"]:
            assert set(entry[0]) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ*. ") and entry[0][1:2] in ("*", ".")
            assert re.fullmatch(r"\d{3}/\d{3}", entry[1])
            assert doc["periode"][entry[2]].split("|")[0] in ("BST", "PKH")
        rows += len(doc["penerima"])
    assert rows == 177


def test_open_data_is_a_valid_data_package_with_csv_and_json(small_data, tmp_path):
    out = tmp_path / "site"
    build_covid_site(out, data=small_data)
    package = json.loads((out / "data/datapackage.json").read_text())
    assert re.fullmatch(r"[a-z0-9._-]+", package["name"])
    assert package["licenses"] == [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                                    "title": "Creative Commons Attribution 4.0 International"}]
    names = [r["name"] for r in package["resources"]]
    assert len(names) == len(set(names)) == 3 + 59
    types = {"string", "number", "integer", "boolean", "date", "datetime", "year", "yearmonth"}
    for resource in package["resources"]:
        assert re.fullmatch(r"[a-z0-9._-]+", resource["name"]), resource["name"]
        assert resource["format"] == "csv" and resource["mediatype"] == "text/csv"
        assert resource["profile"] == "tabular-data-resource"
        path = out / "data" / resource["path"]
        assert path.is_file() and ".." not in resource["path"] and not resource["path"].startswith("/")
        fields = resource["schema"]["fields"]
        assert all(f["type"] in types for f in fields)
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            assert next(reader) == [f["name"] for f in fields]
            body = list(reader)
        for row in body:
            for field, value in zip(fields, row):
                if field["type"] == "integer" and value != "":
                    int(value)
                elif field["type"] == "date":
                    date.fromisoformat(value)
        if resource["name"] == "covid-kecamatan-harian":
            assert len(body) == 200
        if resource["name"].startswith("penerima-"):
            assert body[0][0][0].isupper() and "*" in body[0][0]
            assert len(row) == 8 and set(f["name"] for f in fields) == {
                "nama_tersamar", "rt", "rw", "kelurahan", "kecamatan", "program", "periode", "status"}
    summary = json.loads((out / "data/bansos-ringkasan.json").read_text())
    assert sum(r["penerima"] for r in summary) == 177
    city_days = json.loads((out / "data/covid-kota-harian.json").read_text())
    assert len(city_days) == 20 and city_days[0]["kasus_baru"] == "" and city_days[1]["kasus_baru"] > 0
    methodology = (out / "metodologi/index.html").read_text()
    for word in ("NIK", "nomor KK", "alamat", "tanggal lahir", "nomor telepon", "hash"):
        assert word in methodology
    assert "CC BY 4.0" in (out / "data-terbuka/index.html").read_text()
    assert (out / "pengaduan/index.html").is_file()


# -- planted identifiers: scrubbed or the build fails ---------------------------------------

# Columns the importer would refuse a planted number in, and their stored width: SQLite keeps
# any length (the worst case), PostgreSQL only what fits.
RAW_FIELDS = {"nama": 100, "alamat": 200, "rt": 3, "rw": 3, "kecamatan_code": 8, "program": 20, "periode": 7,
              "status": 10}


def test_identifiers_planted_in_every_field_never_reach_the_site(city, tmp_path, backend):
    victim = nik(77, kec="02", day=12, month=3, yy=81, female=True)
    kelurahan = KELURAHAN[5]
    # Through the importer: free text it accepts (alamat) with NIK, KK and phone numbers.
    city.import_rows("bansos", [
        dict(bansos_rows(1, start=500, program="BPNT", periode="2021-02")[0],
             nik=victim, alamat=f"Jl. Mawar {PLANTED_NIK} / KK {PLANTED_KK} / HP {PLANTED_PHONE}",
             kelurahan=kelurahan.name, kecamatan=next(k.name for k in all_kecamatan() if k.code == kelurahan.kecamatan_code)),
    ], tmp_path)
    planted = {PLANTED_NIK, PLANTED_KK, PLANTED_PHONE, victim}
    # Around the importer: every published column, each identifier in its usual spellings.
    spellings = [PLANTED_NIK, "6472 0155 0585 0042", "64.72.01.550585.0042", PLANTED_KK, victim,
                 PLANTED_PHONE, "+62 812-3456-7890", "0812 3456 7890"]
    serial = 9100
    for field, width in RAW_FIELDS.items():
        for value in spellings:
            if backend != "sqlite" and len(value) > width:
                continue
            serial += 1
            city.insert_raw(nik=nik(serial), **{field: value})
    assert city.identifiers() >= {victim}

    out = tmp_path / "site"
    result = build_covid_site(out, database=city.url)  # scrubbed, so the build passes
    assert result.recipients > 177
    assert_absent(out, planted | city.identifiers())
    lookup = gzip.decompress((out / "data/cari" / f"{KELURAHAN[0].slug}.json.gz").read_bytes()).decode()
    assert "[NIK/KK disamarkan]" in lookup and "[telepon disamarkan]" in lookup


@pytest.mark.parametrize("table", ["bansos_recipients", "covid_daily"])
def test_an_unknown_place_code_stops_the_build_without_echoing_it(city, tmp_path, table):
    planted = PLANTED_PHONE[:8]  # fits kecamatan_code (8) and kelurahan_code (13) on every backend
    if table == "bansos_recipients":
        city.insert_raw(kelurahan_code=planted)
    else:
        with city.engine.begin() as conn:
            conn.execute(text("UPDATE covid_daily SET kecamatan_code = :v WHERE id = (SELECT max(id) FROM covid_daily)"),
                         {"v": planted})
    out = tmp_path / "site"
    with pytest.raises(SiteBuildError) as caught:
        build_covid_site(out, database=city.url)
    assert "reference data" in str(caught.value) and planted not in str(caught.value)
    assert not out.exists()


@pytest.mark.parametrize("table, column", [("covid_daily", "suspek"), ("bansos_recipients", "nilai")])
def test_a_planted_number_in_a_figure_fails_the_leak_check(city, tmp_path, backend, table, column):
    if backend != "sqlite":  # the columns are 32-bit integers on PostgreSQL: a NIK cannot be stored
        pytest.skip("PostgreSQL's INTEGER cannot hold a 16-digit number")
    with city.engine.begin() as conn:
        conn.execute(text(f"UPDATE {table} SET {column} = :v WHERE id = (SELECT max(id) FROM {table})"),
                     {"v": int(PLANTED_NIK)})
    with pytest.raises(SiteLeakError) as caught:
        build_covid_site(tmp_path / "site", database=city.url)
    assert caught.value.leaks and PLANTED_NIK not in str(caught.value)
    assert {leak.kind for leak in caught.value.leaks} <= {"nik", "known"}


def test_the_leak_check_fails_the_build_when_a_page_leaks(small_data, tmp_path, monkeypatch):
    out = tmp_path / "site"
    build_covid_site(out, data=small_data)
    good = (out / "index.html").read_bytes()
    known = sorted(small_data.known_identifiers)[0]
    original = texts.complaints_page
    for leaked in (known, " ".join(re.findall("....", known)), "+62 812-3456-7890", PLANTED_NIK):
        monkeypatch.setattr(texts, "complaints_page", lambda data: original(data) + f"\nHubungi {leaked}\n")
        with pytest.raises(SiteLeakError) as caught:
            build_covid_site(out, data=small_data)
        message = str(caught.value)
        assert "pengaduan/index.html" in message and "search/search_index.json" in message, leaked
        assert known not in message and PLANTED_PHONE not in message and PLANTED_NIK not in message
        assert (out / "index.html").read_bytes() == good  # the last good build stays in place
        assert not list(tmp_path.glob(".site.staging*"))


def test_the_leak_check_reads_compressed_files(small_data, tmp_path, monkeypatch):
    from sites.transparency.covid_site import build as build_module

    known = sorted(small_data.known_identifiers)[-1]
    original = build_module.write_open_data

    def with_extra_file(docs_dir, *args, **kw):
        written = original(docs_dir, *args, **kw)
        (docs_dir / "data" / "ekstra.csv.gz").write_bytes(gzip.compress(f"x,{known}\n".encode()))
        return written

    monkeypatch.setattr(build_module, "write_open_data", with_extra_file)
    with pytest.raises(SiteLeakError) as caught:
        build_covid_site(tmp_path / "site", data=small_data)
    assert [leak.file for leak in caught.value.leaks] == ["data/ekstra.csv.gz"]
    assert caught.value.leaks[0].kind == "known"


def test_cli_builds_the_site_and_exits_non_zero_on_a_leak(tmp_path, monkeypatch):
    # The CLI migrates the database it is given; a fresh SQLite file is enough here.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("SMARTCITY_VAR_DIR", str(tmp_path / "var"))
    runner = CliRunner()
    result = runner.invoke(main, ["sites", "build", "covid", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "leak check passed" in result.output and (tmp_path / "out/index.html").is_file()

    original = texts.methodology_page
    monkeypatch.setattr(texts, "methodology_page", lambda data: original(data) + PLANTED_NIK)
    result = runner.invoke(main, ["sites", "build", "covid", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "leak check found" in result.output and PLANTED_NIK not in result.output


def test_an_empty_database_builds_a_site_that_says_so(sdb, tmp_path):
    out = tmp_path / "site"
    result = build_covid_site(out, database=sdb.url)
    assert result.recipients == 0 and len(list((out / "kelurahan").iterdir())) == 59
    assert "Belum ada data" in (out / "index.html").read_text()
    assert LeakScanner().scan_tree(out) == []


def test_number_lists_in_theme_css_are_not_phones_but_a_dotted_phone_is():
    # Material's CSS carries SVG paths such as "0 .066.026.13.073": fractions, not 0660 2613 073.
    scanner = LeakScanner()
    assert scanner.scan_bytes("main.css", b"m1.5 0c0 .066.026.13.073.177l6.25 6.25a.25.25 0 0 0") == []
    assert [leak.kind for leak in scanner.scan_bytes("page.html", b"Telp.0541-741235, HP .081234567890")] == ["phone", "phone"]


# -- the worker process ----------------------------------------------------------------------

def test_the_build_with_a_worker_process_gives_the_same_bytes_as_in_process(city, tmp_path):
    # Two CPUs: a worker reads the rows and writes the lookup files and lists while the main
    # process renders; one CPU: all in-process. Same bytes either way, and on every rebuild.
    parallel = build_covid_site(tmp_path / "par", database=city.url, parallel=True)
    serial = build_covid_site(tmp_path / "ser", database=city.url, parallel=False)
    assert list(all_bytes(tmp_path / "par")) == list(all_bytes(tmp_path / "ser"))
    assert parallel.timings.keys() >= {"wait_recipient_files"} and "recipient_files" in serial.timings
    assert (parallel.recipients, parallel.largest_lookup_gz, parallel.files) == \
        (serial.recipients, serial.largest_lookup_gz, serial.files)
    again = build_covid_site(tmp_path / "par", database=city.url, parallel=True)
    assert again.files == parallel.files and not list(tmp_path.glob(".*.staging*"))


def test_a_failing_worker_fails_the_build_with_a_clear_error(city, tmp_path, monkeypatch):
    from sites.transparency.covid_site import recipient_files

    out = tmp_path / "site"
    build_covid_site(out, database=city.url, parallel=True)
    good = (out / "index.html").read_bytes()

    def broken(database):
        raise OSError("disk full")

    monkeypatch.setattr(recipient_files, "load_recipients", broken)  # the forked worker inherits it
    with pytest.raises(SiteBuildError, match="recipient lists: OSError: disk full"):
        build_covid_site(out, database=city.url, parallel=True)
    assert (out / "index.html").read_bytes() == good and not list(tmp_path.glob(".site.staging*"))


def test_a_leak_in_a_lookup_file_written_by_the_worker_fails_the_build(city, tmp_path, monkeypatch):
    from sites.transparency.covid_site import recipient_files

    original = recipient_files.lookup_bytes
    monkeypatch.setattr(recipient_files, "lookup_bytes",
                        lambda kel, rows, as_of: original(kel, rows, as_of=as_of) + gzip.compress(PLANTED_NIK.encode()))
    with pytest.raises(SiteLeakError) as caught:
        build_covid_site(tmp_path / "site", database=city.url, parallel=True)
    assert {leak.file.split("/")[1] for leak in caught.value.leaks} == {"cari"}
    assert len(caught.value.leaks) == 59 and not (tmp_path / "site").exists()
