"""The city-internal test PKI: a root CA, demo officials' signing keys, a timestamp authority
and a CRL, all in one directory.

Under PP 71/2019 only keys from a certified provider (BSrE for civil servants) make a
*certified* electronic signature. This PKI exists so that the demo and the test suite can sign
and verify end to end without a network; everything it issues is labelled uncertified by
:mod:`signer.validation`. It is built with ``cryptography`` in-process.

Layout of the directory (``pki.json`` is the manifest that :class:`CityPki` reads)::

    root.pem  root.key.pem  crl.pem  tsa.pem  tsa.key.pem  officials/<slug>.p12  pki.json

The root and official keys are encrypted with the passphrase when one is given
(``SMARTCITY_KEY_PASSPHRASE``); the TSA key is not, because the in-process timestamp authority
must answer without a person present (file mode 0600).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["CityPki", "Official", "DEMO_OFFICIALS", "init_pki", "CRL_URL"]

# Named in certificates so that validators know where revocation data lives; ``.invalid`` never
# resolves, and our own validation never fetches anything anyway (the CRL is read from disk).
CRL_URL = "http://pki.samarinda.invalid/crl/root.crl"
ORG = "Pemerintah Kota Samarinda (uji, tidak tersertifikasi)"

DEMO_OFFICIALS = (
    ("walikota", "Andi Harun", "Wali Kota Samarinda"),
    ("sekda", "Hero Mardanus", "Sekretaris Daerah"),
    ("kabag-hukum", "Ari Pamungkas", "Kepala Bagian Hukum"),
    ("perencana", "Siti Rahmawati", "Perencana Ahli Muda"),
)


@dataclass(frozen=True)
class Official:
    slug: str
    name: str
    position: str
    p12: Path
    serial: int


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _key() -> ec.EllipticCurvePrivateKey:
    # ECDSA P-256: accepted by pyHanko, poppler/NSS and Adobe Reader; loading and signing are far
    # cheaper than RSA-2048, whose key loading alone (with its consistency checks) costs ~35 ms.
    return ec.generate_private_key(ec.SECP256R1())


def _encryption(passphrase: bytes | None):
    if passphrase:
        return serialization.BestAvailableEncryption(passphrase)
    return serialization.NoEncryption()


def _write(path: Path, data: bytes, *, secret: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if secret:
        os.chmod(path, 0o600)


class CityPki:
    """A PKI directory made by :func:`init_pki`: load it, issue and revoke certificates."""

    def __init__(self, directory: Path):
        self.dir = Path(directory)
        self.manifest = json.loads((self.dir / "pki.json").read_text())

    @classmethod
    def exists(cls, directory: Path) -> bool:
        return (Path(directory) / "pki.json").is_file()

    # -- reading -------------------------------------------------------------------------------

    @property
    def root_pem(self) -> bytes:
        return (self.dir / "root.pem").read_bytes()

    @property
    def root(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.root_pem)

    @property
    def crl_pem(self) -> bytes:
        return (self.dir / "crl.pem").read_bytes()

    @property
    def tsa_cert(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate((self.dir / "tsa.pem").read_bytes())

    @property
    def tsa_key(self):
        return serialization.load_pem_private_key((self.dir / "tsa.key.pem").read_bytes(), None)

    def officials(self) -> list[Official]:
        return [self.official(slug) for slug in self.manifest["officials"]]

    def official(self, slug: str) -> Official:
        entry = self.manifest["officials"][slug]
        return Official(slug, entry["name"], entry["position"], self.dir / entry["p12"], entry["serial"])

    def _root_key(self, passphrase: bytes | None):
        return serialization.load_pem_private_key((self.dir / "root.key.pem").read_bytes(),
                                                  passphrase if self.manifest["encrypted"] else None)

    def _save(self) -> None:
        _write(self.dir / "pki.json", json.dumps(self.manifest, indent=2).encode())

    # -- issuing -------------------------------------------------------------------------------

    def issue(self, slug: str, name: str, position: str, *, passphrase: bytes | None,
              not_before: datetime | None = None, not_after: datetime | None = None) -> Official:
        """A signing certificate and key for an official, as an encrypted PKCS#12 file."""
        now = _now()
        key = _key()
        subject = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORG),
            x509.NameAttribute(NameOID.TITLE, position),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ])
        cert = (
            _builder(subject, self.root.subject, key.public_key(),
                     not_before or now - timedelta(minutes=5), not_after or now + timedelta(days=730))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(signing=True), critical=True)
            .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                [x509.UniformResourceIdentifier(CRL_URL)], None, None, None)]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.root.public_key()), critical=False)
            .sign(self._root_key(passphrase), hashes.SHA256())
        )
        p12 = pkcs12.serialize_key_and_certificates(
            slug.encode(), key, cert, [self.root], _encryption(passphrase))
        rel = f"officials/{slug}.p12"
        _write(self.dir / rel, p12, secret=True)
        self.manifest["officials"][slug] = {"name": name, "position": position, "p12": rel,
                                            "serial": cert.serial_number}
        self._save()
        return self.official(slug)

    def revoke(self, slug: str, *, passphrase: bytes | None, when: datetime | None = None) -> None:
        """Put an official's certificate on the CRL (keyCompromise) and re-sign the CRL."""
        entry = self.manifest["officials"][slug]
        self.manifest["revoked"][str(entry["serial"])] = (when or _now()).isoformat()
        self._save()
        self.write_crl(passphrase)

    def write_crl(self, passphrase: bytes | None) -> None:
        now = _now()
        builder = (x509.CertificateRevocationListBuilder()
                   .issuer_name(self.root.subject)
                   .last_update(now - timedelta(minutes=5))
                   .next_update(now + timedelta(days=7))
                   .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False))
        for serial, when in self.manifest["revoked"].items():
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(int(serial))
                .revocation_date(datetime.fromisoformat(when))
                .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
                .build())
        crl = builder.sign(self._root_key(passphrase), hashes.SHA256())
        _write(self.dir / "crl.pem", crl.public_bytes(serialization.Encoding.PEM))


def _builder(subject, issuer, public_key, not_before, not_after) -> x509.CertificateBuilder:
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
            .serial_number(x509.random_serial_number()).not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False))


def _key_usage(*, signing: bool = False, ca: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=signing, content_commitment=signing, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                         encipher_only=False, decipher_only=False)


def init_pki(directory: Path, *, passphrase: bytes | None = None, officials=DEMO_OFFICIALS,
             common_name: str = "Samarinda City Test Root CA") -> CityPki:
    """Create a fresh PKI in ``directory`` (refuses to overwrite an existing one)."""
    directory = Path(directory)
    if CityPki.exists(directory):
        raise FileExistsError(f"{directory} already holds a PKI (pki.json); remove it first")
    directory.mkdir(parents=True, exist_ok=True)
    now = _now()
    root_key = _key()
    root_name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                           x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORG),
                           x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    root = (_builder(root_name, root_name, root_key.public_key(), now - timedelta(days=1), now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(ca=True), critical=True)
            .sign(root_key, hashes.SHA256()))
    _write(directory / "root.pem", root.public_bytes(serialization.Encoding.PEM))
    _write(directory / "root.key.pem", root_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, _encryption(passphrase)), secret=True)

    tsa_key = _key()
    tsa = (_builder(x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORG),
                               x509.NameAttribute(NameOID.COMMON_NAME, "Samarinda City Test TSA")]),
                    root_name, tsa_key.public_key(), now - timedelta(days=1), now + timedelta(days=3650))
           .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
           .add_extension(_key_usage(signing=True), critical=True)
           .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
           .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
               [x509.UniformResourceIdentifier(CRL_URL)], None, None, None)]), critical=False)
           .sign(root_key, hashes.SHA256()))
    _write(directory / "tsa.pem", tsa.public_bytes(serialization.Encoding.PEM))
    _write(directory / "tsa.key.pem", tsa_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()), secret=True)

    _write(directory / "pki.json", json.dumps({
        "encrypted": bool(passphrase), "officials": {}, "revoked": {}, "created": now.isoformat(),
    }).encode())
    pki = CityPki(directory)
    pki.write_crl(passphrase)
    for slug, name, position in officials:
        pki.issue(slug, name, position, passphrase=passphrase)
    return pki
