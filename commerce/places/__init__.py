"""Samarinda's administrative places: 10 kecamatan and their 59 kelurahan.

The list is a data file (``samarinda.json``) with the official Kemendagri codes and the
regulation it comes from, so that city staff can check it against the source. Stores,
delivery addresses and the transparency site all validate places through this module; a place
is accepted by its code or by its name in any capitalisation.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import NamedTuple

from slugify import slugify

from commerce.errors import FieldError, InvalidInput

__all__ = [
    "CITY_CODE",
    "NIK_REGION_CODE",
    "Kecamatan",
    "Kelurahan",
    "all_kecamatan",
    "find_kecamatan",
    "find_kelurahan",
    "require_kecamatan",
    "resolve_place",
    "source",
]

CITY_CODE = "64.72"
# NIK digits 1-6 are the registering region: 64 Kalimantan Timur, 72 Kota Samarinda, then the
# kecamatan; a Samarinda NIK starts with "6472".
NIK_REGION_CODE = "6472"


class Kelurahan(NamedTuple):
    code: str
    name: str
    slug: str
    kecamatan_code: str


class Kecamatan(NamedTuple):
    code: str
    name: str
    slug: str
    kelurahan: tuple[Kelurahan, ...]


@cache
def _data() -> dict:
    text = resources.files("commerce.places").joinpath("samarinda.json").read_text("utf-8")
    return json.loads(text)


def source() -> str:
    return _data()["source"]


@cache
def all_kecamatan() -> tuple[Kecamatan, ...]:
    result = []
    for kec in _data()["kecamatan"]:
        kels = tuple(
            Kelurahan(k["code"], k["name"], slugify(k["name"]), kec["code"]) for k in kec["kelurahan"]
        )
        result.append(Kecamatan(kec["code"], kec["name"], slugify(kec["name"]), kels))
    return tuple(result)


def _key(value: str) -> str:
    return slugify(value or "")


@cache
def _kecamatan_index() -> dict[str, Kecamatan]:
    index = {}
    for kec in all_kecamatan():
        index[kec.code] = kec
        index[kec.slug] = kec
    return index


def find_kecamatan(value: str) -> Kecamatan | None:
    """The kecamatan with this code (``64.72.02``) or name (``Samarinda Ilir``), or None."""
    value = (value or "").strip()
    return _kecamatan_index().get(value) or _kecamatan_index().get(_key(value))


def require_kecamatan(value: str, *, field: str = "kecamatan") -> Kecamatan:
    """The kecamatan ``value`` names, or :class:`InvalidInput` naming ``field``."""
    kec = find_kecamatan(value)
    if kec is None:
        raise InvalidInput.field(field, f"Kecamatan '{value}' tidak ada di Kota Samarinda.")
    return kec


@cache
def _kelurahan_by_code() -> dict[str, Kelurahan]:
    return {kel.code: kel for kec in all_kecamatan() for kel in kec.kelurahan}


def find_kelurahan(kecamatan: Kecamatan, value: str) -> Kelurahan | None:
    value = (value or "").strip()
    by_code = _kelurahan_by_code().get(value)
    if by_code is not None:  # stored rows hold codes: the common case needs no slugify
        return by_code if by_code.kecamatan_code == kecamatan.code else None
    key = _key(value)
    for kel in kecamatan.kelurahan:
        if key == kel.slug:
            return kel
    return None


def resolve_place(kecamatan: str, kelurahan: str, *, prefix: str = "") -> tuple[Kecamatan, Kelurahan]:
    """Validate a kecamatan/kelurahan pair; raise :class:`InvalidInput` naming the bad field.

    ``prefix`` is prepended to field names so that nested objects (``shipping_address.``)
    report the exact field at fault.
    """
    kec = find_kecamatan(kecamatan)
    if kec is None:
        names = ", ".join(k.name for k in all_kecamatan())
        msg = f"Kecamatan '{kecamatan}' tidak ada di Kota Samarinda. Pilihan: {names}."
        raise InvalidInput(msg, errors=[FieldError(prefix + "kecamatan", msg)])
    kel = find_kelurahan(kec, kelurahan)
    if kel is None:
        names = ", ".join(k.name for k in kec.kelurahan)
        msg = f"Kelurahan '{kelurahan}' tidak ada di Kecamatan {kec.name}. Pilihan: {names}."
        raise InvalidInput(msg, errors=[FieldError(prefix + "kelurahan", msg)])
    return kec, kel
