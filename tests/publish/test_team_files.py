"""What the team sees (#18): a network cmhub posts itself leaves the scheduler files (nobody posts twice), and
the calendar and the review pages say what was posted, when, and where."""

from __future__ import annotations

import csv
import json

import pytest

from cmhub.ledgers.posts_lock import load_posts
from tests.publish.conftest import Hub, mastodon_networks

pytestmark = pytest.mark.slow


def rows(path) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_cmhub_posted_networks_leave_the_scheduler_files_and_their_posts_show_in_calendar_and_review(hub: Hub) -> None:
    hub.write(mastodon_networks(hub) + "  linkedin: {handle: Voix, slots: [daily 09:00]}\n")
    hub.article("marche-de-noel", 5)
    hub.prepare()
    social = hub.root / "social"
    assert {r["network"] for r in rows(social / "teasers.csv")} <= {"linkedin"}
    assert not (social / "publer" / "mastodon.csv").exists() and (social / "publer" / "linkedin.csv").exists()
    batches = [r for path in social.glob("batches/*/teasers.csv") for r in rows(path)]
    assert batches and {r["network"] for r in batches} == {"linkedin"}
    teasers = json.loads((social / "teasers.json").read_text(encoding="utf-8"))["teasers"]
    assert {t["network"]: t.get("posted_by") for t in teasers} == {"mastodon": "cmhub", "linkedin": None}

    assert hub.publish().exit_code == 0
    hub.build(hub.now)
    post = load_posts(hub.root).posted()[0]
    review = (social / "articles" / "marche-de-noel.md").read_text(encoding="utf-8")
    assert f"- Publié par cmhub publish\u00a0: {post.url} (" in review
    calendar = json.loads((social / "calendar.json").read_text(encoding="utf-8"))
    event = next(e for e in calendar["events"] if e["network"] == "mastodon")
    assert (event["outcome"], event["post_url"]) == ("posted", post.url)
    page = (social / "calendar.html").read_text(encoding="utf-8")
    assert f'<a class="posted" href="{post.url}">publié</a>' in page
