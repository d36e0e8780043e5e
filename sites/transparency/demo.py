"""Synthetic transparency data: bansos recipients and daily COVID-19 figures that look like
Samarinda's, for the demo and the benchmark. Every person here is invented: names are drawn
from common Indonesian given names, NIK and KK numbers are built from the documented structure
(region 64.72, kecamatan, birth date, serial) and belong to nobody known.

The data is written as the spreadsheets city staff would export and loaded through the real
importer (:func:`sites.transparency.importer.import_file`), so it obeys every rule real data
does. Generation is deterministic for a given seed.
"""

from __future__ import annotations

import csv
import math
import random
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy import func, select

from commerce.places import all_kecamatan
from commerce.unit_of_work import UnitOfWork
from sites.transparency.importer import import_file
from sites.transparency.models import BansosRecipient, CovidDaily

__all__ = ["BANSOS_COLUMNS", "COVID_COLUMNS", "synthetic_nik", "synthetic_kk", "demo_bansos_rows",
           "demo_covid_rows", "write_rows", "has_transparency_data", "load_demo_transparency", "PROGRAM_PERIODS"]

BANSOS_COLUMNS = ["nik", "no_kk", "nama", "alamat", "rt", "rw", "kelurahan", "kecamatan", "program", "periode",
                  "nilai", "status"]
COVID_COLUMNS = ["tanggal", "kecamatan", "konfirmasi", "sembuh", "meninggal", "aktif", "suspek"]

# (program, periode, rupiah per household)
PROGRAM_PERIODS = [("BST", "2020-04", 600_000), ("BST", "2020-05", 600_000), ("BST", "2020-06", 600_000),
                   ("PKH", "2020-07", 750_000), ("BPNT", "2020-08", 200_000), ("BANSOS-PEMKOT", "2020-09", 250_000)]
GIVEN = ("Siti Nur Muhammad Ahmad Dewi Rahmat Aminah Budi Fitri Hasan Rina Agus Yusuf Rahmawati Hendra Sri "
         "Eko Wahyu Indah Lestari Fajar Putri Rizky Ayu Andi Dian Yanti Syahrani Arif Nurul Bayu Ratna Ilham "
         "Mega Rudi Sari Taufik Wulan Zainal Halimah Iwan Maya Samsul Fauziah Darmawan Kartini").split()
FAMILY = ("Aminah Hidayat Saputra Wahyuni Ramadhan Santoso Rahman Susanti Pratama Kurniawan Hakim Nugroho "
          "Setiawan Maulana Anggraini Permata Syahputra Utami Firmansyah Hasanah Gunawan Wijaya Safitri "
          "Hamzah Yulianti Effendi Rosita Junaidi Marlina Fadillah").split()
STREETS = ("Pangeran Antasari, Juanda, Pahlawan, Gatot Subroto, Cendana, Sentosa, Wahid Hasyim, Siradj Salman, "
           "Lambung Mangkurat, Merdeka, Bhayangkara, Kadrie Oening, Suryanata, Slamet Riyadi, Anggrek").split(", ")


def synthetic_nik(kec_digits: str, born: date, serial: int, *, female: bool) -> str:
    """A NIK of valid structure: 6472, kecamatan, DDMMYY (day + 40 for women), serial."""
    day = born.day + (40 if female else 0)
    return f"6472{kec_digits}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def synthetic_kk(kec_digits: str, serial: int) -> str:
    """A KK number of valid structure: 6472, kecamatan, six digits, a serial that is not 0000."""
    return f"6472{kec_digits}{(serial // 9999) % 1_000_000:06d}{serial % 9999 + 1:04d}"


def demo_bansos_rows(count: int, *, seed: int = 2020, periods=PROGRAM_PERIODS,
                     kelurahan_codes: set[str] | None = None) -> Iterator[dict]:
    """``count`` recipient rows spread evenly over the city's 59 kelurahan: households in
    round-robin over the kelurahan, each household in every program period, in turn.

    ``kelurahan_codes`` keeps only the rows of those kelurahan (same rows as in the full set).
    """
    rng = random.Random(seed)
    places = [(kec, kel) for kec in all_kecamatan() for kel in kec.kelurahan]
    used: set[str] = set()
    households = -(-count // len(periods))
    emitted = 0
    for h in range(households):
        kec, kel = places[h % len(places)]
        digits = kec.code[-2:]
        female = rng.random() < 0.55
        born = date(1945, 1, 1) + timedelta(days=rng.randrange(365 * 57))
        serial = h // len(places) % 9998 + 1
        nik = synthetic_nik(digits, born, serial, female=female)
        while nik in used:
            serial = serial % 9998 + 1
            nik = synthetic_nik(digits, born, serial, female=female)
        used.add(nik)
        given = rng.choice(GIVEN)
        name = f"{given} {rng.choice(FAMILY)}" if rng.random() < 0.8 else f"{given} {rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        if rng.random() < 0.05:
            name = ("Hj. " if female else "H. ") + name
        household = {
            "nik": nik, "no_kk": synthetic_kk(digits, h + 1), "nama": name,
            "alamat": f"Jl. {rng.choice(STREETS)} No. {rng.randrange(1, 200)}",
            "rt": str(rng.randrange(1, 40)).zfill(3), "rw": str(rng.randrange(1, 12)).zfill(3),
            "kelurahan": kel.name, "kecamatan": kec.name,
        }
        for program, periode, nilai in periods:
            if emitted >= count:
                return
            emitted += 1
            status = "diterima" if rng.random() < 0.88 else "belum"
            if kelurahan_codes is None or kel.code in kelurahan_codes:
                yield {**household, "program": program, "periode": periode, "nilai": str(nilai), "status": status}


def demo_covid_rows(days: int, *, end: date, seed: int = 2020) -> Iterator[dict]:
    """Cumulative daily figures per kecamatan for ``days`` days up to ``end``: three waves of
    new cases, recoveries two weeks later, about 2.5% deaths."""
    rng = random.Random(seed)
    start = end - timedelta(days=days - 1)
    kecamatan = all_kecamatan()
    weights = [0.6 + 0.8 * rng.random() for _ in kecamatan]
    state = [[0, 0, 0] for _ in kecamatan]  # konfirmasi, sembuh, meninggal
    history: list[list[int]] = [[] for _ in kecamatan]  # daily new cases, for recoveries
    waves = [(0.25, 0.06, 12), (0.55, 0.05, 40), (0.8, 0.04, 25)]
    for n in range(days):
        day = start + timedelta(days=n)
        t = n / max(days - 1, 1)
        level = 1 + sum(height * math.exp(-((t - centre) / width) ** 2) for centre, width, height in waves)
        for k, kec in enumerate(kecamatan):
            new = max(0, int(rng.gauss(level * weights[k], 1 + level * 0.25)))
            history[k].append(new)
            konfirmasi, sembuh, meninggal = state[k]
            konfirmasi += new
            if len(history[k]) > 14:
                ended = history[k][-15]
                died = sum(1 for _ in range(ended) if rng.random() < 0.025)
                meninggal += died
                sembuh += ended - died
            state[k] = [konfirmasi, sembuh, meninggal]
            yield {"tanggal": day.isoformat(), "kecamatan": kec.name, "konfirmasi": str(konfirmasi),
                   "sembuh": str(sembuh), "meninggal": str(meninggal), "aktif": str(konfirmasi - sembuh - meninggal),
                   "suspek": str(max(0, int(rng.gauss(level * 2, 2))))}


def write_rows(path: Path, rows, columns: list[str]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row[c] for c in columns])
    return path


def has_transparency_data(uow: UnitOfWork) -> bool:
    session = uow.session
    return any((session.scalar(select(func.count()).select_from(model)) or 0) > 0
               for model in (BansosRecipient, CovidDaily))


def load_demo_transparency(make_uow: Callable[[], UnitOfWork], *, recipients: int = 3000, days: int = 365,
                           today: date | None = None, progress: Callable[[str], None] | None = None,
                           max_bytes: int = 1024 * 1024 * 1024) -> tuple[int, int]:
    """Import synthetic recipients and figures through the importer; returns the row counts."""
    today = today or date.today()
    say = progress or (lambda message: None)
    with tempfile.TemporaryDirectory(prefix="smartcity-demo-transparency-") as tmp:
        bansos = write_rows(Path(tmp) / "bansos-demo.csv", demo_bansos_rows(recipients), BANSOS_COLUMNS)
        covid = write_rows(Path(tmp) / "covid-demo.csv", demo_covid_rows(days, end=today), COVID_COLUMNS)
        counts = []
        for kind, path in (("bansos", bansos), ("covid", covid)):
            with make_uow() as uow:
                summary = import_file(uow, kind, path, imported_by="demo", today=today, max_bytes=max_bytes)
            say(summary.line())
            counts.append(summary.rows)
    return counts[0], counts[1]
