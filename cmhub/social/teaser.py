"""One teaser, and how the build cache keeps an article's teasers: their rows, and their texts apart,
read on first use."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from cmhub.content.model import Article
from cmhub.core.frozen import LATER


@dataclass(frozen=True)
class Media:
    """A picture attached to a teaser: a crop of the cover, or a generated text card."""

    path: str
    """Path inside social/ ('media/mon-article-1200x630.jpg')."""
    alt: str
    width: int
    height: int
    url: str = ""
    """Public URL of this picture in site/ (under /_social/) once its article is published, else ''."""


@dataclass(frozen=True)
class Teaser:
    """One ready-to-post message for one network about one article."""

    network: str
    account: str
    source: str
    slug: str
    title: str
    """The article title; Pinterest's pin title (cut to its 100 characters)."""
    text: str
    link: str
    """The tracked link to the article (UTM parameters)."""
    link_text: str
    """The link as it shows in the text ('' when the link is not in the text)."""
    hashtags: tuple[str, ...]
    first_comment: str
    thread: tuple[str, ...]
    at: dt.datetime
    """When the teaser is meant to go out (site time zone)."""
    length: int
    limit: int
    written: bool
    """True when the author wrote the text in the front matter."""
    media: Media | None = None
    variant: str = "launch"
    """'launch', or 'reminder-1', 'reminder-2'... for later shares."""
    explicit: bool = False
    """True when the front matter fixes the time (``syndicate.<network>.at``)."""

    def __getattr__(self, name: str) -> object:
        """Return a text of a teaser read back from the build cache, read on first use (see from_rows)."""
        if name not in _TEXTS or LATER not in self.__dict__:
            raise AttributeError(name)
        _fill(self)
        return self.__dict__[name]


_ROW = ("network", "account", "variant", "at", "length", "limit", "written", "explicit")
"""What the build cache keeps of each teaser of an article in one entry, in this order: what the plan, the
calendar's keys and the pictures read of every teaser. Its source and slug are the article's; it has no
picture yet (Teaser.media is set later, by cmhub.social.step)."""
_ROW_TYPES = [str, str, str, dt.datetime, int, int, bool, bool]
_TEXTS = ("title", "text", "link", "link_text", "hashtags", "first_comment", "thread")
"""What it keeps of them in a second entry, read only when a teaser's text is asked for: after an edit, the
files that show the texts of the other articles' teasers are kept as they are, and at 10,000 articles
decoding these texts (39 MB) was most of the cost of reading the teasers back."""
_TEXT_TYPES = [str, str, str, str, list, str, list]


def as_rows(teasers: Sequence[Teaser]) -> list[list[object]]:
    """Return an article's teasers as the build cache keeps them: a plain list per teaser (the cache's JSON
    reads lists without a tagged value per teaser and per tuple), without their texts (``as_texts``)."""
    return [[getattr(t, name) for name in _ROW] for t in teasers]


def as_texts(teasers: Sequence[Teaser]) -> list[list[object]]:
    """Return the texts of an article's teasers as the build cache keeps them, a plain list per teaser."""
    return [[list(v) if type(v) is tuple else v for v in (getattr(t, name) for name in _TEXTS)] for t in teasers]


class _Texts:
    """The texts of an article's teasers, as the build cache holds them (JSON bytes) until one is asked for."""

    def __init__(self, data: object, count: int):
        self.data, self.count = data, count

    def row(self, index: int) -> list[object]:
        data = self.data
        if type(data) is not list:
            try:
                data = json.loads(data)  # type: ignore[arg-type]
            except (ValueError, TypeError):
                data = None
        if not _texts_fit(data, self.count):  # sealed by this machine with its rows: our bug
            raise RuntimeError(f"the build cache holds texts of another shape for these teasers: {data!r:.200}")
        self.data = data
        return data[index]  # type: ignore[index]


def _texts_fit(data: object, count: int) -> bool:
    return type(data) is list and len(data) == count and all(
        type(row) is list and list(map(type, row)) == _TEXT_TYPES
        and all(type(part) is str for part in (*row[4], *row[6])) for row in data)


def from_rows(rows: object, article: Article, texts: object) -> list[Teaser] | None:
    """Return the teasers ``as_rows`` kept for ``article``, their texts read from ``texts`` (what
    ``as_texts`` made, as the build cache holds it) on first use; None when ``rows`` are not such rows
    or there are no texts."""
    if type(rows) is not list or texts is None:
        return None
    for row in rows:
        if type(row) is not list or list(map(type, row)) != _ROW_TYPES:
            return None
    later = _Texts(texts, len(rows))
    source, slug = article.source, article.slug
    made = []
    for index, row in enumerate(rows):
        teaser = object.__new__(Teaser)  # as the cache's codec makes a dataclass: no __init__ to run again
        state = teaser.__dict__
        state.update(zip(_ROW, row, strict=True))
        state.update(source=source, slug=slug, media=None)
        state[LATER] = (later, index)
        made.append(teaser)
    return made


def _fill(teaser: Teaser) -> None:
    """Give a teaser read back from the build cache its texts (those it was not given since)."""
    state = teaser.__dict__
    later = state.pop(LATER, None)
    if later is None:
        return
    holder, index = later
    for name, value in zip(_TEXTS, holder.row(index), strict=True):
        state.setdefault(name, tuple(value) if type(value) is list else value)
