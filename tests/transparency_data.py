"""Test data for the transparency imports: valid NIKs, rows and files (CSV, XLSX), and the bad
files the import must refuse. Every NIK here is synthetic (built from the documented structure)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable

from commerce.places import all_kecamatan
from sites.transparency.demo import BANSOS_COLUMNS, COVID_COLUMNS, write_rows  # noqa: F401  (re-exported)

FIRST_NAMES = ["Siti", "Muhammad", "Nur", "Ahmad", "Dewi", "Rahmat", "Aminah", "Budi", "Fitri", "Hasan"]
LAST_NAMES = ["Aminah", "Rizky", "Hidayat", "Lestari", "Saputra", "Wahyuni", "Syahrani", "Ramadhan"]


def nik(serial: int = 1, *, kec: str = "01", day: int = 5, month: int = 5, yy: int = 90, female: bool = False) -> str:
    return f"6472{kec}{day + (40 if female else 0):02d}{month:02d}{yy:02d}{serial:04d}"


def kk(serial: int = 1, *, kec: str = "01") -> str:
    return f"6472{kec}0101{10 + serial // 10000 % 10:02d}{serial % 10000 or 1:04d}"


def places() -> list[tuple[str, str, str]]:
    """(kecamatan name, kelurahan name, NIK kecamatan digits) for every kelurahan of the city."""
    return [(kec.name, kel.name, kec.code[-2:]) for kec in all_kecamatan() for kel in kec.kelurahan]


def bansos_row(i: int, *, program: str = "BST", periode: str = "2020-04", **changes) -> dict:
    """Row ``i`` of a valid file: a distinct NIK for every ``i`` below 200,000, real places."""
    kec_name, kel_name, digits = places()[i % len(places())]
    yy = (i // 336) % 100
    row = {
        "nik": nik(1 + i % 9999, kec=digits, day=1 + i % 28, month=1 + (i // 28) % 12,
                   yy=60 if 20 <= yy <= 30 else yy, female=(i // 9999) % 2 == 1),
        "no_kk": kk(i + 1, kec=digits),
        "nama": f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[i % len(LAST_NAMES)]}",
        "alamat": f"Jl. Contoh No. {i % 200 + 1}",
        "rt": str(i % 40 + 1), "rw": str(i % 12 + 1),
        "kelurahan": kel_name, "kecamatan": kec_name,
        "program": program, "periode": periode, "nilai": "600000", "status": "diterima" if i % 5 else "belum",
    }
    row.update(changes)
    return row


def bansos_rows(n: int, *, start: int = 0, **kw) -> list[dict]:
    return [bansos_row(i, **kw) for i in range(start, start + n)]


def covid_rows(days: Iterable[date]) -> list[dict]:
    rows = []
    for d in days:
        for k, kec in enumerate(all_kecamatan()):
            n = (d - date(2020, 3, 1)).days
            konfirmasi, sembuh, meninggal = 10 * n + k, 6 * n, n // 10
            rows.append({"tanggal": d.isoformat(), "kecamatan": kec.name, "konfirmasi": str(konfirmasi),
                         "sembuh": str(sembuh), "meninggal": str(meninggal),
                         "aktif": str(konfirmasi - sembuh - meninggal), "suspek": str(k + 3)})
    return rows


def date_range(start: date, count: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(count)]


def csv_bytes(rows: list[dict], columns: list[str], *, delimiter: str = ",", encoding: str = "utf-8",
              bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode(encoding)


def write_csv(path: Path, rows: list[dict], columns: list[str], **kw) -> Path:
    path.write_bytes(csv_bytes(rows, columns, **kw))
    return path


def write_xlsx(path: Path, rows: list[list], header: list[str]) -> Path:
    """An XLSX workbook with ``header`` and ``rows`` (cell values as given: str, int, date ...)."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_big_bansos_csv(path: Path, rows: int, **kw) -> Path:
    """A valid bansos CSV of ``rows`` distinct recipients, written row by row."""
    return write_rows(path, (bansos_row(i, **kw) for i in range(rows)), BANSOS_COLUMNS)
