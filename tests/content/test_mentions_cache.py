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


def test_the_files_one_text_points_at_are_those_all_the_texts_point_at_together() -> None:
    """The snapshot keeps, for each unpublished article, the files its text points at (Pointers); together
    they must be the files Mentions withholds for all the texts at once, whatever the form of the mention."""
    from cmhub.content.assets import Mentions, Pointers, mentioned

    files = ["images/cover.png", "docs/rapport 2027.pdf", "docs/guide.pdf", "kit/index.html", "kit/logo.svg",
             "other/cover.png", "notes.txt"]
    texts = ["Voir ![](images/cover.png) et le [kit](kit/).", "Le rapport 2027.pdf, bientôt.",
             "<a href=\"docs/guide.pdf\">guide</a> puis notes.txt.", "Rien ici. Fin.", "Le dossier docs/ seul."]
    pointers = Pointers(files)
    each = [set(pointers.of(mentioned(text), text)) for text in texts]
    together = Mentions()
    for text in texts:
        together.add(text)
    assert set().union(*each) == {path for path in files if together.point_at(path)}
    assert each[0] == {"images/cover.png", "other/cover.png", "kit/index.html"}  # by path, by name, by folder
    assert each[1] == {"docs/rapport 2027.pdf"}  # a name with a space, found in the text itself
    assert each[3] == set()
