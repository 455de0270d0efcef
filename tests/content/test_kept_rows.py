"""The snapshot's kept articles as rows: every field back with its exact value and type, anything else refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest
from markupsafe import Markup

from cmhub.content.kept_rows import BLOCK, LAYOUT, KeptArticle, block_keys, blocks, kept, row
from cmhub.content.model import Article, Image, NetworkOverride
from cmhub.incremental import codec

PARIS = ZoneInfo("Europe/Paris")


def _article(**fields: object) -> Article:
    plain = {"source": "content/a.md", "title": "Un titre", "date": dt.datetime(2026, 3, 29, 2, 30, tzinfo=PARIS),
             "slug": "un-titre", "path": "un-titre/", "html": "", "summary": "Résumé.",
             "summary_html": Markup("<p>Résumé.</p>"), "lang": "fr"}
    return Article(**{**plain, **fields})


VARIED = [
    _article(),
    _article(date=dt.datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=PARIS), tags=("a", "b"), categories=("c",),
             authors=("marie",), aliases=("/old/",), pictures=("img/x.png",), words=812, reading_minutes=4,
             updated=dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC),
             expires=dt.datetime(2027, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=-3))),
             draft=True, kind="page", canonical="https://example.org/a", translation_of="a-title",
             lines=MappingProxyType({"title": 2, "date": 3})),
    _article(image=Image("images/cover.png", "Une couverture", 1200, 800, Path("/hub/content/images/cover.png"))),
    _article(image=Image("https://example.org/c.jpg", "Distante")),
    _article(syndicate=MappingProxyType({"x": NetworkOverride(text="Court", at=dt.datetime(2026, 4, 1, tzinfo=PARIS),
                                                              thread=("un", "deux"), line=7),
                                         "linkedin": NetworkOverride(enabled=False)}),
             extra=MappingProxyType({"event": {"when": dt.date(2026, 5, 2), "places": ["Lyon", 3]}, "n": 1.5})),
    _article(summary_html="<p>plain text, not Markup</p>", lines=MappingProxyType({})),
    _article(date=dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC), kind="page"),
    _article(date=dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30), "IST"))),
]


def test_the_layout_names_every_field_of_an_article_once() -> None:
    assert sorted(LAYOUT) == sorted(f.name for f in dataclasses.fields(Article))
    assert len(set(LAYOUT)) == len(LAYOUT)


@pytest.mark.parametrize("article", VARIED, ids=range(len(VARIED)))
def test_a_row_reads_back_as_the_same_article_with_the_same_types(article: Article) -> None:
    entry = KeptArticle(article, "body-key", ("images/a.png",), ("drafts/b.png",))
    back = kept(codec.loads(codec.dumps(row(entry))))
    assert back == entry
    assert repr(back) == repr(entry)  # digests of outputs are made from repr
    for name in LAYOUT:
        assert type(getattr(back.article, name)) is type(getattr(article, name)), name
    assert back.article.date.tzinfo is article.date.tzinfo or back.article.date.tzinfo == article.date.tzinfo
    assert back.article.date.fold == article.date.fold


@pytest.mark.parametrize("damage", [
    "not a list", "short", "tags not texts", "image of four", "lines of odd length", "extra not a mapping",
    "body key not a text", "date of one part", "date in a zone unknown here", "summary of two parts",
])
def test_a_row_that_is_not_one_is_refused(damage: str) -> None:
    found = codec.loads(codec.dumps(row(KeptArticle(VARIED[2], "body-key", ()))))
    index = {name: i for i, name in enumerate(LAYOUT)}
    if damage == "not a list":
        found = {"source": "content/a.md"}
    elif damage == "short":
        found = found[:-1]
    elif damage == "tags not texts":
        found[index["tags"]] = [1]
    elif damage == "image of four":
        found[index["image"]] = found[index["image"]][:4]
    elif damage == "lines of odd length":
        found[index["lines"]] = ["title", 2, "date"]
    elif damage == "extra not a mapping":
        found[index["extra"]] = [1]
    elif damage == "date of one part":
        found[index["date"]] = found[index["date"]][:1]
    elif damage == "date in a zone unknown here":  # a cache shared with a machine of other time zone data
        found[index["date"]] = [found[index["date"]][0], "Mars/Olympus_Mons"]
    elif damage == "summary of two parts":
        found[index["summary_html"]] = ["<p>a</p>", "<p>b</p>"]
    else:
        found[len(LAYOUT)] = 3
    with pytest.raises(ValueError):
        kept(found)


def test_blocks_and_their_keys_count_alike_and_a_key_follows_what_its_articles_were_made_from() -> None:
    made = [f"made-{n}" for n in range(2 * BLOCK + 5)]
    keys = block_keys("p|", made)
    assert len(keys) == len(list(blocks(made))) == 3
    assert [len(block) for block in blocks(made)] == [BLOCK, BLOCK, 5]
    changed = block_keys("p|", [*made[:BLOCK + 1], "other", *made[BLOCK + 2:]])
    assert changed[0] == keys[0] and changed[1] != keys[1] and changed[2] == keys[2]
