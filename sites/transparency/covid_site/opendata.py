"""Open data downloads: aggregated CSV and JSON, the masked recipient lists per kelurahan as
CSV, and a Frictionless Data Package (``datapackage.json``) describing them, under CC BY 4.0.

The masked lists carry exactly the per-recipient fields of the privacy model (masked name,
RT, RW, kelurahan, program, period, status) and nothing else.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from commerce.places import Kelurahan
from sites.transparency.covid_site.aggregates import BansosSums, CovidSeries
from sites.transparency.covid_site.data import SiteData
from sites.transparency.covid_site.memo import Memo

__all__ = ["COVID_CSV", "CITY_CSV", "SUMMARY_CSV", "DATAPACKAGE", "recipients_csv_path", "recipients_csv",
           "write_open_data", "LICENSE"]

COVID_CSV = "data/covid-kecamatan-harian.csv"
CITY_CSV = "data/covid-kota-harian.csv"
SUMMARY_CSV = "data/bansos-ringkasan.csv"
DATAPACKAGE = "data/datapackage.json"
LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "Creative Commons Attribution 4.0 International"}

_INT = "integer"
COVID_FIELDS = [("tanggal", "date", "Tanggal"), ("kecamatan_kode", "string", "Kode kecamatan (Kepmendagri)"),
                ("kecamatan", "string", "Kecamatan"), ("konfirmasi", _INT, "Kasus konfirmasi kumulatif"),
                ("sembuh", _INT, "Sembuh kumulatif"), ("meninggal", _INT, "Meninggal kumulatif"),
                ("aktif", _INT, "Kasus aktif"), ("suspek", _INT, "Suspek")]
CITY_FIELDS = [("tanggal", "date", "Tanggal"), ("konfirmasi", _INT, "Kasus konfirmasi kumulatif"),
               ("sembuh", _INT, "Sembuh kumulatif"), ("meninggal", _INT, "Meninggal kumulatif"),
               ("aktif", _INT, "Kasus aktif"), ("suspek", _INT, "Suspek"),
               ("kasus_baru", _INT, "Kasus konfirmasi baru sejak hari sebelumnya (kosong pada hari pertama)"),
               ("rata_rata_7_hari", "number", "Rata-rata kasus baru 7 hari terakhir")]
SUMMARY_FIELDS = [("kecamatan_kode", "string", "Kode kecamatan"), ("kecamatan", "string", "Kecamatan"),
                  ("kelurahan_kode", "string", "Kode kelurahan"), ("kelurahan", "string", "Kelurahan"),
                  ("program", "string", "Program bantuan"), ("periode", "string", "Periode (YYYY-MM)"),
                  ("penerima", _INT, "Jumlah penerima"), ("diterima", _INT, "Penerima yang sudah menerima"),
                  ("nilai", _INT, "Nilai bantuan (rupiah)"),
                  ("nilai_diterima", _INT, "Nilai bantuan yang sudah diterima (rupiah)")]
RECIPIENT_FIELDS = [("nama_tersamar", "string", "Nama tersamar: huruf pertama setiap kata"),
                    ("rt", "string", "RT"), ("rw", "string", "RW"), ("kelurahan", "string", "Kelurahan"),
                    ("kecamatan", "string", "Kecamatan"), ("program", "string", "Program bantuan"),
                    ("periode", "string", "Periode (YYYY-MM)"), ("status", "string", "diterima atau belum")]


def recipients_csv_path(kel: Kelurahan) -> str:
    return f"data/penerima/{kel.slug}.csv"


def _csv(fields: list[tuple], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([name for name, _, _ in fields])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def recipients_csv(kel: Kelurahan, kecamatan: str, rows) -> bytes:
    """The masked list of one kelurahan, as :func:`_csv` writes it, but with each distinct name,
    RT/RW and program/period/status encoded once: a kelurahan's rows repeat them many times."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")

    def encoded(fields: list) -> str:
        out.seek(0)
        out.truncate()
        writer.writerow(fields)
        return out.getvalue()[:-2]

    names: Memo[str, str] = Memo(lambda nama: encoded([nama, ""])[:-1])  # as a cell: quoted if it must be
    places: Memo[tuple[str, str], str] = Memo(lambda rt_rw: encoded([*rt_rw, kel.name, kecamatan]))
    labels: Memo[tuple[str, str, str], str] = Memo(lambda key: encoded(list(key)))
    lines = [encoded([name for name, _, _ in RECIPIENT_FIELDS])]
    lines += [f"{names[nama]},{places[rt, rw]},{labels[program, periode, status]}"
              for nama, rt, rw, _, program, periode, status, _ in rows]
    lines.append("")
    return "\r\n".join(lines).encode("utf-8")


def _schema(fields: list[tuple]) -> dict:
    return {"fields": [{"name": name, "type": type_, "description": desc} for name, type_, desc in fields]}


def _write(docs_dir: Path, path: str, content: bytes) -> int:
    target = docs_dir / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if not (target.is_file() and target.read_bytes() == content):
        target.write_bytes(content)
    return len(content)


def _json(value, *, compact: bool = False) -> bytes:
    layout = {"separators": (",", ":")} if compact else {"indent": 1}
    return json.dumps(value, ensure_ascii=False, **layout).encode("utf-8")


def write_open_data(docs_dir: Path, data: SiteData, covid: CovidSeries, bansos: BansosSums, *,
                    site_url: str | None = None) -> list[str]:
    """Write every aggregated download and the data package into ``docs_dir``; returns the paths
    (relative to the site) the package lists, the masked lists included."""
    kec_names = {kec.code: kec.name for kec in data.kecamatan}
    kelurahan = {kel.code: kel for kel in data.kelurahan()}
    written: list[tuple[str, str, list[tuple], str]] = []  # (resource name, path, fields, title)

    covid_rows = [[d.tanggal.isoformat(), d.kecamatan_code, kec_names[d.kecamatan_code], d.konfirmasi, d.sembuh,
                   d.meninggal, d.aktif, d.suspek] for d in data.covid]
    city_rows = [[d.tanggal.isoformat(), d.konfirmasi, d.sembuh, d.meninggal, d.aktif, d.suspek,
                  "" if d.baru is None else d.baru, "" if d.rata7 is None else round(d.rata7, 2)] for d in covid.city]
    summary_rows = []
    for (kel_code, program, periode), t in sorted(bansos.by_kelurahan_period.items()):
        kel = kelurahan[kel_code]
        summary_rows.append([kel.kecamatan_code, kec_names[kel.kecamatan_code], kel.code, kel.name, program, periode,
                             t.penerima, t.diterima, t.nilai, t.nilai_diterima])
    for name, path, fields, rows, title in (
        ("covid-kecamatan-harian", COVID_CSV, COVID_FIELDS, covid_rows, "Angka COVID-19 harian per kecamatan"),
        ("covid-kota-harian", CITY_CSV, CITY_FIELDS, city_rows, "Angka COVID-19 harian Kota Samarinda"),
        ("bansos-ringkasan", SUMMARY_CSV, SUMMARY_FIELDS, summary_rows,
         "Ringkasan bansos per kelurahan, program dan periode"),
    ):
        _write(docs_dir, path, _csv(fields, rows))
        keys = [f for f, _, _ in fields]
        _write(docs_dir, path.removesuffix(".csv") + ".json", _json([dict(zip(keys, r)) for r in rows], compact=True))
        written.append((name, path, fields, title))

    for kel in data.kelurahan():  # the lists themselves are written by :mod:`.recipient_files`
        path = recipients_csv_path(kel)
        written.append((f"penerima-{kel.slug}", path, RECIPIENT_FIELDS,
                        f"Penerima bansos tersamar, Kelurahan {kel.name}"))

    package = {
        "name": "transparansi-covid-bansos-samarinda",
        "title": "Transparansi COVID-19 dan bantuan sosial Kota Samarinda",
        "description": "Angka COVID-19 harian per kecamatan dan penerima bantuan sosial per kelurahan. "
                       "Tanpa data pribadi: nama tersamar, tanpa NIK, nomor KK, alamat, tanggal lahir "
                       "atau nomor telepon.",
        "version": data.as_of.isoformat(),
        "created": data.as_of.isoformat(),
        "licenses": [LICENSE],
        "contributors": [{"title": "Pemerintah Kota Samarinda", "role": "publisher"}],
        "resources": [
            {"name": name, "path": path.removeprefix("data/"), "title": title, "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8", "profile": "tabular-data-resource",
             "schema": _schema(fields)}
            for name, path, fields, title in written
        ],
    }
    if site_url:
        package["homepage"] = site_url
    _write(docs_dir, DATAPACKAGE, _json(package))
    return [path for _, path, _, _ in written] + [DATAPACKAGE]
