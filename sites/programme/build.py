"""Build the programme documentation site from Python (``smartcity sites build docs``).

The caller (the CLI in ``api``) hands over the app's OpenAPI document as a dict; MkDocs and
its hooks read it from a file named by ``SMARTCITY_OPENAPI_JSON``, so we write a temporary
file, point the variable at it for the length of the build, and put the environment back.
MkDocs reports failures through its logger and raises a bare ``Abort``; we collect the
logged errors so that ``DocsBuildError`` carries the reason (e.g. which action plan and field
of the data file is wrong).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, NamedTuple

from sites.mkdocs_build import MkDocsBuildFailed, run_mkdocs

__all__ = ["BuildResult", "DocsBuildError", "build_docs_site"]

OPENAPI_ENV = "SMARTCITY_OPENAPI_JSON"


class DocsBuildError(RuntimeError):
    """The site did not build; the message holds MkDocs' error lines."""


class BuildResult(NamedTuple):
    site_dir: Path
    pages: int
    files: int
    api_reference: bool
    warnings: tuple[str, ...]
    seconds: float

    def summary(self) -> str:
        api = "with" if self.api_reference else "without"
        return (
            f"docs: {self.pages} pages, {self.files} files in {self.site_dir} "
            f"({api} API reference, {len(self.warnings)} warnings, {self.seconds:.1f} s)"
        )


def build_docs_site(
    out_dir: Path,
    *,
    openapi: dict | None,
    config_file: Path,
    docs_dir: Path | None = None,
    site_url: str | None = None,
) -> BuildResult:
    """Build the site into ``out_dir`` (its previous content is removed, as MkDocs does).

    ``docs_dir`` and ``site_url`` override mkdocs.yml, e.g. to build a copy of the content or
    to publish under another address. Safe to call repeatedly in one process, but not from
    two threads at once: the OpenAPI file is handed to the hooks through the environment.
    """
    started = time.monotonic()
    out_dir = Path(out_dir).resolve()
    overrides: dict = {"site_dir": str(out_dir)}
    if docs_dir is not None:
        overrides["docs_dir"] = str(Path(docs_dir).resolve())
    if site_url is not None:
        overrides["site_url"] = site_url

    with _openapi_file(openapi) as openapi_path, _environ(OPENAPI_ENV, openapi_path):
        try:
            warnings = run_mkdocs(config_file, **overrides)
        except MkDocsBuildFailed as error:
            raise DocsBuildError("docs site build failed: " + str(error)) from error

    html = list(out_dir.rglob("*.html"))
    return BuildResult(
        site_dir=out_dir,
        pages=sum(1 for path in html if path.name != "404.html"),
        files=sum(1 for path in out_dir.rglob("*") if path.is_file()),
        api_reference=openapi is not None,
        warnings=warnings,
        seconds=time.monotonic() - started,
    )


@contextmanager
def _openapi_file(openapi: dict | None) -> Iterator[str | None]:
    if openapi is None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="smartcity-openapi-") as tmp:
        path = Path(tmp) / "openapi.json"
        path.write_text(json.dumps(openapi), encoding="utf-8")
        yield str(path)


@contextmanager
def _environ(name: str, value: str | None) -> Iterator[None]:
    """Set (or, for ``None``, remove) one environment variable for the block."""
    previous = os.environ.get(name)
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous
