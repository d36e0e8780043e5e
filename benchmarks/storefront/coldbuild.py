"""What the storefront benchmark times in a fresh Python process, one mode per run:

``build URL OUT``
    a full storefront build, as the worker or ``smartcity sites build storefront`` does one:
    import the builder, open the database, ``build_storefront``.
``floor URL``
    the same start (interpreter, the builder's imports, the database driver) and the catalog
    loaded, nothing rendered: no build in Python on this data can take less.
``split URL OUT``
    a full build again, with the time spent loading the catalog, rendering templates and
    writing files added up as it goes (by wrapping ``load_catalog``, ``jinja2.Template.render``
    and ``Path.write_text``/``Path.mkdir``), to say where a build's time goes. Product pages are
    timed apart: the builder writes them from forked processes when the catalog is big, so their
    wall time is the phase's, and their render and write seconds are summed over the processes.

run.py measures each process's wall time from outside (start-up and imports included); the
process prints one JSON line with the times it saw inside.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()

PUBLIC_URL = "http://127.0.0.1:8000"


def settings():
    """What every build here renders with (run.py's partial rebuilds too)."""
    from sites.storefront.render import SiteSettings

    return SiteSettings(api_base="", public_url=PUBLIC_URL, media_url=lambda key: "/media/" + key, links=())


def build(url: str, out: str) -> dict:
    from pathlib import Path

    from commerce.db import make_engine
    from sites.storefront.build import build_storefront

    imported = time.perf_counter()
    summary = build_storefront(Path(out), engine=make_engine(url), settings=settings())
    return {"imports_s": imported - STARTED, "build_s": summary.seconds, "pages": summary.pages}


def floor(url: str) -> dict:
    from commerce.db import make_engine
    from sites.storefront.build import build_storefront  # noqa: F401 - the builder's imports count
    from sites.storefront.catalog import load_catalog

    imported = time.perf_counter()
    engine = make_engine(url)
    with engine.connect() as conn:
        catalog = load_catalog(conn)
    return {"imports_s": imported - STARTED, "load_s": time.perf_counter() - imported,
            "products": len(catalog.products)}


class _Clock:
    """Seconds spent inside wrapped functions, per label (not nested: none of these calls
    another)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    def wrap(self, label: str, function):
        self.seconds.setdefault(label, 0.0)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - started

        return timed


def _parts(seconds: dict[str, float]) -> dict[str, float]:
    return {"load": seconds["load"], "render": seconds["render"], "write": seconds["write"] + seconds["mkdir"]}


def _delta(after: dict[str, float], before: dict[str, float]) -> dict[str, float]:
    return {k: after[k] - before.get(k, 0.0) for k in after}


def _time_product_pages(builder, clock: _Clock, children: Path) -> dict:
    """Time the product pages apart: the build may write them from forked processes
    (``_product_pages`` / ``_write_products`` in sites/storefront/build.py), whose clocks are
    their own; each child leaves what it spent in ``children``. Returns the parent's view,
    filled in when the pages are done."""
    seen: dict = {}
    if not hasattr(builder, "_product_pages"):
        return seen  # an older builder: product pages are in the totals
    if hasattr(builder, "_write_products"):
        write_products = builder._write_products

        def in_child(*args, **kwargs):
            before = dict(clock.seconds)
            write_products(*args, **kwargs)
            with open(children / f"{os.getpid()}.json", "w", encoding="utf-8") as f:
                json.dump(_delta(clock.seconds, before), f)

        builder._write_products = in_child
    product_pages = builder._product_pages

    def timed(*args, **kwargs):
        before, started = dict(clock.seconds), time.perf_counter()
        product_pages(*args, **kwargs)
        seen.update(wall=time.perf_counter() - started, here=_delta(clock.seconds, before))

    builder._product_pages = timed
    return seen


def split(url: str, out: str) -> dict:
    import pathlib
    import tempfile

    import jinja2

    import sites.storefront.build as builder
    from commerce.db import make_engine

    imported = time.perf_counter()
    clock = _Clock()
    builder.load_catalog = clock.wrap("load", builder.load_catalog)
    jinja2.Template.render = clock.wrap("render", jinja2.Template.render)
    pathlib.Path.write_text = clock.wrap("write", pathlib.Path.write_text)
    pathlib.Path.mkdir = clock.wrap("mkdir", pathlib.Path.mkdir)
    with tempfile.TemporaryDirectory() as scratch:
        children = Path(scratch)
        product = _time_product_pages(builder, clock, children)
        summary = builder.build_storefront(pathlib.Path(out), engine=make_engine(url), settings=settings())
        child_parts = [_parts(json.loads(f.read_text(encoding="utf-8"))) for f in children.glob("*.json")]
    total = _parts(clock.seconds)  # this process only
    here = _parts(product["here"]) if product else {"load": 0.0, "render": 0.0, "write": 0.0}
    pages_wall = product.get("wall", 0.0)
    result = {"imports_s": imported - STARTED, "build_s": summary.seconds, "pages": summary.pages,
              "load_s": total["load"],
              "render_s": total["render"] - here["render"], "write_s": total["write"] - here["write"],
              "product_pages_wall_s": pages_wall, "product_pages_processes": len(child_parts) or 1,
              "product_pages_render_s": here["render"] + sum(c["render"] for c in child_parts),
              "product_pages_write_s": here["write"] + sum(c["write"] for c in child_parts)}
    result["other_s"] = (summary.seconds - result["load_s"] - result["render_s"] - result["write_s"] - pages_wall)
    return result


if __name__ == "__main__":
    mode, *arguments = sys.argv[1:]
    print(json.dumps({"build": build, "floor": floor, "split": split}[mode](*arguments)))
