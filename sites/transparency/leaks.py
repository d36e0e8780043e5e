"""The last line of defence: scan a built site for personal numbers before it is published.

:class:`LeakScanner` reads every published file as bytes (HTML, JSON, CSV, XML, JS, SVG ...;
``.gz`` files decompressed, ``.zip``/``.xlsx`` members opened) and reports every NIK-like
16-digit number, phone-number-like run and known NIK/KK of a real recipient (also when written
with separators). A :class:`Leak` names the file, line and byte offset and the kind, and
carries only a masked form of what it found, so scan reports and logs never repeat the
identifier. Files it cannot read (a corrupt or oversized archive) are reported as leaks of
kind ``unscannable``: a site that cannot be checked is not published.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import Iterable, NamedTuple

from sites.transparency.identifiers import (
    JS_CONSTANTS, find_identifiers, mask_identifier, mask_phone, may_hold_identifiers,
)

__all__ = ["Leak", "LeakScanner", "SKIPPED_SUFFIXES"]

MAX_EXPANDED_BYTES = 512 * 1024 * 1024  # per decompressed file: a gzip bomb is unscannable
_NESTING = 3
# Raster images and fonts: binary formats where digits are not text; everything else is read.
SKIPPED_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".bmp",
                              ".woff", ".woff2", ".ttf", ".otf", ".eot"})
_ZIP_SUFFIXES = (".zip", ".xlsx", ".xlsm", ".docx", ".ods", ".odt")

KIND_LABELS = {
    "known": "NIK/KK penerima yang dikenal",
    "nik": "angka 16 digit mirip NIK/KK",
    "phone": "nomor telepon",
    "unscannable": "berkas tidak dapat diperiksa",
}


class Leak(NamedTuple):
    file: str  # path inside the site; "archive.zip!member" for a member of an archive
    line: int  # 1-based, in the (decompressed) content
    offset: int  # byte offset in the (decompressed) content
    kind: str  # known | nik | phone | unscannable
    masked: str  # the finding, masked; never the identifier itself

    def __str__(self) -> str:
        what = KIND_LABELS.get(self.kind, self.kind)
        shown = f" {self.masked}" if self.masked else ""
        return f"{self.file}:{self.line} (offset {self.offset}): {what}{shown}"


def _gunzip(data: bytes) -> bytes:
    out = io.BytesIO()
    decompressor = zlib.decompressobj(wbits=47)  # gzip or zlib header, auto-detected
    chunk = data
    while chunk:
        out.write(decompressor.decompress(chunk, MAX_EXPANDED_BYTES + 1 - out.tell()))
        if out.tell() > MAX_EXPANDED_BYTES:
            raise ValueError("decompressed size over the scan limit")
        chunk = decompressor.unconsumed_tail
        if decompressor.eof and decompressor.unused_data:
            # Concatenated gzip members are legal; scan them all.
            chunk, decompressor = decompressor.unused_data, zlib.decompressobj(wbits=47)
    if not decompressor.eof:
        raise ValueError("truncated gzip data")
    return out.getvalue()


class LeakScanner:
    """Finds personal numbers in published bytes.

    ``known_identifiers`` are the NIK and KK numbers of real recipients (any separators in
    them are ignored); ``allow`` lists digit strings that are known not to be identifiers
    (by default a few JavaScript constants such as ``9007199254740991``).
    """

    def __init__(self, known_identifiers: Iterable[str] = (), *, allow: Iterable[str] = JS_CONSTANTS):
        self._known: dict[int, set[str]] = {}
        for value in known_identifiers:
            value = str(value)
            digits = value if value.isdigit() else "".join(c for c in value if c.isdigit())
            if len(digits) >= 8:
                self._known.setdefault(len(digits), set()).add(digits)
        self._allow = frozenset(allow)

    def scan_bytes(self, name: str, data: bytes, *, _depth: int = 0) -> list[Leak]:
        """Leaks in one published file; ``name`` is how reports refer to it."""
        lower = name.lower()
        if data[:2] == b"\x1f\x8b" or lower.endswith(".gz"):
            try:
                inner = _gunzip(data)
            except (ValueError, zlib.error, EOFError) as error:
                return [Leak(name, 0, 0, "unscannable", f"({error})")]
            if _depth >= _NESTING:
                return [Leak(name, 0, 0, "unscannable", "(too deeply nested)")]
            # The decompressed content may itself be an archive (data.zip.gz).
            return self.scan_bytes(name, inner, _depth=_depth + 1) if inner[:4] == b"PK\x03\x04" \
                else self._scan_text(name, inner)
        if data[:4] == b"PK\x03\x04" or lower.endswith(_ZIP_SUFFIXES):
            return self._scan_zip(name, data, _depth)
        return self._scan_text(name, data)

    def _scan_zip(self, name: str, data: bytes, depth: int) -> list[Leak]:
        if depth >= _NESTING:
            return [Leak(name, 0, 0, "unscannable", "(too deeply nested)")]
        leaks: list[Leak] = []
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for info in archive.infolist():
                    if info.is_dir():
                        continue
                    if info.file_size > MAX_EXPANDED_BYTES:
                        leaks.append(Leak(f"{name}!{info.filename}", 0, 0, "unscannable", "(too large)"))
                        continue
                    member = archive.read(info)
                    leaks += self.scan_bytes(f"{name}!{info.filename}", member, _depth=depth + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            leaks.append(Leak(name, 0, 0, "unscannable", f"({error})"))
        return leaks

    def _scan_text(self, name: str, data: bytes) -> list[Leak]:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            text = data.decode("utf-16", errors="replace")
        elif not may_hold_identifiers(data):
            return []
        else:
            # latin-1 maps each byte to one character, so offsets stay byte offsets.
            text = data.decode("latin-1")
        leaks = []
        line, line_start_scan = 1, 0
        for found in find_identifiers(text, known=self._known, allow=self._allow):
            line += text.count("\n", line_start_scan, found.start)
            line_start_scan = found.start
            masked = mask_phone(found.digits) if found.kind == "phone" else mask_identifier(found.digits)
            leaks.append(Leak(name, line, found.start, found.kind, masked))
        return leaks

    def scan_tree(self, root: str | Path) -> list[Leak]:
        """Leaks in every file under ``root`` (a built site), in path order."""
        root = Path(root)
        return self.scan_files(root, sorted(p for p in root.rglob("*") if p.is_file()))

    def scan_files(self, root: str | Path, paths: Iterable[Path]) -> list[Leak]:
        """Leaks in ``paths``, files under ``root`` (reports name them relative to it)."""
        root = Path(root)
        leaks: list[Leak] = []
        for path in paths:
            if path.suffix.lower() in SKIPPED_SUFFIXES:
                continue
            name = path.relative_to(root).as_posix()
            if path.stat().st_size > MAX_EXPANDED_BYTES:
                leaks.append(Leak(name, 0, 0, "unscannable", "(too large)"))
                continue
            leaks += self.scan_bytes(name, path.read_bytes())
        return leaks
