"""A build with a cache reads again only the article files whose status changed (cmhub/content/statuses.py),
and makes the same site as a build that reads everything."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.content import statuses
from cmhub.content.frontmatter import header_settings, parse_header
from cmhub.content.statuses import KnownTexts, Recalled, file_status
from cmhub.core.errors import CmhubError
from cmhub.incremental.cache import open_render_cache
from cmhub.settings.config import load_config
from tests.conftest import NOW, SITES, articles_read, same_as_a_build_without_cache

ARTICLES = {"content/premier-article.md", "content/troisieme.md", "content/guides/second.md"}
UNPUBLISHED = {"content/secret-brouillon.md", "content/secret-programme.md", "content/ancien.md"}
"""A draft, a scheduled and an expired article of the basic hub: always read (what they mention stays out
of the site)."""
WARNED = {"content/premier-article.md"}
"""Its links to two unpublished articles are warnings: read for their lines."""


@pytest.fixture
def hub(tmp_path: Path) -> Path:  # its files were written just now: taken as settled (tests/conftest.py)
    root = tmp_path / "hub"
    shutil.copytree(SITES / "basic", root, ignore=shutil.ignore_patterns("expected"))
    assert ARTICLES | UNPUBLISHED <= {p.relative_to(root).as_posix() for p in root.rglob("content/**/*.md")}
    return root


def _build(root: Path, *extra: str) -> str:
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW, "-q", *extra])
    assert result.exit_code == 0, result.output
    return result.stderr


def _touch_a_file(root: Path) -> None:
    """Change a file of content/ that is not an article, so that the next build has work to do."""
    with open(root / "content" / "a-propos.pdf", "ab") as pdf:
        pdf.write(b"%")


def test_a_build_reads_the_edited_article_and_the_unpublished_ones_only(hub: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _build(hub)
    read = articles_read(hub, monkeypatch)
    _touch_a_file(hub)
    _build(hub)
    assert set(read) == UNPUBLISHED | WARNED

    edited = hub / "content" / "troisieme.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nUne phrase de plus, ajoutée après coup.\n",
                      encoding="utf-8")
    _touch_a_file(hub)  # the content is read whole, not taken from its snapshot (cmhub/content/snapshot.py)
    read.clear()
    _build(hub)
    assert set(read) == UNPUBLISHED | WARNED | {"content/troisieme.md"}
    assert "ajoutée après coup" in (hub / "site" / "troisieme" / "index.html").read_text(encoding="utf-8")
    same_as_a_build_without_cache(hub, tmp_path)


def test_a_file_changed_just_before_the_build_is_not_recorded(hub: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(statuses, "SETTLED_NS", 3600 * 10**9)  # every file changed within the hour: none settled
    _build(hub)
    read = articles_read(hub, monkeypatch)
    _touch_a_file(hub)
    _build(hub)
    assert set(read) == ARTICLES | UNPUBLISHED


def test_an_edit_that_keeps_the_size_and_the_modification_date_is_seen(hub: Path, tmp_path: Path) -> None:
    _build(hub)
    article = hub / "content" / "troisieme.md"
    before = os.stat(article)
    text = article.read_text(encoding="utf-8")
    assert "en photos" in text
    article.write_text(text.replace("en photos", "en images"), encoding="utf-8")  # as many bytes
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `touch -r` or a restored backup does
    after = os.stat(article)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    _build(hub)
    assert "en images" in (hub / "site" / "troisieme" / "index.html").read_text(encoding="utf-8")
    same_as_a_build_without_cache(hub, tmp_path)


def test_an_unread_article_whose_links_changed_is_rendered_from_its_text(hub: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _build(hub)  # its status recorded, premier-article.md is not read again ...
    draft = hub / "content" / "secret-brouillon.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    read = articles_read(hub, monkeypatch)
    _build(hub)  # ... until its link to the draft, now published, must be made again
    assert "content/premier-article.md" in read
    page = (hub / "site" / "premier-article" / "index.html").read_text(encoding="utf-8")
    assert 'href="/secret-brouillon/"' in page
    same_as_a_build_without_cache(hub, tmp_path)


def test_a_link_warning_of_an_unread_article_keeps_its_line(hub: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _build(hub)
    read = articles_read(hub, monkeypatch)
    _touch_a_file(hub)
    second = _build(hub)
    assert "content/premier-article.md:" in first and "which is not published yet" in first
    assert [line for line in second.splitlines() if "premier-article" in line] == \
        [line for line in first.splitlines() if "premier-article" in line]
    assert "content/premier-article.md" in read  # read for the line of its warning only


def test_a_file_saved_after_it_was_recalled_is_an_error(hub: Path) -> None:
    config = load_config(hub)
    settings = header_settings(config)
    source = "content/troisieme.md"
    path = hub / source
    text = path.read_text(encoding="utf-8")
    known = KnownTexts(open_render_cache(hub, name="statuses"), open_render_cache(hub), settings)
    from cmhub.content.frontmatter import header_key

    recalled = Recalled(parse_header(text, source, config), header_key(settings, source, text), "body-key", 10)
    assert known.text(path, recalled) == text
    path.write_text(text + "\nSaved during the build.\n", encoding="utf-8")
    with pytest.raises(CmhubError, match="changed while cmhub was reading the content; build again"):
        known.text(path, recalled)


def test_a_damaged_record_is_not_trusted(hub: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _build(hub)
    config = load_config(hub)
    records = open_render_cache(hub, name="statuses")
    known = KnownTexts(records, open_render_cache(hub), header_settings(config))
    source = "content/troisieme.md"
    status = file_status(hub / source)
    assert known.recall(source, status) is not None
    for damaged in [(status, "header|nothing", "body"), (status[:4], "header|x", "body"), ("status",), None]:
        records.put(known.record_key(source), damaged)
        assert known.recall(source, status) is None
    records.save()
    read = articles_read(hub, monkeypatch)
    _touch_a_file(hub)
    _build(hub)
    assert "content/troisieme.md" in read
