"""What a publish will do, decided before anything is written.

Uploads go in phases, each finished before the next starts, so that whatever moment a publish
is killed, every page already live finds its assets: assets first, then other files (data),
then pages, then the indexes that point at pages (sitemap, search index, the home page), then
the manifest. Stale files are deleted only after all of that.
"""

from __future__ import annotations

from typing import NamedTuple

from sites.publish.headers import is_asset
from sites.publish.manifest import INTERNAL_PREFIX, FileEntry

__all__ = ["Plan", "PHASES", "make_plan", "phase_of"]

PHASES = ("assets", "other", "html", "indexes")
INDEX_KEYS = {"index.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json", "search/search_index.json.gz"}


def phase_of(key: str) -> str:
    if key in INDEX_KEYS:
        return "indexes"
    if key.lower().endswith((".html", ".htm")):
        return "html"
    if is_asset(key):
        return "assets"
    return "other"


class Plan(NamedTuple):
    uploads: dict[str, list[str]]  # phase -> keys, in PHASES order
    unchanged: list[str]
    deletes: list[str]
    upload_bytes: int

    @property
    def upload_count(self) -> int:
        return sum(len(keys) for keys in self.uploads.values())


def make_plan(
    local: dict[str, FileEntry], published: dict[str, FileEntry], remote_keys: set[str],
    pending: set[str] = frozenset(),
) -> Plan:
    """``published`` is the remote manifest; ``remote_keys`` what may exist remotely;
    ``pending`` the journal a killed publish left: keys whose remote bytes are unknown.

    A file is uploaded when its bytes or headers differ from the manifest, when it is missing
    remotely (someone deleted it by hand), or when a killed publish may have overwritten it.
    Stale files are those present remotely and absent from the new site, whether or not an
    earlier manifest knew them (a killed publish may have left files no manifest recorded).
    """
    uploads: dict[str, list[str]] = {phase: [] for phase in PHASES}
    unchanged, size = [], 0
    for key, entry in sorted(local.items()):
        if published.get(key) == entry and key in remote_keys and key not in pending:
            unchanged.append(key)
        else:
            uploads[phase_of(key)].append(key)
            size += entry.size
    # Pages go before the assets they use (the reverse of the upload order), so that a publish
    # killed half-way through its deletions never leaves a stale page without its stylesheet.
    deletes = sorted((k for k in remote_keys if k not in local and not k.startswith(INTERNAL_PREFIX)),
                     key=lambda k: (-PHASES.index(phase_of(k)), k))
    return Plan(uploads, unchanged, deletes, size)
