"""The Material for MkDocs engine: same hub, same URLs, nothing unpublished, nothing fetched elsewhere."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.core.urls import output_file
from tests.conftest import NOW, tree_digest

EXTERNAL = re.compile(r"""<(?:link|script|img|iframe|source)\b[^>]*\b(?:src|href)=["'](?:https?:)?//([^/"']+)""")


@pytest.fixture
def both(basic_site: Path, tmp_path: Path, runner: CliRunner) -> tuple[Path, Path]:
    """The sample hub built by each engine (two copies of the project)."""
    material = tmp_path / "material"
    shutil.copytree(basic_site, material)
    for root, engine in ((basic_site, "builtin"), (material, "material")):
        result = runner.invoke(main, ["build", "-C", str(root), "--now", NOW, "--engine", engine])
        assert result.exit_code == 0, result.output
    return basic_site, material


def test_every_published_article_has_the_same_url(both: tuple[Path, Path]) -> None:
    builtin, material = both
    for slug in ("premier-article", "own-site-first", "troisieme"):
        page = material / "site" / slug / "index.html"
        assert page.is_file(), slug
        html = page.read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="https://voix.example.org/{slug}/">' in html
        assert (builtin / "site" / slug / "index.html").is_file()


def test_material_shows_nothing_unpublished(both: tuple[Path, Path]) -> None:
    site = both[1] / "site"
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".txt"}:
            data = path.read_bytes().lower()
            assert b"secret" not in data and b"appel" not in data, path
    assert not (site / "images" / "secret.png").exists()


def test_material_html_references_no_other_host(both: tuple[Path, Path]) -> None:
    site = both[1] / "site"
    hosts = set()
    for page in site.rglob("*.html"):
        hosts |= set(EXTERNAL.findall(page.read_text(encoding="utf-8")))
    assert hosts <= {"voix.example.org"}, hosts
    text = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text


def test_material_pages_carry_open_graph_and_feed_links(both: tuple[Path, Path]) -> None:
    html = (both[1] / "site" / "premier-article" / "index.html").read_text(encoding="utf-8")
    assert '<meta property="og:type" content="article">' in html
    # the same picture as the built-in engine's og:image: the cover's 1200x630 crop (issue #15.2)
    crop = "https://voix.example.org/_social/cover/images-couverture-1200x630.jpg"
    assert f'<meta property="og:image" content="{crop}">' in html
    assert '<meta property="article:published_time" content="2026-10-01T09:00:00+02:00">' in html
    assert 'type="application/rss+xml"' in html


def test_feeds_teasers_and_calendar_do_not_depend_on_the_engine(both: tuple[Path, Path]) -> None:
    builtin, material = both
    for name in ("feed.xml", "atom.xml", "feed.json", "sitemap.xml", "_redirects", "tags/facebook/feed.xml"):
        assert (builtin / "site" / name).read_bytes() == (material / "site" / name).read_bytes(), name
    assert tree_digest(builtin / "social") == tree_digest(material / "social")


def test_engine_can_be_set_in_site_yml(basic_site: Path, runner: CliRunner) -> None:
    config = basic_site / "site.yml"
    config.write_text(config.read_text(encoding="utf-8") + "engine: material\n", encoding="utf-8")
    result = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW])
    assert result.exit_code == 0, result.output
    assert "assets/stylesheets" in (basic_site / "site" / "index.html").read_text(encoding="utf-8")


def test_material_refuses_a_permalink_it_cannot_express(basic_site: Path, runner: CliRunner) -> None:
    config = basic_site / "site.yml"
    config.write_text(config.read_text(encoding="utf-8") + "permalink: /{lang}/{slug}/\n", encoding="utf-8")
    result = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW, "--engine", "material"])
    assert result.exit_code == 1
    assert "engine 'material' supports the permalinks" in result.stderr


def test_users_theme_material_folder_overrides_materials_templates(basic_site: Path, runner: CliRunner) -> None:
    partials = basic_site / "theme" / "material" / "partials"
    partials.mkdir(parents=True)
    (partials / "copyright.html").write_text('<div class="md-copyright">© Les Voix du Quartier</div>\n',
                                              encoding="utf-8")
    result = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW, "--engine", "material"])
    assert result.exit_code == 0, result.output
    html = (basic_site / "site" / "premier-article" / "index.html").read_text(encoding="utf-8")
    assert "© Les Voix du Quartier" in html
    assert '<meta property="og:type" content="article">' in html  # cmhub's own overrides still apply


def test_material_builds_are_byte_identical(basic_site: Path, tmp_path: Path, runner: CliRunner) -> None:
    again = tmp_path / "again"
    shutil.copytree(basic_site, again)
    for root in (basic_site, again):
        assert runner.invoke(main, ["build", "-C", str(root), "--now", NOW, "--engine", "material"]).exit_code == 0
    assert tree_digest(basic_site / "site") == tree_digest(again / "site")


FRENCH_HUB = {
    "site.yml": ("title: La Caisse du Quartier\nurl: https://caisse.example.org/blog/\nlanguage: fr\n"
                 "timezone: Europe/Paris\nauthors:\n  karim: Karim Benali\n"),
    # dated ten minutes before the build's --now (13:00 in Paris), which is years after the machine's clock
    "content/assemblee.md": ("---\ntitle: Assemblée générale\ndate: 2030-01-15T12:50:00\ncategories: [Actualités]\n"
                             "tags: [Vie associative, Épargne]\nauthors: [karim]\n---\n"
                             "Le rendez-vous annuel des sociétaires.\n\n<!-- more -->\n\n## Ordre du jour\n\n"
                             "Les comptes, puis les questions.\n"),
    "content/epargne.md": ("---\ntitle: Épargner à plusieurs\ndate: 2030-01-02T09:00:00\n"
                           "categories: [Actualités, Conseils pratiques]\ntags: [Épargne]\nauthors: [karim]\n---\n"
                           "Trois façons d’épargner ensemble.\n\n<!-- more -->\n\nLa suite.\n"),
    "content/programme.md": "---\ntitle: Programme secret\ndate: 2030-01-15T13:10:00\n---\nPas encore.\n",
}
FRENCH_NOW = "2030-01-15T12:00:00Z"


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources.append(dict(attrs).get("src") or "")


def _site_file(site: Path, url: str) -> Path:
    path = urlsplit(url).path
    assert path.startswith("/blog/"), url
    return site / output_file(unquote(path[len("/blog/"):]))


def _broken_images(site: Path) -> list[str]:
    broken = []
    for page in site.rglob("*.html"):
        parser = _Images()
        parser.feed(page.read_text(encoding="utf-8"))
        page_url = "https://caisse.example.org/blog/" + page.relative_to(site).as_posix()
        for src in parser.sources:
            if src.startswith("data:image/"):
                continue
            if not src or not _site_file(site, urljoin(page_url, src)).is_file():
                broken.append(f"{page.relative_to(site)}: {src!r}")
    return broken


def _build_in_zone(root: Path, engine: str, zone: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cmhub", "build", "-C", str(root), "--now", FRENCH_NOW,
                           "--engine", engine, "--no-cache"], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "TZ": zone})


@pytest.mark.slow
@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati"])
def test_both_engines_publish_the_same_french_hub(tmp_path: Path, zone: str) -> None:
    sites = {}
    for engine in ("builtin", "material"):
        root = tmp_path / engine
        for name, text in FRENCH_HUB.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        done = _build_in_zone(root, engine, zone)
        assert done.returncode == 0, done.stderr
        sites[engine] = root / "site"
    sitemap = (sites["builtin"] / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap == (sites["material"] / "sitemap.xml").read_text(encoding="utf-8")
    urls = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert "https://caisse.example.org/blog/assemblee/" in urls
    assert "https://caisse.example.org/blog/categories/actualites/" in urls
    for engine, site in sites.items():
        missing = [url for url in urls if not _site_file(site, url).is_file()]
        assert not missing, (engine, missing)
        listed = {p.relative_to(site).parent.as_posix() + "/" for p in site.glob("*/*/index.html")
                  if p.parts[-3] in ("categories", "tags")}
        assert listed == {url.split("/blog/", 1)[1] for url in urls if "/categories/" in url or "/tags/" in url}, \
            engine
        home = (site / "index.html").read_text(encoding="utf-8")
        assert "Assemblée générale" in home and "Programme secret" not in home, engine
        for page in [*site.rglob("*.html"), *site.rglob("*.json")]:
            data = page.read_text(encoding="utf-8")
            assert "<!-- more -->" not in data and "&lt;!-- more --&gt;" not in data, (engine, page)
            assert "\\u003c!-- more" not in data, (engine, page)
        assert not _broken_images(site), (engine, _broken_images(site))


def _nav_and_copyright(page: Path) -> tuple[list[tuple[str, str]], str]:
    """Return the (href, title) links of Material's main navigation and the text of its copyright line."""
    text = page.read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]*)" class="md-nav__link[^"]*"[^>]*>\s*<span class="md-ellipsis">\s*'
                       r"([^<]*?)\s*</span>", text)
    found = re.search(r'md-copyright__highlight">(.*?)</div>', text, re.S)
    return links, found.group(1).strip() if found else ""


def test_material_makes_pages_plain_pages_and_site_yml_menus_its_nav(basic_site: Path, runner: CliRunner) -> None:
    (basic_site / "content" / "a-propos.md").write_text("---\ntitle: À propos\ntype: page\n---\nQui nous sommes.\n",
                                                         encoding="utf-8")
    (basic_site / "content" / "mentions.md").write_text("---\ntitle: Mentions légales\ntype: page\n---\nÉditeur.\n",
                                                         encoding="utf-8")
    result = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW, "--engine", "material"])
    assert result.exit_code == 0, result.output
    site = basic_site / "site"
    assert "Qui nous sommes." in (site / "a-propos" / "index.html").read_text(encoding="utf-8")
    links, copyright = _nav_and_copyright(site / "index.html")
    assert ("a-propos/", "À propos") in links and ("mentions/", "Mentions légales") in links  # in Material's nav
    assert copyright == "" and b"a-propos" not in (site / "feed.xml").read_bytes()
    with (basic_site / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write("menu:\n  - {title: Accueil, url: /}\n  - {title: Qui, page: a-propos}\n"
                     "  - {title: Étiquettes, url: /tags/}\n  - {title: Un article, page: troisieme}\n"
                     "footer:\n  - {title: Mentions, page: mentions}\n"
                     "  - {title: Contact, url: \"mailto:a@b.example\"}\n")
    result = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW, "--engine", "material"])
    assert result.exit_code == 0, result.output
    links, copyright = _nav_and_copyright(site / "a-propos" / "index.html")
    assert links[:4] == [("..", "Les Voix du Quartier"), ("./", "Qui"),
                         ("https://voix.example.org/tags/", "Étiquettes"),
                         ("https://voix.example.org/troisieme/", "Un article")]
    assert "Mentions légales" not in [title for _, title in links]  # the menu is the whole navigation
    assert copyright == '<a href="/mentions/">Mentions</a> · <a href="mailto:a@b.example">Contact</a>'
    assert (site / "mentions" / "index.html").is_file()
