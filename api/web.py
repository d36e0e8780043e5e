"""Plain pages outside the API: the front page of the demo and the local media folder."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template_string, send_from_directory

from sites.publish.headers import UnknownFileType, headers_for
from sites.registry import SITES
from sites.storage import LocalFolderStorage

bp = Blueprint("web", __name__)

HOME = """<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Samarinda Smart City</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
a{color:#0b5}</style></head><body>
<h1>Samarinda Smart City</h1>
<p>Layanan kota yang berjalan di server ini:</p>
<ul>
{% for href, label in links %}<li><a href="{{ href }}">{{ label }}</a></li>{% endfor %}
</ul>
</body></html>"""

LINKS = [
    ("/docs/", "Dokumentasi program Samarinda Smart City"),
    ("/covid/", "Transparansi COVID-19 dan bansos"),
    ("/verify", "Periksa tanda tangan elektronik surat Pemerintah Kota Samarinda"),
    ("/api/docs", "Dokumentasi API interaktif (Swagger UI)"),
    ("/api/v1/openapi.json", "Dokumen OpenAPI 3.1"),
    ("/api/v1/products", "Behambinan: daftar produk (JSON)"),
    ("/api/v1/categories", "Behambinan: kategori (JSON)"),
    ("/api/v1/stores", "Behambinan: toko yang sudah disetujui (JSON)"),
]


@bp.get("/")
def home():
    return render_template_string(HOME, links=LINKS)


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


def _mount(name: str, mount: str) -> None:
    def view(path: str = ""):
        return serve_published(name, path)

    view.__name__ = f"site_{name}"
    bp.add_url_rule(mount, endpoint=f"site_{name}", view_func=view)
    bp.add_url_rule(mount + "<path:path>", endpoint=f"site_{name}_path", view_func=view)


for _site in SITES.values():
    if _site.built and _site.mount != "/":
        _mount(_site.name, _site.mount)
