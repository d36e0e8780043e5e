"""Checks on the raw request before any view runs: body type and size.

Views declare what they accept; everything else under ``/api/`` that carries a body must be
JSON. Doing this up front gives a 415 or 413 problem instead of a confusing validation error
about a missing field, and keeps large bodies from being parsed at all.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, UnsupportedMediaType

__all__ = ["accepts_multipart", "install_body_checks"]

BODY_METHODS = {"POST", "PUT", "PATCH"}


def accepts_multipart(view):
    """Mark a view as taking ``multipart/form-data`` (file uploads) instead of JSON."""
    view.accepts = "multipart/form-data"
    return view


def _is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or mimetype.endswith("+json")


def _check_body() -> None:
    if request.method not in BODY_METHODS or not request.path.startswith("/api/"):
        return
    if request.routing_exception is not None:
        return  # an unknown address or method answers 404/405 whatever the body is
    has_body = bool(request.content_length) or "chunked" in request.headers.get("Transfer-Encoding", "")
    view = current_app.view_functions.get(request.endpoint)
    accepts = getattr(view, "accepts", "application/json")
    if accepts == "multipart/form-data":
        if request.mimetype != "multipart/form-data":
            raise UnsupportedMediaType("Unggah berkas sebagai multipart/form-data dengan field 'file'.")
        return
    if not has_body:
        return
    if not _is_json(request.mimetype):
        raise UnsupportedMediaType("Kirim isi permintaan sebagai application/json.")
    limit = current_app.extensions["smartcity"].settings.max_json_bytes
    too_large = RequestEntityTooLarge(f"Isi JSON maksimal {limit // 1024} KB.")
    if request.content_length and request.content_length > limit:
        raise too_large
    # A chunked body has no Content-Length to check up front: read at most one byte past the
    # limit, so that a longer body is refused instead of being cut short.
    request.max_content_length = limit + 1
    if len(request.get_data(cache=True)) > limit:
        raise too_large
    try:
        parsed = request.get_json(silent=True)
    except RecursionError:
        raise BadRequest("Isi JSON bersarang terlalu dalam.") from None
    if parsed is None:
        raise BadRequest("Isi permintaan bukan JSON yang valid.")


def install_body_checks(app: Flask) -> None:
    app.before_request(_check_body)
