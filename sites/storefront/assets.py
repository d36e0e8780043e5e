"""The storefront's own CSS and JavaScript, copied into a build with a content hash in every
file name, so that the publisher caches them for a year (``sites/publish/headers.py``) and a
changed file is a new URL.

The scripts are ES modules that import each other by relative path (``./api.js``); each import
is rewritten to the imported file's hashed name before the importing file's own hash is taken,
so a change anywhere changes the hash of everything that depends on it. No bundler: the
modules are small and few, and the browser loads them in parallel.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

__all__ = ["Assets", "build_assets"]

_IMPORT = re.compile(r'''(from\s+|import\s*\(\s*|import\s+)(["'])\./([\w-]+\.js)\2''')


class Assets(NamedTuple):
    files: dict[str, bytes]  # path in the build -> content
    urls: dict[str, str]  # "css/app.css" or "js/product.js" -> "/aset/js/product.3fa2c1d9.js"


def _hashed(name: str, content: bytes) -> str:
    stem, suffix = name.rsplit(".", 1)
    return f"{stem}.{hashlib.sha256(content).hexdigest()[:10]}.{suffix}"


@cache
def build_assets() -> Assets:
    """Every asset, hashed; the same for every build of the same source."""
    static = resources.files("sites.storefront").joinpath("static")
    files: dict[str, bytes] = {}
    urls: dict[str, str] = {}
    scripts = {p.name: p.read_text("utf-8") for p in static.joinpath("js").iterdir() if p.name.endswith(".js")}
    hashed_js: dict[str, str] = {}

    def resolve(name: str, seen: tuple[str, ...] = ()) -> str:
        if name in hashed_js:
            return hashed_js[name]
        if name in seen:
            raise ValueError(f"storefront scripts import each other in a circle: {' -> '.join(seen + (name,))}")
        if name not in scripts:
            raise ValueError(f"{seen[-1] if seen else '?'} imports ./{name}, which is not in sites/storefront/static/js")
        source = _IMPORT.sub(lambda m: f"{m.group(1)}{m.group(2)}./{resolve(m.group(3), seen + (name,))}{m.group(2)}",
                             scripts[name])
        content = source.encode()
        hashed_js[name] = _hashed(name, content)
        files[f"aset/js/{hashed_js[name]}"] = content
        urls[f"js/{name}"] = f"/aset/js/{hashed_js[name]}"
        return hashed_js[name]

    for name in sorted(scripts):
        resolve(name)
    for folder in ("css", "img"):
        directory = static.joinpath(folder)
        if not directory.is_dir():
            continue
        for path in directory.iterdir():
            content = path.read_bytes()
            hashed = _hashed(path.name, content)
            files[f"aset/{folder}/{hashed}"] = content
            urls[f"{folder}/{path.name}"] = f"/aset/{folder}/{hashed}"
    return Assets(files, urls)


def write_assets(out_dir: Path) -> Assets:
    assets = build_assets()
    for relative, content in assets.files.items():
        target = out_dir / relative
        if not target.exists():  # hashed: the same name is the same bytes
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    return assets
