"""What a long-running process (`cmhub serve`) keeps in memory between builds of one hub.

Each article file's text and header key, by the file's status (read again when its size, dates or
inode change), and each article, by the digest of what it was made from (the reader's ``made_from``):
a rebuild after one edit reads and makes again that article only, and hands the others on as the
same objects (whose digests, by object, are then known at once). What one build did not use is
forgotten by the next.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cmhub.content.frontmatter import header_key
from cmhub.content.model import Article
from cmhub.content.statuses import file_status


class ReadMemo:
    """The texts and articles of the last build, for the next one (see the module's docstring)."""

    def __init__(self) -> None:
        self._texts: dict[str, tuple[tuple[object, ...], str, str]] = {}
        self._articles: dict[str, Article] = {}
        self._next_texts: dict[str, tuple[tuple[object, ...], str, str]] = {}
        self._next_articles: dict[str, Article] = {}

    def begin(self) -> None:
        """Start a build: what it does not use is forgotten when it ends (``end``)."""
        self._next_texts, self._next_articles = {}, {}

    def end(self) -> None:
        """End a build that read the whole hub: keep only what it used."""
        self._texts, self._articles = self._next_texts, self._next_articles

    def read(self, path: Path, source: str, settings: str, keyed: bool) -> tuple[str, str]:
        """Return an article file's text and its header key ('' unless ``keyed``), read and worked out
        again only when the file's status, its name in the project or ``settings`` changed.

        Raises OSError or UnicodeDecodeError as reading the file does.
        """
        status = (*file_status(path), source, settings, keyed)
        name = str(path)
        known = self._texts.get(name)
        if known is None or known[0] != status:
            text = path.read_text(encoding="utf-8-sig")
            known = (status, text, header_key(settings, source, text) if keyed else "")
        self._next_texts[name] = known
        return known[1], known[2]

    def article(self, made_from: str, make: Callable[[], Article]) -> Article:
        """Return the article made from ``made_from`` last time, else ``make()``."""
        found = self._articles.get(made_from)
        if found is None:
            found = make()
        self._next_articles[made_from] = found
        return found
