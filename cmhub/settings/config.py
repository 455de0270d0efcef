"""Site settings: ``site.yml`` read into a frozen, validated ``SiteConfig``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cmhub.core.errors import CmhubError, did_you_mean, error
from cmhub.core.limits import MAX_SEGMENT_BYTES, line_problem, plain_path_problem, text_problems
from cmhub.core.locations import CONFIG_NAME
from cmhub.core.urls import site_path_problem
from cmhub.settings.builds import BuildsConfig, parse_builds
from cmhub.settings.fields import LANGUAGE_RE, Fields
from cmhub.settings.goals import Goal, parse_goals
from cmhub.settings.languages import LanguageConfig, parse_languages
from cmhub.settings.menus import MENU_KEYS, MenuEntry, parse_menu
from cmhub.settings.social import CalendarConfig, NetworkConfig, UtmConfig, parse_calendar, parse_networks, parse_utm
from cmhub.settings.yamlsource import Locator, load_yaml

PERMALINK_FIELDS = ("slug", "year", "month", "day", "lang")
_FILE_LIKE = (".html", ".htm", ".xml", ".json", ".txt", ".xsl", ".css", ".js")
AUTHOR_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Author:
    """A person who writes for the hub, declared once in ``site.yml``."""

    id: str
    name: str
    url: str = ""
    avatar: str = ""
    bio: str = ""
    social: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Handle per network, e.g. {"mastodon": "@marie@piaille.fr", "x": "@marie"}."""


@dataclass(frozen=True)
class FeedConfig:
    """How the RSS, Atom and JSON feeds are made."""

    entries: int = 20
    """How many of the newest articles each feed carries."""
    full_content: bool = True
    """Full article HTML in each entry (else the summary only)."""


@dataclass(frozen=True)
class SiteConfig:
    """Everything ``site.yml`` says, validated; paths are absolute."""

    root: Path
    """The project folder (the one holding site.yml)."""
    title: str
    url: str
    """Absolute base URL, always ending with '/'."""
    description: str = ""
    language: str = "en"
    timezone: str = "UTC"
    authors: Mapping[str, Author] = field(default_factory=lambda: MappingProxyType({}))
    permalink: str = "/{slug}/"
    paginate: int = 10
    output: Path = Path("site")
    content: Path = Path("content")
    theme: Path = Path("theme")
    logo: str = ""
    """Site icon/logo, a path under content/ (used by feeds and pages)."""
    feeds: FeedConfig = FeedConfig()
    menu: tuple[MenuEntry, ...] = ()
    """The header's navigation (``menu:``); empty: the theme's own (home, tags, categories, archive, search)."""
    footer: tuple[MenuEntry, ...] = ()
    """The footer's links (``footer:``)."""
    networks: Mapping[str, NetworkConfig] = field(default_factory=lambda: MappingProxyType({}))
    """The accounts teasers are made for, by network."""
    utm: UtmConfig = UtmConfig()
    social_output: Path = Path("social")
    """Where teasers, calendar and exports go (for the team; not public)."""
    calendar: CalendarConfig = CalendarConfig()
    engine: str = "builtin"
    """What renders the HTML pages: 'builtin' (cmhub's theme) or 'material' (Material for MkDocs)."""
    builds: BuildsConfig = BuildsConfig()
    """When CI builds the hub; teasers go out after the build that publishes their article."""
    goals: tuple[Goal, ...] = ()
    """The hub's measurable targets (``goals:``), for ``cmhub report``; cadences are added there."""
    search: bool = True
    """Whether the built-in theme gets its search page and Pagefind index (cmhub/site/search/index.py)."""
    languages: tuple[LanguageConfig, ...] = ()
    """The hub's title and description in its other languages (``languages:``; see content/translations.py)."""
    folder_names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Each folder setting (output, content, theme, social_output) as site.yml writes it, before it is made
    absolute (a link among them may lead elsewhere later: cmhub/incremental/freshness.py looks again)."""

    @property
    def tz(self) -> ZoneInfo:
        """The site time zone."""
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, '/' or '/blog/'."""
        return urlsplit(self.url).path or "/"


_TOP_KEYS = (
    "title", "url", "description", "language", "timezone", "authors", "permalink",
    "paginate", "output", "content", "theme", "logo", "feeds", "networks", "utm", "social_output",
    "calendar", "engine", "builds", "goals", "search",
)
_TOP_KEYS += ("languages",)  # issue #19: the hub's words in its other languages
ENGINES = ("builtin", "material")
_AUTHOR_KEYS = ("name", "url", "avatar", "bio", "social")
_FEED_KEYS = ("entries", "full_content")
_ONE_LINE = ("title", "url", "language", "timezone", "permalink", "output", "content", "theme", "social_output",
             "logo", "engine", "name", "avatar")


def parse_config(text: str, root: Path, source: str = CONFIG_NAME) -> SiteConfig:
    """Return the validated settings in a ``site.yml`` text, or raise CmhubError with all problems."""
    data = load_yaml(text, source)
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise CmhubError([error(source, 1, "must be a mapping of settings (key: value)")])
    check = Fields(source, Locator(source, text))
    check.unknown(data, (*_TOP_KEYS, *MENU_KEYS), ())
    for keys, message in text_problems(data, one_line=_ONE_LINE):
        check.fail(message, *tuple(str(k) for k in keys))

    title = check.text(data, "title", (), required=True)
    url = _base_url(check, data)
    language = check.text(data, "language", (), "en")
    if not LANGUAGE_RE.match(language):
        check.fail(f"'language' must be a language code such as 'fr' or 'en', got {language!r}", "language")
    timezone = check.text(data, "timezone", (), "UTC")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder of the database ('Europe')
        check.fail(f"'timezone' must be an IANA time zone such as 'Europe/Paris', got {timezone!r}", "timezone")
        timezone = "UTC"
    permalink = check.text(data, "permalink", (), "/{slug}/")
    _check_permalink(check, permalink)

    paths, names = {}, {}
    for key, default in (("output", "site"), ("content", "content"), ("theme", "theme"),
                         ("social_output", "social")):
        folder = check.text(data, key, (), default)
        if line_problem(folder) is not None:  # reported above
            folder = default
        elif any(len(part.encode("utf-8", "surrogatepass")) > 255 for part in Path(folder).parts):
            check.fail(f"'{key}' has a folder name longer than 255 bytes", key)
            folder = default
        paths[key], names[key] = (root / folder).resolve(), folder

    feeds_data = check.mapping(data, "feeds", ())
    check.unknown(feeds_data, _FEED_KEYS, ("feeds",))
    feeds = FeedConfig(
        entries=check.integer(feeds_data, "entries", ("feeds",), 20),
        full_content=check.boolean(feeds_data, "full_content", ("feeds",), True),
    )

    config = SiteConfig(
        root=root.resolve(),
        title=title,
        url=url,
        description=check.text(data, "description", ()),
        language=language.replace("_", "-"),
        timezone=timezone,
        authors=_authors(check, check.mapping(data, "authors", ())),
        permalink=permalink,
        paginate=check.integer(data, "paginate", (), 10),
        output=paths["output"],
        content=paths["content"],
        theme=paths["theme"],
        logo=check.text(data, "logo", ()),
        feeds=feeds,
        menu=parse_menu(check, data.get("menu"), "menu"),
        footer=parse_menu(check, data.get("footer"), "footer"),
        networks=parse_networks(check, data.get("networks")),
        utm=parse_utm(check, check.mapping(data, "utm", ())),
        social_output=paths["social_output"],
        calendar=parse_calendar(check, check.mapping(data, "calendar", ())),
        engine=_engine(check, data),
        builds=parse_builds(check, check.mapping(data, "builds", ())),
        goals=parse_goals(check, data.get("goals")),
        search=check.boolean(data, "search", (), True),
        languages=parse_languages(check, data.get("languages")),
        folder_names=MappingProxyType(names),
    )
    if check.problems:
        raise CmhubError(check.problems)
    return config


def load_config(root: Path) -> SiteConfig:
    """Read and validate ``site.yml`` in the project folder ``root``."""
    path = root / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        missing = error(CONFIG_NAME, None, f"not found in {root.resolve()} or the folders above it: run cmhub in a "
                        "hub folder (or give it with -C), or create one with 'cmhub init'")
        raise CmhubError([missing]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CmhubError([error(CONFIG_NAME, None, f"cannot be read: {exc}")]) from exc
    return parse_config(text, root)


def _base_url(check: Fields, data: Mapping[str, Any]) -> str:
    url = check.text(data, "url", (), required=True)
    if not url:
        return "https://example.invalid/"
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.query \
            and not parts.fragment
    except ValueError:
        valid = False
    if not valid:
        check.fail(f"'url' must be an absolute http(s) base URL such as https://example.org/, got {url!r}", "url")
        return "https://example.invalid/"
    problem = plain_path_problem(parts.path or "/")
    if problem is not None:
        check.fail(f"the path of 'url' {problem}, got {url!r}", "url")
        return "https://example.invalid/"
    return url if url.endswith("/") else url + "/"


def _check_permalink(check: Fields, pattern: str) -> None:
    fields = re.findall(r"\{([^}]*)\}", pattern)
    bad = [f for f in fields if f not in PERMALINK_FIELDS]
    if bad:
        check.fail(f"'permalink' has unknown field {{{bad[0]}}}; "
                   f"available: {', '.join('{' + f + '}' for f in PERMALINK_FIELDS)}", "permalink")
    if "slug" not in fields:
        check.fail("'permalink' must contain {slug} so that every article has its own URL", "permalink")
    if not (pattern.startswith("/") and pattern.endswith("/")):
        check.fail(f"'permalink' must start and end with '/', got {pattern!r}", "permalink")
        return
    sample = re.sub(r"\{[^}]*\}", "x", pattern)  # every field makes a plain part ('a-z0-9' and '-')
    unsafe = site_path_problem(sample[1:])  # what no URL path may hold
    if unsafe:
        check.fail(f"'permalink' {pattern!r} {unsafe}", "permalink")
        return
    problem = plain_path_problem(sample)  # what a redirect rule or a file name may not hold either
    if problem is None and any(part.endswith(_FILE_LIKE) for part in sample.split("/")):
        problem = "must not hold a part named like a file (such as 'index.html'): pages are folders"
    if problem is not None:
        check.fail(f"'permalink' {problem}, got {pattern!r}", "permalink")


def _authors(check: Fields, data: Mapping[str, Any]) -> Mapping[str, Author]:
    authors: dict[str, Author] = {}
    for author_id, entry in data.items():
        keys = ("authors", str(author_id))
        if not isinstance(author_id, str) or not AUTHOR_ID_RE.match(author_id):
            check.fail(f"author id {author_id!r} must be lowercase letters, digits, '-' or '_'", *keys)
            continue
        if len(author_id) > MAX_SEGMENT_BYTES:
            check.fail(f"author id must be at most {MAX_SEGMENT_BYTES} characters (it names a page's folder)", *keys)
            continue
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, Mapping):
            check.fail(f"'authors.{author_id}' must be a name or a mapping with 'name'", *keys)
            continue
        check.unknown(entry, _AUTHOR_KEYS, keys)
        social = check.mapping(entry, "social", keys)
        handles = {}
        for network, handle in social.items():
            if not isinstance(handle, str) or not handle.strip():
                check.fail(f"'authors.{author_id}.social.{network}' must be a handle string",
                           *keys, "social", str(network))
            else:
                handles[str(network)] = handle.strip()
        authors[author_id] = Author(
            id=author_id,
            name=check.text(entry, "name", keys, required=True),
            url=check.text(entry, "url", keys),
            avatar=check.text(entry, "avatar", keys),
            bio=check.text(entry, "bio", keys),
            social=MappingProxyType(dict(sorted(handles.items()))),
        )
    return MappingProxyType(authors)


def _engine(check: Fields, data: Mapping[str, Any]) -> str:
    engine = check.text(data, "engine", (), "builtin")
    if engine not in ENGINES:
        check.fail(f"'engine' must be one of {', '.join(ENGINES)}, got {engine!r}"
                   f"{did_you_mean(engine, ENGINES)}", "engine")
        return "builtin"
    return engine
