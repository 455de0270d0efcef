"""The weeks in which a network posts less than its goal (site.yml's cadence), as the calendar shows them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from cmhub.content.model import Site
from cmhub.social.planner import Plan


@dataclass(frozen=True)
class WeekGoal:
    """A week in which a network posts less than its cadence goal."""

    network: str
    week: str
    """ISO week, '2026-W49'."""
    planned: int
    goal: int


def weeks_below_goal(site: Site, plan: Plan, first: dt.date | None = None,
                     weeks: int | None = None) -> list[WeekGoal]:
    """Return the weeks (within the planned span, or ``weeks`` from ``first``) under a cadence goal."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for event in plan.events:
        if event.kind == "teaser":
            year, week, _ = event.at.astimezone(site.config.tz).isocalendar()
            counts[(event.network, f"{year}-W{week:02d}")] += 1
    dates = [e.at.astimezone(site.config.tz).date() for e in plan.events]
    if first is None:
        if not dates:
            return []
        first, last = min(dates), max(dates)
    else:
        last = first + dt.timedelta(weeks=weeks or 4) - dt.timedelta(days=1)
    span = []
    day = first - dt.timedelta(days=first.weekday())
    while day <= last:
        year, week, _ = day.isocalendar()
        span.append(f"{year}-W{week:02d}")
        day += dt.timedelta(weeks=1)
    below = []
    for network in site.config.networks.values():
        if network.enabled and network.cadence:
            for week in span:
                planned = 0 if plan.paused else counts[(network.name, week)]
                if planned < network.cadence:
                    below.append(WeekGoal(network.name, week, planned, network.cadence))
    return below
