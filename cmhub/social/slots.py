"""Free slots on one network: weekly slots, spacing between posts, blackout days."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from cmhub.settings.config import SiteConfig
from cmhub.settings.social import NetworkConfig

_MAX_STEPS = 2000


def blocked(config: SiteConfig, network: NetworkConfig, moment: dt.datetime, taken: Sequence[dt.datetime]) -> str:
    """Return why a teaser cannot go out at ``moment`` on ``network`` ('' when it can).

    ``taken`` is the sorted list of instants already planned on that network.
    """
    reason = in_blackout(config, moment)
    if reason:
        return reason
    index = bisect.bisect_left(taken, moment)
    for neighbour in taken[max(0, index - 1): index + 1]:
        gap = abs(neighbour - moment)
        if gap == dt.timedelta(0) or gap < network.spacing:
            return (f"is closer than {network.spacing} to another {network.name} post at "
                    f"{neighbour.astimezone(config.tz).isoformat()}")
    return ""


def in_blackout(config: SiteConfig, moment: dt.datetime) -> str:
    """Return 'falls in the blackout A..B' when ``moment`` is a blackout day, else ''."""
    local = moment.astimezone(config.tz).date()
    for first, last in config.calendar.blackout:
        if first <= local <= last:
            return f"falls in the blackout {first.isoformat()}..{last.isoformat()}"
    return ""


def first_free(config: SiteConfig, network: NetworkConfig, earliest: dt.datetime,
               taken: Sequence[dt.datetime]) -> dt.datetime:
    """Return the first slot at or after ``earliest`` outside blackouts and spacing."""
    moment = next_slot(network, earliest.astimezone(config.tz), config.tz)
    for _ in range(_MAX_STEPS):
        if not blocked(config, network, moment, taken):
            return moment
        moment = next_slot(network, moment + dt.timedelta(minutes=1), config.tz) \
            if network.slots else _after_conflict(config, network, moment, taken)
    raise RuntimeError(f"no free slot found on {network.name} after {earliest}")  # a planner bug


def _after_conflict(config: SiteConfig, network: NetworkConfig, moment: dt.datetime,
                    taken: Sequence[dt.datetime]) -> dt.datetime:
    """Without slots, move past a blackout day or past the spacing of the nearest post."""
    local = moment.astimezone(config.tz)
    for first, last in config.calendar.blackout:
        if first <= local.date() <= last:
            day = last + dt.timedelta(days=1)
            return dt.datetime.combine(day, local.timetz().replace(tzinfo=None), config.tz)
    later = [t for t in taken if abs(t - moment) < max(network.spacing, dt.timedelta(minutes=1))]
    return max(later, default=moment) + max(network.spacing, dt.timedelta(minutes=1))


def next_slot(network: NetworkConfig, after: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """Return the first of the network's weekly slots at or after ``after`` (itself when no slots)."""
    if not network.slots:
        return after
    local = after.astimezone(tz)
    for offset in range(8):
        day = local.date() + dt.timedelta(days=offset)
        for slot in network.slots:
            if slot.weekday == day.weekday():
                moment = dt.datetime.combine(day, slot.time, tz)
                if moment >= after:
                    return moment
    raise RuntimeError("a weekly slot always exists within 8 days")  # pragma: no cover


def weekly_capacity(network: NetworkConfig) -> int:
    """Return the most posts a week the network's slots and spacing allow (in a week without blackout).

    Without slots, only the spacing limits: 7 days divided by it. With slots, the largest set of the
    weekly slots (repeating every week) whose neighbours are at least ``spacing`` apart.
    """
    week = dt.timedelta(weeks=1)
    if not network.slots:
        if network.spacing <= dt.timedelta(0):
            return 10_000
        return max(1, int(week / network.spacing))
    offsets = sorted(dt.timedelta(days=s.weekday, hours=s.time.hour, minutes=s.time.minute)
                     for s in network.slots)
    best = 0
    for first in range(len(offsets)):  # a greedy pass from each starting slot finds the largest set
        chosen = [offsets[first]]
        for candidate in offsets[first + 1:] + [o + week for o in offsets[:first]]:
            if candidate - chosen[-1] >= network.spacing:
                chosen.append(candidate)
        while len(chosen) > 1 and chosen[0] + week - chosen[-1] < network.spacing:
            chosen.pop()
        best = max(best, len(chosen))
    return best
