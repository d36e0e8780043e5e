"""Where signing keys live: one interface (:mod:`signer.keys.api`) and one module per kind of
key store, the way pyHanko keeps one module per timestamp client.

- :mod:`signer.keys.pkcs12`: an encrypted PKCS#12 file, unlocked by a passphrase given with each
  signing request and never stored;
- :mod:`signer.keys.pkcs11`: a key on a PKCS#11 token (an HSM, a smart card; SoftHSM in tests),
  unlocked by the token's user PIN.
"""

from signer.keys.api import KeyLocked, SigningKey

__all__ = ["SigningKey", "KeyLocked", "key_from_reference"]


def key_from_reference(kind: str, reference: bytes | str) -> SigningKey:
    """Rebuild a key from what the workflow stores for a signer (its kind and reference)."""
    if kind == "pkcs12":
        from signer.keys.pkcs12 import Pkcs12Key

        return Pkcs12Key(reference if isinstance(reference, bytes) else reference.encode())
    if kind == "pkcs11":
        from signer.keys.pkcs11 import Pkcs11Key

        return Pkcs11Key.from_reference(reference.decode() if isinstance(reference, bytes) else reference)
    raise ValueError(f"unknown key kind {kind!r}")
