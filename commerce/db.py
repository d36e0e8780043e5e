"""Database engine and the declarative base shared by every commerce model.

SQLite is the embedded default (one file under ``var/``); PostgreSQL is the production
database. The differences that matter are handled here once: SQLite gets WAL (readers never
block the writer), foreign keys on, and a busy timeout so concurrent gunicorn workers wait for
the write lock instead of failing.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, sessionmaker
from sqlalchemy.types import TypeDecorator

__all__ = ["Base", "UTCDateTime", "make_engine", "make_session_factory", "utcnow", "WRITE_OPTION"]

# Stable constraint names make Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes on both databases.

    SQLite has no time zone type and hands back naive values; storing UTC and re-attaching the
    zone on the way out means domain code always compares aware datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


WRITE_OPTION = "smartcity_write"


def _sqlite_connect(dbapi_connection, _record) -> None:
    # We issue BEGIN ourselves (below), so the driver must not.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection) -> None:
    """Write transactions take SQLite's write lock at BEGIN.

    A deferred transaction that reads and then writes can fail at once with "database is
    locked" when another writer committed in between (its read snapshot is stale); BEGIN
    IMMEDIATE instead waits (busy_timeout) for the lock and then sees the latest data. This is
    SQLite's counterpart of PostgreSQL's SELECT ... FOR NO KEY UPDATE on the stock rows.
    """
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: str, **kwargs) -> Engine:
    # hide_parameters: an error's message (and so any log of it) shows the statement but not
    # its values, which are buyers' names, phone numbers, addresses and password hashes.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if url.startswith("postgresql://"):
        # psycopg 3 is the driver we ship; plain postgresql:// would pick psycopg2.
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker:
    # expire_on_commit=False: a use case commits, then the API serialises what it returned.
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)
