"""The published Table Schemas (``schemas/*.schema.json``) and the cell checks they drive.

The schema files are the contract with the city's data stewards: field names, types,
constraints and Indonesian descriptions in Frictionless Table Schema form, so anyone can check
a file with their own tools. This module implements the subset the schemas use, streaming and
without the ``frictionless`` library: types ``string``, ``integer`` (with ``bareNumber`` and
``groupChar``), ``date`` (ISO); constraints ``required``, ``pattern`` (whole value), ``enum``
(case-insensitive, giving back the canonical spelling), ``minLength``, ``maxLength``,
``minimum``, ``maximum``; ``primaryKey``. Cells are trimmed first. Domain rules that a schema
cannot express (NIK structure, reference places) live in :mod:`.rules`.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

__all__ = ["Field", "TableSchema", "load_schema", "cast_cell", "cell_text", "format_int"]

SUPPORTED_TYPES = {"string", "integer", "date"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_RUPIAH_PREFIX = re.compile(r"^(?:rp|idr)\.?\s*", re.IGNORECASE)


class Field(NamedTuple):
    name: str
    title: str
    type: str
    constraints: dict
    example: str
    group_char: str | None
    bare_number: bool

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))


class TableSchema(NamedTuple):
    name: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


@cache
def load_schema(kind: str) -> TableSchema:
    """The schema published as ``schemas/<kind>.schema.json``."""
    text = resources.files("sites.transparency.schemas").joinpath(f"{kind}.schema.json").read_text("utf-8")
    raw = json.loads(text)
    fields = []
    for f in raw["fields"]:
        if f.get("type", "string") not in SUPPORTED_TYPES:
            raise ValueError(f"{kind}.schema.json: field {f['name']}: unsupported type {f.get('type')}")
        fields.append(Field(
            name=f["name"], title=f.get("title", f["name"]), type=f.get("type", "string"),
            constraints=f.get("constraints", {}), example=str(f.get("example", "")),
            group_char=f.get("groupChar"), bare_number=f.get("bareNumber", True),
        ))
    return TableSchema(raw["name"], tuple(fields), tuple(raw.get("primaryKey", ())))


def format_int(value: int) -> str:
    """12345678 -> '12.345.678' (Indonesian thousands separator)."""
    return f"{value:,}".replace(",", ".")


def cell_text(value: Any) -> str:
    """A spreadsheet cell as trimmed text: XLSX gives ints, floats and datetimes."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _cast_integer(field: Field, value: Any) -> tuple[int | None, str | None]:
    if isinstance(value, bool):
        return None, "bukan bilangan bulat"
    if isinstance(value, int):
        return value, None
    if isinstance(value, float):
        if value.is_integer():
            return int(value), None
        return None, "bukan bilangan bulat (ada angka desimal)"
    text = cell_text(value)
    if not field.bare_number:
        text = _RUPIAH_PREFIX.sub("", text)
    sign = ""
    if text[:1] in "+-":
        sign, text = text[0], text[1:].strip()
    if text.isdigit() and text.isascii():
        return int(sign + text), None
    group = re.escape(field.group_char) if field.group_char else None
    if group and re.fullmatch(rf"\d{{1,3}}(?:{group}\d{{3}})+", text):
        return int(sign + text.replace(field.group_char, "")), None
    hint = f"; contoh: {field.example}" if field.example else ""
    if re.fullmatch(r"\d+[.,]\d+", text):
        return None, f"bukan bilangan bulat (ada angka desimal){hint}"
    return None, f"bukan bilangan bulat{hint}"


def _cast_date(field: Field, value: Any) -> tuple[date | None, str | None]:
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    text = cell_text(value)
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text), None
        except ValueError:
            return None, "tanggal tidak ada di kalender"
    return None, "bukan tanggal dengan format YYYY-MM-DD (mis. 2020-04-15)"


def _check_constraints(field: Field, value: Any) -> tuple[Any, str | None]:
    c = field.constraints
    if "enum" in c:
        options = {str(o).lower(): o for o in c["enum"]}
        canonical = options.get(str(value).lower())
        if canonical is None:
            return None, "harus salah satu dari: " + ", ".join(c["enum"])
        value = canonical
    if "pattern" in c and not re.fullmatch(c["pattern"], str(value)):
        return None, f"format tidak sesuai; contoh: {field.example}" if field.example else "format tidak sesuai"
    if isinstance(value, str):
        if "minLength" in c and len(value) < c["minLength"]:
            return None, f"terlalu pendek (minimal {c['minLength']} karakter)"
        if "maxLength" in c and len(value) > c["maxLength"]:
            return None, f"terlalu panjang ({len(value)} karakter, maksimal {c['maxLength']})"
    minimum, maximum = c.get("minimum"), c.get("maximum")
    if field.type == "date":
        minimum = date.fromisoformat(minimum) if minimum else None
        maximum = date.fromisoformat(maximum) if maximum else None
    if minimum is not None and value < minimum:
        if minimum == 0:
            return None, "tidak boleh negatif"
        shown = format_int(minimum) if isinstance(minimum, int) else str(minimum)
        return None, f"tidak boleh kurang dari {shown}"
    if maximum is not None and value > maximum:
        shown = format_int(maximum) if isinstance(maximum, int) else str(maximum)
        return None, f"melebihi batas {shown}"
    return value, None


def cast_cell(field: Field, value: Any) -> tuple[Any, str | None]:
    """``(typed value, None)`` or ``(None, reason)``; an empty optional cell is ``(None, None)``."""
    if cell_text(value) == "":
        return (None, "wajib diisi") if field.required else (None, None)
    if field.type == "integer":
        typed, problem = _cast_integer(field, value)
    elif field.type == "date":
        typed, problem = _cast_date(field, value)
    else:
        typed, problem = cell_text(value), None
    if problem:
        return None, problem
    return _check_constraints(field, typed)
