"""Digests of what an output file is made from: a file whose digest did not change is kept as it is."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cmhub import __version__

if TYPE_CHECKING:
    from cmhub.content.model import Article, Site

Kept = Callable[[str, str], bool] | None
"""``kept(path, key)``: whether the previous output holds ``path`` made from inputs with that key, untouched.
None: there is no previous output to keep from and no manifest to remember keys in (``--no-cache``),
so keys are not even worked out."""


class ArticleDigests:
    """The digest of each article of one site, computed once however many outputs show it.

    Known by the article object itself: an article changed with ``dataclasses.replace`` is a new
    object, digested again.
    """

    def __init__(self) -> None:
        self._known: dict[int, tuple[Any, str]] = {}

    def __call__(self, article: Article) -> str:
        """Return a digest of every field of ``article``, and of its cover file's size."""
        found = self._known.get(id(article))
        if found is not None and found[0] is article:
            return found[1]
        hashed = hashlib.sha256()
        for item in dataclasses.fields(article):
            part = getattr(article, item.name)
            # besides the text fields, an article holds dates, tuples and small frozen dataclasses,
            # whose repr says all they hold
            hashed.update(part.encode() if isinstance(part, str) else repr(part).encode())
            hashed.update(b"\0")
        if article.image is not None and article.image.source is not None:
            hashed.update(str(_size(article.image.source)).encode())
        digest = hashed.hexdigest()
        self._known[id(article)] = (article, digest)  # holding the article keeps its id from being reused
        return digest


def site_digest(site: Site) -> str:
    """Return a digest of what every output shares: cmhub's version, site.yml, the preview switches."""
    return hashlib.sha256(f"{__version__}|{site.config!r}|{site.preview!r}".encode()).hexdigest()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1
