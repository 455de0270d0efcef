"""Instants: reading dates from users, and the one clock of a build."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

EXPECTED = "an ISO 8601 date or datetime (2026-12-01 or 2026-12-01T09:00:00)"
FIRST_YEAR, LAST_YEAR = 1000, 8999
"""The years an instant may fall in: far enough from year 1 and 9999 that a build's arithmetic on
dates (time zones, reminders, a calendar's weeks) never leaves what Python can represent."""


def parse_instant(value: object, tz: ZoneInfo) -> dt.datetime:
    """Return an aware datetime; naive values and bare dates are read in ``tz``.

    Raises ValueError with a message fit for the user when ``value`` is not a date, OverflowError
    when it is not between the years FIRST_YEAR and LAST_YEAR.
    """
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    elif isinstance(value, str):
        text = value.strip()
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"must be {EXPECTED}, got {value!r}") from None
    else:
        raise ValueError(f"must be {EXPECTED}, got {value!r}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return _in_range(moment, value)


def _in_range(moment: dt.datetime, value: object) -> dt.datetime:
    """Return ``moment``, or raise OverflowError (as date arithmetic would, later) when it is not
    between FIRST_YEAR and LAST_YEAR."""
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise OverflowError(f"{value!r} is not between the years {FIRST_YEAR} and {LAST_YEAR}")
    return moment


def build_now(option: str | None, tz: ZoneInfo, environ: dict[str, str] | None = None) -> dt.datetime:
    """Return the build's one ``now``: ``--now``, else SOURCE_DATE_EPOCH, else the clock.

    Raises ValueError when ``--now`` or SOURCE_DATE_EPOCH cannot be read.
    """
    environ = os.environ if environ is None else environ
    if option:
        try:
            return parse_instant(option, tz)
        except OverflowError:
            raise ValueError(f"is out of the range of dates cmhub can handle (the years {FIRST_YEAR} to "
                             f"{LAST_YEAR}), got {option!r}") from None
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return _in_range(dt.datetime.fromtimestamp(int(epoch), dt.UTC), epoch)
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH must be a number of seconds, got {epoch!r}") from None
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def iso(moment: dt.datetime) -> str:
    """Return an ISO 8601 string with its offset, to the second."""
    return moment.replace(microsecond=0).isoformat()


def utc_iso(moment: dt.datetime) -> str:
    """Return an ISO 8601 UTC string ending in Z."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
