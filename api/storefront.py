"""Wiring the storefront to this installation's settings: where its pages find the API and
the pictures, what the footer links to, where the worker publishes it."""

from __future__ import annotations

from pathlib import Path

from api.config import Settings
from sites.storage import ObjectStorage, open_storage
from sites.storefront import SiteSettings

__all__ = ["storefront_settings", "dashboard_settings", "storefront_target", "storefront_build_dir", "FOOTER_LINKS"]

# The city's other pages (what the demo's old home page listed).
FOOTER_LINKS = (
    ("/docs/", "Dokumentasi program Samarinda Smart City"),
    ("/covid/", "Transparansi COVID-19 dan bansos"),
    ("/verify", "Periksa tanda tangan elektronik surat Pemerintah Kota Samarinda"),
    ("/api/docs", "Dokumentasi API Behambinan"),
)


def storefront_settings(settings: Settings) -> SiteSettings:
    pictures = open_storage(settings.storage_url, public_url=settings.storage_public_url,
                            endpoint_url=settings.s3_endpoint_url)
    return SiteSettings(api_base=settings.storefront_api_url, public_url=settings.public_url,
                        media_url=pictures.url, links=FOOTER_LINKS)


def dashboard_settings(settings: Settings):
    from sites.dashboard import DashboardSettings
    from sites.registry import SITES

    pictures = open_storage(settings.storage_url, public_url=settings.storage_public_url,
                            endpoint_url=settings.s3_endpoint_url)
    return DashboardSettings(api_base=settings.storefront_api_url, base=SITES["dashboard"].mount,
                             picture_url=pictures.url("x"))


def storefront_target(settings: Settings) -> ObjectStorage:
    return open_storage(settings.storefront_target, endpoint_url=settings.s3_endpoint_url)


def storefront_build_dir(settings: Settings) -> Path:
    return settings.var_dir / "build" / "storefront"
