"""Build the transparency site (``smartcity sites build covid``) and refuse to hand over a
site that leaks.

Steps, each timed in the result: read the database (:mod:`.data`, the privacy boundary),
sum (:mod:`.aggregates`), write a docs folder of generated Markdown, assets and aggregated
open data, render it with MkDocs, move in the lookup files and masked lists per kelurahan
(:mod:`.recipient_files`, written in a second process while MkDocs runs when there is a second
CPU), then scan every byte of the staging site with
:class:`~sites.transparency.leaks.LeakScanner`, told every imported NIK and KK (split between
the two processes by size). The site is rendered into a staging folder next to ``out_dir``
and moved into place only when the scan
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
from sites.transparency.covid_site import pages as site_pages
from sites.transparency.covid_site.aggregates import bansos_sums, covid_series
from sites.transparency.covid_site.charts import format_date
from sites.transparency.covid_site.data import SiteData, SiteDataError, load_site_data, load_site_figures
from sites.transparency.covid_site.opendata import write_open_data
from sites.transparency.covid_site.recipient_files import (
    LIST_DIRS, RecipientFilesError, RecipientFilesJob, create_list_files, start_recipient_files, usable_cpus,
    write_recipient_files,
)

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


def write_sources(docs_dir: Path, data: SiteData, *, site_url: str | None = None, empty_pages: bool = False) -> int:
    """Write what MkDocs renders or copies into ``docs_dir`` (assets, pages, aggregated open
    data); returns the number of pages. The per-recipient files are :mod:`.recipient_files`'
    job. Unchanged data files are not rewritten. ``empty_pages`` keeps only each page's title
    (the benchmark's reference build)."""
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
    write_open_data(docs_dir, data, covid, bansos, site_url=site_url)
    return len(generated)


def build_covid_site(out_dir: Path, *, database: str | Engine | None = None, data: SiteData | None = None,
                     site_url: str | None = None, work_dir: Path | None = None,
                     empty_pages: bool = False, parallel: bool | None = None) -> CovidBuildResult:
    """Build the site from ``database`` (a URL such as ``Settings().database_url``, or an
    engine), or from already loaded ``data``, into ``out_dir``.

    ``work_dir`` keeps the generated docs folder between builds (unchanged data files are then
    not rewritten); by default it is a temporary folder. Raises :class:`SiteLeakError` when the
    leak check finds anything and :class:`SiteBuildError` for any other failure; in both cases
    ``out_dir`` is left as it was.

    From a database URL, with two or more CPUs (or ``parallel=True``), a worker process reads
    the recipient rows and writes and leak-checks the lookup files and masked lists while this
    one sums by SQL, generates the pages and runs MkDocs (:mod:`.recipient_files`); otherwise
    (one CPU, an engine, loaded ``data``, ``parallel=False``) the same job runs in-process. Both
    give the same bytes.
    """
    if data is None and database is None:
        raise ValueError("build_covid_site needs a database or data")
    if parallel is None:
        parallel = usable_cpus() >= 2
    parallel = parallel and data is None and isinstance(database, str)
    with _gc_paused():
        return _build(Path(out_dir).resolve(), database=database, data=data, site_url=site_url,
                      work_dir=work_dir, empty_pages=empty_pages, parallel=parallel)


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


def _build(out_dir: Path, *, database, data, site_url, work_dir, empty_pages, parallel) -> CovidBuildResult:
    started = time.monotonic()
    timings: dict[str, float] = {}

    def step(name: str, since: float) -> float:
        now = time.monotonic()
        timings[name] = round(now - since, 3)
        return now

    staging = out_dir.with_name(f".{out_dir.name}.staging")
    lists_dir = out_dir.with_name(f".{out_dir.name}.staging-lists")  # the recipient files, until moved in
    for folder in (staging, lists_dir):
        shutil.rmtree(folder, ignore_errors=True)
    job: RecipientFilesJob | None = None
    try:
        with _docs_folder(work_dir) as docs_dir:
            try:
                if parallel:  # first, so that the worker's read overlaps this one's
                    job = start_recipient_files(database, docs_dir, lists_dir)
                    create_list_files(docs_dir)
                try:
                    if data is None:
                        data = (load_site_figures if parallel else load_site_data)(database)
                except SiteDataError as error:
                    raise SiteBuildError(f"covid site build failed: {error}") from error
                mark = step("read", started)
                if job is None:
                    lists = write_recipient_files(docs_dir, lists_dir, data.recipients, as_of=data.as_of.isoformat(),
                                                  known_identifiers=data.known_identifiers)
                    mark = step("recipient_files", mark)
                write_sources(docs_dir, data, site_url=site_url, empty_pages=empty_pages)
                mark = step("generate", mark)
                warnings = _render(docs_dir, staging, data, site_url)
                mark = step("mkdocs", mark)
                if job is not None:
                    lists = _wait_for(job.result)
                    mark = step("wait_recipient_files", mark)  # what the worker took beyond MkDocs
            except BaseException:
                if job is not None:  # the worker may still write into the docs folder that goes now
                    job.close()
                raise
        if job is not None and (lists.snapshot, lists.as_of) != (data.snapshot, data.as_of.isoformat()):
            raise SiteBuildError("covid site build failed: the data changed while the site was built "
                                 "(an import ran); build again")
        _move_lists_in(lists_dir, staging)
        files = sorted(p for p in staging.rglob("*") if p.is_file())
        leaks = _scan(staging, files, LeakScanner(lists.known_identifiers), job)
        mark = step("leak_check", mark)
        if leaks:
            raise SiteLeakError(sorted(leaks))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if job is not None:
            job.close()  # after a failure: waits for the worker to stop writing before its folder goes
        shutil.rmtree(lists_dir, ignore_errors=True)

    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging.rename(out_dir)
    step("swap", mark)
    return CovidBuildResult(
        site_dir=out_dir,
        pages=sum(1 for p in out_dir.rglob("*.html") if p.name != "404.html"),
        files=len(files),
        recipients=lists.recipients,
        covid_days=len({day.tanggal for day in data.covid}),
        largest_lookup_gz=lists.largest_lookup_gz,
        lookup_files_changed=lists.lookup_files_changed,
        scanned_files=len(files),
        warnings=warnings,
        timings=timings,
        seconds=time.monotonic() - started,
    )


def _render(docs_dir: Path, staging: Path, data: SiteData, site_url: str | None) -> tuple[str, ...]:
    overrides = {"docs_dir": str(docs_dir), "site_dir": str(staging),
                 "extra": {"generator": False, "data_per": format_date(data.as_of)}}
    if site_url:
        overrides["site_url"] = site_url
    try:
        warnings = run_mkdocs(CONFIG_FILE, **overrides)
    except MkDocsBuildFailed as error:
        raise SiteBuildError(f"covid site build failed: {error}") from error
    _restore_blocks(staging, docs_dir)
    return warnings


def _scan(staging: Path, files: list[Path], scanner: LeakScanner, job: RecipientFilesJob | None) -> list[Leak]:
    """The leak check of every file of the staging site; with a worker, each scans about half the bytes."""
    if job is None:
        return scanner.scan_files(staging, files)
    shares: tuple[list[Path], list[Path]] = ([], [])
    sizes = [0, 0]
    for size, path in sorted(((p.stat().st_size, p) for p in files), reverse=True):
        lighter = 0 if sizes[0] <= sizes[1] else 1
        shares[lighter].append(path)
        sizes[lighter] += size
    theirs = job.scan(staging, shares[1])
    return scanner.scan_files(staging, shares[0]) + _wait_for(theirs)


def _wait_for(result):
    try:
        return result()
    except SiteDataError as error:
        raise SiteBuildError(f"covid site build failed: {error}") from None
    except RecipientFilesError as error:
        raise SiteBuildError(f"covid site build failed while writing the recipient lists: {error}") from None


def _move_lists_in(lists_dir: Path, staging: Path) -> None:
    for folder in LIST_DIRS:
        target = staging / folder
        if target.exists():  # MkDocs must not have copied them (exclude_docs)
            raise SiteBuildError(f"covid site build failed: {folder} was written twice")
        target.parent.mkdir(parents=True, exist_ok=True)
        (lists_dir / folder).rename(target)


@contextmanager
def _docs_folder(work_dir: Path | None) -> Iterator[Path]:
    if work_dir is not None:
        yield Path(work_dir).resolve()
        return
    with tempfile.TemporaryDirectory(prefix="smartcity-covid-docs-") as tmp:
        yield Path(tmp)
