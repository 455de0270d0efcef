"""Feeds and pages an author can trust (issue #15.8): Atom entries always have an author, body
images without alt text are reported at their line, a duplicate slug is blamed on the file whose
'slug:' collides."""

from __future__ import annotations

from pathlib import Path

import feedparser
from click.testing import CliRunner

from cmhub.cli.verbs import main
from tests.cli.test_errors import GOOD_SITE, make_site
from tests.conftest import NOW

NO_AUTHOR = "---\ntitle: Sans auteur\ndate: 2026-10-03\n---\nBonjour.\n"


def build(root: Path, *extra: str):
    return CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW, *extra])


def test_atom_entries_without_author_fall_back_to_the_hub(tmp_path: Path) -> None:
    make_site(tmp_path, {"content/b.md": NO_AUTHOR})
    assert build(tmp_path).exit_code == 0
    feed = feedparser.parse((tmp_path / "site" / "atom.xml").read_bytes())
    authors = {entry.title: [a.get("name") for a in entry.get("authors", [])] for entry in feed.entries}
    assert authors == {"Premier\u00a0: article": ["Marie Curie"], "Sans auteur": ["Mon hub"]}  # French spacing
    text = (tmp_path / "site" / "atom.xml").read_text(encoding="utf-8")
    assert text.count("<author>") == 2 and "<uri>https://hub.example.org/</uri>" in text


IMAGE_BODY = "---\ntitle: Deux\ndate: 2026-10-02\n---\nTexte.\n\n![](a.png)\n\n![Un schéma](a.png)\n\n" \
             "<p><img src=\"a.png\"></p>\n\n<img src=\"a.png\" alt=\"\">\n"


def test_body_images_without_alt_text_are_warnings_at_their_line(tmp_path: Path) -> None:
    make_site(tmp_path, {"content/b.md": IMAGE_BODY, "content/a.png": ""})
    relaxed = build(tmp_path)
    assert relaxed.exit_code == 0, relaxed.output
    warnings = [line for line in relaxed.stderr.splitlines() if "alt text" in line]
    assert warnings == [
        "content/b.md:7: warning: image 'a.png' has no alt text: describe it between the brackets, "
        "![what it shows](a.png)",
        "content/b.md:11: warning: image 'a.png' has no alt text: add alt=\"what it shows\" "
        "(alt=\"\" marks a decorative image)",
    ]
    strict = build(tmp_path, "--strict")
    assert strict.exit_code == 1
    assert "content/b.md:7: warning: image 'a.png' has no alt text" in strict.stderr


def test_a_slug_that_takes_another_files_url_is_reported_on_its_slug_line(tmp_path: Path) -> None:
    # content/a.md (read first) sets 'slug: c', the URL content/c.md gets from its file name
    make_site(tmp_path, {"content/a.md": "---\ntitle: Un\ndate: 2026-10-01\nslug: c\n---\nUn.\n",
                         "content/c.md": "---\ntitle: Trois\ndate: 2026-10-03\n---\nTrois.\n"})
    result = build(tmp_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "content/a.md:4: slug 'c' gives the URL /c/, already used by content/c.md; set another 'slug:'")


def test_two_file_names_with_one_url_ask_for_a_slug(tmp_path: Path) -> None:
    make_site(tmp_path, {"content/sub/a.md": "---\ntitle: Autre\ndate: 2026-10-03\n---\nAutre.\n"})
    result = build(tmp_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "content/sub/a.md:1: its file name gives the URL /a/, already used by content/a.md; "
        "set a 'slug:' in its front matter")


def test_good_site_has_no_warning(tmp_path: Path) -> None:
    make_site(tmp_path, {})
    result = build(tmp_path, "--strict")
    assert result.exit_code == 0, result.stderr
    assert GOOD_SITE
