"""Streaming readers for the spreadsheets city staff export: CSV and XLSX, in bounded memory.

A source is read row by row and never held whole: CSV through the stdlib ``csv`` module over
lines read with a length cap, XLSX through openpyxl's read-only mode. Both hash the file
(SHA-256, for the import history) and enforce the size limit, up front from the file's size
and again while reading (a pipe or a growing file has no honest size). Anything that makes the
file unreadable as a whole raises :class:`FileProblem`; per-row problems are left to the
validator.

Encodings: CSV must be UTF-8 (a BOM is fine). A file written entirely in a legacy Windows
encoding (cp1252, what older Excel versions save) is read as such, because it decodes one way
only; a file where some lines are UTF-8 and others are not (rows pasted together from two
exports) is a *mixed* file and every odd line is reported, never silently mangled.
"""

from __future__ import annotations

import csv
import hashlib
import warnings
import zipfile
from pathlib import Path
from typing import Iterator, NamedTuple

__all__ = ["FileProblem", "SpreadsheetSource", "open_source", "MAX_LINE_BYTES", "XLSX_EXPANSION"]

MAX_LINE_BYTES = 1 << 20  # one CSV line; a longer one is not a spreadsheet row
XLSX_EXPANSION = 10  # uncompressed XLSX may be this many times the size limit (zip bombs)
_LINE_SAMPLE = 20  # line numbers kept per encoding, for the report

CSV_SUFFIXES = {".csv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}


class FileProblem(Exception):
    """The file cannot be read as a whole; the message is for city staff."""

    def __init__(self, message: str, *, row: int | None = None):
        super().__init__(message)
        self.row = row


class Row(NamedTuple):
    number: int  # as the spreadsheet numbers it: the header is row 1
    cells: tuple


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def _too_big(max_bytes: int, size: int | None = None) -> FileProblem:
    shown = f"{_mb(size)} MB" if size is not None else "lebih dari batas"
    return FileProblem(f"berkas terlalu besar ({shown}); batas impor {_mb(max_bytes)} MB. Pecah berkas "
                       "per periode, atau minta admin menaikkan SMARTCITY_IMPORT_MAX_MB.")


class SpreadsheetSource:
    """Base: a header row, then rows; ``sha256`` and ``size`` are final once rows are read."""

    format = ""

    def __init__(self, path: Path, max_bytes: int):
        self.path = path
        self.max_bytes = max_bytes
        self.size = 0
        self._hash = hashlib.sha256()
        self.encoding = ""

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def rows(self) -> Iterator[Row]:
        raise NotImplementedError

    def encoding_problems(self) -> list[tuple[int, str]]:
        """(row, reason) for rows whose encoding differs from the rest of the file."""
        return []


class _LineNumbers:
    def __init__(self):
        self.count = 0
        self.sample: list[int] = []

    def add(self, n: int) -> None:
        self.count += 1
        if len(self.sample) < _LINE_SAMPLE:
            self.sample.append(n)


class CsvSource(SpreadsheetSource):
    format = "CSV"

    def __init__(self, path: Path, max_bytes: int):
        super().__init__(path, max_bytes)
        self._utf8 = _LineNumbers()  # lines with non-ASCII text that is valid UTF-8
        self._legacy = _LineNumbers()  # lines that are not UTF-8

    def _raw_lines(self) -> Iterator[bytes]:
        with open(self.path, "rb") as f:
            n = 0
            while line := f.readline(MAX_LINE_BYTES + 1):
                n += 1
                self.size += len(line)
                self._hash.update(line)
                if self.size > self.max_bytes:
                    raise _too_big(self.max_bytes)
                if len(line) > MAX_LINE_BYTES:
                    raise FileProblem(f"baris {n} lebih panjang dari 1 MB; ini bukan baris spreadsheet", row=n)
                yield line

    def _text_lines(self) -> Iterator[str]:
        for n, raw in enumerate(self._raw_lines(), 1):
            if n == 1:
                if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                    raise FileProblem("berkas berpengodean UTF-16 ('Unicode Text' dari Excel); simpan ulang "
                                      "sebagai 'CSV UTF-8 (Comma delimited)'", row=1)
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if b"\x00" in raw:
                raise FileProblem("berisi karakter NUL: ini bukan berkas CSV teks (mungkin UTF-16 atau "
                                  "berkas biner)", row=n)
            if raw.isascii():
                yield raw.decode("ascii")
                continue
            try:
                text = raw.decode("utf-8")
                self._utf8.add(n)
            except UnicodeDecodeError:
                self._legacy.add(n)
                try:
                    text = raw.decode("cp1252")
                except UnicodeDecodeError:
                    text = raw.decode("latin-1")
            yield text

    def rows(self) -> Iterator[Row]:
        lines = self._text_lines()
        first = next(lines, None)
        if first is None:
            return
        delimiter = max([",", ";", "\t"], key=first.count)  # Indonesian Excel saves with ';'
        reader = csv.reader(_chain(first, lines), delimiter=delimiter)
        consumed = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                raise FileProblem(f"CSV tidak dapat dibaca: {error}", row=consumed + 1) from None
            yield Row(consumed + 1, tuple(cells))
            consumed = reader.line_num
        if self._legacy.count and self._utf8.count:
            self.encoding = "campuran"
        else:
            self.encoding = "Windows-1252" if self._legacy.count else "UTF-8"

    def encoding_problems(self) -> list[tuple[int, str]]:
        if not (self._legacy.count and self._utf8.count):
            return []
        # Report the minority: those are the rows that were pasted in from elsewhere.
        if self._legacy.count <= self._utf8.count:
            odd, rest, odd_name, rest_name = self._legacy, self._utf8, "bukan UTF-8 (tampaknya Windows-1252)", "UTF-8"
        else:
            odd, rest, odd_name, rest_name = self._utf8, self._legacy, "UTF-8", "Windows-1252"
        example = ", ".join(map(str, rest.sample[:3]))
        reason = (f"pengodean teks campuran: baris ini {odd_name}, sedangkan baris lain {rest_name} "
                  f"(mis. baris {example}); simpan ulang seluruh berkas sebagai CSV UTF-8")
        problems = [(n, reason) for n in odd.sample]
        if odd.count > len(odd.sample):
            problems.append((odd.sample[-1], f"... dan {odd.count - len(odd.sample)} baris lain dengan "
                                             f"pengodean {odd_name}"))
        return problems


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


class XlsxSource(SpreadsheetSource):
    """The first worksheet of an XLSX workbook, read with openpyxl in read-only mode."""

    format = "XLSX"
    encoding = "XLSX"

    def _hash_file(self) -> None:
        with open(self.path, "rb") as f:
            while chunk := f.read(1 << 20):
                self.size += len(chunk)
                if self.size > self.max_bytes:
                    raise _too_big(self.max_bytes)
                self._hash.update(chunk)

    def _check_zip(self) -> None:
        try:
            with zipfile.ZipFile(self.path) as archive:
                expanded = sum(info.file_size for info in archive.infolist())
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise FileProblem(_BROKEN_XLSX + f" ({error})") from None
        if "xl/workbook.xml" not in names:
            raise FileProblem("berkas ZIP ini bukan buku kerja Excel (tidak ada xl/workbook.xml)")
        if expanded > XLSX_EXPANSION * self.max_bytes:
            raise FileProblem(f"isi XLSX setelah diekstrak {_mb(expanded)} MB, melebihi {XLSX_EXPANSION}x batas "
                              f"impor; berkas ini terlalu besar atau rusak")

    def rows(self) -> Iterator[Row]:
        import openpyxl

        self._hash_file()
        self._check_zip()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            try:
                workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
            except Exception as error:  # openpyxl raises whatever its parsers raise
                raise FileProblem(_BROKEN_XLSX + f" ({type(error).__name__})") from None
        number = 0
        try:
            if not workbook.worksheets:
                raise FileProblem("buku kerja tidak berisi lembar kerja")
            for number, cells in enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1):
                yield Row(number, tuple(cells))
        except FileProblem:
            raise
        except Exception as error:
            raise FileProblem(_BROKEN_XLSX + f" ({type(error).__name__})", row=number + 1) from None
        finally:
            workbook.close()


_BROKEN_XLSX = ("berkas XLSX rusak atau bukan XLSX (terpotong, terenkripsi/berpassword, atau format "
                "lain); buka di Excel lalu simpan ulang sebagai .xlsx atau CSV UTF-8")


def open_source(path: Path, *, max_bytes: int) -> SpreadsheetSource:
    """The reader for ``path``, chosen by its extension and checked against its first bytes.

    Refuses, without reading it, a file bigger than ``max_bytes``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise FileProblem("format .xls (Excel 97-2003) tidak didukung; simpan ulang sebagai .xlsx atau CSV UTF-8")
    if suffix not in CSV_SUFFIXES | XLSX_SUFFIXES:
        raise FileProblem(f"jenis berkas '{suffix or path.name}' tidak didukung; gunakan .csv atau .xlsx")
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise FileProblem("berkas tidak ditemukan") from None
    except OSError as error:
        raise FileProblem(f"berkas tidak dapat dibuka: {error.strerror}") from None
    if path.is_dir():
        raise FileProblem("ini sebuah folder, bukan berkas")
    if stat.st_size > max_bytes:
        raise _too_big(max_bytes, stat.st_size)
    try:
        with open(path, "rb") as f:
            magic = f.read(8)
    except OSError as error:
        raise FileProblem(f"berkas tidak dapat dibaca: {error.strerror}") from None
    is_zip = magic.startswith(b"PK\x03\x04")
    is_ole = magic.startswith(b"\xd0\xcf\x11\xe0")
    if suffix in CSV_SUFFIXES:
        if is_zip or is_ole:
            raise FileProblem(f"berkas bernama {suffix} tetapi isinya buku kerja Excel; ganti ekstensinya "
                              "menjadi .xlsx atau simpan ulang sebagai CSV UTF-8")
        return CsvSource(path, max_bytes)
    if is_ole:
        raise FileProblem("berkas ini .xls lama atau XLSX terenkripsi (berpassword); simpan ulang tanpa "
                          "password sebagai .xlsx atau CSV UTF-8")
    return XlsxSource(path, max_bytes)
