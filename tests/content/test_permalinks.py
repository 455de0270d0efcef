"""URLs that survive: CI-only publication, slug changes before and after publication, moved files."""

from __future__ import annotations

import shutil
from pathlib import Path

import feedparser
from click.testing import CliRunner

from cmhub.cli.verbs import main
from tests.conftest import NOW, public_bytes, tree_digest

SITE_YML = ("title: Caisse solidaire\nurl: https://caisse.example.org/blog/\nlanguage: fr\n"
            "timezone: Europe/Paris\n")
ARTICLE = "---\ntitle: Assemblée générale\ndate: 2026-12-10T09:30:00\n{extra}---\nRendez-vous le 10.\n"
OLDER = "---\ntitle: Bienvenue\ndate: 2026-11-02T09:00:00\n---\nPremier article.\n"


def make_hub(root: Path, extra: str = "") -> Path:
    (root / "content").mkdir(parents=True)
    (root / "site.yml").write_text(SITE_YML, encoding="utf-8")
    (root / "content" / "bienvenue.md").write_text(OLDER, encoding="utf-8")
    (root / "content" / "annonce.md").write_text(ARTICLE.format(extra=extra), encoding="utf-8")
    return root


def build(runner: CliRunner, root: Path, now: str, *extra: str):
    result = runner.invoke(main, ["build", "-C", str(root), "--now", now, *extra])
    return result


def feed_ids(root: Path) -> dict[str, str]:
    parsed = feedparser.parse((root / "site" / "feed.xml").read_bytes())
    assert parsed.bozo == 0
    return {e.title: e.id for e in parsed.entries}


def site_bytes(root: Path) -> bytes:
    return public_bytes(root / "site")  # the search index unpacked, Pagefind's own code left out


def set_slug(root: Path, slug: str) -> None:
    article = root / "content" / "annonce.md"
    article.write_text(article.read_text(encoding="utf-8").replace("date:", f"slug: {slug}\ndate:"),
                       encoding="utf-8")


def test_a_url_first_published_by_a_ci_build_whose_ledger_was_lost_still_redirects(tmp_path: Path,
                                                                                    runner: CliRunner) -> None:
    local = make_hub(tmp_path / "local")
    # the author builds locally while the article is scheduled, and commits permalinks.lock
    assert build(runner, local, "2026-12-01T10:00:00Z").exit_code == 0
    committed = (local / "permalinks.lock").read_bytes()
    # CI builds from a checkout the day after publication; its ledger is thrown away afterwards
    ci = tmp_path / "ci"
    shutil.copytree(local, ci, ignore=shutil.ignore_patterns("site", "social", ".cmhub-cache"))
    assert build(runner, ci, "2026-12-11T06:17:00Z").exit_code == 0
    assert (ci / "site" / "annonce" / "index.html").is_file()
    served_id = feed_ids(ci)["Assemblée générale"]
    # weeks later the slug changes; the build only has the committed ledger
    assert (local / "permalinks.lock").read_bytes() == committed
    set_slug(local, "assemblee-2026")
    assert build(runner, local, "2027-01-05T10:00:00Z", "--locked").exit_code == 1  # a live URL changes
    result = build(runner, local, "2027-01-05T10:00:00Z")
    assert result.exit_code == 0, result.output
    redirect = (local / "site" / "annonce" / "index.html").read_text(encoding="utf-8")
    assert 'url=https://caisse.example.org/blog/assemblee-2026/"' in redirect
    assert "/blog/annonce/ /blog/assemblee-2026/ 301" in (local / "site" / "_redirects").read_text()
    assert feed_ids(local)["Assemblée générale"] == served_id


def test_a_slug_changed_before_publication_leaves_no_trace(tmp_path: Path, runner: CliRunner) -> None:
    hub = make_hub(tmp_path / "hub")
    assert build(runner, hub, "2026-12-01T10:00:00Z").exit_code == 0
    assert '"/annonce/"' in (hub / "permalinks.lock").read_text(encoding="utf-8")
    set_slug(hub, "assemblee-2026")
    assert build(runner, hub, "2026-12-05T10:00:00Z", "--locked").exit_code == 0  # nothing live changed
    ledger = (hub / "permalinks.lock").read_text(encoding="utf-8")
    assert "/annonce/" not in ledger and '"url": "/assemblee-2026/"' in ledger
    assert "tag:caisse.example.org,2026-12-10:/blog/assemblee-2026/" in ledger
    assert build(runner, hub, "2026-12-20T10:00:00Z").exit_code == 0
    assert not (hub / "site" / "annonce").exists()
    assert b"annonce" not in site_bytes(hub)  # no redirect, no _redirects line, no sitemap entry
    assert feed_ids(hub)["Assemblée générale"] == "tag:caisse.example.org,2026-12-10:/blog/assemblee-2026/"


def test_nothing_of_a_scheduled_article_reaches_the_site_through_the_ledger(tmp_path: Path,
                                                                          runner: CliRunner) -> None:
    hub = make_hub(tmp_path / "hub")
    assert build(runner, hub, "2026-12-01T10:00:00Z").exit_code == 0
    assert "Assembl" in (hub / "permalinks.lock").read_text(encoding="utf-8")
    assert b"annonce" not in site_bytes(hub) and b"Assembl" not in site_bytes(hub)
    (hub / "content" / "annonce.md").unlink()  # deleted before its date: never served, nothing to retire
    result = build(runner, hub, "2026-12-02T10:00:00Z")
    assert result.exit_code == 0, result.output
    assert "annonce" not in (hub / "permalinks.lock").read_text(encoding="utf-8")
    assert b"annonce" not in site_bytes(hub)


def test_rescheduling_before_publication_updates_the_record(tmp_path: Path, runner: CliRunner) -> None:
    hub = make_hub(tmp_path / "hub")
    assert build(runner, hub, "2026-12-01T10:00:00Z").exit_code == 0
    article = hub / "content" / "annonce.md"
    article.write_text(article.read_text(encoding="utf-8").replace("2026-12-10", "2026-12-17"), encoding="utf-8")
    assert build(runner, hub, "2026-12-03T10:00:00Z").exit_code == 0
    ledger = (hub / "permalinks.lock").read_text(encoding="utf-8")
    assert '"published": "2026-12-17T09:30:00+01:00"' in ledger and "2026-12-10" not in ledger
    # a build on the old date, which the ledger no longer announces, serves nothing
    assert build(runner, hub, "2026-12-11T10:00:00Z").exit_code == 0
    assert not (hub / "site" / "annonce").exists()
    assert build(runner, hub, "2026-12-18T10:00:00Z").exit_code == 0
    assert feed_ids(hub)["Assemblée générale"] == "tag:caisse.example.org,2026-12-17:/blog/annonce/"


def test_a_feed_id_never_changes_once_served(tmp_path: Path, runner: CliRunner) -> None:
    hub = make_hub(tmp_path / "hub")
    assert build(runner, hub, "2026-12-01T10:00:00Z").exit_code == 0
    # no build ran between the publication and this edit: the ledger still knows the URL went live
    article = hub / "content" / "annonce.md"
    article.write_text(article.read_text(encoding="utf-8").replace("2026-12-10T09:30", "2026-12-12T09:30")
                       .replace("Assemblée générale", "Assemblée générale 2026"), encoding="utf-8")
    set_slug(hub, "ag-2026")
    assert build(runner, hub, "2026-12-20T10:00:00Z").exit_code == 0
    assert feed_ids(hub)["Assemblée générale 2026"] == "tag:caisse.example.org,2026-12-10:/blog/annonce/"
    assert (hub / "site" / "annonce" / "index.html").is_file()


def test_a_draft_before_its_date_is_forgotten_a_draft_after_it_is_gone(tmp_path: Path, runner: CliRunner) -> None:
    hub = make_hub(tmp_path / "hub")
    assert build(runner, hub, "2026-12-01T10:00:00Z").exit_code == 0
    article = hub / "content" / "annonce.md"
    scheduled = article.read_text(encoding="utf-8")
    article.write_text(scheduled.replace("date:", "draft: true\ndate:"), encoding="utf-8")
    assert build(runner, hub, "2026-12-02T10:00:00Z").exit_code == 0
    assert "annonce" not in (hub / "permalinks.lock").read_text(encoding="utf-8")
    article.write_text(scheduled, encoding="utf-8")
    assert build(runner, hub, "2026-12-02T11:00:00Z").exit_code == 0
    article.write_text(scheduled.replace("date:", "draft: true\ndate:"), encoding="utf-8")
    assert build(runner, hub, "2026-12-15T10:00:00Z").exit_code == 0  # its date passed: it was served
    assert "cette page a été retirée" in (hub / "site" / "annonce" / "index.html").read_text(
        encoding="utf-8").lower()


def test_a_moved_file_keeps_its_identity_without_retire(basic_site: Path, runner: CliRunner) -> None:
    from cmhub.ledgers.permalinks_reading import load_ledger
    from cmhub.pipeline.project import open_project
    from cmhub.pipeline.story import load_site
    from cmhub.settings.request import BuildRequest

    assert build(runner, basic_site, NOW).exit_code == 0
    before = feed_ids(basic_site)
    (basic_site / "content" / "2026").mkdir()
    (basic_site / "content" / "troisieme.md").rename(basic_site / "content" / "2026" / "troisieme.md")
    project = open_project(basic_site, BuildRequest(now=NOW))
    site, _, _ = load_site(project, load_ledger(basic_site)[0])
    assert dict(site.moved) == {"content/troisieme.md": "content/2026/troisieme.md"}
    result = build(runner, basic_site, NOW)
    assert result.exit_code == 0, result.output
    assert feed_ids(basic_site) == before
    ledger = (basic_site / "permalinks.lock").read_text(encoding="utf-8")
    assert '"content/2026/troisieme.md"' in ledger and '"content/troisieme.md"' not in ledger


def test_a_renamed_file_with_a_new_default_slug_keeps_its_feed_id_and_old_url(basic_site: Path,
                                                                              runner: CliRunner) -> None:
    assert build(runner, basic_site, NOW).exit_code == 0
    before = feed_ids(basic_site)
    (basic_site / "content" / "troisieme.md").rename(basic_site / "content" / "ete-benevoles.md")
    result = build(runner, basic_site, NOW)
    assert result.exit_code == 0, result.output
    assert feed_ids(basic_site) == before
    assert "/troisieme/ /ete-benevoles/ 301" in (basic_site / "site" / "_redirects").read_text()
    assert '"old_urls": ["/troisieme/"]' in (basic_site / "permalinks.lock").read_text(encoding="utf-8")


def test_two_candidates_for_a_moved_file_is_an_error_with_advice(basic_site: Path, runner: CliRunner) -> None:
    assert build(runner, basic_site, NOW).exit_code == 0
    before = tree_digest(basic_site / "site")
    text = (basic_site / "content" / "troisieme.md").read_text(encoding="utf-8")
    (basic_site / "content" / "troisieme.md").unlink()
    (basic_site / "content" / "ete-a.md").write_text(text, encoding="utf-8")
    (basic_site / "content" / "ete-b.md").write_text(text, encoding="utf-8")
    result = build(runner, basic_site, NOW)
    assert result.exit_code == 1
    line = next(n for n, row in enumerate((basic_site / "permalinks.lock").read_text(encoding="utf-8")
                                          .splitlines(), 1) if '"content/troisieme.md"' in row)
    assert (f"permalinks.lock:{line}: 'content/troisieme.md' is gone and 'content/ete-a.md', 'content/ete-b.md' "
            "could each be it, moved (same date and title): rename the key 'content/troisieme.md' to the "
            "right file on this line, then build again") in result.stderr
    assert "Traceback" not in result.output and "retire" not in result.stderr
    assert tree_digest(basic_site / "site") == before
    # the fix the message gives: say which file it is by renaming the key
    ledger = basic_site / "permalinks.lock"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace('"content/troisieme.md"', '"content/ete-a.md"'),
                      encoding="utf-8")
    (basic_site / "content" / "ete-b.md").unlink()
    result = build(runner, basic_site, NOW)
    assert result.exit_code == 0, result.output
    assert "/troisieme/ /ete-a/ 301" in (basic_site / "site" / "_redirects").read_text()


def test_a_permalink_pattern_that_would_give_unsafe_urls_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    hub = make_hub(tmp_path / "hub")
    (hub / "site.yml").write_text(SITE_YML + 'permalink: "/mes articles/{slug}/"\n', encoding="utf-8")
    result = build(runner, hub, "2026-12-01T10:00:00Z")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "site.yml:5: 'permalink' '/mes articles/{slug}/' contains ' ', which a URL path cannot hold")
    assert not (hub / "permalinks.lock").exists()


def test_a_served_url_held_by_a_draft_is_not_given_to_another_article(tmp_path: Path, runner: CliRunner) -> None:
    hub = make_hub(tmp_path / "hub")
    assert build(runner, hub, "2026-12-11T10:00:00Z").exit_code == 0  # /annonce/ is served
    article = hub / "content" / "annonce.md"
    article.write_text(article.read_text(encoding="utf-8").replace("date:", "draft: true\nslug: ag\ndate:"),
                       encoding="utf-8")
    (hub / "content" / "autre.md").write_text("---\ntitle: Autre\ndate: 2026-12-11T09:00:00\nslug: annonce\n---\n"
                                              "Texte.\n", encoding="utf-8")
    ledger = (hub / "permalinks.lock").read_bytes()
    result = build(runner, hub, "2026-12-12T10:00:00Z")
    assert result.exit_code == 1
    assert ("content/autre.md: its URL /annonce/ is still recorded for 'content/annonce.md' in permalinks.lock, "
            "which may have served it: give one of them another 'slug:'") in result.stderr
    assert (hub / "permalinks.lock").read_bytes() == ledger


def test_a_new_feed_id_never_takes_one_already_recorded() -> None:
    import datetime as dt

    from cmhub.content.model import Article
    from cmhub.content.permalinks import record
    from cmhub.ledgers.permalinks_lock import Entry, Ledger

    day = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    served = Entry("tag:h.example.org,2026-12-01:/a/", day, "a2/", ("a/",), "A")
    article = Article("content/b.md", "B", day, "a", "a/", "", "", "", "fr")
    moved_away = Article("content/a.md", "A", day, "a2", "a2/", "", "", "", "fr")
    ledger = record(Ledger({"content/a.md": served}), (moved_away, article), day, "https://h.example.org/")
    assert ledger.entries["content/a.md"].id == "tag:h.example.org,2026-12-01:/a/"
    assert ledger.entries["content/b.md"].id == "tag:h.example.org,2026-12-01:/a/-2"


def test_an_article_rescheduled_unseen_past_its_recorded_date_leaves_no_trace(tmp_path: Path,
                                                                             runner: CliRunner) -> None:
    hub = make_hub(tmp_path / "hub")
    assert build(runner, hub, "2026-12-01T10:00:00Z").exit_code == 0
    committed = (hub / "permalinks.lock").read_bytes()
    article = hub / "content" / "annonce.md"
    article.write_text(article.read_text(encoding="utf-8").replace("2026-12-10", "2026-12-20"), encoding="utf-8")
    # no build saw the new date before the recorded one: between the two, nothing of the URL is shown
    assert build(runner, hub, "2026-12-15T10:00:00Z").exit_code == 0
    assert not (hub / "site" / "annonce").exists() and b"annonce" not in site_bytes(hub)
    assert (hub / "permalinks.lock").read_bytes() == committed  # the recorded instant has passed: frozen
    assert build(runner, hub, "2026-12-21T10:00:00Z").exit_code == 0
    assert feed_ids(hub)["Assemblée générale"] == "tag:caisse.example.org,2026-12-10:/blog/annonce/"


def test_one_new_file_that_could_be_two_gone_ones_is_an_error_at_the_ledger() -> None:
    import datetime as dt

    import pytest

    from cmhub.content.model import Article
    from cmhub.content.permalinks import match_moves
    from cmhub.core.errors import CmhubError
    from cmhub.ledgers.permalinks_lock import Entry, Ledger

    day = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    ledger = Ledger({"content/a.md": Entry("tag:h,2026-12-01:/a/", day, "a/", (), "Bilan", 8),
                     "content/b.md": Entry("tag:h,2026-12-01:/b/", day, "b/", (), "Bilan", 9)})
    new = Article("content/c.md", "Bilan", day, "c", "c/", "", "", "", "fr")
    with pytest.raises(CmhubError) as raised:
        match_moves(ledger, (new,))
    assert [str(p) for p in raised.value.problems] == [
        "permalinks.lock:9: 'content/c.md' could be any of 'content/a.md', 'content/b.md', moved: rename the key "
        "of the right one to 'content/c.md' and retire the other's URL ('cmhub retire /url/'), then build again"]
    assert match_moves(ledger, (new, Article("content/d.md", "Autre", day, "a", "a/", "", "", "", "fr"))) == {
        "content/a.md": "content/d.md", "content/b.md": "content/c.md"}
