"""A hub in two languages (issue #19): pairs link each other, each language has its home and feeds,
and a scheduled translation is linked from nowhere until a build runs after its date.

The hub is tests/sites/bilingual/: French by default; 'reparer-un-velo' and 'fixing-a-bike' are a
published pair, 'tool-library' is an English original with a French translation, 'shared-garden'
translates 'jardin-partage' and is scheduled for 2026-11-20.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from tests.conftest import SITES, tree_digest
from tests.site.test_search import index_text, unpack

BEFORE = "2026-11-01T12:00:00Z"
AFTER = "2026-11-21T12:00:00Z"
URL = "https://atelier.example.org/"
ENGLISH = {"fixing-a-bike/", "tool-library/", "shared-garden/"}


def build(root: Path, now: str) -> None:
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", now, "-q"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def hubs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bilingual hub's site/ built before and after the scheduled translation's date."""
    sites = {}
    for name, now in (("before", BEFORE), ("after", AFTER)):
        root = tmp_path_factory.mktemp(name) / "hub"
        shutil.copytree(SITES / "bilingual", root)
        build(root, now)
        sites[name] = root / "site"
    return sites


class Page(HTMLParser):
    """What a page says about its languages: <html lang>, hreflang links, the switcher, the navigation."""

    def __init__(self, text: str):
        super().__init__()
        self.lang = ""
        self.hreflang: dict[str, str] = {}
        self.switcher: list[dict[str, str | None]] = []
        self.nav: list[str] = []
        self._in: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang") or ""
        if tag == "link" and found.get("rel") == "alternate" and found.get("hreflang"):
            self.hreflang[found["hreflang"] or ""] = found.get("href") or ""
        if tag == "nav":
            self._in.append(found.get("class") or "")
        if self._in and self._in[-1] == "languages" and tag in ("a", "span") and found.get("lang"):
            self.switcher.append(found)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._in:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "site-nav" and data.strip():
            self.nav.append(data.strip())


def page(site: Path, path: str) -> Page:
    return Page((site / path / "index.html").read_text(encoding="utf-8"))


def test_a_pair_links_each_other_both_ways_with_x_default_on_the_original(hubs: dict[str, Path]) -> None:
    site = hubs["before"]
    pair = {"fr": URL + "reparer-un-velo/", "en": URL + "fixing-a-bike/", "x-default": URL + "reparer-un-velo/"}
    assert page(site, "reparer-un-velo").hreflang == pair
    assert page(site, "fixing-a-bike").hreflang == pair
    # an English original: x-default is the original, not the site's language
    pair = {"en": URL + "tool-library/", "fr": URL + "bibliotheque-outils/", "x-default": URL + "tool-library/"}
    assert page(site, "tool-library").hreflang == pair
    assert page(site, "bibliotheque-outils").hreflang == pair
    assert page(site, "assemblee").hreflang == {}  # no translation, no alternates


def test_the_language_switcher_links_the_other_version_and_marks_the_current_one(hubs: dict[str, Path]) -> None:
    switcher = page(hubs["before"], "fixing-a-bike").switcher
    assert switcher == [
        {"class": "chip", "href": "/reparer-un-velo/", "hreflang": "fr", "lang": "fr", "rel": "alternate"},
        {"class": "chip", "lang": "en", "aria-current": "page"},
    ]
    homes = page(hubs["before"], "en").switcher
    assert [(s.get("href"), s["lang"]) for s in homes] == [("/", "fr"), (None, "en")]
    assert page(hubs["before"], "en").hreflang == {"fr": URL, "en": URL + "en/", "x-default": URL}
    assert page(hubs["before"], "").hreflang == {"fr": URL, "en": URL + "en/", "x-default": URL}


def everything(site: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file() and "pagefind" not in p.parts)


def test_a_scheduled_translation_is_linked_from_nowhere_before_its_date_and_everywhere_after(
        hubs: dict[str, Path]) -> None:
    before, after = hubs["before"], hubs["after"]
    assert page(before, "jardin-partage").hreflang == {} and page(before, "jardin-partage").switcher == []
    assert b"shared-garden" not in everything(before)
    assert b"The shared garden" not in everything(before)
    assert "shared-garden" not in index_text(before)
    garden = {"fr": URL + "jardin-partage/", "en": URL + "shared-garden/", "x-default": URL + "jardin-partage/"}
    assert page(after, "jardin-partage").hreflang == garden
    assert page(after, "shared-garden").hreflang == garden
    assert URL + "shared-garden/" in (after / "sitemap.xml").read_text(encoding="utf-8")
    assert "The shared garden opens its beds" in [e.title for e in feedparser.parse(after / "en" / "feed.xml").entries]


@pytest.mark.parametrize("moment", ["before", "after"])
def test_each_language_feed_holds_only_that_language(hubs: dict[str, Path], moment: str) -> None:
    site = hubs[moment]
    for name in ("feed.xml", "atom.xml"):
        english = feedparser.parse(site / "en" / name)
        assert not english.bozo, english.bozo_exception
        assert english.feed.language == "en" if name == "feed.xml" else True
        links = {e.link.removeprefix(URL) for e in english.entries}
        assert links and links <= ENGLISH
        french = feedparser.parse(site / name)
        assert {e.link.removeprefix(URL) for e in french.entries}.isdisjoint(ENGLISH)
    data = json.loads((site / "en" / "feed.json").read_text(encoding="utf-8"))
    assert data["language"] == "en" and data["feed_url"] == URL + "en/feed.json"
    assert {item["language"] for item in data["items"]} == {"en"}
    assert data["description"] == "The notebook of a neighbourhood workshop."


def test_the_sitemap_lists_each_version_with_its_alternates(hubs: dict[str, Path]) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(hubs["before"] / "sitemap.xml").getroot()
    alternates = {url.findtext("s:loc", namespaces=ns): {link.get("hreflang"): link.get("href")
                                                         for link in url.findall("x:link", ns)}
                  for url in root.findall("s:url", ns)}
    pair = {"fr": URL + "reparer-un-velo/", "en": URL + "fixing-a-bike/", "x-default": URL + "reparer-un-velo/"}
    assert alternates[URL + "reparer-un-velo/"] == alternates[URL + "fixing-a-bike/"] == pair
    assert alternates[URL + "en/"] == alternates[URL] == {"fr": URL, "en": URL + "en/", "x-default": URL}
    assert alternates[URL + "jardin-partage/"] == {}  # its translation is scheduled
    assert URL + "shared-garden/" not in alternates


def test_english_pages_speak_english_throughout(hubs: dict[str, Path]) -> None:
    site = hubs["after"]
    home = page(site, "en")
    assert home.lang == "en" and home.nav == ["Home", "Tags", "Categories", "Archive", "Search"]
    text = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert "November 20, 2026" in text and "Read more" in text and "novembre" not in text
    assert '<link rel="alternate" type="application/rss+xml" title="Atelier Commun · English (RSS feed)" ' \
           'href="/en/feed.xml">' in text
    second = (site / "en" / "page" / "2" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in second and "Page 2 of 2" in second and "Older articles" not in second
    article = (site / "fixing-a-bike" / "index.html").read_text(encoding="utf-8")
    assert "Published on" in article and "October 6, 2026" in article and "Publié" not in article
    assert '<header class="site-header">' in article  # the navigation is English too: no lang="fr" on it
    search = page(site, "en/search")
    assert search.lang == "en" and "Search the articles" in (site / "en/search/index.html").read_text(encoding="utf-8")
    french = page(site, "reparer-un-velo")
    assert french.lang == "fr" and french.nav[0] == "Accueil"
    # the French home lists the French articles only, the English one the English ones
    assert "/fixing-a-bike/" not in (site / "index.html").read_text(encoding="utf-8")
    assert "/reparer-un-velo/" not in text


def test_search_finds_articles_of_both_languages_and_no_unpublished_one(hubs: dict[str, Path]) -> None:
    site = hubs["before"]
    text = index_text(site)
    assert "tighten" in text and "resserre" in text  # an English body and a French one, in one index
    assert "Twelve raised beds" not in text
    filters = {name: [value for value, _ in values] for name, values in
               (unpack(p) for p in (site / "pagefind" / "filter").glob("*.pf_filter"))}
    assert sorted(filters["language"]) == ["en", "fr"]


def test_a_hub_without_pairs_keeps_one_language(tmp_path: Path) -> None:
    """English articles without 'translation_of' stay in the site's home and feeds, as before."""
    root = tmp_path / "hub"
    shutil.copytree(SITES / "bilingual", root)
    for path in (root / "content").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text("\n".join(line for line in text.split("\n") if not line.startswith("translation_of:")),
                        encoding="utf-8")
    build(root, BEFORE)
    assert not (root / "site" / "en").exists()
    assert URL + "fixing-a-bike/" in {e.link for e in feedparser.parse(root / "site" / "feed.xml").entries}
    assert page(root / "site", "fixing-a-bike").hreflang == {}


def test_material_warns_that_it_does_not_show_translations(tmp_path: Path) -> None:
    root = tmp_path / "hub"
    shutil.copytree(SITES / "bilingual", root)
    with (root / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write("engine: material\n")
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", BEFORE])
    assert result.exit_code == 0, result.output
    assert "site.yml: warning: engine 'material' does not show translations" in result.output
    assert feedparser.parse(root / "site" / "en" / "feed.xml").feed.language == "en"
    sitemap = (root / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{URL}en/</loc>" not in sitemap  # Material makes no English home: none is listed
    assert (root / "site" / "fixing-a-bike" / "index.html").is_file()
    assert f'hreflang="en" href="{URL}fixing-a-bike/"' in sitemap  # the articles' alternates stay
    strict = CliRunner().invoke(main, ["build", "-C", str(root), "--now", BEFORE, "--strict"])
    assert strict.exit_code == 1 and "does not show translations" in strict.output


def test_a_rebuild_after_the_date_equals_a_fresh_build_and_builds_repeat_byte_for_byte(
        hubs: dict[str, Path], tmp_path: Path) -> None:
    """The reused pages and feeds of an earlier build never keep a link that the clock changed."""
    root = tmp_path / "hub"
    shutil.copytree(SITES / "bilingual", root)
    build(root, BEFORE)
    build(root, AFTER)
    assert tree_digest(root / "site") == tree_digest(hubs["after"])
    build(root, AFTER)
    assert tree_digest(root / "site") == tree_digest(hubs["after"])


def test_the_feeds_page_lists_each_language_and_the_title_leads_to_the_page_language_home(
        hubs: dict[str, Path]) -> None:
    site = hubs["before"]
    feeds = (site / "feeds" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="feeds-site">Par langue</h2>' in feeds
    assert '<a class="feed-list__name" href="/en/" hreflang="en" lang="en">Atelier Commun · English</a>' in feeds
    assert '<a href="/en/feed.xml" type="application/rss+xml">RSS</a>' in feeds
    assert '<a class="site-title" href="/en/">' in (site / "fixing-a-bike" / "index.html").read_text(encoding="utf-8")
    assert '<a class="site-title" href="/">' in (site / "reparer-un-velo" / "index.html").read_text(encoding="utf-8")


def test_tags_categories_authors_and_archive_are_listed_per_language(hubs: dict[str, Path]) -> None:
    site = hubs["before"]
    english = (site / "en" / "tags" / "velo" / "index.html").read_text(encoding="utf-8")
    assert page(site, "en/tags/velo").lang == "en" and "Articles tagged “Vélo”" in english
    assert "/fixing-a-bike/" in english and "/reparer-un-velo/" not in english
    french = (site / "tags" / "velo" / "index.html").read_text(encoding="utf-8")
    assert "/reparer-un-velo/" in french and "/fixing-a-bike/" not in french
    links = {e.link for e in feedparser.parse(site / "en" / "tags" / "velo" / "feed.xml").entries}
    assert links == {URL + "fixing-a-bike/"}
    assert {e.link for e in feedparser.parse(site / "tags" / "velo" / "feed.xml").entries} == {URL + "reparer-un-velo/"}
    article = (site / "fixing-a-bike" / "index.html").read_text(encoding="utf-8")
    assert 'href="/en/tags/velo/"' in article and 'href="/en/authors/noor/"' in article
    assert page(site, "fixing-a-bike").nav == ["Home", "Tags", "Categories", "Archive", "Search"]
    assert 'href="/en/archive/"' in article
    archive = (site / "en" / "archive" / "2026" / "index.html").read_text(encoding="utf-8")
    assert "October 2026" in archive and "octobre" not in archive and "/assemblee/" not in archive
    assert "/fixing-a-bike/" not in (site / "archive" / "2026" / "index.html").read_text(encoding="utf-8")
    assert page(site, "en/authors/noor").lang == "en"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{URL}en/tags/velo/</loc>" in sitemap and f"<loc>{URL}tags/velo/</loc>" in sitemap


def test_an_english_feed_is_styled_in_english(hubs: dict[str, Path]) -> None:
    site = hubs["before"]
    feed = (site / "en" / "feed.xml").read_text(encoding="utf-8")
    assert '<?xml-stylesheet type="text/xsl" href="/en/feed.xsl"?>' in feed
    assert '<?xml-stylesheet type="text/xsl" href="/en/feed.xsl"?>' in (site / "en/tags/velo/atom.xml").read_text(
        encoding="utf-8")
    xsl = (site / "en" / "feed.xsl").read_text(encoding="utf-8")
    assert '<html lang="en">' in xsl and "This is a web feed" in xsl and '<a href="/en/">Home</a>' in xsl
    assert '<?xml-stylesheet type="text/xsl" href="/feed.xsl"?>' in (site / "feed.xml").read_text(encoding="utf-8")
    assert '<html lang="fr">' in (site / "feed.xsl").read_text(encoding="utf-8")


def test_a_page_and_its_translation_link_each_other_and_are_in_no_feed(hubs: dict[str, Path]) -> None:
    site = hubs["before"]
    pair = {"fr": URL + "a-propos/", "en": URL + "about/", "x-default": URL + "a-propos/"}
    assert page(site, "a-propos").hreflang == pair
    assert page(site, "about").hreflang == pair
    about = page(site, "about")
    assert about.lang == "en" and about.nav == ["Home", "Tags", "Categories", "Archive", "Search"]
    assert [(s.get("href"), s["lang"]) for s in about.switcher] == [("/a-propos/", "fr"), (None, "en")]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f'<loc>{URL}about/</loc>' in sitemap and f'hreflang="fr" href="{URL}a-propos/"' in sitemap
    for feed in ("feed.xml", "en/feed.xml"):
        assert not {e.link for e in feedparser.parse(site / feed).entries} & {URL + "about/", URL + "a-propos/"}


MENUS = """menu:
  - {title: Accueil, url: /}
  - {title: "L’atelier", page: a-propos}
footer:
  - {title: "À propos", page: a-propos}
"""


def _with_site_yml(tmp_path: Path, replace_from: str, replace_to: str, extra: str = "") -> Path:
    root = tmp_path / "hub"
    shutil.copytree(SITES / "bilingual", root)
    config = root / "site.yml"
    text = config.read_text(encoding="utf-8")
    assert replace_from in text
    config.write_text(text.replace(replace_from, replace_to) + extra, encoding="utf-8")
    return root


def test_each_language_has_its_menu_and_falls_back_to_the_theme_s_and_the_site_s_footer(tmp_path: Path) -> None:
    english_menu = ('    description: "The notebook of a neighbourhood workshop."\n    menu:\n'
                    '      - {title: Home, url: /en/}\n      - {title: The workshop, page: about}\n')
    root = _with_site_yml(tmp_path, '    description: "The notebook of a neighbourhood workshop."\n', english_menu,
                          MENUS)
    build(root, BEFORE)
    site = root / "site"
    assert page(site, "").nav == ["Accueil", "L’atelier"]
    assert page(site, "en").nav == ["Home", "The workshop"]
    assert page(site, "fixing-a-bike").nav == ["Home", "The workshop"]
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert 'href="/about/" aria-current="page"' in about  # the English menu marks the page it leads to
    assert 'href="/a-propos/"' in about  # no English footer set: the site's footer
    # a language without its own menu gets the theme's navigation in its words, not the site's menu
    root = _with_site_yml(tmp_path / "plain", "paginate: 2", "paginate: 2", MENUS)
    build(root, BEFORE)
    assert page(root / "site", "en").nav == ["Home", "Tags", "Categories", "Archive", "Search"]
    assert page(root / "site", "").nav == ["Accueil", "L’atelier"]


@pytest.mark.parametrize(("change", "message"), [
    (("    description: \"The notebook of a neighbourhood workshop.\"\n",
      "    description: \"The notebook of a neighbourhood workshop.\"\n    menu:\n      - {title: Us, page: abuot}\n"),
     "site.yml:22: 'languages.en.menu' entry 'Us': no page or article has the slug 'abuot' (did you mean 'about'?)"),
    (("    description: \"The notebook of a neighbourhood workshop.\"\n",
      "    description: \"The notebook of a neighbourhood workshop.\"\n    footer: {title: Us}\n"),
     "site.yml:21: 'languages.en.footer' must be a list of entries"),
])
def test_a_mistake_in_a_language_s_menu_is_reported_at_its_line(tmp_path: Path, change: tuple[str, str],
                                                                 message: str) -> None:
    root = _with_site_yml(tmp_path, *change)
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", BEFORE])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines()[0].startswith(message), result.stderr
    assert not (root / "site").exists()


def test_a_page_translates_a_page_and_an_article_an_article(tmp_path: Path) -> None:
    root = tmp_path / "hub"
    shutil.copytree(SITES / "bilingual", root)
    about = root / "content" / "en" / "about.md"
    about.write_text(about.read_text(encoding="utf-8").replace("translation_of: a-propos",
                                                               "translation_of: assemblee"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", BEFORE])
    assert result.exit_code == 1
    assert result.stderr.startswith("content/en/about.md:5: 'translation_of' names 'assemblee' "
                                    "(content/assemblee.md), which is an article: a page translates a page"), \
        result.stderr
