"""RFC 9457 problem responses for every error the API can give.

One shape for everything a client can get wrong (validation, auth, unknown routes, wrong
methods, oversized or wrongly typed bodies, rate limits) and for our own bugs, so clients need
one error handler. A 500 never carries the exception: it is logged with a reference id that
the answer names.
"""

from __future__ import annotations

import logging
import secrets

from flask import Flask, Response, json
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from commerce.errors import CommerceError, Conflict, InvalidInput, NotAllowed, NotAuthenticated, NotFound
from signer.errors import SignerError

__all__ = ["problem", "http_problem", "register_error_handlers", "validation_problem", "PROBLEM_MIME"]

log = logging.getLogger("smartcity.api")
PROBLEM_MIME = "application/problem+json"

_STATUS_OF = {
    InvalidInput: 422,
    NotFound: 404,
    NotAuthenticated: 401,
    NotAllowed: 403,
    Conflict: 409,
}

# Titles a person reads, in Bahasa Indonesia, for the HTTP-level errors Werkzeug raises.
_TITLES = {
    400: "Permintaan tidak valid",
    401: "Perlu masuk",
    403: "Tidak diizinkan",
    404: "Tidak ditemukan",
    405: "Metode tidak didukung",
    409: "Konflik dengan data yang ada",
    413: "Isi permintaan terlalu besar",
    415: "Jenis isi tidak didukung",
    422: "Data tidak valid",
    429: "Terlalu banyak permintaan",
    500: "Kesalahan pada server",
    503: "Layanan sementara tidak tersedia",
}


_DETAILS = {
    400: "Permintaan tidak dapat dibaca.",
    404: "Alamat ini tidak ada.",
    405: "Metode ini tidak didukung untuk alamat ini.",
    413: "Isi permintaan melebihi batas ukuran.",
    415: "Kirim isi sebagai application/json (atau multipart/form-data untuk unggahan).",
    429: "Terlalu banyak percobaan. Coba lagi sebentar lagi.",
}


def problem(status: int, detail: str, *, title: str | None = None, errors=None, headers=None,
            extensions: dict | None = None) -> Response:
    body = {
        "type": "about:blank",
        "title": title or _TITLES.get(status, "Kesalahan"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = [{"field": f, "message": m} for f, m in errors]
    body.update(extensions or {})
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIME)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


# pydantic's messages are English; the people reading ours are sellers and shoppers in
# Samarinda. The common cases are said in Bahasa Indonesia, the rest fall back to pydantic's.
_MESSAGES = {
    "missing": "Wajib diisi.",
    "int_type": "Harus bilangan bulat.",
    "int_parsing": "Harus bilangan bulat.",
    "int_from_float": "Harus bilangan bulat.",
    "string_type": "Harus teks.",
    "bool_type": "Harus true atau false.",
    "list_type": "Harus daftar (array).",
    "dict_type": "Harus objek JSON.",
    "model_type": "Harus objek JSON.",
    "model_attributes_type": "Harus objek JSON.",
    "string_too_long": "Maksimal {max_length} karakter.",
    "string_too_short": "Minimal {min_length} karakter.",
    "too_long": "Maksimal {max_length} item.",
    "too_short": "Minimal {min_length} item.",
    "greater_than": "Harus lebih dari {gt}.",
    "greater_than_equal": "Minimal {ge}.",
    "less_than": "Harus kurang dari {lt}.",
    "less_than_equal": "Maksimal {le}.",
    "literal_error": "Pilihan yang boleh: {expected}.",
    "string_pattern_mismatch": "Berisi karakter yang tidak diizinkan.",
    "value_error": "{reason}",
    "date_from_datetime_parsing": "Tanggal harus berformat YYYY-MM-DD.",
    "date_parsing": "Tanggal harus berformat YYYY-MM-DD.",
}


def _message(item: dict) -> str:
    template = _MESSAGES.get(item.get("type", ""))
    context = dict(item.get("ctx") or {})
    if item.get("type") == "value_error":
        reason = str(context.get("error", "")).removeprefix("value is not a valid email address: ")
        if "email" in str(item.get("msg", "")).lower():
            return "Alamat email tidak valid."
        context["reason"] = reason or item.get("msg", "Nilai tidak valid.")
    try:
        return template.format(**context) if template else item.get("msg", "Nilai tidak valid.")
    except (KeyError, IndexError):
        return item.get("msg", "Nilai tidak valid.")


def _field_name(loc: tuple) -> str:
    return ".".join(str(p) for p in loc) or "body"


def validation_problem(error: ValidationError) -> Response:
    """flask-openapi3's validation callback: pydantic's errors, one per field at fault."""
    errors = []
    for item in error.errors(include_url=False):
        errors.append((_field_name(tuple(item.get("loc", ()))), _message(item)))
    first_field, first_message = errors[0] if errors else ("body", "Data tidak valid")
    return problem(422, f"{first_field}: {first_message}", errors=errors)


def http_problem(error: HTTPException):
    """Werkzeug's HTTP errors (404, 405, 413, 429 ...) as problems."""
    if error.code is None or error.code < 400:
        return error
    # Werkzeug's ready-made responses (429 with Retry-After, 405 with Allow) carry headers
    # that clients rely on; keep them.
    headers = {}
    original = error.get_response()
    for name in ("Allow", "Retry-After", "WWW-Authenticate"):
        if name in original.headers:
            headers[name] = original.headers[name]
    detail = error.description
    if detail == type(error).description or not detail:
        detail = _DETAILS.get(error.code, _TITLES.get(error.code, "Kesalahan"))
    return problem(error.code, detail, headers=headers)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CommerceError)
    def _domain(error: CommerceError):
        status = next((s for cls, s in _STATUS_OF.items() if isinstance(error, cls)), 400)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return problem(status, error.detail, title=error.title, errors=error.errors, headers=headers,
                       extensions=error.extensions)

    @app.errorhandler(SignerError)
    def _signer(error: SignerError):
        return problem(error.status, error.detail, title=error.title)

    app.register_error_handler(HTTPException, http_problem)

    @app.errorhandler(OperationalError)
    def _database_unavailable(error: OperationalError):
        # The database is unreachable, restarting, or chose this transaction as a deadlock
        # victim: nothing was written (the transaction rolled back) and the same request can
        # simply be sent again. Only the driver's error class is logged, never the statement.
        reference = secrets.token_hex(6)
        log.warning("database unavailable, reference %s: %s", reference, type(error.orig).__name__)
        return problem(503, f"Basis data sedang tidak dapat melayani (referensi {reference}). Coba lagi sebentar lagi.",
                       headers={"Retry-After": "2"})

    @app.errorhandler(Exception)
    def _bug(error: Exception):
        reference = secrets.token_hex(6)
        log.exception("unhandled error, reference %s", reference)
        return problem(500, f"Terjadi kesalahan pada server (referensi {reference}). Kami sudah mencatatnya.")
