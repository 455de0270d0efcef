"""A page is made again when something it shows changed, and kept as it is when not: the keys of pages
follow the articles they show, though no article view is made to work them out."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cmhub.site.builtin.pages import Pages
from tests.conftest import SITES, built_recording

DAYS = (1, 2, 3, 4, 5)
"""Five more articles, dated 1 to 5 July 2026 (each with a tag of its own), between the basic hub's."""


def _hub(tmp_path: Path) -> Path:
    root = tmp_path / "hub"
    shutil.copytree(SITES / "basic", root, ignore=shutil.ignore_patterns("expected"))
    for day in DAYS:
        (root / "content" / f"juillet-{day}.md").write_text(
            f"---\ntitle: Article du {day} juillet\ndate: 2026-07-0{day}T10:00:00\ntags: [jour-{day}]\n---\n"
            f"Le texte du {day} juillet.\n", encoding="utf-8")
    return root


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The site paths of the pages the builds render (a small hub renders in this process)."""
    paths: list[str] = []
    run = Pages.run

    def recorded(self: Pages, job):  # noqa: ANN001, ANN202 - Pages.run's
        paths.append(job.path)
        return run(self, job)

    monkeypatch.setattr(Pages, "run", recorded)
    return paths


def _edit(root: Path, day: int, old: str, new: str) -> None:
    path = root / "content" / f"juillet-{day}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_new_title_remakes_the_pages_that_show_it_and_keeps_the_others(tmp_path: Path,
                                                                          rendered: list[str]) -> None:
    root = _hub(tmp_path)
    assert "juillet-1/" in built_recording(root, rendered)
    _edit(root, 3, "title: Article du 3 juillet", "title: Un titre tout neuf")
    remade = built_recording(root, rendered)
    site = root / "site"
    for path in ("juillet-3/",  # its own page
                 "juillet-2/", "juillet-4/",  # its neighbours link to it by its title
                 "tags/jour-3/"):  # its tag's list shows its card
        assert path in remade, path
        assert "Un titre tout neuf" in (site / path / "index.html").read_text(encoding="utf-8"), path
    for path in ("juillet-1/", "juillet-5/", "tags/jour-1/", "tags/jour-5/"):
        assert path not in remade, path


def test_an_edit_to_an_article_remakes_none_of_the_pages_that_do_not_show_it(tmp_path: Path,
                                                                              rendered: list[str]) -> None:
    root = _hub(tmp_path)
    built_recording(root, rendered)
    _edit(root, 3, "Le texte du 3 juillet.", "Le texte du 3 juillet, relu.")
    remade = built_recording(root, rendered)
    assert "juillet-3/" in remade
    assert "Le texte du 3 juillet, relu." in (root / "site" / "juillet-3" / "index.html").read_text(encoding="utf-8")
    assert not remade & {"juillet-1/", "juillet-5/", "tags/jour-1/", "tags/jour-5/", "premier-article/"}
    assert built_recording(root, rendered) == set()  # nothing changed: nothing rendered (the build is skipped)


def test_the_lists_an_edit_remakes_do_not_make_the_bodies_of_the_other_articles_they_show(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rendered: list[str]) -> None:
    from cmhub.site.builtin import article_views as pages_module

    bodies: list[str] = []
    real = pages_module.page_body

    def recorded(html: str, pictures):  # noqa: ANN001, ANN202 - page_body's
        bodies.append(html)
        return real(html, pictures)

    monkeypatch.setattr(pages_module, "page_body", recorded)
    root = _hub(tmp_path)
    _edit(root, 1, "tags: [jour-1]", "tags: [jour-1, jour-3]")  # the 1st shows on the 3rd's tag too
    built_recording(root, bodies)
    _edit(root, 3, "Le texte du 3 juillet.", "Le texte du 3 juillet, relu.")
    bodies.clear()
    remade = built_recording(root, rendered)
    assert {"juillet-2/", "juillet-3/", "juillet-4/", "tags/jour-3/"} <= remade and "juillet-1/" not in remade
    # the pages made again each show their own body; the cards of the home's other articles need none
    # (a large hub's lists show thousands)
    assert sorted(bodies) == ["<p>Le texte du 2 juillet.</p>", "<p>Le texte du 3 juillet, relu.</p>",
                              "<p>Le texte du 4 juillet.</p>"]
    listed = (root / "site" / "tags" / "jour-3" / "index.html").read_text(encoding="utf-8")
    assert "Article du 1 juillet" in listed and "Article du 3 juillet" in listed
