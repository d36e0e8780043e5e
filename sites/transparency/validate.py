"""Row-by-row validation of one import file against its schema and domain rules.

The validator keeps only what it must between rows: the column map, the set of periods, and
the primary keys seen so far as 128-bit digests (to name the row a duplicate repeats), so
memory grows by a few dozen bytes per row whatever the width of the file. Every problem is
recorded in an :class:`~.errors.ErrorLog` with the value masked for display.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from sites.transparency.errors import ErrorLog, RowError
from sites.transparency.identifiers import mask_identifier
from sites.transparency.privacy import mask_name, scrub_text
from sites.transparency.rules import RULES, KindRules
from sites.transparency.schema import cell_text, load_schema
from sites.transparency.sources import Row

__all__ = ["Validator", "normalise_column"]

_MAX_SHOWN = 60


def normalise_column(name: Any) -> str:
    """'  No KK ' -> 'no_kk': header cells compare without case and with spaces as underscores."""
    text = cell_text(name).replace("\ufeff", "").lower()
    return re.sub(r"[\s\-]+", "_", text.replace(".", " ").strip())


class Validator:
    def __init__(self, rules: KindRules, errors: ErrorLog):
        self.rules = rules
        self.schema = rules.schema
        self.errors = errors
        self.columns: dict[str, int] | None = None  # field name -> cell index
        self.unnamed: list[int] = []  # indexes of header cells without a name
        self.rows = 0
        self.periods: set[str] = set()
        self._seen: dict[int, int] = {}

    # -- display ------------------------------------------------------------------------------
    def shown(self, column: str | None, value: Any) -> str:
        text = cell_text(value)
        if column in self.rules.identifier_fields:
            return mask_identifier(text)
        if column == "nama":
            return mask_name(text)[:_MAX_SHOWN]
        text = scrub_text(text)
        return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN - 1] + "…"

    def report(self, row: int, column: str | None, value: Any, reason: str) -> None:
        self.errors.add(RowError(row, column, self.shown(column, value) if value is not None else None, reason))

    # -- header -------------------------------------------------------------------------------
    def header(self, row: Row) -> bool:
        """Map the header row to the schema's fields; False (with errors recorded) if it doesn't."""
        expected = self.schema.field_names
        names = [normalise_column(c) for c in row.cells]
        while names and names[-1] == "":
            names.pop()
        if not names:
            self.report(row.number, None, None, "baris pertama kosong: baris pertama harus berisi nama kolom "
                        + ", ".join(expected))
            return False
        columns: dict[str, int] = {}
        for index, name in enumerate(names):
            if name == "":
                self.unnamed.append(index)
            elif name in columns:
                self.report(row.number, name, None, "nama kolom muncul lebih dari sekali")
            elif name not in expected:
                self.report(row.number, name, None, "kolom tidak dikenal dalam skema " + self.rules.kind)
            else:
                columns[name] = index
        missing = [name for name in expected if name not in columns]
        for name in missing:
            self.report(row.number, name, None, "kolom wajib tidak ada")
        if missing:
            self._hint_other_kind(row.number, set(names))
        if self.errors:
            self.report(row.number, None, None, "kolom yang diharapkan (urutan bebas): " + ", ".join(expected))
            return False
        self.columns = columns
        return True

    def _hint_other_kind(self, row: int, names: set[str]) -> None:
        for kind in RULES:
            if kind != self.rules.kind and set(load_schema(kind).field_names) <= names:
                self.report(row, None, None, f"berkas ini tampaknya data {kind}, bukan {self.rules.kind}")

    # -- rows ---------------------------------------------------------------------------------
    def check(self, row: Row) -> dict | None:
        """The row's typed, normalised record, or None (errors recorded, or a blank row)."""
        cells = row.cells
        if all(cell_text(c) == "" for c in cells):
            return None  # blank lines and formatted-but-empty spreadsheet rows
        self.rows += 1
        before = self.errors.total
        width = max(self.columns.values()) + 1
        for index in [*self.unnamed, *range(width, len(cells))]:
            if index < len(cells) and cell_text(cells[index]) != "":
                self.report(row.number, f"ke-{index + 1} (tanpa judul)", cells[index],
                            "ada isi di kolom tanpa judul; hapus isinya atau beri judul kolom yang benar")
        record: dict[str, Any] = {}
        bad: set[str] = set()
        for field in self.schema.fields:
            index = self.columns[field.name]
            raw = cells[index] if index < len(cells) else None
            value, problem = self.rules.cast(field, raw)
            if problem:
                self.report(row.number, field.name, raw, problem)
                bad.add(field.name)
            else:
                record[field.name] = value

        def report(column: str, value: Any, reason: str) -> None:
            bad.add(column)
            self.report(row.number, column, value, reason)

        self.rules.check_record(record, bad, report)
        if not set(self.schema.primary_key) & bad:
            self._check_duplicate(row.number, record)
        if self.errors.total > before:
            return None
        self.periods.add(self.rules.period(record))
        return record

    def _check_duplicate(self, row: int, record: dict) -> None:
        key = "\x1f".join(str(record[name]) for name in self.schema.primary_key)
        digest = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=16).digest(), "big")
        first = self._seen.setdefault(digest, row)
        if first != row:
            titles = " + ".join(self.schema.field(name).title for name in self.schema.primary_key)
            column = self.schema.primary_key[0]
            self.report(row, column, record[column], f"duplikat: {titles} sama dengan baris {first}")
