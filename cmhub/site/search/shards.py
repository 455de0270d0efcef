"""Search shards: the published article pages split by when they were published, one Pagefind index each.

Pagefind reads every page it indexes again on each run, and its time and memory grow with their number
(about 4 ms and 0.3 MiB a page). One index per period of publication keeps both bounded: an edit makes
only the index of its article's period again, whatever the size of the hub. The reader's browser loads
the newest period's index and merges the others into it (Pagefind's ``mergeIndex``), each tagged with a
``shard`` filter naming its period, so that a listing by date can walk the periods newest first.

The period is the coarsest of year, month, ISO week and day that keeps the pages of an average period
at most SHARD_PAGES. It depends on the hub as a whole, so it changes (and every index is made again)
only when the hub grows past such a step. A hub whose pages all fall in one period has one index, laid
out as Pagefind writes it, under ``pagefind/``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from cmhub.content.model import Site
from cmhub.core.urls import output_file

SHARD_PAGES = 100
"""The most pages an average shard holds: about 0.4 s of Pagefind when an article of it changes."""
LEVELS = ("year", "month", "week", "day")
"""How finely the pages may be split, coarsest first."""


def period(day: dt.date, level: str) -> str:
    """Return the name of the period of ``level`` that holds ``day`` ('2026', '2026-11', '2026-W47', '2026-11-21')."""
    if level == "year":
        return f"{day.year:04d}"
    if level == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if level == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return day.isoformat()


def shard_level(days: Iterable[dt.date]) -> str:
    """Return the coarsest level whose periods hold at most SHARD_PAGES of these pages on average."""
    days = list(days)
    for level in LEVELS:
        periods = {period(day, level) for day in days}
        if len(days) <= SHARD_PAGES * max(1, len(periods)):
            return level
    return LEVELS[-1]


def page_shards(site: Site) -> dict[str, str]:
    """Return the shard of each page the index is made from (the pages of the published articles)."""
    published = site.published
    level = shard_level(article.date.date() for article in published)
    return {output_file(article.path): period(article.date.date(), level) for article in published}


def newest_first(shards: Iterable[str]) -> list[str]:
    """Return the shards' names, the newest period first (the one whose index the browser loads first)."""
    return sorted(set(shards), reverse=True)


def shard_prefix(shards: list[str], shard: str) -> str:
    """Return where a shard's index goes under the bundle: the newest at its top, the others in a folder."""
    return "" if shard == shards[0] else f"{shard}/"
