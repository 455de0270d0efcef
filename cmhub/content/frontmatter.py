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

from cmhub.content.model import NetworkOverride
from cmhub.core.dates import parse_instant
from cmhub.core.errors import CmhubError, Problem, did_you_mean, error, warning
from cmhub.core.limits import MAX_TERMS, body_problems, line_problem, text_problems
from cmhub.core.urls import MAX_SEGMENT_BYTES, SLUG_RE, plain_path_problem, slug_from_filename, slugify
from cmhub.incremental.reuse import digest
from cmhub.networks.registry import NETWORK_NAMES
from cmhub.settings.config import LANGUAGE_RE, SiteConfig
from cmhub.settings.yamlsource import Locator, load_yaml

KEYS = (
    "title", "date", "updated", "expires", "draft", "slug", "summary", "tags", "categories",
    "authors", "image", "image_alt", "lang", "aliases", "canonical", "syndicate", "extra", "imported_from",
)
_NETWORK_KEYS = ("text", "at", "first_comment", "image", "thread")
_HANDLER = frontmatter.YAMLHandler()
_TOP_KEY_RE = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
_ONE_LINE = ("title", "slug", "image", "image_alt", "lang", "canonical")
_READ_AS_LINES = (*_ONE_LINE, "tags", "categories", "authors", "aliases")


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


class _Fields:
    """Reads one article's front-matter values, gathering every problem."""

    def __init__(self, source: str, data: Mapping[str, Any], locator: Locator, config: SiteConfig):
        self.source, self.data, self.locator, self.config = source, data, locator, config
        self.problems: list[Problem] = []

    def fail(self, message: str, *keys: str | int) -> None:
        self.problems.append(error(self.source, self.locator.line(*keys), message))

    def warn(self, message: str, *keys: str | int) -> None:
        self.problems.append(warning(self.source, self.locator.line(*keys), message))

    def text(self, key: str, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(f"missing required key '{key}'")
            return ""
        if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
            value = value.isoformat() if isinstance(value, dt.date) else str(value)
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(f"'{key}' must be text, got {value!r}", key)
            return ""
        problem = line_problem(value.strip()) if key in _ONE_LINE else None
        if problem is not None:
            self.fail(f"'{key}' {problem}", key)
            return ""
        return value.strip()

    def instant(self, key: str, required: bool = False) -> dt.datetime | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(f"missing required key '{key}' (the publication date, e.g. 2026-12-01T09:00:00)")
            return None
        try:
            return parse_instant(value, self.config.tz).astimezone(self.config.tz)
        except ValueError as exc:
            self.fail(f"'{key}' {exc}", key)
            return None
        except OverflowError:
            shown = value.isoformat() if isinstance(value, dt.date) else value
            self.fail(f"'{key}' is out of the range of dates cmhub can handle, got {shown!r}", key)
            return None

    def words(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        # "tags: facebook, veille" is a common way of writing a list: take it as one
        items = [part for part in value.split(",") if part.strip()] if isinstance(value, str) else value
        if not isinstance(items, list):
            self.fail(f"'{key}' must be a list such as [a, b], got {value!r}", key)
            return ()
        result: list[str] = []
        for index, item in enumerate(items):
            if isinstance(item, (int, float, dt.date)) and not isinstance(item, bool):
                item = item.isoformat() if isinstance(item, dt.date) else str(item)
            if not isinstance(item, str) or not item.strip():
                self.fail(f"'{key}' items must be non-empty text, got {item!r}", key, index)
            elif key != "aliases" and (problem := line_problem(item.strip())) is not None:
                self.fail(f"'{key}' items {problem}", key, index)
            elif item.strip() not in result:
                result.append(item.strip())
        if key in ("tags", "categories"):
            for index, item in enumerate(result):
                if len(slugify(item)) > MAX_SEGMENT_BYTES:
                    self.fail(f"'{key}' items must make a URL part of at most {MAX_SEGMENT_BYTES} characters, "
                              f"got one of {len(slugify(item))}", key, index)
        if key in ("tags", "categories") and len(result) > MAX_TERMS:
            self.fail(f"'{key}' has {len(result)} entries; an article may have at most {MAX_TERMS} "
                      "(each one makes pages and feeds that list it)", key)
            return tuple(result[:MAX_TERMS])
        return tuple(result)


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
    fields = _Fields(source, data, locator, config)
    for keys, message in text_problems(data, skip=_READ_AS_LINES):  # those are checked where they are read
        fields.fail(message, *keys)
    for offset, message in body_problems(body):
        fields.problems.append(error(source, body_line + offset, message))
    for key in data:
        if key not in KEYS:
            hint = did_you_mean(str(key), KEYS) or " (free-form values go under 'extra:')"
            fields.fail(f"unknown key '{key}'{hint}", str(key))

    title = fields.text("title", required=True)
    date = fields.instant("date", required=True)
    updated = fields.instant("updated")
    expires = fields.instant("expires")
    if date and updated and updated < date:
        fields.warn("'updated' is before 'date'", "updated")
    if date and expires and expires <= date:
        fields.fail("'expires' must be after 'date'", "expires")
    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        fields.fail(f"'draft' must be true or false, got {draft!r}", "draft")
        draft = False

    slug = fields.text("slug")
    if slug and not SLUG_RE.match(slug):
        fields.fail(f"'slug' must be lowercase letters, digits and '-', got {slug!r} "
                    f"(did you mean '{slugify(slug)}'?)", "slug")
    elif len(slug) > MAX_SEGMENT_BYTES:
        fields.fail(f"'slug' must be at most {MAX_SEGMENT_BYTES} characters (it names the page's folder), "
                    f"got {len(slug)}", "slug")

    authors = fields.words("authors")
    for index, author in enumerate(authors):
        if author not in config.authors:
            known = ", ".join(sorted(config.authors)) or "none are declared in site.yml"
            hint = did_you_mean(author, list(config.authors))
            fields.fail(f"unknown author '{author}'{hint}; authors come from site.yml ({known})",
                        "authors", index)

    lang = fields.text("lang") or config.language
    if not LANGUAGE_RE.match(lang):
        fields.fail(f"'lang' must be a language code such as 'fr' or 'en', got {lang!r}", "lang")

    image, image_alt = fields.text("image"), data.get("image_alt")
    if image_alt is not None and not isinstance(image_alt, str):
        fields.fail(f"'image_alt' must be text, got {image_alt!r}", "image_alt")
        image_alt = None
    if image and not (image_alt or "").strip():
        fields.warn("'image' has no 'image_alt': describe the picture for people who cannot see it", "image")

    aliases = fields.words("aliases")
    for index, alias in enumerate(aliases):
        reason = plain_path_problem(alias)
        if reason is not None:
            hint = "'aliases' entries must be site paths starting with '/'" if not alias.startswith("/") else \
                f"'aliases' entry {reason}"
            fields.fail(f"{hint}, got {alias!r}", "aliases", index)

    canonical = fields.text("canonical")
    if canonical and not _is_web_url(canonical):
        fields.fail(f"'canonical' must be an absolute http(s) URL, got {canonical!r}", "canonical")

    extra = data.get("extra", {})
    if not isinstance(extra, Mapping):
        fields.fail("'extra' must be a mapping of your own keys and values", "extra")
        extra = {}
    if not isinstance(data.get("imported_from", {}), Mapping):  # written by `cmhub import`: where it came from
        fields.fail("'imported_from' must be a mapping (network, id, url...), as cmhub import writes it",
                    "imported_from")

    syndicate = _syndicate(fields, data.get("syndicate"))
    summary, tags, categories = fields.text("summary"), fields.words("tags"), fields.words("categories")
    if fields.problems and any(p.severity == "error" for p in fields.problems):
        raise CmhubError(fields.problems)
    assert date is not None
    lines = _top_level_lines(front, front_line)
    return Header(
        source=source, title=title, date=date, body=body, body_line=body_line,
        updated=updated, expires=expires, draft=draft, slug=slug,
        file_slug=slug_from_filename(PurePosixPath(source).stem),
        summary=summary, tags=tags, categories=categories, authors=authors, image=image,
        image_alt=image_alt, lang=lang, aliases=aliases, canonical=canonical,
        syndicate=syndicate, extra=MappingProxyType(dict(extra)),
        lines=MappingProxyType(lines), warnings=tuple(fields.problems),
    )


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


def _syndicate(fields: _Fields, value: Any) -> Mapping[str, NetworkOverride]:
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, Mapping):
        fields.fail("'syndicate' must map network names to text, false, or settings", "syndicate")
        return MappingProxyType({})
    result: dict[str, NetworkOverride] = {}
    for network, entry in value.items():
        keys = ("syndicate", str(network))
        line = fields.locator.line(*keys)
        if network not in NETWORK_NAMES:
            fields.fail(f"unknown network '{network}'{did_you_mean(str(network), NETWORK_NAMES)}; "
                        f"networks: {', '.join(NETWORK_NAMES)}", *keys)
            continue
        if isinstance(entry, bool):
            result[network] = NetworkOverride(enabled=entry, line=line)
        elif isinstance(entry, str):
            result[network] = NetworkOverride(text=entry, line=line)
        elif isinstance(entry, Mapping):
            for key in entry:
                if key not in _NETWORK_KEYS:
                    fields.fail(f"unknown key 'syndicate.{network}.{key}'{did_you_mean(str(key), _NETWORK_KEYS)}",
                                *keys, str(key))
            at = None
            if entry.get("at") is not None:
                try:
                    at = parse_instant(entry["at"], fields.config.tz).astimezone(fields.config.tz)
                except ValueError as exc:
                    fields.fail(f"'syndicate.{network}.at' {exc}", *keys, "at")
                except OverflowError:
                    fields.fail(f"'syndicate.{network}.at' is out of the range of dates cmhub can handle",
                                *keys, "at")
            strings = {}
            for key in ("text", "first_comment", "image"):
                item = entry.get(key)
                if item is not None and not isinstance(item, str):
                    fields.fail(f"'syndicate.{network}.{key}' must be text, got {item!r}", *keys, key)
                    item = None
                strings[key] = item
            thread = entry.get("thread", [])
            if not isinstance(thread, list) or not all(isinstance(t, str) and t.strip() for t in thread):
                fields.fail(f"'syndicate.{network}.thread' must be a list of texts", *keys, "thread")
                thread = []
            result[network] = NetworkOverride(
                text=strings["text"], at=at, first_comment=strings["first_comment"],
                image=strings["image"], thread=tuple(thread), line=line)
        else:
            fields.fail(f"'syndicate.{network}' must be text, false, or a mapping with 'text', 'at', ...", *keys)
    return MappingProxyType(dict(sorted(result.items())))
