"""The city PKI's timestamp authority, answering RFC 3161 requests inside this process.

pyHanko's ``DummyTimeStamper`` builds complete RFC 3161 tokens (TSTInfo with nonce, ESS
signing-certificate, SignedData) but reloads its RSA key from DER for every token and knows only
RSA. This subclass keeps the key loaded and signs with ECDSA or RSA, so the TSA costs well under
a millisecond per token and no network hop, which is what the demo and the tests need. In
production ``SMARTCITY_TSA_URL`` points at a certified provider's TSA instead.
"""

from __future__ import annotations

from datetime import datetime

from asn1crypto import algos, cms, core
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from pyhanko.sign import general
from pyhanko.sign.general import simple_cms_attribute
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

__all__ = ["LocalTimestampAuthority"]


class LocalTimestampAuthority(DummyTimeStamper):
    def __init__(self, tsa_cert: asn1_x509.Certificate, tsa_key, *, certs_to_embed=()):
        # tsa_key: a ``cryptography`` private key, loaded once.
        super().__init__(tsa_cert=tsa_cert, tsa_key=None, certs_to_embed=certs_to_embed)
        self._key = tsa_key

    def _signature_algorithm(self, md_algorithm: str) -> str:
        if isinstance(self._key, ec.EllipticCurvePrivateKey):
            return f"{md_algorithm}_ecdsa"
        return "rsassa_pkcs1v15"

    def _sign_tst_info(self, tst_info_data: bytes, md_algorithm: str, dt: datetime):
        digest = hashes.Hash(getattr(hashes, md_algorithm.upper())())
        digest.update(tst_info_data)
        signed_attrs = cms.CMSAttributes([
            simple_cms_attribute("content_type", "tst_info"),
            simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
            simple_cms_attribute("signing_certificate", general.as_signing_certificate(self.tsa_cert)),
            simple_cms_attribute("message_digest", digest.finalize()),
        ])
        algorithm = getattr(hashes, md_algorithm.upper())()
        if isinstance(self._key, ec.EllipticCurvePrivateKey):
            signature = self._key.sign(signed_attrs.dump(), ec.ECDSA(algorithm))
        elif isinstance(self._key, rsa.RSAPrivateKey):
            signature = self._key.sign(signed_attrs.dump(), padding.PKCS1v15(), algorithm)
        else:
            raise TypeError(f"unsupported TSA key {type(self._key).__name__}")
        return signature, signed_attrs

    def _build_signed_data(self, tst_info_data: bytes, md_algorithm: str, signature: bytes, signed_attrs):
        signed_data = super()._build_signed_data(tst_info_data, md_algorithm, signature, signed_attrs)
        signer_info = signed_data["signer_infos"][0]
        signer_info["signature_algorithm"] = algos.SignedDigestAlgorithm(
            {"algorithm": self._signature_algorithm(md_algorithm)})
        return signed_data
