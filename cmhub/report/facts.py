"""Reconciling what several export files say, and adding it up over any span of days.

Two rules keep every number counted once (docs/report.md, "Same month twice"):

1. **Same meaning, one fact.** Facts with the same identity (``Fact.identity``: who measured it,
   the metric, the network, the breakdown, the row's key and its days; for a post, the network and
   the post id) are one fact, however many files state it. The largest value wins: post counters
   and partial days only grow, so the largest is the latest export. Ties go to the file first by name.
2. **Overlapping spans, one choice.** A value over several days (a Plausible export's breakdowns,
   its weekly or monthly rows) cannot be split. For a span of days, cmhub keeps the values that lie
   inside it, one file's range at a time: the longest range first, then any range that does not
   overlap one already kept (earliest first). What is left out is said in the report's notes.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from cmhub.report.model import NO_DATA, Fact, Value

Span = tuple[dt.date, dt.date]
WEB = ("goatcounter", "plausible")


@dataclass(frozen=True)
class Overlap:
    """A range of an export left out of a span: wider than the span, or overlapping a range kept."""

    family: str
    files: tuple[str, ...]
    start: dt.date
    end: dt.date
    wider: bool
    """True: the range reaches outside the span; False: it overlaps another range kept."""


class FactBase:
    """The facts of every file read, deduplicated, and added up over spans of days."""

    def __init__(self, facts: Iterable[Fact]):
        kept: dict[tuple[object, ...], Fact] = {}
        self.duplicates: dict[tuple[str, str], int] = defaultdict(int)
        """(file kept, file whose row was the same) -> rows counted once."""
        for fact in sorted(facts, key=lambda f: f.file):
            identity = fact.identity()
            other = kept.get(identity)
            if other is None:
                kept[identity] = fact
                continue
            winner, loser = (fact, other) if fact.value > other.value else (other, fact)
            kept[identity] = winner
            if winner.file != loser.file:
                self.duplicates[(winner.file, loser.file)] += 1
        self.facts = tuple(kept.values())

    @functools.lru_cache(maxsize=512)  # noqa: B019 - one FactBase per report, asked about a few spans
    def span(self, first: dt.date, last: dt.date) -> tuple[tuple[Fact, ...], tuple[Overlap, ...]]:
        """Return the facts counted for the days first..last, and the ranges left out."""
        chosen: list[Fact] = []
        blocks: dict[tuple[str, str, str], dict[Span, list[Fact]]] = defaultdict(lambda: defaultdict(list))
        for fact in self.facts:
            if fact.by in ("post", "account"):
                if first <= fact.start <= last:
                    chosen.append(fact)
            else:
                blocks[(fact.family, fact.metric, fact.by)][(fact.start, fact.end)].append(fact)
        left_out: dict[tuple[str, dt.date, dt.date, bool], set[str]] = defaultdict(set)
        for (family, _, _), ranges in blocks.items():
            inside = [r for r in ranges if first <= r[0] and r[1] <= last]
            for start, end in ranges:
                if (start, end) not in inside and start <= last and end >= first:
                    left_out[(family, start, end, True)].update(f.file for f in ranges[(start, end)])
            accepted: list[Span] = []
            for start, end in sorted(inside, key=lambda r: (r[0] - r[1], r[0])):
                if any(start <= b and a <= end for a, b in accepted):
                    left_out[(family, start, end, False)].update(f.file for f in ranges[(start, end)])
                    continue
                accepted.append((start, end))
                chosen.extend(ranges[(start, end)])
        overlaps = tuple(Overlap(family, tuple(sorted(files)), start, end, wider)
                         for (family, start, end, wider), files in sorted(left_out.items()))
        return tuple(chosen), overlaps

    def select(self, first: dt.date, last: dt.date, metric: str, *, by: Iterable[str] | None = None,
               network: str | None = None, family: Iterable[str] | None = None) -> list[Fact]:
        """Return the facts of one metric counted for first..last, filtered."""
        bys = None if by is None else set(by)
        families = None if family is None else set(family)
        return [f for f in self.span(first, last)[0] if f.metric == metric
                and (bys is None or f.by in bys) and (network is None or f.network == network)
                and (families is None or f.family in families)]

    def networks(self) -> list[str]:
        """Return the networks any fact is about."""
        return sorted({f.network for f in self.facts if f.network})

    def web_family(self, first: dt.date, last: dt.date) -> str:
        """Return the web analytics whose visits the report counts for a span: the one covering the most
        days of it (Plausible and GoatCounter measuring the same site would count visits twice)."""
        days: dict[str, set[dt.date]] = defaultdict(set)
        for fact in self.select(first, last, "visits", by=("", "hit", "page", "source", "campaign"), family=WEB):
            days[fact.family].update(fact.start + dt.timedelta(n) for n in range((fact.end - fact.start).days + 1))
        return max(sorted(days), key=lambda f: len(days[f] & _days(first, last)), default="")

    def network_total(self, first: dt.date, last: dt.date, metric: str, network: str) -> Value:
        """Return a network's total of a metric: from its account-level days when an export gives them,
        else the sum of its posts' values (a post counts in the span it was posted in)."""
        account = self.select(first, last, metric, by=("",), network=network)
        if account:
            return Value.of(account)
        posts = self.select(first, last, metric, by=("post",), network=network)
        if posts:
            return Value.of(posts)
        covered = self.coverage(metric, network)
        if covered and covered[0] <= last and first <= covered[1]:
            return Value(0, covered[2])
        return NO_DATA

    @functools.lru_cache(maxsize=64)  # noqa: B019 - see span
    def coverage(self, metric: str, network: str) -> tuple[dt.date, dt.date, tuple[str, ...]] | None:
        """Return the first and last days any file gives a network's metric for, and those files: inside
        that range a day without a fact is a real zero, outside it is unknown. cmhub's own ledgers
        (posts.lock) record every post from their first one on: they cover every day after it."""
        facts = [f for f in self.facts if f.metric == metric and f.network == network and f.by in ("", "post")]
        if not facts:
            return None
        last = dt.date.max if any(f.family == "cmhub" for f in facts) else max(f.end for f in facts)
        return min(f.start for f in facts), last, tuple(sorted({f.file for f in facts}))

    def followers_at(self, day: dt.date, network: str) -> Value:
        """Return a network's follower count on a day: the latest count fetched on or before it (summed
        over the network's accounts)."""
        latest: dict[str, Fact] = {}
        for fact in self.facts:
            if fact.metric == "followers" and fact.network == network and fact.start <= day:
                known = latest.get(fact.key)
                if known is None or _when(fact) > _when(known):
                    latest[fact.key] = fact
        return Value.of(latest.values()) if latest else NO_DATA


def _when(fact: Fact) -> tuple[dt.date, float]:
    return fact.start, fact.posted.timestamp() if fact.posted else 0.0


def _days(first: dt.date, last: dt.date) -> set[dt.date]:
    return {first + dt.timedelta(n) for n in range((last - first).days + 1)}
