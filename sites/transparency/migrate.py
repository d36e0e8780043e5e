"""Run the transparency schema migrations (Alembic) programmatically, for the CLI and the tests.

Separate from :mod:`commerce.migrate` because the tables have their own Alembic history
(``alembic_version_transparency``, set in ``migrations/env.py``); ``smartcity db upgrade``
runs both. The configuration is commerce's with another script location.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from commerce.migrate import alembic_config as commerce_alembic_config

__all__ = ["alembic_config", "upgrade"]


def alembic_config(database_url: str) -> Config:
    config = commerce_alembic_config(database_url)
    config.set_main_option("script_location", "sites.transparency:migrations")
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)
