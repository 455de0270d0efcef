"""posts.lock (schema versions 1 and 2) and interactions.jsonl (version 1), as docs/report.md defines them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cmhub.core.errors import CmhubError
from cmhub.ledgers.conversation import format_interactions
from cmhub.ledgers.posts_lock import PostEntry, format_posts
from cmhub.report.detect import read_export
from cmhub.report.model import PostRecord
from tests.report.exports import jsonl

PARIS = ZoneInfo("Europe/Paris")
POSTS = [
    '{"cmhub":"posts.lock","version":1}',
    '{"source":"content/a.md","network":"bluesky","variant":"launch","post_id":"at://did:plc:x/app.bsky.feed.post/3k",'
    '"url":"https://bsky.app/profile/voix.bsky.social/post/3k","posted":"2026-11-30T23:15:00Z"}',
    '{"source":"content/a.md","network":"mastodon","variant":"launch","post_id":"1134","url":"https://piaille.example/@v/1134",'
    '"posted":"2026-11-20T08:00:00Z","account":"@voix@piaille.example"}',
]
INTERACTIONS = [
    '{"cmhub":"interactions","version":1}',
    '{"kind":"account","network":"mastodon","account":"@voix@piaille.example","fetched":"2026-11-21T06:00:00Z",'
    '"followers":143}',
    '{"kind":"post","network":"mastodon","post_id":"1134","fetched":"2026-11-21T06:00:00Z","replies":2,"reposts":5,'
    '"likes":12}',
    '{"kind":"reply","network":"mastodon","post_id":"1134","reply_id":"1140","author":"@ana@x.example"}',
]


def test_posts_lock_gives_one_post_per_line_dated_in_the_hubs_zone() -> None:
    read = read_export("posts.lock", jsonl(POSTS), PARIS)
    assert [(f.network, f.key, f.start, f.article) for f in read.facts] == [
        ("bluesky", "at://did:plc:x/app.bsky.feed.post/3k", dt.date(2026, 12, 1), "content/a.md"),
        ("mastodon", "1134", dt.date(2026, 11, 20), "content/a.md")]
    assert read.posts[1] == PostRecord("content/a.md", "mastodon", "launch", "1134", "https://piaille.example/@v/1134",
                                       dt.datetime(2026, 11, 20, 8, tzinfo=dt.UTC), "@voix@piaille.example")


def test_interactions_give_counts_and_follower_levels_and_leave_other_kinds_alone() -> None:
    read = read_export("interactions.jsonl", jsonl(INTERACTIONS), PARIS)
    assert [(f.metric, f.by, f.key, f.value) for f in read.facts] == [
        ("followers", "account", "@voix@piaille.example", 143), ("engagement", "post", "1134", 2 + 5 + 12)]


def test_format_posts_writes_the_documented_bytes_of_version_2() -> None:
    read = read_export("posts.lock", jsonl(POSTS), PARIS)
    entries = [PostEntry(r.source, r.network, r.variant, post_id=r.post_id, url=r.url, posted=r.posted,
                         account=r.account) for r in reversed(read.posts)]
    assert format_posts(entries) == "\n".join([
        '{"cmhub":"posts.lock","version":2}',
        '{"source":"content/a.md","network":"bluesky","variant":"launch","state":"posted",'
        '"post_id":"at://did:plc:x/app.bsky.feed.post/3k","url":"https://bsky.app/profile/voix.bsky.social/post/3k",'
        '"posted":"2026-11-30T23:15:00Z"}',
        '{"source":"content/a.md","network":"mastodon","variant":"launch","state":"posted","post_id":"1134",'
        '"url":"https://piaille.example/@v/1134","posted":"2026-11-20T08:00:00Z","account":"@voix@piaille.example"}',
    ]) + "\n"


def test_missed_teasers_of_version_2_are_no_posts() -> None:
    lines = ['{"cmhub":"posts.lock","version":2}', POSTS[2],
             '{"source":"content/b.md","network":"mastodon","variant":"launch","state":"missed",'
             '"planned":"2026-11-19T10:00:00Z","due":"2026-11-20T08:00:00Z","noticed":"2026-11-20T15:00:00Z"}']
    read = read_export("posts.lock", jsonl(lines), PARIS)
    assert [f.key for f in read.facts] == ["1134"] and read.format == "cmhub posts ledger (posts.lock, version 2)"


def test_format_interactions_writes_the_documented_bytes() -> None:
    records = [{"likes": 12, "reposts": 5, "replies": 2, "fetched": "2026-11-21T06:00:00Z", "post_id": "1134",
                "network": "mastodon", "kind": "post"},
               {"followers": 143, "fetched": "2026-11-21T06:00:00Z", "account": "@voix@piaille.example",
                "network": "mastodon", "kind": "account"}]
    assert format_interactions(records) == "\n".join([
        INTERACTIONS[0],
        '{"kind":"account","network":"mastodon","account":"@voix@piaille.example","fetched":"2026-11-21T06:00:00Z",'
        '"followers":143}',
        '{"kind":"post","network":"mastodon","post_id":"1134","fetched":"2026-11-21T06:00:00Z","replies":2,'
        '"reposts":5,"likes":12}']) + "\n"


@pytest.mark.parametrize(("lines", "expected"), [
    (['{"cmhub":"posts.lock","version":3}'], "posts.lock:1: was written by a newer cmhub (schema version 3)"),
    ([POSTS[0], POSTS[1], '{"source":"content/a.md",'], "posts.lock:3: damaged line"),
    ([POSTS[0], '{"source":"content/a.md","network":"x","variant":"launch","post_id":"1","url":"u",'
                '"posted":"2026-11-20 08:00"}'], "posts.lock:2: 'posted' must be a UTC instant"),
    ([POSTS[0], '{"network":"x"}'], "posts.lock:2: 'source' must be a non-empty string"),
])
def test_damaged_ledgers_say_where(lines: list[str], expected: str) -> None:
    with pytest.raises(CmhubError) as caught:
        read_export("posts.lock", jsonl(lines), PARIS)
    assert str(caught.value.problems[0]).startswith(expected)


def test_negative_counts_are_refused() -> None:
    lines = [INTERACTIONS[0], '{"kind":"post","network":"mastodon","post_id":"1","fetched":"2026-11-21T06:00:00Z",'
                              '"likes":-1}']
    with pytest.raises(CmhubError) as caught:
        read_export("interactions.jsonl", jsonl(lines), PARIS)
    assert str(caught.value.problems[0]) == "interactions.jsonl:2: 'likes' must be a whole number >= 0, got -1"
