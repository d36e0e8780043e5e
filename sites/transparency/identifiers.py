"""Finding NIK/KK numbers and Indonesian phone numbers in text, and masking them.

Shared by :func:`.privacy.scrub_text` (free text before it is published) and
:class:`.leaks.LeakScanner` (a built site before it is published). Both look at *runs* of
digits joined by separators (space, dot, dash, no-break space, parentheses) and split each run
into digit groups, then look for windows of consecutive groups that form:

- a **16-digit identifier**: one group of 16 or more digits, or 2-5 groups of at least two
  digits, joined by one and the same separator, that add up to exactly 16 digits
  (``6472 0101 0190 0001``, ``64.72.01.010190.0001``);
- a **phone number**: ``0``, ``62`` or ``+62`` followed by a mobile (8xx, 9-12 digits) or
  landline (area code 2-9, 8-10 digits) national number, in up to five groups.

The "why" of the exclusions, each found on real sites: SVG path data and chart coordinates
(``M12 2a10 10 0 0 0 ...``) are digits separated by spaces and dots with single-digit groups
or mixed separators; JavaScript carries constants such as ``9007199254740991`` and decimals
such as ``1.7976931348623157``; money is written ``Rp62.800.000.000``; dates ``2020-04-01``;
content hashes are long hex tokens. ``lenient=True`` (for free text, where over-masking costs
little) drops the separator and grouping rules for identifiers.
"""

from __future__ import annotations

import re
from typing import Iterator, NamedTuple

__all__ = ["Found", "find_identifiers", "may_hold_identifiers", "mask_identifier", "mask_phone", "JS_CONSTANTS"]

# Separators seen between digit groups; "\u00c2\u00a0" is UTF-8 NBSP read as latin-1 bytes.
_SEP = r"(?:[ \t.\-\u00a0]|\u00c2\u00a0|&nbsp;|&#160;)"
# Runs of digits and separators, only those with at least 9 digits (the shortest phone
# number): a run with fewer can be neither, and letting the regex engine skip them is what
# keeps scanning a built site (minified JS, SVG paths, CSV of figures) fast. Neither the
# leading lookahead (lets the engine skip to a possible first character) nor the possessive
# quantifiers (no backtracking out of a run too short to match: separators never start with
# a digit, so giving one back cannot help) change what it matches.
_RUN = re.compile(rf"(?=[+(0-9])(?<![0-9])\+?\(?[0-9](?:(?:{_SEP}|[()]){{0,3}}+[0-9]){{8,}}+", re.ASCII)
# For :func:`may_hold_identifiers`: every digit byte becomes "0", every other byte "x", and the
# bytes of the one-character separators (and "+", "(", ")", "\xc2" of a UTF-8 NBSP) are dropped.
_DIGIT_BYTES = bytes.maketrans(b"0123456789", b"0" * 10).translate(bytes.maketrans(
    bytes(c for c in range(256) if not 48 <= c <= 57), b"x" * 246))
_SEPARATOR_BYTES = b" \t.-\xa0\xc2()+"
_NINE_DIGITS = b"0" * 9
_GROUP = re.compile(r"[0-9]+", re.ASCII)
_ISO_DATE = re.compile(r"(?:19|20)[0-9]{2}-[01][0-9]-[0-3][0-9]", re.ASCII)
_HEX = frozenset("0123456789abcdefABCDEF")
_MONEY_PREFIX = re.compile(r"(?:rp|idr)\.?\s*$", re.IGNORECASE)
_THOUSANDS = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+", re.ASCII)

# Digit strings that are well-known numeric constants in JavaScript and JSON, not identifiers.
JS_CONSTANTS = frozenset({
    "9007199254740991", "9007199254740992", "9223372036854775807", "9223372036854775808",
    "18446744073709551615", "18446744073709551616", "17976931348623157",
})


class Found(NamedTuple):
    start: int
    end: int
    kind: str  # "known", "nik" (16-digit identifier) or "phone"
    digits: str


def mask_identifier(value: str) -> str:
    """Keep the region prefix and the last four characters: ``6472********0001``."""
    value = str(value)
    n = len(value)
    if n >= 12:
        return value[:4] + "*" * (n - 8) + value[-4:]
    if n >= 6:
        return value[:2] + "*" * (n - 4) + value[-2:]
    return "*" * n


def mask_phone(digits: str) -> str:
    """Keep the operator prefix and the last two digits: ``0812******90``."""
    if len(digits) <= 6:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 6) + digits[-2:]


def _hex_token_length(text: str, start: int, end: int) -> tuple[int, bool]:
    i, j = start, end
    while i > 0 and text[i - 1] in _HEX:
        i -= 1
    while j < len(text) and text[j] in _HEX:
        j += 1
    token = text[i:j]
    return len(token), any(not c.isdigit() for c in token)


def _is_identifier(text: str, groups: list[tuple[int, int]], seps: list[str], allow: frozenset[str]) -> bool:
    start, end = groups[0][0], groups[-1][1]
    digits = "".join(text[a:b] for a, b in groups)
    if digits in allow:
        return False
    if _ISO_DATE.search(text, start, end):
        return False
    if len(groups) == 1:
        a, b = groups[0]
        if a >= 2 and text[a - 1] == "." and text[a - 2].isdigit():
            return False  # the fraction of a decimal number
        length, has_letter = _hex_token_length(text, a, b)
        return not (length >= 32 and has_letter)  # part of a content hash
    if len(set(seps)) != 1 or "(" in seps[0] or ")" in seps[0]:
        return False
    if len(groups) == 2 and seps[0] == ".":
        return False  # a decimal number
    return all(b - a >= 2 for a, b in groups)


def _is_phone(text: str, groups: list[tuple[int, int]], digits: str, plus: bool) -> bool:
    start = groups[0][0]
    before = text[max(0, start - 2):start]
    if before[-1:].isalnum() or before[-1:] == "_" or (len(before) == 2 and before[1] in ".," and before[0].isdigit()):
        return False
    prefix = text[max(0, start - 3):start]
    if len(prefix) == 3 and prefix[0].isdigit() and prefix[1] in " ," and prefix[2] == ".":
        return False  # "0 .066.026.13": a list of fractions without leading zeros (SVG path data in CSS)
    if _MONEY_PREFIX.search(text[max(0, start - 5):start].rstrip("(")):
        return False
    if not plus and _THOUSANDS.fullmatch(text, start, groups[-1][1]):
        return False
    if any(b - a < 2 for a, b in groups):
        return False
    if digits.startswith("62") and (plus or digits.startswith("628")):
        national = digits[2:]
    elif digits.startswith("0") and not plus:
        national = digits[1:]
    else:
        return False
    if not national or national[0] == "0":
        return False
    if national[0] == "8":
        return 9 <= len(national) <= 12
    return 8 <= len(national) <= 10


def may_hold_identifiers(data: bytes) -> bool:
    """False only when :func:`find_identifiers` cannot find anything in ``data`` read as
    latin-1: with the one-character separators dropped, a run of :data:`_RUN` becomes at least
    nine digits in a row, and that is a plain byte search after one ``bytes.translate``. Data
    with an HTML entity separator, whose digits the translation would break apart, gets True.
    Most data files (CSV of figures, lookup lists) have no such run and skip the regex scan."""
    if b"&nbsp;" in data or b"&#160;" in data:
        return True
    return _NINE_DIGITS in data.translate(_DIGIT_BYTES, _SEPARATOR_BYTES)


def find_identifiers(text: str, *, known: dict[int, set[str]] | None = None, lenient: bool = False,
                     allow: frozenset[str] = JS_CONSTANTS) -> Iterator[Found]:
    """Identifiers and phone numbers in ``text``, left to right, without overlaps.

    ``known`` maps a length to a set of digit strings (NIK/KK of real recipients): those are
    found anywhere inside a run, with any separators, and reported as kind ``known``.
    """
    for match in _RUN.finditer(text):
        run = match.group()
        digit_groups = _GROUP.findall(run)
        digits = "".join(digit_groups)
        if len(digits) < 9:
            continue
        if known and _holds_known(digits, known):
            yield from _known_in_run(text, _spans(match), known)
            continue  # the run is reported; its other digits are part of the same leak
        if lenient and len(digits) >= 16 and digits not in allow and not _ISO_DATE.search(run):
            yield Found(_spans(match)[0][0], match.end(), "nik", digits)
            continue
        if not _may_hold_number([len(group) for group in digit_groups]):
            continue
        groups = _spans(match)
        plus = run.startswith("+")
        dates = [(match.start() + m.start(), match.start() + m.end()) for m in _ISO_DATE.finditer(run)]
        i = 0
        while i < len(groups):
            found = _window_at(text, groups, i, allow, plus=plus and i == 0, dates=dates)
            if found is None:
                i += 1
                continue
            yield found[0]
            i = found[1]


def _spans(match: re.Match) -> list[tuple[int, int]]:
    """(start, end) in the text of each digit group of a run."""
    run_start = match.start()
    return [(run_start + m.start(), run_start + m.end()) for m in _GROUP.finditer(match.group())]


def _may_hold_number(lengths: list[int]) -> bool:
    """Whether some window :func:`_window_at` looks at can be a NIK or a phone number: up to
    five consecutive groups of at least two digits each (a window with a one-digit group is
    neither) holding at least 9 digits. Most runs in SVG paths and CSS fail this, and this
    test is much cheaper than trying every window."""
    for i in range(len(lengths)):
        total = 0
        for length in lengths[i:i + 5]:
            if length < 2:
                break
            total += length
            if total >= 9:
                return True
    return False


def _window_at(text, groups, i, allow, plus, dates) -> tuple[Found, int] | None:
    """The identifier or phone number starting at group ``i``, and the group after it.

    Windows that overlap a date (``2020-04-01``) are neither.
    """
    seps: list[str] = []
    digits = ""
    best_phone = None
    for j in range(i, min(i + 5, len(groups))):
        if j > i:
            seps.append(text[groups[j - 1][1]:groups[j][0]])
        a, b = groups[j]
        digits += text[a:b]
        window = groups[i:j + 1]
        if any(d_start < b and groups[i][0] < d_end for d_start, d_end in dates):
            break
        if (len(digits) == 16 or (j == i and len(digits) > 16)) and _is_identifier(text, window, seps, allow):
            return Found(window[0][0], b, "nik", digits), j + 1
        if len(digits) > 16:
            break
        if _is_phone(text, window, digits, plus):
            start = window[0][0] - (1 if plus else 0)
            if start > 0 and text[start - 1] == "(":
                start -= 1
            best_phone = (Found(start, b, "phone", digits), j + 1)
    return best_phone


def _holds_known(digits: str, known: dict[int, set[str]]) -> bool:
    return any(digits[k:k + length] in values
               for length, values in known.items() for k in range(len(digits) - length + 1))


def _known_in_run(text: str, groups: list[tuple[int, int]], known: dict[int, set[str]]) -> Iterator[Found]:
    digits, where = [], []
    for a, b in groups:
        for k in range(a, b):
            digits.append(text[k])
            where.append(k)
    run = "".join(digits)
    for length, values in known.items():
        k = 0
        while k + length <= len(run):
            if run[k:k + length] in values:
                yield Found(where[k], where[k + length - 1] + 1, "known", run[k:k + length])
                k += length
            else:
                k += 1
