"""Structure checks for NIK (Nomor Induk Kependudukan) and KK (Kartu Keluarga) numbers.

A NIK is PP KK CC DDMMYY SSSS: province 64 (Kalimantan Timur), city 72 (Samarinda), the
kecamatan of registration, the birth date (day + 40 for women, so 41-71), and a serial that is
never 0000. A KK number has the same region prefix. These checks catch the usual spreadsheet
accidents (a digit dropped, two columns swapped, Excel rounding a number) before bad
identifiers reach the deduplication the city relies on. Reasons never repeat the whole
number: the caller shows a masked value beside them.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import NamedTuple

from commerce.places import NIK_REGION_CODE, all_kecamatan

__all__ = ["nik_problem", "kk_problem", "nik_birth_date", "BirthDate"]


class BirthDate(NamedTuple):
    date: date
    female: bool


@cache
def _kecamatan_digits() -> frozenset[str]:
    # "64.72.08" -> "08": the two NIK digits after the region code.
    return frozenset(kec.code.rsplit(".", 1)[-1] for kec in all_kecamatan())


def _shape_problem(value: str, label: str) -> str | None:
    if not value.isascii() or not value.isdigit():
        return f"{label} hanya boleh berisi angka (16 digit, tanpa spasi atau tanda baca)"
    if len(value) != 16:
        return f"{label} harus 16 digit, tertulis {len(value)} digit"
    if not value.startswith(NIK_REGION_CODE):
        return f"{label} bukan dari Kota Samarinda: 4 digit pertama harus {NIK_REGION_CODE} (64.72)"
    if value[4:6] not in _kecamatan_digits():
        return f"{label}: digit 5-6 ({value[4:6]}) bukan kode kecamatan di Kota Samarinda (01-10)"
    return None


def nik_birth_date(nik: str, *, today: date) -> BirthDate | str:
    """The birth date encoded in digits 7-12, or the reason it is impossible.

    The century is the latest one that does not put the birth in the future (YY 05 is 2005
    in 2025, YY 30 is 1930).
    """
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    female = day > 40
    if female:
        day -= 40
    if not 1 <= day <= 31:
        return (f"tanggal lahir dalam NIK tidak mungkin: digit 7-8 ({nik[6:8]}) harus 01-31 untuk "
                "laki-laki atau 41-71 untuk perempuan (tanggal + 40)")
    if not 1 <= month <= 12:
        return f"bulan lahir dalam NIK tidak mungkin: digit 9-10 ({nik[8:10]}) harus 01-12"
    for century in (2000, 1900):
        try:
            born = date(century + yy, month, day)
        except ValueError:
            continue  # 29 February exists in 2000 but not in 1900
        if born <= today:
            return BirthDate(born, female)
    return f"tanggal lahir dalam NIK tidak ada di kalender (tanggal {day:02d} bulan {month:02d})"


def nik_problem(nik: str, *, today: date) -> str | None:
    """Why ``nik`` cannot be a Samarinda NIK, or None."""
    problem = _shape_problem(nik, "NIK")
    if problem:
        return problem
    born = nik_birth_date(nik, today=today)
    if isinstance(born, str):
        return born
    if nik[12:] == "0000":
        return "nomor urut NIK (digit 13-16) tidak boleh 0000"
    return None


def kk_problem(no_kk: str) -> str | None:
    """Why ``no_kk`` cannot be a Samarinda KK number, or None."""
    problem = _shape_problem(no_kk, "Nomor KK")
    if problem:
        return problem
    if no_kk[12:] == "0000":
        return "nomor urut KK (digit 13-16) tidak boleh 0000"
    return None
