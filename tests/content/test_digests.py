"""An article's digest, from what the reader made it of (ArticleDigests.know): the same for a cached and a
fresh reading, and changed by each thing the article's fields follow (its text, what its links find, its
cover file), but not by an edit to another article it does not link to."""

from __future__ import annotations

import shutil
from pathlib import Path

from cmhub.content.reader import read_content
from cmhub.core.dates import build_now
from cmhub.settings.config import load_config
from tests.conftest import NOW, SITES, read_with_cache

FIRST = "content/premier-article.md"
"""Links to guides/second.md, to a draft and to a scheduled article; has a cover."""
OTHER = "content/troisieme.md"
"""Links to nothing, and nothing links to it."""


def _hub(tmp_path: Path) -> Path:
    root = tmp_path / "hub"
    shutil.copytree(SITES / "basic", root, ignore=shutil.ignore_patterns("expected"))
    return root


def _append(root: Path, source: str, text: str) -> None:
    path = root / source
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_cached_reading_digests_as_the_fresh_one(tmp_path: Path) -> None:
    root = _hub(tmp_path)
    fresh = read_with_cache(root)
    cached = read_with_cache(root)
    assert set(fresh.made_from) == {a.source for a in (*fresh.articles, *fresh.pages)}
    assert cached.made_from == fresh.made_from


def test_an_edit_changes_its_own_digest_only(tmp_path: Path) -> None:
    root = _hub(tmp_path)
    before = read_with_cache(root).made_from
    _append(root, OTHER, "\nUne phrase de plus.\n")
    after = read_with_cache(root).made_from
    assert {s for s in before if before[s] != after[s]} == {OTHER}


def test_a_linked_article_going_out_of_sight_changes_the_digest_of_the_one_linking_to_it(tmp_path: Path) -> None:
    root = _hub(tmp_path)
    before = read_with_cache(root).made_from
    second = root / "content" / "guides" / "second.md"
    second.write_text(second.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    after = read_with_cache(root).made_from
    assert after[FIRST] != before[FIRST]  # its link now leads to a draft: its HTML changed
    assert after[OTHER] == before[OTHER]


def test_a_cover_replaced_by_a_file_of_another_size_changes_the_digest(tmp_path: Path) -> None:
    root = _hub(tmp_path)
    before = read_with_cache(root).made_from
    cover = root / "content" / "images" / "couverture.png"
    cover.write_bytes(cover.read_bytes() + b"\0" * 16)  # same pixels, another file
    after = read_with_cache(root).made_from
    assert after[FIRST] != before[FIRST]
    assert after[OTHER] == before[OTHER]


def test_without_a_cache_file_the_reader_vouches_for_nothing(tmp_path: Path) -> None:
    root = _hub(tmp_path)
    config = load_config(root)
    content = read_content(config, build_now(NOW, config.tz))
    assert content.articles and not content.made_from
