"""JSON Schema, as it appears in an OpenAPI 3.1 document, described in words for the API
reference: ``$ref`` resolved, types named in Indonesian, constraints spelt out, and nested
request objects flattened to rows such as ``shipping_address.kecamatan`` and
``variants[].price`` so that a reader sees every field of a request in one table.

Kept apart from ``openapi_page`` (the page layout) because it is the part with rules of its
own: pydantic writes optional fields as ``anyOf: [X, {type: null}]``, and schemas may refer to
themselves.
"""

from __future__ import annotations

import json
from typing import Any, Iterator, NamedTuple

__all__ = ["FieldRow", "OpenAPIDocumentError", "SchemaWords"]

_SCHEMAS = "#/components/schemas/"


class OpenAPIDocumentError(ValueError):
    """The OpenAPI file cannot be read, is not an OpenAPI document, or a ``$ref`` is broken."""


class FieldRow(NamedTuple):
    field: str
    type_name: str
    required: bool
    note: str


class SchemaWords:
    """Follows local ``$ref`` pointers of one document and describes its schemas."""

    def __init__(self, document: dict) -> None:
        self.document = document

    def resolve(self, node: Any) -> dict:
        for _ in range(20):  # a chain of $refs, not a loop
            if not (isinstance(node, dict) and "$ref" in node):
                break
            node = self._pointer(node["$ref"])
        return node if isinstance(node, dict) else {}

    def _pointer(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise OpenAPIDocumentError(f"external $ref {ref!r} is not supported")
        node: Any = self.document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                raise OpenAPIDocumentError(f"$ref {ref!r} points nowhere")
            node = node[part]
        return node

    def schema(self, name: str) -> dict:
        return self.resolve({"$ref": _SCHEMAS + name})

    @staticmethod
    def ref_name(schema: Any) -> str | None:
        """``ProductIn`` for ``{"$ref": "#/components/schemas/ProductIn"}``."""
        ref = schema.get("$ref", "") if isinstance(schema, dict) else ""
        return ref[len(_SCHEMAS) :] if ref.startswith(_SCHEMAS) else None

    @staticmethod
    def anchor(name: str) -> str:
        return f"skema-{name.lower()}"

    def type_name(self, schema: Any, *, link: bool = False) -> str:
        """Markdown naming the type: ``string (email) atau null``, ``daftar objek `LineIn```,
        ```cod` | `bank_transfer```; with ``link``, schema names link to their section."""
        name = self.ref_name(schema)
        if name:
            return f"[`{name}`](#{self.anchor(name)})" if link else f"objek `{name}`"
        if not isinstance(schema, dict):
            return "apa saja"
        for key in ("anyOf", "oneOf"):
            if key in schema:
                options = [o for o in schema[key] if not _is_null(o)]
                text = " atau ".join(self.type_name(o, link=link) for o in options) or "null"
                return text + (" atau null" if len(options) < len(schema[key]) else "")
        if "enum" in schema:
            return " | ".join(f"`{v}`" if isinstance(v, str) else f"`{json.dumps(v)}`" for v in schema["enum"])
        if "const" in schema:
            return f"`{schema['const']}`"
        kind = schema.get("type")
        if isinstance(kind, list):
            return " atau ".join(kind)
        if kind == "array":
            return f"daftar {self.type_name(schema.get('items', {}), link=link)}"
        if kind == "object" or "properties" in schema:
            extra = schema.get("additionalProperties")
            return f"objek {{kunci: {self.type_name(extra, link=link)}}}" if isinstance(extra, dict) else "objek"
        if kind == "string" and schema.get("format") == "binary":
            return "berkas"
        if kind and schema.get("format"):
            return f"{kind} ({schema['format']})"
        return kind or "apa saja"

    def note(self, schema: Any, *, description: str | None = None) -> str:
        """Description, constraints and default of a field, e.g. ``panjang 1–160``."""
        resolved = self.resolve(schema)
        inner = self.resolve(_unwrap_nullable(schema))
        return _join(
            description or resolved.get("description") or inner.get("description"),
            _constraints(inner),
            _default(resolved),
        )

    def fields(self, schema: Any, prefix: str = "", seen: frozenset = frozenset()) -> Iterator[FieldRow]:
        """Rows of an object schema, nested objects and arrays of objects flattened."""
        name = self.ref_name(schema)
        if name in seen:  # a schema that contains itself
            return
        seen = seen | {name} if name else seen
        resolved = self.resolve(schema)
        required = set(resolved.get("required", []))
        for prop, prop_schema in resolved.get("properties", {}).items():
            yield FieldRow(f"{prefix}{prop}", self.type_name(prop_schema), prop in required, self.note(prop_schema))
            inner = _unwrap_nullable(prop_schema)
            target = self.resolve(inner)
            if target.get("type") == "array":
                yield from self.fields(target.get("items", {}), f"{prefix}{prop}[].", seen)
            elif "properties" in target:
                yield from self.fields(inner, f"{prefix}{prop}.", seen)

    def schemas_used_by(self, nodes: list[Any]) -> list[str]:
        """Names of the schemas the nodes refer to, and those they refer to, in order met."""
        found: list[str] = []

        def visit(node: Any) -> None:
            if isinstance(node, dict):
                name = self.ref_name(node)
                if name and name not in found:
                    found.append(name)
                    visit(self.schema(name))
                for value in node.values():
                    visit(value)
            elif isinstance(node, list):
                for value in node:
                    visit(value)

        for node in nodes:
            visit(node)
        return found


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "null"


def _unwrap_nullable(schema: Any) -> Any:
    """``X`` for ``anyOf: [X, {type: null}]``, which is how pydantic writes optional fields."""
    if isinstance(schema, dict):
        for key in ("anyOf", "oneOf"):
            options = [o for o in schema.get(key, []) if not _is_null(o)]
            if len(options) == 1:
                return options[0]
    return schema


def _constraints(schema: dict) -> str:
    parts = []
    low, high = schema.get("minLength"), schema.get("maxLength")
    if low or high is not None:
        parts.append(f"panjang {low or 0}–{high}" if high is not None else f"panjang ≥ {low}")
    for key, sign in (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"), ("exclusiveMaximum", "<")):
        if key in schema:
            parts.append(f"{sign} {_number(schema[key])}")
    low, high = schema.get("minItems"), schema.get("maxItems")
    if low or high is not None:
        parts.append(f"{low or 0}–{high} item" if high is not None else f"≥ {low} item")
    return ", ".join(parts)


def _default(schema: dict) -> str:
    if schema.get("default") is None:
        return ""
    return f"bawaan `{json.dumps(schema['default'], ensure_ascii=False)}`"


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _join(*parts: str | None) -> str:
    return "; ".join(p.strip() for p in parts if p and p.strip())
