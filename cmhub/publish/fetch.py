"""`cmhub interactions`: read back the replies, reposts and likes of the posts in posts.lock.

For each post of the last ``days`` (Mastodon: ``/api/v1/statuses/:id`` and its ``/context``; Bluesky:
``app.bsky.feed.getPostThread``) and each account (followers), one line a UTC day goes into
interactions.jsonl; the public replies (never the account's own thread parts, never private or direct
messages) replace that post's replies in replies.jsonl, their text cleaned to safe HTML. A post whose
fetch fails keeps the replies it had; the command says so and ends with 1.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cmhub.core.dates import utc_iso
from cmhub.ledgers.conversation import (
    INTERACTIONS_NAME,
    REPLIES_NAME,
    Reply,
    format_interactions,
    format_replies,
    merge_counts,
    parse_replies,
    read_optional,
)
from cmhub.ledgers.posts_lock import PostEntry, load_posts
from cmhub.ledgers.sanitize import clean_html, safe_href, text_html
from cmhub.networks.registry import POSTABLE
from cmhub.output.atomic import atomic_write
from cmhub.publish.bluesky import Bluesky, post_url
from cmhub.publish.clients import client_for
from cmhub.publish.http import Failure, Http
from cmhub.publish.lock import publishing_lock
from cmhub.publish.mastodon import Mastodon, created


@dataclass
class Fetched:
    """What `cmhub interactions` read: lines for the terminal, and how many fetches failed."""

    lines: list[str] = field(default_factory=list)
    failed: int = 0


def fetch_project(root: Path, *, now: str | None = None, days: int = 30, environ: Mapping[str, str] | None = None,
                  http: Http | None = None) -> Fetched:
    """Fetch the counts and replies of the hub's recent posts into interactions.jsonl and replies.jsonl."""
    from cmhub.pipeline.project import open_project
    from cmhub.settings.request import BuildRequest

    project = open_project(root, BuildRequest(now=now))
    config, moment = project.config, project.now
    moment = moment.astimezone(dt.UTC)
    environ = os.environ if environ is None else environ
    http = http or Http()
    outcome = Fetched()
    with publishing_lock(config.root):
        posts = [e for e in load_posts(config.root).posted() if e.posted and e.posted >= moment - dt.timedelta(days)]
        if not posts:
            return Fetched([f"no post in posts.lock from the last {days} days: nothing to fetch"])
        counts: list[dict[str, Any]] = []
        replies = {(r.network, r.post_id): r for r in _old_replies(config.root)}
        fresh: dict[tuple[str, str], list[Reply]] = {}
        for name in sorted({e.network for e in posts}):
            settings = config.networks.get(name)
            if settings is None or name not in POSTABLE:
                continue
            client = client_for(http, settings, environ, moment)
            try:
                client.start()
                counts.append({"kind": "account", "network": name, "account": settings.handle,
                               "fetched": utc_iso(moment), "followers": _followers(client)})
            except Failure as failure:
                outcome.failed += 1
                outcome.lines.append(f"failed  {name}: {http.redact(failure.message)}")
                continue
            for entry in (e for e in posts if e.network == name):
                try:
                    numbers, found = (_mastodon(client, entry) if isinstance(client, Mastodon)
                                      else _bluesky(client, entry))
                except Failure as failure:
                    outcome.failed += 1
                    outcome.lines.append(f"failed  {name} {entry.url}: {http.redact(failure.message)}")
                    continue
                counts.append({"kind": "post", "network": name, "post_id": entry.post_id, "fetched": utc_iso(moment),
                               **numbers})
                fresh[(name, entry.post_id)] = found
                outcome.lines.append(f"fetched {name} {entry.url}: {numbers['replies']} replies, "
                                     f"{numbers['reposts']} reposts, {numbers['likes']} likes")
        kept = [r for key, r in replies.items() if key not in fresh]  # posts not fetched keep their replies
        all_replies = [*kept, *(r for group in fresh.values() for r in group)]
        _write(config.root / INTERACTIONS_NAME, format_interactions(
            merge_counts(read_optional(config.root / INTERACTIONS_NAME) or "", counts)))
        _write(config.root / REPLIES_NAME, format_replies(all_replies))
    return outcome


def _old_replies(root: Path) -> tuple[Reply, ...]:
    text = read_optional(root / REPLIES_NAME)
    return parse_replies(text) if text is not None else ()


def _write(path: Path, text: str) -> None:
    if read_optional(path) != text:
        atomic_write(path, text, durable=True)


def _followers(client: Mastodon | Bluesky) -> int:
    if isinstance(client, Mastodon):
        return int(client.account.get("followers_count") or 0)
    profile = client.xrpc("GET", "app.bsky.actor.getProfile", what="reading the profile",
                          query=f"actor={quote(client.did)}")
    return int((profile or {}).get("followersCount") or 0)


def _mastodon(client: Mastodon, entry: PostEntry) -> tuple[dict[str, int], list[Reply]]:
    base, token = client.base, client.token
    status = client.http.json("GET", f"{base}/api/v1/statuses/{quote(entry.post_id)}", token=token,
                              what="mastodon: reading a post")
    context = client.http.json("GET", f"{base}/api/v1/statuses/{quote(entry.post_id)}/context", token=token,
                               what="mastodon: reading its replies")
    ours = {entry.post_id, *entry.replies}
    found = []
    for reply in (context or {}).get("descendants", []):
        author = reply.get("account") or {}
        if str(reply.get("id")) in ours or reply.get("visibility") not in ("public", "unlisted"):
            continue
        acct = str(author.get("acct") or author.get("username") or "")
        found.append(Reply(source=entry.source, network="mastodon", post_id=entry.post_id, id=str(reply.get("id")),
                           url=safe_href(str(reply.get("url") or reply.get("uri") or "")),
                           published=created(reply.get("created_at")),
                           author_name=str(author.get("display_name") or author.get("username") or acct),
                           author_handle="@" + acct, author_url=safe_href(str(author.get("url") or "")),
                           html=clean_html(str(reply.get("content") or ""))))
    numbers = {"replies": int(status.get("replies_count") or 0), "reposts": int(status.get("reblogs_count") or 0),
               "likes": int(status.get("favourites_count") or 0)}
    return numbers, [r for r in found if r.url]


def _bluesky(client: Bluesky, entry: PostEntry) -> tuple[dict[str, int], list[Reply]]:
    thread = client.xrpc("GET", "app.bsky.feed.getPostThread", what="reading a post and its replies",
                         query=f"uri={quote(entry.post_id)}&depth=10")
    root = (thread or {}).get("thread") or {}
    post = root.get("post") or {}
    ours = {entry.post_id, *entry.replies}
    found = []
    for reply in _descendants(root):
        author = reply.get("author") or {}
        record = reply.get("record") or {}
        if reply.get("uri") in ours:
            continue
        handle = str(author.get("handle") or "")
        found.append(Reply(source=entry.source, network="bluesky", post_id=entry.post_id, id=str(reply.get("uri")),
                           url=post_url(handle, str(reply.get("uri"))),
                           published=created(record.get("createdAt") or reply.get("indexedAt")),
                           author_name=str(author.get("displayName") or handle), author_handle="@" + handle,
                           author_url=f"https://bsky.app/profile/{handle}",
                           html=text_html(str(record.get("text") or ""), record.get("facets") or [])))
    numbers = {"replies": int(post.get("replyCount") or 0), "reposts": int(post.get("repostCount") or 0),
               "likes": int(post.get("likeCount") or 0)}
    return numbers, found


def _descendants(node: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for child in node.get("replies") or []:
        if isinstance(child, Mapping) and isinstance(child.get("post"), Mapping):
            yield child["post"]
            yield from _descendants(child)
