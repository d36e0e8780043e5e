"""Build the transparency site (``smartcity sites build covid``) and refuse to hand over a
site that leaks.

Steps, each timed in the result: read the database (:mod:`.data`, the privacy boundary),
sum (:mod:`.aggregates`), write a docs folder of generated Markdown, assets, lookup files and
open data, render it with MkDocs, then scan every byte of the rendered site with
:class:`~sites.transparency.leaks.LeakScanner`, told every imported NIK and KK. The site is
rendered into a staging folder next to ``out_dir`` and moved into place only when the scan
found nothing, so a leaking build never replaces the last good one and is never published:
:class:`SiteLeakError` names each finding by file, line and kind, masked.
"""

from __future__ import annotations

import gc
import json
import re
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, NamedTuple

from sqlalchemy.engine import Engine

from sites.mkdocs_build import MkDocsBuildFailed, run_mkdocs
from sites.transparency.leaks import Leak, LeakScanner
from sites.transparency.site import pages as site_pages
from sites.transparency.site.aggregates import bansos_sums, covid_series
from sites.transparency.site.charts import format_date
from sites.transparency.site.data import SiteData, SiteDataError, load_site_data
from sites.transparency.site.lookup import write_lookup
from sites.transparency.site.opendata import write_open_data

__all__ = ["build_covid_site", "CovidBuildResult", "SiteBuildError", "SiteLeakError", "CONFIG_FILE",
           "write_sources"]

HERE = Path(__file__).resolve().parent
CONFIG_FILE = HERE / "mkdocs.yml"
ASSETS = HERE / "theme" / "assets"
SHOWN_LEAKS = 20
# Charts and tables of figures are cut out of the Markdown before MkDocs sees it and put back
# into the rendered pages: Python-Markdown's HTML block parser and the search plugin's parser
# otherwise spend seconds on 1,000-day charts, and the search index must not hold them anyway.
_BLOCK = re.compile(r'<figure class="covid-chart".*?</figure>|<div class="covid-table".*?</table></div>', re.S)
_MARKER = re.compile(r"<!--covid-block:(\d+)-->")
BLOCKS_FILE = "blocks.json"  # in the docs folder; excluded from the site in mkdocs.yml


class SiteBuildError(RuntimeError):
    """The transparency site did not build; nothing was written to the output folder."""


class SiteLeakError(SiteBuildError):
    """The leak check found personal numbers in the built site; ``leaks`` lists them (masked)."""

    def __init__(self, leaks: list[Leak]):
        self.leaks = leaks
        shown = "\n  ".join(str(leak) for leak in leaks[:SHOWN_LEAKS])
        more = f"\n  ... and {len(leaks) - SHOWN_LEAKS} more" if len(leaks) > SHOWN_LEAKS else ""
        super().__init__(f"covid site build failed: the leak check found {len(leaks)} personal number(s) "
                         f"in the output; nothing was published:\n  {shown}{more}")


class CovidBuildResult(NamedTuple):
    site_dir: Path
    pages: int
    files: int
    recipients: int
    covid_days: int
    largest_lookup_gz: int  # bytes
    lookup_files_changed: int
    scanned_files: int
    warnings: tuple[str, ...]
    timings: dict[str, float]  # step -> seconds
    seconds: float

    def summary(self) -> str:
        return (f"covid: {self.pages} pages, {self.files} files in {self.site_dir} ({self.recipients} recipients, "
                f"{self.covid_days} days of figures, largest lookup file {self.largest_lookup_gz / 1024:.1f} KB gz, "
                f"leak check passed on {self.scanned_files} files, {self.seconds:.1f} s)")


def _lift_blocks(markdown: str, blocks: dict[str, str]) -> str:
    def lift(match: re.Match) -> str:
        key = str(len(blocks))
        blocks[key] = match.group()
        return f"<!--covid-block:{key}-->"

    return _BLOCK.sub(lift, markdown)


def _restore_blocks(site_dir: Path, docs_dir: Path) -> None:
    blocks = json.loads((docs_dir / BLOCKS_FILE).read_text(encoding="utf-8"))
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if "<!--covid-block:" in html:
            page.write_text(_MARKER.sub(lambda m: blocks[m.group(1)], html), encoding="utf-8")


class Sources(NamedTuple):
    pages: int
    largest_lookup_gz: int
    lookup_files_changed: int


def write_sources(docs_dir: Path, data: SiteData, *, site_url: str | None = None, empty_pages: bool = False) -> Sources:
    """Write everything MkDocs renders or copies into ``docs_dir`` (assets, pages, data files).

    Unchanged data files are not rewritten. ``empty_pages`` keeps only each page's title (the
    benchmark's reference build).
    """
    docs_dir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ASSETS, docs_dir / "assets", dirs_exist_ok=True)
    covid, bansos = covid_series(data), bansos_sums(data)
    generated = site_pages.generate_pages(data, covid, bansos, empty=empty_pages)
    blocks: dict[str, str] = {}
    for src, markdown in generated.items():
        target = docs_dir / src
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_lift_blocks(markdown, blocks), encoding="utf-8")
    (docs_dir / BLOCKS_FILE).write_text(json.dumps(blocks), encoding="utf-8")
    largest, changed = 0, 0
    for kel in data.kelurahan():
        size, did_change = write_lookup(docs_dir, kel, data.recipients.get(kel.code, []), as_of=data.as_of.isoformat())
        largest, changed = max(largest, size), changed + did_change
    write_open_data(docs_dir, data, covid, bansos, site_url=site_url)
    return Sources(len(generated), largest, changed)


def build_covid_site(out_dir: Path, *, database: str | Engine | None = None, data: SiteData | None = None,
                     site_url: str | None = None, work_dir: Path | None = None,
                     empty_pages: bool = False) -> CovidBuildResult:
    """Build the site from ``database`` (a URL such as ``Settings().database_url``, or an
    engine), or from already loaded ``data``, into ``out_dir``.

    ``work_dir`` keeps the generated docs folder between builds (unchanged data files are then
    not rewritten); by default it is a temporary folder. Raises :class:`SiteLeakError` when the
    leak check finds anything and :class:`SiteBuildError` for any other failure; in both cases
    ``out_dir`` is left as it was.
    """
    with _gc_paused():
        return _build(out_dir, database=database, data=data, site_url=site_url, work_dir=work_dir,
                      empty_pages=empty_pages)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the build. The build allocates some 100,000
    small tuples per 100,000 recipients and frees them only when it ends; each allocation burst
    would trigger collections that walk every live object again (~0.5 s of a 2 s build). What
    the build leaves as cyclic garbage is collected once it is switched back on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(out_dir: Path, *, database, data, site_url, work_dir, empty_pages) -> CovidBuildResult:
    started = time.monotonic()
    timings: dict[str, float] = {}
    out_dir = Path(out_dir).resolve()

    def step(name: str, since: float) -> float:
        now = time.monotonic()
        timings[name] = round(now - since, 3)
        return now

    if data is None:
        if database is None:
            raise ValueError("build_covid_site needs a database or data")
        try:
            data = load_site_data(database)
        except SiteDataError as error:
            raise SiteBuildError(f"covid site build failed: {error}") from error
    mark = step("read", started)

    with _docs_folder(work_dir) as docs_dir:
        sources = write_sources(docs_dir, data, site_url=site_url, empty_pages=empty_pages)
        mark = step("generate", mark)
        staging = out_dir.with_name(f".{out_dir.name}.staging")
        shutil.rmtree(staging, ignore_errors=True)
        overrides = {"docs_dir": str(docs_dir), "site_dir": str(staging),
                     "extra": {"generator": False, "data_per": format_date(data.as_of)}}
        if site_url:
            overrides["site_url"] = site_url
        try:
            warnings = run_mkdocs(CONFIG_FILE, **overrides)
        except MkDocsBuildFailed as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise SiteBuildError(f"covid site build failed: {error}") from error
        _restore_blocks(staging, docs_dir)
        mark = step("mkdocs", mark)

    scanned = sum(1 for p in staging.rglob("*") if p.is_file())
    leaks = LeakScanner(data.known_identifiers).scan_tree(staging)
    mark = step("leak_check", mark)
    if leaks:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteLeakError(leaks)

    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging.rename(out_dir)
    step("swap", mark)
    return CovidBuildResult(
        site_dir=out_dir,
        pages=sum(1 for p in out_dir.rglob("*.html") if p.name != "404.html"),
        files=scanned,
        recipients=data.recipient_count(),
        covid_days=len({day.tanggal for day in data.covid}),
        largest_lookup_gz=sources.largest_lookup_gz,
        lookup_files_changed=sources.lookup_files_changed,
        scanned_files=scanned,
        warnings=warnings,
        timings=timings,
        seconds=time.monotonic() - started,
    )


@contextmanager
def _docs_folder(work_dir: Path | None) -> Iterator[Path]:
    if work_dir is not None:
        yield Path(work_dir).resolve()
        return
    with tempfile.TemporaryDirectory(prefix="smartcity-covid-docs-") as tmp:
        yield Path(tmp)
