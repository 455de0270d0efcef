"""One item as an article: front matter, Markdown body, and the media files to copy beside it.

Every picture of a post is in the body, in its order, without alt text (Meta's exports carry
none): ``![](...)``, which cmhub flags (a warning; an error under ``--strict``) until a person
describes it. The first one is also offered as the cover, on a commented line (a cover shows above
the text with cmhub's theme, so it would show twice). Videos are copied and linked. A WordPress
featured image is the cover (``image:``, with its alt text). Everything written is a function of
the item and its place, so the same export gives the same bytes.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from cmhub.core.errors import Problem, error, warning
from cmhub.imports.htmlmd import html_to_markdown
from cmhub.imports.model import Export, Item, Media
from cmhub.imports.textmd import file_link_markdown, link_markdown, markdown_from_text, picture_markdown

_YAML_PLAIN = re.compile(r"[\x09\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_YAML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x85": "\\N",
                 "\u2028": "\\L", "\u2029": "\\P", "\ufeff": "\\uFEFF"}
REVIEW = "imported for review: delete this line to publish"


@dataclass(frozen=True)
class Copy:
    """A media file to copy: its key in the export's store, and its project-relative target."""

    key: str
    target: str


@dataclass(frozen=True)
class Composed:
    """An item made into an article."""

    text: str
    copies: tuple[Copy, ...]
    pictures: int
    unlabelled: int
    """Pictures without alt text."""
    videos: int
    problems: tuple[Problem, ...]
    """Media that cannot be found (errors, or warnings with --allow-missing)."""
    remote: int = 0
    """Media left as links to the old site (WordPress uploads without --uploads)."""
    draft: bool = True


def compose(item: Item, article: str, export: Export, *, publish: bool, aliases: tuple[str, ...],
            allow_missing: bool = False) -> Composed:
    """Return the article for ``item`` at the project-relative path ``article``."""
    state = _Media(item, PurePosixPath(article), export, allow_missing)
    cover = item.cover
    cover_href = state.href(cover) if cover is not None else ""
    blocks = []
    if item.html:
        blocks.append(html_to_markdown(item.html, state.resolve))
    elif item.text.strip():
        blocks.append(markdown_from_text(item.text))
    suggestion = ""
    for medium in item.media:
        href = state.href(medium)
        if href and not suggestion and medium.kind == "image" and not cover_href:
            suggestion = href
        if href:
            blocks.append(media_markdown(href, medium))
    blocks.extend(link_markdown(name or url, url) for url, name in item.links)
    front = _front_matter(item, publish, aliases, cover_href, cover.alt if cover else "", suggestion)
    body = "\n\n".join(block for block in blocks if block.strip())
    # escaped text never holds '![' (its '[' gets a backslash): every one is a picture written here
    pictures = body.count("![") + bool(cover_href)
    unlabelled = body.count("![](") + bool(cover_href and cover is not None and not cover.alt)
    return Composed(f"---\n{front}---\n{body}\n" if body else f"---\n{front}---\n", tuple(state.copies),
                    pictures, unlabelled, state.videos, tuple(state.problems), state.remote,
                    draft=item.locked or not publish)


def media_markdown(href: str, medium: Media) -> str:
    """Return the Markdown of a picture (with its caption in a figure) or a link to a video or file."""
    if medium.kind == "image":
        return picture_markdown(href, medium.alt, medium.caption)
    return file_link_markdown(href, PurePosixPath(unquote(urlsplit(href).path)).name or href)


def yaml_string(text: str) -> str:
    """Return ``text`` as a YAML double-quoted scalar that reads back identical (emoji kept as they are)."""
    out = []
    for char in text:
        if char in _YAML_ESCAPES:
            out.append(_YAML_ESCAPES[char])
        elif _YAML_PLAIN.match(char):
            out.append(char)
        else:
            code = ord(char)
            out.append(f"\\x{code:02X}" if code < 0x100 else f"\\u{code:04X}" if code < 0x10000 else f"\\U{code:08X}")
    return '"' + "".join(out) + '"'


def _front_matter(item: Item, publish: bool, aliases: tuple[str, ...], cover: str, cover_alt: str,
                  suggestion: str) -> str:
    lines = [f"title: {yaml_string(item.title)}",
             "type: page" if item.page else f"date: {item.date.replace(microsecond=0).isoformat()}"]
    if item.locked:
        lines.append(f"draft: true  # {item.draft_reason}")
    elif not publish:
        lines.append(f"draft: true  # {REVIEW}")
    if item.summary:
        lines.append(f"summary: {yaml_string(item.summary)}")
    for key, values in (("tags", item.tags), ("categories", item.categories), ("authors", item.authors)):
        if values and not item.page:  # a page is in no list: it has none of them
            lines.append(f"{key}: [{', '.join(yaml_string(v) for v in values)}]")
    if cover:
        lines.append(f"image: {yaml_string(cover)}")
        lines.append(f"image_alt: {yaml_string(cover_alt)}" +
                     ("" if cover_alt else "  # describe the picture for people who cannot see it"))
    elif suggestion:
        lines.append(f"# image: {yaml_string(suggestion)}  # the cover for teasers and link previews? "
                     "(then take it out of the text below, and describe it in image_alt)")
    if aliases:
        lines.append(f"aliases: [{', '.join(yaml_string(a) for a in aliases)}]")
    if item.canonical:
        lines.append(f"canonical: {yaml_string(item.canonical)}")
    lines.append("imported_from:")
    lines += [f"  {key}: {yaml_string(value)}" for key, value in item.origin]
    return "".join(line + "\n" for line in lines)


class _Media:
    """Plans the copies of one article's media into the folder named after it."""

    def __init__(self, item: Item, article: PurePosixPath, export: Export, allow_missing: bool):
        self.item, self.export, self.allow_missing = item, export, allow_missing
        self.folder = article.with_suffix("")
        self.copies: list[Copy] = []
        self.problems: list[Problem] = []
        self.videos = self.remote = 0
        self._names: dict[str, str] = {}

    def href(self, medium: Media) -> str:
        """Return the link to a media from the article: its copy, its URL, or '' when it is missing."""
        return self.resolve(medium.reference, medium.kind)

    def resolve(self, reference: str, kind: str) -> str:
        """Return the link to ``reference`` from the article (the html_to_markdown callback)."""
        located = self.export.media.locate(reference)
        self.videos += kind == "video" and not located.missing
        if located.remote:
            self.remote += 1
        if located.key is None:
            if not located.missing:
                return reference
            where = self.item.where
            make: Callable[..., Problem] = warning if self.allow_missing else error
            self.problems.append(make(where.path, where.line, located.missing))
            return reference if "://" in reference else ""
        if located.key not in self._names:
            name = self._name(located.key)
            self._names[located.key] = name
            self.copies.append(Copy(located.key, str(self.folder / name)))
        return f"{self.folder.name}/{self._names[located.key]}"

    def _name(self, key: str) -> str:
        """Return a file name for a copy: the original name (WordPress) or the media's number."""
        original = posixpath.basename(key)
        suffix = PurePosixPath(original).suffix.lower()
        if self.item.source in ("instagram", "facebook") or not original:
            stem = f"{len(self.copies) + 1:02d}"
        else:
            stem = re.sub(r"[^\w.-]+", "-", PurePosixPath(original).stem).strip("-.") or f"{len(self.copies) + 1:02d}"
        name, number = stem + suffix, 1
        while name in self._names.values():
            number += 1
            name = f"{stem}-{number}{suffix}"
        return name

