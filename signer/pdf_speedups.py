"""A faster reader for PDF hex strings, installed into pyHanko's parser.

pyHanko reads a hex string (``<48656c6c6f>``) one byte at a time through a Python generator.
Every signature's ``/Contents`` is such a string of 8-20 thousand hex digits, so reading it was
a third of the time pyHanko spent verifying a city letter (py-spy on the API's workers). This
reader finds the closing ``>`` and decodes the digits in C (``bytes.translate``,
``binascii.unhexlify``).

It gives the same result as pyHanko's own reader or leaves the work to it: whenever the string
holds anything but hex digits and PDF whitespace (a comment, a stray byte, a missing ``>``), the
stream is rewound and pyHanko's reader runs, so every error message and edge case stays
pyHanko's. ``tests/test_signer_pdf_speedups.py`` compares the two readers on generated input.
"""

from __future__ import annotations

import binascii
import re

from pyhanko.pdf_utils import generic

__all__ = ["install", "uninstall", "installed", "read_hex_string"]

_ORIGINAL = generic.read_hex_string_from_stream
_WHITESPACE = b" \n\r\t\f\x00"  # pyhanko.pdf_utils.misc.PDF_WHITESPACE
_OTHER_THAN_HEX = re.compile(rb"[^0-9A-Fa-f \n\r\t\f\x00]")
_FIRST_CHUNK = 256


def read_hex_string(stream):
    """Read ``<...>`` at the stream's position, as ``generic.read_hex_string_from_stream``."""
    start = stream.tell()
    stream.read(1)  # the opening '<'
    parts, size = [], _FIRST_CHUNK
    while True:
        chunk = stream.read(size)
        if not chunk:  # no closing '>': pyHanko says what is wrong
            stream.seek(start)
            return _ORIGINAL(stream)
        end = chunk.find(b">")
        if end >= 0:
            parts.append(chunk[:end])
            break
        parts.append(chunk)
        size *= 4  # a signature's /Contents is tens of KB; most other hex strings are IDs
    body = b"".join(parts)
    if _OTHER_THAN_HEX.search(body):
        stream.seek(start)
        return _ORIGINAL(stream)
    stream.seek(start + len(body) + 2)  # just past the closing '>'
    digits = body.translate(None, _WHITESPACE)
    if len(digits) % 2:
        digits += b"0"  # PDF 32000-1 7.3.4.3: a missing final digit is 0
    return generic.pdf_string(binascii.unhexlify(digits))


def installed() -> bool:
    return generic.read_hex_string_from_stream is read_hex_string


def install() -> None:
    """Make pyHanko's object reader use :func:`read_hex_string` (idempotent). ``signer.signing``
    and ``signer.validation`` call it when imported."""
    generic.read_hex_string_from_stream = read_hex_string


def uninstall() -> None:
    """Back to pyHanko's own reader (the signing benchmark's "stock pyHanko" reference)."""
    generic.read_hex_string_from_stream = _ORIGINAL
