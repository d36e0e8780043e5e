"""The city's static sites by name, where the demo mounts them, and how each is built.

Names are fixed (ARCHITECTURE.md, conventions): ``docs`` (programme documentation), ``covid``
(transparency), ``storefront`` and ``dashboard``.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

__all__ = ["SITES", "Site", "PROJECT_ROOT", "build_site", "UnknownSite"]

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class Site(NamedTuple):
    name: str
    mount: str  # where `smartcity demo` serves it
    title: str
    built: bool  # False until its issue lands


SITES = {
    "docs": Site("docs", "/docs/", "Dokumentasi program Samarinda Smart City", True),
    "covid": Site("covid", "/covid/", "Transparansi COVID-19 dan bansos", True),
    "storefront": Site("storefront", "/", "Etalase Behambinan", True),
    "dashboard": Site("dashboard", "/seller/", "Dasbor penjual Behambinan", True),
}


class UnknownSite(ValueError):
    pass


def site(name: str) -> Site:
    if name not in SITES:
        raise UnknownSite(f"unknown site '{name}'; the sites are: {', '.join(SITES)}")
    if not SITES[name].built:
        raise UnknownSite(f"site '{name}' is not built yet (it comes with a later issue); available: "
                          + ", ".join(n for n, s in SITES.items() if s.built))
    return SITES[name]


def build_site(name: str, out_dir: Path, *, openapi: dict | None = None, database_url: str | None = None,
               storefront=None, dashboard=None):
    """Build one site into ``out_dir``; returns the builder's result (with ``.summary()``).

    ``openapi`` is for ``docs`` (the API reference); ``database_url`` for ``covid``, which is
    generated from the imported transparency data, and for ``storefront``, generated from the
    catalog with ``storefront`` (:class:`sites.storefront.SiteSettings`); ``dashboard`` takes
    :class:`sites.dashboard.DashboardSettings` (and no database: it is an app shell).
    """
    site(name)
    if name == "docs":
        from sites.programme.build import build_docs_site

        return build_docs_site(out_dir, openapi=openapi, config_file=PROJECT_ROOT / "mkdocs.yml")
    if name == "covid":
        from sites.transparency.covid_site.build import build_covid_site

        if database_url is None:
            raise ValueError("the covid site is built from the database: pass database_url")
        return build_covid_site(out_dir, database=database_url)
    if name == "storefront":
        from commerce.db import make_engine
        from sites.storefront import build_storefront

        if database_url is None or storefront is None:
            raise ValueError("the storefront is built from the catalog: pass database_url and storefront settings")
        engine = make_engine(database_url)
        try:
            return build_storefront(out_dir, engine=engine, settings=storefront)
        finally:
            engine.dispose()
    if name == "dashboard":
        from sites.dashboard import DashboardSettings, build_dashboard

        return build_dashboard(out_dir, settings=dashboard or DashboardSettings())
    raise UnknownSite(name)
