"""Publishing one built site: plan, lock, upload in phases, write the manifest, delete stale."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, NamedTuple

from sites.publish.lock import PublishLock, PublishLocked
from sites.publish.manifest import (
    MANIFEST_KEY, PENDING_KEY, dump_manifest, dump_pending, load_manifest, load_pending, scan_site,
)
from sites.publish.plan import PHASES, Plan, make_plan
from sites.publish.processes import Upload, UploadFailed, processes_for, upload as upload_in_processes
from sites.storage import ObjectStorage

__all__ = ["PublishOptions", "PublishSummary", "PublishLocked", "TooManyDeletes", "UploadFailed", "publish",
           "plan_publish", "read_remote"]

DELETE_BATCH = 1000


class TooManyDeletes(RuntimeError):
    pass


class PublishOptions(NamedTuple):
    dry_run: bool = False
    max_deletes: int | None = 256  # None: no limit
    jobs: int = 16  # parallel uploads within a phase: uploads wait on the network, not the CPU
    verify: bool = False  # list the target to find files the manifest does not know (put there by hand)


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


class RemoteState(NamedTuple):
    """What the target holds, as far as this publish needs to know."""

    manifest: bytes | None  # as stored (gzip), to notice a change under our feet
    pending: bytes | None
    published: dict  # key -> FileEntry, from the manifest
    keys: set[str]  # what may exist remotely
    listed: bool  # keys come from listing the target, not from the manifest and journal
    unknown: set[str]  # keys whose remote bytes may differ from the manifest (the journal)


def _get(storage: ObjectStorage, key: str) -> bytes | None:
    try:
        return storage.get(key)
    except KeyError:
        return None


def read_remote(storage: ObjectStorage, *, verify: bool = False) -> RemoteState:
    """The manifest and journal; the bucket is listed only when asked to, or when there is no
    manifest yet (a first publish onto a prefix that may hold files of another tool).

    Listing is what costs most on a big site that did not change (5,000 keys are five
    paginated XML answers); the manifest and the journal already name every key a publish of
    ours can have left, so the listing only finds files put there by hand (``--verify``).
    """
    manifest, pending = _get(storage, MANIFEST_KEY), _get(storage, PENDING_KEY)
    try:
        published = load_manifest(manifest)
    except (ValueError, OSError, EOFError, TypeError, AttributeError):
        # Unreadable (cut short, written by hand): publish as onto a target we know nothing of.
        published, manifest_readable = {}, False
    else:
        manifest_readable = manifest is not None
    try:
        unknown, journal_readable = load_pending(pending), True
    except (ValueError, TypeError, AttributeError):
        unknown, journal_readable = set(), False
    if not manifest_readable or not journal_readable or verify:
        keys = {obj.key for obj in storage.list()}
        listed = True
        if not journal_readable:
            unknown = set(keys)  # which keys a killed publish touched is lost: trust none of them
    else:
        keys = set(published) | unknown
        listed = False
    return RemoteState(manifest, pending, published, keys, listed, unknown)


def plan_publish(site_dir: Path, storage: ObjectStorage, *, verify: bool = False) -> tuple[Plan, dict, RemoteState]:
    """(plan, local files, remote state). Hashing the site and reading the target run side by
    side: one waits on the disk and CPU, the other on the network (and, the first time, on
    creating the S3 client)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        scanning = pool.submit(scan_site, site_dir)
        remote = read_remote(storage, verify=verify)
        local = scanning.result()
    return make_plan(local, remote.published, remote.keys, remote.unknown), local, remote


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
    plan, local, remote = plan_publish(site_dir, storage, verify=options.verify)
    if options.dry_run and on_plan:
        on_plan(plan)  # shown even when the deletes are then refused: it says what they would be
    _check_deletes(plan, options)
    up_to_date = not (plan.upload_count or plan.deletes) and remote.manifest is not None and remote.pending is None
    if options.dry_run or up_to_date:
        # Nothing is written, so no lock is needed: at worst another publish is under way and
        # this answer is the one it would have got just before that publish started.
        if on_plan and not options.dry_run:
            on_plan(plan)
        return _summary(site, target, plan, options, started)

    lock = PublishLock(storage, site=site)
    lock.acquire()
    lock.keep_alive()
    try:
        if (_get(storage, MANIFEST_KEY), _get(storage, PENDING_KEY)) != (remote.manifest, remote.pending):
            # another publish finished between our reading and our lock: plan against its result
            plan, local, remote = plan_publish(site_dir, storage, verify=remote.listed)
        _check_deletes(plan, options)
        if on_plan:
            on_plan(plan)
        # The journal names every key whose remote bytes may stop matching the manifest before
        # this publish ends: each one it will write (new or overwritten) and each one it will
        # delete. A publish killed at any point leaves it behind, and the next publish treats
        # those keys as unknown: it uploads them again or deletes them, whatever it publishes.
        pending = remote.unknown
        touched = {key for keys in plan.uploads.values() for key in keys} | set(plan.deletes)
        if not touched <= pending:
            storage.put(PENDING_KEY, dump_pending(pending | touched), content_type="application/json; charset=utf-8",
                        cache_control="no-cache")
        with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
            for phase in PHASES:
                if plan.uploads[phase]:
                    lock.check()  # a big phase's forked processes do not check it themselves
                    _upload_phase(pool, storage, site_dir, local, plan.uploads[phase], phase, progress, options.jobs,
                                  lock)
        lock.check()
        if plan.upload_count or plan.deletes or remote.manifest is None:
            published_at = datetime.now(timezone.utc).isoformat()
            storage.put(MANIFEST_KEY, dump_manifest(local, site=site, published_at=published_at),
                        content_type="application/json; charset=utf-8", cache_control="no-cache",
                        content_encoding="gzip")
        for start in range(0, len(plan.deletes), DELETE_BATCH):
            lock.check()
            batch = plan.deletes[start : start + DELETE_BATCH]
            storage.delete(batch)
            if progress:
                progress("delete", len(batch))
        if pending or touched:
            storage.delete([PENDING_KEY])  # everything it named is now in the manifest or deleted
    finally:
        lock.release()
    return _summary(site, target, plan, options, started)


def _check_deletes(plan: Plan, options: PublishOptions) -> None:
    if options.max_deletes is not None and len(plan.deletes) > options.max_deletes:
        raise TooManyDeletes(
            f"refusing to delete {len(plan.deletes)} files (more than --max-deletes {options.max_deletes}); "
            f"check the build, then rerun with a higher --max-deletes. Nothing was changed."
        )


def _summary(site, target, plan, options, started) -> PublishSummary:
    return PublishSummary(
        site=site, target=target, uploaded=plan.upload_count, uploaded_bytes=plan.upload_bytes,
        unchanged=len(plan.unchanged), deleted=len(plan.deletes), seconds=time.monotonic() - started,
        dry_run=options.dry_run, plan=plan,
    )


def _upload_phase(pool, storage, site_dir, local, keys, phase, progress, jobs, lock: PublishLock) -> None:
    processes = processes_for(len(keys), storage)
    if processes > 1:
        items = [Upload(key, local[key].content_type, local[key].cache_control, local[key].content_encoding)
                 for key in keys]
        upload_in_processes(storage, site_dir, items, processes=processes, jobs=max(jobs, processes),
                            progress=(lambda n: progress(phase, n)) if progress else None)
        return

    def upload(key: str) -> None:
        lock.check()
        entry = local[key]
        storage.put(key, (site_dir / key).read_bytes(), content_type=entry.content_type,
                    cache_control=entry.cache_control, content_encoding=entry.content_encoding)

    # list() waits for the whole phase and re-raises the first failure: a later phase never
    # starts while an earlier one is incomplete.
    for _ in pool.map(upload, keys):
        if progress:
            progress(phase, 1)
