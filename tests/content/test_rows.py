"""The digests of the rows that keys are made of, kept between builds by what each article was made from."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

import pytest
from markupsafe import Markup

from cmhub.content import digests as digests_module
from cmhub.content.digests import ArticleDigests, fields_of, row_text
from cmhub.content.model import Article
from cmhub.content.rows import RowDigests
from cmhub.incremental.cache import open_render_cache
from cmhub.incremental.reuse import digest

NOW = dt.datetime(2026, 11, 21, 12, tzinfo=dt.UTC)
NAMES = ("source", "title", "date", "tags")


def _articles() -> list[Article]:
    return [Article(f"content/{n}.md", f"Titre {n}", dt.datetime(2026, 1, n + 1, tzinfo=dt.UTC), f"t-{n}", f"t-{n}/",
                    "", "Résumé.", Markup("<p>Résumé.</p>"), "fr", tags=("a", f"t{n}"), draft=n == 2)
            for n in range(4)]


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """Every row of fields made (not read back)."""
    seen: list[tuple[object, ...]] = []
    real = digests_module.row_text

    def counted(values):  # noqa: ANN001, ANN202 - row_text's
        values = tuple(values)
        seen.append(values)
        return real(values)

    monkeypatch.setattr("cmhub.content.rows.row_text", counted)
    return seen


def _known(articles: list[Article]) -> ArticleDigests:
    digests = ArticleDigests()
    for article in articles:
        digests.know(article, f"made-{article.source}-{article.title}")
    return digests


def test_a_row_read_back_is_the_row_made_and_only_the_changed_articles_rows_are_made(
        tmp_path: Path, made: list[tuple[object, ...]]) -> None:
    articles = _articles()
    cache = open_render_cache(tmp_path)
    first = list(RowDigests(cache, _known(articles)).rows(articles, NAMES, NOW))
    fields = fields_of(NAMES)
    expected = [hashlib.blake2b(row_text(fields(a)).encode(), digest_size=16).hexdigest() + a.state(NOW)
                for a in articles]
    assert first == expected and len(made) == 4
    cache.save()
    made.clear()
    again = RowDigests(open_render_cache(tmp_path), _known(articles)).rows(articles, NAMES, NOW)
    assert list(again) == first and made == []  # every row read back
    changed = [*articles[:3], dataclasses.replace(articles[3], title="Autre titre")]
    cache = open_render_cache(tmp_path)
    rows = list(RowDigests(cache, _known(changed)).rows(changed, NAMES, NOW))
    assert rows[:3] == first[:3] and rows[3] != first[3] and len(made) == 1  # the changed article's row only
    cache.save()
    made.clear()
    assert list(RowDigests(open_render_cache(tmp_path), _known(changed)).rows(changed, NAMES, NOW)) == rows
    assert made == []


def test_an_article_of_unknown_origin_or_a_damaged_record_has_its_row_made(
        tmp_path: Path, made: list[tuple[object, ...]]) -> None:
    articles = _articles()
    cache = open_render_cache(tmp_path)
    first = list(RowDigests(cache, _known(articles)).rows(articles, NAMES, NOW))
    cache.save()
    made.clear()
    unknown = list(RowDigests(open_render_cache(tmp_path), ArticleDigests()).rows(articles, NAMES, NOW))
    assert unknown == first and len(made) == 4
    for bad in ({f"made-{articles[0].source}-{articles[0].title}": "short"}, ["not", "a", "mapping"]):
        cache = open_render_cache(tmp_path)
        cache.put("field-rows|" + digest(*NAMES), bad)
        made.clear()
        assert list(RowDigests(cache, _known(articles)).rows(articles, NAMES, NOW)) == first and len(made) == 4


def test_an_edit_makes_the_rows_of_the_edited_article_only(tmp_path: Path, made: list[tuple[object, ...]]) -> None:
    import shutil

    from click.testing import CliRunner

    from cmhub.cli.verbs import main
    from tests.conftest import NOW as BUILD_NOW
    from tests.conftest import SITES, same_as_a_build_without_cache

    root = tmp_path / "hub"
    shutil.copytree(SITES / "basic", root, ignore=shutil.ignore_patterns("expected"))
    build = ["build", "-C", str(root), "--now", BUILD_NOW, "-q"]
    assert CliRunner().invoke(main, build).exit_code == 0
    article = root / "content" / "troisieme.md"
    article.write_text(article.read_text(encoding="utf-8").replace("en photos", "en images"), encoding="utf-8")
    made.clear()
    assert CliRunner().invoke(main, build).exit_code == 0
    assert made and {values[0] for values in made} == {"content/troisieme.md"}  # the pages' plan's and the sitemap's
    same_as_a_build_without_cache(root, tmp_path)
