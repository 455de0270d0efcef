"""Search shards: the published article pages split by when they were published, one Pagefind index each.

Pagefind reads every page it indexes again on each run, and its time and memory grow with their number
(about 4 ms and 0.3 MiB a page). One index per period of publication keeps both bounded: an edit makes
only the index of its article's period again, whatever the size of the hub. The reader's browser loads
the newest period's index and merges the others into it (Pagefind's ``mergeIndex``), each tagged with a
``shard`` filter naming its period, so that a listing by date can walk the periods newest first.

A period is a window of days that never moves; its length is the longest power of two (1,024 days
down to one) that keeps the pages of an average window at most SHARD_PAGES. Each Pagefind run has a
cost of its own (it writes its program and interfaces every time), so shards are no smaller than that.
The length depends on the hub as a whole: it changes (and every index is made again) only when the
hub's density doubles. A hub whose pages all fall in one window has one index, laid out as Pagefind
writes it, under ``pagefind/``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from cmhub.content.model import Site
from cmhub.core.urls import output_file

SHARD_PAGES = 100
"""The most pages an average shard holds: about 0.4 s of Pagefind when an article of it changes."""
SPANS = tuple(2 ** k for k in range(10, -1, -1))
"""How many days a shard may span, longest first (1,024 days down to one)."""


def period(day: dt.date, span: int) -> str:
    """Return the name of the shard of ``span`` days that holds ``day``: the date it starts on.

    Shards are windows of ``span`` days counted from 1 January of year 1, so that a window never moves.
    """
    return dt.date.fromordinal(day.toordinal() - (day.toordinal() - 1) % span).isoformat()


def shard_span(days: Iterable[dt.date]) -> int:
    """Return the longest span whose shards hold at most SHARD_PAGES of these pages on average."""
    ordinals = [day.toordinal() - 1 for day in days]
    for span in SPANS:
        if len(ordinals) <= SHARD_PAGES * max(1, len({ordinal // span for ordinal in ordinals})):
            return span
    return SPANS[-1]


def page_shards(site: Site) -> dict[str, str]:
    """Return the shard of each page the index is made from (the pages of the published articles)."""
    published = site.published
    span = shard_span(article.date.date() for article in published)
    return {output_file(article.path): period(article.date.date(), span) for article in published}


def newest_first(shards: Iterable[str]) -> list[str]:
    """Return the shards' names, the newest period first (the one whose index the browser loads first)."""
    return sorted(set(shards), reverse=True)


def shard_prefix(shards: list[str], shard: str) -> str:
    """Return where a shard's index goes under the bundle: the newest at its top, the others in a folder."""
    return "" if shard == shards[0] else f"{shard}/"
