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
import os
from pathlib import Path
from typing import NamedTuple

from sites.publish.headers import Headers, headers_for
from sites.storage.api import ObjectStorage

__all__ = [
    "BadSiteFile", "FileEntry", "MANIFEST_KEY", "LOCK_KEY", "PENDING_KEY", "INTERNAL_PREFIX",
    "scan_site", "load_manifest", "dump_manifest", "load_pending", "dump_pending",
]

INTERNAL_PREFIX = ".smartcity/"
MANIFEST_KEY = INTERNAL_PREFIX + "manifest.json.gz"  # gzip: a 5,000-file site's manifest is ~250 KB, not 1.4 MB
LOCK_KEY = INTERNAL_PREFIX + "publish.lock"
# Keys a publish is about to write or delete, written before the first of them and removed
# when the publish is done. The manifest plus this journal is everything the publisher can
# have put remotely, and the journal is every key whose remote bytes may differ from the
# manifest, so a publish need not list the bucket to repair what a killed one left behind.
PENDING_KEY = INTERNAL_PREFIX + "pending.json"


class BadSiteFile(ValueError):
    """A file of the built site that cannot be published as it is."""


class FileEntry(NamedTuple):
    sha256: str
    size: int
    content_type: str
    cache_control: str
    content_encoding: str | None

    @property
    def headers(self) -> Headers:
        return Headers(self.content_type, self.cache_control, self.content_encoding)


def _sha256(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def scan_site(site_dir: Path) -> dict[str, FileEntry]:
    """Every file of a built site, keyed by its ``/``-separated path.

    One thread, on purpose: with SHA-NI a 5,000-file, 76 MB site hashes in ~0.1 s, and a pool
    of threads made it 2-3 times slower (a task per small file costs more than its hash).
    ``os.walk`` reuses the directory entries' types, where ``Path.rglob`` + ``is_file`` stats
    every path again. Publishing runs this beside the network reads (see the publisher).
    """
    root = os.fspath(site_dir).rstrip(os.sep)
    real_root = os.path.realpath(root)
    paths: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel = dirpath[len(root) + 1:].replace(os.sep, "/")
        for name in dirnames:  # os.walk lists a symlinked folder here and never enters it
            if os.path.islink(os.path.join(dirpath, name)):
                raise BadSiteFile(f"{rel + '/' if rel else ''}{name}: a symlinked folder in the built site; "
                                  f"the publisher does not follow them (copy the files instead)")
        for name in filenames:
            key = f"{rel}/{name}" if rel else name
            path = os.path.join(dirpath, name)
            if os.path.islink(path) and os.path.commonpath([real_root, os.path.realpath(path)]) != real_root:
                # a link out of the build would publish whatever it points at (a key, /etc/...)
                raise BadSiteFile(f"{key}: a symlink to {os.path.realpath(path)}, outside the built site")
            try:
                ObjectStorage.check_key(key)
            except ValueError:
                raise BadSiteFile(f"{key!r}: a file name no storage key can carry (backslash or control character)")
            if not key.startswith(INTERNAL_PREFIX):
                paths[key] = path
    keys = sorted(paths)
    headers = {key: headers_for(key) for key in keys}  # unknown types fail before any hashing
    return {key: FileEntry(_sha256(paths[key]), os.path.getsize(paths[key]), *headers[key]) for key in keys}


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


def dump_pending(keys: set[str]) -> bytes:
    return json.dumps({"version": 1, "keys": sorted(keys)}, separators=(",", ":")).encode()


def load_pending(data: bytes | None) -> set[str]:
    if not data:
        return set()
    return set(json.loads(data).get("keys", []))
