"""The CSS and JavaScript of a browser app (the storefront, the dashboard), copied into its
build with a content hash in every file name, so that the publisher caches them for a year
(``sites/publish/headers.py``) and a changed file is a new URL.

An app's assets come from its own ``static/`` folder and from ``sites/common/static``:

- scripts are ES modules that import each other by relative path (``./ui.js``); the app's own
  file wins over a common one of the same name. Each import is rewritten to the imported file's
  hashed name before the importing file's own hash is taken, so a change anywhere changes the
  hash of everything that depends on it. No bundler: the modules are small and few, and the
  browser loads them in parallel;
- stylesheets of the same name are joined, common first, into one file (one request).
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import NamedTuple

__all__ = ["Assets", "build_assets", "write_assets"]

_IMPORT = re.compile(r'''(from\s+|import\s*\(\s*|import\s+)(["'])\./([\w-]+\.js)\2''')


class Assets(NamedTuple):
    files: dict[str, bytes]  # path in the build -> content
    urls: dict[str, str]  # "css/app.css" or "js/product.js" -> "<base>aset/js/product.3fa2c1d9.js"


def _hashed(name: str, content: bytes) -> str:
    """``app.css`` -> ``app.3fa2c1d9e0.css``. The publisher caches a name for a year only if its
    hash has a letter in it (a run of digits alone is more often a date), so the ten hex digits
    are the first window of the SHA-256 that has one: a hash of digits only would be served with
    an hour's cache (found by the storefront benchmark's Lighthouse run)."""
    stem, suffix = name.rsplit(".", 1)
    digest = hashlib.sha256(content).hexdigest()
    fingerprint = next((digest[i:i + 10] for i in range(0, len(digest) - 9, 10) if not digest[i:i + 10].isdigit()),
                       digest[:9] + "a")
    return f"{stem}.{fingerprint}.{suffix}"


def _files(folder: Traversable, suffix: str | None = None) -> dict[str, Traversable]:
    if not folder.is_dir():
        return {}
    return {p.name: p for p in folder.iterdir() if p.is_file() and (suffix is None or p.name.endswith(suffix))}


@cache
def build_assets(package: str, base: str = "/") -> Assets:
    """Every asset of the app in ``package`` (its ``static/`` folder), hashed, with URLs under
    ``base`` (the app's mount: ``/`` or ``/seller/``); the same for every build of the same source."""
    common = resources.files("sites.common").joinpath("static")
    own = resources.files(package).joinpath("static")
    files: dict[str, bytes] = {}
    urls: dict[str, str] = {}

    scripts = {name: p.read_text("utf-8") for name, p in (_files(common.joinpath("js"), ".js")
                                                          | _files(own.joinpath("js"), ".js")).items()}
    hashed_js: dict[str, str] = {}

    def resolve(name: str, seen: tuple[str, ...] = ()) -> str:
        if name in hashed_js:
            return hashed_js[name]
        if name in seen:
            raise ValueError(f"{package} scripts import each other in a circle: {' -> '.join(seen + (name,))}")
        if name not in scripts:
            raise ValueError(f"{seen[-1] if seen else '?'} imports ./{name}, which is in neither {package} nor sites.common")
        source = _IMPORT.sub(lambda m: f"{m.group(1)}{m.group(2)}./{resolve(m.group(3), seen + (name,))}{m.group(2)}",
                             scripts[name])
        content = source.encode()
        hashed_js[name] = _hashed(name, content)
        files[f"aset/js/{hashed_js[name]}"] = content
        urls[f"js/{name}"] = f"{base}aset/js/{hashed_js[name]}"
        return hashed_js[name]

    for name in sorted(scripts):
        resolve(name)
    styles: dict[str, bytes] = {}
    for source in (common, own):
        for name, path in _files(source.joinpath("css"), ".css").items():
            styles[name] = styles.get(name, b"") + path.read_bytes()
    images = _files(common.joinpath("img")) | _files(own.joinpath("img"))
    for folder, named in (("css", styles), ("img", {n: p.read_bytes() for n, p in images.items()})):
        for name, content in named.items():
            hashed = _hashed(name, content)
            files[f"aset/{folder}/{hashed}"] = content
            urls[f"{folder}/{name}"] = f"{base}aset/{folder}/{hashed}"
    return Assets(files, urls)


def write_assets(out_dir: Path, package: str, base: str = "/") -> Assets:
    assets = build_assets(package, base)
    for relative, content in assets.files.items():
        target = out_dir / relative
        if not target.exists():  # hashed: the same name is the same bytes
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    return assets
