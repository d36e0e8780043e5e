"""Plain pages outside the API: the front page of the demo and the local media folder."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template_string, send_from_directory

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
    ("/api/docs", "Dokumentasi API interaktif (Swagger UI)"),
    ("/api/v1/openapi.json", "Dokumen OpenAPI 3.1"),
    ("/api/v1/products", "Behambinan: daftar produk (JSON)"),
    ("/api/v1/categories", "Behambinan: kategori (JSON)"),
    ("/api/v1/stores", "Behambinan: toko yang sudah disetujui (JSON)"),
]


@bp.get("/")
def home():
    return render_template_string(HOME, links=LINKS)


@bp.get("/media/<path:key>")
def media(key: str):
    """Local-folder storage served by the app (the demo); production serves S3 via a CDN."""
    storage = current_app.extensions["smartcity"].storage
    if not isinstance(storage, LocalFolderStorage):
        abort(404)
    response = send_from_directory(storage.root, key, max_age=31536000)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
