"""The articles a snapshot keeps, in blocks of rows: read back at the cost of JSON's own decoder.

A build after an edit takes every unchanged article from the snapshot (cmhub/content/snapshot.py): 10,000
of them at 10,000 articles. Kept one by one as cache values, each came back through the cache codec's hook
about 19 times (the article, its picture, a dozen tuples and mappings), ~0.3 s in all. A *row* holds an
article's fields in a fixed order, as JSON's plain values wherever their type is known from the field
(tuples of text as lists, the picture as a list, the date as its text and zone, trusted HTML as text, an
empty mapping as null); the rest (another kind of instant, a non-empty mapping) goes through the codec as
before, so that every value reads back with its exact type. Rows are kept BLOCK articles at a time, one
cache value each, under the digest of what their articles were made from (and of the models' fields: a
cmhub whose models have other fields reads none).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from markupsafe import Markup

from cmhub.content.model import Article, Image
from cmhub.incremental.codec import type_tag, zoned, zoned_text
from cmhub.incremental.reuse import digest

BLOCK = 128
"""Articles a block holds: an edit that must keep its block anew encodes ~128 rows, not 10,000."""
FORMAT = 1


@dataclass(frozen=True)
class KeptArticle:
    """One article of a snapshot, without its HTML (the build cache keeps it under ``body_key``)."""

    article: Article
    body_key: str
    publishes: tuple[str, ...]
    """The files that unpublished articles mention and this one, shown, publishes (cmhub.content.assets)."""
    withholds: tuple[str, ...] = ()
    """The files of content/ this one, not shown, mentions (cmhub.content.assets.Pointers): it keeps them out
    of the site, unless a shown article uses them."""


LAYOUT = ("source", "title", "date", "slug", "path", "html", "summary", "summary_html", "lang", "updated",
          "expires", "draft", "kind", "tags", "categories", "authors", "image", "aliases", "canonical",
          "syndicate", "extra", "words", "reading_minutes", "lines", "translation_of", "pictures")
"""An article's fields, in a row's order (tests/content/test_kept_rows.py checks it names every field)."""
_TEXTS = frozenset({"tags", "categories", "authors", "aliases", "pictures"})
"""The fields that hold a tuple of texts: a list in a row."""
_MAPPINGS = frozenset({"syndicate", "extra"})
"""The fields that hold a read-only mapping: null when empty, else as the codec keeps it."""
_EMPTY: MappingProxyType[str, Any] = MappingProxyType({})
_PATH = type(Path("."))


def block_keys(prefix: str, made: Sequence[str]) -> list[str]:
    """Return the key of each block of the articles made from ``made`` (in the snapshot's order)."""
    shape = f"{FORMAT}|{type_tag(Article)}|{type_tag(Image)}|{type_tag(KeptArticle)}"
    return [prefix + digest(shape, *made[start:start + BLOCK]) for start in range(0, len(made), BLOCK)]


def blocks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    """Yield ``items`` BLOCK at a time, as block_keys counts them."""
    for start in range(0, len(items), BLOCK):
        yield items[start:start + BLOCK]


def row(entry: KeptArticle) -> list[Any]:
    """Return a kept article as a row (a list the cache keeps; see the module's docstring)."""
    fields = entry.article.__dict__
    found: list[Any] = []
    for name in LAYOUT:
        value = fields[name]
        if name in _TEXTS:
            value = list(_texts(value))
        elif name in _MAPPINGS and type(value) is MappingProxyType and not value:
            value = None
        elif name == "image" and type(value) is Image and (value.source is None or type(value.source) is _PATH):
            value = [value.path, value.alt, value.width, value.height,
                     None if value.source is None else str(value.source)]
        elif name == "date" and (text := zoned_text(value)) is not None:
            value = list(text)
        elif name == "summary_html":
            value = str(value) if type(value) is Markup else [value]
        elif name == "lines" and type(value) is MappingProxyType and all(type(k) is str and type(v) is int
                                                                         for k, v in value.items()):
            value = [item for pair in value.items() for item in pair]
        found.append(value)
    found += [entry.body_key, list(_texts(entry.publishes)), list(_texts(entry.withholds))]
    return found


def _texts(value: object) -> tuple[str, ...]:
    if type(value) is not tuple or not all(type(item) is str for item in value):
        raise ValueError(f"a kept article's field holds {value!r:.80}, not a tuple of texts")  # our bug
    return value


def kept(found: object) -> KeptArticle:
    """Return the kept article of a row read back from the cache (raises ValueError for anything else)."""
    try:
        return _kept(found)
    except (TypeError, IndexError, KeyError, AttributeError, OverflowError, OSError) as exc:
        # KeyError: a zone this machine does not know (a cache shared with another machine's tzdata)
        raise ValueError(f"not a row of a kept article: {exc!r}") from None


def _kept(found: object) -> KeptArticle:
    if type(found) is not list or len(found) != len(LAYOUT) + 3:
        raise ValueError("not a row of a kept article")
    fields = dict(zip(LAYOUT, found[:len(LAYOUT)], strict=True))
    for name in _TEXTS:
        fields[name] = _text_tuple(fields[name])
    date = fields["date"]
    if type(date) is list:
        fields["date"] = zoned(*date)
    summary_html = fields["summary_html"]
    if type(summary_html) is str:
        fields["summary_html"] = Markup(summary_html)
    elif type(summary_html) is list and len(summary_html) == 1:
        fields["summary_html"] = summary_html[0]
    else:
        raise ValueError("a kept article's summary is not one")
    for name in _MAPPINGS:
        value = fields[name]
        if value is None:
            fields[name] = _EMPTY
        elif type(value) is not MappingProxyType:
            raise ValueError(f"a kept article's {name} is not a mapping")
    image = fields["image"]
    if type(image) is list:
        path, alt, width, height, source = image
        fields["image"] = Image(path, alt, width, height, None if source is None else _path(source))
    elif image is not None and type(image) is not Image:
        raise ValueError("a kept article's picture is not one")
    lines = fields["lines"]
    if type(lines) is list:
        pairs = iter(lines)
        fields["lines"] = MappingProxyType(dict(zip(pairs, pairs, strict=True)))
    elif type(lines) is not MappingProxyType:
        raise ValueError("a kept article's lines are not a mapping")
    article = object.__new__(Article)
    article.__dict__.update(fields)
    body_key, publishes, withholds = found[len(LAYOUT):]
    if type(body_key) is not str:
        raise ValueError("a kept article's body key is not a text")
    return KeptArticle(article, body_key, _text_tuple(publishes), _text_tuple(withholds))


def _path(text: str) -> Path:
    """Return the path of ``text``, one object for one text (a Path cannot change, and making one costs ~2 µs:
    articles that share a cover, as a hub's default one, share its path)."""
    found = _PATHS.get(text)
    if found is None:
        if type(text) is not str:
            raise ValueError("a kept article's picture file is not a path")
        found = _PATHS[text] = Path(text)
    return found


_PATHS: dict[str, Path] = {}


def _text_tuple(value: object) -> tuple[str, ...]:
    if type(value) is not list:
        raise ValueError("a kept article's list of texts is not a list")
    try:
        "".join(value)  # refuses anything but texts, at C speed (most lists are empty or short)
    except TypeError:
        raise ValueError("a kept article's list of texts holds something else") from None
    return tuple(value)

