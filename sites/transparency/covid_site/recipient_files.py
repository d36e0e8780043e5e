"""The per-recipient files of the site: each kelurahan's lookup file and masked CSV list.

They are most of a build's data work (one Python step per recipient row to read, mask and
encode) and need nothing from the pages, so a build with two CPUs writes them in a second
process (:func:`start_recipient_files`) while the main one generates the pages and runs MkDocs;
with one CPU, or data already loaded, the same job runs in-process (:func:`write_recipient_files`).

The files are written twice: into the docs folder, only where their bytes changed (a rebuild
reports how many lookup files changed), and into ``publish_dir``, a folder beside the staging
folder. MkDocs does not copy them (``exclude_docs``): the build moves the folders into the
staging site after MkDocs ran, and then leak-checks the whole staging site, with the worker
scanning about half of it (:meth:`RecipientFilesJob.scan`).
"""

from __future__ import annotations

import multiprocessing
import os
from datetime import date
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable, NamedTuple

from commerce.places import Kelurahan, all_kecamatan
from sites.transparency.leaks import Leak, LeakScanner
from sites.transparency.covid_site.data import PublishedRecipient, SiteDataError, as_of_date, load_recipients
from sites.transparency.covid_site.lookup import lookup_bytes, lookup_path
from sites.transparency.covid_site.opendata import recipients_csv, recipients_csv_path

__all__ = ["RecipientFiles", "RecipientFilesError", "RecipientFilesJob", "LIST_DIRS", "write_recipient_files",
           "start_recipient_files", "create_list_files", "usable_cpus"]

LIST_DIRS = ("data/cari", "data/penerima")  # what the job writes; excluded from MkDocs in mkdocs.yml


class RecipientFilesError(RuntimeError):
    """The job failed in the worker process; the message says why (the worker's exception
    types, e.g. a database driver's, are not sent back as they are)."""


class RecipientFiles(NamedTuple):
    recipients: int
    largest_lookup_gz: int  # bytes
    lookup_files_changed: int  # in the docs folder, against the previous build's
    known_identifiers: frozenset[str]  # every imported NIK and KK, for the leak check
    as_of: str  # the "data per" date the lookup files carry
    snapshot: tuple  # the data's read_snapshot(), when the job read the database itself


def _kelurahan() -> list[Kelurahan]:
    return [kel for kec in all_kecamatan() for kel in kec.kelurahan]


def create_list_files(docs_dir: Path) -> None:
    """Make sure every masked list exists in the docs folder before MkDocs lists it: the pages
    link to them, and a strict build fails on a link to a missing file. Never truncates (the
    job may be writing them at the same moment)."""
    for kel in _kelurahan():
        path = docs_dir / recipients_csv_path(kel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()


def _write_if_changed(path: Path, content: bytes) -> bool:
    if path.is_file() and path.stat().st_size == len(content) and path.read_bytes() == content:
        return False
    path.write_bytes(content)
    return True


def write_recipient_files(docs_dir: Path, publish_dir: Path, recipients: dict[str, list[PublishedRecipient]], *,
                          as_of: str, known_identifiers: frozenset[str], snapshot: tuple = ()) -> RecipientFiles:
    """Write every kelurahan's lookup file and masked list (the leak check comes later, over
    the whole staging site)."""
    kecamatan = {kec.code: kec.name for kec in all_kecamatan()}
    for folder in LIST_DIRS:
        (docs_dir / folder).mkdir(parents=True, exist_ok=True)
        (publish_dir / folder).mkdir(parents=True, exist_ok=True)
    largest, changed = 0, 0
    for kel in _kelurahan():
        rows = recipients.get(kel.code, [])
        packed = lookup_bytes(kel, rows, as_of=as_of)
        largest = max(largest, len(packed))
        changed += _write_if_changed(docs_dir / lookup_path(kel), packed)
        (publish_dir / lookup_path(kel)).write_bytes(packed)
        listed = recipients_csv(kel, kecamatan[kel.kecamatan_code], rows)
        _write_if_changed(docs_dir / recipients_csv_path(kel), listed)
        (publish_dir / recipients_csv_path(kel)).write_bytes(listed)
    return RecipientFiles(sum(len(rows) for rows in recipients.values()), largest, changed, known_identifiers,
                          as_of, snapshot)


_scanner: LeakScanner | None = None  # in the worker process: told the identifiers its job read


def _job(database_url: str, docs_dir: str, publish_dir: str, today: date | None) -> RecipientFiles:
    """The worker process's job: read the rows itself (nothing big crosses between processes)."""
    global _scanner
    try:
        recipients, snapshot = load_recipients(database_url)
        _scanner = LeakScanner(recipients.known_identifiers)
        return write_recipient_files(Path(docs_dir), Path(publish_dir), recipients.rows,
                                     as_of=as_of_date(snapshot[0], today).isoformat(),
                                     known_identifiers=recipients.known_identifiers, snapshot=snapshot)
    except SiteDataError as error:
        raise SiteDataError(str(error)) from None
    except Exception as error:  # noqa: BLE001 - sent back as text: not every exception pickles
        raise RecipientFilesError(f"{type(error).__name__}: {error}") from None


def _scan(root: str, paths: list[str]) -> list[Leak]:
    """The worker's share of the leak check of the rendered site, after its job."""
    try:
        return _scanner.scan_files(root, [Path(path) for path in paths])
    except Exception as error:  # noqa: BLE001
        raise RecipientFilesError(f"{type(error).__name__}: {error}") from None


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class RecipientFilesJob:
    """The job running in a worker process (:func:`start_recipient_files`): :meth:`result` waits
    for it; :meth:`scan` then lends the worker to the leak check of the rendered site."""

    def __init__(self, executor: ProcessPoolExecutor, future: Future):
        self._executor, self._future = executor, future

    def result(self) -> RecipientFiles:
        """Wait for the job; its failure is re-raised as :class:`SiteDataError` or :class:`RecipientFilesError`."""
        return _unwrap(self._future)

    def scan(self, root: Path, paths: list[Path]) -> Callable[[], list[Leak]]:
        """Scan ``paths`` in the worker (after :meth:`result`); returns the function that waits for the leaks found."""
        future = self._executor.submit(_scan, str(root), [str(path) for path in paths])
        return lambda: _unwrap(future)

    def close(self) -> None:
        """Wait for the worker to finish whatever it was doing, and let it go."""
        self._executor.shutdown(wait=True)


def _unwrap(future: Future):
    try:
        return future.result()
    except BrokenProcessPool as error:
        raise RecipientFilesError(f"the worker process stopped unexpectedly ({error})") from None


def start_recipient_files(database_url: str, docs_dir: Path, publish_dir: Path, *,
                          today: date | None = None) -> RecipientFilesJob:
    """Start the job in a worker process. Close the returned job when done with it.

    The worker is forked where the platform can (it starts in milliseconds and inherits the
    imported modules), spawned elsewhere; it gets only the database URL and two folders.
    """
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context(method))
    return RecipientFilesJob(executor, executor.submit(_job, database_url, str(docs_dir), str(publish_dir), today))
