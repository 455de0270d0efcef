"""The plan of the pages kept for the next build (cmhub/site/builtin/plans.py): a build after an edit plans
only the pages it renders, and the kept plan is trusted only for what planning reads."""

from __future__ import annotations

import collections
import dataclasses
import shutil
from pathlib import Path

import pytest

from cmhub.content.model import Site
from cmhub.incremental.cache import RenderCache, open_render_cache
from cmhub.pipeline.project import load_ledgers, open_project
from cmhub.pipeline.story import load_site
from cmhub.settings.request import BuildRequest
from cmhub.site.builtin import engine, listings
from cmhub.site.builtin.plans import PLANNED, keep_plans, recall_plans
from cmhub.theming.loader import load_theme
from tests.conftest import NOW, SITES, built_recording, recording_articles, same_as_a_build_without_cache

SITE_READ_BY_PLANNING = {"config", "now", "preview", "articles", "pages", "shown", "shown_pages", "published",
                         "languages", "translations", "in_state", "_by_state", "__dict__", "__class__"}
"""What planning may read of the site: site.yml, the clock, the preview switches and its articles (the
backfeed, the moves and the feed ids reach pages through the articles' views or not at all)."""


def _hub(tmp_path: Path, name: str = "bilingual") -> Path:
    root = tmp_path / "hub"
    shutil.copytree(SITES / name, root, ignore=shutil.ignore_patterns("expected"))
    return root


@pytest.mark.parametrize("name", ["basic", "bilingual"])
def test_planning_reads_no_field_of_an_article_but_the_planned_ones(tmp_path: Path, name: str) -> None:
    root = _hub(tmp_path, name)
    site_read: collections.Counter[str] = collections.Counter()

    class RecordedSite(Site):
        def __getattribute__(self, attribute: str) -> object:
            site_read[attribute] += 1
            return object.__getattribute__(self, attribute)

    project = open_project(root, BuildRequest(now=NOW))
    site, read = recording_articles(load_site(project, load_ledgers(root).permalinks)[0])
    watched = object.__new__(RecordedSite)
    watched.__dict__.update({f.name: getattr(site, f.name) for f in dataclasses.fields(Site)})
    theme = load_theme(site.config.theme, root)
    pages = engine._pages(watched, theme, theme.static_files())
    read.clear()
    site_read.clear()
    jobs = engine.plan_pages(watched, pages)
    assert len(jobs) > 10 and {"title", "tags", "date", "translation_of"} <= set(read)  # it did read articles
    assert set(read) - {"state"} <= set(PLANNED), "planning reads a field plans.PLANNED leaves out"
    assert set(site_read) <= SITE_READ_BY_PLANNING


@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The families of pages planned whole by the builds (an article's page alone is not recorded)."""
    families: list[str] = []
    real = engine.page_families

    def recorded(site, pages, only=None):  # noqa: ANN001, ANN202 - page_families'
        found = real(site, pages, only)
        return {family: (lambda family=family, plan=plan: (families.append(family), plan())[1])
                for family, plan in found.items()}

    monkeypatch.setattr(engine, "page_families", recorded)
    return families


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _first_paragraph(path: Path) -> str:
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    return next(line for line in body.splitlines() if line.strip() and not line.startswith("#"))


def test_an_edit_of_a_body_plans_only_the_families_of_the_pages_it_renders(tmp_path: Path,
                                                                          planned: list[str]) -> None:
    root = _hub(tmp_path)
    built_recording(root, planned)
    assert set(planned) == {"article", "page", "home", "taxonomy", "archive", "other"}  # a first build plans all
    article = root / "content" / "en" / "shared-garden.md"
    line = _first_paragraph(article)
    _edit(article, line, line + " One more sentence, read again.")
    again = built_recording(root, planned)
    assert "article" not in again and "other" not in again  # its page and its neighbours', planned alone
    assert "One more sentence, read again." in (root / "site" / "shared-garden" / "index.html").read_text(
        encoding="utf-8")
    same_as_a_build_without_cache(root, tmp_path)


def test_a_new_title_plans_every_page_again(tmp_path: Path, planned: list[str]) -> None:
    root = _hub(tmp_path)
    built_recording(root, planned)
    _edit(root / "content" / "en" / "shared-garden.md", "title: \"The", "title: \"Renamed, the")
    assert "article" in built_recording(root, planned)  # a title shows on lists and neighbours: all planned
    same_as_a_build_without_cache(root, tmp_path)


def test_a_kept_plan_that_does_not_match_the_page_planned_again_is_not_trusted(
        tmp_path: Path, planned: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = _hub(tmp_path)
    built_recording(root, planned)
    real = engine.recall_plans

    def tampered(cache: RenderCache, key: str):  # noqa: ANN202 - recall_plans'
        found = real(cache, key)
        assert found is not None
        # as if planning read something the key left out: every page's plan differs from what it plans now
        return [plan._replace(plan="0" * 64) for plan in found]

    monkeypatch.setattr(engine, "recall_plans", tampered)
    article = root / "content" / "en" / "shared-garden.md"
    line = _first_paragraph(article)
    _edit(article, line, line + " Edited again.")
    assert "article" in built_recording(root, planned)  # the page planned again did not match: all planned
    same_as_a_build_without_cache(root, tmp_path)


def test_a_damaged_kept_plan_is_not_used(tmp_path: Path) -> None:
    cache = open_render_cache(tmp_path)
    cache.put("page-plans|k", "[not json")
    assert recall_plans(cache, "k") is None
    cache.put("page-plans|k", '[["a.md"], [["a/", "article", 3, "plan", []]]]')  # an index out of range
    assert recall_plans(cache, "k") is None
    plans = [engine.PagePlan("a/", "article", "a.md", "p1", ("b.md",)), engine.PagePlan("", "home", "", "p2",
                                                                                         ("a.md", "b.md"))]
    keep_plans(cache, "good", plans)
    assert recall_plans(cache, "good") == plans
    keep_plans(cache, "k", plans)  # the damaged plan met was forgotten: the build that plans again keeps its own
    assert recall_plans(cache, "k") == plans


@pytest.mark.parametrize("name", ["basic", "bilingual"])
def test_a_list_page_asked_for_alone_is_planned_as_among_all(tmp_path: Path, name: str) -> None:
    root = _hub(tmp_path, name)
    site, _, _ = load_site(open_project(root, BuildRequest(now=NOW)), load_ledgers(root).permalinks)
    theme = load_theme(site.config.theme, root)
    pages = engine._pages(site, theme, theme.static_files())
    whole = [(family, job) for family, job in engine.plan_pages(site, pages)
             if family in ("home", "taxonomy", "archive")]
    later = [job.path for _, job in whole if listings.list_base(job.path) != job.path]  # lists' later pages
    assert later and any(job.path.startswith("en/") for _, job in whole) == (name == "bilingual")
    plan_of = {job.path: engine._plan_of("", family, job) for family, job in whole}
    for family, job in whole:  # each page alone: the same plan, and no other page
        alone = list(engine.page_families(site, pages, {job.path})[family]())
        assert [engine._plan_of("", family, found) for found in alone] == [plan_of[job.path]], job.path
    asked = {later[0], later[-1], "archive/", "tags/"} & set(plan_of)
    for family in ("home", "taxonomy", "archive"):
        found = [j.path for j in engine.page_families(site, pages, asked)[family]()]
        assert found == [j.path for f, j in whole if f == family and j.path in asked]


@pytest.mark.parametrize(("path", "base"), [("tags/a/", "tags/a/"), ("tags/a/page/3/", "tags/a/"),
                                            ("tags/page/", "tags/page/"), ("tags/page/page/2/", "tags/page/"),
                                            ("en/authors/x/page/12/", "en/authors/x/")])
def test_the_first_page_of_a_list_stands_for_all_its_pages(path: str, base: str) -> None:
    assert listings.list_base(path) == base


def test_the_kept_plans_key_reads_every_planned_field(tmp_path: Path) -> None:
    import datetime as dt

    from cmhub.site.builtin.plans import plans_key

    root = _hub(tmp_path, "basic")
    site, _, _ = load_site(open_project(root, BuildRequest(now=NOW)), load_ledgers(root).permalinks)
    first = site.shown[0]
    other = {str: "x", tuple: ("x",), bool: True, dt.datetime: first.date - dt.timedelta(days=1)}
    before = plans_key(site, "base")
    for name in PLANNED:
        value = getattr(first, name)
        changed = other[type(value)] if value is not None else first.date + dt.timedelta(days=3650)
        if changed == value:
            changed = value + "y" if isinstance(value, str) else changed
        article = dataclasses.replace(first, **{name: changed})
        moved = dataclasses.replace(site, articles=tuple(article if a is first else a for a in site.articles))
        assert plans_key(moved, "base") != before, f"plans_key does not read {name}"
