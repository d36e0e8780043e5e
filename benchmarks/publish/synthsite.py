"""A synthetic built site of exactly 5,000 files, the same bytes for the same seed.

Shaped like a large static site (a documentation portal with many sections): HTML pages in
``section/page/index.html`` folders, CSS and JS bundles whose names carry a content fingerprint
(``app-012.3fa9c2d1.min.css``), source maps, images (PNG, JPEG, WebP, SVG; random bytes behind
the right magic numbers, so they do not compress), WOFF2 fonts, JSON data, a sitemap (plain and
gzipped with a fixed mtime) and a search index. Every extension is one the publisher's header
table knows.

Nothing depends on the clock or the file system order: generating twice into two folders gives
byte-identical trees (only the mtimes differ), which is what "rebuild identically" means here.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import random
from pathlib import Path

__all__ = ["generate", "change_one_page", "TOTAL_FILES", "CHANGED_PAGE"]

TOTAL_FILES = 5000
SECTIONS = 40
CSS, JS, MAPS, FONTS, DATA = 60, 90, 90, 20, 300
IMAGES = {"png": 300, "jpg": 250, "webp": 100, "svg": 50}
SPECIAL = ("index.html", "404.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json")
MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "webp": b"RIFF\x00\x00\x00\x00WEBPVP8 "}
WORDS = ("kota samarinda layanan publik warga data terbuka anggaran program pilar smart governance society "
         "economy environment living branding aplikasi kasir darurat bantuan sosial transparansi laporan "
         "peta wilayah kecamatan kelurahan sungai mahakam jalan banjir sekolah kesehatan pasar usaha mikro "
         "pajak retribusi izin digital tanda tangan elektronik dokumen arsip evaluasi indikator target").split()
# Pages: whatever is left of the 5,000 after the other kinds, spread over the sections.
PAGES = (TOTAL_FILES - len(SPECIAL) - SECTIONS - CSS - JS - MAPS - FONTS - DATA - sum(IMAGES.values()))
CHANGED_PAGE_INDEX = 1234  # the page "change one page" edits, by position in the sorted page list


def _fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:8]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(WORDS, k=words))


def _page(rng: random.Random, title: str, css: list[str], js: list[str], images: list[str]) -> bytes:
    paragraphs = "\n".join(f"<p>{_text(rng, rng.randint(30, 200))}</p>" for _ in range(rng.randint(2, 20)))
    figures = "\n".join(f'<img src="/{img}" alt="{_text(rng, 3)}" loading="lazy">'
                        for img in rng.sample(images, rng.randint(0, 4)))
    links = "\n".join(f'<link rel="stylesheet" href="/{c}">' for c in rng.sample(css, 2))
    scripts = "\n".join(f'<script src="/{j}" defer></script>' for j in rng.sample(js, 3))
    return (f"<!doctype html>\n<html lang=\"id\"><head><meta charset=\"utf-8\"><title>{title}</title>\n{links}\n"
            f"</head><body><main><h1>{title}</h1>\n{figures}\n{paragraphs}\n</main>\n{scripts}\n</body></html>\n"
            ).encode()


def _image(rng: random.Random, ext: str) -> bytes:
    size = int(2 ** rng.uniform(10, 17))  # 1 KB .. 128 KB, log-uniform
    if ext == "svg":
        shapes = "".join(f'<circle cx="{rng.randint(0, 512)}" cy="{rng.randint(0, 512)}" r="{rng.randint(2, 90)}" '
                         f'fill="#{rng.randrange(1 << 24):06x}"/>' for _ in range(size // 60))
        return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">{shapes}</svg>\n'.encode()
    return MAGIC[ext] + rng.randbytes(size)


def generate(out_dir: Path, *, seed: int = 20261127) -> dict[str, int]:
    """Write the site into ``out_dir`` (which must not exist yet); returns {key: size}."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True)
    rng = random.Random(seed)
    files: dict[str, bytes] = {}

    def add(key: str, data: bytes) -> None:
        assert key not in files, key
        files[key] = data

    css, js = [], []
    for i in range(CSS):
        data = ("/* app stylesheet */\n" + "\n".join(
            f".c{i}-{n} {{ margin: {rng.randint(0, 40)}px; color: #{rng.randrange(1 << 24):06x}; }}"
            for n in range(rng.randint(50, 1500)))).encode()
        key = f"assets/css/app-{i:03d}.{_fingerprint(data)}.min.css"
        add(key, data)
        css.append(key)
    for i in range(JS):
        data = ("\n".join(f"function f{i}_{n}(a,b){{return a*{rng.randint(1, 999)}+b;}}"
                          for n in range(rng.randint(100, 3000)))).encode()
        key = f"assets/js/bundle-{i:03d}.{_fingerprint(data)}.min.js"
        add(key, data)
        js.append(key)
        if i < MAPS:
            add(key + ".map", json.dumps({"version": 3, "file": key.rsplit("/", 1)[-1], "sources": [f"src/{i}.ts"],
                                          "mappings": _text(rng, rng.randint(200, 4000))}).encode())
    for i in range(FONTS):
        data = b"wOF2" + rng.randbytes(rng.randint(15_000, 60_000))
        add(f"assets/fonts/font-{i:02d}.{_fingerprint(data)}.woff2", data)
    images = []
    for ext, count in IMAGES.items():
        for i in range(count):
            key = f"assets/images/{ext}/img-{i:04d}.{ext}"
            add(key, _image(rng, ext))
            images.append(key)
    for i in range(DATA):
        rows = [{"id": n, "kecamatan": rng.choice(WORDS), "nilai": rng.randint(0, 10**6), "catatan": _text(rng, 8)}
                for n in range(rng.randint(5, 400))]
        add(f"data/set-{i:03d}.json", json.dumps({"rows": rows}, separators=(",", ":")).encode())
    pages = []
    for i in range(PAGES):
        section = i % SECTIONS
        key = f"section-{section:02d}/page-{i:04d}/index.html"
        add(key, _page(rng, f"Halaman {i}", css, js, images))
        pages.append(key)
    for s in range(SECTIONS):
        items = "\n".join(f'<li><a href="/{p[:-len("index.html")]}">{p}</a></li>' for p in pages[s::SECTIONS])
        add(f"section-{s:02d}/index.html", f"<!doctype html><html><body><ul>\n{items}\n</ul></body></html>\n".encode())
    home = "\n".join(f'<li><a href="/section-{s:02d}/">Bagian {s}</a></li>' for s in range(SECTIONS))
    add("index.html", f"<!doctype html><html><body><h1>Beranda</h1><ul>\n{home}\n</ul></body></html>\n".encode())
    add("404.html", b"<!doctype html><html><body><h1>Tidak ditemukan</h1></body></html>\n")
    urls = "".join(f"<url><loc>https://example.invalid/{k[:-len('index.html')]}</loc></url>\n"
                   for k in sorted(files) if k.endswith("index.html"))
    sitemap = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset>\n{urls}</urlset>\n'.encode()
    add("sitemap.xml", sitemap)
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as gz:
        gz.write(sitemap)
    add("sitemap.xml.gz", buffer.getvalue())
    add("search/search_index.json", json.dumps(
        {"docs": [{"location": p, "title": p, "text": _text(rng, 30)} for p in pages]}).encode())
    assert len(files) == TOTAL_FILES, len(files)
    for key, data in files.items():
        path = out_dir / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return {key: len(data) for key, data in files.items()}


def _pages(site_dir: Path) -> list[str]:
    return sorted(p.relative_to(site_dir).as_posix() for p in site_dir.glob("section-*/page-*/index.html"))


CHANGED_PAGE = f"section-{CHANGED_PAGE_INDEX % SECTIONS:02d}/page-{CHANGED_PAGE_INDEX:04d}/index.html"


def change_one_page(site_dir: Path, key: str = CHANGED_PAGE) -> str:
    """Edit one page's content in place (an editor fixing a paragraph); returns its key."""
    path = Path(site_dir) / key
    html = path.read_text()
    edited = html.replace("<p>", "<p>Diperbarui: jadwal layanan berubah mulai bulan depan. ", 1)
    assert edited != html
    path.write_text(edited)
    return key
