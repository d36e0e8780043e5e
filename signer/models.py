"""Tables of the signing workflow and the audit trail.

Their own declarative base and Alembic history (``alembic_version_signer``): the signer shares
the database with the marketplace but not its release cycle, and ``signer`` imports nothing of
ours. Accounts are referred to by the platform's user id (a plain integer, no foreign key into
another package's schema). Constraint names follow the same convention as the other schemas.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, MetaData, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

__all__ = ["SignerBase", "SignerAccount", "SigningDocument", "SigningStep", "DocumentVersion", "AuditEntry",
           "AuditHead", "UTCDateTime"]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on SQLite (which forgets the zone) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


class SignerBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SignerAccount(SignerBase):
    """A city account that may sign, with its key (encrypted PKCS#12 bytes, or a token reference)."""

    __tablename__ = "signer_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200))
    key_kind: Mapped[str] = mapped_column(String(10))
    key_reference: Mapped[bytes] = mapped_column(LargeBinary)
    certificate_sha256: Mapped[str] = mapped_column(String(64))
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SigningDocument(SignerBase):
    __tablename__ = "signer_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))  # in_progress | completed
    original_sha256: Mapped[str] = mapped_column(String(64))
    current_sha256: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    steps: Mapped[list["SigningStep"]] = relationship(order_by="SigningStep.position", back_populates="document")


class SigningStep(SignerBase):
    __tablename__ = "signer_steps"
    __table_args__ = (UniqueConstraint("document_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("signer_documents.id"))
    position: Mapped[int] = mapped_column(Integer)
    account_id: Mapped[int] = mapped_column(ForeignKey("signer_accounts.id"))
    kind: Mapped[str] = mapped_column(String(10))  # paraf | sign
    status: Mapped[str] = mapped_column(String(10))  # pending | signed
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)

    document: Mapped[SigningDocument] = relationship(back_populates="steps")
    account: Mapped[SignerAccount] = relationship()


class DocumentVersion(SignerBase):
    """Every file the city issued for a document (version 0 is the unsigned original), by SHA-256."""

    __tablename__ = "signer_versions"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("signer_documents.id"))
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    document: Mapped[SigningDocument] = relationship()


class AuditEntry(SignerBase):
    """One link of the hash chain: ``hash = SHA-256(prev_hash || canonical JSON of the entry)``."""

    __tablename__ = "signer_audit"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    event: Mapped[str] = mapped_column(String(40))
    document: Mapped[str | None] = mapped_column(String(32), nullable=True)
    actor: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(SignerBase):
    """The chain's head in one row; appenders lock it, so two appends never fork the chain."""

    __tablename__ = "signer_audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
