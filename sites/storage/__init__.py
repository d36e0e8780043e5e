"""Object storage: one small interface, two adapters (a local folder, S3-compatible storage).

Domain packages declare the narrow protocol they need (for example
:class:`commerce.catalog.images.ImageStore`); these adapters satisfy them, and the app factory
picks one from the ``SMARTCITY_STORAGE`` URL:

- ``file:///abs/path`` or a plain path: a folder on this machine (the demo default);
- ``s3://bucket/prefix``: AWS S3 or any S3-compatible server (SeaweedFS, MinIO, Ceph RGW, R2),
  with ``endpoint_url`` for the non-AWS ones.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from sites.storage.api import ObjectStorage, StoredObject
from sites.storage.local import LocalFolderStorage

__all__ = ["ObjectStorage", "StoredObject", "LocalFolderStorage", "open_storage"]


def open_storage(url: str, *, public_url: str | None = None, endpoint_url: str | None = None) -> ObjectStorage:
    parsed = urlparse(url)
    if parsed.scheme == "s3":
        from sites.storage.s3 import S3Storage  # boto3 is only imported when S3 is used

        return S3Storage(
            bucket=parsed.netloc,
            prefix=parsed.path.lstrip("/"),
            endpoint_url=endpoint_url,
            public_url=public_url,
        )
    if parsed.scheme == "file":
        if parsed.netloc not in ("", "localhost"):
            # file://var/sites would otherwise mean the folder /sites on a host called "var"
            raise ValueError(f"file URL {url!r} names a host: use file:///ABSOLUTE/DIR (three slashes), "
                             f"or a plain path for a folder relative to here")
        return LocalFolderStorage(Path(unquote(parsed.path)), public_url=public_url or "/media/")
    if parsed.scheme == "":
        return LocalFolderStorage(Path(url), public_url=public_url or "/media/")
    raise ValueError(f"unsupported storage URL {url!r}: use file:///DIR or s3://BUCKET/PREFIX")
