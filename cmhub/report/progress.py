"""Where each goal stands at the end of the report's period, and the pace it needs.

- A ``by`` goal: its value on the report's last day ("as of": the period's end, or today when the
  period is not over). The pace needed is what is left to reach, divided by the months left (days
  after "as of" up to the deadline, in average months of 30.4375 days), rounded up. The goal is on
  track when it is reached, or when the period's own pace (its gain, per month) is at least the pace
  needed. After the deadline it is reached or missed.
- A ``per`` goal: its value in every week (ISO, Monday to Sunday, each week whose Thursday is in the
  period) or calendar month the period overlaps, each counted whole. It is on track when every
  finished week or month reached the target and the running one has reached its share so far.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cmhub.report.facts import FactBase
from cmhub.report.model import NO_DATA, Period, Value
from cmhub.report.period import months_between, months_of, weeks_of
from cmhub.report.visits import visits_in
from cmhub.settings.goals import LEVELS, Goal

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Step:
    """One week or month of a ``per`` goal."""

    period: Period
    value: Value
    state: str
    """'met', 'missed' (finished), 'running' or 'behind' (not over on the report's last day: its share so far
    reached or not), or 'unknown'."""


@dataclass(frozen=True)
class GoalStatus:
    """A goal measured at the end of a report's period."""

    goal: Goal
    value: Value
    """A ``by`` goal's value on the report's last day (unknown for a ``per`` goal: see ``steps``)."""
    state: str
    """'reached', 'on_track', 'behind', 'missed', 'unknown' (no export gives its metric)."""
    needed_per_month: int | None = None
    pace_per_month: float | None = None
    """What the period itself gained, per month."""
    steps: tuple[Step, ...] = ()

    @property
    def on_track(self) -> bool | None:
        """Tell whether the goal is on track (reached counts); None when unknown."""
        return None if self.state == "unknown" else self.state in ("reached", "on_track")


class Measure:
    """Adds up one metric for a network (or the whole hub) over any days."""

    def __init__(self, base: FactBase, networks: Sequence[str]):
        self.base = base
        self.networks = sorted({*networks, *base.networks()})

    def between(self, metric: str, network: str, first: dt.date, last: dt.date) -> Value:
        """Return a counted metric's total over first..last; unknown when no export covers it."""
        if first > last:
            return Value(0)
        if metric in ("visits", "social_visits"):
            visits = visits_in(self.base, first, last)
            if metric == "visits":
                return visits.total
            return visits.social_by_network.get(network) if network else visits.social
        if network:
            return self.base.network_total(first, last, metric, network)
        total = NO_DATA
        for name in self.networks:
            total = total + self.base.network_total(first, last, metric, name)
        return total

    def followers(self, goal: Goal, day: dt.date) -> Value:
        """Return the follower count on a day: the latest count fetched, else the goal's baseline plus the
        followers gained since its ``since`` day; summed over networks for the whole hub."""
        total = NO_DATA
        for name in [goal.network] if goal.network else self.networks:
            found = self.base.followers_at(day, name)
            if found.amount is None and goal.baseline is not None and goal.since is not None:
                gained = self.between("new_followers", name, goal.since, day)
                if gained.amount is not None:
                    found = Value(goal.baseline, ("site.yml",)) + gained
            total = total + found
        return total


def measure_goal(goal: Goal, measure: Measure, period: Period, as_of: dt.date) -> GoalStatus:
    """Return where a goal stands on ``as_of``, the last day of the report's ``period``."""
    if goal.per:
        return _per_goal(goal, measure, period, as_of)
    assert goal.by is not None
    day = min(as_of, goal.by)
    value_at: Callable[[dt.date], Value]
    if goal.metric in LEVELS:
        def value_at(d: dt.date) -> Value:
            return measure.followers(goal, d)
    else:
        def value_at(d: dt.date) -> Value:
            return measure.between(goal.metric, goal.network, goal.since or d, d)
    value = value_at(day)
    if value.amount is None:
        return GoalStatus(goal, value, "unknown")
    if value.amount >= goal.target:
        return GoalStatus(goal, value, "reached")
    if as_of >= goal.by:
        return GoalStatus(goal, value, "missed")
    needed = (goal.target - value.amount) / months_between(as_of + ONE_DAY, goal.by)
    start = max(period.start, goal.since or period.start)
    if goal.metric in LEVELS:
        before = value_at(start - ONE_DAY)
        gain = None if before.amount is None else value.amount - before.amount
    else:
        gain = measure.between(goal.metric, goal.network, start, day).amount
    pace = None if gain is None else gain / months_between(start, day)
    state = "unknown" if pace is None else "on_track" if pace >= needed else "behind"
    return GoalStatus(goal, value, state, math.ceil(needed - 1e-9), pace)


def _per_goal(goal: Goal, measure: Measure, period: Period, as_of: dt.date) -> GoalStatus:
    steps = []
    for part in weeks_of(period) if goal.per == "week" else months_of(period):
        value = measure.between(goal.metric, goal.network, part.start, part.end)
        if value.amount is None:
            state = "unknown"
        elif part.end <= as_of:
            state = "met" if value.amount >= goal.target else "missed"
        elif value.amount >= goal.target * ((as_of - part.start).days + 1) / part.days or part.start > as_of:
            state = "running"
        else:
            state = "behind"
        steps.append(Step(part, value, state))
    if all(s.state == "unknown" for s in steps):
        overall = "unknown"
    elif any(s.state in ("missed", "behind") for s in steps):
        overall = "behind"
    elif all(s.state == "met" for s in steps):
        overall = "reached"
    else:
        overall = "on_track"
    return GoalStatus(goal, NO_DATA, overall, steps=tuple(steps))
