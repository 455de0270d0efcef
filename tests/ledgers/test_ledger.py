"""Durable permalinks: moved articles redirect, deletions are never silent, retired URLs are 'gone'."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.ledgers.permalinks_lock import Entry, Ledger, format_ledger
from cmhub.ledgers.permalinks_reading import parse_ledger
from tests.conftest import NOW


def build(runner: CliRunner, site: Path, *extra: str):
    return runner.invoke(main, ["build", "-C", str(site), "--now", NOW, *extra])


def test_ledger_text_round_trips() -> None:
    import datetime as dt

    ledger = Ledger({"content/a.md": Entry("tag:x,2026-01-01:/a/", dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                                           "b/", ("a/",))})
    assert parse_ledger(format_ledger(ledger)) == ledger


def test_first_build_records_published_and_scheduled_articles_never_drafts(basic_site: Path,
                                                                           runner: CliRunner) -> None:
    assert build(runner, basic_site).exit_code == 0
    text = (basic_site / "permalinks.lock").read_text(encoding="utf-8")
    assert "content/premier-article.md" in text and "content/guides/second.md" in text
    assert '"content/secret-programme.md": {"id": "tag:voix.example.org,2026-12-05:/secret-programme/", ' \
           '"published": "2026-12-05T10:00:00+01:00", "url": "/secret-programme/"' in text
    assert "brouillon" not in text and "ancien" not in text  # a draft, and an article expired before any build


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
        "'cmhub retire /troisieme/ --redirect-to /other-article/' (a file moved or renamed keeps its URL, or "
        "its date and title, or its key renamed in permalinks.lock)")
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


def _damage_lines(text: str, number: int, line: str) -> str:
    lines = text.split("\n")
    lines[number - 1] = line
    return "\n".join(lines)


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


TROISIEME = ('  "content/troisieme.md": {"id": "tag:voix.example.org,2026-08-15:/troisieme/", '
             '"published": "2026-08-15T10:00:00+02:00", "url": "/troisieme/", "title": "L’été des bénévoles"}')

DAMAGES = {
    "emptied": (lambda t: "", "permalinks.lock:1: is empty, so every URL and feed id it recorded would be lost; "
                "restore it from version control ('git checkout -- permalinks.lock'), or fix the line by hand "
                "(docs/permalinks.md); to start a new ledger on purpose, delete the file"),
    "cut-in-a-line": (lambda t: t[:t.index('"url": "/troisieme/"')],
                      "permalinks.lock:11: the ledger ends here without its closing line '# end of permalinks.lock': "
                      "it was cut short; restore it from version control ('git checkout -- permalinks.lock'), or fix "
                      "the line by hand (docs/permalinks.md); if you edited it on purpose, end it with that line"),
    "cut-at-a-line-end": (lambda t: t[:t.index("retired:")], "permalinks.lock:11: the ledger ends here without"),
    "cut-before-version": (lambda t: t[:t.index("version:")], "permalinks.lock:1: has no 'version: 2' line: it "
                           "was cut short or damaged"),
    "duplicate-key": (lambda t: t.replace(TROISIEME, TROISIEME + "\n" + TROISIEME),
                      "permalinks.lock:12: 'content/troisieme.md' is listed twice (also line 11); keep one of the "
                      "lines"),
    "duplicate-id": (lambda t: t.replace("tag:voix.example.org,2026-08-15:/troisieme/",
                                         "tag:voix.example.org,2026-10-01:/premier-article/"),
                     "permalinks.lock:11: feed id 'tag:voix.example.org,2026-10-01:/premier-article/' is also the feed "
                     "id of 'content/premier-article.md' (line 9): every article has its own"),
    "duplicate-url": (lambda t: t.replace('"url": "/troisieme/"', '"url": "/premier-article/"'),
                      "permalinks.lock:11: URL '/premier-article/' is also the URL of 'content/premier-article.md' "
                      "(line 9)"),
    "newline-in-a-target": (lambda t: t.replace("retired:\n", 'retired:\n  "/ancien/": {"redirect_to": '
                                                '"/troisieme/\\n/* https://evil.example/:splat 200!"}\n'),
                            "permalinks.lock:13: redirect_to '/troisieme/\\n/* https://evil.example/:splat 200!' "
                            "contains '\\n', which a URL path cannot hold"),
    "space-in-a-url": (lambda t: t.replace('"url": "/troisieme/"', '"url": "/trois ieme/"'),
                       "permalinks.lock:11: url '/trois ieme/' contains ' ', which a URL path cannot hold"),
    "newline-in-an-old-url": (lambda t: t.replace('"url": "/troisieme/"', '"url": "/troisieme/", "old_urls": '
                                                  '["/x/\\n/* /y/ 200!"]'),
                              "permalinks.lock:11: old_urls '/x/\\n/* /y/ 200!' contains '\\n'"),
    "yaml-style-line": (lambda t: _damage_lines(t, 11, "  content/troisieme.md: {id: x, url: /troisieme/}"),
                        "permalinks.lock:11: cannot be read: expected one entry per line, such as "
                        '  "content/a.md": {"id": "...", "published": "...", "url": "/a/"}'),
    "bad-instant": (lambda t: t.replace("2026-08-15T10:00:00+02:00", "le 15 août"),
                    "permalinks.lock:11: 'published' must be an ISO 8601 instant with its offset "
                    "(2026-12-01T09:00:00+01:00), got 'le 15 août'"),
    "instant-without-offset": (lambda t: t.replace("2026-08-15T10:00:00+02:00", "2026-08-15T10:00:00"),
                               "permalinks.lock:11: 'published' must be an ISO 8601 instant with its offset"),
    "missing-id": (lambda t: t.replace('"id": "tag:voix.example.org,2026-08-15:/troisieme/", ', ""),
                   "permalinks.lock:11: 'content/troisieme.md' has no 'id'"),
    "unknown-field": (lambda t: t.replace('"title": "L’été', '"titel": "L’été'),
                      "permalinks.lock:11: unknown field 'titel' (did you mean 'title'?)"),
    "old-urls-not-a-list": (lambda t: t.replace('"url": "/troisieme/"', '"url": "/troisieme/", "old_urls": "/x/"'),
                            "permalinks.lock:11: 'old_urls' must be a list of URLs, got '/x/'"),
    "entry-not-a-mapping": (lambda t: _damage_lines(t, 11, '  "content/troisieme.md": "/troisieme/"'),
                            "permalinks.lock:11: 'content/troisieme.md' must be followed by"),
    "key-outside-the-project": (lambda t: t.replace('"content/troisieme.md"', '"../../etc/troisieme.md"'),
                                "permalinks.lock:11: '../../etc/troisieme.md' is not an article file (it must be a "
                                "path inside the project, such as 'content/a.md')"),
    "retired-value": (lambda t: t.replace("retired:\n", 'retired:\n  "/ancien/": "parti"\n'),
                      "permalinks.lock:13: a retired URL is followed by \"gone\" or {\"redirect_to\": \"/url/\"}, "
                      "got 'parti'"),
    "retired-twice": (lambda t: t.replace("retired:\n", 'retired:\n  "/ancien/": "gone"\n  "/ancien/": "gone"\n'),
                      "permalinks.lock:14: '/ancien/' is retired twice (also line 13); keep one of the lines"),
    "stray-line": (lambda t: t.replace("articles:\n", "articles:\nbonjour\n"),
                   "permalinks.lock:8: is not a line of a permalink ledger"),
    "after-the-end": (lambda t: t + '  "content/x.md": {}\n',
                      "permalinks.lock:14: comes after the closing line '# end of permalinks.lock' (line 13); "
                      "move it above"),
    "future-version": (lambda t: t.replace("version: 2", "version: 3"),
                       "permalinks.lock:6: version '3' is not one this cmhub reads (it writes version 2); "
                       "upgrade cmhub, or restore the file from version control"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_ledger_is_an_error_at_its_line(basic_site: Path, runner: CliRunner, damage: str) -> None:
    from tests.conftest import tree_digest

    assert build(runner, basic_site).exit_code == 0
    before = tree_digest(basic_site / "site")
    ledger = basic_site / "permalinks.lock"
    assert ledger.read_text(encoding="utf-8").split("\n")[10] == TROISIEME
    transform, expected = DAMAGES[damage]
    damaged = transform(ledger.read_text(encoding="utf-8"))
    ledger.write_text(damaged, encoding="utf-8")
    for command in (["build", "-C", str(basic_site), "--now", NOW], ["check", "-C", str(basic_site), "--now", NOW]):
        result = runner.invoke(main, command)
        assert result.exit_code == 1, result.output
        assert expected in result.stderr
        assert "Traceback" not in result.output
    assert tree_digest(basic_site / "site") == before
    assert ledger.read_text(encoding="utf-8") == damaged  # never rewritten, never reset


def test_a_ledger_that_is_not_utf8_is_an_error(basic_site: Path, runner: CliRunner) -> None:
    assert build(runner, basic_site).exit_code == 0
    (basic_site / "permalinks.lock").write_bytes(b"\xff\xfe" + (basic_site / "permalinks.lock").read_bytes())
    result = build(runner, basic_site)
    assert result.exit_code == 1
    assert result.stderr.startswith("permalinks.lock: cannot be read: 'utf-8' codec can't decode")


LEGACY = """\
# cmhub permalink ledger: every URL this hub has published. Commit this file.
# cmhub build keeps it up to date; `cmhub build --locked` (for CI) fails if it would change.
# To take a published article down on purpose: cmhub retire /its-url/ [--redirect-to /other/]
articles:
  content/troisieme.md:
    id: tag:voix.example.org,2026-08-15:/l-ete/
    published: '2026-08-15T10:00:00+02:00'
    url: /l-ete/
    old_urls:
    - /ete/
retired:
  /vieux/: gone
"""


def test_a_ledger_of_the_previous_format_is_read_and_rewritten(basic_site: Path, runner: CliRunner) -> None:
    ledger = basic_site / "permalinks.lock"
    ledger.write_text(LEGACY, encoding="utf-8")
    result = build(runner, basic_site)
    assert result.exit_code == 0, result.output
    text = ledger.read_text(encoding="utf-8")
    assert ('  "content/troisieme.md": {"id": "tag:voix.example.org,2026-08-15:/l-ete/", "published": '
            '"2026-08-15T10:00:00+02:00", "url": "/troisieme/", "old_urls": ["/ete/", "/l-ete/"], '
            '"title": "L’été des bénévoles"}') in text
    assert '  "/vieux/": "gone"' in text and text.endswith("\n# end of permalinks.lock\n")
    assert "/l-ete/ /troisieme/ 301" in (basic_site / "site" / "_redirects").read_text()
    damaged = LEGACY.replace("    published: '2026-08-15T10:00:00+02:00'\n", "    published: hier\n")
    ledger.write_text(damaged, encoding="utf-8")
    result = build(runner, basic_site)
    assert result.exit_code == 1
    assert "permalinks.lock:5: 'published' must be an ISO 8601 instant" in result.stderr


def test_a_retired_url_must_redirect_to_a_page_of_the_site(basic_site: Path, runner: CliRunner) -> None:
    from tests.conftest import tree_digest

    assert build(runner, basic_site).exit_code == 0
    before = tree_digest(basic_site / "site")
    (basic_site / "content" / "troisieme.md").unlink()
    done = runner.invoke(main, ["retire", "-C", str(basic_site), "/troisieme/", "--redirect-to", "/nulle-part/"])
    assert done.exit_code == 0, done.output
    result = build(runner, basic_site)
    assert result.exit_code == 1
    line = _line_of((basic_site / "permalinks.lock").read_text(encoding="utf-8"), '"/troisieme/": {')
    assert (f"permalinks.lock:{line}: '/troisieme/' redirects to '/nulle-part/', which is no page or file of the "
            "built site; correct its redirect_to or retire it as gone") in result.stderr
    assert tree_digest(basic_site / "site") == before
    done = runner.invoke(main, ["retire", "-C", str(basic_site), "/troisieme/", "--redirect-to", "/premier-article/"])
    assert done.exit_code == 0, done.output
    assert build(runner, basic_site).exit_code == 0
    assert "/troisieme/ /premier-article/ 301" in (basic_site / "site" / "_redirects").read_text()


@pytest.mark.parametrize(("target", "message"), [
    ("/premier-article/\n/* https://evil.example/:splat 200!",
     "--redirect-to: '/premier-article/\\n/* https://evil.example/:splat 200!' contains '\\n'"),
    ("/premier article/", "--redirect-to: '/premier article/' contains ' ', which a URL path cannot hold"),
    ("https://evil.example/x/", "--redirect-to: 'https://evil.example/x/' is not on this hub "
                                "(https://voix.example.org/)"),
    ("/troisieme/", "--redirect-to: '/troisieme/' cannot redirect to itself"),
])
def test_retire_refuses_a_target_that_would_write_rules(basic_site: Path, runner: CliRunner, target: str,
                                                        message: str) -> None:
    assert build(runner, basic_site).exit_code == 0
    before = (basic_site / "permalinks.lock").read_bytes()
    result = runner.invoke(main, ["retire", "-C", str(basic_site), "/troisieme/", "--redirect-to", target])
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output
    assert (basic_site / "permalinks.lock").read_bytes() == before


@pytest.mark.parametrize("url", ["/blog/troisieme/", "https://voix.example.org/blog/troisieme/?utm_source=x#top",
                                 "http://voix.example.org/blog/troisieme", "troisieme", "/troisieme/"])
def test_retire_accepts_the_url_a_person_pastes(basic_site: Path, runner: CliRunner, url: str) -> None:
    config = basic_site / "site.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("https://voix.example.org/",
                                                                  "https://voix.example.org/blog/"), encoding="utf-8")
    assert build(runner, basic_site).exit_code == 0
    result = runner.invoke(main, ["retire", "-C", str(basic_site), url])
    assert result.exit_code == 0, result.output
    assert result.stdout == "/blog/troisieme/ retired: it will serve a 'gone' page from the next build\n"
    assert '  "/troisieme/": "gone"' in (basic_site / "permalinks.lock").read_text(encoding="utf-8")


@pytest.mark.parametrize(("url", "message"), [
    ("https://autre.example.org/blog/troisieme/",
     "cmhub retire: 'https://autre.example.org/blog/troisieme/' is not on this hub (https://voix.example.org/blog/): "
     "give a URL of the hub, or its path such as /an-article/"),
    ("https://voix.example.org/troisieme/", "cmhub retire: 'https://voix.example.org/troisieme/' is outside the "
                                            "hub, which lives under /blog/"),
    ("/secret-programme/", "permalinks.lock:10: '/secret-programme/' goes live at 2026-12-05T10:00:00+01:00 and was "
                           "never served: edit or delete the article instead"),
])
def test_retire_refuses_other_sites_and_unserved_urls(basic_site: Path, runner: CliRunner, url: str,
                                                      message: str) -> None:
    config = basic_site / "site.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("https://voix.example.org/",
                                                                  "https://voix.example.org/blog/"), encoding="utf-8")
    assert build(runner, basic_site).exit_code == 0
    result = runner.invoke(main, ["retire", "-C", str(basic_site), "--now", NOW, url])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == message
