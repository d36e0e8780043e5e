"""Use cases of the signing workflow: enrol a signer, upload a document with its ordered
signers, sign in turn, look a document up, record a verification.

A document gets its number when it is uploaded, before the first signature. Signers sign in
the order given (reviewers' paraf first, then the head of office); each signature is an
incremental update over the previous version. The first signature certifies the document
(DocMDP: form filling and further signatures allowed), the last locks it. Every version is
stored by SHA-256, so "is this exact file one the city issued?" is a lookup.

Refusals are committed to the audit trail before the error is raised; their message never
says which secret (account, key passphrase, TOTP code) was wrong.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import NamedTuple

from pyhanko.sign.timestamps import TimeStamper
from sqlalchemy import bindparam, func, select

from signer import audit
from signer.errors import Conflict, DocumentNotFound, NotYourTurn, PkiMissing, SigningRefused, WorkflowError
from signer.keys import KeyLocked, SigningKey, key_from_reference
from signer.models import DocumentVersion, SignerAccount, SigningDocument, SigningStep
from signer.ports import Clock, DocumentStore, UnitOfWork, document_key, system_clock
from signer.reservation import SignatureSizes
from signer.signing import Level, SigningPolicy, Stamp, check_certificate, page_count, prepare_fields, sign_pdf
from signer.trust import TrustPolicy
from signer.validation import DocumentReport, ValidationPolicy, verify_pdf

__all__ = ["SignerSetup", "StepIn", "enrol", "create_document", "sign_turn", "sign_now", "get_document",
           "issued_version", "verify_document", "Issued"]

STEP_KINDS = ("paraf", "sign")
MAX_STEPS = 10
# How long a passed certificate check (chain to a trusted root, not expired, not on the CRL) is
# reused for the same certificate. The setup is rebuilt as soon as a trust file changes (a
# re-issued CRL, see ``api.signatures.signer_setup``), which drops these results with it.
CERTIFICATE_CHECK_SECONDS = 60.0


@dataclass(frozen=True)
class SignerSetup:
    """Everything a use case needs besides the unit of work, wired once by the app factory."""

    trust: TrustPolicy
    timestamper: TimeStamper | None
    store: DocumentStore
    verify_url: str = "http://localhost:8000/verify/d/{id}"
    clock: Clock = system_clock
    validation: ValidationPolicy = field(default_factory=ValidationPolicy)
    number_format: str = "{seq:05d}/TTE-SMD/{year}"
    # certificate SHA-256 -> monotonic deadline of its last passed check (see _check_certificate)
    certificate_checks: dict = field(default_factory=dict, compare=False, repr=False)
    # room each key's signature container needs, measured by its first signature here
    signature_sizes: SignatureSizes = field(default_factory=SignatureSizes, compare=False, repr=False)


class StepIn(NamedTuple):
    user_id: int
    kind: str = "sign"


class Issued(NamedTuple):
    """Where one exact file stands: version 0 is the upload, ``of`` the signatures planned."""

    document_id: str
    number: str
    title: str
    status: str
    version: int
    of: int
    latest: bool


def _field(position: int) -> str:
    return f"Langkah{position}"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check_certificate(setup: SignerSetup, signer) -> None:
    """:func:`signer.signing.check_certificate`, its success remembered for a short while.

    Only successes are kept, never beyond the certificate's expiry, and only in this setup, which
    is replaced when the trust roots or CRLs change; a refusal is re-checked every time.
    """
    cert = signer.signing_cert
    key = cert.sha256 + b"".join(sorted(c.sha256 for c in signer.cert_registry))
    now = time.monotonic()
    if setup.certificate_checks.get(key, 0.0) > now:
        return
    check_certificate(signer, setup.trust)
    left = (cert["tbs_certificate"]["validity"]["not_after"].native - setup.clock()).total_seconds()
    setup.certificate_checks[key] = now + min(CERTIFICATE_CHECK_SECONDS, left)


def enrol(uow: UnitOfWork, setup: SignerSetup, *, user_id: int, name: str, position: str, key: SigningKey,
          secret: bytes | str, totp_secret: str | None = None) -> SignerAccount:
    """Make a city account a signer; the secret is used once to prove the key opens, not kept."""
    try:
        with key.unlocked(secret) as signer:
            check_certificate(signer, setup.trust)
            cert_sha = signer.signing_cert.sha256.hex()
    except KeyLocked:
        raise SigningRefused("Kunci tidak dapat dibuka dengan frasa sandi atau PIN yang diberikan.") from None
    uow.begin_write()
    account = uow.session.execute(select(SignerAccount).where(SignerAccount.user_id == user_id)).scalar_one_or_none()
    if account is None:
        account = SignerAccount(user_id=user_id, created_at=setup.clock())
        uow.session.add(account)
    account.name, account.position = name, position
    account.key_kind, account.key_reference = key.kind, key.reference()
    account.certificate_sha256, account.totp_secret = cert_sha, totp_secret
    audit.append(uow, setup.clock, "signer.enrolled", actor=f"user:{user_id}",
                 details={"certificate_sha256": cert_sha, "key_kind": key.kind})
    uow.commit()
    return account


def _accounts(uow: UnitOfWork, steps: list[StepIn]) -> dict[int, SignerAccount]:
    accounts = {a.user_id: a for a in uow.session.execute(
        select(SignerAccount).where(SignerAccount.user_id.in_([s.user_id for s in steps]))).scalars()}
    missing = [s.user_id for s in steps if s.user_id not in accounts]
    if missing:
        raise WorkflowError(f"Akun berikut belum terdaftar sebagai penanda tangan: {missing}.")
    return accounts


def create_document(uow: UnitOfWork, setup: SignerSetup, *, title: str, pdf: bytes, steps: list[StepIn],
                    created_by: int) -> SigningDocument:
    if not steps or len(steps) > MAX_STEPS:
        raise WorkflowError(f"Tentukan 1 sampai {MAX_STEPS} penanda tangan berurutan.")
    if any(s.kind not in STEP_KINDS for s in steps):
        raise WorkflowError("Jenis langkah harus 'paraf' atau 'sign'.")
    if steps[-1].kind != "sign":
        raise WorkflowError("Langkah terakhir harus tanda tangan pimpinan ('sign'), bukan paraf.")
    if len({s.user_id for s in steps}) != len(steps):
        raise WorkflowError("Setiap penanda tangan hanya boleh muncul sekali.")
    page_count(pdf)  # refuses what is not a readable PDF before anything is stored
    # Several signers: every field exists before the first (certifying) signature. One signer:
    # the signature adds its own field, saving a rewrite of the file.
    prepared = pdf if len(steps) == 1 else \
        prepare_fields(pdf, [(_field(n), s.kind == "sign") for n, s in enumerate(steps, start=1)])
    sha = _sha(pdf)
    prepared_sha = sha if prepared is pdf else _sha(prepared)
    accounts = _accounts(uow, steps)
    if uow.session.get(DocumentVersion, sha) is not None:
        raise WorkflowError("Berkas yang sama persis sudah pernah diunggah atau diterbitkan.")
    # The files go to storage before the write transaction (content-addressed, so writing one
    # twice or for a refused upload does no harm): on SQLite that transaction locks the database.
    setup.store.put(document_key(sha), pdf, content_type="application/pdf")
    if prepared_sha != sha:
        setup.store.put(document_key(prepared_sha), prepared, content_type="application/pdf")
    uow.begin_write()
    if uow.session.get(DocumentVersion, sha, populate_existing=True) is not None:  # uploaded meanwhile?
        raise WorkflowError("Berkas yang sama persis sudah pernah diunggah atau diterbitkan.")
    now = setup.clock()
    document = SigningDocument(public_id=secrets.token_urlsafe(16), number=f"draft-{secrets.token_hex(8)}",
                               title=title, status="in_progress", original_sha256=sha,
                               current_sha256=prepared_sha,
                               created_by=created_by, created_at=now)
    uow.session.add(document)
    uow.session.flush()
    document.number = setup.number_format.format(seq=document.id, year=now.year)
    for position, step in enumerate(steps, start=1):
        uow.session.add(SigningStep(document_id=document.id, position=position, account_id=accounts[step.user_id].id,
                                    kind=step.kind, status="pending"))
    # Version 0 is the upload; the same file with empty signature fields added counts as version 0 too.
    for version_sha in {sha, prepared_sha}:
        uow.session.add(DocumentVersion(sha256=version_sha, document_id=document.id, version=0, created_at=now))
    audit.append(uow, setup.clock, "document.created", actor=f"user:{created_by}", document=document.public_id,
                 details={"number": document.number, "sha256": sha, "signers": [list(s) for s in steps]})
    uow.commit()
    return document


def _refuse(uow: UnitOfWork, setup: SignerSetup, document: SigningDocument, user_id: int, cause: str,
            error: Exception) -> Exception:
    public_id = document.public_id
    uow.session.rollback()
    uow.begin_write()
    audit.append(uow, setup.clock, "signing.refused", actor=f"user:{user_id}", document=public_id,
                 details={"cause": cause})
    uow.commit()
    return error


def _totp_ok(account: SignerAccount, code: str | None) -> bool:
    if not account.totp_secret:
        return True
    import pyotp

    return bool(code) and pyotp.TOTP(account.totp_secret).verify(code, valid_window=1)


def sign_turn(uow: UnitOfWork, setup: SignerSetup, *, public_id: str, user_id: int, secret: bytes | str,
              totp: str | None = None, level: Level | None = None) -> tuple[SigningDocument, bytes]:
    """The signer whose turn it is signs the current version; returns the document and new bytes.

    The slow part (unlocking the key, signing, timestamping) runs outside the write transaction,
    so signers of different documents never wait for each other's database lock; the write then
    checks that the document is still at the version that was signed (optimistic concurrency).
    """
    return _sign(uow, setup, get_document(uow, public_id), user_id=user_id, secret=secret, totp=totp, level=level)


def sign_now(uow: UnitOfWork, setup: SignerSetup, *, title: str, pdf: bytes, user_id: int, secret: bytes | str,
             totp: str | None = None, level: Level | None = None) -> tuple[SigningDocument, bytes]:
    """Upload a document with one signer (the caller) and sign it at once.

    The same two write transactions as :func:`create_document` then :func:`sign_turn` (the
    number the stamp shows exists only once the document row does), without reading the upload
    back from storage or the document back from the database in between.
    """
    document = create_document(uow, setup, title=title, pdf=pdf, steps=[StepIn(user_id, "sign")],
                               created_by=user_id)
    return _sign(uow, setup, document, user_id=user_id, secret=secret, totp=totp, level=level, current=pdf)


def _sign(uow: UnitOfWork, setup: SignerSetup, document: SigningDocument, *, user_id: int, secret: bytes | str,
          totp: str | None, level: Level | None, current: bytes | None = None) -> tuple[SigningDocument, bytes]:
    public_id = document.public_id
    pending = [s for s in document.steps if s.status == "pending"]
    step = pending[0] if pending else None
    if step is None:
        raise _refuse(uow, setup, document, user_id, "completed",
                      WorkflowError("Dokumen ini sudah selesai ditandatangani dan terkunci."))
    if step.account.user_id != user_id:
        listed = any(s.account.user_id == user_id for s in document.steps)
        raise _refuse(uow, setup, document, user_id, "turn" if listed else "not_a_signer",
                      NotYourTurn("Belum giliran Anda menandatangani dokumen ini." if listed else
                                  "Anda tidak termasuk penanda tangan dokumen ini."))
    account = step.account
    if not _totp_ok(account, totp):
        raise _refuse(uow, setup, document, user_id, "secret", SigningRefused())
    if setup.timestamper is None:
        raise PkiMissing("Otoritas cap waktu (TSA) belum dikonfigurasi: jalankan 'smartcity signer init-pki'.")
    signed_version = document.current_sha256
    if current is None:  # sign_now passes the upload, which a one-signer document signs as it is
        current = setup.store.get(document_key(signed_version))
    first, last = step.position == 1, step.position == len(document.steps)
    policy = SigningPolicy(level=level, visible=step.kind == "sign", certify=first, lock=last,
                           reason="Paraf (telah diperiksa)" if step.kind == "paraf" else "Menyetujui dan menetapkan")
    stamp = Stamp(account.name, account.position, document.number, setup.verify_url.format(id=document.public_id))
    key = key_from_reference(account.key_kind, account.key_reference)
    position, kind, cert_sha = step.position, step.kind, account.certificate_sha256
    uow.session.rollback()  # end the read transaction: nothing is locked while we sign
    try:
        with key.unlocked(secret) as signer:
            if signer.signing_cert.sha256.hex() != cert_sha:
                raise KeyLocked()
            _check_certificate(setup, signer)
            signed = sign_pdf(current, signer, trust=setup.trust, timestamper=setup.timestamper, policy=policy,
                              stamp=stamp, field_name=_field(position), sizes=setup.signature_sizes)
    except KeyLocked:
        raise _refuse(uow, setup, document, user_id, "secret", SigningRefused()) from None
    except SigningRefused as error:
        raise _refuse(uow, setup, document, user_id, error.cause, error) from None
    sha = _sha(signed)
    setup.store.put(document_key(sha), signed, content_type="application/pdf")  # content-addressed: safe to repeat

    uow.begin_write()
    document = uow.session.execute(select(SigningDocument).where(SigningDocument.public_id == public_id)
                                   .with_for_update()).scalar_one()
    step = next(s for s in document.steps if s.position == position)
    if document.current_sha256 != signed_version or step.status != "pending":
        raise Conflict("Dokumen berubah selama penandatanganan (tanda tangan lain masuk lebih dulu). Coba lagi.")
    now = setup.clock()
    step.status, step.signed_at, step.sha256 = "signed", now, sha
    document.current_sha256 = sha
    if last:
        document.status, document.completed_at = "completed", now
    uow.session.add(DocumentVersion(sha256=sha, document_id=document.id, version=position, created_at=now))
    audit.append(uow, setup.clock, "document.signed", actor=f"user:{user_id}", document=document.public_id,
                 details={"step": position, "kind": kind, "sha256": sha, "certificate_sha256": cert_sha})
    uow.commit()
    return document, signed


def get_document(uow: UnitOfWork, public_id: str) -> SigningDocument:
    document = uow.session.execute(select(SigningDocument).where(SigningDocument.public_id == public_id)
                                   ).scalar_one_or_none()
    if document is None:
        raise DocumentNotFound("Dokumen tidak ditemukan.")
    return document


def document_bytes(setup: SignerSetup, document: SigningDocument) -> bytes:
    return setup.store.get(document_key(document.current_sha256))


# One query (the version, its document and its number of steps), built once: every
# verification asks it, and run on the connection, with no ORM objects to build.
_STEP_COUNT = select(func.count(SigningStep.id)).where(SigningStep.document_id == SigningDocument.id).scalar_subquery()
_ISSUED = (select(SigningDocument.public_id, SigningDocument.number, SigningDocument.title, SigningDocument.status,
                  DocumentVersion.version, _STEP_COUNT, SigningDocument.current_sha256)
           .join(SigningDocument, SigningDocument.id == DocumentVersion.document_id)
           .where(DocumentVersion.sha256 == bindparam("sha256")))


def issued_version(uow: UnitOfWork, sha256: str) -> Issued | None:
    row = uow.session.connection().execute(_ISSUED, {"sha256": sha256}).one_or_none()
    if row is None:
        return None
    public_id, number, title, status, version, of, current = row
    return Issued(public_id, number, title, status, version, of, current == sha256)


def verify_document(uow: UnitOfWork, setup: SignerSetup, data: bytes, *, actor: str = "public"
                    ) -> tuple[DocumentReport, Issued | None]:
    """Validate any PDF; when it is a file the city issued, say where it stands and log the check."""
    report = verify_pdf(data, setup.trust, policy=setup.validation)
    # One short transaction that may write: the lookup, and the audit entry when the file is the
    # city's (on SQLite a separate read first would cost a second BEGIN/COMMIT on every check).
    uow.begin_write()
    issued = issued_version(uow, report.sha256)
    if issued is not None:
        audit.append(uow, setup.clock, "document.verified", actor=actor, document=issued.document_id,
                     details={"sha256": report.sha256, "version": issued.version, "indication": report.indication})
        uow.commit()
    else:
        uow.rollback()
    return report, issued
