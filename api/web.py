"""Pages outside the API: the published static sites (the storefront at ``/``) and the local
media folder, as ``smartcity demo`` serves them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Blueprint, abort, current_app, request, send_from_directory
from werkzeug.exceptions import NotFound

from api.problems import http_problem as not_found_problem
from sites.publish.headers import UnknownFileType, headers_for
from sites.registry import SITES
from sites.storage import LocalFolderStorage

bp = Blueprint("web", __name__)

# Only product pictures are public. The same storage holds signed letters (by SHA-256), which
# the verification page may name: they must never be one URL away.
PUBLIC_MEDIA = ("products/",)


@bp.get("/media/<path:key>")
def media(key: str):
    """Local-folder storage served by the app (the demo); production serves S3 via a CDN."""
    storage = current_app.extensions["smartcity"].storage
    if not isinstance(storage, LocalFolderStorage) or ".." in key.split("/") or not key.startswith(PUBLIC_MEDIA):
        abort(404)
    response = send_from_directory(storage.root, key, max_age=31536000)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def _published_root(name: str) -> Path:
    return current_app.extensions["smartcity"].settings.var_dir / "sites" / name


def serve_published(name: str, path: str):
    """A site as `smartcity demo` published it to the local folder target, with the same
    headers the publisher sets on S3 (so the demo behaves like production behind a CDN)."""
    root = _published_root(name)
    target = (root / path) if path else root
    if target.is_dir() or not path:
        path = (path.rstrip("/") + "/index.html").lstrip("/")
    if not (root / path).is_file():
        missing = root / "404.html"
        if missing.is_file():
            response = send_from_directory(root, "404.html")
            response.status_code = 404
            return response
        abort(404)
    response = send_from_directory(root, path)
    try:
        headers = headers_for(path)
    except UnknownFileType:
        return response
    response.headers["Content-Type"] = headers.content_type
    response.headers["Cache-Control"] = headers.cache_control
    if headers.content_encoding:
        response.headers["Content-Encoding"] = headers.content_encoding
    return response


@lru_cache(maxsize=8)
def _app_policy(settings, name: str) -> str:
    from api.storefront import dashboard_settings, storefront_settings
    from sites.common.policy import content_security_policy
    from sites.storefront.render import content_security_policy as storefront_policy

    if name == "storefront":
        policy = storefront_policy(storefront_settings(settings))
    else:
        dash = dashboard_settings(settings)
        policy = content_security_policy(api_base=dash.api_base, picture_url=dash.picture_url, extra_images=("blob:",))
    return policy + "; frame-ancestors 'none'"


# The browser apps' policy as a header too: with frame-ancestors, which their pages' meta tag
# cannot carry; it is what a bucket behind a CDN would be configured to send.
APPS = ("storefront", "dashboard")


def _app_headers(response, name: str):
    response.headers["Content-Security-Policy"] = _app_policy(current_app.extensions["smartcity"].settings, name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    return response


@bp.get("/", endpoint="storefront")
def storefront_home():
    return _app_headers(serve_published("storefront", ""), "storefront")


@bp.app_errorhandler(NotFound)
def storefront_or_not_found(error: NotFound):
    """The storefront answers every GET no route claims (it is mounted at ``/``); everything
    else, and every unknown path under ``/api/`` and ``/media/``, stays a problem+json 404. A
    catch-all route would do the same for GET but turn the API's 404s for other methods into
    405s and its 405s (with their Allow header) into 404s."""
    path = request.path.lstrip("/")
    if request.method not in ("GET", "HEAD") or path.split("/", 1)[0] in ("api", "media"):
        return not_found_problem(error)
    try:
        return _app_headers(serve_published("storefront", path), "storefront")
    except NotFound as missing:  # the storefront is not published here at all
        return not_found_problem(missing)


def _mount(name: str, mount: str) -> None:
    def view(path: str = ""):
        response = serve_published(name, path)
        return _app_headers(response, name) if name in APPS else response

    view.__name__ = f"site_{name}"
    bp.add_url_rule(mount, endpoint=f"site_{name}", view_func=view)
    bp.add_url_rule(mount + "<path:path>", endpoint=f"site_{name}_path", view_func=view)


for _site in SITES.values():
    if _site.built and _site.mount != "/":
        _mount(_site.name, _site.mount)
