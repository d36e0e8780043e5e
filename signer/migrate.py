"""Run the signer schema migrations (Alembic) programmatically, for the CLI and the tests.

The signer's tables keep their own history (``alembic_version_signer``); ``smartcity db
upgrade`` runs it after the commerce and transparency ones.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config

__all__ = ["alembic_config", "upgrade"]


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", "signer:migrations")
    # ConfigParser treats % specially; URLs with percent-encoded passwords must survive.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)
