"""Report periods (``--period``) and the weeks and months inside them, in the hub's time zone."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from cmhub.report.model import Period

EXPECTED = ("a month (2026-11), an ISO week (2026-W48), a quarter (2026-Q4), a year (2026) "
            "or two days (2026-11-01..2026-11-15)")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$", re.IGNORECASE)
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$")


def parse_period(text: str) -> Period:
    """Return the period a ``--period`` value names; raises ValueError with what was expected."""
    value = text.strip()
    try:
        if match := _MONTH.match(value):
            return month_period(int(match.group(1)), int(match.group(2)))
        if match := _WEEK.match(value):
            start = dt.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
            return Period(f"{match.group(1)}-W{match.group(2)}", start, start + dt.timedelta(days=6))
        if match := _QUARTER.match(value):
            year, quarter = int(match.group(1)), int(match.group(2))
            first, last = month_period(year, 3 * quarter - 2), month_period(year, 3 * quarter)
            return Period(f"{year}-Q{quarter}", first.start, last.end)
        if match := _YEAR.match(value):
            year = int(match.group(1))
            return Period(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))
        if match := _RANGE.match(value):
            start, end = dt.date.fromisoformat(match.group(1)), dt.date.fromisoformat(match.group(2))
            if end < start:
                raise ValueError(f"'{value}' ends before it starts")
            return Period(f"{start.isoformat()}_{end.isoformat()}", start, end)
    except ValueError as exc:
        if "ends before" in str(exc):
            raise
        raise ValueError(f"'{value}' is not a real month, week or day") from None
    raise ValueError(f"must be {EXPECTED}, got '{value}'")


def month_period(year: int, month: int) -> Period:
    """Return the period of one calendar month."""
    last = calendar.monthrange(year, month)[1]
    return Period(f"{year:04d}-{month:02d}", dt.date(year, month, 1), dt.date(year, month, last))


def default_period(today: dt.date) -> Period:
    """Return the report's period when none is given: the last complete month before ``today``."""
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    return month_period(last_month.year, last_month.month)


def weeks_of(period: Period) -> list[Period]:
    """Return the ISO weeks (Monday to Sunday) that belong to the period: those whose Thursday falls in
    it, as ISO 8601 gives a week to the year of its Thursday. Each week is counted whole."""
    monday = period.start - dt.timedelta(days=period.start.weekday())
    weeks = []
    while monday <= period.end:
        thursday = monday + dt.timedelta(days=3)
        if thursday in period:
            year, week, _ = monday.isocalendar()
            weeks.append(Period(f"{year}-W{week:02d}", monday, monday + dt.timedelta(days=6)))
        monday += dt.timedelta(weeks=1)
    if not weeks:  # a period shorter than a week without its Thursday: the week holding its start
        year, week, _ = period.start.isocalendar()
        monday = period.start - dt.timedelta(days=period.start.weekday())
        weeks.append(Period(f"{year}-W{week:02d}", monday, monday + dt.timedelta(days=6)))
    return weeks


def months_of(period: Period) -> list[Period]:
    """Return the calendar months the period overlaps, each counted whole."""
    months = []
    year, month = period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        months.append(month_period(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def months_between(first: dt.date, last: dt.date) -> float:
    """Return how many average months (30.4375 days) there are from ``first`` to ``last``, both included."""
    return ((last - first).days + 1) / 30.4375
