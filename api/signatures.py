"""Electronic signatures over HTTP: enrol signers, sign a PDF at once, run a document through
its ordered signers, verify any PDF.

HTTP only: who may call what (city staff, i.e. the ``admin`` role, who are also enrolled
signers) and the shapes in and out. The rules (turns, refusals, levels, the audit trail) live
in :mod:`signer.workflow`. Passphrases, PINs and TOTP codes pass straight through to the key
and are never logged or stored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, ClassVar, Literal

from flask import Response, current_app, has_request_context, request
from flask_openapi3 import APIBlueprint, FileStorage, Tag
from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, model_validator
from werkzeug.datastructures import FileStorage as UploadedFile

from api import context
from api.extensions import limiter
from api.requests import accepts_multipart
from api.schemas import Body, Id, ParamsModel, text
from commerce.errors import InvalidInput
from signer import workflow
from signer.config import load_timestamper, load_trust
from signer.keys import SigningKey
from signer.keys.pkcs11 import Pkcs11Key
from signer.keys.pkcs12 import Pkcs12Key
from signer.signing import Level

__all__ = ["bp", "signer_setup", "document_json", "issued_json"]

bp = APIBlueprint("signatures", __name__, url_prefix="/api/v1",
                  abp_tags=[Tag(name="tanda tangan elektronik", description="Tanda tangan PAdES, alur, verifikasi")])

PDF_RESPONSE = {"description": "PDF bertanda tangan; id dokumen di header X-Document-Id",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}
Secret = text(1024, min_length=1)


def _trust_files_version(s) -> tuple:
    """Modification times of the files trust is read from: a re-issued CRL takes effect at once."""
    paths = [s.pki_dir / "pki.json", s.pki_dir / "crl.pem"]
    paths += [Path(p) for p in f"{s.trust_roots},{s.trust_crls},{s.certified_roots}".split(",") if p.strip()]
    return tuple(p.stat().st_mtime_ns if p.exists() else None for p in paths)


def signer_setup() -> workflow.SignerSetup:
    """Built on first use from the settings and the app's storage, kept with the app, and
    rebuilt when the PKI's or the configured trust files change (a new CRL, say)."""
    s = context.settings()
    version = _trust_files_version(s)
    cached = current_app.extensions.get("smartcity.signer")
    setup = cached[1] if cached and cached[0] == version else None
    if setup is None:
        setup = workflow.SignerSetup(
            trust=load_trust(s.pki_dir, roots=s.trust_roots, crls=s.trust_crls, certified_roots=s.certified_roots),
            timestamper=load_timestamper(s.pki_dir, tsa_url=s.tsa_url),
            store=context.storage(),
            verify_url=s.public_url + "/verify/d/{id}",
        )
        current_app.extensions["smartcity.signer"] = (version, setup)
    return setup


def _sign_limit() -> str:
    return context.settings().sign_rate_limit


def _file(value):
    if not isinstance(value, UploadedFile):
        raise ValueError("Kirim berkas sebagai multipart/form-data, bukan teks.")
    return value


Upload = Annotated[FileStorage, AfterValidator(_file)]


class RawTextForm(ParamsModel):
    """flask-openapi3 JSON-decodes every multipart field ("246810" becomes 246810, '"x"' becomes x);
    text fields, passphrases above all, must arrive exactly as typed, so they take the raw value."""

    raw_fields: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _raw_text(cls, data):
        if has_request_context() and isinstance(data, dict):
            for name in cls.raw_fields:
                if name in request.form:
                    data[name] = request.form[name]
        return data


class SignForm(RawTextForm):
    raw_fields = ("passphrase", "totp", "title", "level")
    file: Upload
    passphrase: Secret = Field(description="Frasa sandi kunci (PKCS#12) atau PIN token")
    totp: text(10) | None = None
    title: text(200) = ""
    level: Literal["B-T", "B-LT", "B-LTA"] | None = Field(None, description="Bawaan: B-LT bila data pencabutan ada")


class StepIn(BaseModel):
    user_id: Id
    kind: Literal["paraf", "sign"] = "sign"


def _json_steps(value):
    """Multipart sends text: one JSON array, or one JSON object per repeated ``signers`` field."""
    items = value if isinstance(value, list) else [value]
    steps = []
    for item in items:
        if isinstance(item, str):
            try:
                item = json.loads(item)
            except ValueError:
                raise ValueError('harus JSON: [{"user_id": 1, "kind": "paraf" | "sign"}, ...]') from None
        steps.extend(item if isinstance(item, list) else [item])
    return steps


class DocumentForm(RawTextForm):
    raw_fields = ("title",)
    file: Upload
    title: text(200, min_length=1)
    signers: Annotated[list[StepIn], BeforeValidator(_json_steps)] = Field(min_length=1, max_length=workflow.MAX_STEPS, description=(
        'JSON berurutan, mis. [{"user_id": 3, "kind": "paraf"}, {"user_id": 2, "kind": "sign"}]'))


class DocumentPath(BaseModel):
    document_id: text(32, min_length=8)


class TurnIn(Body):
    passphrase: Secret
    totp: text(10) | None = None
    level: Literal["B-T", "B-LT", "B-LTA"] | None = None


class EnrolForm(RawTextForm):
    raw_fields = ("name", "position", "passphrase", "pkcs11", "totp_secret")
    user_id: Id
    name: text(200, min_length=1)
    position: text(200, min_length=1)
    passphrase: Secret
    file: Upload | None = Field(None, description="Berkas PKCS#12 (.p12) terenkripsi")
    pkcs11: text(500) | None = Field(None, description="Kunci di token: MODUL#token=LABEL#key=LABEL")
    totp_secret: text(64) | None = None


class StepOut(BaseModel):
    position: int
    user_id: int
    name: str
    title: str
    kind: str
    status: str
    signed_at: str | None


class DocumentOut(BaseModel):
    id: str
    number: str
    title: str
    status: str
    sha256: str
    original_sha256: str
    next_signer: int | None
    verify_url: str
    signers: list[StepOut]


class VerifyForm(ParamsModel):
    file: Upload


def document_json(document) -> dict:
    pending = [s for s in document.steps if s.status == "pending"]
    return {
        "id": document.public_id, "number": document.number, "title": document.title, "status": document.status,
        "sha256": document.current_sha256, "original_sha256": document.original_sha256,
        "created_at": document.created_at.isoformat(),
        "completed_at": document.completed_at.isoformat() if document.completed_at else None,
        "next_signer": pending[0].account.user_id if pending else None,
        "verify_url": signer_setup().verify_url.format(id=document.public_id),
        "signers": [{"position": s.position, "user_id": s.account.user_id, "name": s.account.name,
                     "title": s.account.position, "kind": s.kind, "status": s.status,
                     "signed_at": s.signed_at.isoformat() if s.signed_at else None} for s in document.steps],
    }


def issued_json(issued) -> dict | None:
    return issued._asdict() if issued is not None else None


def _staff():
    return context.require_admin()


def _pdf(upload) -> bytes:
    return upload.read()


def _level(value: str | None) -> Level | None:
    return Level(value) if value else None


@bp.post("/signers", responses={201: None}, security=[{"bearer": []}], summary="Daftarkan akun staf sebagai penanda tangan")
@accepts_multipart
def enrol(form: EnrolForm):
    _staff()
    if (form.file is None) == (form.pkcs11 is None):
        raise InvalidInput.field("file", "Kirim tepat satu kunci: berkas .p12 (file) atau referensi token (pkcs11).")
    if form.file is not None:
        key: SigningKey = Pkcs12Key(form.file.read())
    else:
        try:
            key = Pkcs11Key.from_reference(form.pkcs11)
        except ValueError as error:
            raise InvalidInput.field("pkcs11", str(error)) from None
        # Loading a PKCS#11 module runs its code in this process: only the configured ones.
        if key.module not in [m.strip() for m in context.settings().pkcs11_modules.split(",") if m.strip()]:
            raise InvalidInput.field("pkcs11", "Modul PKCS#11 ini tidak diizinkan (SMARTCITY_PKCS11_MODULES).")
    account = workflow.enrol(context.uow(), signer_setup(), user_id=form.user_id, name=form.name,
                             position=form.position, key=key, secret=form.passphrase, totp_secret=form.totp_secret)
    return {"user_id": account.user_id, "name": account.name, "position": account.position,
            "certificate_sha256": account.certificate_sha256}, 201


@bp.post("/signatures", responses={201: PDF_RESPONSE}, security=[{"bearer": []}],
         summary="Tandatangani PDF sekarang (satu penanda tangan: Anda)")
@limiter.limit(_sign_limit, key_func=lambda: f"sign:{context.bearer_token() or ''}")
@accepts_multipart
def sign_now(form: SignForm):
    user = _staff()
    title = form.title or form.file.filename or "Dokumen"
    document, signed = workflow.sign_now(context.uow(), signer_setup(), title=title[:200], pdf=_pdf(form.file),
                                         user_id=user.id, secret=form.passphrase, totp=form.totp,
                                         level=_level(form.level))
    return Response(signed, status=201, mimetype="application/pdf", headers={
        "X-Document-Id": document.public_id, "X-Document-Number": document.number,
        "Location": f"/api/v1/documents/{document.public_id}",
        "Content-Disposition": f'attachment; filename="signed-{document.public_id}.pdf"'})


@bp.post("/documents", responses={201: DocumentOut}, security=[{"bearer": []}],
         summary="Unggah dokumen dengan penanda tangan berurutan (paraf lalu pimpinan)")
@accepts_multipart
def create_document(form: DocumentForm):
    user = _staff()
    document = workflow.create_document(context.uow(), signer_setup(), title=form.title, pdf=_pdf(form.file),
                                        steps=[workflow.StepIn(s.user_id, s.kind) for s in form.signers],
                                        created_by=user.id)
    return document_json(document), 201


@bp.get("/documents/<document_id>", responses={200: DocumentOut}, security=[{"bearer": []}],
        summary="Status dokumen dalam alurnya")
def get_document(path: DocumentPath):
    _staff()
    return document_json(workflow.get_document(context.uow(), path.document_id))


@bp.get("/documents/<document_id>/file", responses={200: PDF_RESPONSE}, security=[{"bearer": []}],
        summary="Versi terbaru dokumen (PDF)")
def document_file(path: DocumentPath):
    _staff()
    document = workflow.get_document(context.uow(), path.document_id)
    return Response(workflow.document_bytes(signer_setup(), document), mimetype="application/pdf",
                    headers={"X-Document-Sha256": document.current_sha256})


@bp.post("/documents/<document_id>/signatures", responses={200: DocumentOut}, security=[{"bearer": []}],
         summary="Tandatangani dokumen pada giliran Anda")
@limiter.limit(_sign_limit, key_func=lambda: f"sign:{context.bearer_token() or ''}")
def sign_in_turn(path: DocumentPath, body: TurnIn):
    user = _staff()
    document, _ = workflow.sign_turn(context.uow(), signer_setup(), public_id=path.document_id, user_id=user.id,
                                     secret=body.passphrase, totp=body.totp, level=_level(body.level))
    return document_json(document)


@bp.post("/verifications", responses={200: None}, summary="Periksa semua tanda tangan pada PDF")
@accepts_multipart
def verify(form: VerifyForm):
    user = context.optional_user()
    report, issued = workflow.verify_document(context.uow(), signer_setup(), _pdf(form.file),
                                              actor=f"user:{user.id}" if user else "public")
    return report.as_json() | {"issued": issued_json(issued)}
