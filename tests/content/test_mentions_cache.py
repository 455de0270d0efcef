"""What unpublished articles mention (content/assets.py) comes from the build cache when their text is
the same, and follows their text when it changes: a file only a draft names stays out either way."""

from __future__ import annotations

import shutil
from pathlib import Path

from cmhub.content.frontmatter import header_key, header_settings
from cmhub.content.reader import Content
from cmhub.incremental.cache import open_render_cache
from cmhub.settings.config import load_config
from tests.conftest import SITES, read_with_cache

DRAFT = "content/plan-secret.md"


def _assets(content: Content) -> set[str]:
    return {asset.path for asset in content.assets}


def test_a_draft_s_mentions_are_kept_by_its_text_and_follow_its_edits(tmp_path: Path) -> None:
    root = tmp_path / "hub"
    shutil.copytree(SITES / "basic", root, ignore=shutil.ignore_patterns("expected"))
    (root / "content" / "rapport-2027.pdf").write_bytes(b"%PDF-1.4 not yet public\n")
    draft = root / DRAFT
    draft.write_text("---\ntitle: Plan secret\ndate: 2026-01-05\ndraft: true\n---\n"
                     "Le [rapport](rapport-2027.pdf) sortira plus tard.\n", encoding="utf-8")
    assert "rapport-2027.pdf" not in _assets(read_with_cache(root))  # the first reading finds the mention
    config = load_config(root)
    key = header_key(header_settings(config), DRAFT, draft.read_text(encoding="utf-8"))
    assert "rapport-2027.pdf" in open_render_cache(root).get("mentions|" + key)  # kept for that text
    assert "rapport-2027.pdf" not in _assets(read_with_cache(root))  # the second reading takes it from the cache

    draft.write_text("---\ntitle: Plan secret\ndate: 2026-01-05\ndraft: true\n---\nPlus de rapport.\n",
                     encoding="utf-8")
    assert "rapport-2027.pdf" in _assets(read_with_cache(root))  # nothing unpublished names it now: it is published
