"""Domain rules per kind of import, beyond what a Table Schema can say.

``bansos``: NIK and KK structure (:mod:`.nik`), kecamatan and kelurahan from the city's
reference data (``commerce.places``) with the kelurahan inside that kecamatan, RT/RW stored as
three digits, a period replaced as a whole per (program, periode). ``covid``: dates not in the
future, cumulative figures that add up (aktif = konfirmasi - sembuh - meninggal), a period
replaced as a whole per tanggal. Each rule object also knows how its rows are stored, so the
importer stays the same for both kinds.
"""

from __future__ import annotations

import difflib
from datetime import date
from functools import lru_cache
from typing import Any, Callable

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.orm import Session

from commerce.places import all_kecamatan, find_kecamatan, find_kelurahan
from sites.transparency.models import BansosRecipient, CovidDaily
from sites.transparency.nik import kk_problem, nik_problem
from sites.transparency.schema import Field, TableSchema, cast_cell, cell_text, load_schema

__all__ = ["KindRules", "BansosRules", "CovidRules", "rules_for"]

Report = Callable[[str, Any, str], None]  # (column, value, reason)
_CHUNK = 500  # periods per IN (...) / OR clause


def _suggest(value: str, names: list[str]) -> str:
    close = difflib.get_close_matches(value.title(), names, n=1, cutoff=0.75)
    return f" Mungkin maksudnya: {close[0]}?" if close else ""


def _kecamatan(value: Any) -> tuple[str | None, str | None]:
    return _kecamatan_by_name(cell_text(value))


@lru_cache(maxsize=1024)  # a file names the same few places over and over
def _kecamatan_by_name(name: str) -> tuple[str | None, str | None]:
    kec = find_kecamatan(name)
    if kec is None:
        names = [k.name for k in all_kecamatan()]
        return None, f"kecamatan tidak ada di Kota Samarinda.{_suggest(name, names)}"
    return kec.code, None


@lru_cache(maxsize=4096)
def _kelurahan_code(kecamatan_code: str, name: str) -> str | None:
    kel = find_kelurahan(find_kecamatan(kecamatan_code), name)
    return kel.code if kel else None


class KindRules:
    kind = ""
    model: type = object
    columns: tuple[str, ...] = ()  # stored columns, in the order db_row gives them
    identifier_fields: frozenset[str] = frozenset()  # personal numbers: masked wherever shown

    def __init__(self, *, today: date):
        self.today = today
        self.schema: TableSchema = load_schema(self.kind)

    # -- validation -------------------------------------------------------------------------
    def cast(self, field: Field, raw: Any) -> tuple[Any, str | None]:
        """The typed value of one cell, or the reason it is wrong."""
        return cast_cell(field, raw)

    def check_record(self, record: dict, bad: set[str], report: Report) -> None:
        """Rules across fields of one row; ``bad`` names fields that already failed."""

    def period(self, record: dict) -> str:
        raise NotImplementedError

    def db_row(self, record: dict) -> tuple:
        raise NotImplementedError

    # -- storage ----------------------------------------------------------------------------
    def _period_clauses(self, periods: list[str]) -> list:
        raise NotImplementedError

    def _period_columns(self) -> tuple:
        raise NotImplementedError

    def _period_label(self, row) -> str:
        raise NotImplementedError

    def lock(self, session: Session) -> None:
        """Serialise imports of this kind; readers of the site are not blocked.

        SQLite needs nothing: the write transaction already holds its only write lock.
        """
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text(f"LOCK TABLE {self.model.__tablename__} IN SHARE ROW EXCLUSIVE MODE"))

    def existing(self, session: Session, periods: list[str]) -> dict[str, dict[int, int]]:
        """For each period of ``periods`` already stored: {import_id: rows}."""
        found: dict[str, dict[int, int]] = {}
        columns = self._period_columns()
        for clause in self._period_clauses(periods):
            query = (select(*columns, self.model.import_id, func.count())
                     .where(clause).group_by(*columns, self.model.import_id))
            for row in session.execute(query):
                found.setdefault(self._period_label(row), {})[row.import_id] = row[-1]
        return found

    def delete_periods(self, session: Session, periods: list[str]) -> int:
        deleted = 0
        for clause in self._period_clauses(periods):
            deleted += session.execute(self.model.__table__.delete().where(clause)).rowcount
        return deleted


class BansosRules(KindRules):
    kind = "bansos"
    model = BansosRecipient
    columns = ("nik", "no_kk", "nama", "alamat", "rt", "rw", "kecamatan_code", "kelurahan_code",
               "program", "periode", "nilai", "status")
    identifier_fields = frozenset({"nik", "no_kk"})

    def cast(self, field: Field, raw: Any) -> tuple[Any, str | None]:
        name = field.name
        if name in self.identifier_fields and isinstance(raw, (int, float)) and not isinstance(raw, bool):
            label = "NIK" if name == "nik" else "Nomor KK"
            return None, (f"{label} tersimpan sebagai angka, dan Excel membulatkan angka lebih dari 15 "
                          "digit; format kolom sebagai Teks lalu ketik ulang nomornya")
        if name == "periode" and hasattr(raw, "year") and hasattr(raw, "month"):
            # Excel turns a typed "2020-04" into the date 1 April 2020.
            if getattr(raw, "day", 1) == 1:
                raw = f"{raw.year:04d}-{raw.month:02d}"
        if name in self.identifier_fields:
            # The NIK/KK rules imply the schema's pattern and say precisely what is wrong.
            value = cell_text(raw)
            if value == "":
                return None, "wajib diisi"
            return value, nik_problem(value, today=self.today) if name == "nik" else kk_problem(value)
        if name == "periode" and isinstance(raw, str):
            raw = raw.strip().upper()
        value, problem = cast_cell(field, raw)
        if problem or value is None:
            return value, problem
        if name == "kecamatan":
            return _kecamatan(value)
        if name in ("rt", "rw"):
            return value.zfill(3), None
        if name == "nama" and any(c.isdigit() for c in value):
            return None, "nama tidak boleh berisi angka (NIK atau nomor lain di kolom yang salah?)"
        return value, None

    def check_record(self, record: dict, bad: set[str], report: Report) -> None:
        if "kecamatan" in bad or "kelurahan" in bad:
            return
        kel_code = _kelurahan_code(record["kecamatan"], record["kelurahan"])
        if kel_code is not None:
            record["kelurahan"] = kel_code
            return
        kec = find_kecamatan(record["kecamatan"])
        for other in all_kecamatan():
            elsewhere = find_kelurahan(other, record["kelurahan"])
            if elsewhere is not None:
                report("kelurahan", record["kelurahan"],
                       f"kelurahan {elsewhere.name} berada di Kecamatan {other.name}, bukan di Kecamatan {kec.name}")
                return
        names = [k.name for k in kec.kelurahan]
        report("kelurahan", record["kelurahan"], f"kelurahan tidak ada di Kecamatan {kec.name}."
               + _suggest(record["kelurahan"], names) + " Pilihan: " + ", ".join(names))

    def period(self, record: dict) -> str:
        return f"{record['program']} {record['periode']}"

    def db_row(self, record: dict) -> tuple:
        r = record
        return (r["nik"], r["no_kk"], r["nama"], r["alamat"], r["rt"], r["rw"], r["kecamatan"],
                r["kelurahan"], r["program"], r["periode"], r["nilai"], r["status"])

    def _period_clauses(self, periods: list[str]) -> list:
        m = self.model
        pairs = [p.split(" ", 1) for p in periods]
        return [or_(*(and_(m.program == prog, m.periode == per) for prog, per in pairs[i:i + _CHUNK]))
                for i in range(0, len(pairs), _CHUNK)]

    def _period_columns(self) -> tuple:
        return (self.model.program, self.model.periode)

    def _period_label(self, row) -> str:
        return f"{row.program} {row.periode}"


class CovidRules(KindRules):
    kind = "covid"
    model = CovidDaily
    columns = ("tanggal", "kecamatan_code", "konfirmasi", "sembuh", "meninggal", "aktif", "suspek")

    def cast(self, field: Field, raw: Any) -> tuple[Any, str | None]:
        value, problem = cast_cell(field, raw)
        if problem or value is None:
            return value, problem
        if field.name == "kecamatan":
            return _kecamatan(value)
        if field.name == "tanggal" and value > self.today:
            return None, "tanggal di masa depan"
        return value, None

    def check_record(self, record: dict, bad: set[str], report: Report) -> None:
        if bad & {"konfirmasi", "sembuh", "meninggal", "aktif"}:
            return
        closed = record["sembuh"] + record["meninggal"]
        if closed > record["konfirmasi"]:
            report("sembuh", record["sembuh"], f"sembuh + meninggal ({closed}) melebihi konfirmasi "
                                               f"({record['konfirmasi']})")
        elif record["aktif"] != record["konfirmasi"] - closed:
            report("aktif", record["aktif"], f"aktif harus sama dengan konfirmasi - sembuh - meninggal "
                                             f"= {record['konfirmasi'] - closed}")

    def period(self, record: dict) -> str:
        return record["tanggal"].isoformat()

    def db_row(self, record: dict) -> tuple:
        r = record
        return (r["tanggal"], r["kecamatan"], r["konfirmasi"], r["sembuh"], r["meninggal"], r["aktif"], r["suspek"])

    def _period_clauses(self, periods: list[str]) -> list:
        days = [date.fromisoformat(p) for p in periods]
        return [self.model.tanggal.in_(days[i:i + _CHUNK]) for i in range(0, len(days), _CHUNK)]

    def _period_columns(self) -> tuple:
        return (self.model.tanggal,)

    def _period_label(self, row) -> str:
        return row.tanggal.isoformat()


RULES = {"bansos": BansosRules, "covid": CovidRules}


def rules_for(kind: str, *, today: date) -> KindRules:
    if kind not in RULES:
        raise ValueError(f"unknown import kind {kind!r}; expected one of {', '.join(RULES)}")
    return RULES[kind](today=today)
