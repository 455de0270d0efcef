"""The report as data: goals, weeks planned versus posted, networks, articles, best slots, sources."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cmhub.report.facts import FactBase
from cmhub.report.join import ArticleRef
from cmhub.report.model import NO_DATA, Fact, Note, Period, ReadFile, Value
from cmhub.report.period import weeks_of
from cmhub.report.progress import GoalStatus, Measure, measure_goal
from cmhub.report.visits import Visits, visits_in
from cmhub.settings.config import SiteConfig
from cmhub.settings.goals import Goal, cadence_goals


@dataclass(frozen=True)
class WeekRow:
    """One week on one network: teasers planned, posts published, and the cadence goal."""

    week: Period
    network: str
    planned: Value
    posted: Value
    cadence: int
    """Posts per week wanted (0: no cadence goal)."""


@dataclass(frozen=True)
class NetworkRow:
    """One network over the period."""

    network: str
    posts: Value
    engagement: Value
    impressions: Value
    clicks: Value
    new_followers: Value
    social_visits: Value
    engagement_per_post: float | None
    visits_per_post: float | None


@dataclass(frozen=True)
class ArticleRow:
    """One article over the period: the website's visits, those from teasers, its posts."""

    article: ArticleRef
    visits: Value
    social_visits: Value
    social_by_network: Mapping[str, Value]
    posts: Value
    engagement: Value


@dataclass(frozen=True)
class SlotRow:
    """A weekday and hour (hub time zone) at which a network's posts drew interactions."""

    network: str
    weekday: int
    hour: int
    posts: int
    engagement: Value

    @property
    def average(self) -> float:
        """Interactions per post."""
        return (self.engagement.amount or 0) / self.posts


@dataclass(frozen=True)
class Planned:
    """A teaser the plan puts on the calendar: its network, instant, and article."""

    network: str
    at: dt.datetime
    source: str


@dataclass(frozen=True)
class Report:
    """Everything the report shows, computed once; the writers only lay it out."""

    config: SiteConfig
    period: Period
    as_of: dt.date
    goals: tuple[GoalStatus, ...]
    weeks: tuple[WeekRow, ...]
    networks: tuple[NetworkRow, ...]
    articles: tuple[ArticleRow, ...]
    slots: tuple[SlotRow, ...]
    visits: Visits
    sources: tuple[ReadFile, ...]
    notes: tuple[Note, ...]
    plan_source: str


def assemble(config: SiteConfig, period: Period, as_of: dt.date, base: FactBase, sources: Sequence[ReadFile],
             articles: Mapping[str, ArticleRef], planned: Sequence[Planned], plan_source: str,
             notes: Sequence[Note] = ()) -> Report:
    """Return the report of ``period`` as of ``as_of`` from the facts of the files read."""
    enabled = [n.name for n in config.networks.values() if n.enabled]
    networks = [*enabled, *(n for n in base.networks() if n not in enabled)]
    measure = Measure(base, networks)
    goals = tuple(measure_goal(g, measure, period, as_of) for g in all_goals(config))
    visits = visits_in(base, period.start, period.end)
    return Report(
        config=config, period=period, as_of=as_of, goals=goals,
        weeks=tuple(_weeks(config, period, base, networks, planned, plan_source)),
        networks=tuple(_networks(period, base, networks, visits)),
        articles=tuple(_articles(period, base, visits, articles, networks)),
        slots=tuple(_slots(config, period, base)),
        visits=visits, sources=tuple(sources),
        notes=tuple([*notes, *_reconciled(base, period)]), plan_source=plan_source)


def all_goals(config: SiteConfig) -> tuple[Goal, ...]:
    """Return the goals of site.yml, then every network's cadence as a posts-per-week goal."""
    return (*config.goals, *cadence_goals(config.networks))


def _weeks(config: SiteConfig, period: Period, base: FactBase, networks: Sequence[str],
           planned: Sequence[Planned], plan_source: str) -> list[WeekRow]:
    counts: dict[tuple[str, dt.date], int] = defaultdict(int)
    for teaser in planned:
        day = teaser.at.astimezone(config.tz).date()
        counts[(teaser.network, day - dt.timedelta(days=day.weekday()))] += 1
    rows = []
    for week in weeks_of(period):
        for network in networks:
            cadence = config.networks[network].cadence if network in config.networks else 0
            rows.append(WeekRow(week, network, Value(counts[(network, week.start)], (plan_source,)),
                                base.network_total(week.start, week.end, "posts", network), cadence))
    return rows


def _networks(period: Period, base: FactBase, networks: Sequence[str], visits: Visits) -> list[NetworkRow]:
    rows = []
    for network in networks:
        def total(metric: str, network: str = network) -> Value:
            return base.network_total(period.start, period.end, metric, network)
        posts = total("posts")
        per_post = base.select(period.start, period.end, "engagement", by=("post",), network=network)
        social = visits.social_by_network.get(network)
        count = posts.amount or 0
        rows.append(NetworkRow(
            network, posts, total("engagement"), total("impressions"), total("clicks"), total("new_followers"),
            social, sum(f.value for f in per_post) / count if count and per_post else None,
            social.amount / count if count and social.amount is not None else None))
    ranked = sorted(rows, key=lambda r: (-(r.visits_per_post or -1), -(r.engagement_per_post or -1),
                                         networks.index(r.network)))
    return [r for r in ranked if r.posts.amount or r.social_visits.amount] + \
        [r for r in ranked if not (r.posts.amount or r.social_visits.amount)]


def _articles(period: Period, base: FactBase, visits: Visits, articles: Mapping[str, ArticleRef],
              networks: Sequence[str]) -> list[ArticleRow]:
    posts: dict[str, list[Fact]] = defaultdict(list)
    engagement: dict[str, list[Fact]] = defaultdict(list)
    for fact in base.select(period.start, period.end, "posts", by=("post",)):
        if fact.article:
            posts[fact.article].append(fact)
    for fact in base.select(period.start, period.end, "engagement", by=("post",)):
        if fact.article:
            engagement[fact.article].append(fact)
    shown = {k for k in (*visits.by_article.values, *visits.social_by_article.values, *posts)
             if isinstance(k, str) and k in articles}
    def zero(found: dict[str, list[Fact]]) -> Value:
        files = tuple(sorted({f.file for facts in found.values() for f in facts}))
        return Value(0, files) if files else NO_DATA

    rows = [ArticleRow(articles[s], visits.by_article.get(s), visits.social_by_article.get(s),
                       {n: visits.social_by_pair.get((s, n)) for n in networks},
                       Value.of(posts[s]) if s in posts else zero(posts),
                       Value.of(engagement[s]) if s in engagement else zero(engagement))
            for s in shown]
    return sorted(rows, key=lambda r: (-(r.social_visits.amount or 0), -(r.visits.amount or 0), r.article.title,
                                       r.article.source))


def _slots(config: SiteConfig, period: Period, base: FactBase, limit: int = 5) -> list[SlotRow]:
    engagement = {(f.network, f.key): f for f in base.select(period.start, period.end, "engagement", by=("post",))}
    groups: dict[tuple[str, int, int], list[Fact]] = defaultdict(list)
    for post in base.select(period.start, period.end, "posts", by=("post",)):
        found = engagement.get((post.network, post.key))
        if post.posted is not None and found is not None:
            local = post.posted.astimezone(config.tz)
            groups[(post.network, local.weekday(), local.hour)].append(found)
    rows = [SlotRow(network, weekday, hour, len(facts), Value.of(facts))
            for (network, weekday, hour), facts in groups.items()]
    rows.sort(key=lambda r: (-r.average, -r.posts, r.network, r.weekday, r.hour))
    return rows[:limit]


def _reconciled(base: FactBase, period: Period) -> list[Note]:
    notes = [Note.of("duplicates", count, file=dropped, kept=kept)
             for (kept, dropped), count in sorted(base.duplicates.items())]
    for overlap in base.span(period.start, period.end)[1]:
        notes.append(Note.of("wider" if overlap.wider else "overlap", files=", ".join(overlap.files),
                             days=f"{overlap.start.isoformat()}..{overlap.end.isoformat()}"))
    return notes
