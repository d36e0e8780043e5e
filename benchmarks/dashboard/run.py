"""Seller dashboard benchmark: how much the app's first load weighs, how soon a board of 500
orders is usable on a slow phone, and what Lighthouse says of every screen's accessibility.

1. **First load** (target ≤ 80 KB): the order board's page (`/seller/pesanan/`, where a seller
   lands after logging in), its stylesheet and every module it loads, transitively, each gzipped
   (level 6) and summed; and the same for every other screen.
2. **Order board with 500 orders** (target ≤ 1 s): Chromium with 4× CPU throttling (CDP
   `Emulation.setCPUThrottlingRate`), logged in, opens the board's "Perlu diproses" column
   holding 500 orders; time to interactive = the later of the board's `board-ready` mark (the
   counts and the first 50 cards drawn) and the end of the last long task (>50 ms) before it
   settles, from navigation start. Median of `--runs`.
3. **Lighthouse** (npm `lighthouse@12.2.3`, installed in `benchmarks/storefront` by `npm ci`),
   mobile, accessibility on every screen, logged in with the session cookie (`--extra-headers`).

``.venv/bin/python benchmarks/dashboard/run.py [--orders 500] [--runs 5] [--skip-lighthouse]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks" / "storefront")]

from api import create_app  # noqa: E402
from api.config import Settings  # noqa: E402
from api.storefront import dashboard_settings  # noqa: E402
from commerce.accounts.passwords import use_hasher  # noqa: E402
from commerce.migrate import upgrade  # noqa: E402
from sites.dashboard import build_dashboard  # noqa: E402
from sites.dashboard.build import SCREENS  # noqa: E402
from tests.browser import ARGS, CHROMIUM, serve_app  # noqa: E402
from tests.helpers import PASSWORD, ApiClient  # noqa: E402

MODULE = re.compile(r'<script type="module" src="([^"]+)"')
STYLE = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
IMPORT = re.compile(r'''from\s+["']\./([\w.-]+\.js)["']''')


def log(message: str) -> None:
    print(f"[{datetime.now(timezone.utc):%H:%M:%S}] {message}", flush=True)


# --- 1. bytes ------------------------------------------------------------------------------


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def page_weight(site: Path, page: str, base: str = "/seller/") -> dict:
    """HTML + CSS + the page's modules and everything they import, each gzipped."""
    html = (site / page).read_bytes()
    files, queue = {}, []
    for href in STYLE.findall(html.decode()):
        files[href] = (site / href.removeprefix(base)).read_bytes()
    queue += MODULE.findall(html.decode())
    while queue:
        href = queue.pop()
        if href in files:
            continue
        content = (site / href.removeprefix(base)).read_bytes()
        files[href] = content
        folder = href.rsplit("/", 1)[0]
        queue += [f"{folder}/{name}" for name in IMPORT.findall(content.decode())]
    css = sum(_gz(c) for h, c in files.items() if h.endswith(".css"))
    js = sum(_gz(c) for h, c in files.items() if h.endswith(".js"))
    return {"html": _gz(html), "css": css, "js": js, "total": _gz(html) + css + js, "modules": sum(h.endswith(".js") for h in files)}


# --- the shop ------------------------------------------------------------------------------


def make_shop(workdir: Path, orders: int):
    """A seller with an approved store, one product, and ``orders`` cash-on-delivery orders
    waiting to be processed (the "Perlu diproses" column), placed through the API."""
    from argon2 import PasswordHasher
    from argon2.profiles import CHEAPEST

    use_hasher(PasswordHasher.from_parameters(CHEAPEST))  # registrations are not what is measured
    url = f"sqlite:///{workdir / 'dashboard.db'}"
    upgrade(url)
    app = create_app(Settings(database_url=url, var_dir=workdir, storage_url=(workdir / "storage").as_uri(),
                              ratelimit_enabled=False, public_cache_seconds=0))
    api = ApiClient(app)
    email = api.register(name="Yanti Rahmawati")
    token = api.login(email)
    store = api.open_store(token, name="Amplang Bu Yanti")
    api.approve(store["id"])
    product = api.add_product(token, store["id"], variants=[{"sku": "AMP", "name": "250 g", "price": 35000, "stock": 100000}])
    variant = product["variants"][0]["id"]
    started = time.monotonic()
    for n in range(orders):
        checkout = api.call("POST", "/api/v1/checkouts", json={"lines": [{"variant_id": variant, "quantity": 1 + n % 3}]}).json["id"]
        api.call("PATCH", f"/api/v1/checkouts/{checkout}", json={
            "email": f"pembeli{n}@contoh.id", "phone": "0813 4700 1122", "name": f"Pembeli {n}", "payment_method": "cod",
            "shipping_address": {"street": f"Jl. Contoh {n}", "kecamatan": "Sungai Pinang", "kelurahan": "Temindung Permai"}})
        done = api.call("POST", f"/api/v1/checkouts/{checkout}/complete", json={}, headers={"Idempotency-Key": f"bangku-{n:06d}"})
        assert done.status_code == 201, done.json
    log(f"{orders} orders placed in {time.monotonic() - started:.1f} s")
    build_dashboard(workdir / "sites" / "dashboard", settings=dashboard_settings(app.extensions["smartcity"].settings))
    return app, email


# --- 2. time to interactive ----------------------------------------------------------------


LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.startTime + e.duration); })
  .observe({ type: "longtask", buffered: true });
"""


def board_times(base: str, email: str, runs: int, throttle: float) -> list[dict]:
    from playwright.sync_api import sync_playwright

    home = Path(tempfile.mkdtemp(prefix="chromium-home-"))
    os.environ.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"))
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        page.goto(base + "/seller/")
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/seller/pesanan/")
        for run in range(runs + 1):  # the first warms the HTTP cache, as a seller's second visit would
            fresh = context.new_page()
            fresh.add_init_script(LONG_TASKS)
            cdp = context.new_cdp_session(fresh)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
            fresh.goto(base + "/seller/pesanan/#proses")
            deadline = time.monotonic() + 60  # polled: the page's CSP forbids wait_for_function's eval
            while not fresh.evaluate("() => performance.getEntriesByName('board-ready').length > 0"):
                assert time.monotonic() < deadline, "the board never became ready"
                time.sleep(0.05)
            fresh.wait_for_timeout(1500)  # let any long task after the mark show itself
            timing = fresh.evaluate("""() => {
                const ready = performance.getEntriesByName('board-ready')[0].startTime;
                const tasks = window.__longTasks.filter((end) => end > 0);
                const lastTask = tasks.length ? Math.max(...tasks) : 0;
                return {ready, lastTask, cards: document.querySelectorAll('#orders li').length,
                        badge: document.querySelector('[aria-current="true"] .badge').textContent};
            }""")
            timing["interactive"] = max(timing["ready"], timing["lastTask"])
            if run:
                results.append(timing)
                log(f"  run {run}: ready {timing['ready']:.0f} ms, interactive {timing['interactive']:.0f} ms, "
                    f"{timing['cards']} cards, badge {timing['badge']}")
            fresh.close()
        browser.close()
    return results


# --- 3. Lighthouse -------------------------------------------------------------------------


def lighthouse(base: str, email: str, workdir: Path) -> dict:
    import requests
    from lighthouse import CHROME_FLAGS, lighthouse_binary

    session = requests.post(base + "/api/v1/auth/session", json={"email": email, "password": PASSWORD})
    cookie = f"behambinan_sesi={session.cookies.get('behambinan_sesi')}"
    scores = {}
    for path in SCREENS:
        url = f"{base}/seller/{path}" + ("?id=1" if path in ("pesanan/detail/",) else "")
        report = workdir / f"lh-{path.strip('/').replace('/', '-') or 'masuk'}.json"
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        command = [str(lighthouse_binary()), url, "--quiet", "--output=json", f"--output-path={report}",
                   "--only-categories=accessibility", f"--chrome-flags={CHROME_FLAGS}",
                   f"--extra-headers={json.dumps({'Cookie': cookie})}"]
        subprocess.run(command, env=env, capture_output=True, text=True, timeout=240, check=True)
        data = json.loads(report.read_text())
        score = round(data["categories"]["accessibility"]["score"] * 100)
        failing = [a for a, v in data["audits"].items() if v.get("score") is not None and v["score"] < 1
                   and v.get("scoreDisplayMode") == "binary"]
        scores[f"/seller/{path}"] = {"accessibility": score, "failing": failing}
        log(f"  lighthouse /seller/{path}: accessibility {score} {failing or ''}")
    return scores


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--throttle", type=float, default=4.0, help="CPU throttling rate")
    parser.add_argument("--skip-lighthouse", action="store_true")
    args = parser.parse_args(argv)
    report = {"started": datetime.now(timezone.utc).isoformat(), "orders": args.orders, "throttle": args.throttle}
    with tempfile.TemporaryDirectory(prefix="dashboard-bench-") as scratch:
        workdir = Path(scratch)
        app, email = make_shop(workdir, args.orders)
        site = workdir / "sites" / "dashboard"
        report["bytes"] = {f"/seller/{path}": page_weight(site, f"{path}index.html") for path in SCREENS}
        for page, weight in report["bytes"].items():
            log(f"  {page}: {weight['total'] / 1024:.1f} KB gzipped (HTML {weight['html']}, CSS {weight['css']}, "
                f"JS {weight['js']} in {weight['modules']} modules)")
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
        base, stop = serve_app(app)
        try:
            times = board_times(base, email, args.runs, args.throttle)
            report["board"] = {"runs": times, "median_interactive_ms": statistics.median(t["interactive"] for t in times),
                               "median_ready_ms": statistics.median(t["ready"] for t in times)}
            if not args.skip_lighthouse:
                report["lighthouse"] = lighthouse(base, email, workdir)
        finally:
            stop()
            app.extensions["smartcity"].engine.dispose()
    first = report["bytes"]["/seller/pesanan/"]["total"] / 1024
    heaviest = max(report["bytes"].items(), key=lambda kv: kv[1]["total"])
    print()
    print(f"first load (order board): {first:.1f} KB gzipped (target <= 80 KB): {'ok' if first <= 80 else 'MISSED'}; "
          f"heaviest screen {heaviest[0]} {heaviest[1]['total'] / 1024:.1f} KB")
    tti = report["board"]["median_interactive_ms"]
    print(f"order board, {args.orders} orders, {args.throttle:g}x CPU throttling: interactive at {tti:.0f} ms "
          f"(median of {args.runs}; target <= 1000 ms): {'ok' if tti <= 1000 else 'MISSED'}")
    if "lighthouse" in report:
        worst = min(v["accessibility"] for v in report["lighthouse"].values())
        print(f"Lighthouse accessibility: lowest {worst} over {len(report['lighthouse'])} screens (target 100): "
              f"{'ok' if worst == 100 else 'MISSED'}")
    out = HERE / "results" / f"dashboard-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
