"""The publishing calendar: each teaser placed on its network's slots, and kept there (plan.lock).

The rules (README "A stable plan", docs/plan-lock.md):

- a teaser recorded in plan.lock keeps its instant; only a change to its own article's timing
  (date, ``syndicate.<net>.at``; a teaser that stops existing: article removed, draft, expired,
  network disabled) cancels it, or ``cmhub replan``, or ``calendar.pause`` (every future one), and
  only while its instant is still to come: the past is never rewritten. site.yml's slots, spacing,
  blackout days, margin and reminders apply to new teasers; recorded ones keep their times (a
  blackout added over one is reported);
- a new teaser goes to the first free slot at or after its article's first build plus the margin
  (``builds:``), and never before the build's clock;
- a teaser whose instant passed before any build handed it out is *missed*: reported, planned again
  at the next free slot when its article is published and it is at most ``calendar.catch_up`` late,
  else dropped (recorded as such). Without plan.lock (its first build), past teasers are recorded
  as they were, in no batch, without a report;
- each build that plans or cancels teasers is a batch: the teasers it hands out belong to it forever.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from cmhub.content.model import Article, Site
from cmhub.core.dates import utc_iso
from cmhub.core.errors import Problem, error, warning
from cmhub.core.frozen import replaced
from cmhub.ledgers.plan_lock import PlanEntry, PlanLedger, TeaserKey, batch_id, with_entries
from cmhub.ledgers.posts_lock import PostEntry
from cmhub.settings.builds import spoken
from cmhub.settings.config import SiteConfig
from cmhub.social.slots import blocked, first_free, in_blackout
from cmhub.social.teaser import Teaser


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
    article_url: str = ""
    """The article's clean URL (the event's ``url`` of a teaser carries UTM parameters)."""
    outcome: str = ""
    """A teaser cmhub publishes: 'posted' or 'missed' once posts.lock says so, else ''."""
    post_url: str = ""
    """The post's URL (posted teasers)."""
    posted: dt.datetime | None = None
    """When the network accepted it (posted) or when it was found missed."""


@dataclass(frozen=True)
class Plan:
    """The planned calendar: its events, the teasers at their planned times, and what went wrong."""

    events: tuple[CalendarEvent, ...]
    teasers: tuple[Teaser, ...]
    paused: bool
    problems: tuple[Problem, ...] = ()
    ledger: PlanLedger = PlanLedger()
    """plan.lock as this build leaves it."""


DEFAULT_LOOKBACK = dt.timedelta(days=30)
"""Without calendar.start, the calendar covers what was published in the last 30 days and what is to come."""


def planned_articles(site: Site, articles: Sequence[Article]) -> list[Article]:
    """Return the articles the calendar covers: those published on or after calendar.start.

    Without a start, the backlog is left alone: only the last 30 days and the future are planned.
    """
    start = site.config.calendar.start or (site.now - DEFAULT_LOOKBACK).astimezone(site.config.tz).date()
    return [a for a in articles if a.date.astimezone(site.config.tz).date() >= start]


def teaser_key(teaser: Teaser) -> TeaserKey:
    """Return the contract key of a teaser: (source, network, variant)."""
    return (teaser.source, teaser.network, teaser.variant)


def basis(article: Article, teaser: Teaser) -> str:
    """Return the article's own timing inputs a teaser's instant derives from ('date=...;at=...')."""
    override = article.syndicate.get(teaser.network)
    text = f"date={utc_iso(article.date)}"
    return text + (f";at={utc_iso(override.at)}" if override is not None and override.at else "")


def plan(site: Site, teasers: Sequence[Teaser], ledger: PlanLedger = PlanLedger(),
         replan: frozenset[TeaserKey] = frozenset()) -> Plan:
    """Place the teasers around those recorded in ``ledger``; return the calendar and the new ledger.

    ``replan`` holds the keys the user asked to move (``cmhub replan``): cancelled if still to come.
    """
    planner = _Planner(site, ledger)
    by_key = {teaser_key(t): t for t in teasers}
    kept = planner.keep_recorded(by_key, replan)
    covered = {a.source for a in planned_articles(site, site.articles)}
    fresh = [t for key, t in by_key.items() if key not in kept and t.source in covered and planner.may_plan(t)]
    placed = list(kept.values())
    if not site.config.calendar.pause:
        for network in site.config.networks.values():
            placed += planner.place(network.name, [t for t in fresh if t.network == network.name],
                                    [t for t in kept.values() if t.network == network.name])
    config = site.config
    articles = {a.source: a for a in site.articles}
    events = [_article_event(site, a) for a in site.syndicated if a.source in covered]
    events += [_teaser_event(site, t, articles[t.source], site.backfeed.posts.get(teaser_key(t))) for t in placed]
    events.sort(key=lambda e: (e.at, e.kind != "article", e.network, e.uid))
    return Plan(tuple(events), tuple(sorted(placed, key=lambda t: (t.at, t.network, t.slug))),
                config.calendar.pause, tuple(planner.problems), planner.ledger())


class _Planner:
    """One build's planning: the recorded entries, the new ones, and the problems met."""

    def __init__(self, site: Site, ledger: PlanLedger):
        self.site = site
        self.config = site.config
        self.now = site.now
        self.batch = batch_id(site.now)
        self.recorded = ledger
        self.entries: dict[tuple[TeaserKey, dt.datetime], PlanEntry] = {(e.key, e.planned): e for e in ledger.entries}
        self.articles = {a.source: a for a in site.articles}
        self.problems: list[Problem] = []

    def ledger(self) -> PlanLedger:
        """Return plan.lock as this build leaves it."""
        return with_entries(self.recorded, self.entries.values())

    def keep_recorded(self, by_key: dict[TeaserKey, Teaser], replan: frozenset[TeaserKey]) -> dict[TeaserKey, Teaser]:
        """Return the recorded teasers that keep their instant; cancel those that may not."""
        kept: dict[TeaserKey, Teaser] = {}
        for key, entry in self.recorded.latest.items():
            if entry.state != "planned":
                continue
            teaser = by_key.get(key)
            if entry.at > self.now:
                if teaser is None:
                    reason = "the article is no longer syndicated there (removed, draft, expired or disabled)"
                elif basis(self.articles[teaser.source], teaser) != entry.basis:
                    reason = "its article's date or syndicate.at changed"
                elif self.config.calendar.pause:
                    reason = "calendar.pause"
                elif key in replan:
                    reason = "cmhub replan"
                else:
                    reason = ""
                if reason:
                    self._record(replaced(entry, state="cancelled", closed=self.batch, note=reason))
                    continue
            if teaser is not None:
                kept[key] = replaced(teaser, at=entry.at.astimezone(self.config.tz))
                if teaser.explicit:  # reported by every build and check while it is to come, not just the first
                    article = self.articles[teaser.source]
                    override = article.syndicate.get(teaser.network)
                    self._warn_early(article, teaser, override.line if override is not None else None)
                if entry.at > self.now and in_blackout(self.config, entry.at):
                    self._warn(teaser, f"the {teaser.network} teaser ({teaser.variant}) planned at "
                               f"{_local(self.config, entry.at)} {in_blackout(self.config, entry.at)} added "
                               f"since batch {entry.batch or '-'} handed it out; it keeps its time "
                               f"(move it with 'cmhub replan {teaser.source}')")
        return kept

    def may_plan(self, teaser: Teaser) -> bool:
        """Tell whether a teaser without a standing entry may be planned: a dropped one stays dropped
        until its article's timing changes."""
        entry = self.recorded.current(teaser_key(teaser))
        if entry is None or entry.state != "dropped":
            return True
        return entry.basis != basis(self.articles[teaser.source], teaser)

    def place(self, network: str, fresh: list[Teaser], kept: list[Teaser]) -> list[Teaser]:
        """Place the new teasers of one network around its recorded ones; record them."""
        settings = self.config.networks[network]
        taken = sorted(t.at for t in kept)
        launches = {t.source: t.at for t in kept if t.variant == "launch"}
        placed: list[Teaser] = []
        for teaser in sorted((t for t in fresh if t.explicit), key=lambda t: (t.at, t.slug, t.variant)):
            article = self.articles[teaser.source]
            line = article.syndicate[network].line if network in article.syndicate else None
            reason = blocked(self.config, settings, teaser.at, taken)
            if reason:
                self.problems.append(error(article.source, line, f"syndicate.{network}.at "
                                           f"{teaser.at.isoformat()} {reason}"))
                continue
            self._warn_early(article, teaser, line)
            done = self._settle(teaser, teaser.at, settings, taken)
            if done is not None:
                placed.append(done)
                if done.variant == "launch":
                    launches[done.source] = done.at
        free = [t for t in fresh if not t.explicit]
        for teaser in sorted(free, key=lambda t: (t.variant != "launch", t.at, t.slug, t.variant)):
            article = self.articles[teaser.source]
            earliest = max(teaser.at, self.config.builds.earliest_teaser(article.date))
            if teaser.variant != "launch" and teaser.source in launches:  # a reminder: this long after the launch
                override = article.syndicate.get(network)
                delay = teaser.at - (override.at if override is not None and override.at else article.date)
                earliest = max(earliest, launches[teaser.source] + delay)
            done = self._settle(teaser, first_free(self.config, settings, earliest, taken), settings, taken)
            if done is not None:
                placed.append(done)
                if done.variant == "launch":
                    launches[done.source] = done.at
        return placed

    def _settle(self, teaser: Teaser, natural: dt.datetime, settings, taken: list[dt.datetime]) -> Teaser | None:
        """Record a new teaser at ``natural``, or handle it as missed when that has passed."""
        article = self.articles[teaser.source]
        moment, batch, note = natural, self.batch, ""
        catch_up = spoken(self.config.calendar.catch_up)
        if natural < self.now:
            if not self.recorded.exists:
                batch, note = "", "due before plan.lock existed"
            elif article.state(self.now) == "published" and self.now - natural <= self.config.calendar.catch_up:
                earliest = max(natural, self.now + self.config.builds.margin)
                moment = first_free(self.config, settings, earliest, taken)
                note = f"missed {utc_iso(natural)}"
                self._warn(teaser, f"the {teaser.network} teaser ({teaser.variant}) missed its slot "
                           f"{_local(self.config, natural)}: no build handed it out before then; planned again at "
                           f"{_local(self.config, moment)} (calendar.catch_up: {catch_up})")
            else:
                self._record(PlanEntry(teaser.source, teaser.network, teaser.variant, self.now,
                                       natural.astimezone(dt.UTC), "dropped", "", basis(article, teaser),
                                       note=f"missed {utc_iso(natural)}"))
                self._warn(teaser, f"the {teaser.network} teaser ({teaser.variant}) missed its slot "
                           f"{_local(self.config, natural)}: no build handed it out before then; dropped, more than "
                           f"calendar.catch_up ({catch_up}) late or the article is not online")
                return None
        bisect.insort(taken, moment)
        self._record(PlanEntry(teaser.source, teaser.network, teaser.variant, self.now, moment.astimezone(dt.UTC),
                               "planned", batch, basis(article, teaser), note=note))
        return replaced(teaser, at=moment.astimezone(self.config.tz))

    def _warn_early(self, article: Article, teaser: Teaser, line: int | None) -> None:
        earliest = self.config.builds.earliest_teaser(article.date)
        if self.now < teaser.at < earliest:
            self.problems.append(warning(article.source, line, (
                f"syndicate.{teaser.network}.at {teaser.at.isoformat()} is before the first build that "
                f"publishes the article ({_local(self.config, self.config.builds.online_from(article.date))}, "
                f"builds.cron '{self.config.builds.cron.text}') plus builds.margin "
                f"({spoken(self.config.builds.margin)}): its link may not work yet")))

    def _record(self, entry: PlanEntry) -> None:
        self.entries[(entry.key, entry.planned)] = entry

    def _warn(self, teaser: Teaser, message: str) -> None:
        self.problems.append(warning(teaser.source, None, message))


def _local(config: SiteConfig, moment: dt.datetime) -> str:
    return moment.astimezone(config.tz).isoformat()


def event_uid(site: Site, source: str, kind: str, network: str = "", variant: str = "") -> str:
    """Return a UID that survives rebuilds, edits, and moves or renames of the article's file: made from
    the article's permanent id (the one permalinks.lock recorded when it was first seen, which its feed
    entries carry too), its network and variant."""
    identity = site.feed_ids.get(source, source)
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:16]
    host = urlsplit(site.config.url).hostname or "localhost"
    parts = [digest, kind, network, variant]
    return "-".join(p for p in parts if p) + f"@{host}"


def _article_event(site: Site, article: Article) -> CalendarEvent:
    url = site.config.url + article.path
    return CalendarEvent(uid=event_uid(site, article.source, "article"), kind="article", at=article.date,
                         title=article.title, source=article.source, url=url, stamp=article.modified,
                         article_url=url)


def _teaser_event(site: Site, teaser: Teaser, article: Article, post: PostEntry | None) -> CalendarEvent:
    config = site.config
    return CalendarEvent(uid=event_uid(site, teaser.source, "teaser", teaser.network, teaser.variant),
                         kind="teaser", at=teaser.at, title=article.title, source=teaser.source,
                         url=teaser.link, stamp=article.modified, network=teaser.network,
                         variant=teaser.variant, text=teaser.text, article_url=config.url + article.path,
                         outcome=post.state if post else "", post_url=post.url if post else "",
                         posted=(post.posted or post.noticed) if post else None)


def next_due(site: Site, plan_: Plan) -> dt.datetime | None:
    """Return the next instant after ``now`` when an article or a teaser falls due."""
    upcoming = [e.at for e in plan_.events if e.at > site.now]
    scheduled = site.next_scheduled()
    if scheduled is not None:
        upcoming.append(scheduled)
    return min(upcoming, default=None)
