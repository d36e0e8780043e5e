"""Import a bansos or COVID-19 spreadsheet: validate everything, then write all or nothing.

Two phases, so that a bad file never touches the database and a good one holds the write lock
only as long as the inserts take:

1. *Check*: stream the file once through the schema and domain rules, collecting every error
   (up to a cap, with a count of the rest). Valid rows are spooled, already typed, to an
   anonymous temporary file (``tempfile.TemporaryFile``: no name on disk, gone when closed,
   even after a crash), never to memory. Any error: :class:`ImportRejected`, nothing written.
2. *Write*, in one transaction: lock the table against other imports, delete the periods the
   file brings (bansos: each program + periode; covid: each tanggal), insert the spooled rows
   in batches, record the import in the history with the periods it replaced, and mark the
   imports it superseded.

Functions take a :class:`commerce.unit_of_work.UnitOfWork`; the CLI adds the terminal.
"""

from __future__ import annotations

import pickle
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import IO, Callable, Iterator, NamedTuple

from sqlalchemy import func, select

from commerce.calendar import CITY_ZONE
from commerce.unit_of_work import UnitOfWork
from sites.transparency.errors import DEFAULT_ERROR_CAP, ErrorLog, ImportRejected, RowError
from sites.transparency.models import DataImport
from sites.transparency.rules import KindRules, rules_for
from sites.transparency.sources import FileProblem, open_source
from sites.transparency.validate import Validator

__all__ = ["import_file", "list_imports", "ImportSummary", "ImportEntry", "ImportRejected", "DEFAULT_MAX_BYTES", "CITY_ZONE"]

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
_BATCH = 1000
PROGRESS_EVERY = 10_000

Progress = Callable[[str, int, int | None], None]  # (phase, rows done, rows in total or None)


class Checked(NamedTuple):
    file_name: str
    sha256: str
    size: int
    rows: int
    periods: list[str]
    encoding: str


class ImportSummary(NamedTuple):
    kind: str
    file_name: str
    rows: int
    periods: list[str]
    replaced_periods: list[str]
    replaced_rows: int
    import_id: int | None  # None for a dry run
    sha256: str
    encoding: str

    @property
    def dry_run(self) -> bool:
        return self.import_id is None

    def line(self) -> str:
        replaced = len(self.replaced_periods)
        if self.dry_run:
            return (f"dry run: {self.rows} rows valid in {self.file_name} ({len(self.periods)} periods, "
                    f"{replaced} would be replaced); nothing imported")
        return f"imported {self.rows} rows ({replaced} periods replaced) from {self.file_name}"


def import_file(uow: UnitOfWork, kind: str, path: str | Path, *, dry_run: bool = False, imported_by: str = "",
                max_bytes: int = DEFAULT_MAX_BYTES, today: date | None = None, progress: Progress | None = None,
                error_cap: int = DEFAULT_ERROR_CAP) -> ImportSummary:
    """Import ``path`` as ``kind`` ('bansos' or 'covid'); raises :class:`ImportRejected` on any error."""
    today = today or datetime.now(CITY_ZONE).date()
    rules = rules_for(kind, today=today)
    with tempfile.TemporaryFile(prefix="smartcity-import-") as spool:
        checked = _check(rules, Path(path), spool=None if dry_run else spool, max_bytes=max_bytes,
                         progress=progress, error_cap=error_cap)
        if dry_run:
            existing = rules.existing(uow.session, checked.periods)
            uow.rollback()
            return _summary(rules, checked, sorted(existing), 0, None)
        return _write(uow, rules, checked, spool, imported_by=imported_by, progress=progress)


def _check(rules: KindRules, path: Path, *, spool: IO[bytes] | None, max_bytes: int,
           progress: Progress | None, error_cap: int) -> Checked:
    errors = ErrorLog(error_cap)
    validator = Validator(rules, errors)
    batch: list[tuple] = []
    rows: Iterator = iter(())
    reported = 0
    try:
        source = open_source(path, max_bytes=max_bytes)
        rows = source.rows()
        for row in rows:
            if validator.columns is None:
                if not validator.header(row):
                    break
                continue
            record = validator.check(row)
            if record is not None and spool is not None and not errors:
                batch.append(rules.db_row(record))
                if len(batch) >= _BATCH:
                    pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
                    batch = []
            if progress and validator.rows % PROGRESS_EVERY == 0 and validator.rows != reported:
                reported = validator.rows
                progress("checking", reported, None)
        else:
            for number, reason in source.encoding_problems():
                errors.add(RowError(number, None, None, reason))
            if validator.columns is None:
                errors.add(RowError(None, None, None, "berkas kosong: tidak ada baris judul kolom"))
            elif validator.rows == 0 and not errors:
                errors.add(RowError(None, None, None, "tidak ada baris data di bawah judul kolom"))
    except FileProblem as problem:
        errors.add(RowError(problem.row, None, None, str(problem)))
    finally:
        close = getattr(rows, "close", None)
        if close:  # a generator left early (bad header) closes its file or workbook now
            close()
    if errors:
        raise ImportRejected(path.name, errors.errors, errors.total, rows_checked=validator.rows)
    if spool is not None and batch:
        pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
    return Checked(path.name, source.sha256, source.size, validator.rows, sorted(validator.periods), source.encoding)


def _spooled(spool: IO[bytes]) -> Iterator[list[tuple]]:
    spool.seek(0)
    while True:
        try:
            yield pickle.load(spool)  # our own anonymous temp file, written above
        except EOFError:
            return


def _write(uow: UnitOfWork, rules: KindRules, checked: Checked, spool: IO[bytes], *, imported_by: str,
           progress: Progress | None) -> ImportSummary:
    uow.begin_write()
    session = uow.session
    rules.lock(session)
    existing = rules.existing(session, checked.periods)
    record = DataImport(kind=rules.kind, file_name=checked.file_name[:255], sha256=checked.sha256,
                        file_size=checked.size, rows=checked.rows, periods=checked.periods,
                        replaced_periods=sorted(existing), replaced_rows=0, status="active",
                        imported_by=(imported_by or "unknown")[:200])
    session.add(record)
    session.flush()
    record.replaced_rows = rules.delete_periods(session, checked.periods)
    table = rules.model.__table__
    inserted = 0
    for batch in _spooled(spool):
        session.execute(table.insert(), [dict(zip(rules.columns, values), import_id=record.id) for values in batch])
        inserted += len(batch)
        if progress and checked.rows >= PROGRESS_EVERY:
            progress("writing", inserted, checked.rows)
    if inserted != checked.rows:  # cannot happen unless the spool is corrupt; never commit then
        raise RuntimeError(f"spooled {inserted} rows but checked {checked.rows}")
    _mark_superseded(session, rules, {i for ids in existing.values() for i in ids})
    uow.commit()
    return _summary(rules, checked, record.replaced_periods, record.replaced_rows, record.id)


def _mark_superseded(session, rules: KindRules, import_ids: set[int]) -> None:
    for import_id in sorted(import_ids):
        left = session.scalar(select(func.count()).select_from(rules.model).where(rules.model.import_id == import_id))
        old = session.get(DataImport, import_id)
        old.status = "superseded" if left == 0 else "partly_superseded"


def _summary(rules, checked: Checked, replaced: list[str], replaced_rows: int, import_id: int | None) -> ImportSummary:
    return ImportSummary(rules.kind, checked.file_name, checked.rows, checked.periods, replaced, replaced_rows,
                         import_id, checked.sha256, checked.encoding)


class ImportEntry(NamedTuple):
    """One line of the import history, detached from the session."""

    id: int
    kind: str
    file_name: str
    sha256: str
    file_size: int
    rows: int
    periods: list[str]
    replaced_periods: list[str]
    replaced_rows: int
    status: str
    imported_by: str
    imported_at: datetime


def list_imports(uow: UnitOfWork, kind: str | None = None, *, limit: int = 100) -> list[ImportEntry]:
    """The import history, newest first."""
    query = select(DataImport).order_by(DataImport.id.desc()).limit(limit)
    if kind:
        query = query.where(DataImport.kind == kind)
    return [ImportEntry(*(getattr(row, name) for name in ImportEntry._fields)) for row in uow.session.scalars(query)]
