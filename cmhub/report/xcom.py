"""X (Twitter) analytics exports: the per-post CSV (old and new) and the account overview.

- old (analytics.twitter.com, until 2023): ``"Tweet id","Tweet permalink","Tweet text","time",
  "impressions","engagements",…,"retweets","replies","likes" (or "favorites"),…,"url clicks",…``
  with times such as ``2026-11-03 08:15 +0000``;
- new (``account_analytics_content_<from>_<to>.csv``, 2024–): ``Post id,Date,Post text,Post Link,
  Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Replies,Reposts,…,URL Clicks,…``, where
  Date is a day only, quoted with commas: ``"Tue, Jul 14, 2026"``;
- account overview (``account_overview_analytics…csv``): ``Date,Impressions,Engagements,Likes,
  Replies,Reposts,New follows,Unfollows,…``, one row per day.

X shows links as t.co links in the text, so posts are joined to articles by their text (see join).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from cmhub.report.model import Fact, ReadFile
from cmhub.report.tables import Row, Table, instant, local_day, number, x_day

NEW = ("Post id", "Date", "Post Link", "Impressions")
OLD = ("Tweet id", "Tweet permalink", "time", "impressions")
OVERVIEW = ("Date", "Impressions", "New follows", "Unfollows")
NEW_FORMAT = "X analytics post export (account_analytics_content CSV, 2024–)"
OLD_FORMAT = "X analytics tweet export (tweet_activity CSV, until 2023)"
OVERVIEW_FORMAT = "X analytics account overview (account_overview_analytics CSV)"


def read_new(name: str, table: Table) -> ReadFile:
    """Return each post's facts (one post, impressions, likes + replies + reposts, URL clicks) on its day."""
    facts: list[Fact] = []
    for row in table.rows:
        post_id = row.get("Post id")
        if not post_id:
            continue
        day = x_day(name, row.line, "Date", row.get("Date"))
        facts.extend(_post(name, row, post_id, day, None, row.get("Post Link"), row.get("Post text"),
                           ("Likes", "Replies", "Reposts"), "URL Clicks"))
    return _read(name, NEW_FORMAT, facts)


def read_old(name: str, table: Table, tz: ZoneInfo) -> ReadFile:
    """Return each tweet's facts, dated by its time (UTC in the file) in the hub's time zone."""
    facts: list[Fact] = []
    for row in table.rows:
        post_id = row.get("Tweet id")
        if not post_id:
            continue
        moment = instant(name, row.line, "time", row.get("time"))
        facts.extend(_post(name, row, post_id, local_day(moment, tz), moment.astimezone(tz),
                           row.get("Tweet permalink"), row.get("Tweet text"),
                           ("retweets", "replies", "likes|favorites"), "url clicks"))
    return _read(name, OLD_FORMAT, facts)


def read_overview(name: str, table: Table) -> ReadFile:
    """Return the account's days: followers gained (new follows minus unfollows), impressions, interactions."""
    facts: list[Fact] = []
    for row in table.rows:
        day = x_day(name, row.line, "Date", row.get("Date"))
        gained = (number(name, row, "New follows") or 0) - (number(name, row, "Unfollows") or 0)
        values = (("new_followers", gained), ("impressions", number(name, row, "Impressions", blank=None)),
                  ("engagement", _sum(name, row, ("Likes", "Replies", "Reposts"))))
        facts.extend(Fact("x", metric, day, day, value, name, network="x")
                     for metric, value in values if value is not None)
    return _read(name, OVERVIEW_FORMAT, facts)


def _post(name: str, row: Row, post_id: str, day, posted, link: str, text: str, parts: tuple[str, ...],
          clicks: str) -> list[Fact]:
    common = dict(by="post", key=post_id, network="x", page=link, text=text, posted=posted)
    facts = [Fact("x", "posts", day, day, 1, name, **common)]
    for metric, value in (("impressions", number(name, row, "Impressions", blank=None)),
                          ("engagement", _sum(name, row, parts)),
                          ("clicks", number(name, row, clicks, blank=None))):
        if value is not None:
            facts.append(Fact("x", metric, day, day, value, name, **common))
    return facts


def _sum(name: str, row: Row, columns: tuple[str, ...]) -> int | None:
    """Return the sum of the columns present ('a|b': whichever the file has), None when none is."""
    values = []
    for column in columns:
        names = column.split("|")
        if any(row.has(n) for n in names):
            values.append(number(name, row, *[n for n in names if row.has(n)]) or 0)
    return sum(values) if values else None


def _read(name: str, label: str, facts: list[Fact]) -> ReadFile:
    return ReadFile(name, label, tuple(facts), min((f.start for f in facts), default=None),
                    max((f.end for f in facts), default=None))
