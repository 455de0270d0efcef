"""One article made from its front matter and its body's rendering: what read_content (and the content's
snapshot, cmhub/content/snapshot.py) make of each file, with what it was made from and what it uses."""

from __future__ import annotations

import datetime as dt
import math
import posixpath
from collections.abc import Collection, Iterable
from pathlib import Path

from cmhub.content.assets import mentioned
from cmhub.content.frontmatter import Header
from cmhub.content.model import Article, Image, shown_states, state_at
from cmhub.core.errors import Problem, error, warning
from cmhub.core.frozen import LATER, replaced
from cmhub.core.typography import french_spacing, is_french
from cmhub.incremental.cache import RenderCache
from cmhub.incremental.reuse import digest
from cmhub.markdown.renderer import Rendered
from cmhub.settings.request import Preview

WORDS_PER_MINUTE = 220


def is_shown(header: Header, now: dt.datetime, preview: Preview) -> bool:
    """Tell whether the pages of a build at ``now`` (a preview, if asked) show the article of ``header``."""
    return state_at(header.draft, header.date, header.expires, now) in shown_states(preview)


def make_article(header: Header, slug: str, path: str, rendered: Rendered, image: Image | None) -> Article:
    """Return the article of ``header`` at its place (slug, site path), with its body's rendering and cover;
    HTML the cache holds undecoded stays so until first used."""
    summary = header.summary or rendered.summary_text
    title = header.title
    later = rendered.__dict__.get(LATER)  # its HTML not decoded yet: the article decodes it on first use
    html, summary_html = ("", "") if later is not None else (rendered.html, rendered.summary_html)
    if is_french(header.lang):  # no-break spaces before : ; ! ? and inside « » (the body has them already)
        title, summary = french_spacing(title), french_spacing(summary)
    article = Article(
        source=header.source, title=title, date=header.date,
        slug=slug, path=path, html=html,
        summary=summary, summary_html=summary_html, lang=header.lang,
        updated=header.updated, expires=header.expires, draft=header.draft, kind=header.kind,
        tags=header.tags, categories=header.categories, authors=header.authors,
        image=image, aliases=header.aliases, canonical=header.canonical,
        syndicate=header.syndicate, extra=header.extra, words=rendered.words,
        reading_minutes=max(1, math.ceil(rendered.words / WORDS_PER_MINUTE)), lines=header.lines,
        translation_of=header.translation_of, pictures=rendered.pictures,
    )
    if later is not None:
        state = article.__dict__
        del state["html"], state["summary_html"]
        state[LATER] = later
    return article


def made_from_digest(header_key: str, body_key: str, rendered: Rendered, place: tuple[str, str],
               image: Image | None, sizes: dict[Path, int]) -> str:
    """Return a digest of everything _article makes an article from: the header (its key holds the text,
    the path and site.yml), the body (its key, and what its links found: the rest of its rendering
    follows), its slug and site path, and its cover with the file's size (``sizes`` keeps those read)."""
    size = -1
    if image is not None and image.source is not None:
        if image.source not in sizes:
            try:
                sizes[image.source] = image.source.stat().st_size
            except OSError:
                sizes[image.source] = -1
        size = sizes[image.source]
    return digest(header_key, body_key, rendered.lookups, place, image, size)


def link_problems(header: Header, rendered: Rendered) -> Iterable[Problem]:
    """Yield the problems of a body's links, each at its line in the article's file."""
    for issue in rendered.issues:
        offset = header.body.find(issue.target)
        line = header.body_line + header.body.count("\n", 0, offset) if offset >= 0 else header.body_line
        make = error if issue.kind == "error" else warning
        yield make(header.source, line, issue.message)


def override_images(header: Header | Article, folder: str, files: Collection[str]) -> set[str]:
    """Return the files of content/ that an article's ``syndicate.<network>.image`` name (from its front
    matter, or the article made of it)."""
    found = set()
    for override in header.syndicate.values():
        if override.image:
            for candidate in (posixpath.join(folder, override.image), override.image.lstrip("/")):
                normal = posixpath.normpath(candidate)
                if normal in files:
                    found.add(normal)
                    break
    return found


def keep_header(cache: RenderCache, key: str, header: Header, text: str) -> None:
    """Put a parsed front matter in the build cache under ``key``: the body is the end of the text, so the
    cache keeps its length, not a second copy."""
    entry = (replaced(header, body=""), len(header.body)) if text.endswith(header.body) else header
    if not cache.holds(key) or cache.get(key) != entry:  # a file read again as it was leaves its shard be
        cache.put(key, entry)


def mentions_of(cache: RenderCache, key: str, text: str) -> tuple[str, ...]:
    """Return what an unpublished article's text mentions (cmhub.content.assets.Mentions), in order, from the
    cache when its text (``key``, its header key, holds the whole text) was read before."""
    if not key:
        return tuple(sorted(mentioned(text)))
    found = cache.get("mentions|" + key)
    if type(found) is tuple and all(type(name) is str for name in found):
        return found
    made = tuple(sorted(mentioned(text)))
    cache.put("mentions|" + key, made)
    return made
