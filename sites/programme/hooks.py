"""MkDocs hooks of the programme documentation site (``hooks:`` in mkdocs.yml).

Thin on purpose: the work is in ``data``, ``pages``, ``charts`` and ``openapi_page``; this
module only connects them to MkDocs' events.

- ``on_config``: load and validate the programme data (a bad file stops the build before
  anything is written), render the API reference from the OpenAPI document named by
  ``SMARTCITY_OPENAPI_JSON``, and add one navigation entry per pillar after
  ``pilar/index.md``, so the navigation follows the data file too.
- ``on_files``: add the generated pages as in-memory files.
- ``on_page_markdown``: put the status box of its action plans on each application page.

MkDocs imports this file once per process and reuses it for every build, so the per-build
state is replaced in each ``on_config`` and never carried over.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import NamedTuple

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from sites.programme import openapi_page, pages
from sites.programme.data import ProgrammeData, ProgrammeDataError, load_programme

OPENAPI_ENV = "SMARTCITY_OPENAPI_JSON"
DATA_FILE = "data/programme.yml"
API_REFERENCE_PAGE = "referensi-api.md"

log = logging.getLogger("mkdocs.hooks.programme")


class _Build(NamedTuple):
    data: ProgrammeData
    api_reference: str  # Markdown of the API reference page
    has_openapi: bool


_build: _Build | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    _build = None
    try:
        data = load_programme(Path(config.docs_dir) / DATA_FILE)
    except ProgrammeDataError as error:
        raise PluginError(f"Programme data: {error}") from error

    openapi_path = os.environ.get(OPENAPI_ENV)
    if openapi_path:
        try:
            api_reference = openapi_page.api_reference_page(openapi_page.load_openapi(Path(openapi_path)))
        except openapi_page.OpenAPIDocumentError as error:
            raise PluginError(f"{OPENAPI_ENV}: {error}") from error
    else:
        log.info(f"{OPENAPI_ENV} is not set: the API reference page says how to generate it")
        api_reference = openapi_page.placeholder_page()

    _add_pillars_to_nav(config.nav, data)
    _build = _Build(data, api_reference, has_openapi=bool(openapi_path))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    assert _build is not None, "on_config did not run"
    data = _build.data
    generated = {
        pages.PILLARS_INDEX: pages.pillars_index_page(data),
        **{pages.pillar_path(p): pages.pillar_page(data, p) for p in data.pillars},
        pages.ACTION_PLANS_PAGE: pages.action_plans_page(data),
        API_REFERENCE_PAGE: _build.api_reference,
    }
    for src_uri, markdown in generated.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(
                f"docs/{src_uri} is generated from {DATA_FILE} or the OpenAPI document; "
                "remove the hand-written file"
            )
        files.append(File.generated(config, src_uri, content=markdown))
    sources = DATA_FILE + (" and the OpenAPI document" if _build.has_openapi else "")
    log.info(f"Generated {len(generated)} pages from {sources}")
    return files


def on_page_markdown(markdown: str, page, config: MkDocsConfig, files: Files) -> str:
    assert _build is not None, "on_config did not run"
    return pages.with_action_plan_box(markdown, _build.data, here=page.file.src_uri)


def _add_pillars_to_nav(nav: list | None, data: ProgrammeData) -> None:
    """Insert ``{pillar name: pilar/<slug>.md}`` after the ``pilar/index.md`` entry."""
    if not nav:
        return
    for i, item in enumerate(nav):
        target = next(iter(item.values()), None) if isinstance(item, dict) else item
        if target == pages.PILLARS_INDEX:
            entries = [{p.name: pages.pillar_path(p)} for p in data.pillars]
            nav[i + 1 : i + 1] = [e for e in entries if e not in nav]
            return
        if isinstance(target, list):
            _add_pillars_to_nav(target, data)
