"""The sample French hub built end to end, as a user would with `cmhub build --now ...`."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from tests.conftest import NOW, tree_digest


class _Head(HTMLParser):
    """Collects <meta>, <link> and the text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str]] = []
        self.text: list[str] = []
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = values.get("lang", "")
        if tag == "meta":
            key = values.get("property") or values.get("name")
            if key:
                self.meta.setdefault(key, []).append(values.get("content", ""))
        if tag == "link":
            self.links.append(values)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture
def built(basic_site: Path, runner: CliRunner) -> Path:
    """The sample hub built at NOW; returns its site/ folder."""
    result = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW])
    assert result.exit_code == 0, result.output
    return basic_site / "site"


def test_each_published_article_has_its_page_with_head_tags(built: Path) -> None:
    page = parse(built / "premier-article" / "index.html")
    assert page.lang == "fr"
    assert {"rel": "canonical", "href": "https://voix.example.org/premier-article/"}.items() <= \
        next(link for link in page.links if link.get("rel") == "canonical").items()
    assert page.meta["og:type"] == ["article"]
    # French typography (issue #15.6): no-break space before ':', narrow ones inside « »
    assert page.meta["og:title"] == [
        "Modération\u00a0: «\u202fLes 5 règles\u202f» qu’on s’est données <enfin> & pour de bon 🎉"]
    # the cover cropped to Open Graph's 1200x630, published under /_social/ (issue #15.2)
    assert page.meta["og:image"] == ["https://voix.example.org/_social/cover/images-couverture-1200x630.jpg"]
    assert page.meta["og:image:width"] == ["1200"] and page.meta["og:image:height"] == ["630"]
    assert page.meta["article:published_time"] == ["2026-10-01T09:00:00+02:00"]
    assert sorted(page.meta["article:tag"]) == ["Modération", "facebook", "réseaux sociaux"]
    assert page.meta["twitter:card"] == ["summary_large_image"]
    assert "1 octobre 2026" in "".join(page.text)
    feeds = [link["href"] for link in page.links if link.get("rel") == "alternate"]
    assert "/feed.xml" in feeds and "/atom.xml" in feeds and "/feed.json" in feeds


def test_a_card_speaks_its_articles_language(built: Path) -> None:
    home = (built / "index.html").read_text(encoding="utf-8")
    card = home.split('<article class="card h-entry" lang="en">')[1].split("</article>")[0]
    assert "November 1, 2026" in card and "1 min read" in card and ">Read more<" in card
    assert "min de lecture" not in card and "Lire la suite" not in card and "Par" not in card


def test_english_article_is_dated_in_english(built: Path) -> None:
    page = parse(built / "own-site-first" / "index.html")
    assert "November 1, 2026" in "".join(page.text)


def test_links_between_articles_become_permalinks(built: Path) -> None:
    html = (built / "premier-article" / "index.html").read_text(encoding="utf-8")
    assert 'href="/own-site-first/#why"' in html
    assert 'src="/images/schema.png"' in html


def test_unpublished_articles_leave_no_trace(built: Path) -> None:
    for path in built.rglob("*"):
        if path.is_file():
            data = path.read_bytes().lower()
            assert b"secret" not in data, path
            assert b"appel" not in data, path  # the expired article
    assert not (built / "images" / "secret.png").exists()
    assert not (built / "secret-programme").exists()


def test_home_and_lists_paginate(built: Path) -> None:
    assert (built / "index.html").is_file()
    assert (built / "page" / "2" / "index.html").is_file()
    assert not (built / "page" / "3").exists()
    assert (built / "tags" / "facebook" / "index.html").is_file()
    assert (built / "categories" / "methode" / "index.html").is_file()
    assert (built / "authors" / "lea" / "index.html").is_file()
    assert (built / "archive" / "2026" / "index.html").is_file()
    assert (built / "404.html").is_file()


def test_other_content_files_are_copied_as_they_are(built: Path, basic_site: Path) -> None:
    assert (built / "a-propos.pdf").read_bytes() == (basic_site / "content" / "a-propos.pdf").read_bytes()


def test_sitemap_lists_published_pages_with_lastmod(built: Path) -> None:
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://voix.example.org/premier-article/</loc><lastmod>2026-10-03T18:30:00+02:00</lastmod>" \
        in sitemap
    assert "own-site-first" in sitemap and "troisieme" in sitemap
    assert (built / "robots.txt").read_text().endswith("Sitemap: https://voix.example.org/sitemap.xml\n")


def test_alias_redirects_to_the_article(built: Path) -> None:
    page = parse(built / "2019" / "03" / "ancien-lien" / "index.html")
    assert page.meta["robots"] == ["noindex"]
    assert any(link.get("rel") == "canonical" and link["href"] == "https://voix.example.org/own-site-first/"
               for link in page.links)
    assert (built / "_redirects").read_text() == "/2019/03/ancien-lien/ /own-site-first/ 301\n"


def test_preview_shows_drafts_and_scheduled_with_banner(basic_site: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW, "--drafts", "--future"])
    assert result.exit_code == 0, result.output
    preview = basic_site / "preview"
    draft = (preview / "secret-brouillon" / "index.html").read_text(encoding="utf-8")
    scheduled = (preview / "secret-programme" / "index.html").read_text(encoding="utf-8")
    assert "Brouillon\u00a0: cet article n’est pas publié" in draft
    assert "Programmé pour le 5 décembre 2026" in scheduled


def test_a_preview_goes_to_its_own_folder_and_announces_nothing(basic_site: Path, runner: CliRunner) -> None:
    assert runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW]).exit_code == 0
    site, social = tree_digest(basic_site / "site"), tree_digest(basic_site / "social")
    result = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW, "--drafts", "--future"])
    assert result.exit_code == 0, result.output
    assert (tree_digest(basic_site / "site"), tree_digest(basic_site / "social")) == (site, social)
    preview = basic_site / "preview"
    pages = sorted(preview.rglob("*.html"))
    assert len(pages) > 10
    # every page asks not to be indexed, crawlers are turned away, nothing lists or forwards URLs
    assert all('<meta name="robots" content="noindex">' in p.read_text(encoding="utf-8") for p in pages), \
        [str(p) for p in pages if "noindex" not in p.read_text(encoding="utf-8")]
    assert (preview / "robots.txt").read_text(encoding="utf-8").endswith("User-agent: *\nDisallow: /\n")
    for name in ("feed.xml", "atom.xml", "feed.json", "sitemap.xml", "_redirects"):
        assert not list(preview.rglob(name)), name
    # git never commits it, even in a hub whose .gitignore was written before previews had their folder
    assert (preview / ".gitignore").read_text(encoding="utf-8").endswith("\n*\n")
    # no page links a feed it does not have: a strict preview checks every link
    strict = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW, "--drafts", "--future", "--strict"])
    assert strict.exit_code == 0, strict.output


def test_summary_line_counts_states_and_next_publication(basic_site: Path, runner: CliRunner) -> None:
    # a French hub's team reads it in French (issue #15.5)
    result = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW])
    assert result.stdout.strip() == ("3 publiés, 1 programmé, 1 brouillon, 1 expiré\u202f; "
                                     "prochaine publication programmée\u00a0: 2026-12-05T10:00:00+01:00")


def test_summary_line_of_an_english_hub(basic_site: Path, runner: CliRunner) -> None:
    config = basic_site / "site.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: fr", "language: en"), encoding="utf-8")
    result = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW])
    assert result.stdout.strip() == ("3 published, 1 scheduled, 1 draft, 1 expired; "
                                     "next scheduled publication: 2026-12-05T10:00:00+01:00")
    again = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW])
    assert again.stdout.strip().endswith("; nothing changed")


def test_same_input_same_bytes(basic_site: Path, tmp_path: Path, runner: CliRunner) -> None:
    other = tmp_path / "again"
    shutil.copytree(basic_site, other)
    for root in (basic_site, other):
        assert runner.invoke(main, ["build", "-C", str(root), "--now", NOW]).exit_code == 0
    assert tree_digest(basic_site / "site") == tree_digest(other / "site")


def test_source_date_epoch_fixes_the_clock(basic_site: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["build", "-C", str(basic_site)], env={"SOURCE_DATE_EPOCH": "1790000000"})
    assert result.exit_code == 0
    # 1790000000 is 2026-09-21T14:13:20Z: the October and November articles are still scheduled
    assert result.stdout.startswith("2 publiés, 3 programmés, 1 brouillon\u202f; prochaine publication "
                                    "programmée\u00a0: 2026-10-01T09:00:00+02:00")
