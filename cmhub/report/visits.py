"""Visits of the website over a span of days: in total, per article, and those that came from a teaser.

A visit "from social" is one whose utm_source is a value cmhub wrote for a network. With Plausible,
whose breakdowns have one dimension each, visits per network come from utm_sources.csv and visits per
article from utm_campaigns.csv (per article and network only when utm.campaign holds {network});
with GoatCounter, whose export has one row per pageview, every breakdown comes from the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from cmhub.report.facts import FactBase
from cmhub.report.model import NO_DATA, Fact, Value

Pair = tuple[str, str]


@dataclass(frozen=True)
class Breakdown:
    """Values by key; ``known`` False when no export gives this breakdown (then every key is unknown)."""

    values: Mapping[object, Value] = field(default_factory=dict)
    known: bool = False
    files: tuple[str, ...] = ()

    def get(self, key: object) -> Value:
        """Return the value for a key: 0 from the breakdown's files when it has no row, unknown when the
        breakdown itself is unknown."""
        if not self.known:
            return NO_DATA
        return self.values.get(key, Value(0, self.files))


@dataclass(frozen=True)
class Visits:
    """The website's visits over one span, from one web analytics."""

    family: str
    total: Value
    social: Value
    by_article: Breakdown
    social_by_network: Breakdown
    social_by_article: Breakdown
    social_by_pair: Breakdown
    daily: tuple[tuple[dt.date, Value], ...]
    """Visits per day (for the chart), when the export gives days."""


def _group(facts: Iterable[Fact], key) -> Breakdown:
    facts = list(facts)
    groups: dict[object, list[Fact]] = defaultdict(list)
    for fact in facts:
        groups[key(fact)].append(fact)
    files = tuple(sorted({f.file for f in facts}))
    return Breakdown({k: Value.of(v) for k, v in groups.items() if k}, bool(facts), files)


def visits_in(base: FactBase, first: dt.date, last: dt.date) -> Visits:
    """Return the website's visits over first..last (hub time zone), from the analytics covering most of it."""
    family = base.web_family(first, last)
    if not family:
        empty = Breakdown()
        return Visits("", NO_DATA, NO_DATA, empty, empty, empty, empty, ())
    facts = base.select(first, last, "visits", family=(family,))
    if family == "goatcounter":
        totals = [f for f in facts if f.by == "hit"]
        pages = campaigns = sources = totals
        social_rows = [f for f in totals if f.network]
    else:
        totals = [f for f in facts if f.by == ""]
        pages = [f for f in facts if f.by == "page"]
        campaigns = [f for f in facts if f.by == "campaign"]
        sources = [f for f in facts if f.by == "source"]
        social_rows = [f for f in sources if f.network]
    by_network = _group(sources, lambda f: f.network)
    daily: dict[dt.date, list[Fact]] = defaultdict(list)
    for fact in totals:
        if fact.start == fact.end:
            daily[fact.start].append(fact)
    social = Value.of(social_rows) if sources else NO_DATA
    if sources and not social_rows:
        social = Value(0, by_network.files)
    social_campaigns = [f for f in campaigns if f.article and (family == "plausible" or f.network)]
    return Visits(
        family=family,
        total=Value.of(totals) if totals else NO_DATA,
        social=social,
        by_article=_group(pages, lambda f: f.article),
        social_by_network=by_network,
        social_by_article=_known(_group(social_campaigns, lambda f: f.article), campaigns),
        social_by_pair=_known(_group(social_campaigns, lambda f: (f.article, f.network) if f.network else None),
                              campaigns if family == "goatcounter" or any(f.network for f in campaigns) else []),
        daily=tuple((day, Value.of(found)) for day, found in sorted(daily.items())),
    )


def _known(breakdown: Breakdown, rows: list[Fact]) -> Breakdown:
    """Return the breakdown, known whenever the export has the rows it is taken from (even if none matched)."""
    files = tuple(sorted({f.file for f in rows}))
    return Breakdown(breakdown.values, bool(rows), files)
