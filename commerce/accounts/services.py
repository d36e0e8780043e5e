"""Account use cases: register, log in with a token, resolve a token, log out."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import NamedTuple

from sqlalchemy import select

from commerce.accounts.models import AccessToken, User
from commerce.accounts.passwords import hash_password, verify_password
from commerce.db import utcnow
from commerce.errors import Conflict, FieldError, InvalidInput, NotAuthenticated, NotFound
from commerce.unit_of_work import UnitOfWork, write_transaction

__all__ = [
    "IssuedToken",
    "register",
    "issue_token",
    "user_for_token",
    "revoke_token",
    "create_admin",
    "MIN_PASSWORD_LENGTH",
]

MIN_PASSWORD_LENGTH = 10
DEFAULT_TOKEN_TTL = timedelta(days=7)


class IssuedToken(NamedTuple):
    access_token: str
    expires_in: int
    user: User


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _normal_email(email: str) -> str:
    return email.strip().lower()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput.field(
            "password", f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter."
        )


@write_transaction
def register(uow: UnitOfWork, *, email: str, password: str, name: str, roles=("shopper",)) -> User:
    email = _normal_email(email)
    _check_password(password)
    name = name.strip()
    if not name:
        raise InvalidInput.field("name", "Nama wajib diisi.")
    if uow.session.scalar(select(User.id).where(User.email == email)) is not None:
        msg = "Email ini sudah terdaftar."
        raise Conflict(msg, errors=[FieldError("email", msg)])
    user = User(email=email, name=name, password_hash=hash_password(password))
    for role in roles:
        user.grant(role)
    uow.session.add(user)
    uow.commit()
    return user


@write_transaction
def create_admin(uow: UnitOfWork, *, email: str, password: str, name: str = "Admin") -> User:
    """Create an admin, or make an existing account an admin (its password is reset)."""
    email = _normal_email(email)
    _check_password(password)
    user = uow.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, password_hash=hash_password(password))
        uow.session.add(user)
    else:
        user.password_hash = hash_password(password)
    user.grant("shopper")
    user.grant("admin")
    uow.commit()
    return user


@write_transaction
def issue_token(
    uow: UnitOfWork, *, email: str, password: str, ttl: timedelta = DEFAULT_TOKEN_TTL
) -> IssuedToken:
    user = uow.session.scalar(select(User).where(User.email == _normal_email(email)))
    ok, new_hash = verify_password(user.password_hash if user else None, password)
    if not ok or user is None:
        # One message for both cases: the answer must not tell whether the email exists.
        raise NotAuthenticated("Email atau kata sandi salah.")
    if new_hash:
        user.password_hash = new_hash
    token = secrets.token_urlsafe(32)
    now = utcnow()
    uow.session.add(
        AccessToken(user=user, token_hash=_hash_token(token), created_at=now, expires_at=now + ttl)
    )
    uow.commit()
    return IssuedToken(token, int(ttl.total_seconds()), user)


def user_for_token(uow: UnitOfWork, token: str) -> User:
    row = uow.session.scalar(select(AccessToken).where(AccessToken.token_hash == _hash_token(token)))
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        raise NotAuthenticated("Token tidak valid atau sudah kedaluwarsa; silakan masuk lagi.")
    return row.user


@write_transaction
def revoke_token(uow: UnitOfWork, token: str) -> None:
    row = uow.session.scalar(select(AccessToken).where(AccessToken.token_hash == _hash_token(token)))
    if row is None or row.revoked_at is not None:
        raise NotFound("Token tidak dikenal.")
    row.revoked_at = utcnow()
    uow.commit()
