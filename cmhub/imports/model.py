"""What every importer reads an export into: items, their media, and where each came from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from cmhub.core.errors import Problem

SOURCES = ("instagram", "facebook", "wordpress", "feed")
"""The sources `cmhub import` reads; each is also the default sub-folder of content/."""



@dataclass(frozen=True)
class Where:
    """A place in the export, for messages: a file and, when known, a line."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Media:
    """A picture, video or other file that an item shows."""

    reference: str
    """Where it is: an entry of the export (Instagram, Facebook) or a URL (WordPress, feeds)."""
    kind: str = "image"
    """'image', 'video' or 'file'."""
    alt: str = ""
    """Alt text, when the export has one (Meta's exports never do)."""
    caption: str = ""


@dataclass(frozen=True)
class Item:
    """One post, page or feed entry, read from an export and ready to become an article."""

    source: str
    """'instagram', 'facebook', 'wordpress' or 'feed'."""
    id: str
    """Stable within its export (a timestamp, a WordPress post id, a feed entry id); no white space."""
    title: str
    date: dt.datetime
    """The original publication instant, in the hub's time zone."""
    where: Where
    words: int
    """Words of text, without hashtags, mentions and links (what --min-words counts)."""
    text: str = ""
    """Plain text body (Instagram and Facebook captions), repaired and exact."""
    html: str = ""
    """HTML body (WordPress, feeds)."""
    media: tuple[Media, ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    """Shared links (URL, name), shown after the text."""
    cover: Media | None = None
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    """Author ids of site.yml."""
    summary: str = ""
    aliases: tuple[str, ...] = ()
    canonical: str = ""
    slug: str = ""
    """The slug the platform gave it (WordPress), else empty: made from the title."""
    origin: tuple[tuple[str, str], ...] = ()
    """What `imported_from:` records (network, id, URI or URL...), in order."""
    urls: tuple[str, ...] = ()
    """URLs or URIs that name this item in a --select file."""
    page: bool = False
    """A page (WordPress): written as ``type: page``, without date, tags, categories or authors."""
    locked: bool = False
    """True when the item must stay a draft even with --publish (WordPress drafts, private posts)."""
    draft_reason: str = ""
    """Why a locked item stays a draft, written beside its ``draft: true``."""


class MediaStore(Protocol):
    """Where an export keeps its media, and how to copy one out."""

    def locate(self, reference: str) -> Located:
        """Return where the media named ``reference`` is, if it is anywhere."""

    def copy(self, key: str, target: Path) -> None:
        """Copy the media found as ``key`` to ``target`` (a new file)."""


@dataclass(frozen=True)
class Located:
    """The answer of MediaStore.locate."""

    key: str | None = None
    """What to pass to MediaStore.copy; None when there is nothing to copy."""
    missing: str = ""
    """Why a media the article needs cannot be found ('' when it is found, or is a link to keep)."""
    remote: bool = False
    """True for a media that could be copied but stays a link to where it was (no --uploads given)."""


@dataclass(frozen=True)
class Export:
    """Everything read from one export: its items, its media, and what the reader noticed."""

    source: str
    items: tuple[Item, ...]
    media: MediaStore
    notes: tuple[Problem, ...] = ()
    """Warnings about the export itself (skipped entries, unknown authors...)."""
    skipped: tuple[tuple[str, int], ...] = ()
    """What was left out while reading, and how many (('attachments', 12), ('empty posts', 3))."""
    tips: tuple[str, ...] = field(default=())
    """Lines of advice to print after the summary (the site.yml snippet for unknown authors...)."""


def with_id(item: Item, new_id: str) -> Item:
    """Return an item under another id (the second of two posts of the same second gets '-2')."""
    origin = tuple((key, new_id if key == "id" else value) for key, value in item.origin)
    return replace(item, id=new_id, origin=origin)


def site_path(url: str, old_site: str, hub_base: str) -> str | None:
    """Return the hub site path that answers an old URL ('/2019/03/slug/'), or None when it is not the old site's.

    The old URL's path is kept whole (a blog at /blog/ keeps /blog/ in its aliases), less the hub's
    own base path when the hub lives under one.
    """
    prefix = old_site.rstrip("/")
    if not prefix or not (url == prefix or url.startswith(prefix + "/")):
        return None
    path = unquote(urlsplit(url).path) or "/"
    if hub_base != "/" and path.startswith(hub_base):
        path = "/" + path[len(hub_base):]
    return path
