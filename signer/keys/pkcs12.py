"""Keys in an encrypted PKCS#12 (``.p12``) file.

The file is stored as it is (it is encrypted); the passphrase comes with each signing request.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.sign.signers import SimpleSigner

from signer.keys.api import KeyLocked, SigningKey

__all__ = ["Pkcs12Key"]


class Pkcs12Key(SigningKey):
    kind = "pkcs12"

    def __init__(self, data: bytes):
        self.data = data

    @classmethod
    def from_file(cls, path: Path | str) -> "Pkcs12Key":
        return cls(Path(path).read_bytes())

    def reference(self) -> bytes:
        return self.data

    def certificate(self, secret: bytes | str) -> x509.Certificate:
        try:
            _, cert, _ = pkcs12.load_key_and_certificates(self.data, _bytes(secret))
        except ValueError:
            raise KeyLocked() from None
        return cert

    @contextmanager
    def unlocked(self, secret: bytes | str):
        try:
            signer = SimpleSigner.load_pkcs12_data(self.data, other_certs=(), passphrase=_bytes(secret))
        except ValueError:
            raise KeyLocked() from None
        yield signer


def _bytes(secret: bytes | str) -> bytes:
    return secret.encode() if isinstance(secret, str) else secret
