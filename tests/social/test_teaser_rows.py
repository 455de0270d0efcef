"""An article's teasers are kept in the build cache as plain rows, their texts in a second entry read on
first use (cmhub/social/teasers.py): read back through the cache, they are the very teasers that were
made; rows of another shape, or rows without texts, are a miss."""

from __future__ import annotations

import pickle
import shutil

import pytest

from cmhub.commands.syndicate import syndicate_project
from cmhub.core.frozen import LATER, replaced
from cmhub.incremental.cache import RenderCache, open_render_cache
from cmhub.incremental.codec import dumps, loads
from cmhub.settings.request import BuildRequest
from cmhub.social.teaser import Media, as_rows, as_texts, from_rows
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


def _kept(teasers):  # noqa: ANN001, ANN202 - what the cache's file holds of them: (rows, texts as bytes)
    return loads(dumps(as_rows(teasers))), dumps(as_texts(teasers)).encode("utf-8")


def _own(teasers, source):  # noqa: ANN001, ANN202 - an article's teasers, without their pictures
    return [t.__class__(**{**t.__dict__, "media": None}) for t in teasers if t.source == source]


def test_rows_read_back_through_the_cache_are_the_teasers_made(made) -> None:  # noqa: ANN001
    site, teasers = made
    articles = {a.source: a for a in site.articles}
    for source in {t.source for t in teasers}:
        own = _own(teasers, source)
        rows, texts = _kept(own)
        back = from_rows(rows, articles[source], texts)
        assert back is not None
        assert all(LATER in t.__dict__ and "text" not in t.__dict__ for t in back)  # not read yet
        assert [repr(t) for t in back] == [repr(t) for t in own]  # the digests of outputs read repr
        assert back == own
        assert [type(t.at.tzinfo) for t in back] == [type(t.at.tzinfo) for t in own]
        assert all(LATER not in t.__dict__ for t in back)  # read once, then held
    assert {"launch", "reminder-1"} <= {t.variant for t in teasers}  # LinkedIn's reminders are kept too


def test_a_copy_pickle_or_cache_entry_of_a_teaser_not_read_yet_holds_its_texts(made) -> None:  # noqa: ANN001
    site, teasers = made
    article = next(a for a in site.articles if a.source == teasers[0].source)
    own = _own(teasers, article.source)
    rows, texts = _kept(own)
    media = Media("media/a-1200x630.jpg", "alt", 1200, 630)
    with_picture = replaced(from_rows(rows, article, texts)[0], media=media)  # as the syndication step does
    assert with_picture == replaced(own[0], media=media)
    sent = pickle.loads(pickle.dumps(from_rows(rows, article, texts)))  # as a forked process sends them
    assert sent == own
    assert loads(dumps(from_rows(rows, article, texts))) == own  # as a cache keeps a whole teaser
    changed = replaced(from_rows(rows, article, texts)[0], text="Another text")
    assert changed.text == "Another text" and changed.title == own[0].title  # a field set is not read over


@pytest.mark.parametrize("damage", ["shorter", "a number as text", "a tuple", "a bool for a number", "not a list",
                                    "no texts"])
def test_rows_of_another_shape_are_a_miss(made, damage: str) -> None:  # noqa: ANN001
    site, teasers = made
    article = next(a for a in site.articles if a.source == teasers[0].source)
    rows, texts = _kept([t for t in teasers if t.source == article.source])
    row = rows[0]
    if damage == "shorter":
        row.pop()
    elif damage == "a number as text":
        row[4] = str(row[4])
    elif damage == "a tuple":
        row[0] = (row[0],)
    elif damage == "a bool for a number":
        row[5] = True
    elif damage == "not a list":
        rows = {"rows": rows}
    else:
        texts = None
    assert from_rows(rows, article, texts) is None


def test_texts_of_another_shape_are_our_bug_when_first_read(made) -> None:  # noqa: ANN001
    # the two entries are written together and sealed with this machine's key: no user can cause this
    site, teasers = made
    article = next(a for a in site.articles if a.source == teasers[0].source)
    rows, _ = _kept([t for t in teasers if t.source == article.source])
    back = from_rows(rows, article, b'[["only a title"]]')
    assert back is not None and back[0].network == rows[0][0]  # what the plan reads needs no text
    with pytest.raises(RuntimeError, match="another shape"):
        back[0].text  # noqa: B018


def test_texts_a_build_did_not_read_are_kept_in_the_cache_as_they_were(tmp_path) -> None:  # noqa: ANN001
    cache = RenderCache(tmp_path / ".cmhub-cache" / "teasers")
    cache.put("rows", [1, 2])
    cache.put("texts", [["a", "b"]])
    cache.save()
    again = open_render_cache(tmp_path, name="teasers")
    assert again.get("rows") == [1, 2]
    held = again.raw("texts")
    assert held == dumps([["a", "b"]]).encode("utf-8")  # as the file holds it, undecoded
    again.dirty.add(next(iter({int(k[:8], 16) % 64 for k in again.stored})))  # its shard is written again
    again.save()
    third = open_render_cache(tmp_path, name="teasers")
    assert third.get("texts") == [["a", "b"]] and third.get("rows") == [1, 2]
    assert third.raw("missing") is None


def test_an_entry_kept_undecoded_then_found_unreadable_is_left_out_of_the_saved_cache(tmp_path) -> None:  # noqa: ANN001
    cache = RenderCache(tmp_path / ".cmhub-cache" / "teasers")
    cache.put("texts", [["a"]])
    cache.save()
    again = open_render_cache(tmp_path, name="teasers")
    inner = next(iter(again.stored))
    again.stored[inner] = b'{"@": "no such kind", "v": 1}'  # as written by a cmhub whose models differ
    assert again.raw("texts") is not None
    assert again.get("texts") is None  # not readable after all
    again.dirty.add(int(inner[:8], 16) % 64)
    again.save()  # no entry to keep for it
    assert open_render_cache(tmp_path, name="teasers").raw("texts") is None
