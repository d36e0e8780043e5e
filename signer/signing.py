"""Signing one PDF: PAdES baseline B-T by default, B-LT when revocation data is at hand, B-LTA
on request; a visible stamp with a QR code, or an invisible initial (paraf).

Every signature is an incremental update, so earlier signatures stay valid. A
:class:`SigningPolicy` says what kind of signature to make: the workflow certifies with the
first (DocMDP "fill forms and sign", so later signatures are allowed) and locks with the last.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from enum import Enum

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import FieldMDPAction, FieldMDPSpec, MDPPerm, SigFieldSpec, SigSeedSubFilter
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.stamp import QRStampStyle
from pyhanko_certvalidator import CertificateValidator
from pyhanko_certvalidator.errors import PathError, ValidationError

from signer import pdf_speedups
from signer._sync import outside_event_loop
from signer.errors import NotAPdf, SigningRefused
from signer.reservation import SignatureSizes
from signer.trust import TrustPolicy

__all__ = ["Level", "SigningPolicy", "Stamp", "sign_pdf", "prepare_fields", "page_count", "check_certificate", "PARAF", "APPROVAL"]

pdf_speedups.install()  # pyHanko reads /Contents byte by byte otherwise (signer/pdf_speedups.py)


class Level(str, Enum):
    B_B = "B-B"
    B_T = "B-T"
    B_LT = "B-LT"
    B_LTA = "B-LTA"


@dataclass(frozen=True)
class Stamp:
    """What a visible signature shows; ``verify_url`` is what the QR code points to."""

    signer_name: str
    position: str
    document_number: str
    verify_url: str


@dataclass(frozen=True)
class SigningPolicy:
    level: Level | None = None  # None: B-LT when the trust policy has revocation data, else B-T
    visible: bool = True  # False: an invisible initial (paraf)
    certify: bool = False  # DocMDP certification allowing later form filling and signatures
    lock: bool = False  # lock the document after this signature (no further changes)
    reason: str = "Menyetujui isi dokumen"
    location: str = "Samarinda"


APPROVAL = SigningPolicy()
PARAF = SigningPolicy(visible=False, reason="Paraf (telah diperiksa)")

STAMP_TEXT = ("Ditandatangani secara elektronik oleh\n%(signer)s\n%(position)s\n"
              "Nomor: %(number)s\nWaktu: %(ts)s")
# Bottom right of the last page (points, A4 portrait); the QR sits left of the text.
STAMP_BOX = (300, 40, 565, 140)


def _level(policy: SigningPolicy, trust: TrustPolicy) -> Level:
    if policy.level is not None:
        return policy.level
    return Level.B_LT if trust.crls else Level.B_T


def _next_field_name(reader: PdfFileReader) -> str:
    taken = {name for name, _, _ in fields.enumerate_sig_fields(reader)}
    n = len(taken) + 1
    while f"Tandatangan{n}" in taken:
        n += 1
    return f"Tandatangan{n}"


def page_count(data: bytes) -> int:
    """The number of pages; raises :class:`NotAPdf` for anything that is not a readable PDF."""
    try:
        count = int(PdfFileReader(io.BytesIO(data), strict=False).root["/Pages"]["/Count"])
    except (PdfError, KeyError, TypeError, ValueError, AttributeError) as error:
        raise NotAPdf(f"Berkas bukan PDF yang dapat dibaca: {error}") from None
    if count < 1:
        raise NotAPdf("PDF ini tidak memiliki halaman.")
    return count


def prepare_fields(data: bytes, steps: list[tuple[str, bool]]) -> bytes:
    """Add one empty signature field per workflow step, the visible ones stacked on the last page.

    Creating every field before the first (certifying) signature means each later signature only
    fills a field, which DocMDP level 2 allows; creating fields after certification would count
    as a change to the certified document. The last field carries a /Lock (no changes after it).
    """
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        last_page = int(writer.prev.root["/Pages"]["/Count"]) - 1
    except (PdfError, KeyError, TypeError, ValueError) as error:
        raise NotAPdf(f"Berkas bukan PDF yang dapat dibaca: {error}") from None
    visible_seen = 0
    for index, (name, visible) in enumerate(steps):
        box = None
        if visible:
            x1, y1, x2, y2 = STAMP_BOX
            lift = 110 * visible_seen
            box, visible_seen = (x1, y1 + lift, x2, y2 + lift), visible_seen + 1
        last = index == len(steps) - 1
        fields.append_signature_field(writer, SigFieldSpec(
            name, on_page=last_page, box=box,
            field_mdp_spec=FieldMDPSpec(FieldMDPAction.ALL) if last and len(steps) > 1 else None,
            doc_mdp_update_value=MDPPerm.NO_CHANGES if last and len(steps) > 1 else None))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@outside_event_loop
def sign_pdf(data: bytes, signer: signers.Signer, *, trust: TrustPolicy, timestamper: TimeStamper | None,
             policy: SigningPolicy = APPROVAL, stamp: Stamp | None = None, field_name: str | None = None,
             sizes: SignatureSizes | None = None) -> bytes:
    """The signed PDF's bytes (the input plus one incremental update).

    When ``field_name`` names an existing field the signature fills it (see :func:`prepare_fields`);
    otherwise a new field (so named, or numbered) is added, visible on the last page when there
    is a stamp. With ``sizes`` (kept by the caller from one signature to the next) the room for
    the signature container is what this key's earlier signatures needed, not a dummy signature
    made each time (see :mod:`signer.reservation`).
    """
    level = _level(policy, trust)
    if level != Level.B_B and timestamper is None:
        raise ValueError(f"PAdES {level.value} needs a timestamp authority")
    # B-LTA ends with a document timestamp, whose container is the file's last one: not measured.
    size_key = (signer.signing_cert.sha256, level, id(timestamper)) \
        if sizes is not None and level != Level.B_LTA and signer.signing_cert is not None else None
    reserve = sizes.reserve(size_key) if size_key else None
    try:
        signed = _sign(data, signer, trust, timestamper, policy, stamp, field_name, level, reserve)
    except SigningError as error:
        if reserve is None or not _room_too_small(error):
            raise
        sizes.forget(size_key)  # the key or the TSA changed: measure again
        reserve = None
        signed = _sign(data, signer, trust, timestamper, policy, stamp, field_name, level, None)
    if size_key and reserve is None:
        sizes.learn(size_key, signed)
    return signed


def _room_too_small(error: SigningError) -> bool:
    # pyHanko says so only in words: "Final ByteRange payload larger than expected: ..."
    return "larger than expected" in str(error)


def _sign(data, signer, trust, timestamper, policy, stamp, field_name, level, reserve) -> bytes:
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        existing = {name: f for name, _, f in fields.enumerate_sig_fields(writer.prev)}
        last_page = int(writer.prev.root["/Pages"]["/Count"]) - 1
    except (PdfError, KeyError, TypeError, ValueError) as error:
        raise NotAPdf(f"Berkas bukan PDF yang dapat dibaca: {error}") from None
    meta = signers.PdfSignatureMetadata(
        field_name=field_name or _next_field_name(writer.prev),
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=policy.reason,
        location=policy.location,
        certify=policy.certify,
        # The locking signature (or a document certified and locked in one go) allows no further change.
        docmdp_permissions=MDPPerm.NO_CHANGES if policy.lock else MDPPerm.FILL_FORMS,
        embed_validation_info=level in (Level.B_LT, Level.B_LTA),
        use_pades_lta=level == Level.B_LTA,
        validation_context=trust.validation_context() if level in (Level.B_LT, Level.B_LTA) else None,
    )
    if meta.field_name in existing:
        rect = existing[meta.field_name].get_object().get("/Rect")
        visible = stamp is not None and rect is not None and abs(float(rect[2]) - float(rect[0])) > 0
        field_spec = None
    else:
        visible = policy.visible and stamp is not None
        field_lock = policy.lock and not policy.certify
        field_spec = SigFieldSpec(
            meta.field_name, on_page=last_page, box=STAMP_BOX if visible else None,
            field_mdp_spec=FieldMDPSpec(FieldMDPAction.ALL) if field_lock else None,
            doc_mdp_update_value=MDPPerm.NO_CHANGES if field_lock else None)
    style = QRStampStyle(stamp_text=STAMP_TEXT, border_width=1) if visible else None
    pdf_signer = signers.PdfSigner(meta, signer, timestamper=timestamper if level != Level.B_B else None,
                                   stamp_style=style, new_field_spec=field_spec)
    params = None
    if visible:
        params = {"url": stamp.verify_url, "position": stamp.position, "number": stamp.document_number}
    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(writer, output=out, appearance_text_params=params, bytes_reserved=reserve)
    except (PathError, ValidationError) as error:
        raise SigningRefused("Sertifikat penanda tangan tidak dapat divalidasi (tidak tepercaya, "
                             "kedaluwarsa atau dicabut).", cause="certificate") from error
    except SigningError as error:
        if "revoked" in str(error).lower() or "valid" in str(error).lower():
            raise SigningRefused("Sertifikat penanda tangan tidak dapat divalidasi.", cause="certificate") from error
        raise
    return out.getvalue()


@outside_event_loop
def check_certificate(signer: signers.Signer, trust: TrustPolicy) -> None:
    """Refuse to sign with a certificate that is untrusted, expired or revoked right now."""
    validator = CertificateValidator(signer.signing_cert, intermediate_certs=list(signer.cert_registry),
                                     validation_context=trust.validation_context())
    try:
        asyncio.run(validator.async_validate_usage({"non_repudiation"}))
    except (PathError, ValidationError) as error:
        raise SigningRefused("Sertifikat penanda tangan tidak dapat dipakai (tidak tepercaya, kedaluwarsa "
                             "atau dicabut).", cause="certificate") from error
