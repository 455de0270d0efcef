"""posts.lock: what `cmhub publish` posted, or found missed, for each planning of each teaser.

JSON Lines committed beside site.yml (docs/publish.md, docs/report.md): a header naming the file, its
schema version and, per network, the instant cmhub started posting there (teasers due before it are
not cmhub's); then one object per line, sorted, so that concurrent identical additions merge cleanly::

    {"cmhub":"posts.lock","version":2,"since":{"mastodon":"2026-11-20T12:00:00Z"}}
    {"source":"content/a.md","network":"mastodon","variant":"launch","state":"posted","planned":"2026-11-19T10:17:00Z","post_id":"1134","url":"https://…","posted":"2026-11-20T12:05:00Z","account":"@asso@piaille.fr","replies":["1135"]}
    {"source":"content/b.md","network":"bluesky","variant":"launch","state":"missed","planned":"…","due":"…","noticed":"…"}

Version 1 (no ``state``, ``planned``, ``replies`` nor ``since``: every line a post) is still read.
``cmhub publish`` writes the whole file again, atomically and durably, after each accepted post.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cmhub.core.dates import utc_iso
from cmhub.core.errors import CmhubError, error
from cmhub.output.atomic import atomic_write

POSTS_NAME = "posts.lock"
VERSION = 2
STATES = ("posted", "missed")
TeaserKey = tuple[str, str, str]


@dataclass(frozen=True)
class PostEntry:
    """One planning of one teaser as cmhub published it: posted (with the post's id and URL) or missed."""

    source: str
    network: str
    variant: str
    state: str = "posted"
    """'posted', or 'missed' (its instant passed more than the lateness before a run could post it)."""
    planned: dt.datetime | None = None
    """The plan.lock planning this is about (its ``planned`` instant); None in version 1 files."""
    post_id: str = ""
    """The network's id of the first post (Mastodon status id; Bluesky at:// URI)."""
    url: str = ""
    """The first post's public URL."""
    posted: dt.datetime | None = None
    """When the network accepted the first post (UTC)."""
    account: str = ""
    replies: tuple[str, ...] = ()
    """Ids of the thread parts and first comment posted under it, in order, so far."""
    due: dt.datetime | None = None
    """A missed teaser's planned instant."""
    noticed: dt.datetime | None = None
    """When a run found it missed."""

    @property
    def key(self) -> TeaserKey:
        """The teaser key (source, network, variant)."""
        return (self.source, self.network, self.variant)

    def sort_key(self) -> tuple[str, ...]:
        """Where the line goes in the file."""
        return (self.source, self.network, self.variant, utc_iso(self.planned) if self.planned else "",
                self.state, self.post_id)


@dataclass(frozen=True)
class PostsLedger:
    """Every line of posts.lock, and since when cmhub posts on each network."""

    entries: tuple[PostEntry, ...] = ()
    since: Mapping[str, dt.datetime] = field(default_factory=dict)
    exists: bool = False

    def find(self, key: TeaserKey, planned: dt.datetime) -> PostEntry | None:
        """Return the record of that planning of a teaser (a version-1 line: posted after it), or None."""
        for entry in self.entries:
            if entry.key != key:
                continue
            if entry.planned == planned or (entry.planned is None and entry.posted and entry.posted >= planned):
                return entry
        return None

    def posted(self) -> tuple[PostEntry, ...]:
        """Return the lines of posts that went out."""
        return tuple(e for e in self.entries if e.state == "posted")

    def with_entry(self, entry: PostEntry) -> PostsLedger:
        """Return the ledger with ``entry`` added, or replacing the record of the same planning."""
        kept = [e for e in self.entries if not (e.key == entry.key and e.planned == entry.planned)]
        return replace(self, entries=tuple(sorted([*kept, entry], key=PostEntry.sort_key)), exists=True)

    def starting(self, network: str, moment: dt.datetime) -> PostsLedger:
        """Return the ledger that says cmhub posts on ``network`` from ``moment`` on (kept if already said)."""
        if network in self.since:
            return self
        return replace(self, since={**self.since, network: moment}, exists=True)


def format_posts(ledger: PostsLedger | Iterable[PostEntry]) -> str:
    """Return posts.lock's text: the header, then one line per record, sorted (same ledger, same bytes)."""
    if not isinstance(ledger, PostsLedger):
        ledger = PostsLedger(tuple(ledger))
    header: dict[str, Any] = {"cmhub": POSTS_NAME, "version": VERSION}
    if ledger.since:
        header["since"] = {name: utc_iso(moment) for name, moment in sorted(ledger.since.items())}
    lines = [_dump(header)]
    for e in sorted(ledger.entries, key=PostEntry.sort_key):
        item: dict[str, Any] = {"source": e.source, "network": e.network, "variant": e.variant, "state": e.state}
        if e.planned:
            item["planned"] = utc_iso(e.planned)
        if e.state == "posted":
            item.update(post_id=e.post_id, url=e.url, posted=utc_iso(e.posted) if e.posted else "")
        else:
            item.update(due=utc_iso(e.due) if e.due else "", noticed=utc_iso(e.noticed) if e.noticed else "")
        if e.account:
            item["account"] = e.account
        if e.replies:
            item["replies"] = list(e.replies)
        lines.append(_dump(item))
    return "\n".join(lines) + "\n"


def parse_posts(text: str, name: str = POSTS_NAME) -> PostsLedger:
    """Return the ledger in posts.lock's text; raise CmhubError naming the first damaged line."""
    lines = text.splitlines()
    header = json_object(lines[0]) if lines else None
    version = header.get("version") if header else None
    if not header or header.get("cmhub") != POSTS_NAME or not isinstance(version, int) or isinstance(version, bool):
        raise CmhubError([error(name, 1, f'must start with {{"cmhub":"{POSTS_NAME}","version":{VERSION}}}')])
    if version > VERSION:
        raise CmhubError([error(name, 1, f"was written by a newer cmhub (schema version {version}); this one "
                                         f"reads version {VERSION}: update cmhub")])
    since = header.get("since") or {}
    if not isinstance(since, Mapping):
        raise CmhubError([error(name, 1, "'since' must map networks to UTC instants")])
    entries = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        record = json_object(line)
        if record is None:
            raise CmhubError([error(name, number, "damaged line: not a JSON object; restore the file from "
                                                  "version control")])
        entries.append(_entry(name, number, record))
    return PostsLedger(tuple(sorted(entries, key=PostEntry.sort_key)),
                       {str(k): instant(name, 1, since, str(k)) for k in since}, exists=True)


def _entry(name: str, line: int, record: Mapping[str, Any]) -> PostEntry:
    state = record.get("state", "posted")
    if state not in STATES:
        raise CmhubError([error(name, line, f"'state' must be one of {', '.join(STATES)}, got {state!r}")])
    found = PostEntry(source=text_field(name, line, record, "source"),
                      network=text_field(name, line, record, "network"),
                      variant=text_field(name, line, record, "variant"), state=state,
                      planned=instant(name, line, record, "planned") if "planned" in record else None,
                      account=text_field(name, line, record, "account", required=False))
    if state == "missed":
        return replace(found, due=instant(name, line, record, "due"), noticed=instant(name, line, record, "noticed"))
    replies = record.get("replies", [])
    if not isinstance(replies, list) or not all(isinstance(r, str) and r for r in replies):
        raise CmhubError([error(name, line, f"'replies' must be a list of post ids, got {replies!r}")])
    return replace(found, post_id=text_field(name, line, record, "post_id"),
                   url=text_field(name, line, record, "url"), posted=instant(name, line, record, "posted"),
                   replies=tuple(replies))


def json_object(line: str) -> dict[str, Any] | None:
    """Return the JSON object on a line, or None when it is not one."""
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def text_field(name: str, line: int, record: Mapping[str, Any], key: str, required: bool = True) -> str:
    """Return a non-empty string field (optional ones may be missing: '')."""
    value = record.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise CmhubError([error(name, line, f"'{key}' must be a non-empty string, got {value!r}")])
    return value.strip()


def instant(name: str, line: int, record: Mapping[str, Any], key: str) -> dt.datetime:
    """Return a UTC instant field ('2026-11-20T08:00:00Z')."""
    text = text_field(name, line, record, key)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or not 1990 <= moment.year < 2200:
        raise CmhubError([error(name, line, f"'{key}' must be a UTC instant such as 2026-11-20T08:00:00Z, "
                                            f"got {text!r}")])
    return moment.astimezone(dt.UTC)


def load_posts(root: Path) -> PostsLedger:
    """Return the hub's posts.lock (empty, ``exists`` False, when there is none); CmhubError when damaged."""
    try:
        text = (root / POSTS_NAME).read_text(encoding="utf-8")
    except FileNotFoundError:
        return PostsLedger()
    return parse_posts(text)


def write_posts(root: Path, ledger: PostsLedger) -> None:
    """Write posts.lock (atomically, durably)."""
    atomic_write(root / POSTS_NAME, format_posts(ledger), durable=True)  # a post accepted is never forgotten


def _dump(item: Mapping[str, Any]) -> str:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))
