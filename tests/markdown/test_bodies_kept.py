"""A rendered body is kept in the build cache as two entries, its HTML apart and decoded on first use
(cmhub/markdown/bodies.py): read back, it is the rendering that was made, and so is the article made
from it; an article's pictures are found without decoding its HTML."""

from __future__ import annotations

import html
import pickle
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cmhub.content.model import Site
from cmhub.content.reader import read_content
from cmhub.core.dates import build_now
from cmhub.core.frozen import LATER, replaced
from cmhub.incremental.cache import open_render_cache
from cmhub.incremental.codec import dumps, loads
from cmhub.markdown.bodies import keep, recalled
from cmhub.markdown.renderer import Renderer, img_sources
from cmhub.markdown.targets import LinkContext
from cmhub.settings.config import load_config
from cmhub.site.pictures import BodyPictures, picture_files
from tests.conftest import NOW, SITES

BODY = ("Un **début** : court.\n\n<!-- more -->\n\n![Logo](images/logo.png)\n\n"
        'Et du HTML brut : <img src="/blog/images/a&amp;b.png" alt="x"> puis <img alt="sans adresse">.\n')
CONTEXT = LinkContext("", "/blog/", {}, frozenset({"images/logo.png"}))


def _saved_and_opened(root: Path, rendered) -> object:  # noqa: ANN001 - the cache as the next build opens it
    cache = open_render_cache(root)
    keep(cache, "key", rendered)
    cache.save()
    return open_render_cache(root)


def test_a_rendering_read_back_is_the_one_made_and_decodes_its_html_once_on_first_use(tmp_path: Path) -> None:
    made = Renderer().render(BODY, CONTEXT)
    cache = _saved_and_opened(tmp_path, made)
    back = recalled(cache, "key")
    assert back is not None
    assert LATER in back.__dict__ and "html" not in back.__dict__  # not decoded by reading it back
    assert back.pictures == made.pictures == ("/blog/images/logo.png", "/blog/images/a&amp;b.png")
    assert back.lookups == made.lookups and back.words == made.words and back.summary_text == made.summary_text
    holder = back.__dict__[LATER]
    assert back.html == made.html and type(back.html) is type(made.html)  # Markup stays Markup
    assert back.summary_html == made.summary_html
    assert LATER not in back.__dict__ and holder.data is None  # decoded once: the bytes are let go
    assert back == made and repr(back) == repr(made)


def test_the_cache_saves_an_html_never_decoded_as_it_was_read(tmp_path: Path) -> None:
    made = Renderer().render(BODY, CONTEXT)
    cache = _saved_and_opened(tmp_path, made)
    assert recalled(cache, "key") is not None  # read back, its HTML left undecoded
    cache.dirty.update(range(64))  # every shard written again
    cache.save()
    again = recalled(open_render_cache(tmp_path), "key")
    assert again is not None and again == made


def test_a_rendering_without_its_html_or_of_another_shape_is_a_miss(tmp_path: Path) -> None:
    made = Renderer().render(BODY, CONTEXT)
    cache = open_render_cache(tmp_path)
    cache.put("key", replaced(made, html="", summary_html=""))  # its HTML never kept
    assert recalled(cache, "key") is None
    cache.put("other", ("not", "a rendering"))
    cache.put("html|other", (made.html, made.summary_html))
    assert recalled(cache, "other") is None
    assert recalled(cache, "unknown") is None


def test_html_of_another_shape_beside_its_rendering_is_our_bug(tmp_path: Path) -> None:
    made = Renderer().render(BODY, CONTEXT)
    cache = open_render_cache(tmp_path)
    keep(cache, "key", made)
    cache.put("html|key", ["a list", 3])
    back = recalled(cache, "key")
    assert back is not None
    with pytest.raises(RuntimeError, match="HTML of another shape"):
        _ = back.html


def test_copies_pickles_and_cache_entries_of_a_rendering_not_decoded_hold_its_html(tmp_path: Path) -> None:
    made = Renderer().render(BODY, CONTEXT)
    back = recalled(_saved_and_opened(tmp_path, made), "key")
    copy = replaced(back, words=1)
    assert LATER in copy.__dict__ and copy.html == made.html and copy.words == 1
    assert pickle.loads(pickle.dumps(back)) == made
    again = recalled(_saved_and_opened(tmp_path, made), "key")
    assert loads(dumps(again)) == made  # the codec fills what is still to decode
    with pytest.raises(AttributeError):
        _ = again.not_a_field


class _Images(HTMLParser):
    """The address of each <img>, as an HTML parser reads it (entities decoded)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.found.extend(value or "" for name, value in attrs if name == "src")


@pytest.mark.parametrize("fragment", [
    "<p>No picture.</p>",
    '<p><img alt="a" src="/a.png"><img src="b.jpg" /></p>',
    '<figure><img src="/x?a=1&amp;b=2" alt="q"></figure><img alt="none">',
    '<p>text <imgx src="no.png"> <img\nsrc="/nl.png"></p>',
])
def test_img_sources_finds_what_an_html_parser_finds(fragment: str) -> None:
    parser = _Images()
    parser.feed(fragment)
    assert [html.unescape(src) for src in img_sources(fragment)] == parser.found


@pytest.fixture()
def hub(tmp_path: Path) -> Path:
    root = tmp_path / "hub"
    shutil.copytree(SITES / "basic", root, ignore=shutil.ignore_patterns("expected"))
    return root


def test_articles_read_through_the_cache_equal_a_cold_read_and_copy_their_pictures_undecoded(hub: Path) -> None:
    config = load_config(hub)
    now = build_now(NOW, config.tz)
    cold = read_content(config, now)
    cache = open_render_cache(hub)
    read_content(config, now, cache=cache)
    cache.save()
    warm = read_content(config, now, cache=open_render_cache(hub))
    assert all(LATER in a.__dict__ for a in warm.articles)  # no HTML decoded by reading
    warm_site, cold_site = (Site(config, now, content.articles, content.assets) for content in (warm, cold))
    copies = [f.path for f in picture_files(cold_site)]
    assert copies  # the cover's smaller copies (the body's picture is too small to have any)
    assert [f.path for f in picture_files(warm_site)] == copies
    in_bodies = [list(BodyPictures(site).used(a.pictures)) for site in (warm_site, cold_site) for a in site.articles]
    assert ["images/schema.png"] in in_bodies and in_bodies[:len(warm.articles)] == in_bodies[len(warm.articles):]
    assert all(LATER in a.__dict__ for a in warm.articles)  # the pictures were found without the HTML
    assert [repr(a) for a in warm.articles] == [repr(a) for a in cold.articles]
    assert warm.articles == cold.articles
