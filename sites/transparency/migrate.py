"""Run the transparency schema migrations (Alembic) programmatically, for the CLI and the tests.

Separate from :mod:`commerce.migrate` because the tables have their own Alembic history
(``alembic_version_transparency``); ``smartcity db upgrade`` runs both.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config

__all__ = ["alembic_config", "upgrade"]


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", "sites.transparency:migrations")
    # ConfigParser treats % specially; URLs with percent-encoded passwords must survive.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)
