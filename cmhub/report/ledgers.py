"""What cmhub itself keeps about its posts: ``posts.lock`` and ``interactions.jsonl`` (schema version 1).

Both are JSON Lines, committed beside ``site.yml``: a first line naming the file and its schema
version, then one JSON object per line, sorted, so that concurrent identical additions merge cleanly.
``cmhub publish`` writes them (``format_posts`` and ``format_interactions`` give the exact bytes);
``cmhub report`` reads them. docs/report.md is the reference.

posts.lock, one line per posted teaser, keyed by the teaser key (source, network, variant)::

    {"cmhub":"posts.lock","version":1}
    {"source":"content/a.md","network":"mastodon","variant":"launch","post_id":"1134","url":"https://…","posted":"2026-11-20T08:00:00Z","account":"@asso@piaille.fr"}

interactions.jsonl, one line per fetch of a post's counts or an account's follower count::

    {"cmhub":"interactions","version":1}
    {"kind":"account","network":"mastodon","account":"@asso@piaille.fr","fetched":"2026-11-21T06:00:00Z","followers":143}
    {"kind":"post","network":"mastodon","post_id":"1134","fetched":"2026-11-21T06:00:00Z","replies":2,"reposts":5,"likes":12}
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from cmhub.errors import CmhubError, error
from cmhub.report.model import Fact, PostRecord, ReadFile

POSTS_NAME = "posts.lock"
INTERACTIONS_NAME = "interactions.jsonl"
VERSION = 1
POST_KEYS = ("source", "network", "variant", "post_id", "url", "posted", "account")
COUNT_KEYS = ("replies", "reposts", "likes")
POSTS_FORMAT = f"cmhub posts ledger ({POSTS_NAME}, version {VERSION})"
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


def _text(name: str, line: int, record: Mapping[str, Any], key: str, required: bool = True) -> str:
    value = record.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise CmhubError([error(name, line, f"'{key}' must be a non-empty string, got {value!r}")])
    return value.strip()


def _instant(name: str, line: int, record: Mapping[str, Any], key: str) -> dt.datetime:
    text = _text(name, line, record, key)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or not 1990 <= moment.year < 2200:
        raise CmhubError([error(name, line, f"'{key}' must be a UTC instant such as 2026-11-20T08:00:00Z, "
                                            f"got {text!r}")])
    return moment.astimezone(dt.UTC)


def _count(name: str, line: int, record: Mapping[str, Any], key: str) -> int:
    value = record.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CmhubError([error(name, line, f"'{key}' must be a whole number >= 0, got {value!r}")])
    return value


def read_posts(name: str, text: str, tz: ZoneInfo) -> ReadFile:
    """Return one post fact per posted teaser (dated in the hub's time zone), with the ledger's records."""
    records = []
    for line, record in _lines(name, text, POSTS_NAME):
        records.append(PostRecord(
            source=_text(name, line, record, "source"), network=_text(name, line, record, "network"),
            variant=_text(name, line, record, "variant"), post_id=_text(name, line, record, "post_id"),
            url=_text(name, line, record, "url"), posted=_instant(name, line, record, "posted"),
            account=_text(name, line, record, "account", required=False)))
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
        network = _text(name, line, record, "network")
        fetched = _instant(name, line, record, "fetched").astimezone(tz)
        day = fetched.date()
        if kind == "post":
            total = sum(_count(name, line, record, key) for key in COUNT_KEYS)
            facts.append(Fact("cmhub", "engagement", day, day, total, name, by="post",
                              key=_text(name, line, record, "post_id"), network=network))
        else:
            facts.append(Fact("cmhub", "followers", day, day, _count(name, line, record, "followers"), name,
                              by="account", key=_text(name, line, record, "account"), network=network,
                              posted=fetched))
    return ReadFile(name, INTERACTIONS_FORMAT, tuple(facts), min((f.start for f in facts), default=None),
                    max((f.end for f in facts), default=None))


def format_posts(records: Iterable[PostRecord]) -> str:
    """Return posts.lock's text for these records: the header, then one line per record, sorted."""
    lines = [_dump({"cmhub": POSTS_NAME, "version": VERSION})]
    for r in sorted(records, key=lambda r: (r.source, r.network, r.variant, r.post_id)):
        item = {"source": r.source, "network": r.network, "variant": r.variant, "post_id": r.post_id,
                "url": r.url, "posted": r.posted.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
        if r.account:
            item["account"] = r.account
        lines.append(_dump(item))
    return "\n".join(lines) + "\n"


def format_interactions(records: Iterable[Mapping[str, Any]]) -> str:
    """Return interactions.jsonl's text: the header, then each record (its keys in the documented order)
    sorted by kind, network, post or account, and fetch instant."""
    order = ("kind", "network", "account", "post_id", "fetched", "followers", *COUNT_KEYS)
    items = [{k: r[k] for k in (*order, *sorted(set(r) - set(order))) if k in r} for r in records]
    items.sort(key=lambda r: (str(r.get("kind")), str(r.get("network")), str(r.get("post_id", r.get("account"))),
                              str(r.get("fetched"))))
    return "\n".join([_dump({"cmhub": "interactions", "version": VERSION}), *map(_dump, items)]) + "\n"


def _dump(item: Mapping[str, Any]) -> str:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))
