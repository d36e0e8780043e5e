"""The WITA calendar date of a stored UTC timestamp, inside SQL, on both databases.

Grouping by day must happen in the database (a report never loads every order into Python),
and the day is the city's: Asia/Makassar is UTC+8 all year (no daylight saving), which is what
lets SQLite add eight hours to get it.
"""

from __future__ import annotations

from sqlalchemy import func

__all__ = ["city_day"]


def city_day(column, dialect: str):
    if dialect == "postgresql":
        return func.to_char(func.timezone("Asia/Makassar", column), "YYYY-MM-DD")
    return func.strftime("%Y-%m-%d", column, "+8 hours")
