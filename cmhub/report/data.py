"""The report for tools: one long CSV table and one JSON document, with the source files of every value."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from cmhub.report.assemble import Report
from cmhub.report.model import Value
from cmhub.report.words import Words
from cmhub.social.spreadsheet import text_cell

CSV_COLUMNS = ["section", "key", "network", "article", "metric", "value", "target", "state", "sources"]
SCHEMA = 1
"""The version of the JSON document's shape (docs/report.md)."""


def _amount(value: float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}"
    return str(int(value))


def _csv_rows(report: Report) -> Iterator[list[str]]:
    def row(section: str, key: str, metric: str, value: Value | float | None, network: str = "",
            article: str = "", target: int | None = None, state: str = "") -> list[str]:
        amount = value.amount if isinstance(value, Value) else value
        files = ";".join(value.sources) if isinstance(value, Value) else ""
        return [section, key, network, article, metric, _amount(amount), _amount(target), state, files]

    for status in report.goals:
        goal = status.goal
        if goal.per:
            for step in status.steps:
                yield row("goal", f"{goal.origin} {step.period.label}", goal.metric, step.value, goal.network,
                          target=goal.target, state=step.state)
        else:
            yield row("goal", goal.origin, goal.metric, status.value, goal.network, target=goal.target,
                      state=status.state)
            if status.needed_per_month is not None:
                yield row("goal", goal.origin, "needed_per_month", Value(status.needed_per_month,
                                                                         status.value.sources), goal.network)
    for week in report.weeks:
        yield row("week", week.week.label, "planned", week.planned, week.network)
        yield row("week", week.week.label, "posted", week.posted, week.network,
                  target=week.cadence or None, state=_below(week.posted, week.cadence))
    for net in report.networks:
        for metric in ("posts", "engagement", "impressions", "clicks", "new_followers", "social_visits"):
            yield row("network", "", metric, getattr(net, metric), net.network)
    for art in report.articles:
        yield row("article", art.article.slug, "visits", art.visits, article=art.article.source)
        yield row("article", art.article.slug, "social_visits", art.social_visits, article=art.article.source)
        for network, value in art.social_by_network.items():
            if value.amount is not None:
                yield row("article", art.article.slug, "social_visits", value, network, art.article.source)
        yield row("article", art.article.slug, "posts", art.posts, article=art.article.source)
        yield row("article", art.article.slug, "engagement", art.engagement, article=art.article.source)
    for slot in report.slots:
        key = f"{slot.weekday} {slot.hour:02d}:00"
        yield row("slot", key, "posts", Value(slot.posts, slot.engagement.sources), slot.network)
        yield row("slot", key, "engagement", slot.engagement, slot.network)
    yield row("site", report.period.label, "visits", report.visits.total)
    yield row("site", report.period.label, "social_visits", report.visits.social)
    for day, value in report.visits.daily:
        yield row("day", day.isoformat(), "visits", value)


def _below(posted: Value, cadence: int) -> str:
    if not cadence or posted.amount is None:
        return ""
    return "below" if posted.amount < cadence else "met"


def render_csv(report: Report) -> str:
    """Return the report as one CSV table: a row per value, with the files it comes from."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    # cells a spreadsheet would run as formulas are marked as text (cmhub.social.spreadsheet)
    writer.writerows([text_cell(c) if isinstance(c, str) else c for c in row] for row in _csv_rows(report))
    return out.getvalue()


def _value(value: Value) -> dict[str, Any]:
    return {"value": value.amount, "sources": list(value.sources)}


def render_json(report: Report) -> str:
    """Return the report as a JSON document (schema version SCHEMA)."""
    words = Words(report.config.language)
    config, period = report.config, report.period
    goals = []
    for status in report.goals:
        goal = status.goal
        goals.append({
            "origin": goal.origin, "label": goal.label, "metric": goal.metric, "network": goal.network,
            "target": goal.target, "by": goal.by.isoformat() if goal.by else None, "per": goal.per or None,
            "since": goal.since.isoformat() if goal.since else None, "baseline": goal.baseline,
            "state": status.state, "on_track": status.on_track, "line": words.goal_line(status),
            **_value(status.value), "needed_per_month": status.needed_per_month,
            "pace_per_month": None if status.pace_per_month is None else round(status.pace_per_month, 2),
            "steps": [{"period": s.period.label, "start": s.period.start.isoformat(), "end": s.period.end.isoformat(),
                       "state": s.state, **_value(s.value)} for s in status.steps]})
    document = {
        "cmhub_report": SCHEMA,
        "site": {"title": config.title, "url": config.url, "language": config.language,
                 "timezone": config.timezone},
        "period": {"label": period.label, "start": period.start.isoformat(), "end": period.end.isoformat()},
        "as_of": report.as_of.isoformat(),
        "goals": goals,
        "weeks": [{"week": w.week.label, "start": w.week.start.isoformat(), "end": w.week.end.isoformat(),
                   "network": w.network, "planned": _value(w.planned), "posted": _value(w.posted),
                   "cadence": w.cadence or None, "below_cadence": _below(w.posted, w.cadence) == "below"}
                  for w in report.weeks],
        "networks": [{"network": n.network, **{m: _value(getattr(n, m)) for m in (
            "posts", "engagement", "impressions", "clicks", "new_followers", "social_visits")},
            "engagement_per_post": _round(n.engagement_per_post), "visits_per_post": _round(n.visits_per_post)}
            for n in report.networks],
        "articles": [{"source": a.article.source, "title": a.article.title, "url": a.article.url,
                      "visits": _value(a.visits), "social_visits": _value(a.social_visits),
                      "social_visits_by_network": {n: _value(v) for n, v in a.social_by_network.items()
                                                   if v.amount is not None},
                      "posts": _value(a.posts), "engagement": _value(a.engagement)} for a in report.articles],
        "slots": [{"network": s.network, "weekday": s.weekday, "hour": s.hour, "posts": s.posts,
                   "engagement": _value(s.engagement), "engagement_per_post": _round(s.average)}
                  for s in report.slots],
        "visits": {"analytics": report.visits.family or None, "total": _value(report.visits.total),
                   "social": _value(report.visits.social),
                   "daily": [{"day": day.isoformat(), **_value(value)} for day, value in report.visits.daily]},
        "plan": report.plan_source,
        "sources": [{"file": s.file, "format": s.format, "first": s.first.isoformat() if s.first else None,
                     "last": s.last.isoformat() if s.last else None, "notes": [n.text(words.t) for n in s.notes]}
                    for s in report.sources],
        "notes": [n.text(words.t) for n in report.notes],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
