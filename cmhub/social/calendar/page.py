"""calendar.html: the plan as a page the team reads on a desk or a phone, in the hub's language.

A month grid on wide screens, a list of days on small ones; a network filter made of radio buttons
and CSS (no JavaScript); blackout days and the pause marked; each entry links to the article's clean
URL (a click by the team is not a social visit) and shows the teaser's text.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from cmhub.content.model import Site
from cmhub.core.i18n import full_date, month_name, short_moment, weekday_names
from cmhub.networks.registry import NETWORK_LABELS
from cmhub.social.calendar.goals import weeks_below_goal
from cmhub.social.calendar.words import calendar_strings
from cmhub.social.planner import CalendarEvent, Plan
from cmhub.theming.loader import Theme, make_environment, render_template
from cmhub.theming.words import strings


@dataclass(frozen=True)
class DayView:
    """One day of the calendar: its events, and whether it is a blackout day."""

    day: int
    date: str
    in_month: bool
    events: tuple[CalendarEvent, ...]
    blackout: bool = False
    label: str = ""
    """The full date in the hub's language ('mardi 24 novembre 2026')."""


@dataclass(frozen=True)
class MonthGrid:
    """A month as weeks of seven days."""

    name: str
    weeks: tuple[tuple[str, tuple[DayView, ...]], ...]
    """(ISO week, its days)."""


def _blackout(site: Site, day: dt.date) -> bool:
    return any(first <= day <= last for first, last in site.config.calendar.blackout)


def months(site: Site, events: Sequence[CalendarEvent]) -> tuple[MonthGrid, ...]:
    """Return the month grids that hold the events (and blackout days among them), in order."""
    tz = site.config.tz
    by_day: dict[dt.date, list[CalendarEvent]] = defaultdict(list)
    for event in events:
        by_day[event.at.astimezone(tz).date()].append(event)
    if not by_day:
        return ()
    lang = site.config.language
    grids = []
    month = min(by_day).replace(day=1)
    last = max(by_day)
    while month <= last:
        next_month = (month + dt.timedelta(days=32)).replace(day=1)
        day = month - dt.timedelta(days=month.weekday())
        weeks = []
        while day < next_month:
            year, number, _ = day.isocalendar()
            days = tuple(DayView(d.day, d.isoformat(), d.month == month.month, tuple(by_day.get(d, ())),
                                 _blackout(site, d), full_date(d, lang))
                         for d in (day + dt.timedelta(days=i) for i in range(7)))
            weeks.append((f"{year}-W{number:02d}", days))
            day += dt.timedelta(weeks=1)
        grids.append(MonthGrid(month_name(dt.datetime.combine(month, dt.time()), lang), tuple(weeks)))
        month = next_month
    return tuple(grids)


def agenda_days(site: Site, events: Sequence[CalendarEvent]) -> tuple[DayView, ...]:
    """Return the days of the list view: every day with an event, and the blackout days in between."""
    tz = site.config.tz
    by_day: dict[dt.date, list[CalendarEvent]] = defaultdict(list)
    for event in events:
        by_day[event.at.astimezone(tz).date()].append(event)
    if by_day:
        first, last = min(by_day), max(by_day)
        for start, end in site.config.calendar.blackout:
            day = max(start, first)
            while day <= min(end, last):
                by_day.setdefault(day, [])
                day += dt.timedelta(days=1)
    lang = site.config.language
    return tuple(DayView(d.day, d.isoformat(), True, tuple(by_day[d]), _blackout(site, d), full_date(d, lang))
                 for d in sorted(by_day))


def variant_label(variant: str, lang: str) -> str:
    """Return '' for a launch, 'rappel 1' / 'reminder 1' for 'reminder-1'."""
    if not variant or variant == "launch":
        return ""
    number = variant.rsplit("-", 1)[-1]
    return calendar_strings(lang)["reminder_n"].format(n=number) if number.isdigit() else variant


def html(site: Site, plan: Plan, theme: Theme) -> str:
    """Return the self-contained HTML calendar, filterable by network without JavaScript."""
    env = make_environment(theme)
    below = weeks_below_goal(site, plan)
    lang = site.config.language
    context = {
        "site": site.config, "t": strings(lang), "c": calendar_strings(lang), "plan": plan,
        "months": months(site, plan.events), "days": agenda_days(site, plan.events),
        "networks": tuple(n.name for n in site.config.networks.values() if n.enabled),
        "network_label": lambda name: NETWORK_LABELS.get(name, name),
        "variant_label": lambda variant: variant_label(variant, lang),
        "weekdays": weekday_names(lang),
        "below": {(w.network, w.week): w for w in below}, "below_list": below,
        "lang": lang,
        "time": lambda e: e.at.astimezone(site.config.tz).strftime("%H:%M"),
    }
    return render_template(env, theme, "calendar.html", context, "the calendar")


def coming_weeks(site: Site, plan: Plan, weeks: int) -> list[str]:
    """Return ``cmhub calendar``'s lines, in the hub's language: the pause, each event of the coming
    weeks, one line per network below its weekly goal (not one per week), and impossible goals."""
    from cmhub.social.slots import weekly_capacity

    lang = site.config.language
    c = calendar_strings(lang)
    tz = site.config.tz
    end = site.now + dt.timedelta(weeks=weeks)
    lines = [c["paused_line"]] if plan.paused else []
    rows = [e for e in plan.events if site.now <= e.at < end]
    when = [short_moment(e.at.astimezone(tz), lang) for e in rows]
    width = max((len(w) for w in when), default=0)
    for event, moment in zip(rows, when, strict=True):
        if event.kind == "article":
            what = c["article_word"]
        else:
            label = variant_label(event.variant, lang)
            what = NETWORK_LABELS.get(event.network, event.network) + (f" ({label})" if label else "")
        lines.append(f"{moment:<{width}}  {what:<22} {event.title}")
    if not rows:
        lines.append(c["nothing_coming"])
    below: dict[str, list[str]] = defaultdict(list)
    first = site.now.astimezone(tz).date()
    for week in weeks_below_goal(site, plan, first, weeks):
        below[week.network].append(week.week)
    span = len({(first + dt.timedelta(days=d)).isocalendar()[:2] for d in range(7 * weeks)})
    for name, network in site.config.networks.items():
        if below.get(name):
            listed = ", ".join([below[name][0], *(w.split("-")[1] for w in below[name][1:])])
            lines.append(c["below_goal_line"].format(network=NETWORK_LABELS.get(name, name), goal=network.cadence,
                                                     count=len(below[name]), weeks=span, list=listed))
        capacity = weekly_capacity(network)
        if network.enabled and network.cadence > capacity:
            lines.append(c["impossible_line"].format(network=NETWORK_LABELS.get(name, name), goal=network.cadence,
                                                     capacity=capacity))
    return lines
