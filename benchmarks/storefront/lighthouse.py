"""Lighthouse on the served storefront: mobile form factor and simulated throttling (its
defaults), performance and accessibility, with Debian's Chromium.

Lighthouse comes from npm, pinned in this folder's package.json / package-lock.json (12.2.3:
later versions want a newer Node than Debian's); ``npm ci`` here installs it. Nothing is
downloaded when it runs: Chromium is /usr/bin/chromium, and Lighthouse's own browser download
never happens because CHROME_PATH names it.

For every page the report keeps the two category scores and each audit that cost points: an
audit with a weight in the category and a score below 1. Audits without weight (performance
opportunities and diagnostics) are kept apart when they fail, as hints of what to fix next.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
from pathlib import Path

__all__ = ["CATEGORIES", "lighthouse_binary", "lighthouse_version", "run_lighthouse", "summarize"]

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("SMARTCITY_CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
CATEGORIES = ("performance", "accessibility")


def lighthouse_binary() -> Path:
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        raise SystemExit(f"Lighthouse is not installed: run `npm ci` in {HERE} (pinned 12.2.3)")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: `apt-get install chromium` (never a downloaded browser)")
    return binary


def lighthouse_version() -> str:
    return subprocess.run([str(lighthouse_binary()), "--version"], capture_output=True, text=True,
                          timeout=60, check=False).stdout.strip()


def run_lighthouse(url: str, report: Path, home: Path, *, timeout: float = 240) -> dict:
    """One Lighthouse run of ``url``; returns its report (also written to ``report``).

    HOME points at a scratch folder: Chromium writes its crash reports and config there."""
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CHROME_PATH": CHROMIUM, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_CACHE_HOME": str(home / ".cache")}
    command = [str(lighthouse_binary()), url, "--quiet", "--output=json", f"--output-path={report}",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode != 0 or not report.exists():
        raise RuntimeError(f"lighthouse {url} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def _items(audit: dict, limit: int = 5) -> list[str]:
    """What an audit points at (URLs, elements), so that the developer knows what to fix."""
    found = []
    for item in (audit.get("details") or {}).get("items", [])[:limit]:
        node = item.get("node") or {}
        found.append(item.get("url") or node.get("snippet") or node.get("selector") or item.get("label") or "")
    return [f for f in found if f]


def _losses(lhr: dict) -> tuple[list[dict], list[dict]]:
    """(audits that cost points, unweighted audits that failed) of one report."""
    weighted, hints = [], []
    for category in CATEGORIES:
        for ref in lhr["categories"][category]["auditRefs"]:
            audit = lhr["audits"][ref["id"]]
            score = audit.get("score")
            if score is None or score >= 1 or audit.get("scoreDisplayMode") in ("notApplicable", "manual",
                                                                                 "informative", "error"):
                continue
            entry = {"category": category, "id": ref["id"], "score": score, "weight": ref.get("weight", 0),
                     "title": audit.get("title", ""), "value": audit.get("displayValue", ""),
                     "items": _items(audit)}
            if ref.get("weight", 0) > 0:
                weighted.append(entry)
            elif score < 0.9:
                hints.append(entry)
    return weighted, hints


def summarize(reports: list[dict]) -> dict:
    """The median scores of several runs of one page, and every audit that cost points in any
    run with its worst score and in how many runs it did."""
    scores = {c: [round(r["categories"][c]["score"] * 100) for r in reports] for c in CATEGORIES}
    lost: dict[tuple, dict] = {}
    hints: dict[tuple, dict] = {}
    for lhr in reports:
        weighted, failing = _losses(lhr)
        for bucket, entries in ((lost, weighted), (hints, failing)):
            for entry in entries:
                key = (entry["category"], entry["id"])
                known = bucket.setdefault(key, {**entry, "runs": 0, "values": []})
                known["items"] = sorted(set(known["items"]) | set(entry["items"]))
                known["runs"] += 1
                known["score"] = min(known["score"], entry["score"])
                known["values"].append(entry["value"])
    metrics = {}
    for audit in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                  "cumulative-layout-shift", "speed-index"):
        values = [r["audits"][audit].get("numericValue") for r in reports if audit in r["audits"]]
        if values:
            metrics[audit] = round(statistics.median(values), 3)
    return {
        "runs": len(reports),
        "scores": scores,
        "median": {c: statistics.median(v) for c, v in scores.items()},
        "metrics_median": metrics,  # ms (CLS unitless)
        "lost_points": sorted(lost.values(), key=lambda e: (e["category"], e["score"])),
        "failing_unweighted": sorted(hints.values(), key=lambda e: (e["category"], e["score"])),
        "benchmark_index": [r.get("environment", {}).get("benchmarkIndex") for r in reports],
        "warnings": sorted({w for r in reports for w in r.get("runWarnings", [])}),
        "lighthouse": reports[0].get("lighthouseVersion"),
        "user_agent": reports[0].get("environment", {}).get("hostUserAgent"),
    }
