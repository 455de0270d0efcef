"""Digests of what an output file is made from: a file whose digest did not change is kept as it is."""

from __future__ import annotations

import dataclasses
import hashlib

from cmhub import __version__
from cmhub.models import Article, Site


class ArticleDigests:
    """The digest of each article of one build, computed once however many outputs show it."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}

    def __call__(self, article: Article) -> str:
        """Return a digest of every field of ``article``, and of its cover file's size."""
        found = self._known.get(article.source)
        if found is None:
            hashed = hashlib.sha256()
            for name in _ARTICLE_FIELDS:
                part = getattr(article, name)
                # besides the text fields, an article holds dates, tuples and small frozen dataclasses,
                # whose repr says all they hold
                hashed.update(part.encode() if isinstance(part, str) else repr(part).encode())
                hashed.update(b"\0")
            if article.image is not None and article.image.source is not None:
                hashed.update(str(_size(article.image.source)).encode())
            found = self._known[article.source] = hashed.hexdigest()
        return found


def site_digest(site: Site) -> str:
    """Return a digest of what every output shares: cmhub's version, site.yml, the preview switches."""
    return hashlib.sha256(f"{__version__}|{site.config!r}|{site.preview!r}".encode()).hexdigest()


def _size(path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


_ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article))
