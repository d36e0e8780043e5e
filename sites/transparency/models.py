"""Tables of the transparency data: the import history, bansos recipients and COVID-19 figures.

They live on their own declarative base and Alembic history (``alembic_version_transparency``)
rather than in the commerce schema: the marketplace and the transparency site share a database
but not a release cycle, and ``commerce`` must not know about ``sites``. The naming convention
is commerce's, so constraint names look the same everywhere.

NIK and KK numbers are stored because the city deduplicates recipients by them; they are never
published or printed in full (see :mod:`sites.transparency.privacy`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, MetaData, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from commerce.db import NAMING_CONVENTION, UTCDateTime, utcnow

__all__ = ["TransparencyBase", "DataImport", "BansosRecipient", "CovidDaily", "KINDS"]

KINDS = ("bansos", "covid")


class TransparencyBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DataImport(TransparencyBase):
    """One accepted import of a spreadsheet: the history city staff and auditors read.

    Rejected files leave no trace in the database (all or nothing); the CLI report is their
    record. ``status`` is ``active`` while the import's rows are live, ``partly_superseded`` or
    ``superseded`` once later imports replaced some or all of its periods.
    """

    __tablename__ = "transparency_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    file_size: Mapped[int] = mapped_column(Integer)
    rows: Mapped[int] = mapped_column(Integer)
    # Periods in the file: "PROGRAM PERIODE" (bansos) or ISO dates (covid), sorted.
    periods: Mapped[list] = mapped_column(JSON)
    # The subset of ``periods`` that already had rows, which this import deleted and replaced.
    replaced_periods: Mapped[list] = mapped_column(JSON)
    replaced_rows: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="active")
    imported_by: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_transparency_imports_kind_imported_at", "kind", "imported_at"),)


class BansosRecipient(TransparencyBase):
    """A household's aid in one programme and period; (nik, program, periode) is unique."""

    __tablename__ = "bansos_recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("transparency_imports.id"), index=True)
    nik: Mapped[str] = mapped_column(String(16))
    no_kk: Mapped[str] = mapped_column(String(16))
    nama: Mapped[str] = mapped_column(String(100))
    alamat: Mapped[str] = mapped_column(String(200))
    rt: Mapped[str] = mapped_column(String(3))
    rw: Mapped[str] = mapped_column(String(3))
    kecamatan_code: Mapped[str] = mapped_column(String(8))
    kelurahan_code: Mapped[str] = mapped_column(String(13), index=True)
    program: Mapped[str] = mapped_column(String(20))
    periode: Mapped[str] = mapped_column(String(7))
    nilai: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))

    __table_args__ = (
        UniqueConstraint("nik", "program", "periode"),
        Index("ix_bansos_recipients_program_periode", "program", "periode"),
    )


class CovidDaily(TransparencyBase):
    """One kecamatan's COVID-19 figures on one day; (tanggal, kecamatan_code) is unique."""

    __tablename__ = "covid_daily"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("transparency_imports.id"), index=True)
    tanggal: Mapped[date] = mapped_column(Date)
    kecamatan_code: Mapped[str] = mapped_column(String(8))
    konfirmasi: Mapped[int] = mapped_column(Integer)
    sembuh: Mapped[int] = mapped_column(Integer)
    meninggal: Mapped[int] = mapped_column(Integer)
    aktif: Mapped[int] = mapped_column(Integer)
    suspek: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("tanggal", "kecamatan_code"),)
