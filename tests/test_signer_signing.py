"""Signing and verifying PDFs: our own verdict, poppler's pdfsig as an outside validator, the
PAdES levels, paraf, and the `smartcity sign` / `smartcity verify` / `init-pki` commands."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from api.cli import main
from signer.keys.pkcs12 import Pkcs12Key
from signer.signing import Level, SigningPolicy, check_certificate
from signer.errors import SigningRefused
from signer.samples import letter_pdf
from signer.validation import TOTAL_PASSED, verify_pdf
from tests.conftest import missing_component
from tests.signer_support import PASSPHRASE, pdfsig, pdfsig_nssdir, sign_as, city_pki, trust


def test_signed_letter_passes_our_validation():
    signed = sign_as(letter_pdf(2), "walikota")
    report = verify_pdf(signed, trust())
    assert report.passed and report.indication == TOTAL_PASSED
    (sig,) = report.signatures
    assert (sig.signer, sig.position, sig.level) == ("Andi Harun", "Wali Kota Samarinda", "B-T")
    assert sig.timestamp_time is not None and sig.signing_time is not None
    assert sig.coverage == "ENTIRE_FILE" and sig.modification_level == "NONE"
    assert sig.certified_provider is False  # the city test PKI is not a certified provider


def test_pdfsig_says_valid_and_trusted(tmp_path):
    if not shutil.which("pdfsig"):
        missing_component("pdfsig: Debian package 'poppler-utils' is not installed (scripts/system-deps.sh)")
    nss = pdfsig_nssdir(tmp_path)
    if nss is None:
        missing_component("certutil: Debian package 'libnss3-tools' is not installed (scripts/system-deps.sh)")
    path = tmp_path / "signed.pdf"
    path.write_bytes(sign_as(letter_pdf(2), "walikota"))
    (untrusting,) = pdfsig(path, pdfsig_nssdir(tmp_path, with_root=False))
    assert untrusting["Signature Validation"] == "Signature is Valid."
    assert untrusting["Certificate Validation"] != "Certificate is Trusted."  # no root in its store yet
    (sig,) = pdfsig(path, nss)
    assert sig["Signature Validation"] == "Signature is Valid."
    assert sig["Certificate Validation"] == "Certificate is Trusted."
    assert sig["Signer Certificate Common Name"] == "Andi Harun"
    assert sig["Signature Type"] == "ETSI.CAdES.detached"  # PAdES
    # a flipped byte is caught by pdfsig too
    data = bytearray(path.read_bytes())
    data[data.index(b"Dengan hormat")] ^= 0x01
    path.write_bytes(bytes(data))
    (bad,) = pdfsig(path, nss)
    assert bad["Signature Validation"] != "Signature is Valid."


def test_levels_lt_and_lta_embed_revocation_data():
    pki = city_pki()
    with Pkcs12Key.from_file(pki.official("sekda").p12).unlocked(PASSPHRASE) as signer:
        from signer.signing import sign_pdf
        from signer.trust import local_timestamper

        lt = sign_pdf(letter_pdf(1), signer, trust=trust(), timestamper=local_timestamper(pki))
        lta = sign_pdf(letter_pdf(1), signer, trust=trust(), timestamper=local_timestamper(pki),
                       policy=SigningPolicy(level=Level.B_LTA))
    assert [s.level for s in verify_pdf(lt, trust()).signatures] == ["B-LT"]  # CRL at hand: B-LT by default
    report = verify_pdf(lta, trust())
    assert report.passed and [s.level for s in report.signatures] == ["B-LTA"]


def test_paraf_paraf_head_on_prepared_fields_all_pass():
    from signer.signing import prepare_fields

    pdf = prepare_fields(letter_pdf(2), [("Langkah1", False), ("Langkah2", False), ("Langkah3", True)])
    pdf = sign_field(pdf, "kabag-hukum", "Langkah1", SigningPolicy(visible=False, certify=True))
    pdf = sign_field(pdf, "perencana", "Langkah2", SigningPolicy(visible=False))
    pdf = sign_field(pdf, "walikota", "Langkah3", SigningPolicy(lock=True))
    report = verify_pdf(pdf, trust())
    assert report.passed, report.as_json()
    assert [s.kind for s in report.signatures] == ["certification", "approval", "approval"]
    assert [s.signer for s in report.signatures] == ["Ari Pamungkas", "Siti Rahmawati", "Andi Harun"]
    assert [s.modification_level for s in report.signatures] == ["FORM_FILLING", "FORM_FILLING", "LTA_UPDATES"]  # B-LT: the DSS follows


def sign_field(pdf, slug, field, policy):
    from signer.signing import Stamp, sign_pdf
    from signer.trust import local_timestamper

    official = city_pki().official(slug)
    with Pkcs12Key.from_file(official.p12).unlocked(PASSPHRASE) as signer:
        return sign_pdf(pdf, signer, trust=trust(), timestamper=local_timestamper(city_pki()), policy=policy,
                        field_name=field, stamp=Stamp(official.name, official.position, "7/TTE", "http://x/verify/d/1"))


def test_signing_refuses_revoked_expired_and_foreign_certificates():
    from tests.signer_support import foreign_pki

    for pki, slug in ((city_pki(), "dicabut"), (city_pki(), "kedaluwarsa"), (foreign_pki(), "palsu")):
        with Pkcs12Key.from_file(pki.official(slug).p12).unlocked(PASSPHRASE) as signer:
            with pytest.raises(SigningRefused):
                check_certificate(signer, trust())


def test_cli_init_pki_sign_verify(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTCITY_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("SMARTCITY_PKI_DIR", raising=False)
    monkeypatch.setenv("SMARTCITY_KEY_PASSPHRASE", "demo-pass")
    runner = CliRunner()
    result = runner.invoke(main, ["signer", "init-pki"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "var" / "pki" / "root.pem").is_file()
    again = runner.invoke(main, ["signer", "init-pki"])
    assert again.exit_code != 0 and "already holds a PKI" in again.output
    (tmp_path / "in.pdf").write_bytes(letter_pdf(2))
    key = tmp_path / "var" / "pki" / "officials" / "sekda.p12"
    out = tmp_path / "out.pdf"
    result = runner.invoke(main, ["sign", str(tmp_path / "in.pdf"), "-o", str(out), "--key", str(key)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["verify", str(out), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["passed"] and report["signatures"][0]["level"] == "B-LT"
    assert runner.invoke(main, ["verify", str(tmp_path / "in.pdf")]).exit_code == 1  # no signature
    # the passphrase from standard input instead; a wrong one is refused without a traceback
    monkeypatch.delenv("SMARTCITY_KEY_PASSPHRASE")
    result = runner.invoke(main, ["sign", str(tmp_path / "in.pdf"), "-o", str(out), "--key", str(key)],
                           input="salah\n")
    assert result.exit_code == 1 and "could not be opened" in result.output
    result = runner.invoke(main, ["sign", str(tmp_path / "in.pdf"), "-o", str(tmp_path / "o2.pdf"), "--key", str(key),
                                  "--paraf"], input="demo-pass\n")
    assert result.exit_code == 0, result.output


def test_reserved_room_is_measured_once_then_reused_and_remeasured_when_too_small():
    """The first signature with a key measures its container; later ones reserve that plus a
    margin instead of making a dummy signature; a reservation too small to hold the real one
    (a new TSA certificate, say) is signed again with pyHanko's estimate and measured anew."""
    import io

    from asn1crypto import cms
    from pyhanko.pdf_utils.reader import PdfFileReader

    from signer.reservation import SignatureSizes, container_size
    from signer.signing import Stamp, sign_pdf
    from signer.trust import local_timestamper

    pki = city_pki()
    timestamper = local_timestamper(pki)
    sizes = SignatureSizes()
    stamp = Stamp("Andi Harun", "Wali Kota Samarinda", "001/TTE-SMD/2026", "http://localhost:8000/verify/d/x")

    def sign(n: int) -> bytes:
        with Pkcs12Key.from_file(pki.official("walikota").p12).unlocked(PASSPHRASE) as signer:
            key = (signer.signing_cert.sha256, Level.B_T, id(timestamper))
            signed = sign_pdf(letter_pdf(2, subject=f"Perihal {n}"), signer, trust=trust(), timestamper=timestamper,
                              policy=SigningPolicy(level=Level.B_T), stamp=stamp, sizes=sizes)
        return signed, key

    def placeholder_and_real(signed: bytes) -> tuple[int, int]:
        sig = PdfFileReader(io.BytesIO(signed)).embedded_regular_signatures[-1]
        raw = bytes(sig.sig_object["/Contents"])
        return len(raw), len(cms.ContentInfo.load(raw, strict=False).dump())

    first, key = sign(1)
    placeholder, real = placeholder_and_real(first)
    assert container_size(first) == real
    assert sizes.reserve(key) == 2 * (real + 1024)
    assert placeholder >= real * 1.4  # pyHanko's own estimate: +50 %

    second, _ = sign(2)
    placeholder, real = placeholder_and_real(second)
    assert placeholder == container_size(first) + 1024 and real <= placeholder
    assert verify_pdf(second, trust()).passed

    sizes._sizes[key] = 100  # as if the container had grown past what was measured
    third, _ = sign(3)
    assert verify_pdf(third, trust()).passed
    assert sizes.reserve(key) == 2 * (container_size(third) + 1024)


def test_pdfsig_accepts_a_signature_in_reserved_room(tmp_path):
    if not shutil.which("pdfsig"):
        missing_component("pdfsig: Debian package 'poppler-utils' is not installed (scripts/system-deps.sh)")
    from signer.reservation import SignatureSizes
    from signer.signing import Stamp, sign_pdf
    from signer.trust import local_timestamper

    pki, sizes = city_pki(), SignatureSizes()
    timestamper = local_timestamper(pki)
    stamp = Stamp("Andi Harun", "Wali Kota Samarinda", "001/TTE-SMD/2026", "http://localhost:8000/verify/d/x")
    for n in (1, 2):  # the second signature uses the room the first one measured
        with Pkcs12Key.from_file(pki.official("walikota").p12).unlocked(PASSPHRASE) as signer:
            signed = sign_pdf(letter_pdf(2, subject=f"Perihal {n}"), signer, trust=trust(), timestamper=timestamper,
                              policy=SigningPolicy(level=Level.B_T), stamp=stamp, sizes=sizes)
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    (sig,) = pdfsig(path, pdfsig_nssdir(tmp_path))
    assert sig["Signature Validation"] == "Signature is Valid."
