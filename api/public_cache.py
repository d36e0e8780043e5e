"""A few seconds of memory for public answers that are the same for everyone.

The product list and product pages are the busiest endpoints and identical for every visitor;
rebuilding them for each request costs a few milliseconds of CPU that cheap servers do not
have. Each worker keeps such answers for ``SMARTCITY_PUBLIC_CACHE_SECONDS`` (default 2) and
says so in Cache-Control, so a CDN in front may do the same. The price is that stock shown
while browsing may be that many seconds old; checkout always re-checks stock under a lock, so
nothing can be oversold because of it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from flask import Flask, Response, current_app, request

__all__ = ["public_cache", "install_public_cache"]

MAX_ENTRIES = 1024


def public_cache(view):
    """Mark a GET view whose answer depends only on its URL."""
    view.public_cache = True
    return view


class _Store:
    def __init__(self):
        self.entries: OrderedDict[str, tuple[float, bytes, int, str]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[0] <= time.monotonic():
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key: str, ttl: float, body: bytes, status: int, mimetype: str) -> None:
        with self.lock:
            self.entries[key] = (time.monotonic() + ttl, body, status, mimetype)
            self.entries.move_to_end(key)
            while len(self.entries) > MAX_ENTRIES:
                self.entries.popitem(last=False)


def _cacheable() -> bool:
    if request.method != "GET":
        return False
    view = current_app.view_functions.get(request.endpoint)
    return bool(getattr(view, "public_cache", False))


def install_public_cache(app: Flask, seconds: float) -> None:
    if seconds <= 0:
        return
    store = _Store()
    header = f"public, max-age={int(seconds)}"

    @app.before_request
    def _serve_from_cache():
        if not _cacheable():
            return None
        entry = store.get(request.full_path)
        if entry is None:
            return None
        _, body, status, mimetype = entry
        response = Response(body, status=status, mimetype=mimetype)
        response.headers["Cache-Control"] = header
        return response

    @app.after_request
    def _remember(response: Response):
        if _cacheable() and response.status_code == 200 and "Cache-Control" not in response.headers:
            store.put(request.full_path, seconds, response.get_data(), response.status_code, response.mimetype)
            response.headers["Cache-Control"] = header
        return response
