"""The search index split into shards by period (cmhub/site/search/shards.py, stage.py): what each holds,
what an edit makes again, the same bytes with and without the cache, and a reader's search in Chromium."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.site.search import shards
from tests.conftest import tree_digest
from tests.site.test_browser import Session, browser, serve  # noqa: F401  (browser is a fixture)
from tests.site.test_search import build, index_text

EXTRA = {"reunion-doctobre.md": ("Réunion d’octobre", "2026-10-20"),
         "bilan-doctobre.md": ("Bilan d’octobre", "2026-10-10"), "fete-daout.md": ("Fête d’août", "2026-08-25")}
"""French articles added to the sample hub, so that every shard holds two pages."""


@pytest.fixture
def sharded(basic_site: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample hub with three more articles, its index split into shards of 2 pages on average."""
    monkeypatch.setattr(shards, "SHARD_PAGES", 2)
    for name, (title, date) in EXTRA.items():
        (basic_site / "content" / name).write_text(
            f"---\ntitle: \"{title}\"\ndate: {date}\ntags: [bénévolat]\n---\nLes règles du mois, revues ensemble.\n",
            encoding="utf-8")
    return basic_site


def test_spans_follow_the_density_of_the_hub() -> None:
    day = dt.date(2026, 11, 21)
    assert shards.period(day, 1) == "2026-11-21"
    assert [shards.period(day + dt.timedelta(days=k), 32) for k in (-1, 0, 1)] == ["2026-11-17"] * 3  # fixed windows
    assert shards.shard_span([day] * 5) == 1024
    five_years = [dt.date(2022, 3, 1) + dt.timedelta(days=i * 1826 // 1000) for i in range(1000)]
    assert shards.shard_span(five_years) == 128  # 15 shards of about 70 pages
    ten_times = [dt.date(2022, 3, 1) + dt.timedelta(days=i * 1826 // 10000) for i in range(10000)]
    assert shards.shard_span(ten_times) == 16  # 115 shards of about 90 pages
    assert shards.shard_span([day] * 500) == 1  # one busy day cannot be split further


def test_each_shard_holds_its_period_and_the_top_holds_the_program(sharded: Path, runner: CliRunner) -> None:
    build(runner, sharded)
    bundle = sharded / "site" / "pagefind"
    listed = json.loads((bundle / "shards.json").read_text(encoding="utf-8"))["shards"]
    # windows of 32 days, two pages each (ancien.md has expired: in no shard)
    assert listed == ["2026-10-16", "2026-09-14", "2026-08-13"]
    assert (bundle / "pagefind.js").is_file() and (bundle / "wasm.fr.pagefind").is_file()
    for shard in listed[1:]:
        assert (bundle / shard / "pagefind-entry.json").is_file()
        assert not [p for p in (bundle / shard).iterdir() if p.name.startswith(("wasm.", "pagefind.js"))]
    text = index_text(sharded / "site")  # the fragments and filters of every shard
    assert "Réunion" in text and "/premier-article/" in text
    for secret in ("secret", "Secret", "programm", "brouillon"):
        assert secret not in text, secret


def test_an_edit_makes_only_its_shard_again_and_matches_a_cold_build(sharded: Path, runner: CliRunner) -> None:
    build(runner, sharded)
    bundle = sharded / "site" / "pagefind"
    before = {p.relative_to(bundle).as_posix(): p.stat().st_ino for p in bundle.rglob("*") if p.is_file()}
    article = sharded / "content" / "fete-daout.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nUne kermesse ajoutée.\n", encoding="utf-8")
    build(runner, sharded)
    after = {p.relative_to(bundle).as_posix(): p.stat().st_ino for p in bundle.rglob("*") if p.is_file()}
    changed = {path for path in after if before.get(path) != after[path]}
    # its own shard, and the one of its neighbour (whose page links to it: its key changed with it)
    assert any(path.startswith("2026-08-13/") for path in changed)
    kept = {path for path in after if not path.startswith(("2026-08-13/", "2026-09-14/"))}
    assert kept and not kept & (changed - {"shards.json"}), sorted(kept & changed)  # the newest shard, at the top
    assert "kermesse" in index_text(sharded / "site")
    fresh = sharded / "fresh"
    build(runner, sharded, "--no-cache", "--output", str(fresh))
    assert tree_digest(fresh) == tree_digest(sharded / "site")


def test_a_preview_between_two_builds_leaves_the_site_s_index_to_them(sharded: Path, runner: CliRunner,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A preview (`cmhub serve`, `--drafts`) shows other pages than site/, so it keeps its search work apart:
    the next build after an edit indexes the edited article's shards only, not every shard again."""
    build(runner, sharded)
    build(runner, sharded, "--drafts", "--future")  # the preview/ folder, its pages linking unpublished articles
    assert (sharded / "preview" / "pagefind" / "shards.json").is_file()
    indexed = _indexed_shards(monkeypatch)
    article = sharded / "content" / "fete-daout.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nUne kermesse ajoutée.\n", encoding="utf-8")
    build(runner, sharded)
    # the edited article's shard and its neighbour's (whose page links to it), as without the preview
    assert sorted(indexed) == ["2026-08-13", "2026-09-14"]
    assert "kermesse" in index_text(sharded / "site")
    fresh = sharded / "fresh"
    build(runner, sharded, "--no-cache", "--output", str(fresh))
    assert tree_digest(fresh) == tree_digest(sharded / "site")


def test_a_newer_period_moves_the_top_shard_into_its_folder(sharded: Path, runner: CliRunner) -> None:
    build(runner, sharded)
    (sharded / "content" / "fete-daout.md").write_text(
        "---\ntitle: \"Fête de novembre\"\ndate: 2026-11-15\n---\nLa fête a changé de mois.\n", encoding="utf-8")
    build(runner, sharded)
    bundle = sharded / "site" / "pagefind"
    assert "kermesse" not in index_text(sharded / "site") and "changé de mois" in index_text(sharded / "site")
    fresh = sharded / "fresh"
    build(runner, sharded, "--no-cache", "--output", str(fresh))
    assert tree_digest(fresh) == tree_digest(sharded / "site")
    listed = json.loads((bundle / "shards.json").read_text(encoding="utf-8"))["shards"]
    assert listed == sorted(listed, reverse=True) and (bundle / "pagefind-entry.json").is_file()


@pytest.mark.slow
def test_a_reader_searches_every_shard_and_lists_by_date(sharded: Path, runner: CliRunner,
                                                         browser: object) -> None:  # noqa: F811
    build(runner, sharded)
    server, url = serve(sharded / "site")
    session = Session(browser, "desktop", "light")
    try:
        session.page.goto(url + "/search/", wait_until="networkidle")
        titles = session.search("règles")
        assert any(title.startswith("Modération") for title in titles) and "Fête d’août" in titles, titles
        assert session.search("secret") == []
        languages = session.page.locator("#search-filter-language option").all_inner_texts()
        assert any("(5)" in option for option in languages), languages  # counted over every shard
        session.page.locator("#search-input").fill("")
        session.page.select_option("#search-filter-language", "fr")
        session.page.wait_for_load_state("networkidle")
        session.page.wait_for_function("document.querySelectorAll('.search__title').length >= 5")
        listed = [" ".join(title.split())[:10] for title in session.page.locator(".search__title").all_inner_texts()]
        # newest first, across shards
        assert listed == ["Réunion d’", "Bilan d’oc", "Modération", "Fête d’aoû", "L’été des "], listed
        assert not session.outside and not session.errors, (session.outside, session.errors)
    finally:
        session.close()
        server.shutdown()
        server.server_close()


def test_a_page_copy_spoiled_in_the_cache_is_checked_when_its_shard_is_indexed_again(sharded: Path,
                                                                                     runner: CliRunner) -> None:
    """A page kept from the previous output keeps its copy in the cache unchecked while nothing reads it; when
    its shard is indexed again, the copy is checked first, and a spoiled one is made again."""
    build(runner, sharded)
    pages = sharded / ".cmhub-cache" / "search-pages"
    edited = ("2026-08-13", "2026-09-14")  # the shards an edit of fete-daout.md indexes again
    copy = next(path for path in sorted(pages.glob("*/*/index.html")) if path.parts[-3] not in edited)
    shard = copy.parts[-3]
    spoiled = copy.read_text(encoding="utf-8").replace("</article>", "<p>zzzspoiled</p></article>", 1)
    copy.unlink()  # a file of its own: the copy is a link to site/'s page
    copy.write_text(spoiled, encoding="utf-8")
    article = sharded / "content" / "fete-daout.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nUne kermesse ajoutée.\n", encoding="utf-8")
    build(runner, sharded)
    assert "zzzspoiled" in copy.read_text(encoding="utf-8")  # its shard was not indexed again: not read
    assert "zzzspoiled" not in index_text(sharded / "site")
    shutil.rmtree(sharded / ".cmhub-cache" / "search-bundles" / shard)  # its index lost, in the cache ...
    (_served_at(sharded, shard) / "pagefind-entry.json").unlink()  # ... and in the site: made again
    article.write_text(article.read_text(encoding="utf-8") + "\nEt une tombola.\n", encoding="utf-8")
    build(runner, sharded)
    assert "zzzspoiled" not in copy.read_text(encoding="utf-8")
    assert "zzzspoiled" not in index_text(sharded / "site")
    fresh = sharded / "fresh"
    build(runner, sharded, "--no-cache", "--output", str(fresh))
    assert tree_digest(fresh) == tree_digest(sharded / "site")


def _indexed_shards(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the shards Pagefind indexes from now on."""
    from cmhub.site.search import stage

    indexed: list[str] = []
    start = stage.start_index
    monkeypatch.setattr(stage, "start_index", lambda pages, bundle, *rest, **named: (
        indexed.append(bundle.name), start(pages, bundle, *rest, **named))[1])
    return indexed


def _served_at(hub: Path, shard: str) -> Path:
    """Return where the site serves a shard's index: the newest at the top of the bundle, the others apart."""
    bundle = hub / "site" / "pagefind"
    listed = json.loads((bundle / "shards.json").read_text(encoding="utf-8"))["shards"]
    return bundle if shard == listed[0] else bundle / shard


def test_a_kept_index_is_looked_for_in_the_cache_only_when_the_site_lacks_one_of_its_files(
        sharded: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit keeps ~100 shards at 10,000 articles: the output holds their index, so their files in the cache
    are not looked at; a damaged one is found, and the shard indexed again, once the site lacks a file."""
    build(runner, sharded)
    shard = "2026-10-16"  # not one of the shards an edit of fete-daout.md indexes again
    entry = sharded / ".cmhub-cache" / "search-bundles" / shard / "pagefind-entry.json"
    damaged = entry.read_bytes() + b" "
    entry.unlink()  # a file of its own (the site's is a link to it) ...
    entry.write_bytes(damaged)  # ... damaged in the cache only
    indexed = _indexed_shards(monkeypatch)
    article = sharded / "content" / "fete-daout.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nUne kermesse ajoutée.\n", encoding="utf-8")
    build(runner, sharded)
    assert sorted(indexed) == ["2026-08-13", "2026-09-14"]  # the site's index of the damaged one is kept
    fresh = sharded / "fresh"
    build(runner, sharded, "--no-cache", "--output", str(fresh))
    assert tree_digest(fresh) == tree_digest(sharded / "site")
    (_served_at(sharded, shard) / "pagefind-entry.json").unlink()
    indexed.clear()
    article.write_text(article.read_text(encoding="utf-8") + "\nEt une tombola.\n", encoding="utf-8")
    build(runner, sharded)
    assert shard in indexed  # the site lacks a file, and the cache's copy of it is damaged: indexed again
    shutil.rmtree(fresh)
    build(runner, sharded, "--no-cache", "--output", str(fresh))
    assert tree_digest(fresh) == tree_digest(sharded / "site")
