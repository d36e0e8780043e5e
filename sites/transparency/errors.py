"""What a rejected import reports: every bad row with its number, column, value and reason.

The audience is city staff fixing a spreadsheet, so reasons are in Bahasa Indonesia and name
the row as the spreadsheet numbers it (the header is row 1). Values are shown only after
masking (NIK/KK keep their first and last four digits, names their initials), because these
reports end up in terminals, e-mails and logs.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["RowError", "ErrorLog", "ImportRejected", "DEFAULT_ERROR_CAP"]

DEFAULT_ERROR_CAP = 1000


class RowError(NamedTuple):
    row: int | None  # None: the file as a whole (size, format)
    column: str | None
    value: str | None  # already masked for display
    reason: str

    def line(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"baris {self.row}")
        if self.column:
            where.append(f"kolom {self.column}")
        if self.value not in (None, ""):
            where.append(f"nilai '{self.value}'")
        return (", ".join(where) + ": " if where else "") + self.reason


class ErrorLog:
    """Collects errors up to ``cap`` and counts the rest, so a broken 1-million-row file
    cannot exhaust memory with its own error report."""

    def __init__(self, cap: int = DEFAULT_ERROR_CAP):
        self.cap = cap
        self.errors: list[RowError] = []
        self.total = 0

    def add(self, error: RowError) -> None:
        self.total += 1
        if len(self.errors) < self.cap:
            self.errors.append(error)

    def __bool__(self) -> bool:
        return self.total > 0


class ImportRejected(Exception):
    """The file was refused; nothing was imported. ``errors`` holds the first ``cap`` errors
    sorted by row, ``total`` counts them all."""

    def __init__(self, file_name: str, errors: list[RowError], total: int | None = None, *, rows_checked: int = 0):
        self.file_name = file_name
        self.errors = sorted(errors, key=lambda e: (e.row or 0))
        self.total = len(errors) if total is None else total
        self.rows_checked = rows_checked
        super().__init__(self.headline())

    @classmethod
    def file_problem(cls, file_name: str, reason: str, *, row: int | None = None) -> "ImportRejected":
        return cls(file_name, [RowError(row, None, None, reason)])

    def headline(self) -> str:
        count = f"{self.total} kesalahan" if self.total > 1 else "1 kesalahan"
        return f"{self.file_name} ditolak ({count}); tidak ada data yang diimpor."

    def report_lines(self) -> list[str]:
        lines = [self.headline()]
        lines += ["  " + error.line() for error in self.errors]
        rest = self.total - len(self.errors)
        if rest > 0:
            lines.append(f"  ... dan {rest} kesalahan lain yang tidak ditampilkan.")
        return lines
