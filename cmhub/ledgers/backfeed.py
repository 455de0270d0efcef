"""What a build knows of the posts and the conversation: posts.lock, replies.jsonl, hidden-replies.txt.

An article page shows where its teasers were posted (``u-syndication`` links) and the replies people
made there, minus the hidden ones, rendered statically: the replies' text is the safe dialect of
``cmhub.ledgers.sanitize`` and nothing on the page comes from outside the site (no avatar: initials).
The calendar and the review pages show what was posted, when, and its link, or that it was missed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import regex

from cmhub.incremental.reuse import digest
from cmhub.ledgers.conversation import Reply, load_replies
from cmhub.ledgers.posts_lock import PostEntry, TeaserKey, load_posts


@dataclass(frozen=True)
class Backfeed:
    """The posts (by teaser key) and the replies to show (by article), as one build reads them."""

    posts: Mapping[TeaserKey, PostEntry] = field(default_factory=lambda: MappingProxyType({}))
    """The latest record of each teaser in posts.lock (posted or missed)."""
    replies: Mapping[str, tuple[Reply, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """The replies to show, by article source, oldest first; hidden ones are not here at all."""

    def shared(self, source: str) -> tuple[PostEntry, ...]:
        """Return an article's posts (first post of each posted teaser), by network and time."""
        found = [e for (s, _, _), e in self.posts.items() if s == source and e.state == "posted"]
        return tuple(sorted(found, key=lambda e: (e.network, e.posted or dt.datetime.min.replace(tzinfo=dt.UTC),
                                                  e.url)))

    def digest(self, source: str) -> str:
        """Return a digest of what an article's page shows of its posts and replies ('' when nothing)."""
        shared, replies = self.shared(source), self.replies.get(source, ())
        if not shared and not replies:
            return ""
        return digest([(e.network, e.url) for e in shared], replies)


def load_backfeed(root: Path) -> Backfeed:
    """Return what the hub at ``root`` has posted and been answered; CmhubError when a file is damaged."""
    ledger = load_posts(root)
    posts: dict[TeaserKey, PostEntry] = {}
    for entry in ledger.entries:  # sorted by planning: the last one of a key is the latest
        posts[entry.key] = entry
    replies, hidden = load_replies(root)
    by_article: dict[str, list[Reply]] = {}
    for reply in sorted(replies, key=lambda r: (r.published, r.url)):
        if reply.url and reply.url not in hidden and reply.html:
            by_article.setdefault(reply.source, []).append(reply)
    return Backfeed(MappingProxyType(posts), MappingProxyType({k: tuple(v) for k, v in by_article.items()}))


_LETTER = regex.compile(r"\p{L}|\p{N}")


def initials(name: str) -> str:
    """Return up to two initials of a name ('Ana Lys' -> 'AL'), for a reply without a remote avatar."""
    letters = [_LETTER.search(word) for word in name.split()]
    found = [m.group().upper() for m in letters if m]
    return "".join(found[:2]) or "?"
