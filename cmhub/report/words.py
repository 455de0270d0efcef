"""The report's words in the hub's language: network and metric names, numbers, dates, goal lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal

from cmhub.core.i18n import base_language, long_date
from cmhub.networks.registry import NETWORK_LABELS
from cmhub.report.progress import GoalStatus, Step
from cmhub.report.strings import report_strings


class Words:
    """Formats the report's numbers, dates and sentences for one language."""

    def __init__(self, language: str):
        self.language = language
        self.t: Mapping[str, str] = report_strings(language)
        try:
            self.locale = Locale.parse(language.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            self.locale = Locale.parse(base_language(language)) if base_language(language) in ("en", "fr") \
                else Locale("en")

    def number(self, value: float | None, digits: int = 0) -> str:
        """Return a number as the language writes it ('1 234', '2,5'); the unknown mark for None."""
        if value is None:
            return self.t["unknown"]
        pattern = "#,##0" if digits == 0 else "#,##0." + "#" * digits
        return format_decimal(round(value, digits) if digits else round(value), format=pattern, locale=self.locale)

    def date(self, day: dt.date) -> str:
        """Return a day as the language writes it: '30 novembre 2026'."""
        return long_date(dt.datetime.combine(day, dt.time()), self.language)

    def network(self, network: str) -> str:
        """Return a network's name, or the whole hub's."""
        return NETWORK_LABELS.get(network, network) if network else self.t["whole_hub"]

    def metric(self, metric: str) -> str:
        """Return a metric's name."""
        return self.t[f"metric_{metric}"]

    def who(self, status: GoalStatus) -> str:
        """Return what a goal line starts with: its label, else its network."""
        return status.goal.label or self.network(status.goal.network)

    def goal_line(self, status: GoalStatus) -> str:
        """Return the goal's one line: 'Mastodon: 143/200 followers, 19 a month needed, on track: no'."""
        goal, t = status.goal, self.t
        who, metric = self.who(status), self.metric(goal.metric)
        if goal.per:
            if status.state == "unknown":
                return t["goal_unknown"].format(who=who, metric=metric)
            steps = ", ".join(self.step(s) for s in status.steps)
            return t["goal_per"].format(who=who, target=self.number(goal.target), metric=metric,
                                        per=t[goal.per], steps=steps, answer=self.answer(status))
        if status.state == "unknown":
            return t["goal_unknown"].format(who=who, metric=metric)
        values = dict(who=who, value=self.number(status.value.amount), target=self.number(goal.target),
                      metric=metric)
        if status.state == "reached":
            return t["goal_reached"].format(**values)
        if status.state == "missed":
            return t["goal_missed"].format(by=self.date(goal.by), **values)  # type: ignore[arg-type]
        key = "goal_by" if status.pace_per_month is not None else "goal_by_pace"
        return t[key].format(needed=self.number(status.needed_per_month), answer=self.answer(status), **values)

    def step(self, step: Step) -> str:
        """Return one week's or month's value in a ``per`` goal line."""
        if step.state == "unknown":
            return self.t["step_unknown"].format(label=step.period.label)
        key = "step_below" if step.state in ("missed", "behind") else "step"
        return self.t[key].format(label=step.period.label, value=self.number(step.value.amount))

    def answer(self, status: GoalStatus) -> str:
        """Return 'yes' or 'no' for 'on track'."""
        return self.t["yes"] if status.on_track else self.t["no"]

    def detail(self, status: GoalStatus) -> str:
        """Return the goal's deadline, or where a cadence goal comes from."""
        goal = status.goal
        if goal.origin.startswith("networks."):
            return self.t["goal_cadence"].format(network=goal.network)
        return self.t["goal_deadline"].format(by=self.date(goal.by)) if goal.by else ""
