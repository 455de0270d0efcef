"""Rendering rules that the sample hub is too small to show."""

from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import Markup

from cmhub.ledgers.permalinks_reading import load_ledger
from cmhub.pipeline.project import open_project
from cmhub.pipeline.story import load_site
from cmhub.settings.request import BuildRequest
from cmhub.site.builtin.article_views import article_view, page_body
from cmhub.site.builtin.listings import page_window
from cmhub.site.builtin.pages import Pages
from cmhub.theming.loader import load_theme, make_environment
from tests.conftest import NOW


@pytest.mark.parametrize(("page", "pages", "expected"), [
    (1, 1, [1]),
    (2, 3, [1, 2, 3]),
    (5, 1000, [1, 0, 3, 4, 5, 6, 7, 0, 1000]),
    (1000, 1000, [1, 0, 998, 999, 1000]),
    (4, 7, [1, 2, 3, 4, 5, 6, 7]),
], ids=["single", "short", "middle-of-many", "last-of-many", "gaps-of-one-are-filled"])
def test_long_lists_link_a_window_of_pages(page: int, pages: int, expected: list[int]) -> None:
    assert page_window(page, pages) == expected


def test_window_size_does_not_grow_with_the_list() -> None:
    assert max(len(page_window(p, 5000)) for p in range(1, 5001)) == 9


@pytest.mark.parametrize("items", [[], [{"a": 1, "b": [1, 2], "c": {"d": "é\n"}}], [{"a": 1}, {"b": None}]],
                         ids=["empty", "nested", "several"])
def test_streamed_json_is_what_json_dumps_writes(items: list[dict]) -> None:
    import json

    from cmhub.social.exports import json_document

    header = {"version": 1, "site": "https://a.example/"}
    expected = (json.dumps({**header, "teasers": items}, ensure_ascii=False, indent=2) + "\n").encode()
    assert json_document(header, "teasers", iter(items)) == expected


def test_partials_are_rendered_once_per_set_of_equal_values(basic_site: Path) -> None:
    templates = basic_site / "theme" / "templates"
    templates.mkdir(parents=True)
    (templates / "_p.html").write_text("{{ x }} {{ t.home }}\n", encoding="utf-8")
    project = open_project(basic_site, BuildRequest(now=NOW))
    config = project.config
    site, _, _ = load_site(project, load_ledger(basic_site)[0])
    theme = load_theme(config.theme, config.root)
    pages = Pages(site, theme, make_environment(theme), lambda name: name, {})
    partial = pages.partial("fr")
    assert partial("_p.html", x="<b>") == "&lt;b&gt; Accueil"
    assert partial("_p.html", x="<b>") == "&lt;b&gt; Accueil"
    assert partial("_p.html", x=Markup("<b>")) == "<b> Accueil"  # equal to "<b>", printed otherwise
    assert partial("_p.html", x=1) == "1 Accueil"
    assert partial("_p.html", x=True) == "True Accueil"  # equal to 1, printed otherwise
    assert pages.partial("en")("_p.html", x=1) == "1 Home"
    assert partial("_p.html", x=["a"]) == "[&#39;a&#39;] Accueil"  # cannot be a key: rendered, not kept
    assert len(pages.partials) == 5


def test_an_article_view_makes_its_body_each_time_and_keeps_none(basic_site: Path) -> None:
    # every list shares an article's view: a body kept on it would stay in memory until the last page
    project = open_project(basic_site, BuildRequest(now=NOW))
    config = project.config
    site, _, _ = load_site(project, load_ledger(basic_site)[0])
    theme = load_theme(config.theme, config.root)
    pages = Pages(site, theme, make_environment(theme), lambda name: name, {})
    article = site.shown[0]
    view = article_view(pages, article)
    first = view.html
    assert isinstance(first, Markup) and first == page_body(article.html, pages.body_pictures) and first
    assert "html" not in view.__dict__
    assert view.html == first
    with pytest.raises(AttributeError):
        view.no_such_field  # noqa: B018
