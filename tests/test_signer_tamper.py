"""Tampered and badly signed PDFs: each one gets the indication and reason a reader must see."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from signer.samples import letter_pdf
from signer.validation import INDETERMINATE, TOTAL_FAILED, TOTAL_PASSED, verify_pdf
from tests.signer_support import foreign_pki, sign_as, trust


@pytest.fixture(scope="module")
def signed() -> bytes:
    return sign_as(letter_pdf(2), "walikota")


def _only(data: bytes):
    report = verify_pdf(data, trust())
    assert not report.passed
    (signature,) = report.signatures
    return signature


def _update(data: bytes, change) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_untouched_file_passes(signed):
    assert verify_pdf(signed, trust()).signatures[0].indication == TOTAL_PASSED


def test_flipped_byte_is_a_hash_mismatch(signed):
    data = bytearray(signed)
    data[data.index(b"Dengan hormat")] ^= 0x01  # "Dengan" -> "Eengan", inside the signed range
    sig = _only(bytes(data))
    assert (sig.indication, sig.reason, sig.sub_indication) == (TOTAL_FAILED, "HASH_MISMATCH", "HASH_FAILURE")


def test_page_appended_by_incremental_update(signed):
    def append_page(writer):
        stream = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 700 Td (Lampiran palsu) Tj ET"))
        page = generic.DictionaryObject({
            generic.NameObject("/Type"): generic.NameObject("/Page"),
            generic.NameObject("/MediaBox"): generic.ArrayObject(map(generic.NumberObject, (0, 0, 595, 842))),
            generic.NameObject("/Resources"): generic.DictionaryObject(),
            generic.NameObject("/Contents"): stream,
        })
        writer.insert_page(page)

    sig = _only(_update(signed, append_page))
    assert (sig.indication, sig.reason) == (TOTAL_FAILED, "CHANGED_AFTER_SIGNING")
    assert sig.coverage == "ENTIRE_REVISION" and sig.modification_level == "OTHER"


def test_content_changed_after_signing(signed):
    def rewrite_first_page(writer):
        page = writer.root["/Pages"]["/Kids"][0]
        page[generic.NameObject("/Contents")] = writer.add_object(
            generic.StreamObject(stream_data=b"BT /F1 14 Tf 72 780 Td (SURAT INI DIBATALKAN) Tj ET"))
        writer.update_container(page)

    sig = _only(_update(signed, rewrite_first_page))
    assert (sig.indication, sig.reason) == (TOTAL_FAILED, "CHANGED_AFTER_SIGNING")


def test_stripped_signature_leaves_no_signature(signed):
    def drop_signature_fields(writer):
        form = writer.root["/AcroForm"]
        form[generic.NameObject("/Fields")] = generic.ArrayObject()
        writer.update_container(form)

    report = verify_pdf(_update(signed, drop_signature_fields), trust())
    assert report.signatures == [] and not report.passed
    assert report.indication == TOTAL_FAILED and report.as_json()["reason"] == "NO_SIGNATURE"


def test_key_from_an_untrusted_ca():
    sig = _only(sign_as(letter_pdf(2), "palsu", pki=foreign_pki()))
    assert (sig.indication, sig.reason, sig.sub_indication) == (
        INDETERMINATE, "UNTRUSTED_CHAIN", "NO_CERTIFICATE_CHAIN_FOUND")


def test_revoked_certificate():
    sig = _only(sign_as(letter_pdf(2), "dicabut"))
    assert (sig.indication, sig.reason) == (TOTAL_FAILED, "REVOKED")


def test_expired_certificate():
    sig = _only(sign_as(letter_pdf(2), "kedaluwarsa"))
    assert (sig.indication, sig.reason) == (INDETERMINATE, "EXPIRED")


def test_missing_timestamp():
    sig = _only(sign_as(letter_pdf(2), "walikota", timestamp=False))
    assert (sig.indication, sig.reason, sig.level) == (INDETERMINATE, "NO_TIMESTAMP", "B-B")
    assert sig.timestamp_time is None


def test_garbage_is_not_a_pdf():
    from signer.errors import NotAPdf

    with pytest.raises(NotAPdf):
        verify_pdf(b"%PDF-1.7 not really", trust())
