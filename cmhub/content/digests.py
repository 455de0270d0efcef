"""The digests of articles and of the settings every output shares, for the keys of reused outputs
(cmhub.incremental.reuse)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from cmhub.content.model import Article, Site
from cmhub.incremental.reuse import digest, digest_of


class ArticleDigests:
    """The digest of each article of one site, computed once however many outputs show it.

    Known by the article object itself: an article changed with ``dataclasses.replace`` is a new
    object, digested again.
    """

    def __init__(self) -> None:
        self._known: dict[int, tuple[Any, str]] = {}

    def know(self, article: Article, made_from: str) -> None:
        """Take ``made_from`` as the digest of ``article``: a digest of everything the article was made
        from (its text's and body's cache keys, what its links found, its place and cover), which the
        reader has at hand, instead of one of every field it holds."""
        self._known[id(article)] = (article, "made:" + made_from)

    def made(self, article: Article) -> str | None:
        """Return the digest of what ``article`` was made from, when the reader told it (``know``), else None."""
        found = self._known.get(id(article))
        return found[1] if found is not None and found[0] is article and found[1].startswith("made:") else None

    def __call__(self, article: Article) -> str:
        """Return a digest of every field of ``article``, and of its cover file's size."""
        found = self._known.get(id(article))
        if found is not None and found[0] is article:
            return found[1]
        # besides the text fields, an article holds dates, tuples and small frozen dataclasses,
        # whose repr says all they hold
        parts = [getattr(article, item.name) for item in dataclasses.fields(article)]
        if article.image is not None and article.image.source is not None:
            parts.append(_size(article.image.source))
        found_digest = digest_of(parts)
        self._known[id(article)] = (article, found_digest)  # holding the article keeps its id from being reused
        return found_digest


def site_digest(site: Site) -> str:
    """Return a digest of what every output shares: cmhub's version, site.yml, the preview switches."""
    return digest(site.config, site.preview)


def fields_of(names: Sequence[str]) -> Any:
    """Return what reads the fields ``names`` of an article, as a tuple."""
    return operator.attrgetter(*names) if len(names) > 1 else (lambda article: (getattr(article, names[0]),))


def row_text(values: Iterable[object]) -> str:
    """Return fields' values as one text: an instant by its ISO form with its offset, anything else by its repr
    (texts quoted and escaped: no two rows alike)."""
    instant = dt.datetime
    return "".join([f"{value.isoformat()}|" if type(value) is instant else repr(value) for value in values])



def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1
