"""social/'s exports follow the teasers they show: an edit to one article remakes teasers.json and that
article's review page only, and a teaser picked by a new plan time or a new post in posts.lock is seen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cmhub.social import exports
from tests.conftest import SITES, built_recording


@pytest.fixture
def hub(tmp_path: Path) -> Path:
    root = tmp_path / "hub"
    shutil.copytree(SITES / "basic", root, ignore=shutil.ignore_patterns("expected"))
    with (root / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write('networks:\n  x: "@voix"\n  mastodon: "@voix@piaille.example"\n')
    return root


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The review pages and teasers.json the builds make (not those they keep). social/ is made in this
    process, where the recording is (cmhub/pipeline/syndication.py would make it in another)."""
    from cmhub.pipeline import syndication

    monkeypatch.setattr(syndication, "worker_count", lambda: 1)
    paths: list[str] = []
    review, document = exports._review_file, exports.json_document

    def review_file(site, articles, path, teasers):  # noqa: ANN001, ANN202 - _review_file's
        paths.append(path)
        return review(site, articles, path, teasers)

    def json_file(header, key, items):  # noqa: ANN001, ANN202 - json_document's
        paths.append("teasers.json")
        return document(header, key, items)

    monkeypatch.setattr(exports, "_review_file", review_file)
    monkeypatch.setattr(exports, "json_document", json_file)
    return paths


def test_an_edit_remakes_its_review_page_and_teasers_json_only(hub: Path, made: list[str]) -> None:
    first = built_recording(hub, made)
    assert "teasers.json" in first and "articles/troisieme.md" in first and "articles/premier-article.md" in first
    path = hub / "content" / "troisieme.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title: L’été des bénévoles",
                                                             "title: L’été de nos bénévoles"), encoding="utf-8")
    assert built_recording(hub, made) == {"teasers.json", "articles/troisieme.md"}
    assert "L’été de nos bénévoles" in (hub / "social" / "articles" / "troisieme.md").read_text(encoding="utf-8")
    assert "L’été de nos bénévoles" in (hub / "social" / "teasers.json").read_text(encoding="utf-8")


def test_a_post_recorded_in_posts_lock_remakes_the_review_page_that_shows_it(hub: Path, made: list[str]) -> None:
    built_recording(hub, made)
    lock = hub / "posts.lock"
    lock.write_text(
        '{"cmhub":"posts.lock","version":2}\n'
        '{"source":"content/troisieme.md","network":"mastodon","variant":"launch","state":"posted",'
        '"post_id":"1134","url":"https://piaille.example/@voix/1134","posted":"2026-11-20T08:00:04Z",'
        '"account":"@voix@piaille.example"}\n', encoding="utf-8")
    remade = built_recording(hub, made)
    assert "articles/troisieme.md" in remade and "articles/premier-article.md" not in remade
    assert "https://piaille.example/@voix/1134" in (hub / "social" / "articles" / "troisieme.md").read_text(
        encoding="utf-8")


def test_a_body_edit_that_leaves_the_teasers_as_they_were_keeps_every_export(hub: Path, made: list[str]) -> None:
    built_recording(hub, made)
    path = hub / "content" / "troisieme.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nUn dernier paragraphe, que nul teaser ne cite.\n",
                    encoding="utf-8")
    assert built_recording(hub, made) == set()
    page = (hub / "site" / "troisieme" / "index.html").read_text(encoding="utf-8")
    assert "Un dernier paragraphe" in page  # the build did take the edit in
