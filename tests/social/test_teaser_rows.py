"""An article's teasers are kept in the build cache as plain rows (cmhub/social/teasers.py): read back
through the cache's codec, they are the very teasers that were made; rows of another shape are a miss."""

from __future__ import annotations

import shutil

import pytest

from cmhub.commands.syndicate import syndicate_project
from cmhub.incremental.codec import dumps, loads
from cmhub.settings.request import BuildRequest
from cmhub.social.teasers import as_rows, from_rows
from tests.conftest import NOW, SITES


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - (site, teasers)
    root = tmp_path_factory.mktemp("rows") / "hub"
    shutil.copytree(SITES / "basic", root, ignore=shutil.ignore_patterns("expected"))
    with (root / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write('networks:\n  x: "@voix"\n  mastodon: "@voix@piaille.example"\n  linkedin: "voix"\n'
                     '  pinterest: "voix"\n  bluesky: {handle: "voix.bsky.social", reminders: [7d]}\n')
    site, social = syndicate_project(root, BuildRequest(now=NOW))
    return site, social.teasers


def test_rows_read_back_through_the_cache_are_the_teasers_made(made) -> None:  # noqa: ANN001
    site, teasers = made
    articles = {a.source: a for a in site.articles}
    for source in {t.source for t in teasers}:
        own = [t.__class__(**{**t.__dict__, "media": None}) for t in teasers if t.source == source]
        back = from_rows(loads(dumps(as_rows(own))), articles[source])
        assert back is not None
        assert [repr(t) for t in back] == [repr(t) for t in own]  # the digests of outputs read repr
        assert [type(t.at.tzinfo) for t in back] == [type(t.at.tzinfo) for t in own]
    assert {"launch", "reminder-1"} <= {t.variant for t in teasers}  # LinkedIn's reminders are kept too


@pytest.mark.parametrize("damage", ["shorter", "a number as text", "a tuple", "a bool for a number", "not a list"])
def test_rows_of_another_shape_are_a_miss(made, damage: str) -> None:  # noqa: ANN001
    site, teasers = made
    article = next(a for a in site.articles if a.source == teasers[0].source)
    rows = loads(dumps(as_rows([t for t in teasers if t.source == article.source])))
    row = rows[0]
    if damage == "shorter":
        row.pop()
    elif damage == "a number as text":
        row[10] = str(row[10])
    elif damage == "a tuple":
        row[6] = tuple(row[6])
    elif damage == "a bool for a number":
        row[11] = True
    else:
        rows = {"rows": rows}
    assert from_rows(rows, article) is None
