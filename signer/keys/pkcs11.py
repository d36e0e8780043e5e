"""Keys on a PKCS#11 token: an HSM or smart card (SoftHSM in tests).

The reference names the PKCS#11 module, the token label and the key/certificate label, e.g.
``/usr/lib/softhsm/libsofthsm2.so#token=kota#key=walikota``; the user PIN is the secret.
A session is opened for one signing and closed afterwards.
"""

from __future__ import annotations

from contextlib import contextmanager
from urllib.parse import parse_qsl

from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

from signer.keys.api import KeyLocked, SigningKey

__all__ = ["Pkcs11Key"]


class Pkcs11Key(SigningKey):
    kind = "pkcs11"

    def __init__(self, module: str, token_label: str, key_label: str):
        self.module, self.token_label, self.key_label = module, token_label, key_label

    @classmethod
    def from_reference(cls, reference: str) -> "Pkcs11Key":
        module, _, query = reference.partition("#")
        fields = dict(parse_qsl(query.replace("#", "&")))
        if not module or not fields.get("token") or not fields.get("key"):
            raise ValueError("a PKCS#11 reference looks like MODULE#token=LABEL#key=LABEL")
        return cls(module, fields["token"], fields["key"])

    def reference(self) -> bytes:
        return f"{self.module}#token={self.token_label}#key={self.key_label}".encode()

    @contextmanager
    def unlocked(self, secret: bytes | str):
        import pkcs11  # python-pkcs11, pulled in by pyHanko's pkcs11 extra

        pin = secret.decode() if isinstance(secret, bytes) else secret
        try:
            session = open_pkcs11_session(self.module, token_criteria=TokenCriteria(label=self.token_label),
                                          user_pin=pin)
        except (pkcs11.PKCS11Error, OSError, RuntimeError) as error:
            raise KeyLocked() from error
        try:
            # Hash here, sign raw on the token: many tokens (SoftHSM among them) offer CKM_ECDSA but
            # not the hash-then-sign mechanisms.
            signer = PKCS11Signer(session, cert_label=self.key_label, key_label=self.key_label,
                                  use_raw_mechanism=True)
            # Fetch the certificates now, in the thread that opened the session.
            signer.signing_cert, signer.cert_registry  # noqa: B018
            yield signer
        finally:
            session.close()
