"""Publishing one built site: plan, lock, upload in phases, write the manifest, delete stale."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, NamedTuple

from sites.publish.lock import PublishLock, PublishLocked
from sites.publish.manifest import MANIFEST_KEY, dump_manifest, load_manifest, scan_site
from sites.publish.plan import PHASES, Plan, make_plan
from sites.storage import ObjectStorage

__all__ = ["PublishOptions", "PublishSummary", "PublishLocked", "TooManyDeletes", "publish", "plan_publish"]

DELETE_BATCH = 1000


class TooManyDeletes(RuntimeError):
    pass


class PublishOptions(NamedTuple):
    dry_run: bool = False
    max_deletes: int | None = 256  # None: no limit
    jobs: int = 16  # parallel uploads within a phase: uploads wait on the network, not the CPU


class PublishSummary(NamedTuple):
    site: str
    target: str
    uploaded: int
    uploaded_bytes: int
    unchanged: int
    deleted: int
    seconds: float
    dry_run: bool
    plan: Plan

    def line(self) -> str:
        verb = "would upload" if self.dry_run else "uploaded"
        return (f"{self.site} -> {self.target}: {verb} {self.uploaded} files ({_size(self.uploaded_bytes)}), "
                f"unchanged {self.unchanged}, {'would delete' if self.dry_run else 'deleted'} {self.deleted}"
                f" in {self.seconds:.1f} s")


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def plan_publish(site_dir: Path, storage: ObjectStorage) -> tuple[Plan, dict, bool]:
    """(plan, local files, whether a manifest exists remotely). Hashing the site and listing
    the target run side by side: one waits on the disk and CPU, the other on the network."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        scanning = pool.submit(scan_site, site_dir)
        listing = pool.submit(lambda: {obj.key for obj in storage.list()})
        try:
            manifest = storage.get(MANIFEST_KEY)
        except KeyError:
            manifest = None
        local, remote_keys = scanning.result(), listing.result()
    return make_plan(local, load_manifest(manifest), remote_keys), local, manifest is not None


def publish(
    site: str,
    site_dir: Path,
    storage: ObjectStorage,
    *,
    target: str,
    options: PublishOptions = PublishOptions(),
    progress: Callable[[str, int], None] | None = None,
    on_plan: Callable[[Plan], None] | None = None,
) -> PublishSummary:
    """Make ``storage`` hold exactly the files of ``site_dir``, uploading only what changed.

    ``on_plan(plan)`` is called once the plan is known, and ``progress(phase, n)`` as files are
    done (for a progress bar).
    """
    started = time.monotonic()
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise FileNotFoundError(f"{site_dir}: no built site here; run `smartcity sites build {site}` first")
    lock = None if options.dry_run else PublishLock(storage, site=site)
    if lock:
        lock.acquire()
    try:
        plan, local, has_manifest = plan_publish(site_dir, storage)
        if options.max_deletes is not None and len(plan.deletes) > options.max_deletes:
            raise TooManyDeletes(
                f"refusing to delete {len(plan.deletes)} files (more than --max-deletes {options.max_deletes}); "
                f"check the build, then rerun with a higher --max-deletes. Nothing was changed."
            )
        if on_plan:
            on_plan(plan)
        if not options.dry_run:
            with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
                for phase in PHASES:
                    if plan.uploads[phase]:
                        _upload_phase(pool, storage, site_dir, local, plan.uploads[phase], phase, progress)
                        lock.refresh()
            if plan.upload_count or plan.deletes or not has_manifest:
                published_at = datetime.now(timezone.utc).isoformat()
                storage.put(MANIFEST_KEY, dump_manifest(local, site=site, published_at=published_at),
                            content_type="application/json; charset=utf-8", cache_control="no-cache",
                            content_encoding="gzip")
            for start in range(0, len(plan.deletes), DELETE_BATCH):
                batch = plan.deletes[start : start + DELETE_BATCH]
                storage.delete(batch)
                if progress:
                    progress("delete", len(batch))
    finally:
        if lock:
            lock.release()
    return PublishSummary(
        site=site, target=target, uploaded=plan.upload_count, uploaded_bytes=plan.upload_bytes,
        unchanged=len(plan.unchanged), deleted=len(plan.deletes), seconds=time.monotonic() - started,
        dry_run=options.dry_run, plan=plan,
    )


def _upload_phase(pool, storage, site_dir, local, keys, phase, progress) -> None:
    def upload(key: str) -> None:
        entry = local[key]
        storage.put(key, (site_dir / key).read_bytes(), content_type=entry.content_type,
                    cache_control=entry.cache_control, content_encoding=entry.content_encoding)

    # list() waits for the whole phase and re-raises the first failure: a later phase never
    # starts while an earlier one is incomplete.
    for _ in pool.map(upload, keys):
        if progress:
            progress(phase, 1)
