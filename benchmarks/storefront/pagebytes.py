"""What a shopper's phone downloads for one page before any picture: the page's HTML, its
stylesheets and every ES module it loads, each gzipped on its own (level 6, what a CDN or nginx
sends) and added up.

Modules are followed the way the browser follows them: the page's ``<script type=module>``,
then, transitively, what each one imports by relative path (``from "./api.3fa2c1d9e0.js"``).
A file counts once per page however many modules import it.
"""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path
from posixpath import dirname, join, normpath

__all__ = ["PAGE_TYPES", "page_bytes", "pick_pages"]

# page type -> how to find its page in a build (a fixed path, or the largest of a pattern:
# the worst case of that type, e.g. a category's first page with 24 cards)
PAGE_TYPES = {
    "home": "index.html",
    "category": "kategori/*/index.html",
    "store": "toko/*/index.html",
    "product": "produk/*/index.html",
    "search": "cari/index.html",
    "cart": "keranjang/index.html",
    "checkout": "checkout/index.html",
    "tracking": "pesanan/index.html",
}
_IMPORT = re.compile(r'''(?:from\s+|import\s*\(\s*|import\s+)["'](\.{1,2}/[^"']+)["']''')


class _Assets(HTMLParser):
    """The stylesheets and module scripts a page names."""

    def __init__(self):
        super().__init__()
        self.css: list[str] = []
        self.modules: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            self.css.append(a["href"])
        elif tag == "script" and a.get("type") == "module" and a.get("src"):
            self.modules.append(a["src"])


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def _site_path(url: str) -> str:
    """/aset/js/a.js -> aset/js/a.js (site-relative; only our own origin is followed)."""
    if "://" in url or not url.startswith("/"):
        raise ValueError(f"{url}: not a path on the site")
    return url.lstrip("/").split("?", 1)[0]


def _modules(root: Path, entries: list[str]) -> list[str]:
    """Every module reachable from ``entries`` (site paths), each once, in load order."""
    seen: list[str] = []
    queue = list(entries)
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.append(path)
        source = (root / path).read_text(encoding="utf-8")
        queue += [normpath(join(dirname(path), spec)) for spec in _IMPORT.findall(source)]
    return seen


def page_bytes(root: Path, page: str) -> dict:
    """Gzipped bytes of ``page`` (a path in the build ``root``) and of what it loads."""
    html = (root / page).read_bytes()
    parser = _Assets()
    parser.feed(html.decode("utf-8"))
    css = [_site_path(u) for u in parser.css]
    js = _modules(root, [_site_path(u) for u in parser.modules])
    sizes = {"html": _gz(html), "css": sum(_gz((root / p).read_bytes()) for p in css),
             "js": sum(_gz((root / p).read_bytes()) for p in js)}
    return {"page": page, **{f"{k}_gz": v for k, v in sizes.items()}, "total_gz": sum(sizes.values()),
            "html_raw": len(html), "css_files": css, "js_files": js}


def pick_pages(root: Path) -> dict[str, str]:
    """Page type -> the page measured: the fixed page, or the largest one matching."""
    chosen = {}
    for kind, pattern in PAGE_TYPES.items():
        if "*" not in pattern:
            chosen[kind] = pattern
            continue
        candidates = [p for p in root.glob(pattern) if p.is_file()]
        if not candidates:
            raise FileNotFoundError(f"no {kind} page ({pattern}) in {root}")
        chosen[kind] = max(candidates, key=lambda p: (p.stat().st_size, p.as_posix())).relative_to(root).as_posix()
    return chosen
