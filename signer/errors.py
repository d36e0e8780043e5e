"""Errors of the signing domain. The API maps them to RFC 9457 problems; their messages are
for the person who made the request, in Bahasa Indonesia.

Refusals to sign deliberately say nothing about *which* check failed among the secrets (the
account's password, the key passphrase, a TOTP code): ``cause`` is for the audit log only.
"""

from __future__ import annotations

__all__ = ["SignerError", "Conflict", "NotAPdf", "SigningRefused", "NotYourTurn", "DocumentNotFound", "WorkflowError",
           "PkiMissing"]


class SignerError(Exception):
    title = "Permintaan tanda tangan tidak dapat diproses"
    status = 400

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class NotAPdf(SignerError):
    title = "Berkas bukan PDF"
    status = 422


class SigningRefused(SignerError):
    """The signer could not be authenticated or their certificate is not usable."""

    title = "Penandatanganan ditolak"
    status = 403

    def __init__(self, detail: str = "Penandatanganan ditolak: akun, frasa sandi kunci atau kode "
                                     "verifikasi tidak cocok.", *, cause: str = "secret"):
        super().__init__(detail)
        self.cause = cause


class NotYourTurn(SignerError):
    title = "Belum giliran Anda"
    status = 409


class Conflict(SignerError):
    title = "Konflik dengan data yang ada"
    status = 409


class WorkflowError(SignerError):
    title = "Alur tanda tangan tidak valid"
    status = 422


class DocumentNotFound(SignerError):
    title = "Dokumen tidak ditemukan"
    status = 404


class PkiMissing(SignerError):
    title = "PKI belum disiapkan"
    status = 503
