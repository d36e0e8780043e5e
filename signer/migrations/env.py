"""Alembic environment for the signer tables (SQLite and PostgreSQL alike).

Own history in ``alembic_version_signer``; ``include_name`` keeps autogenerate to our tables.
"""

from alembic import context
from sqlalchemy import create_engine

from signer.models import SignerBase

VERSION_TABLE = "alembic_version_signer"

config = context.config
target_metadata = SignerBase.metadata


def include_name(name, type_, parent_names) -> bool:
    return type_ != "table" or name in target_metadata.tables


def _options() -> dict:
    return dict(target_metadata=target_metadata, render_as_batch=True, version_table=VERSION_TABLE,
                include_name=include_name)


def _url(url: str) -> str:
    # psycopg 3 is the driver we ship; plain postgresql:// would pick psycopg2.
    return "postgresql+psycopg://" + url.removeprefix("postgresql://") if url.startswith("postgresql://") else url


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True, **_options())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(_url(config.get_main_option("sqlalchemy.url")))
    with engine.connect() as connection:
        context.configure(connection=connection, **_options())
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
