"""Pairs of translations (issue #19): each mistake of ``translation_of`` at its line, exit 1, output intact."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from tests.conftest import SITES, tree_digest

BEFORE = "2026-11-01T12:00:00Z"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bilingual hub, built once."""
    root = tmp_path_factory.mktemp("bilingual") / "hub"
    shutil.copytree(SITES / "bilingual", root)
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", BEFORE])
    assert result.exit_code == 0, result.output
    return root


def article(slug: str, lang: str, translation_of: str, date: str = "2026-10-30T09:00:00") -> str:
    return (f"---\ntitle: Test {slug}\ndate: {date}\nslug: {slug}\nlang: {lang}\n"
            f"translation_of: {translation_of}\n---\nA body.\n")


CASES = {
    "missing side": ("content/en/lonely.md", article("lonely", "en", "reparer-un-vel"),
                     "content/en/lonely.md:6: 'translation_of' names 'reparer-un-vel', but no article has that "
                     "slug: the other side of the pair is missing (did you mean 'reparer-un-velo'?)"),
    "same language": ("content/doublon.md", article("doublon", "fr", "assemblee"),
                      "content/doublon.md:6: 'translation_of' names 'assemblee' (content/assemblee.md), which is "
                      "in the same language ('fr'); set this article's 'lang:' to the language it is written in"),
    "chain": ("content/de/kette.md", article("kette", "de", "fixing-a-bike"),
              "content/de/kette.md:6: 'translation_of' names 'fixing-a-bike' (content/en/fixing-a-bike.md), "
              "itself a translation of 'reparer-un-velo': name the original, 'reparer-un-velo'"),
    "second translation": ("content/en/bike-again.md", article("bike-again", "en", "reparer-un-velo"),
                           "content/en/bike-again.md:6: 'translation_of' names 'reparer-un-velo' "
                           "(content/reparer-un-velo.md), which has another translation in 'en': "
                           "content/en/fixing-a-bike.md; keep one\n"
                           "content/en/fixing-a-bike.md:5: 'translation_of' names 'reparer-un-velo' "
                           "(content/reparer-un-velo.md), which has another translation in 'en': "
                           "content/en/bike-again.md; keep one"),
    "itself": ("content/en/self.md", article("self", "en", "self"),
               "content/en/self.md:6: 'translation_of' names 'self', which is this article's own slug; "
               "name the slug of the article it translates"),
    "a language's home": ("content/en-bref.md", "---\ntitle: En bref\ndate: 2026-10-02\nslug: en\n---\nCourt.\n",
                          "content/en-bref.md:4: its URL /en/ is one of the pages of the articles in 'en' (their "
                          "home, lists or search: the hub has translations); set another 'slug:'"),
    "each names the other": ("content/en/tool-library.md", "---\ntitle: Tools\ndate: 2026-10-20T10:00:00\n"
                             "lang: en\ntranslation_of: bibliotheque-outils\n---\nLent tools.\n",
                             "content/bibliotheque-outils.md:4: 'translation_of' names 'tool-library' "
                             "(content/en/tool-library.md), which names this article back: only the translation "
                             "names its original; remove 'translation_of' from the original\n"
                             "content/en/tool-library.md:5: 'translation_of' names 'bibliotheque-outils' "
                             "(content/bibliotheque-outils.md), which names this article back"),
    "not a slug": ("content/en/odd.md", article("odd", "en", "Réparer un vélo"),
                   "content/en/odd.md:6: 'translation_of' must be the slug of the original article"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_mistake_is_reported_at_its_line_and_keeps_the_output(built: Path, tmp_path: Path, case: str) -> None:
    root = tmp_path / "hub"
    shutil.copytree(built, root)
    before = tree_digest(root / "site")
    path, text, message = CASES[case]
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", BEFORE])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert tree_digest(root / "site") == before


def test_a_draft_original_is_still_the_other_side(built: Path, tmp_path: Path) -> None:
    """The pair is complete when both files exist, whatever their state: nothing to report."""
    root = tmp_path / "hub"
    shutil.copytree(built, root)
    text = (root / "content/jardin-partage.md").read_text(encoding="utf-8")
    (root / "content/jardin-partage.md").write_text(text.replace("tags:", "draft: true\ntags:"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", BEFORE])
    assert result.exit_code == 0, result.output
