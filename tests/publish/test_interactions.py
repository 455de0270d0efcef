"""cmhub interactions brings the conversation home (#18): counts into interactions.jsonl, replies into
replies.jsonl, and the next build shows them on the article (minus hidden ones) with u-syndication links."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser

import mf2py
import pytest

from cmhub.ledgers.posts_lock import load_posts
from tests.publish.conftest import ENVIRONMENT, Hub, bluesky_networks, mastodon_networks

pytestmark = pytest.mark.slow


class Sources(HTMLParser):
    """Every URL a page would load by itself (src, stylesheet and icon links), and every script."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if values.get("src"):
            self.loaded.append(str(values["src"]))
        if tag == "link" and values.get("rel") in ("stylesheet", "icon", "preload"):
            self.loaded.append(str(values.get("href")))


def test_replies_come_home_minus_the_hidden_ones_and_the_page_marks_where_it_was_shared(hub: Hub) -> None:
    hub.write(mastodon_networks(hub) + bluesky_networks(hub))
    hub.article("marche-de-noel", 5)
    hub.prepare()
    assert hub.publish().exit_code == 0
    posts = {e.network: e for e in load_posts(hub.root).posted()}
    toot = posts["mastodon"].post_id
    kind = hub.mastodon.call("POST", "/api/v1/statuses", token="ana-token", payload={
        "status": "Super idée !\nOn vient avec les enfants https://ecole.example/fete <script>alert(1)</script>",
        "in_reply_to_id": toot})
    spam = hub.mastodon.call("POST", "/api/v1/statuses", token="troll-token",
                             payload={"status": "Achetez mes bitcoins", "in_reply_to_id": toot})
    hub.mastodon.call("POST", "/api/v1/statuses", token="ana-token",
                      payload={"status": "Message privé", "in_reply_to_id": toot, "visibility": "direct"})
    hub.mastodon.call("POST", f"/api/v1/statuses/{toot}/favourite", token="ana-token")
    text = "Génial 🎉 voir https://mairie.example"
    start = len("Génial 🎉 voir ".encode())
    hub.bluesky.state.add_reply("did:plc:zoe0000000000000000000", "zoe.bsky.social", "3kzoereply222", text,
                                posts["bluesky"].post_id, facets=[{
                                    "index": {"byteStart": start, "byteEnd": len(text.encode())},
                                    "features": [{"$type": "app.bsky.richtext.facet#link",
                                                  "uri": "https://mairie.example"}]}],
                                created=(hub.now + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S.000Z"))
    hub.bluesky.state.counts[posts["bluesky"].post_id] = {"likes": 4, "reposts": 2}

    fetched = hub.cli("interactions", "--now", hub.now.strftime("%Y-%m-%dT%H:%M:%SZ"), env=ENVIRONMENT)
    assert fetched.exit_code == 0, fetched.output
    lines = [json.loads(line) for line in (hub.root / "interactions.jsonl").read_text().splitlines()]
    counts = {(r["kind"], r["network"]): r for r in lines[1:]}
    assert {k: counts[("post", k)]["likes"] for k in ("mastodon", "bluesky")} == {"mastodon": 1, "bluesky": 4}
    assert counts[("post", "bluesky")]["reposts"] == 2 and counts[("account", "bluesky")]["followers"] == 57
    replies = (hub.root / "replies.jsonl").read_text(encoding="utf-8")
    assert "Message privé" not in replies and "<script" not in replies and len(replies.splitlines()) == 1 + 3

    (hub.root / "hidden-replies.txt").write_text(f"# spam\n{spam['url']}  bitcoin\n", encoding="utf-8")
    hub.build(hub.now)
    page = (hub.root / "site" / "marche-de-noel" / "index.html").read_text(encoding="utf-8")
    assert "Super idée" in page and "Génial 🎉" in page and "bitcoins" not in page
    assert '<a href="https://mairie.example" rel="nofollow ugc">https://mairie.example</a>' in page
    assert "alert(1)" in page and "<script>alert" not in page  # its text is kept, escaped
    parsed = mf2py.parse(doc=page, url=hub.site.url + "marche-de-noel/")
    entry = next(i for i in parsed["items"] if "h-entry" in i["type"])
    assert sorted(entry["properties"]["syndication"]) == sorted([posts["mastodon"].url, posts["bluesky"].url])
    comments = entry["properties"]["comment"]
    assert [c["properties"]["url"][0] for c in comments] == [
        kind["url"], "https://bsky.app/profile/zoe.bsky.social/post/3kzoereply222"]
    assert comments[0]["properties"]["author"][0]["properties"]["name"] == ["Ana Lys"]
    sources = Sources()
    sources.feed(page)
    assert sources.scripts == 0 and all(s.startswith("/") for s in sources.loaded), sources.loaded
    assert not any(hub.root.joinpath("site").rglob("*bitcoin*"))
    assert "bitcoins" not in "".join(p.read_text(errors="ignore") for p in (hub.root / "site").rglob("*.*")
                                     if p.suffix in (".html", ".xml", ".json"))

    # the Material engine shows the same: where it was shared, and the replies minus the hidden one
    with (hub.root / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write("engine: material\n")
    hub.build(hub.now)
    material = next(p for p in (hub.root / "site").rglob("index.html") if "marche-de-noel" in p.parent.as_posix())
    page = material.read_text(encoding="utf-8")
    assert "assets/stylesheets" in page, "built by Material"
    assert "Super idée" in page and "Génial 🎉" in page and "bitcoins" not in page and "<script>alert" not in page
    shared = [dict(a) for a in _anchors(page) if dict(a).get("rel") == "syndication"]
    assert sorted(a["href"] for a in shared) == sorted([posts["mastodon"].url, posts["bluesky"].url])
    assert "Aussi sur" in page and "Réponses" in page, "in the hub's language"


def _anchors(page: str) -> list[list[tuple[str, str | None]]]:
    found: list[list[tuple[str, str | None]]] = []

    class Anchors(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "a":
                found.append(attrs)
    Anchors().feed(page)
    return found


def test_a_failed_fetch_keeps_what_the_files_held_and_ends_with_1(hub: Hub) -> None:
    hub.write(mastodon_networks(hub))
    hub.article("marche-de-noel", 5)
    hub.prepare()
    assert hub.publish().exit_code == 0
    toot = load_posts(hub.root).posted()[0].post_id
    hub.mastodon.call("POST", "/api/v1/statuses", token="ana-token",
                      payload={"status": "Bravo", "in_reply_to_id": toot})
    assert hub.cli("interactions", env=ENVIRONMENT).exit_code == 0
    before = (hub.root / "replies.jsonl").read_bytes()
    hub.mastodon.fault(f"/api/v1/statuses/{toot}/context", 503, methods=("GET",))
    failed = hub.cli("interactions", env=ENVIRONMENT)
    assert failed.exit_code == 1 and "HTTP 503" in failed.output
    assert (hub.root / "replies.jsonl").read_bytes() == before
