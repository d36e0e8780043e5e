"""Which roots the city trusts, where revocation data comes from, and which timestamp
authority signs: one :class:`TrustPolicy` object instead of flags passed around.

Validation never fetches a URL named inside a document (``allow_fetching=False``): it uses the
revocation data embedded in the PDF (DSS, for B-LT/B-LTA) and the CRLs configured here. Roots of
a certified provider (BSrE for civil servants, under PP 71/2019) go in ``certified_roots``;
a signature that chains only to another trusted root is reported as *uncertified*.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko_certvalidator import ValidationContext

from signer.pki import CityPki
from signer.tsa import LocalTimestampAuthority

__all__ = ["TrustPolicy", "load_certificates", "local_timestamper", "http_timestamper"]


def load_certificates(data: bytes) -> list[asn1_x509.Certificate]:
    """Every certificate in a PEM bundle or a single DER certificate."""
    if pem.detect(data):
        return [asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
    return [asn1_x509.Certificate.load(data)]


def _crls(data: bytes) -> list[asn1_crl.CertificateList]:
    if pem.detect(data):
        return [asn1_crl.CertificateList.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
    return [asn1_crl.CertificateList.load(data)]


@dataclass(frozen=True)
class TrustPolicy:
    roots: tuple = ()
    crls: tuple = ()
    certified_roots: tuple = ()
    # "hard-fail": a certificate that names revocation data must have it at hand (here: the
    # configured CRLs or the document's DSS), else the chain is not trusted.
    revocation_mode: str = "hard-fail"

    @classmethod
    def from_files(cls, root_files=(), crl_files=(), certified_root_files=()) -> "TrustPolicy":
        roots = [c for f in root_files for c in load_certificates(Path(f).read_bytes())]
        crls = [c for f in crl_files for c in _crls(Path(f).read_bytes())]
        certified = [c for f in certified_root_files for c in load_certificates(Path(f).read_bytes())]
        return cls(roots=tuple(roots + certified), crls=tuple(crls), certified_roots=tuple(certified))

    @classmethod
    def from_pki(cls, pki: CityPki, **more) -> "TrustPolicy":
        return cls.from_files([pki.dir / "root.pem"], [pki.dir / "crl.pem"]).merged(**more)

    def merged(self, *, roots=(), crls=(), certified_roots=()) -> "TrustPolicy":
        return TrustPolicy(roots=self.roots + tuple(roots) + tuple(certified_roots), crls=self.crls + tuple(crls),
                           certified_roots=self.certified_roots + tuple(certified_roots),
                           revocation_mode=self.revocation_mode)

    def validation_context(self, *, at: datetime | None = None, other_certs=()) -> ValidationContext:
        return ValidationContext(trust_roots=list(self.roots), crls=list(self.crls), other_certs=list(other_certs),
                                 allow_fetching=False, revocation_mode=self.revocation_mode, moment=at)

    def is_certified(self, root: asn1_x509.Certificate | None) -> bool:
        return root is not None and any(root.sha256 == r.sha256 for r in self.certified_roots)


def local_timestamper(pki: CityPki) -> TimeStamper:
    """The PKI's timestamp authority, answering in this process (see :mod:`signer.tsa`)."""
    cert = asn1_x509.Certificate.load(pki.tsa_cert.public_bytes(serialization.Encoding.DER))
    root = asn1_x509.Certificate.load(pki.root.public_bytes(serialization.Encoding.DER))
    return LocalTimestampAuthority(cert, pki.tsa_key, certs_to_embed=[root])


def http_timestamper(url: str) -> TimeStamper:
    """An external RFC 3161 TSA (e.g. a certified provider's) over HTTP."""
    return HTTPTimeStamper(url, timeout=10)
