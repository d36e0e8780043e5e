"""The recipient lookup of each kelurahan page: one small JSON file per kelurahan.

The file holds only what the privacy model allows per recipient, in compact columns so that
a kelurahan of a few thousand rows stays well under 30 KB gzipped on a phone's data plan::

    {"v": 1, "kelurahan": "Rawa Makmur", "data_per": "2026-11-27",
     "periode": ["BST|April 2020", ...], "status": ["Diterima", "Belum diterima"],
     "kolom": ["nama", "rt_rw", "periode", "status"],
     "penerima": [["S*** A*****", "004/002", 0, 0], ...]}

It is written gzipped only (``.json.gz``): the publisher's header table serves it as JSON with
``Content-Encoding: gzip``, so the browser inflates it; where a plain static server sends the
bytes as they are, the page's script inflates them itself (``DecompressionStream``). The same
rows are open data as CSV (:mod:`.opendata`); :mod:`.recipient_files` writes both. Names
never appear anywhere else in the site, so the site-wide search index cannot contain them.
"""

from __future__ import annotations

import gzip
import json

from commerce.places import Kelurahan
from sites.transparency.covid_site.charts import format_month
from sites.transparency.covid_site.data import STATUS_LABELS, PublishedRecipient
from sites.transparency.covid_site.memo import Memo

__all__ = ["lookup_path", "lookup_document", "lookup_bytes"]

VERSION = 1


def lookup_path(kel: Kelurahan) -> str:
    return f"data/cari/{kel.slug}.json.gz"


def lookup_document(kel: Kelurahan, rows: list[PublishedRecipient], *, as_of: str) -> dict:
    periods: dict[tuple[str, str], int] = {}
    statuses: dict[str, int] = {status: i for i, status in enumerate(STATUS_LABELS)}
    rt_rw: Memo[tuple[str, str], str] = Memo(lambda key: "/".join(key))
    period_of: Memo[tuple[str, str], int] = Memo(lambda key: periods.setdefault(key, len(periods)))
    status_of: Memo[str, int] = Memo(lambda status: statuses.setdefault(status, len(statuses)))
    entries = [(nama, rt_rw[rt, rw], period_of[program, periode], status_of[status])
               for nama, rt, rw, _, program, periode, status, _ in rows]
    return {"v": VERSION, "kelurahan": kel.name, "data_per": as_of,
            "periode": [f"{program}|{format_month(periode)}" for program, periode in periods],
            "status": [STATUS_LABELS.get(status, status) for status in statuses],
            "kolom": ["nama", "rt_rw", "periode", "status"], "penerima": entries}


def lookup_bytes(kel: Kelurahan, rows: list[PublishedRecipient], *, as_of: str) -> bytes:
    """The lookup file of one kelurahan, gzipped, as published."""
    text = json.dumps(lookup_document(kel, rows, as_of=as_of), ensure_ascii=False, separators=(",", ":"))
    # Level 5: within ~2 % of level 6's size at less than half its CPU (9 costs 6x for 8 % less).
    # mtime 0: same data, same bytes.
    return gzip.compress(text.encode("utf-8"), compresslevel=5, mtime=0)
