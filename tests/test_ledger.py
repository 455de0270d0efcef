"""Durable permalinks: moved articles redirect, deletions are never silent, retired URLs are 'gone'."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cmhub.cli import main
from cmhub.ledger import Entry, Ledger, format_ledger, parse_ledger
from tests.conftest import NOW


def build(runner: CliRunner, site: Path, *extra: str):
    return runner.invoke(main, ["build", "-C", str(site), "--now", NOW, *extra])


def test_ledger_text_round_trips() -> None:
    import datetime as dt

    ledger = Ledger({"content/a.md": Entry("tag:x,2026-01-01:/a/", dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                                           "b/", ("a/",))})
    assert parse_ledger(format_ledger(ledger)) == ledger


def test_first_build_records_published_articles_only(basic_site: Path, runner: CliRunner) -> None:
    assert build(runner, basic_site).exit_code == 0
    text = (basic_site / "permalinks.lock").read_text(encoding="utf-8")
    assert "content/premier-article.md" in text and "content/guides/second.md" in text
    assert "secret" not in text


def test_renamed_article_redirects_and_keeps_its_feed_id(basic_site: Path, runner: CliRunner) -> None:
    assert build(runner, basic_site).exit_code == 0
    article = basic_site / "content" / "troisieme.md"
    article.write_text(article.read_text(encoding="utf-8")
                       .replace("title: L’été des bénévoles", "title: Un été avec les bénévoles\nslug: un-ete"),
                       encoding="utf-8")
    assert build(runner, basic_site).exit_code == 0
    site = basic_site / "site"
    redirect = (site / "troisieme" / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=https://voix.example.org/un-ete/"' in redirect
    assert "/troisieme/ /un-ete/ 301" in (site / "_redirects").read_text()
    assert "tag:voix.example.org,2026-08-15:/troisieme/" in (site / "feed.xml").read_text(encoding="utf-8")


def test_deleted_article_stops_the_build_until_retired(basic_site: Path, runner: CliRunner) -> None:
    assert build(runner, basic_site).exit_code == 0
    (basic_site / "content" / "troisieme.md").unlink()
    result = build(runner, basic_site)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2] == (
        "content/troisieme.md: was published at /troisieme/ and its file is gone; restore it, or retire its "
        "URL on purpose: 'cmhub retire /troisieme/' (serves a 'gone' page) or "
        "'cmhub retire /troisieme/ --redirect-to /other-article/'")
    retired = runner.invoke(main, ["retire", "-C", str(basic_site), "/troisieme/"])
    assert retired.exit_code == 0, retired.output
    assert build(runner, basic_site).exit_code == 0
    gone = (basic_site / "site" / "troisieme" / "index.html").read_text(encoding="utf-8")
    assert "Cette page a été retirée" in gone


def test_retire_refuses_an_unknown_url(basic_site: Path, runner: CliRunner) -> None:
    assert build(runner, basic_site).exit_code == 0
    result = runner.invoke(main, ["retire", "-C", str(basic_site), "/jamais-vu/"])
    assert result.exit_code == 1
    assert "'/jamais-vu/' is not a URL this hub has published" in result.stderr


def test_locked_build_fails_when_the_ledger_would_change(basic_site: Path, runner: CliRunner) -> None:
    result = build(runner, basic_site, "--locked")
    assert result.exit_code == 1
    assert "permalinks.lock: would change (--locked)" in result.stderr
    assert not (basic_site / "site").exists()
    assert build(runner, basic_site).exit_code == 0
    assert build(runner, basic_site, "--locked").exit_code == 0


def test_an_alias_that_would_hide_a_page_is_refused_and_the_site_kept(basic_site: Path, runner: CliRunner) -> None:
    from tests.conftest import tree_digest

    assert build(runner, basic_site).exit_code == 0
    before = tree_digest(basic_site / "site")
    article = basic_site / "content" / "troisieme.md"
    article.write_text(article.read_text(encoding="utf-8").replace("tags:", "aliases: [/premier-article/]\ntags:"),
                       encoding="utf-8")
    result = build(runner, basic_site)
    assert result.exit_code == 1
    assert "content/troisieme.md:4: alias '/premier-article/' is the URL of an existing page" in result.stderr
    assert tree_digest(basic_site / "site") == before
