"""Read the imported rows and keep only what the site may publish.

This is the privacy boundary of the site: everything after :func:`load_site_data` works on
:class:`PublishedRecipient` and :class:`CovidDay`, which cannot carry a NIK, KK number,
street address, birth date or phone number, because they have no field for one. Names are
masked (:func:`~sites.transparency.privacy.mask_name`); every other text that is published
(RT, RW, program, periode, status) is scrubbed (:func:`~sites.transparency.privacy.scrub_text`)
because the database is not trusted either: a row may have been written around the importer.
The NIK and KK numbers are read only to tell the leak check what it must never find; they go
into :attr:`SiteData.known_identifiers` and nowhere else.

Places are published by their reference names (``commerce.places``), never as stored: a row
whose kecamatan or kelurahan code is not in the reference data stops the build.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import NamedTuple

from sqlalchemy import Connection, func, select
from sqlalchemy.engine import Engine

from commerce.calendar import CITY_ZONE
from commerce.db import make_engine
from commerce.places import Kecamatan, Kelurahan, all_kecamatan
from sites.transparency.identifiers import mask_identifier
from sites.transparency.models import BansosRecipient, CovidDaily, DataImport
from sites.transparency.privacy import mask_name, scrub_text
from sites.transparency.covid_site.memo import Memo

__all__ = ["SiteData", "PublishedRecipient", "CovidDay", "SiteDataError", "load_site_data", "read_site_data",
           "load_site_figures", "load_recipients", "Recipients", "as_of_date", "RecipientPublisher", "BansosGroups",
           "CITY_ZONE", "STATUS_LABELS"]

STATUS_LABELS = {"diterima": "Diterima", "belum": "Belum diterima"}
_STREAM = 5000


class SiteDataError(ValueError):
    """The database holds rows the site cannot publish (e.g. a place outside the reference data)."""


class PublishedRecipient(NamedTuple):
    """One recipient row as the public may see it."""

    nama: str  # masked: "S*** A*****"
    rt: str
    rw: str
    kelurahan_code: str
    program: str
    periode: str
    status: str  # "diterima" | "belum" (or scrubbed text for anything else)
    nilai: int


class CovidDay(NamedTuple):
    tanggal: date
    kecamatan_code: str
    konfirmasi: int
    sembuh: int
    meninggal: int
    aktif: int
    suspek: int


# (kelurahan code, program, periode, status), all published (scrubbed) -> [rows, rupiah]
BansosGroups = dict[tuple[str, str, str, str], list[int]]


class SiteData(NamedTuple):
    as_of: date  # "data per tanggal": the day (WITA) of the latest import
    covid: list[CovidDay]  # sorted by (tanggal, kecamatan)
    recipients: dict[str, list[PublishedRecipient]]  # kelurahan code -> rows, sorted by name
    known_identifiers: frozenset[str]  # every imported NIK and KK: for the leak check only
    # Set instead of ``recipients`` when the rows are read and published by another process
    # (see :mod:`.recipient_files`): the pages need only these sums, read by SQL.
    bansos_groups: BansosGroups | None = None
    snapshot: tuple = ()  # (latest import time, recipient rows): both processes must read the same data

    @property
    def kecamatan(self) -> tuple[Kecamatan, ...]:
        return all_kecamatan()

    def kelurahan(self) -> list[Kelurahan]:
        return [kel for kec in all_kecamatan() for kel in kec.kelurahan]

    def recipient_count(self) -> int:
        if self.bansos_groups is not None:
            return sum(count for count, _ in self.bansos_groups.values())
        return sum(len(rows) for rows in self.recipients.values())


def _places() -> tuple[dict[str, Kecamatan], dict[str, Kelurahan]]:
    kecamatan = {kec.code: kec for kec in all_kecamatan()}
    kelurahan = {kel.code: kel for kec in all_kecamatan() for kel in kec.kelurahan}
    return kecamatan, kelurahan


def _clean(value) -> str:
    return scrub_text(str(value if value is not None else "").strip())


def _unknown_place(kind: str, value) -> SiteDataError:
    # The stored value may be anything (even a pasted identifier): show it masked.
    shown = mask_identifier("".join(str(value or "")))
    return SiteDataError(f"{kind} code {shown!r} in the database is not in Samarinda's reference data; "
                         "fix or re-import the rows before building the site")


class RecipientPublisher:
    """Turns ``bansos_recipients`` rows into their public form, remembering what it did: a read
    repeats the same names (one household, several periods) and the same few RT/RW, program,
    period and status values many times, so each distinct value is masked or scrubbed once."""

    def __init__(self, kelurahan: dict[str, Kelurahan]):
        self._kelurahan = kelurahan
        self._names: Memo[str, str] = Memo(lambda nama: mask_name(scrub_text(nama)))
        self._rt_rw: Memo[tuple, tuple[str, str]] = Memo(lambda key: (_clean(key[0]), _clean(key[1])))
        self.labels: Memo[tuple, tuple[str, str, str]] = Memo(
            lambda key: (_clean(key[0]), _clean(key[1]), _clean(key[2]).lower()))

    def __call__(self, nama, rt, rw, kelurahan_code, program, periode, status, nilai) -> PublishedRecipient:
        if kelurahan_code not in self._kelurahan:
            raise _unknown_place("kelurahan", kelurahan_code)
        return _recipient((self._names[nama], *self._rt_rw[rt, rw], kelurahan_code,
                           *self.labels[program, periode, status], int(nilai or 0)))


_recipient = PublishedRecipient._make


def published_recipient(row, kelurahan: dict[str, Kelurahan]) -> PublishedRecipient:
    """The public form of one ``bansos_recipients`` row (a row mapping with its columns)."""
    return RecipientPublisher(kelurahan)(row.nama, row.rt, row.rw, row.kelurahan_code, row.program, row.periode,
                                         row.status, row.nilai)


class Recipients(NamedTuple):
    rows: dict[str, list[PublishedRecipient]]  # kelurahan code -> rows, sorted by name
    known_identifiers: frozenset[str]


def read_recipients(conn: Connection) -> Recipients:
    """Every recipient row in its public form, per kelurahan, and every NIK and KK (for the leak check)."""
    _, kelurahan = _places()
    r = BansosRecipient
    recipients: dict[str, list[PublishedRecipient]] = {code: [] for code in kelurahan}
    known: set = set()  # every NIK and KK: what the leak check must never find
    publish = RecipientPublisher(kelurahan)
    # Core rows of just the columns needed, streamed: no ORM objects for 100,000 rows.
    query = select(r.nama, r.rt, r.rw, r.kelurahan_code, r.program, r.periode, r.status, r.nilai, r.nik, r.no_kk)
    for rows in conn.execution_options(yield_per=_STREAM).execute(query).partitions():
        for nama, rt, rw, kelurahan_code, program, periode, status, nilai, nik, no_kk in rows:
            published = publish(nama, rt, rw, kelurahan_code, program, periode, status, nilai)
            recipients[kelurahan_code].append(published)
            known.add(nik)
            known.add(no_kk)
    for rows in recipients.values():
        rows.sort()  # by masked name, then RT, RW ...
    return Recipients(recipients, frozenset(value if isinstance(value, str) else str(value) for value in known))


def read_bansos_groups(conn: Connection) -> BansosGroups:
    """The recipient rows summed by SQL per kelurahan, program, period and status: what the
    pages and the summary show, without reading 100,000 rows into Python. The labels are
    scrubbed as :class:`RecipientPublisher` scrubs them, so the sums equal those of the rows."""
    _, kelurahan = _places()
    r = BansosRecipient
    labels = RecipientPublisher(kelurahan).labels
    groups: BansosGroups = {}
    query = select(r.kelurahan_code, r.program, r.periode, r.status, func.count(), func.sum(r.nilai)).group_by(
        r.kelurahan_code, r.program, r.periode, r.status)
    for kelurahan_code, program, periode, status, count, nilai in conn.execute(query):
        if kelurahan_code not in kelurahan:
            raise _unknown_place("kelurahan", kelurahan_code)
        group = groups.setdefault((kelurahan_code, *labels[program, periode, status]), [0, 0])
        group[0] += count
        group[1] += int(nilai or 0)
    return groups


def _read_covid(conn: Connection) -> list[CovidDay]:
    kecamatan, _ = _places()
    c = CovidDaily
    covid = []
    query = select(c.tanggal, c.kecamatan_code, c.konfirmasi, c.sembuh, c.meninggal, c.aktif, c.suspek)
    for row in conn.execute(query.order_by(c.tanggal, c.kecamatan_code)):
        if row.kecamatan_code not in kecamatan:
            raise _unknown_place("kecamatan", row.kecamatan_code)
        covid.append(CovidDay(*row))
    return covid


def read_snapshot(conn: Connection) -> tuple:
    """What tells two reads of the same database apart: the latest import and the row count."""
    latest = conn.scalar(select(func.max(DataImport.imported_at)))
    return (latest, conn.scalar(select(func.count()).select_from(BansosRecipient)))


def as_of_date(latest: datetime | None, today: date | None = None) -> date:
    """The "data per tanggal": the day (WITA) of the latest import."""
    if latest is None:
        return today or datetime.now(CITY_ZONE).date()
    if latest.tzinfo is None:  # SQLite hands back naive UTC
        latest = latest.replace(tzinfo=timezone.utc)
    return latest.astimezone(CITY_ZONE).date()


def read_site_data(conn: Connection, *, today: date | None = None) -> SiteData:
    """Everything the site needs, from an open connection (one consistent read)."""
    recipients = read_recipients(conn)
    covid = _read_covid(conn)
    latest = conn.scalar(select(func.max(DataImport.imported_at)))
    return SiteData(as_of_date(latest, today), covid, recipients.rows, recipients.known_identifiers)


def read_site_figures(conn: Connection, *, today: date | None = None) -> SiteData:
    """What the pages need, with the recipients summed by SQL instead of read (``recipients``
    empty, ``bansos_groups`` set); the rows are published by :func:`read_recipients` elsewhere."""
    snapshot = read_snapshot(conn)
    return SiteData(as_of_date(snapshot[0], today), _read_covid(conn), {}, frozenset(),
                    bansos_groups=read_bansos_groups(conn), snapshot=snapshot)


def _with_connection(database: str | Engine, read):
    engine = make_engine(database) if isinstance(database, str) else database
    try:
        with engine.connect() as conn:
            return read(conn)
    finally:
        if isinstance(database, str):
            engine.dispose()


def load_site_figures(database: str | Engine, *, today: date | None = None) -> SiteData:
    """:func:`read_site_figures` from a database URL or an engine."""
    return _with_connection(database, lambda conn: read_site_figures(conn, today=today))


def load_recipients(database: str | Engine) -> tuple[Recipients, tuple]:
    """:func:`read_recipients` from a database URL or an engine, with the :func:`read_snapshot` it was read at."""
    return _with_connection(database, lambda conn: (read_recipients(conn), read_snapshot(conn)))


def load_site_data(database: str | Engine, *, today: date | None = None) -> SiteData:
    """:func:`read_site_data` from a database URL (``Settings().database_url``) or an engine."""
    return _with_connection(database, lambda conn: read_site_data(conn, today=today))
