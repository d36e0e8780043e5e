"""How much room to leave in a PDF for a signature container.

A PDF signature is written into a placeholder that is reserved before the document is hashed,
so its size must be known in advance. Told nothing, pyHanko finds it out by making a complete
dummy signature, timestamp included, before the real one: about a quarter of the cost of
signing a letter, on every signature. The size depends on the signer's certificates, the
algorithms, the PAdES level and the timestamp authority's token, not on the document, so the
first signature with a key measures it and the later ones reserve that plus a margin.

A reservation that turns out too small makes pyHanko refuse before anything is returned; the
caller then signs again with pyHanko's own estimate and the size is measured anew
(:func:`signer.signing.sign_pdf` does both).
"""

from __future__ import annotations

import binascii
import re
import threading
from typing import Hashable

__all__ = ["SignatureSizes", "container_size"]

# Timestamp tokens differ by a few bytes from one response to the next (serial number, the
# fraction of a second, the nonce) and ECDSA signatures by one or two; a TSA may also rotate to
# a certificate with a longer chain. The margin covers that many times over and stays far
# below pyHanko's own +50 %.
_MARGIN_BYTES = 1024
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


class SignatureSizes:
    """The measured container size per signing configuration, shared by one signer setup."""

    def __init__(self) -> None:
        self._sizes: dict[Hashable, int] = {}
        self._lock = threading.Lock()

    def reserve(self, key: Hashable) -> int | None:
        """Hex digits to reserve (pyHanko's ``bytes_reserved``), or None while unmeasured."""
        size = self._sizes.get(key)
        return None if size is None else 2 * (size + _MARGIN_BYTES)

    def learn(self, key: Hashable, signed_pdf: bytes) -> None:
        size = container_size(signed_pdf)
        if size is not None:
            with self._lock:
                self._sizes[key] = max(size, self._sizes.get(key, 0))

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._sizes.pop(key, None)


def container_size(signed_pdf: bytes) -> int | None:
    """DER length of the newest signature's container, read from its own header in the file."""
    # The newest signature is the last incremental update, so its /ByteRange is the last one.
    start = signed_pdf.rfind(b"/ByteRange")
    match = _BYTE_RANGE.match(signed_pdf, start) if start >= 0 else None
    if match is None:
        return None
    gap = int(match.group(2))  # the '<' that opens the hex-encoded container
    try:
        header = binascii.unhexlify(signed_pdf[gap + 1:gap + 13])
    except (binascii.Error, ValueError):
        return None
    if len(header) < 2 or header[0] != 0x30:  # a DER SEQUENCE, or not what we wrote
        return None
    if header[1] < 0x80:
        return 2 + header[1]
    octets = header[1] & 0x7F
    if not 1 <= octets <= 4 or len(header) < 2 + octets:
        return None
    return 2 + octets + int.from_bytes(header[2:2 + octets], "big")
