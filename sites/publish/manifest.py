"""The publish manifest: what was published, by SHA-256 of the bytes and the headers.

It lives beside the site (``.smartcity/manifest.json`` under the target prefix) and is written
last, so it always describes a complete publish. Comparing against it, not against ETags (which
multipart uploads and some servers compute differently) or modification times (which every
rebuild changes), is what makes an identical rebuild upload nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

from sites.publish.headers import Headers, headers_for

__all__ = ["FileEntry", "MANIFEST_KEY", "LOCK_KEY", "INTERNAL_PREFIX", "scan_site", "load_manifest", "dump_manifest"]

INTERNAL_PREFIX = ".smartcity/"
MANIFEST_KEY = INTERNAL_PREFIX + "manifest.json.gz"  # gzip: a 5,000-file site's manifest is ~250 KB, not 1.4 MB
LOCK_KEY = INTERNAL_PREFIX + "publish.lock"


class FileEntry(NamedTuple):
    sha256: str
    size: int
    content_type: str
    cache_control: str
    content_encoding: str | None

    @property
    def headers(self) -> Headers:
        return Headers(self.content_type, self.cache_control, self.content_encoding)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def scan_site(site_dir: Path, *, threads: int = 4) -> dict[str, FileEntry]:
    """Every file of a built site, keyed by its ``/``-separated path.

    Hashing runs on a few threads: hashlib releases the GIL while it digests, so thousands of
    small files hash in parallel with the reads.
    """
    paths = {}
    for path in sorted(site_dir.rglob("*")):
        if path.is_file():
            key = path.relative_to(site_dir).as_posix()
            if not key.startswith(INTERNAL_PREFIX):
                paths[key] = path
    headers = {key: headers_for(key) for key in paths}  # unknown types fail before any hashing

    def entry(key: str) -> FileEntry:
        path = paths[key]
        return FileEntry(_sha256(path), path.stat().st_size, *headers[key])

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return dict(zip(paths, pool.map(entry, paths)))


def dump_manifest(entries: dict[str, FileEntry], *, site: str, published_at: str) -> bytes:
    document = {"version": 1, "site": site, "published_at": published_at,
                "files": {k: e._asdict() for k, e in sorted(entries.items())}}
    text = json.dumps(document, separators=(",", ":"), sort_keys=True).encode()
    return gzip.compress(text, mtime=0)


def load_manifest(data: bytes | None) -> dict[str, FileEntry]:
    if not data:
        return {}
    document = json.loads(gzip.decompress(data))
    return {k: FileEntry(**v) for k, v in document.get("files", {}).items()}
