"""Writing rows that never become objects: multi-row INSERTs and UPDATEs by id, in Core.

Completing a checkout writes orders, order lines, payments, history and allocations whose
values are all known up front and of which nothing is read back but the new ids. Through the
ORM (``session.execute(insert(Model), rows)``) each such statement costs about twice the CPU of
the same statement in Core (measured: 0.24 vs 0.14 ms for two rows, 0.43 vs 0.19 ms with
RETURNING), and these statements run on the busiest path the marketplace has.

The statements run in the session's transaction; pending ORM changes are flushed first, so
rows may refer to objects added just before. Column defaults and types (``UTCDateTime``)
apply as usual.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

__all__ = ["insert_rows", "insert_rows_returning_ids", "update_rows_by_id", "update_loaded", "set_loaded"]


@lru_cache(maxsize=None)
def _insert(table, returning_ids: bool):
    statement = insert(table)
    return statement.returning(table.c.id, sort_by_parameter_order=True) if returning_ids else statement


@lru_cache(maxsize=None)
def _update_by_id(table, columns: tuple[str, ...]):
    # "row_id", not "id": a bound parameter may not share a name with a column being set.
    return update(table).where(table.c.id == bindparam("row_id")).values({c: bindparam(c) for c in columns})


def insert_rows(session: Session, model, rows: list[dict]) -> None:
    if rows:
        session.flush()
        session.connection().execute(_insert(model.__table__, False), rows)


def insert_rows_returning_ids(session: Session, model, rows: list[dict]) -> list[int]:
    """The new ids, in the order of ``rows``."""
    if not rows:
        return []
    session.flush()
    return list(session.connection().execute(_insert(model.__table__, True), rows).scalars())


def update_rows_by_id(session: Session, model, rows: list[dict]) -> None:
    """Each row is ``{"id": ..., column: value, ...}``; every row sets the same columns."""
    if not rows:
        return
    columns = tuple(sorted(k for k in rows[0] if k != "id"))
    session.flush()
    session.connection().execute(
        _update_by_id(model.__table__, columns),
        [{"row_id": row["id"], **{c: row[c] for c in columns}} for row in rows],
    )


def update_loaded(session: Session, obj, values: dict) -> None:
    """Write ``values`` to the row of a loaded object with one UPDATE by id, and give the object
    the same values as if it had been read with them: nothing left for an ORM flush to do."""
    update_rows_by_id(session, type(obj), [{"id": obj.id, **values}])
    set_loaded(obj, values)


def set_loaded(obj, values: dict) -> None:
    """Give a loaded object these column values as if it had been read with them, without
    writing anything (for a caller that computes from the new values before it writes them)."""
    for column, value in values.items():
        set_committed_value(obj, column, value)
