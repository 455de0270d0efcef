"""Pages (``type: page``) and site.yml's ``menu:`` and ``footer:`` (issue #19): a page has no date, is built
at /{slug}/ with its own template, is in the sitemap and in no list, feed, plan, calendar or export."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.content.frontmatter import parse_header
from cmhub.content.model import UNDATED
from cmhub.core.errors import CmhubError
from cmhub.settings.config import parse_config
from tests.conftest import NOW, SITES

SLUG = "qui-sommes-nous"
TITLE = "Qui sommes-nous, vraiment"
BODY = "Une phrase que seule la page contient."
PAGE = f"---\ntitle: \"{TITLE}\"\ntype: page\nsummary: Présentation de l’équipe.\n---\n{BODY}\n"
MENU = """\
menu:
  - {title: Accueil, url: /}
  - {title: "À propos", page: qui-sommes-nous}
  - {title: Étiquettes, url: /tags/}
footer:
  - {title: "Mentions légales", page: mentions-legales}
  - {title: Contact, url: "mailto:bonjour@voix.example.org"}
"""
CONFIG = parse_config("title: T\nurl: https://t.example/\ntimezone: Europe/Paris\n", Path("/srv/hub"))


def hub(tmp_path: Path, menu: str = "") -> Path:
    """Return a copy of the basic hub with two pages, a draft page, teasers for two networks, and ``menu``."""
    root = tmp_path / "hub"
    shutil.copytree(SITES / "basic", root, ignore=shutil.ignore_patterns("expected"))
    with (root / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write('networks:\n  x: "@voix"\n  mastodon: "@voix@piaille.example"\n' + menu)
    (root / "content" / f"{SLUG}.md").write_text(PAGE, encoding="utf-8")
    (root / "content" / "mentions-legales.md").write_text(
        "---\ntitle: Mentions légales\ntype: page\nupdated: 2026-11-02\n---\nÉditeur : une association fictive.\n",
        encoding="utf-8")
    (root / "content" / "page-en-cours.md").write_text(
        "---\ntitle: Page en cours\ntype: page\ndraft: true\n---\nPas encore prête.\n", encoding="utf-8")
    return root


def build(root: Path) -> None:
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])
    assert result.exit_code == 0, result.output


class Links(HTMLParser):
    """Collects the links of one <nav> (by its class) with their aria-current, and the <article>'s class."""

    def __init__(self, nav: str):
        super().__init__()
        self.nav, self.inside, self.links, self.article = nav, False, [], ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "nav" and self.nav in (found.get("class") or "").split():
            self.inside = True
        elif tag == "a" and self.inside:
            self.links.append((found["href"], found.get("aria-current")))
        elif tag == "article" and not self.article:
            self.article = found.get("class") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self.inside = False


def links(path: Path, nav: str = "site-nav") -> Links:
    parser = Links(nav)
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_a_page_is_built_and_found_only_at_its_url_and_in_the_sitemap(tmp_path: Path) -> None:
    root = hub(tmp_path)
    build(root)
    site = root / "site"
    page = (site / SLUG / "index.html").read_text(encoding="utf-8")
    assert BODY in page and f"<h1>{TITLE}</h1>" in page
    assert "page-body" in links(site / SLUG / "index.html").article  # page.html, not article.html
    for absent in ("dt-published", "article:published_time", "p-category", "author-card", "u-syndication",
                   "data-pagefind-body", "adjacent"):
        assert absent not in page, absent
    # no menu: the page's URL, title and text are nowhere but on its page and in the sitemap
    mentioned = {p.relative_to(root).as_posix() for folder in ("site", "social") for p in (root / folder).rglob("*")
                 if p.is_file() and any(word.encode() in p.read_bytes() for word in (SLUG, TITLE, BODY))}
    assert mentioned == {f"site/{SLUG}/index.html", "site/sitemap.xml"}
    assert f"<loc>https://voix.example.org/{SLUG}/</loc></url>" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://voix.example.org/mentions-legales/</loc><lastmod>2026-11-02T00:00:00+01:00</lastmod>" \
        in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert not (site / "page-en-cours").exists()  # a draft page is not built
    assert b"page-en-cours" not in (root / "permalinks.lock").read_bytes()


@pytest.mark.parametrize("feed", ["feed.xml", "atom.xml", "feed.json", "tags/moderation/feed.xml"])
def test_no_feed_holds_a_page(tmp_path: Path, feed: str) -> None:
    root = hub(tmp_path)
    build(root)
    data = (root / "site" / feed).read_bytes()
    if feed.endswith(".json"):  # feedparser reads no JSON Feed
        urls = [item["url"] for item in json.loads(data)["items"]]
    else:
        parsed = feedparser.parse(data)
        assert not parsed.bozo
        urls = [entry.link for entry in parsed.entries]
    assert urls and all(SLUG not in url and "mentions-legales" not in url for url in urls)


def test_a_page_gets_a_durable_url_in_the_ledger(tmp_path: Path) -> None:
    root = hub(tmp_path)
    build(root)
    (root / "content" / f"{SLUG}.md").write_text(PAGE.replace("type: page\n", "type: page\nslug: equipe\n"),
                                                 encoding="utf-8")
    build(root)
    ledger = (root / "permalinks.lock").read_text(encoding="utf-8")
    assert f'"content/{SLUG}.md": ' in ledger and '"url": "/equipe/", "old_urls": ["/qui-sommes-nous/"]' in ledger
    assert "/equipe/" in (root / "site" / SLUG / "index.html").read_text(encoding="utf-8")  # the old URL redirects


def test_menu_and_footer_appear_as_configured_with_the_current_page_marked(tmp_path: Path) -> None:
    root = hub(tmp_path, MENU)
    build(root)
    site = root / "site"
    assert links(site / SLUG / "index.html").links == [("/", None), (f"/{SLUG}/", "page"), ("/tags/", None)]
    assert links(site / "index.html").links == [("/", "page"), (f"/{SLUG}/", None), ("/tags/", None)]
    assert links(site / "tags" / "index.html").links == [("/", None), (f"/{SLUG}/", None), ("/tags/", "page")]
    assert links(site / "troisieme" / "index.html").links == [("/", None), (f"/{SLUG}/", None), ("/tags/", None)]
    footer = [("/mentions-legales/", None), ("mailto:bonjour@voix.example.org", None)]
    assert links(site / "troisieme" / "index.html", "footer-nav").links == footer
    assert links(site / "mentions-legales" / "index.html", "footer-nav").links == [
        ("/mentions-legales/", "page"), footer[1]]
    # the menu is links only: still no feed entry, list card or teaser for the page
    assert SLUG.encode() not in (site / "feed.xml").read_bytes()
    assert not [p for p in (root / "social").rglob("*") if p.is_file() and SLUG.encode() in p.read_bytes()]


def test_without_menu_the_theme_keeps_its_own_navigation(tmp_path: Path) -> None:
    root = hub(tmp_path)
    build(root)
    assert [href for href, _ in links(root / "site" / SLUG / "index.html").links] == [
        "/", "/tags/", "/categories/", "/archive/", "/search/"]
    assert links(root / "site" / "index.html", "footer-nav").links == []


@pytest.mark.parametrize(("menu", "line", "message"), [
    ("menu:\n  - {title: A, page: qui-somes-nous}\n", 22,
     "'menu' entry 'A': no page or article has the slug 'qui-somes-nous' (did you mean 'qui-sommes-nous'?)"),
    ("footer:\n  - {title: B, page: nulle-part}\n", 22, "'footer' entry 'B': no page or article has the slug "
                                                        "'nulle-part'"),
    ("menu:\n  - {title: C}\n", 22, "'menu' entry 'C' needs either 'page' (a slug) or 'url', not neither"),
    ("menu:\n  - {title: D, url: javascript:alert(1)}\n", 22,
     "'menu' entry 'D': 'url' must be an absolute http(s) or mailto: URL, or a path of the hub starting with '/'"),
    ("menu: {title: E}\n", 21, "'menu' must be a list of entries"),
])
def test_a_wrong_menu_entry_is_an_error_at_its_line_and_the_output_stays(tmp_path: Path, menu: str, line: int,
                                                                          message: str) -> None:
    root = hub(tmp_path)
    build(root)
    before = {p: p.read_bytes() for p in sorted((root / "site").rglob("*")) if p.is_file()}
    with (root / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write(menu)
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"site.yml:{line}: {message}" in result.stderr, result.stderr
    assert {p: p.read_bytes() for p in sorted((root / "site").rglob("*")) if p.is_file()} == before


def test_a_menu_entry_of_an_unpublished_page_is_left_out_with_a_warning(tmp_path: Path) -> None:
    root = hub(tmp_path, "menu:\n  - {title: Bientôt, page: page-en-cours}\n  - {title: Accueil, url: /}\n")
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])
    assert result.exit_code == 0, result.output
    assert "site.yml:22: warning: 'menu' entry 'Bientôt': content/page-en-cours.md is not published, so the menu " \
           "leaves it out" in result.stderr
    assert links(root / "site" / "index.html").links == [("/", "page")]


def header(front: str):
    return parse_header(f"---\n{front}---\nTexte.\n", "content/p.md", CONFIG)


def test_a_page_needs_no_date() -> None:
    page = header("title: À propos\ntype: page\n")
    assert (page.kind, page.date) == ("page", UNDATED)
    assert header("title: Un article\ndate: 2026-01-01\n").kind == "post"
    assert header("title: Un article\ndate: 2026-01-01\ntype: post\n").kind == "post"


@pytest.mark.parametrize(("front", "message"), [
    ("title: A\ntype: pgae\n", "content/p.md:3: 'type' must be 'post' or 'page', got 'pgae' "
                               "(did you mean 'page'?)"),
    ("title: A\ntype: [page]\n", "content/p.md:3: 'type' must be 'post' or 'page', got ['page'] "
                                 "(did you mean 'page'?)"),
    ("title: A\ntype: page\ndate: 2026-01-01\n", "content/p.md:4: 'date' is for posts: a page (type: page) "
                                                 "has no date and is in no list, feed or plan; remove it, or make "
                                                 "this file a post"),
    ("title: A\ntype: page\ntags: [x]\n", "content/p.md:4: 'tags' is for posts"),
    ("title: A\ntype: page\nsyndicate: {x: false}\n", "content/p.md:4: 'syndicate' is for posts"),
])
def test_a_wrong_type_or_a_post_key_on_a_page_is_an_error_at_its_line(front: str, message: str) -> None:
    with pytest.raises(CmhubError) as caught:
        header(front)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 1 and problems[0].startswith(message), problems


def test_a_page_and_an_article_with_one_slug_are_the_duplicate_slug_error(tmp_path: Path) -> None:
    root = hub(tmp_path)
    (root / "content" / "autre.md").write_text("---\ntitle: Autre\ntype: page\nslug: troisieme\n---\nx\n",
                                               encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])
    assert result.exit_code == 1
    assert "content/autre.md:4: slug 'troisieme' gives the URL /troisieme/, already used by " \
           "content/troisieme.md; set another 'slug:'" in result.stderr, result.stderr


def test_a_page_ignores_a_dated_permalink(tmp_path: Path) -> None:
    root = hub(tmp_path)
    text = (root / "site.yml").read_text(encoding="utf-8")
    (root / "site.yml").write_text(text.replace("paginate: 2", "paginate: 2\npermalink: /{year}/{month}/{slug}/"),
                                   encoding="utf-8")
    build(root)
    assert (root / "site" / SLUG / "index.html").is_file()
    assert (root / "site" / "2026" / "08" / "troisieme" / "index.html").is_file()


def test_a_menu_entry_appears_on_every_page_once_its_page_is_published(tmp_path: Path) -> None:
    root = hub(tmp_path, "menu:\n  - {title: Accueil, url: /}\n  - {title: Bientôt, page: page-en-cours}\n")
    build(root)
    assert links(root / "site" / "tags" / "facebook" / "index.html").links == [("/", None)]
    draft = root / "content" / "page-en-cours.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    build(root)
    pages = [p for p in (root / "site").rglob("*.html") if b'class="site-nav"' in p.read_bytes()]
    assert root / "site" / "404.html" in pages and len(pages) > 10
    for page in pages:  # also those whose own content did not change: the menu is part of their key
        assert links(page).links[1][0] == "/page-en-cours/", page


@pytest.mark.parametrize(("front", "line"), [("title: Search\ntype: page\n", 1),
                                             ("title: X\ntype: page\nslug: archive\n", 4),
                                             ("title: Y\ndate: 2026-01-01\nslug: tags\n", 4)])
def test_a_page_or_article_cannot_take_the_url_of_a_list_of_the_site(tmp_path: Path, front: str, line: int) -> None:
    root = hub(tmp_path)
    name = "search.md" if "Search" in front else "x.md"
    (root / "content" / name).write_text(f"---\n{front}---\nx\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])
    assert result.exit_code == 1
    assert f"content/{name}:{line}: its URL /" in result.stderr and "is the site's own list of" in result.stderr
