"""The pieces of cmhub publish, from strings: posts.lock, the reply cleaner, record keys, site.yml's keys."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cmhub.core.errors import CmhubError
from cmhub.ledgers.conversation import parse_hidden
from cmhub.ledgers.posts_lock import PostEntry, PostsLedger, format_posts, parse_posts
from cmhub.ledgers.sanitize import clean_html, text_html
from cmhub.publish.due import Job
from cmhub.publish.http import Http
from cmhub.publish.identity import idempotency_key, record_key
from cmhub.settings.config import parse_config
from tests.publish.servers import TID

UTC = dt.UTC
V2 = [
    '{"cmhub":"posts.lock","version":2,"since":{"mastodon":"2026-11-19T00:00:00Z"}}',
    '{"source":"content/a.md","network":"bluesky","variant":"launch","state":"missed","planned":"2026-11-19T10:17:00Z",'
    '"due":"2026-11-20T08:00:00Z","noticed":"2026-11-20T15:00:00Z"}',
    '{"source":"content/a.md","network":"mastodon","variant":"launch","state":"posted","planned":"2026-11-19T10:17:00Z",'
    '"post_id":"1134","url":"https://piaille.example/@v/1134","posted":"2026-11-20T08:00:04Z",'
    '"account":"@voix@piaille.example","replies":["1135","1136"]}',
]


def test_posts_lock_version_2_reads_and_writes_the_same_bytes() -> None:
    text = "\n".join(V2) + "\n"
    ledger = parse_posts(text)
    assert format_posts(ledger) == text
    assert ledger.since == {"mastodon": dt.datetime(2026, 11, 19, tzinfo=UTC)}
    posted = ledger.find(("content/a.md", "mastodon", "launch"), dt.datetime(2026, 11, 19, 10, 17, tzinfo=UTC))
    assert posted is not None and posted.replies == ("1135", "1136")
    assert ledger.find(("content/a.md", "mastodon", "launch"), dt.datetime(2026, 11, 22, tzinfo=UTC)) is None


def test_version_1_lines_are_posts_found_by_their_instant() -> None:
    ledger = parse_posts('{"cmhub":"posts.lock","version":1}\n{"source":"content/a.md","network":"mastodon",'
                         '"variant":"launch","post_id":"1","url":"https://x.example/1","posted":"2026-11-20T08:00:00Z"}\n')
    key = ("content/a.md", "mastodon", "launch")
    assert ledger.find(key, dt.datetime(2026, 11, 19, tzinfo=UTC)) is not None
    assert ledger.find(key, dt.datetime(2026, 11, 21, tzinfo=UTC)) is None  # planned again after it


@pytest.mark.parametrize(("text", "message"), [
    ('{"cmhub":"posts.lock","version":3}\n', "posts.lock:1: was written by a newer cmhub (schema version 3)"),
    (V2[0] + '\n{"source":"content/a.md","network":"x","variant":"launch","state":"gone"}\n',
     "posts.lock:2: 'state' must be one of posted, missed, got 'gone'"),
    (V2[0] + "\nnot json\n", "posts.lock:2: damaged line"),
])
def test_a_damaged_posts_lock_says_where(text: str, message: str) -> None:
    with pytest.raises(CmhubError) as caught:
        parse_posts(text)
    assert str(caught.value.problems[0]).startswith(message)


def test_a_new_record_of_the_same_planning_replaces_the_old_one() -> None:
    planned = dt.datetime(2026, 11, 19, tzinfo=UTC)
    first = PostEntry("content/a.md", "mastodon", "launch", planned=planned, post_id="1", url="u",
                      posted=planned)
    ledger = PostsLedger().with_entry(first).with_entry(PostEntry(*first.key, planned=planned, post_id="1", url="u",
                                                                  posted=planned, replies=("2",)))
    assert [e.replies for e in ledger.entries] == [("2",)]


def test_mastodon_html_keeps_text_links_and_line_breaks_only() -> None:
    hostile = ('<p>Salut <span class="h-card"><a href="https://m.example/@ana" class="u-url mention">@<span>ana</span>'
               '</a></span> <img src="https://evil.example/x.png" onerror="alert(1)"><br/>lis '
               '<a href="https://ex.example/a?b=1&amp;c=2" target="_blank" onclick="x()">ceci</a> '
               '<a href="javascript:alert(1)">pas un lien</a><script>steal()</script><style>p{}</style></p>'
               '<p><iframe src="https://evil.example"></iframe>fin &lt;b&gt;</p>')
    assert clean_html(hostile) == (
        '<p>Salut <a href="https://m.example/@ana" rel="nofollow ugc">@ana</a> <br>lis '
        '<a href="https://ex.example/a?b=1&amp;c=2" rel="nofollow ugc">ceci</a> pas un lien</p><p>fin &lt;b&gt;</p>')


@given(st.text(max_size=200))
@example("<![0")  # Python's parser raises AssertionError on it: read as browsers do
@example("a <![0 b> c <![0<script>alert(1)</script>")
def test_the_cleaner_never_lets_a_tag_through_and_its_output_is_a_fixed_point(text: str) -> None:
    cleaned = clean_html(text)
    assert clean_html(cleaned) == cleaned
    for tag in ("<script", "<img", "<iframe", "<style"):
        assert tag not in cleaned.replace('rel="nofollow ugc"', "")
    # no event handler in any tag ('on' in the text, as in "0 on", is text: escaped, never an attribute)
    assert not re.search(r"<[^>]*\son\w*\s*=", cleaned, re.IGNORECASE)


def test_bluesky_text_becomes_the_same_dialect_with_its_link_facets() -> None:
    text = "Génial 🎉\n\nvoir https://mairie.example <b>"
    start = len("Génial 🎉\n\nvoir ".encode())
    facets = [{"index": {"byteStart": start, "byteEnd": start + len("https://mairie.example")},
               "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://mairie.example"}]},
              {"index": {"byteStart": 1, "byteEnd": 2}, "features": [{"$type": "app.bsky.richtext.facet#link",
                                                                       "uri": "https://cut.example"}]}]
    assert text_html(text, facets) == ('<p>Génial 🎉</p><p>voir <a href="https://mairie.example" rel="nofollow ugc">'
                                       'https://mairie.example</a> &lt;b&gt;</p>')


def job(variant: str = "launch", planned: int = 10) -> Job:
    return Job(key=("content/a.md", "bluesky", variant), planned=dt.datetime(2026, 11, 19, planned, tzinfo=UTC),
               due=dt.datetime(2026, 11, 20, 8, tzinfo=UTC), account="a", text="t", link="l", page="p")


def test_record_keys_are_valid_tids_the_same_every_run_and_distinct_per_teaser_planning_and_part() -> None:
    keys = [record_key(job()), record_key(job(), 1), record_key(job("reminder-1")), record_key(job(planned=11))]
    assert all(TID.match(k) for k in keys) and len(set(keys)) == 4
    assert record_key(job()) == record_key(job())
    assert idempotency_key(job()) == idempotency_key(job()) != idempotency_key(job(), 1)


def test_redaction_covers_plain_and_url_encoded_secrets() -> None:
    http = Http()
    http.keep_secret("s3cr/t+token")
    assert http.redact("a s3cr/t+token b s3cr%2Ft%2Btoken") == "a [redacted] b [redacted]"


def test_the_hide_list_takes_urls_with_notes_and_names_a_bad_line() -> None:
    assert parse_hidden("# spam\nhttps://m.example/@t/1  spam\n\n") == {"https://m.example/@t/1"}
    with pytest.raises(CmhubError) as caught:
        parse_hidden("https://m.example/1\nbitcoin guy\n")
    assert str(caught.value.problems[0]) == ("hidden-replies.txt:2: must list one reply URL per line (https://…), "
                                             "got 'bitcoin'")


@pytest.mark.parametrize(("networks", "message"), [
    ("  x: {handle: '@a', publish: true}", "site.yml:3: 'networks.x.publish': cmhub posts only to mastodon and "
                                           "bluesky; x teasers stay in social/ for a scheduler"),
    ("  mastodon: {publish: true}", "site.yml:3: 'networks.mastodon.publish' needs 'networks.mastodon.handle'"),
    ("  mastodon: {handle: '@a@b.example', publish: yes, api: 'ftp://b'}",
     "site.yml:3: 'networks.mastodon.api' must be an http(s) URL"),
    ("  bluesky: {handle: a.bsky.social, lateness: soon}", "site.yml:3: 'networks.bluesky.lateness' must be a "
                                                           "duration"),
])
def test_site_yml_mistakes_in_the_publish_keys_say_where(networks: str, message: str) -> None:
    with pytest.raises(CmhubError) as caught:
        parse_config(f"title: T\nnetworks:\n{networks}\nurl: https://a.example.org/\n", Path("."))
    assert str(caught.value.problems[0]).startswith(message)


def test_publish_keys_read_with_their_defaults() -> None:
    config = parse_config("title: T\nurl: https://a.example.org/\nnetworks:\n  mastodon: {handle: '@a@b.example', "
                          "publish: true}\n  bluesky: b.bsky.social\n", Path("."))
    mastodon, bluesky = config.networks["mastodon"], config.networks["bluesky"]
    assert (mastodon.publish, mastodon.api, mastodon.lateness) == (True, "", dt.timedelta(hours=6))
    assert bluesky.publish is False


def test_a_server_that_never_answers_is_a_failure_after_the_timeout() -> None:
    import socket

    from cmhub.publish.http import Failure

    with socket.socket() as silent:  # accepts connections (the backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        http = Http(timeout=0.3)
        with pytest.raises(Failure) as caught:
            http.call("GET", f"http://127.0.0.1:{silent.getsockname()[1]}/", what="mastodon: posting")
    assert caught.value.message == "mastodon: posting: no answer within 0.3 s" and caught.value.status is None


def test_two_runs_at_once_the_second_stops_before_doing_anything(tmp_path: Path) -> None:
    from cmhub.publish.lock import publishing_lock

    with publishing_lock(tmp_path):
        with pytest.raises(CmhubError) as caught:
            with publishing_lock(tmp_path):
                pass
    assert str(caught.value.problems[0]).startswith(".cmhub-cache/publish.lock: another cmhub publish")
    with publishing_lock(tmp_path):  # released when the first run ended
        pass


@pytest.mark.parametrize(("name", "text", "message"), [
    ("posts.lock", V2[0] + "\n{oops\n", "posts.lock:2: damaged line: not a JSON object; restore the file from "
                                        "version control"),
    ("hidden-replies.txt", "# spam\nmerci\n", "hidden-replies.txt:2: must list one reply URL per line"),
    ("replies.jsonl", '{"cmhub":"replies","version":9}\n', "replies.jsonl:1: was written by a newer cmhub"),
])
def test_a_damaged_file_of_cmhub_publish_stops_the_build_at_its_line(basic_site: Path, name: str, text: str,
                                                                      message: str) -> None:
    from click.testing import CliRunner

    from cmhub.cli.verbs import main

    (basic_site / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-C", str(basic_site), "--now", "2026-11-21T12:00:00Z"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert message in result.output and "Traceback" not in result.output
    assert not (basic_site / "site").exists()
