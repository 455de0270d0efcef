"""The front-matter contract: every key an article may set, read into a typed ``Header``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import frontmatter

from cmhub.content.header_values import ONE_LINE, instant_value, syndicate_overrides, text_value, words_value
from cmhub.content.model import KINDS, UNDATED, Kind, NetworkOverride
from cmhub.core.errors import CmhubError, Problem, did_you_mean, error
from cmhub.core.limits import body_problems, text_problems
from cmhub.core.urls import MAX_SEGMENT_BYTES, SLUG_RE, plain_path_problem, slug_from_filename, slugify
from cmhub.incremental.reuse import digest
from cmhub.settings.config import LANGUAGE_RE, SiteConfig
from cmhub.settings.fields import Fields
from cmhub.settings.yamlsource import Locator, load_yaml

KEYS = (
    "title", "date", "updated", "expires", "draft", "slug", "summary", "tags", "categories",
    "authors", "image", "image_alt", "lang", "aliases", "canonical", "syndicate", "extra", "imported_from",
    "translation_of",
)
POST_ONLY = ("date", "expires", "tags", "categories", "authors", "syndicate")
"""The keys a page (``type: page``) may not set: it has no date and is in no list, feed or plan."""
_HANDLER = frontmatter.YAMLHandler()
_TOP_KEY_RE = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
_READ_AS_LINES = (*ONE_LINE, "tags", "categories", "authors", "aliases")


@dataclass(frozen=True)
class Header:
    """An article's front matter, validated, with its Markdown body."""

    source: str
    title: str
    date: dt.datetime
    body: str
    body_line: int
    updated: dt.datetime | None = None
    expires: dt.datetime | None = None
    draft: bool = False
    kind: Kind = "post"
    """'post', or 'page' (``type: page``), whose ``date`` is UNDATED."""
    slug: str = ""
    """The slug the front matter gives ('' when it gives none)."""
    file_slug: str = ""
    """The slug made from the file name, used when the front matter gives none."""
    summary: str = ""
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    image: str = ""
    image_alt: str | None = None
    lang: str = ""
    aliases: tuple[str, ...] = ()
    canonical: str = ""
    syndicate: Mapping[str, NetworkOverride] = field(default_factory=lambda: MappingProxyType({}))
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    warnings: tuple[Problem, ...] = ()
    translation_of: str = ""
    """The slug of the article this one translates ('' for an original)."""


def split_front_matter(text: str, source: str) -> tuple[str, int, str, int]:
    """Return (front matter, its first line, body, body's first line) of an article text.

    Raises CmhubError when the file has no front matter or does not close it.
    """
    if not _HANDLER.detect(text):
        raise CmhubError([error(source, 1, "missing front matter: an article starts with a line '---', "
                                           "then 'title:' and 'date:', then a closing '---'")])
    try:
        front, body = _HANDLER.split(text)
    except ValueError:
        raise CmhubError([error(source, 1, "front matter is not closed: add a line '---' after it")]) from None
    front_start = text.find(front)
    front_line = text.count("\n", 0, front_start) + 1
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    return front, front_line, body, body_line


def header_settings(config: SiteConfig) -> str:
    """Return a digest of what parse_header reads in site.yml (and of cmhub's version)."""
    return digest(config)


def header_key(settings: str, source: str, text: str) -> str:
    """Return the cache key of an article's parsed front matter: the settings, its path and its text."""
    return "header|" + digest(settings, source, text)


def parse_header(text: str, source: str, config: SiteConfig) -> Header:
    """Return the validated front matter of an article text (pure; no disk access).

    Raises CmhubError with every problem found in the front matter.
    """
    front, front_line, body, body_line = split_front_matter(text, source)
    data = load_yaml(front, source, front_line)
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise CmhubError([error(source, front_line + 1, "front matter must be a mapping of 'key: value' lines")])
    locator = Locator(source, front, front_line)
    fields = Fields(source, locator)
    for keys, message in text_problems(data, skip=_READ_AS_LINES):  # those are checked where they are read
        fields.fail(message, *keys)
    for offset, message in body_problems(body):
        fields.problems.append(error(source, body_line + offset, message))
    fields.unknown(data, (*KEYS, "type"), otherwise=" (free-form values go under 'extra:')")
    kind = _kind(fields, data)

    title = text_value(fields, data, "title", required=True)
    date = instant_value(fields, data, "date", config.tz, required=True) if kind == "post" else UNDATED
    updated = instant_value(fields, data, "updated", config.tz)
    expires = instant_value(fields, data, "expires", config.tz)
    if date and updated and updated < date:
        fields.warn("'updated' is before 'date'", "updated")
    if date and expires and expires <= date:
        fields.fail("'expires' must be after 'date'", "expires")
    draft = fields.boolean(data, "draft", (), False)

    slug = text_value(fields, data, "slug")
    if slug and not SLUG_RE.match(slug):
        fields.fail(f"'slug' must be lowercase letters, digits and '-', got {slug!r} "
                    f"(did you mean '{slugify(slug)}'?)", "slug")
    elif len(slug) > MAX_SEGMENT_BYTES:
        fields.fail(f"'slug' must be at most {MAX_SEGMENT_BYTES} characters (it names the page's folder), "
                    f"got {len(slug)}", "slug")

    authors = words_value(fields, data, "authors")
    for index, author in enumerate(authors):
        if author not in config.authors:
            known = ", ".join(sorted(config.authors)) or "none are declared in site.yml"
            hint = did_you_mean(author, list(config.authors))
            fields.fail(f"unknown author '{author}'{hint}; authors come from site.yml ({known})",
                        "authors", index)

    lang = text_value(fields, data, "lang") or config.language
    if not LANGUAGE_RE.match(lang):
        fields.fail(f"'lang' must be a language code such as 'fr' or 'en', got {lang!r}", "lang")

    image, image_alt = text_value(fields, data, "image"), data.get("image_alt")
    if image_alt is not None and not isinstance(image_alt, str):
        fields.fail(f"'image_alt' must be text, got {image_alt!r}", "image_alt")
        image_alt = None
    if image and not (image_alt or "").strip():
        fields.warn("'image' has no 'image_alt': describe the picture for people who cannot see it", "image")

    aliases = words_value(fields, data, "aliases")
    for index, alias in enumerate(aliases):
        reason = plain_path_problem(alias)
        if reason is not None:
            hint = "'aliases' entries must be site paths starting with '/'" if not alias.startswith("/") else \
                f"'aliases' entry {reason}"
            fields.fail(f"{hint}, got {alias!r}", "aliases", index)

    canonical = text_value(fields, data, "canonical")
    if canonical and not _is_web_url(canonical):
        fields.fail(f"'canonical' must be an absolute http(s) URL, got {canonical!r}", "canonical")

    extra = data.get("extra", {})
    if not isinstance(extra, Mapping):
        fields.fail("'extra' must be a mapping of your own keys and values", "extra")
        extra = {}
    if not isinstance(data.get("imported_from", {}), Mapping):  # written by `cmhub import`: where it came from
        fields.fail("'imported_from' must be a mapping (network, id, url...), as cmhub import writes it",
                    "imported_from")

    syndicate = syndicate_overrides(fields, data.get("syndicate"), config.tz)
    translation_of = text_value(fields, data, "translation_of")
    if translation_of and not SLUG_RE.match(translation_of):
        fields.fail("'translation_of' must be the slug of the original article (lowercase letters, digits "
                    f"and '-'), got {translation_of!r}", "translation_of")
    summary = text_value(fields, data, "summary")
    tags, categories = words_value(fields, data, "tags"), words_value(fields, data, "categories")
    if fields.problems and any(p.severity == "error" for p in fields.problems):
        raise CmhubError(fields.problems)
    assert date is not None
    lines = _top_level_lines(front, front_line)
    return Header(
        source=source, title=title, date=date, body=body, body_line=body_line,
        updated=updated, expires=expires, draft=draft, kind=kind, slug=slug,
        file_slug=slug_from_filename(PurePosixPath(source).stem),
        summary=summary, tags=tags, categories=categories, authors=authors, image=image,
        image_alt=image_alt, lang=lang, aliases=aliases, canonical=canonical,
        syndicate=syndicate, extra=MappingProxyType(dict(extra)),
        lines=MappingProxyType(lines), warnings=tuple(fields.problems),
        translation_of=translation_of,
    )


def _kind(fields: Fields, data: Mapping[str, Any]) -> Kind:
    """Return what the file is (``type:``); a page that sets a key of posts is an error at that key."""
    value = data.get("type", "post")
    if value not in KINDS:
        hint = did_you_mean(str(value), KINDS) or " (a page has no date and is in no list or feed)"
        fields.fail(f"'type' must be 'post' or 'page', got {value!r}{hint}", "type")
        return "post" if "date" in data else "page"  # no second error about a missing date
    if value == "page":
        for key in POST_ONLY:
            if key in data:
                fields.fail(f"'{key}' is for posts: a page (type: page) has no date and is in no list, feed "
                            "or plan; remove it, or make this file a post", key)
    return "page" if value == "page" else "post"


def _is_web_url(text: str) -> bool:
    try:
        parts = urlsplit(text)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def _top_level_lines(front: str, first_line: int) -> dict[str, int]:
    """Return the line of each top-level key, found without parsing the YAML again."""
    lines: dict[str, int] = {}
    for number, line in enumerate(front.split("\n")):
        match = _TOP_KEY_RE.match(line)
        if match and match.group(1) not in lines:
            lines[match.group(1)] = first_line + number
    return lines
