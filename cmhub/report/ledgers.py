"""What cmhub itself keeps about its posts, as the report reads it: ``posts.lock`` (schema versions 1
and 2) and ``interactions.jsonl`` (version 1).

``cmhub publish`` and ``cmhub interactions`` write them; their formats are defined once, in
``cmhub.ledgers.posts_lock`` (posts.lock: ``parse_posts``, ``format_posts``) and ``cmhub.ledgers.conversation``
(``format_interactions``). docs/report.md is the reference. A missed teaser (posts.lock version 2,
``state: missed``) is no post: the report counts posts that went out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from cmhub.core.errors import CmhubError, error
from cmhub.ledgers.conversation import COUNT_KEYS, INTERACTIONS_NAME
from cmhub.ledgers.conversation import INTERACTIONS_VERSION as VERSION
from cmhub.ledgers.posts_lock import POSTS_NAME, instant, parse_posts, text_field
from cmhub.ledgers.posts_lock import VERSION as POSTS_VERSION
from cmhub.report.model import Fact, PostRecord, ReadFile

POSTS_FORMAT = f"cmhub posts ledger ({POSTS_NAME}, version {POSTS_VERSION})"
INTERACTIONS_FORMAT = f"cmhub interactions ({INTERACTIONS_NAME}, version {VERSION})"


def ledger_kind(first_line: str) -> str | None:
    """Return 'posts.lock' or 'interactions' when a file's first line is one of these headers."""
    try:
        header = json.loads(first_line)
    except ValueError:
        return None
    if isinstance(header, dict) and header.get("cmhub") in (POSTS_NAME, "interactions"):
        return str(header["cmhub"])
    return None


def _lines(name: str, text: str, kind: str) -> list[tuple[int, Mapping[str, Any]]]:
    lines = text.splitlines()
    try:
        header = json.loads(lines[0]) if lines else {}
    except ValueError:
        header = {}
    if not isinstance(header, dict):
        header = {}
    version = header.get("version")
    if header.get("cmhub") != kind or not isinstance(version, int):
        raise CmhubError([error(name, 1, f'must start with {{"cmhub":"{kind}","version":{VERSION}}}')])
    if version > VERSION:
        raise CmhubError([error(name, 1, f"was written by a newer cmhub (schema version {version}); this one "
                                         f"reads version {VERSION}: update cmhub")])
    records = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise CmhubError([error(name, number, f"damaged line: {exc}; restore the file from version "
                                                  f"control")]) from exc
        if not isinstance(record, dict):
            raise CmhubError([error(name, number, "each line must be a JSON object")])
        records.append((number, record))
    return records


def _count(name: str, line: int, record: Mapping[str, Any], key: str) -> int:
    value = record.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CmhubError([error(name, line, f"'{key}' must be a whole number >= 0, got {value!r}")])
    return value


def read_posts(name: str, text: str, tz: ZoneInfo) -> ReadFile:
    """Return one post fact per posted teaser (dated in the hub's time zone), with the ledger's records."""
    records = [PostRecord(e.source, e.network, e.variant, e.post_id, e.url, e.posted, e.account)
               for e in parse_posts(text, name).posted() if e.posted is not None]
    facts = tuple(Fact("cmhub", "posts", local.date(), local.date(), 1, name, by="post", key=r.post_id,
                       network=r.network, article=r.source, page=r.url, posted=local)
                  for r in records for local in (r.posted.astimezone(tz),))
    return ReadFile(name, POSTS_FORMAT, facts, min((f.start for f in facts), default=None),
                    max((f.end for f in facts), default=None), posts=tuple(records))


def read_interactions(name: str, text: str, tz: ZoneInfo) -> ReadFile:
    """Return each post's interactions (replies + reposts + likes, dated later by posts.lock) and each
    follower count (dated by its fetch in the hub's time zone). Lines of other kinds are left alone."""
    facts = []
    for line, record in _lines(name, text, "interactions"):
        kind = record.get("kind")
        if kind not in ("post", "account"):
            continue
        network = text_field(name, line, record, "network")
        fetched = instant(name, line, record, "fetched").astimezone(tz)
        day = fetched.date()
        if kind == "post":
            total = sum(_count(name, line, record, key) for key in COUNT_KEYS)
            facts.append(Fact("cmhub", "engagement", day, day, total, name, by="post",
                              key=text_field(name, line, record, "post_id"), network=network))
        else:
            facts.append(Fact("cmhub", "followers", day, day, _count(name, line, record, "followers"), name,
                              by="account", key=text_field(name, line, record, "account"), network=network,
                              posted=fetched))
    return ReadFile(name, INTERACTIONS_FORMAT, tuple(facts), min((f.start for f in facts), default=None),
                    max((f.end for f in facts), default=None))
