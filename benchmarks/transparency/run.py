"""Benchmark of the transparency site at Samarinda's scale (issue 5, must-show 4).

Imports synthetic data through the real importer (100,000 bansos recipients over the 59
kelurahan, 1,000 days of COVID-19 figures for the 10 kecamatan), then measures in one run:

- the full build (``build_covid_site``: read, generate, MkDocs, leak check; the recipient
  files in a worker process when there are two CPUs), median of N, wall and CPU time; the
  target is judged on wall time;
- two references, interleaved with the full builds: the **strict** one, which the target is
  judged against (the same site, the same 74 pages, with no recipient or COVID-19 data at all:
  titles only, empty lookup files and open data), and the **lenient** one (the same data with
  the pages cut to their titles; lookup files and open data still written and leak-checked);
- a rebuild after one kelurahan changed (one period re-imported with that kelurahan's
  statuses changed), reusing the generated docs folder;
- the largest lookup file, gzipped;
- the lookup in Chromium with 4x CPU throttling (CDP ``Emulation.setCPUThrottlingRate``) on
  the page of the largest kelurahan: time from the input event to the next frame, per query.

Usage: .venv/bin/python benchmarks/transparency/run.py [--recipients 100000] [--days 1000]
       [--repeat 3] [--database-url URL] [--in-process]   (default: a fresh SQLite file in a temp folder)
Results: printed, and written to benchmarks/transparency/results/latest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from commerce.db import make_engine, make_session_factory  # noqa: E402
from commerce.migrate import upgrade  # noqa: E402
from commerce.unit_of_work import UnitOfWork  # noqa: E402
from sites.transparency.demo import (  # noqa: E402
    BANSOS_COLUMNS, COVID_COLUMNS, PROGRAM_PERIODS, demo_bansos_rows, demo_covid_rows, write_rows,
)
from sites.transparency.importer import import_file  # noqa: E402
from sites.transparency.migrate import upgrade as upgrade_transparency  # noqa: E402
from sites.transparency.covid_site.build import build_covid_site  # noqa: E402
from sites.transparency.covid_site.data import SiteData, load_site_data  # noqa: E402
from sites.transparency.covid_site.recipient_files import usable_cpus  # noqa: E402

QUERIES = ["s", "siti", "siti a", "muhammad", "nur", "h", "rahmawati s", "hj. s", "xq"]
MAX_IMPORT = 1024 * 1024 * 1024


def log(message: str) -> None:
    print(message, flush=True)


def import_csv(sessions, kind: str, path: Path) -> float:
    started = time.monotonic()
    with UnitOfWork(sessions) as uow:
        import_file(uow, kind, path, imported_by="benchmark", max_bytes=MAX_IMPORT)
    return time.monotonic() - started


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the build's worker process)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed_build(out: Path, **kw):
    """(wall seconds, CPU seconds, result). Wall time is what the target is judged on (what a
    person waiting for the build experiences); CPU time, of this process and the build's
    worker process together, is what it costs the machine."""
    started, cpu = time.monotonic(), _cpu_seconds()
    result = build_covid_site(out, **kw)
    return time.monotonic() - started, _cpu_seconds() - cpu, result


def lookup_in_chromium(site_dir: Path, slug: str, tmp: Path, rounds: int = 5) -> dict:
    """Serve the built site with the demo's app (same headers as the publisher) and time the
    lookup with the CPU throttled 4x."""
    from playwright.sync_api import sync_playwright

    from api import create_app
    from api.config import Settings
    from sites.publish import publish
    from sites.storage import open_storage
    from tests.browser import ARGS, CHROMIUM, serve_app

    target = (tmp / "var" / "sites" / "covid").as_uri()
    publish("covid", site_dir, open_storage(target), target=target)
    app = create_app(Settings(database_url=f"sqlite:///{tmp / 'app.db'}", storage_url=(tmp / "storage").as_uri(),
                              var_dir=tmp / "var", ratelimit_enabled=False))
    base, stop = serve_app(app)
    os.environ.update(HOME=str(tmp), XDG_CONFIG_HOME=str(tmp / ".config"), XDG_CACHE_HOME=str(tmp / ".cache"))
    timings: dict[str, list[float]] = {q: [] for q in QUERIES}
    frames: dict[str, list[float]] = {q: [] for q in QUERIES}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            page = browser.new_page()
            cdp = page.context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            page.goto(f"{base}/covid/kelurahan/{slug}/", wait_until="networkidle")
            started = time.monotonic()
            page.focus("#nama-penerima")
            page.wait_for_function("document.querySelector('.covid-lookup__status').textContent.includes('baris penerima')")
            load_ms = (time.monotonic() - started) * 1000
            # "search": the input handler (match all rows, build the result table); "frame": until
            # the next frame after it, i.e. including style, layout and paint of the results.
            measure = """async (q) => {
                const input = document.querySelector('#nama-penerima');
                const t0 = performance.now();
                input.value = q;
                input.dispatchEvent(new Event('input'));
                const t1 = performance.now();
                await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
                const status = document.querySelector('.covid-lookup__status').textContent;
                return [t1 - t0, performance.now() - t0, status];
            }"""
            statuses = {}
            for _ in range(rounds):
                for query in QUERIES:
                    search_ms, frame_ms, status = page.evaluate(measure, query)
                    timings[query].append(search_ms)
                    frames[query].append(frame_ms)
                    statuses[query] = status
            browser.close()
    finally:
        stop()
        app.extensions["smartcity"].engine.dispose()
    per_query = {q: {"search_median_ms": round(statistics.median(timings[q]), 1),
                     "search_max_ms": round(max(timings[q]), 1),
                     "frame_median_ms": round(statistics.median(frames[q]), 1),
                     "frame_max_ms": round(max(frames[q]), 1), "result": statuses[q]} for q in QUERIES}
    searches = [ms for v in timings.values() for ms in v]
    to_frame = [ms for v in frames.values() for ms in v]
    return {"cpu_throttling": 4, "rounds": rounds, "load_and_parse_ms": round(load_ms, 1), "queries": per_query,
            "search_median_ms": round(statistics.median(searches), 1), "search_max_ms": round(max(searches), 1),
            "frame_median_ms": round(statistics.median(to_frame), 1), "frame_p95_ms": round(_p95(to_frame), 1),
            "frame_max_ms": round(max(to_frame), 1)}


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--in-process", action="store_true",
                        help="build without the worker process (as on a one-CPU machine)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-transparency-") as scratch:
        tmp = Path(scratch)
        url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
        upgrade(url)
        upgrade_transparency(url)
        engine = make_engine(url)
        sessions = make_session_factory(engine)

        log(f"generating and importing {args.recipients:,} recipients and {args.days:,} days x 10 kecamatan ...")
        bansos_csv = write_rows(tmp / "bansos.csv", demo_bansos_rows(args.recipients), BANSOS_COLUMNS)
        covid_csv = write_rows(tmp / "covid.csv", demo_covid_rows(args.days, end=date.today()), COVID_COLUMNS)
        import_s = import_csv(sessions, "bansos", bansos_csv) + import_csv(sessions, "covid", covid_csv)
        log(f"  imported in {import_s:.1f} s")

        data = load_site_data(engine)
        sizes = {code: len(rows) for code, rows in data.recipients.items()}
        largest_code = max(sizes, key=sizes.get)
        largest_kel = next(kel for kel in data.kelurahan() if kel.code == largest_code)
        empty = SiteData(data.as_of, [], {code: [] for code in data.recipients}, frozenset())

        work, out = tmp / "docs", tmp / "site"
        log("warm-up build (imports, caches) ...")
        build_covid_site(tmp / "warm", data=empty, empty_pages=True)

        # Three builds per round, interleaved so that machine noise hits them alike: the full
        # site; the strict reference (the same pages with no data at all: what the target is
        # judged against); and the lenient one (the same data, the pages cut to their titles,
        # lookup files and open data still written and scanned).
        parallel = False if args.in_process else None  # None: the build's own choice (2+ CPUs: a worker)
        runs: dict[str, list[tuple[float, float]]] = {"full": [], "strict": [], "lenient": []}
        for i in range(args.repeat):
            runs["lenient"].append(timed_build(tmp / "ref", database=url, empty_pages=True, parallel=parallel)[:2])
            runs["strict"].append(timed_build(tmp / "frame", data=empty, empty_pages=True)[:2])
            wall, cpu, result = timed_build(out, database=url, work_dir=tmp / f"docs-full-{i}", parallel=parallel)
            runs["full"].append((wall, cpu))
            log(f"  round {i + 1}: " + ", ".join(f"{k} {v[-1][0]:.2f} s (cpu {v[-1][1]:.2f} s)" for k, v in runs.items())
                + f"; full steps {result.timings}")
        median = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in runs.items()}

        log("rebuild after one kelurahan changed ...")
        build_covid_site(out, database=url, work_dir=work, parallel=parallel)  # the docs folder a rebuild reuses
        program, periode, _ = PROGRAM_PERIODS[0]
        changed = []
        for row in demo_bansos_rows(args.recipients):
            if (row["program"], row["periode"]) != (program, periode):
                continue
            if row["kelurahan"] == largest_kel.name:
                row["status"] = "belum" if row["status"] == "diterima" else "diterima"
            changed.append(row)
        reimport_s = import_csv(sessions, "bansos", write_rows(tmp / "period.csv", changed, BANSOS_COLUMNS))
        rebuild_s, rebuild_cpu, rebuilt = timed_build(out, database=url, work_dir=work, parallel=parallel)
        log(f"  re-import of {program} {periode} ({len(changed):,} rows) {reimport_s:.1f} s, rebuild {rebuild_s:.2f} s, "
            f"lookup files rewritten: {rebuilt.lookup_files_changed}")
        engine.dispose()

        figures = {
            "when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "database": url.split(":", 1)[0],
            "cpus": usable_cpus(), "worker_process": not args.in_process and usable_cpus() >= 2,
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "recipients": result.recipients, "covid_days": result.covid_days, "pages": result.pages,
            "files": result.files, "site_mb": round(sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6, 1),
            "import_s": round(import_s, 1),
            "full_build_s": round(median["full"][0], 2), "full_build_cpu_s": round(median["full"][1], 2),
            "full_build_steps": result.timings,
            "strict_reference_build_s": round(median["strict"][0], 2),
            "strict_reference_build_cpu_s": round(median["strict"][1], 2),
            "lenient_reference_build_s": round(median["lenient"][0], 2),
            "lenient_reference_build_cpu_s": round(median["lenient"][1], 2),
            "full_vs_strict": round(median["full"][0] / median["strict"][0], 2),
            "full_vs_strict_cpu": round(median["full"][1] / median["strict"][1], 2),
            # Each round's full build against the strict reference of the same round (same load).
            "full_vs_strict_per_round": [round(f[0] / r[0], 2) for f, r in zip(runs["full"], runs["strict"])],
            "full_vs_strict_within_rounds_median": round(statistics.median(
                f[0] / r[0] for f, r in zip(runs["full"], runs["strict"])), 2),
            "full_vs_lenient": round(median["full"][0] / median["lenient"][0], 2),
            "full_vs_lenient_cpu": round(median["full"][1] / median["lenient"][1], 2),
            "data_cost_s": round(median["full"][0] - median["strict"][0], 2),
            "data_cost_cpu_s": round(median["full"][1] - median["strict"][1], 2),
            "runs": {k: [[round(w, 2), round(c, 2)] for w, c in v] for k, v in runs.items()},
            "rebuild_one_kelurahan_s": round(rebuild_s, 2), "rebuild_one_kelurahan_cpu_s": round(rebuild_cpu, 2), "rebuild_lookup_files_rewritten": rebuilt.lookup_files_changed,
            "reimport_period_s": round(reimport_s, 1),
            "largest_kelurahan": largest_kel.name, "largest_kelurahan_rows": sizes[largest_code],
            "largest_lookup_gz_kb": round(result.largest_lookup_gz / 1024, 1),
        }
        if not args.no_browser:
            log("lookup in Chromium, CPU throttled 4x ...")
            figures["lookup"] = lookup_in_chromium(out, largest_kel.slug, tmp)

    results = Path(__file__).parent / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.json").write_text(json.dumps(figures, indent=2))
    log(json.dumps(figures, indent=2))
    lookup = figures.get("lookup", {})
    log(f"\nfull build {figures['full_build_s']} s wall (cpu {figures['full_build_cpu_s']}) vs strict reference "
        f"{figures['strict_reference_build_s']} s wall (cpu {figures['strict_reference_build_cpu_s']}) = "
        f"{figures['full_vs_strict']}x wall (target <= 2x; per round {figures['full_vs_strict_per_round']}), "
        f"{figures['full_vs_strict_cpu']}x cpu; the data costs "
        f"{figures['data_cost_s']} s wall, {figures['data_cost_cpu_s']} s cpu; lenient reference "
        f"{figures['lenient_reference_build_s']} s wall = {figures['full_vs_lenient']}x wall; "
        f"rebuild after one kelurahan changed {figures['rebuild_one_kelurahan_s']} s wall "
        f"({figures['rebuild_lookup_files_rewritten']} lookup file rewritten); "
        f"largest lookup file {figures['largest_lookup_gz_kb']} KB gz (target <= 30); lookup search median "
        f"{lookup.get('search_median_ms')} ms, max {lookup.get('search_max_ms')} ms; to next frame median "
        f"{lookup.get('frame_median_ms')} ms, p95 {lookup.get('frame_p95_ms')} ms (target <= 50), "
        f"max {lookup.get('frame_max_ms')} ms")


if __name__ == "__main__":
    main()
