"""The fast hex-string reader must answer exactly as pyHanko's own: same value, same type, same
stream position afterwards, or the same error."""

import io

from hypothesis import given, settings, strategies as st
from pyhanko.pdf_utils import generic

from signer import pdf_speedups
from signer.samples import letter_pdf

HEXISH = st.sampled_from(list(b"0123456789abcdefABCDEF"))
WHITESPACE = st.sampled_from(list(b" \n\r\t\f\x00"))
ODD = st.sampled_from(list(b"%>gZ<(\xff"))


def _outcome(reader, data: bytes):
    stream = io.BytesIO(data)
    try:
        value = reader(stream)
    except Exception as error:  # the error itself is part of the contract
        return ("error", type(error), str(error))
    return ("value", type(value), bytes(value.original_bytes) if hasattr(value, "original_bytes") else value,
            stream.tell())


@settings(max_examples=600, deadline=None)
@given(body=st.lists(st.one_of(HEXISH, HEXISH, HEXISH, WHITESPACE, ODD), max_size=300).map(bytes),
       close=st.booleans(), tail=st.binary(max_size=12))
def test_same_answer_as_pyhankos_reader(body, close, tail):
    data = b"<" + body + (b">" if close else b"") + tail
    assert _outcome(pdf_speedups.read_hex_string, data) == _outcome(pdf_speedups._ORIGINAL, data)


def test_long_signature_contents_and_odd_digit_count():
    digits = bytes(range(256)).hex().encode() * 40  # 20 KB of hex, more than one read
    for data in (b"<" + digits + b">rest", b"<" + digits[:-1] + b"\n>", b"< 4 1 \r\n>"):
        assert _outcome(pdf_speedups.read_hex_string, data) == _outcome(pdf_speedups._ORIGINAL, data)
    assert pdf_speedups.read_hex_string(io.BytesIO(b"<414>")).original_bytes == b"A@"  # a missing last digit is 0


def test_installed_for_signing_and_validation():
    import signer.signing  # noqa: F401
    import signer.validation  # noqa: F401

    assert pdf_speedups.installed()
    assert generic.read_hex_string_from_stream is pdf_speedups.read_hex_string
    # pyHanko still reads whole documents with it
    from pyhanko.pdf_utils.reader import PdfFileReader
    reader = PdfFileReader(io.BytesIO(letter_pdf(2)), strict=False)
    assert reader.root["/Pages"]["/Count"] == 2
