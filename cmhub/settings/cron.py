"""GitHub's cron schedules: the five-field POSIX syntax, read and stepped through, in UTC.

``minute hour day-of-month month day-of-week``; each field is ``*``, a number, a range ``a-b``, a
step ``*/n``, ``a-b/n`` or ``a/n`` (from a to the end), or a comma-separated list of those. Months
may be named JAN-DEC and weekdays SUN-SAT (0 = Sunday, as GitHub documents 0-6). As in POSIX
and Vixie cron, when both day fields are restricted a day matches if either does; a field that
starts with ``*`` (``*/2``) counts as unrestricted for that rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

_FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12), ("day of week", 0, 6))
_MONTHS = {name: number for number, name in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1)}
_WEEKDAYS = {name: number for number, name in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"))}
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_SEARCH_DAYS = 8 * 366
"""A schedule that can fire at all fires within 8 years (29 February on a given weekday: 28)."""


@dataclass(frozen=True)
class Cron:
    """A parsed cron schedule: the values each field allows."""

    text: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    """0 = Sunday ... 6 = Saturday."""
    any_day: bool
    """The day-of-month field starts with '*'."""
    any_weekday: bool
    """The day-of-week field starts with '*'."""

    def day_matches(self, day: dt.date) -> bool:
        """Tell whether the schedule fires on ``day`` (UTC) at all."""
        if day.month not in self.months:
            return False
        in_month = day.day in self.days
        in_week = (day.isoweekday() % 7) in self.weekdays
        if self.any_day or self.any_weekday:
            return in_month and in_week
        return in_month or in_week

    def matches(self, moment: dt.datetime) -> bool:
        """Tell whether the schedule fires at ``moment``'s minute (UTC)."""
        moment = moment.astimezone(dt.UTC)
        return moment.minute in self.minutes and moment.hour in self.hours and self.day_matches(moment.date())

    def next_fire(self, moment: dt.datetime) -> dt.datetime:
        """Return the first instant the schedule fires at or after ``moment`` (UTC, whole minutes)."""
        start = moment.astimezone(dt.UTC)
        current = start.replace(second=0, microsecond=0)
        if current < start:
            current += dt.timedelta(minutes=1)
        day = current.date()
        for _ in range(_SEARCH_DAYS):
            if self.day_matches(day):
                earliest = (current.hour, current.minute) if day == current.date() else (0, 0)
                for hour in sorted(h for h in self.hours if h >= earliest[0]):
                    low = earliest[1] if hour == earliest[0] else 0
                    minute = min((m for m in self.minutes if m >= low), default=None)
                    if minute is not None:
                        return dt.datetime.combine(day, dt.time(hour, minute), dt.UTC)
            day += dt.timedelta(days=1)
        raise ValueError(f"cron '{self.text}' never fires")  # parse_cron refuses such schedules

    def fires(self, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
        """Return every instant the schedule fires in [start, end)."""
        found = []
        moment = self.next_fire(start)
        while moment < end:
            found.append(moment)
            moment = self.next_fire(moment + dt.timedelta(minutes=1))
        return found


def parse_cron(text: str) -> Cron:
    """Return the schedule written in ``text``; raise ValueError saying what is wrong."""
    parts = text.split()
    if len(parts) != 5:
        raise ValueError(f"'{text}' must have 5 fields (minute hour day-of-month month day-of-week), "
                         f"it has {len(parts)}")
    values = []
    for part, (name, low, high) in zip(parts, _FIELDS, strict=True):
        names = _MONTHS if name == "month" else _WEEKDAYS if name == "day of week" else {}
        values.append(_field(part, name, low, high, names))
    cron = Cron(text=" ".join(parts), minutes=values[0], hours=values[1], days=values[2], months=values[3],
                weekdays=values[4], any_day=parts[2].startswith("*"), any_weekday=parts[4].startswith("*"))
    if ((cron.any_day or cron.any_weekday)  # else a matching weekday is enough, and every month has them
            and not any(d <= _DAYS_IN_MONTH[m - 1] for m in cron.months for d in cron.days)):
        raise ValueError(f"'{text}' never fires: no month of it has such a day")
    return cron


def _field(text: str, name: str, low: int, high: int, names: dict[str, int]) -> frozenset[int]:
    chosen: set[int] = set()
    for item in text.split(","):
        base, _, step_text = item.partition("/")
        step = 1
        if step_text:
            if not (step_text.isascii() and step_text.isdigit()) or int(step_text) == 0:
                raise ValueError(f"{name} step '{step_text}' must be a whole number above 0 (in '{item}')")
            step = int(step_text)
        if base == "*":
            first, last = low, high
        else:
            start, dash, end = base.partition("-")
            first = _number(start, name, low, high, names)
            last = _number(end, name, low, high, names) if dash else (high if step_text else first)
            if last < first:
                raise ValueError(f"{name} range '{base}' runs backwards")
        chosen.update(range(first, last + 1, step))
    return frozenset(chosen)


def _number(text: str, name: str, low: int, high: int, names: dict[str, int]) -> int:
    value = names.get(text.upper()) if names else None
    if value is None:
        if not (text.isascii() and text.isdigit()):
            allowed = f"{low}-{high}" + (f" or {min(names, key=names.get)}-{max(names, key=names.get)}"
                                         if names else "")
            raise ValueError(f"{name} '{text}' is not a number ({allowed})")
        value = int(text)
    if not low <= value <= high:
        raise ValueError(f"{name} {value} is out of range {low}-{high}")
    return value
