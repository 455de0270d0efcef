"""What reading content/ finds (cmhub.content.reader): its files, then the articles made from them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from cmhub.content.model import Article, Asset
from cmhub.core.errors import Problem


@dataclass(frozen=True)
class Sources:
    """The files found under content/: articles to read and other files to copy."""

    articles: tuple[Path, ...]
    files: tuple[Path, ...]
    problems: tuple[Problem, ...] = ()
    """Links that lead out of the folder, to a folder, or nowhere: never read nor published."""


@dataclass(frozen=True)
class Content:
    """Every article and file of the hub, with the problems met while reading them."""

    articles: tuple[Article, ...]
    assets: tuple[Asset, ...]
    problems: tuple[Problem, ...]
    pages: tuple[Article, ...] = ()
    """The pages (``type: page``), by slug; ``articles`` holds the posts only."""
    sources: frozenset[str] = frozenset()
    """Every article file found (project-relative), also those that could not be read: a file with a
    mistake is still there (its mistake is the one reported, not that it is gone)."""
    made_from: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """By article source, a digest of what the article was made from (with a build cache only): the cache
    keys of its text and body, what its links found, its place and its cover (see ArticleDigests.know)."""
