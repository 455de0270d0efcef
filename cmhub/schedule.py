"""The publishing calendar: each teaser placed on its network's slots, by a deterministic planner."""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from cmhub.config import SiteConfig
from cmhub.errors import Problem, error
from cmhub.frozen import replaced
from cmhub.models import Article, Site
from cmhub.social_config import NetworkConfig
from cmhub.syndication import Teaser

_MAX_STEPS = 2000


@dataclass(frozen=True)
class CalendarEvent:
    """One thing that goes out: an article's publication, or a teaser on a network."""

    uid: str
    kind: str
    """'article' or 'teaser'."""
    at: dt.datetime
    title: str
    source: str
    url: str
    stamp: dt.datetime
    """When the event's content last changed (from the article, never the clock)."""
    network: str = ""
    variant: str = ""
    text: str = ""


@dataclass(frozen=True)
class Plan:
    """The planned calendar: its events, the teasers at their planned times, and what went wrong."""

    events: tuple[CalendarEvent, ...]
    teasers: tuple[Teaser, ...]
    paused: bool
    problems: tuple[Problem, ...] = ()


DEFAULT_LOOKBACK = dt.timedelta(days=30)
"""Without calendar.start, the calendar covers what was published in the last 30 days and what is to come."""


def planned_articles(site: Site, articles: Sequence[Article]) -> list[Article]:
    """Return the articles the calendar covers: those published on or after calendar.start.

    Without a start, the backlog is left alone: only the last 30 days and the future are planned.
    """
    start = site.config.calendar.start or (site.now - DEFAULT_LOOKBACK).astimezone(site.config.tz).date()
    return [a for a in articles if a.date.astimezone(site.config.tz).date() >= start]


def plan(site: Site, teasers: Sequence[Teaser]) -> Plan:
    """Place every teaser of the planned articles on its network's slots; return the calendar."""
    config = site.config
    articles = {a.source: a for a in site.articles}
    covered = {a.source for a in planned_articles(site, list(articles.values()))}
    candidates = [t for t in teasers if t.source in covered]
    problems: list[Problem] = []
    placed: list[Teaser] = []
    if not config.calendar.pause:
        for network in config.networks.values():
            mine = [t for t in candidates if t.network == network.name]
            done, issues = _place(config, network, mine, articles)
            placed.extend(done)
            problems.extend(issues)
    events = [_article_event(config, a) for a in articles.values()
              if a.source in covered and a.state(site.now) in ("published", "scheduled")]
    events += [_teaser_event(config, t, articles[t.source]) for t in placed]
    events.sort(key=lambda e: (e.at, e.kind != "article", e.network, e.uid))
    return Plan(tuple(events), tuple(sorted(placed, key=lambda t: (t.at, t.network, t.slug))),
                config.calendar.pause, tuple(problems))


def _place(config: SiteConfig, network: NetworkConfig, teasers: Sequence[Teaser],
           articles: dict[str, Article]) -> tuple[list[Teaser], list[Problem]]:
    tz = config.tz
    taken: list[dt.datetime] = []
    placed: list[Teaser] = []
    problems: list[Problem] = []
    fixed = [t for t in teasers if t.explicit]
    free = sorted((t for t in teasers if not t.explicit), key=lambda t: (t.at, t.slug, t.variant))
    for teaser in sorted(fixed, key=lambda t: (t.at, t.slug)):
        article = articles[teaser.source]
        line = article.syndicate[network.name].line if network.name in article.syndicate else None
        reason = _blocked(config, network, teaser.at, taken)
        if reason:
            problems.append(error(article.source, line, f"syndicate.{network.name}.at "
                                  f"{teaser.at.isoformat()} {reason}"))
            continue
        bisect.insort(taken, teaser.at)
        placed.append(teaser)
    for teaser in free:
        moment = _first_free(config, network, teaser.at.astimezone(tz), taken)
        bisect.insort(taken, moment)
        placed.append(replaced(teaser, at=moment))
    return placed, problems


def _blocked(config: SiteConfig, network: NetworkConfig, moment: dt.datetime,
             taken: Sequence[dt.datetime]) -> str:
    """Return why a teaser cannot go out at ``moment`` on ``network`` ('' when it can)."""
    local = moment.astimezone(config.tz).date()
    for first, last in config.calendar.blackout:
        if first <= local <= last:
            return f"falls in the blackout {first.isoformat()}..{last.isoformat()}"
    index = bisect.bisect_left(taken, moment)
    for neighbour in taken[max(0, index - 1): index + 1]:
        gap = abs(neighbour - moment)
        if gap == dt.timedelta(0) or gap < network.spacing:
            return (f"is closer than {network.spacing} to another {network.name} post at "
                    f"{neighbour.astimezone(config.tz).isoformat()}")
    return ""


def _first_free(config: SiteConfig, network: NetworkConfig, earliest: dt.datetime,
                taken: Sequence[dt.datetime]) -> dt.datetime:
    """Return the first slot at or after ``earliest`` outside blackouts and spacing."""
    moment = _next_slot(network, earliest, config.tz)
    for _ in range(_MAX_STEPS):
        if not _blocked(config, network, moment, taken):
            return moment
        moment = _next_slot(network, moment + dt.timedelta(minutes=1), config.tz) \
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


def _next_slot(network: NetworkConfig, after: dt.datetime, tz: ZoneInfo) -> dt.datetime:
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


def event_uid(config: SiteConfig, source: str, kind: str, network: str = "", variant: str = "") -> str:
    """Return a UID that survives rebuilds and edits (from the article file, network and variant)."""
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]
    host = urlsplit(config.url).hostname or "localhost"
    parts = [digest, kind, network, variant]
    return "-".join(p for p in parts if p) + f"@{host}"


def _article_event(config: SiteConfig, article: Article) -> CalendarEvent:
    return CalendarEvent(uid=event_uid(config, article.source, "article"), kind="article", at=article.date,
                         title=article.title, source=article.source, url=config.url + article.path,
                         stamp=article.modified)


def _teaser_event(config: SiteConfig, teaser: Teaser, article: Article) -> CalendarEvent:
    return CalendarEvent(uid=event_uid(config, teaser.source, "teaser", teaser.network, teaser.variant),
                         kind="teaser", at=teaser.at, title=article.title, source=teaser.source,
                         url=teaser.link, stamp=article.modified, network=teaser.network,
                         variant=teaser.variant, text=teaser.text)


def next_due(site: Site, plan_: Plan) -> dt.datetime | None:
    """Return the next instant after ``now`` when an article or a teaser falls due."""
    upcoming = [e.at for e in plan_.events if e.at > site.now]
    scheduled = site.next_scheduled()
    if scheduled is not None:
        upcoming.append(scheduled)
    return min(upcoming, default=None)
