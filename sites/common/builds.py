"""Building into a fresh folder and swapping it in at the end, so that a failed build never
leaves half a site where the last good one was (the publisher and the demo server read it)."""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

__all__ = ["fresh_build"]


@contextmanager
def fresh_build(out_dir: Path) -> Iterator[Path]:
    """Yield an empty folder beside ``out_dir``; when the block ends without an error, it
    becomes ``out_dir`` (the old one is removed); after an error, it is removed."""
    fresh = out_dir.with_name(out_dir.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    try:
        yield fresh
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    old = out_dir.with_name(out_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if out_dir.exists():
        out_dir.rename(old)
    fresh.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)
