"""Password hashing with Argon2id (argon2-cffi), with rehash when parameters change."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["hash_password", "verify_password", "use_hasher"]

_hasher = PasswordHasher()
# Verified when the email is unknown, so that a login for a missing account takes as long as
# one with a wrong password and does not reveal which emails are registered.
_dummy_hash = _hasher.hash("not a real password")


def use_hasher(hasher: PasswordHasher) -> None:
    """Swap the Argon2 parameters (the tests use a cheap profile to stay fast)."""
    global _hasher, _dummy_hash
    _hasher = hasher
    _dummy_hash = hasher.hash("not a real password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> tuple[bool, str | None]:
    """Return (ok, new_hash): new_hash is set when the stored hash should be upgraded."""
    try:
        _hasher.verify(password_hash or _dummy_hash, password)
    except (VerificationError, InvalidHashError):
        return False, None
    if password_hash is None:
        return False, None
    if _hasher.check_needs_rehash(password_hash):
        return True, _hasher.hash(password)
    return True, None
