"""Meta Business Suite exports: post-level CSV (Facebook and Instagram) and page-level daily series.

The post export is UTF-8 with a byte-order mark, one row per post with its lifetime totals; its
column set changes from month to month (32, 33 or 34 columns), so only a subset is required. The
page series are UTF-16 LE files whose first line is ``sep=,``, second line the metric's name, then
``"Date","Primary"`` and one row per day. ``Audience.csv`` stacks demographic blocks the same way.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from cmhub.core.errors import CmhubError, error
from cmhub.report.model import Fact, Note, ReadFile
from cmhub.report.tables import Row, Table, iso_day, missing, number, read_csv, us_moment

POSTS = ("Post ID", "Permalink", "Publish time", "Post type")
POSTS_FORMAT = "Meta Business Suite post export (CSV, UTF-8 with BOM)"
SERIES_FORMAT = "Meta Business Suite page series (CSV, UTF-16 with a sep=, line)"
SERIES = ("Date", "Primary")
_SERIES_METRICS = (("unfollow", "new_followers", -1), ("follow", "new_followers", 1),
                   ("interaction", "engagement", 1), ("link click", "clicks", 1), ("views", "impressions", 1))
"""Words of a series' metric name, and what it counts for (the first that matches wins)."""
_AUDIENCE = ("age & gender", "age and gender", "top cities", "top countries", "top pages", "gender",
             "top territories")


def read_posts(name: str, table: Table, tz: ZoneInfo) -> ReadFile:
    """Return each post's facts: one post, its views, interactions and clicks (lifetime totals), dated
    by its publish time (read in the hub's time zone), with its text and permalink for the join."""
    facts: list[Fact] = []
    for row in table.rows:
        post_id = row.get("Post ID")
        if not post_id:
            continue
        day, moment = us_moment(name, row.line, "Publish time", row.get("Publish time"))
        posted = dt.datetime.combine(day, moment, tz) if moment is not None else None
        permalink = row.get("Permalink")
        network = "instagram" if "instagram.com" in (urlsplit(permalink).hostname or "") else "facebook"
        text = "\n".join(t for t in (row.get("Title"), row.get("Description")) if t)
        common = dict(by="post", key=post_id, network=network, page=permalink, text=text, posted=posted)
        facts.append(Fact("meta", "posts", day, day, 1, name, **common))
        for metric, value in (("impressions", number(name, row, "Views", "Impressions", blank=None)),
                              ("engagement", _interactions(name, row)),
                              ("clicks", number(name, row, "Total clicks", blank=None))):
            if value is not None:
                facts.append(Fact("meta", metric, day, day, value, name, **common))
    return ReadFile(name, POSTS_FORMAT, tuple(facts), min((f.start for f in facts), default=None),
                    max((f.end for f in facts), default=None))


def _interactions(name: str, row: Row) -> int | None:
    """Reactions, comments and shares: Meta's own total, else the sum of its parts."""
    total = number(name, row, "Reactions, Comments and Shares", blank=None)
    if total is not None:
        return total
    parts = [number(name, row, column, blank=None) for column in ("Reactions", "Likes", "Comments", "Shares")]
    known = [p for p in parts if p is not None]
    return sum(known) if known else None


def read_series(name: str, text: str) -> ReadFile:
    """Return the days of one page-level series (follows, interactions, link clicks, views), or nothing
    for Audience.csv's demographic blocks. Raises CmhubError for a series cmhub cannot read."""
    lines = text.splitlines()
    title = lines[1].strip().strip('"').strip() if len(lines) > 1 else ""
    network = "instagram" if "instagram" in title.casefold() else "facebook"
    header = lines[2].casefold() if len(lines) > 2 else ""
    if title.casefold() in _AUDIENCE or "date" not in header:
        if title.casefold() in _AUDIENCE:
            return ReadFile(name, SERIES_FORMAT + ", audience", (), notes=(Note.of("audience"),))
        raise CmhubError([error(name, 3, f"expected a Meta page series: 'sep=,', the metric's name, then the "
                                         f"columns {', '.join(SERIES)}")])
    table = read_csv(name, text, skip=2)
    lacking = missing(table, SERIES)
    if lacking:
        raise CmhubError([error(name, 3, f"expected the columns {', '.join(SERIES)} of a Meta page series; "
                                         f"missing: {', '.join(lacking)}")])
    found = next(((metric, sign) for word, metric, sign in _SERIES_METRICS if word in title.casefold()), None)
    days = [iso_day(name, row.line, "Date", row.get("Date")) for row in table.rows]
    if found is None:
        return ReadFile(name, SERIES_FORMAT, (), min(days, default=None), max(days, default=None),
                        (Note.of("series_unused", series=title),))
    metric, sign = found
    facts = [Fact("meta", metric, day, day, sign * (number(name, row, "Primary") or 0), name, network=network,
                  key="unfollows" if sign < 0 else "")
             for day, row in zip(days, table.rows, strict=True)]
    return ReadFile(name, f"{SERIES_FORMAT}: {title}", tuple(facts), min(days, default=None),
                    max(days, default=None))
