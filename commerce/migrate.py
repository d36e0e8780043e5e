"""Run the commerce schema migrations (Alembic) programmatically, for the CLI and the tests."""

from __future__ import annotations

from contextlib import contextmanager, nullcontext

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

__all__ = ["alembic_config", "upgrade", "run_migrations", "include_in_autogenerate"]

# Search structures that exist on one database only (migration 0005): SQLite's FTS5 table (and
# its shadow tables), PostgreSQL's tsvector column and its index.
SEARCH_ONLY = ("products_fts", "search_vector", "ix_products_search_vector")


def include_in_autogenerate(name: str | None, type_: str, metadata) -> bool:
    """What autogenerate compares: the commerce tables (other packages, like
    sites.transparency, keep their own tables and history in the same database), without the
    search structures the models do not describe."""
    if name and name.startswith(SEARCH_ONLY):
        return False
    return type_ != "table" or name in metadata.tables


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", "commerce:migrations")
    # ConfigParser treats % specially; URLs with percent-encoded passwords must survive.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def run_migrations(context, connection: Connection, **options) -> None:
    """Configure Alembic on ``connection`` and run the pending migrations in one transaction;
    what each ``migrations/env.py`` that runs on our engine (foreign keys on) calls."""
    sqlite = connection.dialect.name == "sqlite"
    with _sqlite_references_kept(connection) if sqlite else nullcontext(None) as check_references:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()
            if check_references:
                check_references()


@contextmanager
def _sqlite_references_kept(connection: Connection):
    """Foreign keys off while SQLite migrates; yields the check to run before the commit.

    On SQLite, batch mode alters a table by rebuilding it: copy, drop the old one, rename the
    copy. With foreign keys on, dropping the old ``orders`` would delete every order line,
    payment and status change through their ON DELETE CASCADE, and dropping a table that rows
    refer to without a cascade fails. So the checks are off while migrating (the pragma only
    takes effect outside a transaction, hence the driver's own connection, before Alembic
    begins one), and any reference a migration left broken fails it, rolling it all back.
    References broken before the migration are not its doing and do not stop it.
    """
    driver = connection.connection.driver_connection
    driver.execute("PRAGMA foreign_keys=OFF")
    try:
        broken_before = set(driver.execute("PRAGMA foreign_key_check").fetchall())

        def check() -> None:
            now_broken = set(connection.exec_driver_sql("PRAGMA foreign_key_check").all())
            broken = now_broken - broken_before
            if broken:
                raise RuntimeError(f"the migration broke {len(broken)} references between tables, "
                                   f"e.g. (table, row, referenced table, key) {sorted(broken)[:5]}")

        yield check
    finally:
        driver.execute("PRAGMA foreign_keys=ON")  # the connection goes back to its pool as it came
