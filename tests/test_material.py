"""The Material for MkDocs engine: same hub, same URLs, nothing unpublished, nothing fetched elsewhere."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli import main
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
