"""Teasers a person or a scheduler can post as they are (issue #15.1, #15.4).

Text for people and schedulers (teasers.csv, publer/*.csv, social/articles/*.md, the ``text`` of
teasers.json) carries the full tracked URL, and the networks' own link detection finds exactly it;
the short visible link belongs to the Bluesky API data of teasers.json, with its facet's UTF-8 byte
offsets written out. Authors' handles appear in the teasers of every network they have one on.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.real_clients import measure
from tests.social.test_syndication import BASE, build, copy_hub

NETWORKS_WITH_LINKS = ("x", "mastodon", "bluesky", "threads", "linkedin", "facebook")


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_hub(tmp_path_factory.mktemp("postable") / "social")
    article = project / "content" / "charte-de-moderation.md"
    # accents and an emoji before the link, in the Bluesky text: byte offsets must count them
    text = article.read_text(encoding="utf-8").replace("date: 2026-09-15T08:30:00",
                                                      "date: 2026-09-15T08:30:00\nsyndicate:\n"
                                                      "  bluesky: \"Été, modération & 🏳️‍🌈 : {url} #Charte\"")
    article.write_text(text, encoding="utf-8")
    # a teaser that opens with a mention, still to come (so it is in the scheduler's import file)
    coming = project / "content" / "programme-des-fetes.md"
    coming.write_text(coming.read_text(encoding="utf-8").replace(
        "---\n", "---\nsyndicate:\n  mastodon: \"@partenaires@piaille.example merci ! {url}\"\n", 1), encoding="utf-8")
    result = build(project)
    assert result.exit_code == 0, result.output
    return project


@pytest.fixture(scope="module")
def teasers(hub: Path) -> list[dict]:
    return json.loads((hub / "social" / "teasers.json").read_text(encoding="utf-8"))["teasers"]


def people_texts(hub: Path) -> list[tuple[str, str, str]]:
    """Return (where, network, text) for every text meant for people and schedulers."""
    found = []
    with (hub / "social" / "teasers.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            found.append(("teasers.csv", row["network"], row["text"]))
    for path in sorted((hub / "social" / "publer").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            found += [(path.name, path.stem, row["Text"]) for row in csv.DictReader(handle)]
    for path in sorted((hub / "social" / "articles").glob("*.md")):
        page = path.read_text(encoding="utf-8")
        for section in page.split("\n## ")[1:]:
            network = section.split(" ", 1)[0].lower()
            body = section.split("```text\n", 1)[1].split("\n```", 1)[0]
            found.append((path.name, network, body))
    return found


def test_bluesky_text_for_people_carries_the_full_tracked_link(hub: Path, teasers: list[dict]) -> None:
    links = {t["link"] for t in teasers if t["network"] == "bluesky"}
    texts = [text for _, network, text in people_texts(hub) if network == "bluesky"]
    assert texts and all(any(link in text for link in links) for text in texts)
    assert not any("..." in text for text in texts)
    for teaser in teasers:
        if teaser["network"] == "bluesky":
            assert teaser["link"] in teaser["text"] and teaser["link_text"] == teaser["link"]


def test_the_networks_own_link_detection_finds_the_tracked_link(teasers: list[dict]) -> None:
    bluesky = [t for t in teasers if t["network"] == "bluesky"]
    x = [t for t in teasers if t["network"] == "x"]
    measured = measure(x=[t["text"] for t in x], bluesky_links=[t["text"] for t in bluesky])
    for teaser, found in zip(bluesky, measured["bluesky_links"], strict=True):
        assert [f["uri"] for f in found] == [teaser["link"]], teaser["text"]
    for teaser, found in zip(x, measured["x"], strict=True):
        assert [u for u in found["urls"] if u.startswith("http")] == [teaser["link"]]


def test_bluesky_api_data_has_the_short_link_and_byte_offsets(teasers: list[dict]) -> None:
    written = [t for t in teasers if t["network"] == "bluesky" and t["written_by_author"]]
    assert written, "the fixture's hand-written Bluesky text"
    for teaser in (t for t in teasers if t["network"] == "bluesky"):
        api = teaser["api"]
        data = api["text"].encode("utf-8")
        links = [f for f in api["facets"] if f["features"][0]["$type"] == "app.bsky.richtext.facet#link"]
        assert len(links) == 1
        [link] = links
        start, end = link["index"]["byteStart"], link["index"]["byteEnd"]
        assert data[start:end].decode("utf-8") == api["link_text"]
        assert link["features"] == [{"$type": "app.bsky.richtext.facet#link", "uri": teaser["link"]}]
        assert api["link_text"].startswith(BASE.split("//")[1].rstrip("/")) and "http" not in api["text"]
        assert api["text"] == teaser["text"].replace(teaser["link"], api["link_text"])
        for tag in (f for f in api["facets"] if f["features"][0]["$type"] == "app.bsky.richtext.facet#tag"):
            piece = data[tag["index"]["byteStart"]:tag["index"]["byteEnd"]].decode("utf-8")
            assert piece == "#" + tag["features"][0]["tag"]
    [hand] = written
    before = hand["api"]["text"].split(hand["api"]["link_text"])[0]
    assert before == "Été, modération & 🏳️\u200d🌈 : "


def test_a_scheduler_gets_a_mention_first_teaser_as_written_and_a_spreadsheet_gets_it_as_text(
        hub: Path, teasers: list[dict]) -> None:
    # Publer posts its import file's cells as they are: an apostrophe there would be posted; the
    # files people open in a spreadsheet (teasers.csv) mark the same cell as text instead
    [written] = {t["text"] for t in teasers if t["network"] == "mastodon" and t["text"].startswith("@partenaires")}
    texts = {(where, network): text for where, network, text in people_texts(hub) if "@partenaires" in text}
    assert texts[("mastodon.csv", "mastodon")] == written
    assert texts[("teasers.csv", "mastodon")] == "'" + written


def test_authors_handles_reach_x_and_bluesky(teasers: list[dict]) -> None:
    by_ines = [t for t in teasers if t["article"]["source"] == "content/guide-calendrier-editorial.md"
               and not t["written_by_author"]]
    handles = {"x": "@ines_asso", "bluesky": "@ines.bsky.social", "mastodon": "@ines@piaille.example"}
    for teaser in by_ines:
        if teaser["network"] in handles:
            assert handles[teaser["network"]] in teaser["text"], teaser["network"]
        if teaser["network"] == "bluesky":
            [mention] = teaser["api"]["mentions"]
            data = teaser["api"]["text"].encode("utf-8")
            assert mention["handle"] == "ines.bsky.social"
            assert data[mention["byteStart"]:mention["byteEnd"]].decode("utf-8") == "@ines.bsky.social"
    assert {t["network"] for t in by_ines} >= set(handles)


def test_review_pages_speak_the_hubs_language(hub: Path) -> None:
    page = (hub / "social" / "articles" / "charte-de-moderation.md").read_text(encoding="utf-8")
    assert "Source\u00a0: `content/charte-de-moderation.md`" in page
    for heading in ("## X (@echos_asso)", "## Bluesky (echos-asso.bsky.social)", "## LinkedIn (Les Échos de l’Asso)",
                    "## Mastodon (@echos@piaille.example)"):
        assert heading in page.splitlines(), heading
    assert "- Quand\u00a0: " in page and "- Longueur\u00a0: " in page and "- Lien\u00a0: https://" in page
    assert "caractères pondérés (URL = 23, émoji = 2)" in page and "graphèmes" in page
    assert "- Image\u00a0: https://assoc.example.org/_social/" in page
    for english in ("When:", "Length:", "Link:", "Picture:", "## x (", "weighted characters"):
        assert english not in page, english
