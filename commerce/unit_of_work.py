"""The unit of work: one database transaction around one use case.

Use cases receive a :class:`UnitOfWork` and call :meth:`UnitOfWork.commit` when their change is
complete; anything not committed is rolled back when the block ends, so an error half-way
through a use case never leaves half a change behind.
"""

from __future__ import annotations

from functools import wraps

from sqlalchemy.orm import Session, sessionmaker

from commerce.db import WRITE_OPTION

__all__ = ["UnitOfWork", "write_transaction"]


class UnitOfWork:
    session: Session
    # Set when a use case records work for the worker (commerce.outbox): the caller may then
    # wake the worker up rather than wait for its next round.
    outbox_written: bool = False

    def __init__(self, session_factory: sessionmaker):
        self._session_factory = session_factory

    def __enter__(self) -> "UnitOfWork":
        self.session = self._session_factory()
        return self

    def __exit__(self, *exc) -> None:
        self.session.rollback()
        self.session.close()

    def begin_write(self) -> None:
        """Start a transaction that will write contended rows (stock, orders).

        Whatever this unit of work read before (the caller's account, say) is committed first,
        so the new transaction starts from the latest data: on SQLite it holds the write lock
        from its first statement (BEGIN IMMEDIATE); on PostgreSQL the use case then locks the
        rows it changes with SELECT ... FOR NO KEY UPDATE (commerce.inventory.lock_objects).
        """
        if self.session.in_transaction():
            self.session.commit()
        self.session.connection(execution_options={WRITE_OPTION: True})

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


def write_transaction(use_case):
    """Mark a use case that writes: it runs in its own write transaction, committed at the end.

    On SQLite this matters for correctness, not only for clarity: a transaction that starts by
    reading and later writes can fail at once with "database is locked" when another worker
    wrote in between; starting with the write lock makes it wait its turn instead.
    """

    @wraps(use_case)
    def run(uow: UnitOfWork, *args, **kwargs):
        uow.begin_write()
        result = use_case(uow, *args, **kwargs)
        uow.commit()
        return result

    return run
