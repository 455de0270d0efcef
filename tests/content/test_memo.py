"""ReadMemo (cmhub serve): an unchanged article is handed on as the same object, an edited one is read
and made again, and what a memo hands on equals what a fresh reading makes."""

from __future__ import annotations

import shutil
from pathlib import Path

from cmhub.content.memo import ReadMemo
from cmhub.content.reader import Content, read_content
from cmhub.core.dates import build_now
from cmhub.incremental.cache import open_render_cache
from cmhub.settings.config import load_config
from tests.conftest import NOW, SITES

EDITED = "content/troisieme.md"


def _read(root: Path, memo: ReadMemo | None) -> Content:
    config = load_config(root)
    return read_content(config, build_now(NOW, config.tz), cache=open_render_cache(root), memo=memo)


def test_a_memo_keeps_unchanged_articles_and_reads_an_edited_one_again(tmp_path: Path) -> None:
    root = tmp_path / "hub"
    shutil.copytree(SITES / "basic", root, ignore=shutil.ignore_patterns("expected"))
    memo = ReadMemo()
    first = {a.source: a for a in _read(root, memo).articles}
    path = root / EDITED
    path.write_text(path.read_text(encoding="utf-8") + "\nUne phrase ajoutée dans l’éditeur.\n", encoding="utf-8")
    second = _read(root, memo)
    again = {a.source: a for a in second.articles}
    assert "Une phrase ajoutée" in again[EDITED].html
    assert again[EDITED] is not first[EDITED]
    assert all(again[s] is first[s] for s in first if s != EDITED)
    assert second.articles == _read(root, None).articles  # the same as a reading without a memo


def test_a_memo_reads_a_file_again_when_only_its_status_changed_back(tmp_path: Path) -> None:
    """An editor that writes a file back with other bytes of the same size is seen (dates and inode)."""
    root = tmp_path / "hub"
    shutil.copytree(SITES / "basic", root, ignore=shutil.ignore_patterns("expected"))
    memo = ReadMemo()
    _read(root, memo)
    path = root / EDITED
    text = path.read_text(encoding="utf-8")
    replacement = root / "replacement.tmp"
    changed = text.replace("Un été avec", "Un ÉTÉ avec", 1)  # as many bytes, other ones
    assert changed != text and len(changed.encode()) == len(text.encode())
    replacement.write_text(changed, encoding="utf-8")
    replacement.replace(path)  # saved as editors do: a new file renamed over the old one
    assert "Un ÉTÉ avec" in {a.source: a.html for a in _read(root, memo).articles}[EDITED]
