"""The hash-chained audit trail of signings, refusals and verifications of city documents.

Each entry's hash covers the previous entry's hash and a canonical JSON of its own fields, so
editing an entry breaks its hash, deleting or reordering breaks the chain (and the sequence),
and the head hash, printed by ``smartcity signer audit verify``, can be anchored elsewhere
(a letter, another system) to catch truncation of the newest entries as well.

Appends lock the single head row, so concurrent appenders queue instead of forking the chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update

from signer.models import AuditEntry, AuditHead
from signer.ports import Clock, UnitOfWork

__all__ = ["append", "verify_chain", "ChainCheck", "GENESIS"]

GENESIS = "0" * 64


def _digest(prev_hash: str, seq: int, at: datetime, event: str, document: str | None, actor: str,
            details: dict) -> str:
    body = json.dumps({"seq": seq, "at": at.isoformat(timespec="microseconds"), "event": event,
                       "document": document, "actor": actor, "details": details},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(prev_hash.encode() + body.encode()).hexdigest()


# Built once: the statements of an append are the same every time, only the values change.
_HEAD = select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()
_NEW_HEAD = insert(AuditHead).values(id=1, seq=0, hash=GENESIS)
_ENTRY = insert(AuditEntry)
_MOVE_HEAD = update(AuditHead).where(AuditHead.id == 1).values(seq=bindparam("new_seq"), hash=bindparam("new_hash"))


def append(uow: UnitOfWork, clock: Clock, event: str, *, actor: str, document: str | None = None,
           details: dict | None = None) -> str:
    """Add an entry in the caller's (write) transaction and return its hash; the caller commits.

    Three plain statements on the transaction's connection (read the head, insert the entry,
    move the head), not ORM objects: the head is locked from here to the commit, on SQLite the
    whole database is, so the shorter this runs the less other requests wait. An entry refers
    to its document by public id, not by a foreign key, so the ORM objects the caller has not
    flushed yet need not be written first.
    """
    connection = uow.session.connection()
    head = connection.execute(_HEAD).first()
    if head is None:
        connection.execute(_NEW_HEAD)
        prev_seq, prev_hash = 0, GENESIS
    else:
        prev_seq, prev_hash = head
    at = clock()
    seq = prev_seq + 1
    details = details or {}
    digest = _digest(prev_hash, seq, at, event, document, actor, details)
    connection.execute(_ENTRY, {"seq": seq, "at": at, "event": event, "document": document, "actor": actor,
                                "details": details, "prev_hash": prev_hash, "hash": digest})
    connection.execute(_MOVE_HEAD, {"new_seq": seq, "new_hash": digest})
    return digest


@dataclass
class ChainCheck:
    entries: int = 0
    head: str = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(session, *, expected_head: str | None = None) -> ChainCheck:
    """Walk the chain in sequence order and report every break."""
    check = ChainCheck()
    prev, expected_seq = GENESIS, 1
    for entry in session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars():
        if entry.seq != expected_seq:
            check.problems.append(f"entry {entry.seq}: expected sequence {expected_seq} (entries deleted?)")
        if entry.prev_hash != prev:
            check.problems.append(f"entry {entry.seq}: does not follow the previous entry (deleted or reordered)")
        actual = _digest(entry.prev_hash, entry.seq, entry.at, entry.event, entry.document, entry.actor,
                         entry.details)
        if actual != entry.hash:
            check.problems.append(f"entry {entry.seq}: content does not match its hash (edited)")
        prev, expected_seq = entry.hash, entry.seq + 1
        check.entries += 1
    check.head = prev
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
        check.problems.append(f"the chain ends at entry {expected_seq - 1} but its head row says {head.seq}: "
                              "newest entries deleted?")
    if expected_head is not None and expected_head != prev:
        check.problems.append(f"head hash {prev} differs from the anchored {expected_head}")
    return check
