"""What the report is made of: facts read from export files, values with their sources, periods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

METRIC_NAMES = ("visits", "social_visits", "posts", "impressions", "engagement", "clicks", "new_followers",
                "followers")


@dataclass(frozen=True)
class Fact:
    """One number an export file states: a metric over some days, about the hub, a page or a post.

    ``by`` says what the number is broken down by, which decides how facts add up:
    '' (the whole site or the whole account, per day or per range), 'page', 'campaign', 'source'
    (a web-analytics breakdown by page path, utm_campaign or utm_source value), 'hit' (one visit of
    one page, GoatCounter), 'post' (one post's lifetime counts, dated by its publication) and
    'account' (a follower count on a day).
    """

    family: str
    """Who measured it: 'plausible', 'goatcounter', 'meta', 'linkedin', 'x' or 'cmhub'."""
    metric: str
    """One of METRIC_NAMES ('visits' rows of a 'source' or 'campaign' breakdown become social visits
    when their value is one cmhub wrote)."""
    start: dt.date
    end: dt.date
    """The days the value covers, both included, in the hub's time zone."""
    value: int
    file: str
    """The export file it comes from, as the report names it."""
    by: str = ""
    key: str = ""
    """The row's identity within its breakdown: page path, campaign, post id, visit."""
    network: str = ""
    """The network it is about; '' for the website."""
    article: str = ""
    """The article it is about (its source, 'content/x.md'), once known."""
    page: str = ""
    """A URL or path the row is about, which may lead to an article."""
    text: str = ""
    """A post's text, which may hold a link to an article."""
    campaign: str = ""
    """The utm_campaign value the row carries."""
    utm_source: str = ""
    """The utm_source value the row carries."""
    posted: dt.datetime | None = None
    """A post's instant, when the export gives its time (for the best slots)."""

    def identity(self) -> tuple[object, ...]:
        """Return what the row means; two files stating the same thing give facts with one identity."""
        if self.by == "post":
            return ("post", self.metric, self.network, self.key)
        return (self.family, self.metric, self.network, self.by, self.key, self.start, self.end)


@dataclass(frozen=True)
class Value:
    """A number of the report and the files it comes from; ``amount`` None means no data."""

    amount: int | None
    sources: tuple[str, ...] = ()

    @staticmethod
    def of(facts: Iterable[Fact]) -> Value:
        """Return the sum of facts' values, with their files; no facts gives 0 with no source."""
        total, files = 0, set()
        for fact in facts:
            total += fact.value
            files.add(fact.file)
        return Value(total, tuple(sorted(files)))

    def __add__(self, other: Value) -> Value:
        if self.amount is None:
            return other
        if other.amount is None:
            return self
        return Value(self.amount + other.amount, tuple(sorted({*self.sources, *other.sources})))


NO_DATA = Value(None)


@dataclass(frozen=True)
class Note:
    """Something the report says about its files (what was not used, counted once, left out), written
    in the hub's language from ``REPORT_STRINGS['note_<key>']``."""

    key: str
    values: tuple[tuple[str, str], ...] = ()

    @staticmethod
    def of(key: str, count: int | None = None, **values: object) -> Note:
        """Return a note; with a ``count``, its key ends in '_one' or '_many'."""
        if count is not None:
            key, values = f"{key}_{'one' if count == 1 else 'many'}", {**values, "count": count}
        return Note(key, tuple((name, str(value)) for name, value in values.items()))

    def text(self, strings: Mapping[str, str]) -> str:
        """Return the note in the language of ``strings``."""
        return strings[f"note_{self.key}"].format(**dict(self.values))


@dataclass(frozen=True)
class PostRecord:
    """One line of posts.lock: a teaser that ``cmhub publish`` posted."""

    source: str
    network: str
    variant: str
    post_id: str
    url: str
    posted: dt.datetime
    account: str = ""


@dataclass(frozen=True)
class ReadFile:
    """One export file as read: what format it is, the facts it states and the days it covers."""

    file: str
    format: str
    """The format's name and version, as docs/report.md lists them."""
    facts: tuple[Fact, ...]
    first: dt.date | None = None
    last: dt.date | None = None
    notes: tuple[Note, ...] = ()
    """What was read but not used, and why."""
    posts: tuple[PostRecord, ...] = ()
    """The records of posts.lock, when the file is that ledger."""


@dataclass(frozen=True)
class Period:
    """The days a report covers, both included, in the hub's time zone."""

    label: str
    """'2026-11', '2026-W48', '2026-Q4', '2026', or '2026-11-01_2026-11-15' (the report's file name)."""
    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        """How many days the period has."""
        return (self.end - self.start).days + 1
