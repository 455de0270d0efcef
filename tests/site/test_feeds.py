"""Feeds read back by a real feed reader (feedparser): complete, published-only, stable."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.ledgers.permalinks_reading import load_ledger
from cmhub.pipeline.project import open_project
from cmhub.pipeline.story import load_site
from cmhub.settings.request import BuildRequest
from cmhub.site.feeds import EMPTY_FEED_DATE, FeedSpec, feed_files, json_feed
from tests.conftest import NOW

PUBLISHED = ["Why we publish on our own site first",
             "Modération\u00a0: «\u202fLes 5 règles\u202f» qu’on s’est données <enfin> & pour de bon 🎉",  # #15.6
             "L’été des bénévoles"]
FEEDS = ["feed.xml", "atom.xml", "tags/facebook/feed.xml", "tags/facebook/atom.xml",
         "categories/methode/feed.xml", "categories/methode/atom.xml"]


@pytest.fixture
def built(basic_site: Path, runner: CliRunner) -> Path:
    """The sample hub built at NOW; returns its site/ folder."""
    result = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW])
    assert result.exit_code == 0, result.output
    return basic_site / "site"


@pytest.mark.parametrize("name", FEEDS)
def test_every_feed_parses_cleanly(built: Path, name: str) -> None:
    parsed = feedparser.parse((built / name).read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.entries


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml"])
def test_site_feed_holds_published_articles_newest_first(built: Path, name: str) -> None:
    parsed = feedparser.parse((built / name).read_bytes())
    assert [e.title for e in parsed.entries] == PUBLISHED
    first = parsed.entries[1]
    assert first.link == "https://voix.example.org/premier-article/"
    assert first.id == "tag:voix.example.org,2026-10-01:/premier-article/"
    assert first.published_parsed[:5] == (2026, 10, 1, 7, 0)  # 09:00 in Paris, as UTC
    assert any(t.term == "Modération" for t in first.tags)
    html = first.content[0].value
    assert 'href="https://voix.example.org/own-site-first/#why"' in html
    assert 'src="https://voix.example.org/images/schema.png"' in html
    assert 'href="https://voix.example.org/premier-article/#fn:1"' in html
    assert 'href="/' not in html and 'src="/' not in html


def test_rss_dates_carry_offsets_and_build_date_is_newest_entry(built: Path) -> None:
    text = (built / "feed.xml").read_text(encoding="utf-8")
    assert "<pubDate>Thu, 01 Oct 2026 09:00:00 +0200</pubDate>" in text
    assert "<lastBuildDate>Sun, 01 Nov 2026 00:00:00 +0100</lastBuildDate>" in text


def test_rss_has_cover_enclosure_with_type_and_length(built: Path, basic_site: Path) -> None:
    parsed = feedparser.parse((built / "feed.xml").read_bytes())
    enclosure = parsed.entries[1].enclosures[0]
    assert enclosure.href == "https://voix.example.org/images/couverture.png"
    assert enclosure.type == "image/png"
    assert int(enclosure.length) == (basic_site / "content/images/couverture.png").stat().st_size


def test_json_feed_has_required_fields_and_matches_rss(built: Path) -> None:
    feed = json.loads((built / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Les Voix du Quartier"
    assert feed["feed_url"] == "https://voix.example.org/feed.json"
    rss = feedparser.parse((built / "feed.xml").read_bytes())
    assert [(i["id"], i["url"], i["title"]) for i in feed["items"]] == \
        [(e.id, e.link, e.title) for e in rss.entries]
    for item in feed["items"]:
        assert item["content_html"] and item["date_published"][-6:] in ("+01:00", "+02:00")


def test_atom_entry_links_say_what_they_are(built: Path) -> None:
    for name in ("atom.xml", "tags/facebook/atom.xml"):  # the same entry, in two feeds
        entry = next(e for e in feedparser.parse((built / name).read_bytes()).entries
                     if e.id == "tag:voix.example.org,2026-10-01:/premier-article/")
        assert [(link.rel, link.type, link.href) for link in entry.links] == [
            ("alternate", "text/html", "https://voix.example.org/premier-article/"),
            ("enclosure", "image/png", "https://voix.example.org/images/couverture.png")]


def test_json_feeds_are_what_json_dumps_writes(built: Path) -> None:
    paths = sorted(built.rglob("feed.json"))
    assert len(paths) > 3
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n", path


def test_a_feed_without_entries_is_still_whole(basic_site: Path) -> None:
    project = open_project(basic_site, BuildRequest(now=NOW))
    site, _, _ = load_site(project, load_ledger(basic_site)[0])
    text = json_feed(site, FeedSpec("", "Vide", "", ()), EMPTY_FEED_DATE).decode()
    assert json.loads(text)["items"] == []
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"


def test_no_unpublished_article_in_any_feed(built: Path) -> None:
    for path in [*built.rglob("*.xml"), *built.rglob("feed.json")]:
        data = path.read_bytes().lower()
        assert b"secret" not in data and b"appel" not in data, path


def test_feed_limit_keeps_the_newest(basic_site: Path, runner: CliRunner) -> None:
    config = basic_site / "site.yml"
    config.write_text(config.read_text(encoding="utf-8") + "feeds:\n  entries: 2\n  full_content: false\n",
                      encoding="utf-8")
    assert runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW]).exit_code == 0
    parsed = feedparser.parse((basic_site / "site" / "feed.xml").read_bytes())
    assert [e.title for e in parsed.entries] == PUBLISHED[:2]
    assert "content" not in parsed.entries[0]


def test_ids_survive_a_later_build_and_a_slug_change(basic_site: Path, runner: CliRunner) -> None:
    assert runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW]).exit_code == 0
    before = {e.title: e.id for e in feedparser.parse((basic_site / "site/feed.xml").read_bytes()).entries}
    article = basic_site / "content" / "troisieme.md"
    article.write_text(article.read_text(encoding="utf-8").replace("date:", "slug: ete-benevoles\ndate:"),
                       encoding="utf-8")
    assert runner.invoke(main, ["build", "-C", str(basic_site), "--now", "2026-12-30T12:00:00Z"]).exit_code == 0
    after = {e.title: e.id for e in feedparser.parse((basic_site / "site/feed.xml").read_bytes()).entries}
    assert all(after[title] == before[title] for title in before)
    assert after["L’été des bénévoles"] == "tag:voix.example.org,2026-08-15:/troisieme/"


def test_feed_sets_whose_entries_did_not_change_are_not_made_again(basic_site: Path) -> None:
    project = open_project(basic_site, BuildRequest(now=NOW))
    site, _, _ = load_site(project, load_ledger(basic_site)[0])
    assert all(not f.key for f in feed_files(site))  # no previous output: no keys worked out
    first = {f.path: f.key for f in feed_files(site, lambda path, key: False)}
    assert all(first.values()) and len(first) % 3 == 0
    again = list(feed_files(site, lambda path, key: first.get(path) == key))
    assert [f.path for f in again] == list(first) and all(f.reuse and f.data is None for f in again)

    edited = replace(site, articles=tuple(replace(a, html=a.html + "<p>Ajout</p>") if a.slug == "troisieme" else a
                                          for a in site.articles))
    made = sorted(f.path for f in feed_files(edited, lambda path, key: first.get(path) == key) if not f.reuse)
    assert made == sorted(f"{folder}{name}" for folder in ("", "categories/metier/", "tags/benevolat/")
                          for name in ("atom.xml", "feed.json", "feed.xml"))
