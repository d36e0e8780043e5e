"""Product pictures: decode and check uploads, strip metadata, make WebP renditions.

Uploads come from sellers' phones. A file is accepted only if Pillow can decode it as JPEG,
PNG or WebP; the name and the Content-Type the client claims are ignored. Re-encoding drops
EXIF (phone photos carry GPS positions of the seller's home) after applying its rotation.
"""

from __future__ import annotations

import hashlib
import io
from typing import NamedTuple, Protocol

from PIL import Image, ImageOps, UnidentifiedImageError

from commerce.errors import InvalidInput

__all__ = ["ImageStore", "PreparedImage", "prepare_image", "WIDTHS", "ACCEPTED_FORMATS"]

WIDTHS = (160, 480, 960)
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PIXELS = 40_000_000  # a 40 MP photo; beyond this decoding costs too much memory
WEBP_QUALITY = 80


class ImageStore(Protocol):
    """Where renditions go: a local folder in the demo, S3-compatible storage in production."""

    def put(self, key: str, data: bytes, *, content_type: str, cache_control: str | None = None) -> None: ...

    def url(self, key: str) -> str: ...


class PreparedImage(NamedTuple):
    sha256: str
    width: int
    height: int
    renditions: dict[int, bytes]  # width -> WebP bytes


def _reject(message: str) -> InvalidInput:
    return InvalidInput.field("file", message)


def prepare_image(data: bytes) -> PreparedImage:
    if not data:
        raise _reject("Berkas gambar kosong.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise _reject("Format gambar harus JPEG, PNG atau WebP.")
            if probe.width * probe.height > MAX_PIXELS:
                raise _reject("Gambar terlalu besar; maksimal 40 megapiksel.")
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            img = ImageOps.exif_transpose(img)
    except InvalidInput:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise _reject("Berkas bukan gambar JPEG, PNG atau WebP yang utuh.")

    mode = "RGBA" if img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info else "RGB"
    img = img.convert(mode)
    renditions: dict[int, bytes] = {}
    for width in WIDTHS:
        if width > img.width and renditions:
            break  # never upscale; the smallest rendition is always made
        copy = img.copy()
        copy.thumbnail((width, width * 4), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        copy.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
        renditions[width] = out.getvalue()
    return PreparedImage(hashlib.sha256(data).hexdigest(), img.width, img.height, renditions)
