"""sitemap.xml kept while what it is made from stays as it was (cmhub/site/sitemap.py): its key holds site.yml
and the READ fields and state of every article and page, and the sitemap reads no other field."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.content.model import Article
from cmhub.pipeline.project import load_ledgers, open_project
from cmhub.pipeline.story import load_site
from cmhub.settings.request import BuildRequest
from cmhub.site import sitemap
from tests.conftest import NOW, SITES, recording_articles, same_as_a_build_without_cache


def _build(root: Path) -> None:
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW, "-q"])
    assert result.exit_code == 0, result.output


def _inode(root: Path) -> int:
    return (root / "site" / "sitemap.xml").stat().st_ino


def test_the_sitemap_reads_no_field_but_those_of_its_key(tmp_path: Path) -> None:
    root = tmp_path / "hub"
    shutil.copytree(SITES / "bilingual", root, ignore=shutil.ignore_patterns("expected"))
    project = open_project(root, BuildRequest(now=NOW))
    site, read = recording_articles(load_site(project, load_ledgers(root).permalinks)[0])
    made = sitemap._sitemap(site)
    assert b"hreflang" in made  # the alternates of translations were worked out
    fields = {f.name for f in dataclasses.fields(Article)}
    assert {"path", "lang", "tags", "updated"} <= set(read)
    assert not (set(read) & fields) - set(sitemap.READ), "the sitemap reads a field its key leaves out"


def test_the_sitemap_is_kept_after_a_body_edit_and_made_again_after_a_new_date(basic_site: Path,
                                                                                tmp_path: Path) -> None:
    _build(basic_site)
    kept = _inode(basic_site)
    article = basic_site / "content" / "troisieme.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    _build(basic_site)
    assert _inode(basic_site) == kept
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("---\n", "---\nupdated: 2026-11-20T08:00:00\n", 1), encoding="utf-8")
    _build(basic_site)
    assert _inode(basic_site) != kept
    assert "2026-11-20T08:00:00+01:00" in (basic_site / "site" / "sitemap.xml").read_text(encoding="utf-8")
    same_as_a_build_without_cache(basic_site, tmp_path)
