"""Every schema of the platform brought up to date: commerce, transparency and signer each keep
their own Alembic history in the same database."""

from __future__ import annotations

import os

from api.config import Settings

__all__ = ["migrate_all"]


def migrate_all(settings: Settings) -> None:
    from commerce.migrate import upgrade
    from signer.migrate import upgrade as upgrade_signer
    from sites.transparency.migrate import upgrade as upgrade_transparency

    if settings.database_url.startswith("sqlite:///"):
        os.makedirs(os.path.dirname(settings.database_url.removeprefix("sqlite:///")) or ".", exist_ok=True)
    upgrade(settings.database_url)
    upgrade_transparency(settings.database_url)
    upgrade_signer(settings.database_url)
