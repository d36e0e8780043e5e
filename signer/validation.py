"""Verifying every signature in a PDF and saying, for each, what a person needs to know.

For each signature the report gives an ETSI EN 319 102-1 style indication (``TOTAL_PASSED``,
``INDETERMINATE``, ``TOTAL_FAILED``), the sub-indication where ETSI names one, and our own short
``reason`` code (``HASH_MISMATCH``, ``CHANGED_AFTER_SIGNING``, ``REVOKED``, ``UNTRUSTED_CHAIN``,
``EXPIRED``, ``NO_TIMESTAMP`` ...) with a sentence in Bahasa Indonesia. It also reports signer,
claimed signing time, timestamp time, PAdES level, coverage and modification level, and whether
the signature chains to a *certified* provider's root (PP 71/2019) or is uncertified.

Nothing is fetched from the network: the validation context has ``allow_fetching=False`` and
uses only the configured CRLs and the revocation data embedded in the document's DSS.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field, fields
from datetime import datetime

from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.pdf_embedded import read_certification_data
from pyhanko.sign.validation.status import PdfSignatureStatus

from signer import pdf_speedups
from signer._sync import outside_event_loop
from signer.errors import NotAPdf
from signer.trust import TrustPolicy

__all__ = ["ValidationPolicy", "SignatureReport", "DocumentReport", "verify_pdf", "TOTAL_PASSED",
           "INDETERMINATE", "TOTAL_FAILED"]

pdf_speedups.install()  # pyHanko reads /Contents byte by byte otherwise (signer/pdf_speedups.py)

TOTAL_PASSED, INDETERMINATE, TOTAL_FAILED = "TOTAL_PASSED", "INDETERMINATE", "TOTAL_FAILED"
_RANK = {TOTAL_PASSED: 0, INDETERMINATE: 1, TOTAL_FAILED: 2}

MESSAGES = {
    "OK": "Tanda tangan sah dan dokumen tidak berubah sejak ditandatangani.",
    "HASH_MISMATCH": "Isi dokumen tidak cocok dengan tanda tangan: berkas telah diubah (hash berbeda).",
    "SIGNATURE_INVALID": "Nilai tanda tangan kriptografis tidak sah.",
    "CHANGED_AFTER_SIGNING": "Dokumen diubah setelah ditandatangani dengan cara yang tidak diizinkan.",
    "REVOKED": "Sertifikat penanda tangan telah dicabut.",
    "UNTRUSTED_CHAIN": "Sertifikat penanda tangan tidak berasal dari otoritas yang dipercaya.",
    "EXPIRED": "Sertifikat penanda tangan sudah kedaluwarsa atau belum berlaku saat penandatanganan.",
    "TIMESTAMP_INVALID": "Cap waktu (timestamp) pada tanda tangan tidak sah atau tidak dipercaya.",
    "NO_TIMESTAMP": "Tanda tangan tidak memiliki cap waktu tepercaya (bukan PAdES B-T).",
    "CERTIFICATE_PROBLEM": "Sertifikat penanda tangan tidak dapat divalidasi.",
    "UNREADABLE": "Tanda tangan tidak dapat dibaca.",
    "NO_SIGNATURE": "Dokumen ini tidak memiliki tanda tangan elektronik.",
}


@dataclass(frozen=True)
class ValidationPolicy:
    """What the city requires of a signature beyond cryptographic validity."""

    require_timestamp: bool = True  # city letters are PAdES B-T at least


@dataclass
class SignatureReport:
    field: str
    indication: str
    reason: str
    message: str
    sub_indication: str | None = None
    signer: str | None = None
    position: str | None = None
    issuer: str | None = None
    certified_provider: bool = False
    signing_time: datetime | None = None
    timestamp_time: datetime | None = None
    level: str | None = None
    coverage: str | None = None
    modification_level: str | None = None
    kind: str = "approval"  # "certification" for the DocMDP signature

    def as_json(self) -> dict:
        # A shallow dict: every field is a str, bool, None or datetime (asdict's deep copy of
        # pyHanko's datetimes cost more than the rest of the report).
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        for key in ("signing_time", "timestamp_time"):
            out[key] = out[key].isoformat() if out[key] else None
        return out


@dataclass
class DocumentReport:
    sha256: str
    signatures: list[SignatureReport] = field(default_factory=list)

    @property
    def indication(self) -> str:
        if not self.signatures:
            return TOTAL_FAILED
        return max((s.indication for s in self.signatures), key=_RANK.__getitem__)

    @property
    def passed(self) -> bool:
        return bool(self.signatures) and all(s.indication == TOTAL_PASSED for s in self.signatures)

    def as_json(self) -> dict:
        return {"sha256": self.sha256, "indication": self.indication, "passed": self.passed,
                "reason": None if self.signatures else "NO_SIGNATURE",
                "signatures": [s.as_json() for s in self.signatures]}


def _name(cert, oid: str) -> str | None:
    try:
        return cert.subject.native.get(oid)
    except (ValueError, AttributeError):
        return None


def _judge(status: PdfSignatureStatus, policy: ValidationPolicy) -> tuple[str, str, str | None]:
    """(indication, reason, ETSI sub-indication) for one validated signature."""
    if not status.intact:
        return TOTAL_FAILED, "HASH_MISMATCH", "HASH_FAILURE"
    if not status.valid:
        return TOTAL_FAILED, "SIGNATURE_INVALID", "SIG_CRYPTO_FAILURE"
    if status.modification_level is not None and not status.docmdp_ok:
        return TOTAL_FAILED, "CHANGED_AFTER_SIGNING", None
    if status.revoked:
        return TOTAL_FAILED, "REVOKED", "REVOKED"
    if not status.trusted:
        indic = status.trust_problem_indic
        name = getattr(indic, "name", None)
        if name == "REVOKED_NO_POE" or status.revocation_details is not None:
            return TOTAL_FAILED, "REVOKED", "REVOKED"
        if name in ("OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED", "EXPIRED", "NOT_YET_VALID"):
            return INDETERMINATE, "EXPIRED", name
        if name == "NO_CERTIFICATE_CHAIN_FOUND":
            return INDETERMINATE, "UNTRUSTED_CHAIN", name
        return INDETERMINATE, "CERTIFICATE_PROBLEM", name
    ts = status.timestamp_validity
    if ts is not None and not (ts.intact and ts.valid and ts.trusted):
        return INDETERMINATE, "TIMESTAMP_INVALID", "TIMESTAMP_ORDER_FAILURE" if ts.intact else "HASH_FAILURE"
    if ts is None and policy.require_timestamp:
        return INDETERMINATE, "NO_TIMESTAMP", "SIG_CONSTRAINTS_FAILURE"
    return TOTAL_PASSED, "OK", None


def _level(status: PdfSignatureStatus, has_dss: bool, doc_timestamps: int) -> str:
    if status.timestamp_validity is None:
        return "B-B"
    if not has_dss:
        return "B-T"
    return "B-LTA" if doc_timestamps else "B-LT"


@outside_event_loop
def verify_pdf(data: bytes, trust: TrustPolicy, *, policy: ValidationPolicy = ValidationPolicy()) -> DocumentReport:
    report = DocumentReport(sha256=hashlib.sha256(data).hexdigest())
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_regular_signatures)
        doc_timestamps = len(reader.embedded_timestamp_signatures)
    except (PdfError, KeyError, TypeError, ValueError) as error:
        raise NotAPdf(f"Berkas bukan PDF yang dapat dibaca: {error}") from None
    dss = None
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except (PdfError, KeyError, TypeError, ValueError):
        dss = None  # no DSS: B-B/B-T signatures, only the configured CRLs apply
    try:
        certification = read_certification_data(reader)
    except (PdfError, KeyError, TypeError, ValueError):
        certification = None
    certifying = certification.author_sig.get("/Contents") if certification else None
    for embedded in signatures:
        kind = "certification" if certifying is not None and embedded.sig_object.get("/Contents") == certifying \
            else "approval"
        report.signatures.append(_verify_one(embedded, trust, policy, dss, doc_timestamps, kind))
    return report


def _context(trust: TrustPolicy, dss: DocumentSecurityStore | None):
    if dss is None:
        return trust.validation_context()
    return dss.as_validation_context({
        "trust_roots": list(trust.roots), "crls": list(trust.crls), "allow_fetching": False,
        "revocation_mode": trust.revocation_mode,
    })


def _verify_one(embedded, trust, policy, dss, doc_timestamps, kind) -> SignatureReport:
    field_name = embedded.field_name
    try:
        context = _context(trust, dss)  # one context for the signer and the timestamp: one set of paths
        status = validate_pdf_signature(embedded, context, ts_validation_context=context)
    except Exception as error:  # a malformed CMS blob from an uploaded file is input, not a bug
        return SignatureReport(field=field_name, indication=TOTAL_FAILED, reason="UNREADABLE",
                               message=f"{MESSAGES['UNREADABLE']} ({type(error).__name__})",
                               sub_indication="FORMAT_FAILURE")
    indication, reason, sub = _judge(status, policy)
    cert = status.signing_cert
    root = None
    if status.validation_path is not None:
        root = getattr(status.validation_path.trust_anchor, "certificate", None)
    mod = status.modification_level
    return SignatureReport(
        field=field_name, indication=indication, reason=reason, message=MESSAGES[reason], sub_indication=sub,
        signer=_name(cert, "common_name"), position=_name(cert, "title"), issuer=cert.issuer.human_friendly,
        certified_provider=trust.is_certified(root) and status.trusted,
        signing_time=status.signer_reported_dt,
        timestamp_time=status.timestamp_validity.timestamp if status.timestamp_validity else None,
        level=_level(status, dss is not None, doc_timestamps),
        coverage=status.coverage.name if status.coverage else None,
        modification_level=mod.name if isinstance(mod, ModificationLevel) else None,
        kind=kind,
    )
