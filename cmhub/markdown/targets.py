"""What links inside articles may lead to: article targets, a body's link context, the issues found."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

EXTERNAL_LINK = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#)")


@dataclass(frozen=True)
class LinkTarget:
    """Where a link to another article's Markdown file leads."""

    path: str
    """Site path of the article page."""
    shown: bool
    """False when the target is a draft or scheduled: the link is then left out."""


UNREAD = LinkTarget("", False)
"""The target of a link to an article file that could not be read (its mistake is reported instead)."""


@dataclass(frozen=True)
class LinkContext:
    """What the renderer needs to resolve one article's relative links."""

    source_dir: str
    """Folder of the article inside content/ ('' or 'guides')."""
    base_path: str
    """URL path of the site root ('/' or '/blog/')."""
    articles: Mapping[str, LinkTarget]
    """Content-relative path of each article file -> its target."""
    files: frozenset[str]
    """Content-relative paths of every other file under content/."""


@dataclass(frozen=True)
class LinkIssue:
    """A link that the author should fix (kind 'error') or know about (kind 'warning')."""

    target: str
    message: str
    kind: str = "error"


class LazyTargets(Mapping[str, LinkTarget]):
    """Every article's link target by its path under content/, made when a body first looks one up: a body
    read again alone that links to no article (most edits) never makes the 10,000 of a large hub
    (cmhub/content/snapshot.py)."""

    def __init__(self, make: Callable[[], dict[str, LinkTarget]]):
        self._make: Callable[[], dict[str, LinkTarget]] | None = make
        self._found: dict[str, LinkTarget] = {}

    def _all(self) -> dict[str, LinkTarget]:
        if self._make is not None:
            self._found, self._make = self._make(), None
        return self._found

    def __getitem__(self, name: str) -> LinkTarget:
        return self._all()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())
