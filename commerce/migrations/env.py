"""Alembic environment for the commerce schema; works for SQLite and PostgreSQL alike."""

from alembic import context

from commerce.db import make_engine
from commerce.migrate import include_in_autogenerate, run_migrations
from commerce.models import Base

config = context.config
target_metadata = Base.metadata


def include_name(name, type_, parent_names) -> bool:
    return include_in_autogenerate(name, type_, target_metadata)


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        # Batch mode lets ALTER TABLE work on SQLite (it rebuilds the table, see run_migrations).
        run_migrations(context, connection, target_metadata=target_metadata, render_as_batch=True,
                       include_name=include_name)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
