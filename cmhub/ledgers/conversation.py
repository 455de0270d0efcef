"""What `cmhub interactions` brings home, as committed files beside site.yml.

- ``interactions.jsonl`` (schema version 1, docs/report.md): counts of each post (replies, reposts,
  likes) and of each account (followers), one line per post or account and UTC day;
- ``replies.jsonl`` (version 1, docs/publish.md): the replies to the posts of posts.lock, as shown on
  the article pages, their text already in the safe HTML dialect of ``cmhub.ledgers.sanitize``;
- ``hidden-replies.txt``: the moderation list, one reply URL per line (``#`` starts a comment): those
  replies never reach site/.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cmhub.core.dates import utc_iso
from cmhub.core.errors import CmhubError, error
from cmhub.ledgers.posts_lock import instant, json_object, text_field
from cmhub.ledgers.sanitize import clean_html, safe_href

INTERACTIONS_NAME = "interactions.jsonl"
INTERACTIONS_VERSION = 1
COUNT_KEYS = ("replies", "reposts", "likes")
REPLIES_NAME = "replies.jsonl"
REPLIES_VERSION = 1
HIDDEN_NAME = "hidden-replies.txt"


def format_interactions(records: Iterable[Mapping[str, Any]]) -> str:
    """Return interactions.jsonl's text: the header, then each record (its keys in the documented order)
    sorted by kind, network, post or account, and fetch instant."""
    order = ("kind", "network", "account", "post_id", "fetched", "followers", *COUNT_KEYS)
    items = [{k: r[k] for k in (*order, *sorted(set(r) - set(order))) if k in r} for r in records]
    items.sort(key=lambda r: (str(r.get("kind")), str(r.get("network")), str(r.get("post_id", r.get("account"))),
                              str(r.get("fetched"))))
    return "\n".join([_dump({"cmhub": "interactions", "version": INTERACTIONS_VERSION}), *map(_dump, items)]) + "\n"


def merge_counts(text: str, fresh: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Return the records of an interactions.jsonl text with ``fresh`` ones added: a fresh record replaces
    the one of the same post (or account) and UTC day, so a file holds one line per day."""
    def day_key(record: Mapping[str, Any]) -> tuple[str, ...]:
        return (str(record.get("kind")), str(record.get("network")),
                str(record.get("post_id", record.get("account"))), str(record.get("fetched", ""))[:10])

    kept: dict[tuple[str, ...], dict[str, Any]] = {}
    for line in text.splitlines()[1:]:
        record = json_object(line) if line.strip() else None
        if record is None and line.strip():
            raise CmhubError([error(INTERACTIONS_NAME, None, "a damaged line; restore the file from version control")])
        if record is not None:
            kept[day_key(record)] = record
    for record in fresh:
        kept[day_key(record)] = dict(record)
    return list(kept.values())


@dataclass(frozen=True)
class Reply:
    """One reply to a post cmhub made, as the article page shows it."""

    source: str
    """The article the post was about."""
    network: str
    post_id: str
    """The post (of posts.lock) it answers, directly or deeper in the thread."""
    id: str
    url: str
    """The reply's public URL (what hidden-replies.txt lists)."""
    published: dt.datetime
    author_name: str
    author_handle: str
    author_url: str
    html: str
    """The text, in the safe dialect (paragraphs, line breaks, links)."""


def format_replies(replies: Iterable[Reply]) -> str:
    """Return replies.jsonl's text: the header, then one reply per line, by article, time and URL."""
    lines = [_dump({"cmhub": "replies", "version": REPLIES_VERSION})]
    for r in sorted(set(replies), key=lambda r: (r.source, r.published, r.url)):
        lines.append(_dump({"source": r.source, "network": r.network, "post_id": r.post_id, "id": r.id,
                            "url": r.url, "published": utc_iso(r.published),
                            "author": {"name": r.author_name, "handle": r.author_handle, "url": r.author_url},
                            "html": r.html}))
    return "\n".join(lines) + "\n"


def parse_replies(text: str, name: str = REPLIES_NAME) -> tuple[Reply, ...]:
    """Return the replies of a replies.jsonl text (their HTML cleaned again); CmhubError at a damaged line."""
    lines = text.splitlines()
    header = json_object(lines[0]) if lines else None
    if not header or header.get("cmhub") != "replies" or not isinstance(header.get("version"), int):
        raise CmhubError([error(name, 1, f'must start with {{"cmhub":"replies","version":{REPLIES_VERSION}}}')])
    if header["version"] > REPLIES_VERSION:
        raise CmhubError([error(name, 1, f"was written by a newer cmhub (schema version {header['version']}); "
                                         "update cmhub")])
    replies = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        record = json_object(line)
        author = record.get("author") if record else None
        if record is None or not isinstance(author, dict):
            raise CmhubError([error(name, number, "damaged line; restore the file from version control")])
        replies.append(Reply(
            source=text_field(name, number, record, "source"), network=text_field(name, number, record, "network"),
            post_id=text_field(name, number, record, "post_id"), id=text_field(name, number, record, "id"),
            url=safe_href(text_field(name, number, record, "url")),
            published=instant(name, number, record, "published"),
            author_name=str(author.get("name") or ""), author_handle=str(author.get("handle") or ""),
            author_url=safe_href(str(author.get("url") or "")), html=clean_html(str(record.get("html") or ""))))
    return tuple(replies)


def parse_hidden(text: str, name: str = HIDDEN_NAME) -> frozenset[str]:
    """Return the reply URLs of a hide-list text; CmhubError naming each line that is not a URL."""
    urls, problems = set(), []
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.strip()
        if not value or value.startswith("#"):
            continue
        value = value.split()[0]  # what follows the URL is a note ("https://… spam")
        if not safe_href(value):
            problems.append(error(name, number, f"must list one reply URL per line (https://…), got {value!r}"))
            continue
        urls.add(value)
    if problems:
        raise CmhubError(problems)
    return frozenset(urls)


def read_optional(path: Path) -> str | None:
    """Return a file's text, or None when there is none."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def load_replies(root: Path) -> tuple[tuple[Reply, ...], frozenset[str]]:
    """Return the hub's replies and its hide list (none when the files are missing); CmhubError when one
    is damaged."""
    replies_text = read_optional(root / REPLIES_NAME)
    hidden_text = read_optional(root / HIDDEN_NAME)
    replies = parse_replies(replies_text) if replies_text is not None else ()
    hidden = parse_hidden(hidden_text) if hidden_text is not None else frozenset()
    return replies, hidden


def _dump(item: Mapping[str, Any]) -> str:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))
