"""Transparency imports (bansos recipients, COVID-19 figures) and the privacy primitives.

Every import test runs on SQLite and PostgreSQL and checks the promise city staff rely on:
a bad file of any kind is refused with its row, column, masked value and reason, and nothing
is imported; a good file replaces its periods and the history keeps every import.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import time
import tracemalloc
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from api.cli import main
from commerce.db import make_engine, make_session_factory
from commerce.unit_of_work import UnitOfWork
from sites.transparency.importer import ImportRejected, import_file, list_imports
from sites.transparency.migrate import upgrade as upgrade_transparency
from sites.transparency.models import BansosRecipient, CovidDaily, DataImport, TransparencyBase
from sites.transparency.privacy import LeakScanner, mask_name, scrub_text
from sites.transparency.schema import load_schema
from sites.transparency.sources import CsvSource, FileProblem
from tests.transparency_data import (
    BANSOS_COLUMNS, COVID_COLUMNS, bansos_row, bansos_rows, covid_rows, csv_bytes, date_range,
    write_big_bansos_csv, write_csv, write_xlsx,
)

MB = 1024 * 1024


# -- fixtures ---------------------------------------------------------------------------------

class TransparencyDb:
    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.sessions = make_session_factory(self.engine)

    def wipe(self) -> None:
        with self.engine.begin() as conn:
            for table in reversed(TransparencyBase.metadata.sorted_tables):
                conn.execute(text(f"DELETE FROM {table.name}"))

    def run(self, kind: str, path: Path, **kw):
        with UnitOfWork(self.sessions) as uow:
            return import_file(uow, kind, path, imported_by="test@host", **kw)

    def rejected(self, kind: str, path: Path, **kw) -> ImportRejected:
        """Import ``path`` expecting a refusal; check that nothing was imported."""
        before = self.counts()
        with pytest.raises(ImportRejected) as caught:
            self.run(kind, path, **kw)
        assert self.counts() == before, "a rejected file changed the database"
        return caught.value

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {m.__tablename__: conn.scalar(select(func.count()).select_from(m))
                    for m in (DataImport, BansosRecipient, CovidDaily)}

    def recipients(self, **where) -> list[BansosRecipient]:
        with self.sessions() as session:
            return list(session.scalars(select(BansosRecipient).filter_by(**where).order_by(BansosRecipient.id)))

    def history(self, kind=None) -> list[DataImport]:
        with UnitOfWork(self.sessions) as uow:
            return list_imports(uow, kind)


@pytest.fixture
def tdb(database_url):
    upgrade_transparency(database_url)  # idempotent; conftest's database_url may already do it
    db = TransparencyDb(database_url)
    db.wipe()
    yield db
    db.wipe()
    db.engine.dispose()


def reasons(rejected: ImportRejected) -> str:
    return "\n".join(rejected.report_lines())


def assert_no_full_identifier(output: str, identifiers) -> None:
    for identifier in identifiers:
        assert identifier not in output, "a NIK/KK was printed unmasked"


# -- the published schemas --------------------------------------------------------------------

@pytest.mark.parametrize("kind,columns", [("bansos", BANSOS_COLUMNS), ("covid", COVID_COLUMNS)])
def test_schemas_are_published_table_schemas(kind, columns):
    path = Path(__file__).resolve().parents[1] / "sites" / "transparency" / "schemas" / f"{kind}.schema.json"
    raw = json.loads(path.read_text("utf-8"))
    assert [f["name"] for f in raw["fields"]] == columns
    for field in raw["fields"]:
        assert field["type"] in {"string", "integer", "date"}
        assert field["constraints"]["required"] is True
        assert len(field["description"]) > 20  # Indonesian, for the city's data stewards
        if "pattern" in field["constraints"]:
            re.compile(field["constraints"]["pattern"])
    assert set(raw["primaryKey"]) <= set(columns)
    assert load_schema(kind).field_names == tuple(columns)


# -- good files -------------------------------------------------------------------------------

@pytest.mark.parametrize("variant", ["plain", "bom-semicolon", "cp1252"])
def test_good_bansos_csv_imports(tdb, tmp_path, variant):
    rows = bansos_rows(30)
    rows[0].update(alamat="Jl. Café Lama No. 1", nama="Hj. Siti Aminah", rt="4", nilai="Rp600.000")
    rows[1].update(kecamatan="64.72.08", kelurahan="sungai pinang dalam", program="bst", periode="2020-04")
    kw = {"plain": {}, "bom-semicolon": {"bom": True, "delimiter": ";"}, "cp1252": {"encoding": "cp1252"}}[variant]
    path = write_csv(tmp_path / "bansos.csv", rows, BANSOS_COLUMNS, **kw)
    summary = tdb.run("bansos", path)
    assert summary.line() == "imported 30 rows (0 periods replaced) from bansos.csv"
    first, second = tdb.recipients()[:2]
    assert (first.alamat, first.nama, first.rt, first.nilai) == ("Jl. Café Lama No. 1", "Hj. Siti Aminah", "004", 600000)
    assert (second.kecamatan_code, second.kelurahan_code, second.program) == ("64.72.08", "64.72.08.1002", "BST")
    assert tdb.counts()["bansos_recipients"] == 30


def test_good_xlsx_imports_with_typed_cells(tdb, tmp_path):
    rows = []
    for row in bansos_rows(12):
        cells = [row[c] for c in BANSOS_COLUMNS]
        cells[BANSOS_COLUMNS.index("nilai")] = 600000  # a number cell
        cells[BANSOS_COLUMNS.index("rt")] = 7
        cells[BANSOS_COLUMNS.index("periode")] = datetime(2020, 4, 1)  # Excel turned "2020-04" into a date
        rows.append(cells)
    rows.insert(5, [None] * len(BANSOS_COLUMNS))  # an empty, formatted row in the middle
    path = write_xlsx(tmp_path / "bansos.xlsx", rows, [c.upper() for c in BANSOS_COLUMNS])
    assert tdb.run("bansos", path).rows == 12
    stored = tdb.recipients()
    assert {(r.periode, r.nilai, r.rt) for r in stored} == {("2020-04", 600000, "007")}

    covid = [[date.fromisoformat(r["tanggal"]), r["kecamatan"], *(int(r[c]) for c in COVID_COLUMNS[2:])]
             for r in covid_rows(date_range(date(2020, 4, 1), 3))]
    summary = tdb.run("covid", write_xlsx(tmp_path / "covid.xlsx", covid, COVID_COLUMNS))
    assert summary.line() == "imported 30 rows (0 periods replaced) from covid.xlsx"
    assert summary.periods == ["2020-04-01", "2020-04-02", "2020-04-03"]


# -- wrong columns ----------------------------------------------------------------------------

@pytest.mark.parametrize("header,expected", [
    (BANSOS_COLUMNS[:-1], "kolom status: kolom wajib tidak ada"),
    (BANSOS_COLUMNS + ["keterangan"], "kolom keterangan: kolom tidak dikenal"),
    (BANSOS_COLUMNS[:3] + ["nama"] + BANSOS_COLUMNS[3:], "kolom nama: nama kolom muncul lebih dari sekali"),
    (COVID_COLUMNS, "tampaknya data covid, bukan bansos"),
])
def test_wrong_columns_are_refused(tdb, tmp_path, header, expected):
    rows = [dict(bansos_row(0), keterangan="x")]
    rejected = tdb.rejected("bansos", write_csv(tmp_path / "b.csv", rows, header))
    assert expected in reasons(rejected)
    assert rejected.errors[0].row == 1


def test_empty_and_header_only_files_are_refused(tdb, tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    assert "berkas kosong" in reasons(tdb.rejected("bansos", tmp_path / "empty.csv"))
    header_only = write_csv(tmp_path / "header.csv", [], BANSOS_COLUMNS)
    assert "tidak ada baris data" in reasons(tdb.rejected("bansos", header_only))


def test_cells_beyond_the_header_are_refused(tdb, tmp_path):
    data = csv_bytes(bansos_rows(2), BANSOS_COLUMNS).replace(b"diterima\r\n", b"diterima,extra\r\n", 1)
    (tmp_path / "b.csv").write_bytes(data)
    assert "baris 3, kolom ke-13 (tanpa judul)" in reasons(tdb.rejected("bansos", tmp_path / "b.csv"))


# -- bad NIKs and KKs -------------------------------------------------------------------------

BAD_NIKS = [
    ("647201450590001", "harus 16 digit, tertulis 15 digit"),
    ("64720145059000011", "harus 16 digit, tertulis 17 digit"),
    ("6472O14505900001", "hanya boleh berisi angka"),
    ("6472 0145 0590 0001", "hanya boleh berisi angka"),
    ("6471014505900001", "4 digit pertama harus 6472"),
    ("6472114505900001", "digit 5-6 (11) bukan kode kecamatan"),
    ("6472010005900001", "digit 7-8 (00) harus 01-31"),
    ("6472013205900001", "digit 7-8 (32) harus 01-31 untuk laki-laki atau 41-71 untuk perempuan"),
    ("6472014005900001", "digit 7-8 (40)"),
    ("6472017205900001", "digit 7-8 (72)"),
    ("6472011513900001", "bulan lahir dalam NIK tidak mungkin: digit 9-10 (13)"),
    ("6472013102900001", "tidak ada di kalender (tanggal 31 bulan 02)"),
    ("6472017102900001", "tidak ada di kalender (tanggal 31 bulan 02)"),  # a woman born on 31 February
    ("6472012902250001", "tidak ada di kalender (tanggal 29 bulan 02)"),  # 2025 and 1925 are not leap years
    ("6472014505900000", "nomor urut NIK (digit 13-16) tidak boleh 0000"),
]
GOOD_NIKS = ["6472013101900001", "6472017101900001", "6472014102900001", "6472015212850001",
             "6472012902000001", "6472107112990001"]


@pytest.mark.parametrize("value,reason", BAD_NIKS)
def test_bad_niks_are_reported_masked(tdb, tmp_path, value, reason):
    rows = bansos_rows(3)
    rows[1]["nik"] = value
    rejected = tdb.rejected("bansos", write_csv(tmp_path / "b.csv", rows, BANSOS_COLUMNS))
    assert rejected.total == 1
    error = rejected.errors[0]
    assert (error.row, error.column) == (3, "nik")
    assert reason in error.reason
    assert error.value.startswith(value[:4]) and "*" in error.value
    assert_no_full_identifier(reasons(rejected), [value] + [r["nik"] for r in rows])


def test_plausible_niks_including_womens_day_plus_40_are_accepted(tdb, tmp_path):
    rows = [bansos_row(i, nik=value) for i, value in enumerate(GOOD_NIKS)]
    assert tdb.run("bansos", write_csv(tmp_path / "b.csv", rows, BANSOS_COLUMNS)).rows == len(GOOD_NIKS)


def test_bad_kk_and_numeric_nik_cells(tdb, tmp_path):
    rows = bansos_rows(3)
    rows[0]["no_kk"] = "6471010101100001"
    rows[2]["no_kk"] = "12345"
    rejected = tdb.rejected("bansos", write_csv(tmp_path / "b.csv", rows, BANSOS_COLUMNS))
    assert [(e.row, e.column) for e in rejected.errors] == [(2, "no_kk"), (4, "no_kk")]
    assert "Nomor KK bukan dari Kota Samarinda" in rejected.errors[0].reason
    assert rejected.errors[1].value == "*****"

    cells = [[int(r["nik"]) if i == 0 else r[c] for i, c in enumerate(BANSOS_COLUMNS)] for r in bansos_rows(2)]
    rejected = tdb.rejected("bansos", write_xlsx(tmp_path / "b.xlsx", cells, BANSOS_COLUMNS))
    assert "tersimpan sebagai angka" in reasons(rejected) and rejected.total == 2


# -- places, duplicates, numbers, codes -------------------------------------------------------

def test_unknown_and_misplaced_kelurahan_and_kecamatan(tdb, tmp_path):
    rows = bansos_rows(5)
    rows[0].update(kecamatan="Tenggarong")
    rows[1].update(kecamatan="Samarinda Ulu", kelurahan="Kampung Baru")
    rows[2].update(kecamatan="Sungai Pinang", kelurahan="Sidodadi")  # Sidodadi is in Samarinda Ulu
    rows[3].update(kecamatan="Samrinda Ilir")
    rejected = tdb.rejected("bansos", write_csv(tmp_path / "b.csv", rows, BANSOS_COLUMNS))
    report = reasons(rejected)
    assert "baris 2, kolom kecamatan, nilai 'Tenggarong': kecamatan tidak ada di Kota Samarinda" in report
    assert "baris 3, kolom kelurahan, nilai 'Kampung Baru': kelurahan tidak ada di Kecamatan Samarinda Ulu" in report
    assert "baris 4, kolom kelurahan, nilai 'Sidodadi': kelurahan Sidodadi berada di Kecamatan Samarinda Ulu, " \
           "bukan di Kecamatan Sungai Pinang" in report
    assert "Mungkin maksudnya: Samarinda Ilir?" in report
    assert rejected.total == 4


def test_duplicate_recipients_in_one_file_are_reported(tdb, tmp_path):
    rows = bansos_rows(4) + [bansos_row(1, nama="Nama Lain"), bansos_row(1, program="PKH", periode="2020-Q2")]
    rejected = tdb.rejected("bansos", write_csv(tmp_path / "b.csv", rows, BANSOS_COLUMNS))
    assert rejected.total == 1  # the same NIK in another programme and period is not a duplicate
    error = rejected.errors[0]
    assert (error.row, error.column) == (6, "nik")
    assert error.reason == "duplikat: NIK + Program + Periode sama dengan baris 3"
    assert_no_full_identifier(reasons(rejected), [rows[1]["nik"]])


@pytest.mark.parametrize("column,value,reason", [
    ("nilai", "-600000", "tidak boleh negatif"),
    ("nilai", "600000.5", "ada angka desimal"),
    ("nilai", "1.5", "ada angka desimal"),
    ("nilai", "enam ratus ribu", "bukan bilangan bulat"),
    ("nilai", "150000000", "melebihi batas 100.000.000"),
    ("nilai", "", "wajib diisi"),
    ("status", "sudah", "harus salah satu dari: diterima, belum"),
    ("program", "BLT", "harus salah satu dari: BST, PKH, BPNT, BANSOS-PEMKOT"),
    ("periode", "2020-13", "format tidak sesuai; contoh: 2020-04"),
    ("periode", "April 2020", "format tidak sesuai"),
    ("periode", "2020-Q5", "format tidak sesuai"),
    ("rt", "12a", "format tidak sesuai; contoh: 004"),
    ("nama", "Budi 6472014505900001", "nama tidak boleh berisi angka"),
    ("nama", "", "wajib diisi"),
])
def test_bad_values_are_reported(tdb, tmp_path, column, value, reason):
    rows = bansos_rows(2)
    rows[1][column] = value
    rejected = tdb.rejected("bansos", write_csv(tmp_path / "b.csv", rows, BANSOS_COLUMNS))
    assert [(e.row, e.column) for e in rejected.errors] == [(3, column)]
    assert reason in rejected.errors[0].reason
    assert "6472014505900001" not in reasons(rejected)


def test_accepted_number_spellings(tdb, tmp_path):
    spellings = ["600000", "600.000", "Rp600.000", "Rp 600.000", "rp. 600000"]
    rows = [bansos_row(i, nilai=v) for i, v in enumerate(spellings)]
    tdb.run("bansos", write_csv(tmp_path / "b.csv", rows, BANSOS_COLUMNS))
    assert {r.nilai for r in tdb.recipients()} == {600000}


def test_covid_rules(tdb, tmp_path):
    rows = covid_rows(date_range(date(2020, 4, 1), 2))
    rows[0]["aktif"] = str(int(rows[0]["aktif"]) + 1)
    rows[1].update(sembuh="1000")
    rows[2].update(tanggal="2099-01-01")
    rows[3].update(tanggal="2019-12-31")
    rows[4].update(tanggal="01/04/2020")
    rows[5].update(konfirmasi="-1")
    rows[12].update(kecamatan="64.72.01")  # Palaran by code: same as row 2's kecamatan on 2020-04-02
    rejected = tdb.rejected("covid", write_csv(tmp_path / "c.csv", rows, COVID_COLUMNS))
    got = {(e.row, e.column): e.reason for e in rejected.errors}
    assert got[(2, "aktif")].startswith("aktif harus sama dengan konfirmasi - sembuh - meninggal")
    assert "melebihi konfirmasi" in got[(3, "sembuh")]
    assert got[(4, "tanggal")] == "tanggal di masa depan"
    assert got[(5, "tanggal")] == "tidak boleh kurang dari 2020-01-01"
    assert "format YYYY-MM-DD" in got[(6, "tanggal")]
    assert got[(7, "konfirmasi")] == "tidak boleh negatif"
    assert got[(14, "tanggal")] == "duplikat: Tanggal + Kecamatan sama dengan baris 12"
    assert rejected.total == 7


def test_errors_are_capped_with_a_count_of_the_rest(tdb, tmp_path):
    rows = bansos_rows(1500, status="sudah")
    rejected = tdb.rejected("bansos", write_csv(tmp_path / "b.csv", rows, BANSOS_COLUMNS))
    assert (len(rejected.errors), rejected.total) == (1000, 1500)
    assert rejected.report_lines()[-1] == "  ... dan 500 kesalahan lain yang tidak ditampilkan."


# -- broken files, encodings, size ------------------------------------------------------------

def _good_xlsx(tmp_path) -> bytes:
    rows = [[r[c] for c in BANSOS_COLUMNS] for r in bansos_rows(200)]
    return write_xlsx(tmp_path / "good.xlsx", rows, BANSOS_COLUMNS).read_bytes()


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _corrupt_sheet(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    sheet = next(name for name in entries if name.startswith("xl/worksheets/sheet"))
    entries[sheet] = entries[sheet][: len(entries[sheet]) // 2]  # well-formed start, then cut off
    return _zip(entries)


@pytest.mark.parametrize("name,make,expected", [
    ("random.xlsx", lambda tmp: os.urandom(4096), "berkas XLSX rusak atau bukan XLSX"),
    ("truncated.xlsx", lambda tmp: _good_xlsx(tmp)[:3000], "berkas XLSX rusak atau bukan XLSX"),
    ("empty.xlsx", lambda tmp: b"", "berkas XLSX rusak atau bukan XLSX"),
    ("notbook.xlsx", lambda tmp: _zip({"hello.txt": b"hi"}), "bukan buku kerja Excel"),
    ("cut-sheet.xlsx", lambda tmp: _corrupt_sheet(_good_xlsx(tmp)), "berkas XLSX rusak atau bukan XLSX"),
    ("locked.xlsx", lambda tmp: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(2000), "berpassword"),
    ("old.xls", lambda tmp: b"\xd0\xcf\x11\xe0" + os.urandom(100), ".xls (Excel 97-2003) tidak didukung"),
    ("book.csv", lambda tmp: _good_xlsx(tmp), "isinya buku kerja Excel"),
    ("utf16.csv", lambda tmp: ",".join(BANSOS_COLUMNS).encode("utf-16"), "UTF-16"),
    ("data.json", lambda tmp: b"{}", "jenis berkas '.json' tidak didukung"),
])
def test_broken_files_are_refused(tdb, tmp_path, name, make, expected):
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    assert expected in reasons(tdb.rejected("bansos", path))


def test_missing_file_is_refused(tdb, tmp_path):
    assert "berkas tidak ditemukan" in reasons(tdb.rejected("bansos", tmp_path / "nope.csv"))


def test_mixed_encodings_are_reported_by_row(tdb, tmp_path):
    rows = bansos_rows(6)
    rows[0]["alamat"] = rows[2]["alamat"] = "Jl. Café No. 1"
    rows[4]["alamat"] = "Jl. Café No. 5"
    lines = csv_bytes(rows, BANSOS_COLUMNS).split(b"\r\n")
    lines[5] = lines[5].decode("utf-8").encode("cp1252")  # row 6 pasted from an older export
    (tmp_path / "mixed.csv").write_bytes(b"\r\n".join(lines))
    rejected = tdb.rejected("bansos", tmp_path / "mixed.csv")
    assert [e.row for e in rejected.errors] == [6]
    assert "pengodean teks campuran: baris ini bukan UTF-8" in rejected.errors[0].reason
    assert "mis. baris 2, 4" in rejected.errors[0].reason


def test_files_over_the_size_limit_are_refused_up_front(tdb, tmp_path):
    for name in ("huge.csv", "huge.xlsx"):
        path = tmp_path / name
        with open(path, "wb") as f:
            f.truncate(200 * MB)  # sparse: 200 MB on paper
        tracemalloc.start()
        started = time.perf_counter()
        rejected = tdb.rejected("bansos", path)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert "berkas terlalu besar (200,0 MB); batas impor 100,0 MB" in reasons(rejected)
        assert elapsed < 2 and peak < 5 * MB, "the file was read instead of refused"
        path.unlink()


def test_size_limit_is_enforced_while_streaming(tmp_path):
    path = write_csv(tmp_path / "b.csv", bansos_rows(50), BANSOS_COLUMNS)
    source = CsvSource(path, max_bytes=2000)  # as if stat() had said the file was small (a pipe)
    with pytest.raises(FileProblem, match="terlalu besar"):
        list(source.rows())


def test_xlsx_that_expands_too_much_is_refused(tdb, tmp_path):
    same = [bansos_row(0)[c] for c in BANSOS_COLUMNS]
    path = write_xlsx(tmp_path / "b.xlsx", [same] * 5000, BANSOS_COLUMNS)  # compresses very well
    assert "setelah diekstrak" in reasons(tdb.rejected("bansos", path, max_bytes=path.stat().st_size + 1))


@pytest.mark.slow
def test_large_valid_file_imports_in_bounded_memory(tdb, tmp_path):
    path = write_big_bansos_csv(tmp_path / "big.csv", 50_000)
    tracemalloc.start()
    summary = tdb.run("bansos", path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert summary.rows == 50_000 and tdb.counts()["bansos_recipients"] == 50_000
    # Holding the rows would take several times this; the spool and 1,000-row batches keep it small.
    assert peak < 100 * MB, f"peak {peak / MB:.0f} MB"


# -- replacing periods, history, all or nothing -----------------------------------------------

def test_reimport_replaces_periods_and_keeps_history(tdb, tmp_path):
    first = bansos_rows(30) + bansos_rows(10, start=100, periode="2020-05")
    tdb.run("bansos", write_csv(tmp_path / "april-mei.csv", first, BANSOS_COLUMNS))
    tdb.run("bansos", write_csv(tmp_path / "pkh.csv", bansos_rows(5, program="PKH", periode="2020-Q2"), BANSOS_COLUMNS))
    fixed = bansos_rows(20, start=200)  # April again, corrected: 20 other recipients
    summary = tdb.run("bansos", write_csv(tmp_path / "april.csv", fixed, BANSOS_COLUMNS))
    assert summary.line() == "imported 20 rows (1 periods replaced) from april.csv"
    assert (summary.replaced_periods, summary.replaced_rows) == (["BST 2020-04"], 30)
    assert {r.nik for r in tdb.recipients(program="BST", periode="2020-04")} == {r["nik"] for r in fixed}
    assert len(tdb.recipients(periode="2020-05")) == 10 and len(tdb.recipients(program="PKH")) == 5

    newest, pkh, oldest = tdb.history("bansos")
    assert (newest.file_name, newest.replaced_periods, newest.status) == ("april.csv", ["BST 2020-04"], "active")
    assert (oldest.file_name, oldest.status, oldest.periods) == ("april-mei.csv", "partly_superseded",
                                                                 ["BST 2020-04", "BST 2020-05"])
    assert pkh.status == "active" and len(newest.sha256) == 64 and newest.imported_by == "test@host"

    tdb.run("bansos", write_csv(tmp_path / "mei.csv", bansos_rows(3, periode="2020-05"), BANSOS_COLUMNS))
    assert tdb.history("bansos")[-1].status == "superseded"
    assert len(tdb.history("bansos")) == 4


def test_covid_reimport_replaces_dates(tdb, tmp_path):
    tdb.run("covid", write_csv(tmp_path / "c1.csv", covid_rows(date_range(date(2020, 4, 1), 3)), COVID_COLUMNS))
    again = covid_rows([date(2020, 4, 2)])
    for row in again:
        row.update(suspek="99")
    summary = tdb.run("covid", write_csv(tmp_path / "c2.csv", again, COVID_COLUMNS))
    assert summary.line() == "imported 10 rows (1 periods replaced) from c2.csv"
    with tdb.sessions() as session:
        by_day = dict(session.execute(select(CovidDaily.tanggal, func.sum(CovidDaily.suspek)).group_by(CovidDaily.tanggal)).all())
    assert by_day[date(2020, 4, 2)] == 990 and by_day[date(2020, 4, 1)] != 990 and len(by_day) == 3


def test_a_bad_reimport_leaves_the_period_as_it_was(tdb, tmp_path):
    tdb.run("bansos", write_csv(tmp_path / "a.csv", bansos_rows(10), BANSOS_COLUMNS))
    before = [r.nik for r in tdb.recipients()]
    bad = bansos_rows(10, start=50)
    bad[-1]["nik"] = "1234"
    tdb.rejected("bansos", write_csv(tmp_path / "b.csv", bad, BANSOS_COLUMNS))
    assert [r.nik for r in tdb.recipients()] == before and len(tdb.history()) == 1


def test_dry_run_imports_nothing(tdb, tmp_path):
    tdb.run("bansos", write_csv(tmp_path / "a.csv", bansos_rows(10), BANSOS_COLUMNS))
    before = tdb.counts()
    summary = tdb.run("bansos", write_csv(tmp_path / "b.csv", bansos_rows(4), BANSOS_COLUMNS), dry_run=True)
    assert summary.line() == "dry run: 4 rows valid in b.csv (1 periods, 1 would be replaced); nothing imported"
    assert tdb.counts() == before


# -- the CLI ----------------------------------------------------------------------------------

def _cli(database_url, *args, **env):
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": database_url, **env})
    return result, result.stdout + result.stderr


def test_cli_imports_and_lists_history(tdb, tmp_path):
    path = write_csv(tmp_path / "bansos.csv", bansos_rows(25), BANSOS_COLUMNS)
    result, output = _cli(tdb.url, "bansos", "import", str(path), "--by", "staf@dinsos")
    assert result.exit_code == 0, output
    assert result.stdout.strip().splitlines()[-1] == "imported 25 rows (0 periods replaced) from bansos.csv"
    result, output = _cli(tdb.url, "bansos", "import", str(path), "--dry-run")
    assert result.exit_code == 0 and "nothing imported" in result.stdout
    result, output = _cli(tdb.url, "bansos", "imports")
    assert result.exit_code == 0 and "bansos.csv; 0 replaced" in output and "staf@dinsos" in output
    covid = write_csv(tmp_path / "covid.csv", covid_rows([date(2020, 4, 1)]), COVID_COLUMNS)
    result, output = _cli(tdb.url, "covid", "import", str(covid))
    assert result.exit_code == 0 and "imported 10 rows (0 periods replaced) from covid.csv" in output
    assert tdb.counts() == {"transparency_imports": 2, "bansos_recipients": 25, "covid_daily": 10}


def test_cli_refuses_a_bad_file_with_masked_identifiers(tdb, tmp_path):
    rows = bansos_rows(6)
    rows[1]["nik"] = "6472013205900001"
    rows[2]["no_kk"] = "6471010101100001"
    rows[3]["alamat"] = "NIK 6472014505900077 telp 0812-3456-7890"  # personal numbers in the wrong column
    rows[3]["kelurahan"] = "Atlantis"
    rows[5]["nik"] = rows[4]["nik"]
    path = write_csv(tmp_path / "bansos.csv", rows, BANSOS_COLUMNS)
    result, output = _cli(tdb.url, "bansos", "import", str(path))
    assert result.exit_code == 1
    assert "bansos.csv ditolak (4 kesalahan); tidak ada data yang diimpor." in result.stderr
    assert "baris 3, kolom nik, nilai '6472********0001'" in output
    assert "baris 4, kolom no_kk, nilai '6471********" in output
    assert "baris 7, kolom nik" in output and "duplikat" in output
    assert_no_full_identifier(output, {r["nik"] for r in rows} | {r["no_kk"] for r in rows}
                              | {"6472014505900077", "081234567890", "0812-3456-7890"})
    assert tdb.counts() == {"transparency_imports": 0, "bansos_recipients": 0, "covid_daily": 0}


def test_cli_size_limit_from_environment(tdb, tmp_path):
    path = write_csv(tmp_path / "bansos.csv", bansos_rows(20_000), BANSOS_COLUMNS)
    result, output = _cli(tdb.url, "bansos", "import", str(path), SMARTCITY_IMPORT_MAX_MB="1")
    assert result.exit_code == 1 and "batas impor 1,0 MB" in output
    assert tdb.counts()["bansos_recipients"] == 0
    result, output = _cli(tdb.url, "bansos", "import", str(path))  # the default limit: 100 MB
    assert result.exit_code == 0, output
    assert "memeriksa: 10.000 baris" in result.stderr and "menyimpan: 20.000 baris dari 20.000" in result.stderr
    assert result.stdout.strip() == "imported 20000 rows (0 periods replaced) from bansos.csv"


# -- privacy primitives -----------------------------------------------------------------------

@pytest.mark.parametrize("name,masked", [
    ("Siti Aminah", "S*** A*****"),
    ("  Siti    Aminah  ", "S*** A*****"),
    ("Hj. Siti Aminah", "Hj. S*** A*****"),
    ("H. Muhammad Rizky", "H. M******* R****"),
    ("dr. Nur", "dr. N**"),
    ("M", "M"),
    ("A. B. Saputra", "A. B. S******"),
    ("Ma'ruf Nur-Aini", "M*'*** N**-****"),
    ("", ""),
    (None, ""),
])
def test_mask_name(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize("name", ["Budi 6472014505900001", "Siti6472014505900001", "08123456789 Ani", "Hj. 123456"])
def test_mask_name_never_carries_digit_runs(name):
    assert not re.search(r"\d{6}", mask_name(name)) and not re.search(r"\d", mask_name(name))


@pytest.mark.parametrize("text,secrets", [
    ("NIK 6472014505900001.", ["6472014505900001"]),
    ("nik: 6472 0145 0590 0001, kk 6472.0101.0110.0001", ["6472 0145 0590 0001", "6472.0101.0110.0001"]),
    ("no 6472-0145-0590-0001 dan 64.72.01.450590.0001", ["6472-0145-0590-0001", "64.72.01.450590.0001"]),
    ("hp 081234567890 / 0812-3456-7890 / 0812 3456 789", ["081234567890", "0812-3456-7890", "0812 3456 789"]),
    ("WA +62 812-3456-7890 atau 6281234567890", ["+62 812-3456-7890", "6281234567890"]),
    ("kantor (0541) 741234, Telp.0541-741235", ["(0541) 741234", "0541-741235"]),
])
def test_scrub_text_removes_identifiers_and_phones(text, secrets):
    scrubbed = scrub_text(text)
    for secret in secrets:
        assert secret not in scrubbed
    assert not re.search(r"\d{4}", scrubbed.replace("0541", "")), scrubbed


def test_scrub_text_keeps_ordinary_numbers():
    text = "Bantuan Rp600.000 (Rp62.800.000.000 total) tanggal 2020-04-01 s.d. 2020-04-30, RT 004 RW 002, 1.250 KK"
    assert scrub_text(text) == text


KNOWN = {"6472014505900001", "6472010101100005"}
CLEAN_SITE = (
    '<svg viewBox="0 0 24 24"><path d="M12 2A10 10 0 0 0 2 12a10 10 0 0 0 10 10 10 10 0 0 0 10-10A10 10 0 0 0 12 2'
    ' m0 0 2.25 13.75 20.25 14.5 307.584375 310.224375"/></svg>'
    "<script>var m=9007199254740991,d=1.7976931348623157e308,p=0.30000000000000004,lat=-0.502183746291,"
    "lon=117.15370123456789,t=1617235200000;</script>"
    '<p>Rp62.800.000.000 disalurkan 2020-04-01 2020-04-30 kepada 1.250 KK; kode 64.72.01.1001</p>'
    '<link integrity="sha256-3f7392018505900321a9c0ffee1234567890abcdef1234567890abcdef12345678">'
)


def test_leak_scanner_passes_a_clean_site():
    assert LeakScanner(KNOWN).scan_bytes("index.html", CLEAN_SITE.encode()) == []


def test_leak_scanner_finds_planted_identifiers_in_every_format(tmp_path):
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    (site / "index.html").write_text(CLEAN_SITE + "\n<td>Siti</td>\n<td>6472 0145 0590 0001</td>\n", "utf-8")
    (site / "data" / "penerima.json").write_text(json.dumps({"items": [{"kk": "6472-0101-0110-0005"}]}), "utf-8")
    (site / "data" / "penerima.csv").write_text("kelurahan,nik\nSidodadi,6472019999990001\n", "utf-8")
    (site / "sitemap.xml").write_text("<url><loc>/k/</loc><!-- 0812-3456-7890 --></url>", "utf-8")
    (site / "app.js").write_text('const c="+62 812 3456 7890";', "utf-8")
    (site / "data" / "penerima.json.gz").write_bytes(gzip.compress(b'{"nik":"6472014505900001"}'))
    (site / "data" / "unduh.xlsx").write_bytes(_zip({"xl/sharedStrings.xml": b"<t>6472014505900001</t>"}))
    (site / "broken.json.gz").write_bytes(gzip.compress(b"{}")[:10])
    (site / "logo.png").write_bytes(b"\x89PNG6472014505900001")  # images are not text: skipped

    leaks = LeakScanner(KNOWN).scan_tree(site)
    found = {(leak.file, leak.line, leak.kind) for leak in leaks}
    assert found == {
        ("index.html", 3, "known"),
        ("data/penerima.json", 1, "known"),
        ("data/penerima.csv", 2, "nik"),
        ("sitemap.xml", 1, "phone"),
        ("app.js", 1, "phone"),
        ("data/penerima.json.gz", 1, "known"),
        ("data/unduh.xlsx!xl/sharedStrings.xml", 1, "known"),
        ("broken.json.gz", 0, "unscannable"),
    }
    csv_leak = next(leak for leak in leaks if leak.kind == "nik")
    assert csv_leak.offset == len(b"kelurahan,nik\nSidodadi,") and csv_leak.masked == "6472********0001"
    messages = "\n".join(str(leak) for leak in leaks) + repr(leaks)
    assert_no_full_identifier(messages, KNOWN | {"6472019999990001", "081234567890", "6281234567890"})
    assert "index.html:3 (offset" in messages and "6472********0001" in messages
