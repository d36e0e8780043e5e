"""Privacy primitives for everything the transparency site publishes.

The public may see that a household in a kelurahan received aid, never who exactly: names are
shown as initials (:func:`mask_name`), free text is scrubbed of NIK/KK and phone numbers
(:func:`scrub_text`), and a built site is scanned for anything that still looks like one
(:class:`LeakScanner`, in :mod:`.leaks`) before it is published. Masked identifiers keep the
region prefix and the last four digits (``6472********0001``) so staff can match a report
line to their spreadsheet without the number being readable.
"""

from __future__ import annotations

from sites.transparency.identifiers import find_identifiers, mask_identifier, mask_phone
from sites.transparency.leaks import Leak, LeakScanner

__all__ = ["mask_name", "scrub_text", "mask_identifier", "mask_phone", "LeakScanner", "Leak"]

# Honorifics kept as written ("Hj. S*** A*****"): they say nothing about who the person is.
_TITLES = frozenset({"h", "hj", "kh", "dr", "drs", "dra", "ir", "prof", "ny", "nn", "tn", "sdr", "sdri"})

NIK_PLACEHOLDER = "[NIK/KK disamarkan]"
PHONE_PLACEHOLDER = "[telepon disamarkan]"


def _mask_word(word: str) -> str:
    out = []
    kept = False
    for ch in word:
        if ch.isdigit():
            out.append("*")  # never carry a digit: a name cell may hold a pasted NIK
        elif ch.isalpha():
            out.append("*" if kept else ch)
            kept = True
        else:
            out.append(ch)
    return "".join(out)


def mask_name(nama: str | None) -> str:
    """``"Siti Aminah"`` -> ``"S*** A*****"``: the first letter of each word, the length kept.

    Leading honorifics (``H.``, ``Hj.``, ``Dr.``) are kept; runs of spaces collapse to one;
    digits are always masked, so no run of digits (a NIK typed into the name column) survives.
    """
    words = str(nama or "").split()
    out = []
    leading = True
    for word in words:
        if leading and word.rstrip(".").lower() in _TITLES and not any(c.isdigit() for c in word):
            out.append(word)
            continue
        leading = False
        out.append(_mask_word(word))
    return " ".join(out)


def scrub_text(text: str | None) -> str:
    """``text`` with every NIK/KK-like number (16 digits, also grouped with spaces, dots or
    dashes) and every Indonesian phone number (08..., 62..., +62..., with separators) replaced
    by a placeholder. Meant for free text that goes on the public site."""
    text = str(text or "")
    if len(text) < 9 or not any(c.isdigit() for c in text):
        return text  # no digits, or too few for the shortest phone number (9 digits)
    out = []
    last = 0
    for found in find_identifiers(text, lenient=True):
        out.append(text[last:found.start])
        out.append(PHONE_PLACEHOLDER if found.kind == "phone" else NIK_PLACEHOLDER)
        last = found.end
    out.append(text[last:])
    return "".join(out)
