"""Uploading one big phase from several processes.

Each PUT costs botocore ~2 ms of CPU (building, signing and parsing the request in Python), so
a publish of thousands of files is bound by one core while the GIL serialises its upload
threads. Above :data:`MIN_FILES` files in a phase, and with more than one CPU, the phase's
files are split over forked processes, each with its own S3 client and its own upload
threads (measured: 3,000 PUTs to SeaweedFS in 8.0-8.4 s from one process with 16 threads,
5.7-5.8 s from two with 8 each).

The phase order stays what it was: :func:`upload` returns only when every process has
finished, and raises :class:`UploadFailed` with the first error if any file failed. A process
whose publish died (killed, for example) stops before its next PUT, so a dead publish cannot
keep writing under a newer one.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable, NamedTuple

__all__ = ["MIN_FILES", "Upload", "UploadFailed", "processes_for", "upload"]

MIN_FILES = 500  # below this a process's start (a new S3 client: ~0.15 s) is not worth it
REPORT_EVERY = 25  # files per progress message


class UploadFailed(RuntimeError):
    """A file of the phase could not be uploaded; the message is the first error."""


class Upload(NamedTuple):
    key: str
    content_type: str
    cache_control: str | None
    content_encoding: str | None


def processes_for(files: int, storage) -> int:
    """How many processes a phase of ``files`` files is split over (1: upload in-process)."""
    if files < MIN_FILES or storage.for_another_process() is None:
        return 1
    return min(os.cpu_count() or 1, 4)


class _ParentGone(Exception):
    pass


def _child(storage, site_dir: Path, share: list[Upload], jobs: int, conn, parent: int) -> None:
    try:
        storage = storage.for_another_process()  # never the parent's client and its sockets
        done = 0

        def put(item: Upload) -> None:
            if os.getppid() != parent:
                raise _ParentGone("the publish that started this upload is gone")
            storage.put(item.key, (site_dir / item.key).read_bytes(), content_type=item.content_type,
                        cache_control=item.cache_control, content_encoding=item.content_encoding)

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            try:
                for _ in pool.map(put, share):
                    done += 1
                    if done % REPORT_EVERY == 0:
                        conn.send(("done", REPORT_EVERY))
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        conn.send(("done", done % REPORT_EVERY))
        conn.send(("ok", None))
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent as text
        try:
            conn.send(("error", f"{type(error).__name__}: {error}"))
        finally:
            os._exit(1)


def upload(storage, site_dir: Path, items: list[Upload], *, processes: int, jobs: int,
           progress: Callable[[int], None] | None = None) -> None:
    """Upload ``items`` from ``processes`` forked processes with ``jobs`` threads in all."""
    ctx = multiprocessing.get_context("fork")
    parent = os.getpid()
    per_process = max(1, jobs // processes)
    children, errors = [], []
    try:
        for i in range(processes):
            mine, theirs = ctx.Pipe(duplex=False)
            child = ctx.Process(target=_child, args=(storage, Path(site_dir), items[i::processes], per_process,
                                                     theirs, parent), daemon=True)
            child.start()
            theirs.close()
            children.append((child, mine))
        waiting = {mine: child for child, mine in children}
        while waiting and not errors:  # on the first failure the others are stopped (finally)
            for conn in wait(list(waiting)):
                try:
                    kind, value = conn.recv()
                except EOFError:  # the process ended without saying how
                    child = waiting.pop(conn)
                    child.join()
                    if child.exitcode:
                        errors.append(f"upload process exited with code {child.exitcode}")
                    continue
                if kind == "done" and progress and value:
                    progress(value)
                elif kind == "error":
                    errors.append(value)
                    waiting.pop(conn).join()
                elif kind == "ok":
                    waiting.pop(conn).join()
    finally:
        for child, mine in children:
            if child.is_alive():
                child.terminate()
            child.join()
            mine.close()
    if errors:
        raise UploadFailed(errors[0])
