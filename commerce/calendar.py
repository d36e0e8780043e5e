"""The city's calendar: Samarinda keeps WITA (Asia/Makassar, UTC+8, no daylight saving).

The database stores UTC; every date a person reads (an order or receipt number, a day's sales,
a deadline) is the WITA date. An order placed at 01:36 WITA on 5 December is a 5 December
order, although it is still 4 December in UTC.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["CITY_ZONE", "city_date", "day_code", "city_day_bounds", "city_today"]

CITY_ZONE = ZoneInfo("Asia/Makassar")


def city_date(moment: datetime) -> date:
    """The WITA calendar date of an aware moment."""
    return moment.astimezone(CITY_ZONE).date()


def city_today() -> date:
    return datetime.now(CITY_ZONE).date()


def day_code(moment: datetime) -> str:
    """``YYMMDD`` of the WITA date, as order and receipt numbers carry it."""
    return f"{city_date(moment):%y%m%d}"


def city_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first moment of a WITA day and the first moment of the next, for range queries."""
    start = datetime.combine(day, time.min, CITY_ZONE)
    return start, start + timedelta(days=1)
