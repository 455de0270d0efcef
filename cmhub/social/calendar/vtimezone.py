"""VTIMEZONE blocks that every calendar client reads alike, written from the tz database.

icalendar (7.x) describes a zone as one STANDARD and one DAYLIGHT observance whose later onsets
are all listed in a single multi-valued ``RDATE:19770403T030000,19780402T030000,...`` property.
RFC 5545 allows that, but Mozilla's ical.js (Thunderbird) reads only the first value of each RDATE
property (``timezone.js``, ``_expandComponent``: ``rdate.getFirstValue()``) and vobject hands
RDATE inside an observance to its text behaviour, which keeps the first value too: both clients
saw daylight saving time in 1976 and 1977 only, and read every later summer event at the standard
offset, one hour late. The spring onsets were also written at 03:00, the wall time after the
change, where RFC 5545 counts an onset in TZOFFSETFROM (02:00); and zones without any transition
(UTC, GMT, Africa/Abidjan...) gave no block at all, which crashed the build.

Here each change of offset over the span the calendar needs is its own observance, with one DTSTART
in the offset it changes from, and nothing that a client could read partly: the form every
implementation handles the same way.
"""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo

_DAY = dt.timedelta(days=1)
_SECOND = dt.timedelta(seconds=1)
_LOOK_BACK = 400
"""Days searched before the first event for the change that started the offset then in force."""
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def vtimezone(name: str, first: dt.datetime, last: dt.datetime) -> tuple[str, ...]:
    """Return the VTIMEZONE lines of zone ``name`` valid for every instant from ``first`` to ``last``."""
    return _block(name, first.astimezone(dt.UTC).date(), last.astimezone(dt.UTC).date())


@functools.lru_cache(maxsize=16)
def _block(name: str, first: dt.date, last: dt.date) -> tuple[str, ...]:
    zone = ZoneInfo(name)
    start = dt.datetime.combine(first, dt.time(), dt.UTC) - _DAY
    end = dt.datetime.combine(last, dt.time(), dt.UTC) + 2 * _DAY
    opening = _last_change_before(zone, start)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{name}"]
    if opening is None:  # no change within reach: the offset in force has held since before 1970
        lines += _observance(zone, start, _EPOCH, offset_at(zone, start))
    else:
        lines += _observance(zone, opening, opening, offset_at(zone, opening - _SECOND))
    for moment in transitions(zone, start, end):
        lines += _observance(zone, moment, moment, offset_at(zone, moment - _SECOND))
    lines.append("END:VTIMEZONE")
    return tuple(lines)


def offset_at(zone: ZoneInfo, moment: dt.datetime) -> dt.timedelta:
    """Return the UTC offset of ``zone`` at the instant ``moment`` (zone.utcoffset reads wall times)."""
    offset = moment.astimezone(zone).utcoffset()
    assert offset is not None  # a ZoneInfo always has an offset
    return offset


def transitions(zone: ZoneInfo, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """Return the instants (UTC, to the second) at which ``zone`` changes its offset in (start, end]."""
    found = []
    moment = start
    before = offset_at(zone, moment)
    while moment < end:
        following = min(moment + _DAY, end)
        after = offset_at(zone, following)
        if after != before:
            found.append(_bisect(zone, moment, following))
        moment, before = following, after
    return found


def _bisect(zone: ZoneInfo, low: dt.datetime, high: dt.datetime) -> dt.datetime:
    """Return the first second in (low, high] with the offset of ``high`` (one change in between)."""
    target = offset_at(zone, high)
    while high - low > _SECOND:
        middle = (low + (high - low) / 2).replace(microsecond=0)
        if offset_at(zone, middle) == target:
            high = middle
        else:
            low = middle
    return high


def _last_change_before(zone: ZoneInfo, moment: dt.datetime) -> dt.datetime | None:
    changes = transitions(zone, moment - _LOOK_BACK * _DAY, moment)
    return changes[-1] if changes else None


def _observance(zone: ZoneInfo, at: dt.datetime, onset: dt.datetime, offset_from: dt.timedelta) -> list[str]:
    """Return the STANDARD or DAYLIGHT block of the offset in force at ``at``, from ``onset`` (UTC) on.

    DTSTART is the onset's wall time in the offset it changes from (RFC 5545 section 3.6.5).
    """
    local = at.astimezone(zone)
    kind = "DAYLIGHT" if local.dst() else "STANDARD"
    start = (onset + offset_from).replace(tzinfo=None)
    return [f"BEGIN:{kind}", f"DTSTART:{start:%Y%m%dT%H%M%S}", f"TZOFFSETFROM:{_offset(offset_from)}",
            f"TZOFFSETTO:{_offset(offset_at(zone, at))}", f"TZNAME:{local.tzname()}", f"END:{kind}"]


def _offset(value: dt.timedelta) -> str:
    """Return a UTC offset as RFC 5545 writes it: +0100, -0330, +053328 (seconds only when there are)."""
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")
