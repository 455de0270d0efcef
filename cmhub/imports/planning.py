"""Where each item goes: a file name of its own, and what a second run does with it.

A new item gets ``<date>-<slug>.md`` in the target folder (cmhub drops the leading date from the
slug), its media in the folder of the same name beside it. Its slug is the platform's (WordPress)
or made from its title, and must differ from every slug of the hub, from every other new item's
and from a few site paths cmhub uses itself: ``-2``, ``-3``... are added until it does. An item
already in the import record keeps its recorded article.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cmhub.content.reader import find_sources
from cmhub.core.urls import article_path, slug_from_filename, slugify
from cmhub.imports.model import Item
from cmhub.imports.record import Record
from cmhub.settings.config import SiteConfig

RESERVED = frozenset({"tags", "categories", "authors", "archive", "page", "calendar", "feed", "index", "assets",
                      "static", "search", "404"})
"""Slugs that would give an article the URL of a page cmhub makes."""
_SLUG_LINE = re.compile(r"^slug:[ \t]*[\"']?([a-z0-9-]+)", re.MULTILINE)
MAX_SLUG = 60


@dataclass(frozen=True)
class Placed:
    """An item and the article it has, or will have."""

    item: Item
    article: str
    """Project-relative path ('content/instagram/2019-03-05-fete.md')."""
    recorded: bool
    """True when the import record already lists the item."""
    aliases: tuple[str, ...]
    """The item's old URLs, less the one the article will have itself."""


def taken_slugs(config: SiteConfig) -> set[str]:
    """Return the slug of every article of the hub (its 'slug:' line, else its file name's)."""
    slugs = set()
    for path in find_sources(config.content).articles:
        try:
            head = path.read_text(encoding="utf-8-sig")[:4096]
        except (OSError, UnicodeDecodeError):
            head = ""
        found = _SLUG_LINE.search(head.split("\n---", 1)[0])
        slugs.add(found.group(1) if found else slug_from_filename(path.stem))
    return slugs


def place(items: Sequence[Item], record: Record, config: SiteConfig, folder: Path) -> list[Placed]:
    """Return every item with its article path, new ones with a free slug (in date order)."""
    taken = taken_slugs(config) | RESERVED
    taken |= {slug_from_filename(Path(entry.article).stem) for entry in record.values()}
    placed = []
    for item in items:
        entry = record.get((item.source, item.id))
        if entry is not None:
            slug = slug_from_filename(Path(entry.article).stem)
            placed.append(Placed(item, entry.article, True, _aliases(item, slug, config)))
            continue
        base = _base_slug(item)
        slug, number = base, 1
        while slug in taken or _exists(folder, item, slug):
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        stem = f"{item.date:%Y-%m-%d}-{slug}"
        assert slug_from_filename(stem) == slug, (stem, slug)
        article = (folder / f"{stem}.md").relative_to(config.root).as_posix()
        placed.append(Placed(item, article, False, _aliases(item, slug, config)))
    return placed


def _base_slug(item: Item) -> str:
    """Return the slug an item asks for: the platform's, else one made from its title, at most 60 characters."""
    slug = item.slug or slugify(item.title)
    if len(slug) > MAX_SLUG:
        cut = slug.rfind("-", 0, MAX_SLUG + 1)
        slug = slug[:cut if cut > MAX_SLUG // 2 else MAX_SLUG].strip("-")
    if not slug:
        slug = f"{item.source}-{hashlib.sha256(item.id.encode()).hexdigest()[:8]}"
    return slug


def _exists(folder: Path, item: Item, slug: str) -> bool:
    stem = f"{item.date:%Y-%m-%d}-{slug}"
    return (folder / f"{stem}.md").exists() or (folder / stem).exists()


def _aliases(item: Item, slug: str, config: SiteConfig) -> tuple[str, ...]:
    own = f"/{slug}/" if item.page else "/" + article_path(config.permalink, slug, item.date, config.language)
    return tuple(alias for alias in item.aliases if alias.rstrip("/") != own.rstrip("/"))
