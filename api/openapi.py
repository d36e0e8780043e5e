"""The OpenAPI 3.1 document, generated from the views by flask-openapi3, made to tell the
truth about errors: every operation documents its problem responses as
``application/problem+json`` with the Problem schema (flask-openapi3 on its own documents only
a plain-JSON 422)."""

from __future__ import annotations

from flask_openapi3 import OpenAPI

from api.problems import PROBLEM_MIME
from api.schemas import Problem

__all__ = ["SmartCityOpenAPI", "ERROR_STATUSES"]

ERROR_STATUSES = {
    "400": "Permintaan tidak dapat dibaca (JSON rusak, cursor tidak valid)",
    "401": "Perlu masuk (token tidak ada, salah atau kedaluwarsa)",
    "403": "Tidak diizinkan (bukan pemilik toko, bukan admin)",
    "404": "Tidak ditemukan",
    "409": "Konflik dengan data yang ada",
    "413": "Isi permintaan terlalu besar",
    "415": "Jenis isi tidak didukung",
    "422": "Data tidak valid; `errors` menyebut setiap field yang salah",
    "429": "Terlalu banyak permintaan",
}


class SmartCityOpenAPI(OpenAPI):
    def generate_spec_json(self):
        super().generate_spec_json()
        spec = self.spec_json
        schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        spec.setdefault("components", {}).setdefault("schemas", {})["Problem"] = schema
        for defname, definition in schema.pop("$defs", {}).items():
            spec["components"]["schemas"][defname] = definition
        problem_content = {PROBLEM_MIME: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for path_item in spec.get("paths", {}).values():
            for operation in path_item.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                for status, description in ERROR_STATUSES.items():
                    operation["responses"][status] = {"description": description, "content": problem_content}
        # The generic validation model flask-openapi3 adds is replaced by Problem above.
        spec["components"]["schemas"].pop(self.validation_error_model.__name__, None)
        return spec
