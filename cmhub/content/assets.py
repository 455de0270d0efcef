"""Which files of content/ the site serves: all of them, except those that only unpublished articles use.

A file is withheld when an article the build does not show (a draft, a scheduled or an expired
article) *mentions* it anywhere in its text, in any form: a Markdown link or image (relative or
from the site root), raw HTML (``<img src>``, ``<a href>``, ``srcset``...), ``image:`` or
``syndicate.<network>.image`` in the front matter, even a plain mention of its name. Mentions are
found by name, generously (a file whose name an unpublished article contains is held back), so
that no way of pointing at a file lets it through.

A withheld file is still published when a shown article *uses* it (its links and images, its
cover and its teasers' pictures, raw HTML included) or when site.yml does (``logo``, authors'
``avatar``). Files nothing mentions (a PDF, ``CNAME``, a favicon) are published as they are.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from cmhub.content.model import Asset
from cmhub.markdown.renderer import REFERENCE

if TYPE_CHECKING:
    from cmhub.settings.config import SiteConfig

_STOPS = r"\s\"'<>()\[\]{}|\\^`,"
_TOKEN = re.compile(rf"[^{_STOPS}]+")
"""A run of characters that can be part of a path written in Markdown, HTML or YAML (only runs holding a
'/' or a '.' are looked at: there are thousands of plain words, and no file is named by one alone...)"""
_TAG = re.compile(r"<[A-Za-z][^<>]*>")
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)>]+?)>?\s*(?:\)|\s[\"'(])")
"""... except as the target of a Markdown link or image: '[the licence](LICENSE)'."""
_TRAILING = ".:!?*#=&+"


class Mentions:
    """Every name and path the unpublished articles mention (decoded from HTML and URL escapes)."""

    def __init__(self) -> None:
        self.found: set[str] = set()
        self.texts: list[str] = []
        """The decoded texts, for names with white space (which the tokens split)."""

    def add(self, text: str, found: Iterable[str] | None = None) -> None:
        """Note what one unpublished article's text (front matter and body) mentions (``found``: what
        ``mentioned(text)`` returned for that very text, if known)."""
        self.texts.append(text)
        self.found.update(mentioned(text) if found is None else found)

    def point_at(self, path: str) -> bool:
        """Tell whether the mentions may point at the file of content/ at ``path``."""
        name = path.rsplit("/", 1)[-1]
        if path in self.found or name in self.found:
            return True
        if name == "index.html" and path[: -len("index.html")].rstrip("/") in self.found:
            return True
        if not any(c.isspace() for c in name):
            return False
        escaped = (name, name.replace(" ", "%20"), name.replace(" ", "&#32;"))
        return any(form in text for text in self.texts for form in escaped)


class Pointers:
    """The files of content/ that one unpublished article's mentions may point at, as Mentions.point_at tells
    for the texts of all of them together: what the snapshot keeps of each (cmhub.content.snapshot)."""

    def __init__(self, files: Iterable[str]):
        self.paths = set(files)
        self.by_name: dict[str, list[str]] = {}
        self.folders: dict[str, list[str]] = {}
        """The files named index.html, by the folder that holds them (a mention of the folder points at them)."""
        self.spaced: list[str] = []
        """The files whose name has white space: looked for in the text itself."""
        for path in sorted(self.paths):
            name = path.rsplit("/", 1)[-1]
            self.by_name.setdefault(name, []).append(path)
            if name == "index.html":
                self.folders.setdefault(path[: -len("index.html")].rstrip("/"), []).append(path)
            if any(c.isspace() for c in name):
                self.spaced.append(path)

    def of(self, found: Iterable[str], text: str) -> tuple[str, ...]:
        """Return, in order, the files a text points at (``found``: what ``mentioned(text)`` returned)."""
        hit: set[str] = set()
        for token in found:
            if token in self.paths:
                hit.add(token)
            hit.update(self.by_name.get(token, ()))
            hit.update(self.folders.get(token, ()))
        if self.spaced:
            alone = Mentions()
            alone.add(text, found)
            hit.update(path for path in self.spaced if alone.point_at(path))
        return tuple(sorted(hit))


def mentioned(text: str) -> set[str]:
    """Return every name and path a text mentions (see Mentions)."""
    found: set[str] = set()
    tokens = [token for word in text.split() if "." in word or "/" in word
              for token in _TOKEN.findall(word) if "." in token or "/" in token]
    tokens += _LINK_TARGET.findall(text)
    for tag in _TAG.findall(text) if "<" in text else ():  # raw HTML: src, href, srcset...
        tokens += (next(g for g in m.groups() if g is not None) for m in REFERENCE.finditer(tag))
    for token in tokens:
        if "&" in token:  # HTML escapes ('img&#47;plan.png')
            token = html.unescape(token)
        if "%" in token:  # URL escapes ('plan%20b.png')
            token = unquote(token)
        for candidate in (token, token.rstrip(_TRAILING)):
            path = candidate.split("?", 1)[0].split("#", 1)[0].strip("/")
            if path:
                found.add(path)
                found.add(path.rpartition("/")[2])
    return found


def references(values: Iterable[str], source_dir: str, base_path: str, files: Mapping[str, Path]) -> set[str]:
    """Return the files of content/ that an article's rendered HTML points at (raw HTML included), from
    the values of its attributes that may (its rendering's ``references``)."""
    used: set[str] = set()
    for value in values:
        for item in value.split(","):  # a srcset lists "url width" pairs
            parts = item.split()
            if parts:
                path = _content_path(parts[0], source_dir, base_path)
                if path is not None and path in files:
                    used.add(path)
    return used


def _content_path(url: str, source_dir: str, base_path: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        return path[len(base_path):] if path.startswith(base_path) else path.lstrip("/")
    joined = posixpath.normpath(posixpath.join(source_dir, path))
    return None if joined.startswith("..") else joined


class Withheld:
    """The files of content/ that unpublished articles mention, less those a shown article or site.yml uses."""

    def __init__(self, files: Mapping[str, Path], mentions: Mentions):
        self._hold(files, {path for path in files if mentions.point_at(path)})

    @classmethod
    def holding(cls, files: Mapping[str, Path], mentioned: Iterable[str]) -> Withheld:
        """Return the files held back before any use, as ``mentioned`` (what a snapshot kept) names them."""
        made = cls.__new__(cls)
        made._hold(files, {path for path in mentioned if path in files})
        return made

    def _hold(self, files: Mapping[str, Path], held: set[str]) -> None:
        self.files = files
        self.held = held
        self.mentioned = frozenset(held)
        """The files withheld before any use: those the unpublished articles mention."""
        names = sorted({path.rsplit("/", 1)[-1] for path in held}, key=len, reverse=True)
        self._names = re.compile("|".join(re.escape(n) for n in names)) if names else None

    def __bool__(self) -> bool:
        return bool(self.held)

    def use(self, paths: Iterable[str]) -> None:
        """Publish these files after all: a shown article or site.yml uses them."""
        self.held.difference_update(paths)

    def use_html(self, values: Sequence[str], source_dir: str, base_path: str) -> None:
        """Publish the withheld files a shown article's HTML points at (raw HTML included), from the values
        of its attributes that may (its rendering's ``references``)."""
        # a value that points at a file holds the file's name once its URL escapes are decoded
        if self._names is not None and self.held and any(self._names.search(unquote(v)) for v in values):
            self.use(references(values, source_dir, base_path, self.files))

    def published_by(self, paths: Iterable[str], values: Sequence[str], source_dir: str,
                     base_path: str) -> tuple[str, ...]:
        """Return, sorted, the mentioned files that one shown article's uses publish (``paths``, as ``use``
        takes them, ``values``, as ``use_html`` does): what it changes of the assets, whatever the others use."""
        found = {path for path in paths if path in self.mentioned}
        if self._names is not None and any(self._names.search(unquote(v)) for v in values):
            found.update(path for path in references(values, source_dir, base_path, self.files)
                         if path in self.mentioned)
        return tuple(sorted(found))

    def assets(self) -> tuple[Asset, ...]:
        """Return the files of content/ to copy to the site."""
        return tuple(Asset(path=path, source=source) for path, source in sorted(self.files.items())
                     if path not in self.held)


def used_by_settings(config: SiteConfig, files: Mapping[str, Path]) -> set[str]:
    """Return the files of content/ that site.yml uses: the logo and the authors' avatars."""
    wanted = [config.logo, *(author.avatar for author in config.authors.values())]
    return {path.lstrip("/") for path in wanted if path and path.lstrip("/") in files}
