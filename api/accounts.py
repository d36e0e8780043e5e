"""Accounts: register, log in for a bearer token, log out, who am I."""

from __future__ import annotations

from datetime import timedelta

from flask import jsonify, make_response
from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel, EmailStr, Field

from api import context, sessions
from api.extensions import auth_limit, limiter
from api.schemas import Body, text
from api.serializers import user_json
from commerce.accounts import services as accounts
from commerce.accounts.services import MIN_PASSWORD_LENGTH
from commerce.errors import NotAuthenticated
from commerce.stores.services import stores_of

bp = APIBlueprint("accounts", __name__, url_prefix="/api/v1", abp_tags=[Tag(name="akun", description="Akun dan token")])
BEARER = [{"bearer": []}]


class RegisterIn(Body):
    email: EmailStr = Field(max_length=254)
    password: text(1024, min_length=MIN_PASSWORD_LENGTH)
    name: text(120, min_length=1)


class TokenIn(Body):
    email: text(254, min_length=1)
    password: text(1024, min_length=1)


class UserOut(BaseModel):
    id: int
    email: str
    name: str
    roles: list[str]


class StoreRef(BaseModel):
    id: int
    slug: str
    name: str
    status: str


class MeOut(UserOut):
    stores: list[StoreRef]


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int


@bp.post("/auth/register", responses={201: UserOut}, summary="Daftar akun baru")
@limiter.shared_limit(auth_limit, scope="auth")
def register(body: RegisterIn):
    user = accounts.register(context.uow(), email=body.email, password=body.password, name=body.name)
    return user_json(user), 201


@bp.post("/auth/token", responses={200: TokenOut}, summary="Masuk: tukar email dan kata sandi dengan token")
@limiter.shared_limit(auth_limit, scope="auth")
def token(body: TokenIn):
    ttl = timedelta(hours=context.settings().token_ttl_hours)
    issued = accounts.issue_token(context.uow(), email=body.email, password=body.password, ttl=ttl)
    return {"access_token": issued.access_token, "token_type": "Bearer", "expires_in": issued.expires_in}


class SessionOut(MeOut):
    csrf_token: str = Field(description="Kirim di header X-CSRF-Token pada setiap permintaan yang mengubah data")
    expires_in: int | None = None


def _session_answer(user, token: str) -> dict:
    stores = [{"id": s.id, "slug": s.slug, "name": s.name, "status": s.status} for s in stores_of(context.uow(), user)]
    return user_json(user) | {"stores": stores, "csrf_token": sessions.csrf_token(token)}


@bp.post("/auth/session", responses={200: SessionOut}, summary="Masuk ke dasbor (sesi cookie HttpOnly)",
         description="Untuk aplikasi peramban: token akses disimpan di cookie HttpOnly, Secure, SameSite=Strict; "
                     "setiap permintaan yang mengubah data wajib membawa X-CSRF-Token dari jawaban ini.")
@limiter.shared_limit(auth_limit, scope="auth")
def open_session(body: TokenIn):
    ttl = timedelta(hours=context.settings().session_ttl_hours)
    issued = accounts.issue_token(context.uow(), email=body.email, password=body.password, ttl=ttl)
    response = jsonify(_session_answer(issued.user, issued.access_token) | {"expires_in": issued.expires_in})
    return sessions.set_session_cookie(response, issued.access_token, issued.expires_in)


@bp.get("/auth/session", responses={200: SessionOut}, summary="Sesi dasbor yang sedang berjalan")
def read_session():
    token = sessions.session_token()
    user = context.optional_user() if token and not context.bearer_token() else None
    if user is None:
        raise NotAuthenticated("Belum masuk, atau sesi sudah berakhir.")
    return _session_answer(user, token)


@bp.delete("/auth/session", responses={204: None}, summary="Keluar dari dasbor")
def close_session():
    token = sessions.session_token()
    if token and not context.bearer_token() and context.optional_user() is not None:
        accounts.revoke_token(context.uow(), token)
    return sessions.clear_session_cookie(make_response("", 204))


@bp.post("/auth/logout", responses={204: None}, security=BEARER, summary="Keluar: cabut token ini")
def logout():
    context.current_user()
    accounts.revoke_token(context.uow(), context.bearer_token())
    return "", 204


@bp.get("/me", responses={200: MeOut}, security=BEARER, summary="Akun yang sedang masuk")
def me():
    user = context.current_user()
    stores = [{"id": s.id, "slug": s.slug, "name": s.name, "status": s.status} for s in stores_of(context.uow(), user)]
    return user_json(user) | {"stores": stores}
