"""The API reference page, rendered from the app's own OpenAPI document at build time.

The document is generated from the code (api/openapi.py), so rendering it here means the
reference cannot drift from the API. We write Markdown rather than embed Swagger UI: the page
is searchable, readable without JavaScript, and needs no assets from anywhere. The app hands
the document over as JSON (a dict or a file); this module never imports ``api``.

Layout: operations grouped by tag, in the document's tag order; each with method, path,
summary, whether it needs a bearer token, parameters, request body fields, and response
codes. Error responses that every operation shares are listed once at the top, and the
response schemas at the end. ``openapi_schema`` describes the schemas in words.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterator, NamedTuple

from sites.programme.openapi_schema import OpenAPIDocumentError, SchemaWords

__all__ = ["OpenAPIDocumentError", "api_reference_page", "load_openapi", "placeholder_page"]

_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)

_INTRO = """\
Halaman ini dibuat otomatis dari dokumen OpenAPI aplikasi setiap kali situs dibangun, sehingga
selalu sama dengan API yang berjalan. Dokumen OpenAPI lengkap tersedia di
`/api/v1/openapi.json` pada server aplikasi, dan dokumentasi interaktifnya di `/api/docs`.
"""


def load_openapi(path: Path) -> dict:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise OpenAPIDocumentError(f"{path}: cannot read the OpenAPI document: {error}") from error
    if not isinstance(document, dict) or "openapi" not in document or "paths" not in document:
        raise OpenAPIDocumentError(f"{path}: not an OpenAPI document (no 'openapi' and 'paths')")
    return document


def placeholder_page() -> str:
    """The page when the build was not given the document (plain ``mkdocs build``)."""
    return (
        "# Referensi API\n\n"
        "Referensi API dibuat otomatis dari dokumen OpenAPI aplikasi oleh perintah "
        "`smartcity sites build docs`. Situs ini dibangun tanpa dokumen tersebut, sehingga "
        "daftar operasi belum tersedia di sini.\n\n"
        "Pengembang dapat membangun ulang situs dengan perintah di atas, atau membaca dokumen "
        "OpenAPI langsung di `/api/v1/openapi.json` pada server aplikasi.\n"
    )


class _Operation(NamedTuple):
    method: str
    path: str
    spec: dict


def api_reference_page(document: dict) -> str:
    """The whole page; raises ``OpenAPIDocumentError`` for a broken ``$ref``."""
    words = SchemaWords(document)
    operations = list(_operations(document))
    common = _common_errors(operations)
    info = document.get("info", {})

    out = ["# Referensi API", "", _INTRO]
    out += [
        f"**{_inline(str(info.get('title', 'API')))}**, versi {_inline(str(info.get('version', '-')))} "
        f"(OpenAPI {_inline(str(document.get('openapi')))}).",
        "",
    ]
    if info.get("description"):
        out += [_markdown(info["description"]), ""]
    if common:
        out += _common_errors_section(common, operations[0], words)

    for tag, description, tagged in _by_tag(document, operations):
        out += [f"## {_inline(description or tag)}", ""]
        if description:
            out += [f"Tag OpenAPI: `{tag}`.", ""]
        for operation in tagged:
            out += _operation_section(operation, words, document, skip={code for code, _ in common})

    responses = [r for op in operations for r in op.spec.get("responses", {}).values()]
    schemas = words.schemas_used_by([words.resolve(r).get("content", {}) for r in responses])
    if schemas:
        out += ["## Skema jawaban", "", "Bentuk isi jawaban yang disebut pada operasi di atas.", ""]
        for name in schemas:
            out += _schema_section(name, words)
    return "\n".join(out)


def _operations(document: dict) -> Iterator[_Operation]:
    for path, item in document.get("paths", {}).items():
        for method in _METHODS:
            if isinstance(item.get(method), dict):
                yield _Operation(method.upper(), path, item[method])


def _by_tag(document: dict, operations: list[_Operation]) -> list[tuple[str, str, list[_Operation]]]:
    """(tag, description, operations) in the document's tag order; an operation is listed
    under its first tag only."""
    declared = {t["name"]: t.get("description", "") for t in document.get("tags", []) if "name" in t}
    for op in operations:
        for tag in op.spec.get("tags", []):
            declared.setdefault(tag, "")
    groups = [
        (tag, description, [op for op in operations if (op.spec.get("tags") or [None])[0] == tag])
        for tag, description in declared.items()
    ]
    untagged = [op for op in operations if not op.spec.get("tags")]
    if untagged:
        groups.append(("lainnya", "Lainnya", untagged))
    return [group for group in groups if group[2]]


def _common_errors(operations: list[_Operation]) -> list[tuple[str, str]]:
    """Error responses (4xx/5xx) with the same code and description on every operation."""
    if not operations:
        return []
    per_operation = [
        {(code, r.get("description", "")) for code, r in op.spec.get("responses", {}).items() if code[0] in "45"}
        for op in operations
    ]
    return sorted(set.intersection(*per_operation))


def _common_errors_section(
    common: list[tuple[str, str]], example: _Operation, words: SchemaWords
) -> list[str]:
    response = words.resolve(example.spec["responses"][common[0][0]])
    content = _contents(response, words)
    return [
        "## Galat umum",
        "",
        "Setiap operasi dapat menjawab dengan galat berikut"
        + (f"; isinya {content}." if content != "–" else "."),
        "",
        "| Kode | Artinya |",
        "|---|---|",
        *(_row(code, _cell(description)) for code, description in common),
        "",
    ]


def _operation_section(
    op: _Operation, words: SchemaWords, document: dict, *, skip: set[str]
) -> list[str]:
    spec = op.spec
    out = [f"### `{op.method} {op.path}`", ""]
    for key in ("summary", "description"):
        if spec.get(key):
            out += [_markdown(spec[key]), ""]
    if spec.get("deprecated"):
        out += ['!!! warning "Usang"\n    Operasi ini akan dihapus; jangan dipakai untuk klien baru.', ""]
    out += [f"**Perlu token:** {_auth(spec, document)}", ""]

    parameters = [words.resolve(p) for p in spec.get("parameters", [])]
    if parameters:
        out += ["**Parameter**", "", "| Nama | Letak | Wajib | Tipe | Keterangan |"]
        out += ["|---|---|---|---|---|"]
        for p in parameters:
            schema = p.get("schema", {})
            out.append(
                _row(
                    f"`{p.get('name')}`",
                    p.get("in", ""),
                    _yes(p.get("required")),
                    _cell(words.type_name(schema)),
                    _cell(words.note(schema, description=p.get("description"))),
                )
            )
        out.append("")

    body = words.resolve(spec.get("requestBody"))
    for media, content in body.get("content", {}).items():
        schema = content.get("schema", {})
        name = words.ref_name(schema)
        out += [f"**Isi permintaan** (`{media}`" + (f", skema `{name}`)" if name else ")"), ""]
        rows = list(words.fields(schema))
        if rows:
            out += ["| Field | Tipe | Wajib | Keterangan |", "|---|---|---|---|"]
            out += [_row(f"`{r.field}`", _cell(r.type_name), _yes(r.required), _cell(r.note)) for r in rows]
        else:
            out.append(f"Tipe: {_cell(words.type_name(schema))}")
        out.append("")

    own = {code: r for code, r in spec.get("responses", {}).items() if code not in skip}
    if own:
        out += ["**Jawaban**", "", "| Kode | Artinya | Isi |", "|---|---|---|"]
        for code, response in sorted(own.items()):
            response = words.resolve(response)
            out.append(_row(code, _cell(response.get("description", "")), _contents(response, words)))
        out.append("")
    return out


def _schema_section(name: str, words: SchemaWords) -> list[str]:
    schema = words.schema(name)
    out = [f"### {name} {{#{words.anchor(name)}}}", ""]
    if schema.get("description"):
        out += [_markdown(schema["description"]), ""]
    properties = schema.get("properties", {})
    if not properties:
        return out + [f"Tipe: {_cell(words.type_name(schema, link=True))}", ""]
    required = set(schema.get("required", []))
    out += ["| Field | Tipe | Selalu ada | Keterangan |", "|---|---|---|---|"]
    for prop, prop_schema in properties.items():
        out.append(
            _row(
                f"`{prop}`",
                _cell(words.type_name(prop_schema, link=True)),
                _yes(prop in required),
                _cell(words.note(prop_schema)),
            )
        )
    return out + [""]


def _contents(response: dict, words: SchemaWords) -> str:
    """``application/json`` [`CompletionOut`](#skema-completionout), or – for no body."""
    contents = [
        f"`{media}` {words.type_name(content.get('schema', {}), link=True)}"
        for media, content in response.get("content", {}).items()
    ]
    return _cell(", ".join(contents)) or "–"


def _auth(spec: dict, document: dict) -> str:
    requirements = spec.get("security", document.get("security", []))
    needed = [name for requirement in requirements for name in requirement]
    if not needed:
        return "tidak"
    if {} in requirements:
        return "tidak wajib"
    schemes = document.get("components", {}).get("securitySchemes", {})
    labels = []
    for name in needed:
        scheme = schemes.get(name, {})
        if scheme.get("type") == "http" and scheme.get("scheme", "").lower() == "bearer":
            labels.append("token Bearer (`Authorization: Bearer <token>`)")
        else:
            labels.append(f"`{name}`")
    return "ya, " + " atau ".join(labels)


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _yes(value: object) -> str:
    return "ya" if value else "tidak"


def _outside_code(text: str, fn) -> str:
    """Apply ``fn`` to the parts of Markdown ``text`` that are not code spans."""
    out, last = [], 0
    for match in _CODE_SPAN.finditer(text):
        out += [fn(text[last : match.start()]), match.group(0)]
        last = match.end()
    return "".join(out + [fn(text[last:])])


def _markdown(text: str) -> str:
    """Descriptions are Markdown, but a ``<store_id>`` outside code must show, not vanish."""
    return _outside_code(text, lambda part: part.replace("<", "&lt;"))


def _inline(text: str) -> str:
    return _markdown(" ".join(text.split()))


def _cell(text: str) -> str:
    return _outside_code(_inline(text), lambda part: part.replace("|", "\\|"))
