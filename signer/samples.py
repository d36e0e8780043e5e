"""Plain sample letters as PDF, for the demo, the tests and the benchmark.

Hand-built (a few objects, one Helvetica font, a text stream per page) so that nothing but this
module decides their bytes: a test that flips a byte in the body text knows where it is.
"""

from __future__ import annotations

__all__ = ["letter_pdf"]

BODY = [
    "Dengan hormat,",
    "Sehubungan dengan pelaksanaan program Samarinda Smart City, bersama ini kami sampaikan",
    "bahwa layanan publik tetap berjalan secara daring selama kantor ditutup sementara.",
    "Surat ini ditandatangani secara elektronik dan dapat diperiksa keasliannya",
    "melalui halaman verifikasi Pemerintah Kota Samarinda.",
]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _page_stream(page: int, pages: int, subject: str) -> bytes:
    lines = [("PEMERINTAH KOTA SAMARINDA", 14), (subject, 12), ("", 11)]
    lines += [(f"Halaman {page} dari {pages}", 10), ("", 11)]
    lines += [(line, 11) for line in BODY] * (3 if page < pages else 1)
    ops = ["BT", "72 780 Td", "14 TL"]
    for text, size in lines:
        ops.append(f"/F1 {size} Tf ({_escape(text)}) '")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def letter_pdf(pages: int = 2, subject: str = "Perihal: Pemberitahuan layanan daring") -> bytes:
    """An A4 letter of ``pages`` pages; ASCII text so that offsets are predictable."""
    objects: list[bytes] = []
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i in range(pages):
        stream = _page_stream(i + 1, pages, subject)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
