"""The interface every key store implements.

A key is locked at rest. :meth:`SigningKey.unlocked` takes the secret (a PKCS#12 passphrase or
a token PIN) for one signing and yields a pyHanko :class:`~pyhanko.sign.signers.Signer`; the
secret is not kept after the block ends. A wrong secret raises :class:`KeyLocked` and nothing
more specific, so callers cannot tell a user *which* secret was wrong.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import AbstractContextManager

from pyhanko.sign.signers import Signer

__all__ = ["SigningKey", "KeyLocked"]


class KeyLocked(Exception):
    """The secret did not unlock the key (or the key store could not be opened)."""


class SigningKey(ABC):
    kind: str

    @abstractmethod
    def unlocked(self, secret: bytes | str) -> AbstractContextManager[Signer]:
        """A context manager yielding a ready signer; raises :class:`KeyLocked`."""

    @abstractmethod
    def reference(self) -> bytes:
        """What the workflow stores to find this key again (never a secret)."""
