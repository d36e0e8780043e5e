"""The unit of work: one database transaction around one use case.

Use cases receive a :class:`UnitOfWork` and call :meth:`UnitOfWork.commit` when their change is
complete; anything not committed is rolled back when the block ends, so an error half-way
through a use case never leaves half a change behind.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

__all__ = ["UnitOfWork"]


class UnitOfWork:
    session: Session

    def __init__(self, session_factory: sessionmaker):
        self._session_factory = session_factory

    def __enter__(self) -> "UnitOfWork":
        self.session = self._session_factory()
        return self

    def __exit__(self, *exc) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
