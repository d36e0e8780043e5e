"""Pydantic models shared by the blueprints: the problem shape and constrained field types.

Length limits match the database columns, so an over-long value is a 422 naming the field
instead of a database error; NUL and lone surrogates are refused because PostgreSQL cannot
store them.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from commerce.keys import MAX_ID

__all__ = ["Problem", "FieldErrorOut", "Body", "Id", "text", "Page", "PageQuery", "ParamsModel"]


def _storable(value: str) -> str:
    if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError("berisi karakter yang tidak dapat disimpan")
    return value


def text(max_length: int, *, min_length: int = 0):
    """A string field of at most ``max_length`` characters that the database can store."""
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length, pattern=r"^[^\x00]*$"),
        AfterValidator(_storable),
    ]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Body(BaseModel):
    """Request bodies: strict JSON types (a price is a number, not "15000")."""

    model_config = ConfigDict(strict=True)


class FieldErrorOut(BaseModel):
    field: str
    message: str


class ShortageOut(BaseModel):
    line: int
    variant_id: int
    requested: int
    available: int


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldErrorOut] | None = None
    lines: list[ShortageOut] | None = Field(None, description="Stok tidak cukup: yang tersedia per baris")


class ParamsModel(BaseModel):
    """Base of the models for query strings, headers and forms.

    flask-openapi3 asks such a model for its JSON schema on every request it validates (to see
    which fields are lists, files or nullable), and pydantic builds the schema anew each time:
    0.2 ms for the one-field Idempotency-Key header. A class's schema never changes, so it is
    built once per class and arguments. flask-openapi3 only reads it, at request time and when
    it builds the OpenAPI document, so the one copy is shared.
    """

    @classmethod
    def model_json_schema(cls, *args, **kwargs):
        key = (cls, args, tuple(sorted(kwargs.items())))
        cached = _SCHEMAS.get(key)
        if cached is None:
            cached = _SCHEMAS[key] = super().model_json_schema(*args, **kwargs)
        return cached


_SCHEMAS: dict = {}


class PageQuery(ParamsModel):
    limit: int = Field(24, ge=1, le=100, description="Jumlah item per halaman (1-100)")
    cursor: text(500) | None = Field(None, description="next_cursor dari halaman sebelumnya")


class Page(BaseModel):
    next_cursor: str | None
