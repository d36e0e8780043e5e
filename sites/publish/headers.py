"""HTTP headers for published files: Content-Type from a fixed table, Content-Encoding for
precompressed files, Cache-Control by pattern.

Caching policy: files whose name carries a content hash (Material's
``main.8a3c1f2e.min.css``) never change meaning, so browsers and CDNs keep them for a year;
pages, data, sitemaps and search indexes change with every edit, so they are cached briefly.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Headers", "headers_for", "CONTENT_TYPES", "UnknownFileType"]

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".webmanifest": "application/manifest+json; charset=utf-8",
    ".geojson": "application/geo+json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".eot": "application/vnd.ms-fontobject",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
}
ENCODINGS = {".gz": "gzip", ".br": "br"}

IMMUTABLE = "public, max-age=31536000, immutable"
ASSET = "public, max-age=3600"
SHORT = "public, max-age=60, must-revalidate"
NO_CACHE = "no-cache"

# A content hash of 8+ hex digits before the extension (MkDocs Material: main.8a3c1f2e.min.css).
# At least one letter: a run of digits alone is far more often a date (kasus.20241203.json),
# and a data file with a date in its name must not be cached for a year.
FINGERPRINT = re.compile(r"\.(?=[0-9]*[a-f])[0-9a-f]{8,}\.(?:min\.)?[a-z0-9]+(?:\.(?:gz|br))?$")
ASSET_SUFFIXES = {".css", ".js", ".mjs", ".map", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif",
                  ".ico", ".woff", ".woff2", ".ttf", ".otf", ".eot"}


class UnknownFileType(ValueError):
    pass


class Headers(NamedTuple):
    content_type: str
    cache_control: str
    content_encoding: str | None


def _suffixes(key: str) -> tuple[str, str | None]:
    """(content suffix, encoding) — ``search_index.json.gz`` is JSON, gzip-encoded."""
    name = key.rsplit("/", 1)[-1].lower()
    parts = name.split(".")
    if len(parts) < 2:
        return "", None
    last = "." + parts[-1]
    if last in ENCODINGS and len(parts) >= 3:
        return "." + parts[-2], ENCODINGS[last]
    return last, None


def is_asset(key: str) -> bool:
    return _suffixes(key)[0] in ASSET_SUFFIXES


def headers_for(key: str) -> Headers:
    suffix, encoding = _suffixes(key)
    content_type = CONTENT_TYPES.get(suffix)
    if content_type is None:
        raise UnknownFileType(f"{key}: no Content-Type known for '{suffix or key}'; add it to sites/publish/headers.py")
    name = key.rsplit("/", 1)[-1].lower()
    if FINGERPRINT.search(name):
        cache = IMMUTABLE
    elif suffix in ASSET_SUFFIXES:
        cache = ASSET
    else:
        cache = SHORT  # pages, data, sitemaps, search indexes
    return Headers(content_type, cache, encoding)
