"""Signing with a key on a PKCS#11 token: SoftHSM (Debian ``softhsm2``) in a temporary token
directory, the key and certificate imported from the test PKI."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from signer.keys import KeyLocked, key_from_reference
from signer.keys.pkcs11 import Pkcs11Key
from signer.samples import letter_pdf
from signer.signing import Stamp, sign_pdf
from signer.trust import local_timestamper
from signer.validation import verify_pdf
from tests.conftest import missing_component
from tests.signer_support import PASSPHRASE, city_pki, trust

MODULES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
           "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so")
PIN, SO_PIN, TOKEN = "246810", "13579111", "kota-samarinda"


# Session scope: the SoftHSM library reads SOFTHSM2_CONF once per process, so a second token
# directory made later in the session would never be seen by this process.
@pytest.fixture(scope="session")
def softhsm(tmp_path_factory):
    module = next((m for m in MODULES if os.path.exists(m)), None)
    if module is None or not shutil.which("softhsm2-util"):
        missing_component("SoftHSM: Debian package 'softhsm2' is not installed (scripts/system-deps.sh)")
    try:
        import pkcs11
        from pkcs11 import Attribute, CertificateType, ObjectClass
    except ImportError:
        missing_component("python-pkcs11: install pyHanko's 'pkcs11' extra")
    root = tmp_path_factory.mktemp("softhsm")
    (root / "tokens").mkdir()
    conf = root / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {root / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    saved = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    try:
        subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", SO_PIN],
                       check=True, capture_output=True)
        official = city_pki().official("perencana")
        key, cert, _ = pkcs12.load_key_and_certificates(official.p12.read_bytes(), PASSPHRASE.encode())
        key_pem = root / "key.pem"
        key_pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption()))
        os.chmod(key_pem, 0o600)
        subprocess.run(["softhsm2-util", "--import", str(key_pem), "--token", TOKEN, "--label", "perencana",
                        "--id", "01", "--pin", PIN], check=True, capture_output=True)
        key_pem.unlink()
        token = pkcs11.lib(module).get_token(token_label=TOKEN)
        with token.open(rw=True, user_pin=PIN) as session:
            session.create_object({
                Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True, Attribute.LABEL: "perencana", Attribute.ID: b"\x01",
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER)})
        yield Pkcs11Key(module, TOKEN, "perencana")
    finally:
        if saved is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = saved


def test_sign_with_a_key_on_softhsm(softhsm):
    key = key_from_reference("pkcs11", softhsm.reference())  # what the workflow stores
    with key.unlocked(PIN) as signer:
        signed = sign_pdf(letter_pdf(2), signer, trust=trust(), timestamper=local_timestamper(city_pki()),
                          stamp=Stamp("Siti Rahmawati", "Perencana Ahli Muda", "9/TTE", "http://x/verify/d/9"))
    report = verify_pdf(signed, trust())
    assert report.passed, report.as_json()
    assert report.signatures[0].signer == "Siti Rahmawati" and report.signatures[0].level == "B-LT"


def test_wrong_pin_does_not_open_the_token(softhsm):
    with pytest.raises(KeyLocked):
        with softhsm.unlocked("000000"):
            pass


def test_token_signer_through_the_api(softhsm, make_app):
    from tests.helpers import ApiClient

    refusing = ApiClient(make_app(pki_dir=city_pki().dir))  # no module configured
    admin = refusing.admin()
    user_id = refusing.call("GET", "/api/v1/me", token=admin).json["id"]
    fields = {"user_id": str(user_id), "name": "Siti Rahmawati", "position": "Perencana Ahli Muda", "passphrase": PIN}
    refused = refusing.call("POST", "/api/v1/signers", token=admin, content_type="multipart/form-data",
                            data=fields | {"pkcs11": softhsm.reference().decode()})
    assert refused.status_code == 422 and refused.json["errors"][0]["field"] == "pkcs11"
    http = ApiClient(make_app(pki_dir=city_pki().dir, pkcs11_modules=softhsm.module))
    enrolled = http.call("POST", "/api/v1/signers", token=admin, content_type="multipart/form-data",
                         data={"user_id": str(user_id), "name": "Siti Rahmawati", "position": "Perencana Ahli Muda",
                               "passphrase": PIN, "pkcs11": softhsm.reference().decode()})
    assert enrolled.status_code == 201, enrolled.json
    signed = http.call("POST", "/api/v1/signatures", token=admin, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(letter_pdf(1, subject="HSM")), "s.pdf"), "passphrase": PIN})
    assert signed.status_code == 201, signed.json
    assert verify_pdf(signed.data, trust()).passed
    wrong = http.call("POST", "/api/v1/signatures", token=admin, content_type="multipart/form-data",
                      data={"file": (io.BytesIO(letter_pdf(1, subject="HSM 2")), "s.pdf"), "passphrase": "111111"})
    assert wrong.status_code == 403
