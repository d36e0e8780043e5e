"""Alembic environment for the transparency tables (SQLite and PostgreSQL alike).

The tables share the database with the commerce schema but keep their own history in
``alembic_version_transparency``; ``include_name`` makes autogenerate look only at our own
tables, so it never proposes dropping the marketplace's.
"""

from alembic import context

from commerce.db import make_engine
from commerce.migrate import run_migrations
from sites.transparency.models import TransparencyBase

VERSION_TABLE = "alembic_version_transparency"

config = context.config
target_metadata = TransparencyBase.metadata


def include_name(name, type_, parent_names) -> bool:
    return type_ != "table" or name in target_metadata.tables


def _options() -> dict:
    return dict(target_metadata=target_metadata, render_as_batch=True, version_table=VERSION_TABLE,
                include_name=include_name)


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True, **_options())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        run_migrations(context, connection, **_options())  # keeps rows a SQLite table rebuild would lose
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
