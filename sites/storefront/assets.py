"""The storefront's CSS and JavaScript, fingerprinted (:mod:`sites.common.assets`)."""

from __future__ import annotations

from pathlib import Path

from sites.common.assets import Assets
from sites.common.assets import build_assets as _build
from sites.common.assets import write_assets as _write

__all__ = ["Assets", "build_assets", "write_assets"]


def build_assets() -> Assets:
    return _build("sites.storefront")


def write_assets(out_dir: Path) -> Assets:
    return _write(out_dir, "sites.storefront")
