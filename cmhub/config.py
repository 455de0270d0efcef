"""Site settings: ``site.yml`` read into a frozen, validated ``SiteConfig``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cmhub.errors import CmhubError, Problem, did_you_mean, error
from cmhub.yamlsource import Locator, load_yaml

CONFIG_NAME = "site.yml"
PERMALINK_FIELDS = ("slug", "year", "month", "day", "lang")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
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
class NetworkConfig:
    """One social account the hub posts teasers to."""

    name: str
    """Network id: x, mastodon, bluesky, threads, linkedin, facebook, instagram or pinterest."""
    handle: str = ""
    """The account ("@voix@piaille.fr", "voix.bsky.social")."""
    enabled: bool = True
    language: str = ""
    """Language of the teasers (default: the article's)."""
    max_chars: int | None = None
    """This account's own text limit (a Mastodon instance's), else the network's."""
    url_length: int = 23
    """What one link counts for (Mastodon instances may differ)."""
    hashtags: int | None = None
    """Most hashtags per teaser (never above the network's cap)."""
    slots: tuple[Slot, ...] = ()
    """When this account posts (weekday and time, site time zone); none = at publication."""
    spacing: dt.timedelta = dt.timedelta(0)
    """Least time between two posts on this account."""
    reminders: tuple[dt.timedelta, ...] = ()
    """Later shares of each article, this long after its publication (another variant)."""
    cadence: int = 0
    """Goal: posts per week on this account (0 = no goal)."""


@dataclass(frozen=True, order=True)
class Slot:
    """A weekly posting slot: weekday (0 = Monday) and time of day in the site time zone."""

    weekday: int
    time: dt.time


@dataclass(frozen=True)
class CalendarConfig:
    """How the publishing calendar is planned and shared."""

    start: dt.date | None = None
    """Only articles published on or after this day are planned (so a backlog is not); when unset,
    the last 30 days before the build's clock."""
    pause: bool = False
    """The crisis switch: while true, no teaser is planned."""
    blackout: tuple[tuple[dt.date, dt.date], ...] = ()
    """Days (first, last, inclusive) when nothing goes out on the networks."""
    publish: bool = False
    """Also copy the calendar into the public site (it reveals scheduled titles)."""


@dataclass(frozen=True)
class UtmConfig:
    """How teaser links are tagged for analytics."""

    enabled: bool = True
    source: str = "{network}"
    medium: str = "social"
    campaign: str = "{slug}"


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
    networks: Mapping[str, NetworkConfig] = field(default_factory=lambda: MappingProxyType({}))
    """The accounts teasers are made for, by network."""
    utm: UtmConfig = UtmConfig()
    social_output: Path = Path("social")
    """Where teasers, calendar and exports go (for the team; not public)."""
    calendar: CalendarConfig = CalendarConfig()
    engine: str = "builtin"
    """What renders the HTML pages: 'builtin' (cmhub's theme) or 'material' (Material for MkDocs)."""

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
    "calendar", "engine",
)
ENGINES = ("builtin", "material")
NETWORK_NAMES = ("x", "mastodon", "bluesky", "threads", "linkedin", "facebook", "instagram", "pinterest")
_NETWORK_KEYS = ("handle", "enabled", "language", "max_chars", "url_length", "hashtags", "slots", "spacing",
                 "reminders", "cadence")
_CALENDAR_KEYS = ("start", "pause", "blackout", "publish")
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
             "lun": 0, "mar": 1, "mer": 2, "jeu": 3, "ven": 4, "sam": 5, "dim": 6}
_DURATION_RE = re.compile(r"^\s*(\d+)\s*(m|min|h|d|j|w)\s*$")
_UTM_KEYS = ("enabled", "source", "medium", "campaign")
_AUTHOR_KEYS = ("name", "url", "avatar", "bio", "social")
_FEED_KEYS = ("entries", "full_content")


class _Checker:
    """Reads typed values out of a mapping, gathering problems instead of stopping."""

    def __init__(self, locator: Locator, source: str):
        self.locator = locator
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, keys: tuple[str, ...], message: str) -> None:
        self.problems.append(error(self.source, self.locator.line(*keys), message))

    def unknown(self, data: Mapping[str, Any], allowed: tuple[str, ...], keys: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                name = ".".join((*keys, str(key)))
                self.fail((*keys, str(key)), f"unknown key '{name}'{did_you_mean(str(key), allowed)}")

    def text(self, data: Mapping[str, Any], key: str, keys: tuple[str, ...], default: str = "",
             required: bool = False) -> str:
        value = data.get(key)
        name = ".".join((*keys, key))
        if value is None:
            if required:
                self.fail(keys, f"'{name}' is required")
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail((*keys, key), f"'{name}' must be a non-empty string, got {value!r}")
            return default
        return value.strip()

    def integer(self, data: Mapping[str, Any], key: str, keys: tuple[str, ...], default: int,
                minimum: int = 1) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            name = ".".join((*keys, key))
            self.fail((*keys, key), f"'{name}' must be an integer >= {minimum}, got {value!r}")
            return default
        return value

    def boolean(self, data: Mapping[str, Any], key: str, keys: tuple[str, ...], default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            name = ".".join((*keys, key))
            self.fail((*keys, key), f"'{name}' must be true or false, got {value!r}")
            return default
        return value

    def mapping(self, data: Mapping[str, Any], key: str, keys: tuple[str, ...]) -> Mapping[str, Any]:
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail((*keys, key), f"'{'.'.join((*keys, key))}' must be a mapping")
            return {}
        return value


def parse_config(text: str, root: Path, source: str = CONFIG_NAME) -> SiteConfig:
    """Return the validated settings in a ``site.yml`` text, or raise CmhubError with all problems."""
    data = load_yaml(text, source)
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise CmhubError([error(source, 1, "must be a mapping of settings (key: value)")])
    check = _Checker(Locator(source, text), source)
    check.unknown(data, _TOP_KEYS, ())

    title = check.text(data, "title", (), required=True)
    url = _base_url(check, data)
    language = check.text(data, "language", (), "en")
    if not LANGUAGE_RE.match(language):
        check.fail(("language",), f"'language' must be a language code such as 'fr' or 'en', got {language!r}")
    timezone = check.text(data, "timezone", (), "UTC")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        check.fail(("timezone",), f"'timezone' must be an IANA time zone such as 'Europe/Paris', got {timezone!r}")
        timezone = "UTC"
    permalink = check.text(data, "permalink", (), "/{slug}/")
    _check_permalink(check, permalink)

    paths = {}
    for key, default in (("output", "site"), ("content", "content"), ("theme", "theme"),
                         ("social_output", "social")):
        paths[key] = (root / check.text(data, key, (), default)).resolve()

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
        networks=_networks(check, data.get("networks")),
        utm=_utm(check, check.mapping(data, "utm", ())),
        social_output=paths["social_output"],
        calendar=_calendar(check, check.mapping(data, "calendar", ())),
        engine=_engine(check, data),
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
        raise CmhubError([error(CONFIG_NAME, None, "not found: run cmhub in a hub folder, "
                                                   "or create one with 'cmhub init'")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CmhubError([error(CONFIG_NAME, None, f"cannot be read: {exc}")]) from exc
    return parse_config(text, root)


def _base_url(check: _Checker, data: Mapping[str, Any]) -> str:
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
        check.fail(("url",), f"'url' must be an absolute http(s) base URL such as https://example.org/, got {url!r}")
        return "https://example.invalid/"
    return url if url.endswith("/") else url + "/"


def _check_permalink(check: _Checker, pattern: str) -> None:
    fields = re.findall(r"\{([^}]*)\}", pattern)
    bad = [f for f in fields if f not in PERMALINK_FIELDS]
    if bad:
        check.fail(("permalink",), f"'permalink' has unknown field {{{bad[0]}}}; "
                   f"available: {', '.join('{' + f + '}' for f in PERMALINK_FIELDS)}")
    if "slug" not in fields:
        check.fail(("permalink",), "'permalink' must contain {slug} so that every article has its own URL")
    if not (pattern.startswith("/") and pattern.endswith("/")):
        check.fail(("permalink",), f"'permalink' must start and end with '/', got {pattern!r}")


def _authors(check: _Checker, data: Mapping[str, Any]) -> Mapping[str, Author]:
    authors: dict[str, Author] = {}
    for author_id, entry in data.items():
        keys = ("authors", str(author_id))
        if not isinstance(author_id, str) or not AUTHOR_ID_RE.match(author_id):
            check.fail(keys, f"author id {author_id!r} must be lowercase letters, digits, '-' or '_'")
            continue
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, Mapping):
            check.fail(keys, f"'authors.{author_id}' must be a name or a mapping with 'name'")
            continue
        check.unknown(entry, _AUTHOR_KEYS, keys)
        social = check.mapping(entry, "social", keys)
        handles = {}
        for network, handle in social.items():
            if not isinstance(handle, str) or not handle.strip():
                check.fail((*keys, "social", str(network)),
                           f"'authors.{author_id}.social.{network}' must be a handle string")
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


def _networks(check: _Checker, data: Any) -> Mapping[str, NetworkConfig]:
    if data is None:
        return MappingProxyType({})
    if not isinstance(data, Mapping):
        check.fail(("networks",), "'networks' must map network names (x, mastodon, ...) to account settings")
        return MappingProxyType({})
    networks: dict[str, NetworkConfig] = {}
    for name, entry in data.items():
        keys = ("networks", str(name))
        if name not in NETWORK_NAMES:
            check.fail(keys, f"unknown network '{name}'{did_you_mean(str(name), NETWORK_NAMES)}; "
                             f"networks: {', '.join(NETWORK_NAMES)}")
            continue
        if entry is None or entry is True:
            entry = {}
        elif entry is False:
            entry = {"enabled": False}
        elif isinstance(entry, str):
            entry = {"handle": entry}
        if not isinstance(entry, Mapping):
            check.fail(keys, f"'networks.{name}' must be a handle or a mapping of settings")
            continue
        check.unknown(entry, _NETWORK_KEYS, keys)
        max_chars = entry.get("max_chars")
        if max_chars is not None:
            max_chars = check.integer(entry, "max_chars", keys, 500, minimum=50)
        hashtags = entry.get("hashtags")
        if hashtags is not None:
            hashtags = check.integer(entry, "hashtags", keys, 0, minimum=0)
        language = check.text(entry, "language", keys)
        if language and not LANGUAGE_RE.match(language):
            check.fail((*keys, "language"), f"'networks.{name}.language' must be a language code, got {language!r}")
        networks[name] = NetworkConfig(
            name=name, handle=check.text(entry, "handle", keys),
            enabled=check.boolean(entry, "enabled", keys, True), language=language,
            max_chars=max_chars, url_length=check.integer(entry, "url_length", keys, 23),
            hashtags=hashtags, slots=_slots(check, entry.get("slots"), keys),
            spacing=_duration(check, entry.get("spacing", "0m"), (*keys, "spacing")),
            reminders=tuple(_duration(check, item, (*keys, "reminders"))
                            for item in _as_list(check, entry.get("reminders"), (*keys, "reminders"))),
            cadence=check.integer(entry, "cadence", keys, 0, minimum=0))
    return MappingProxyType({n: networks[n] for n in NETWORK_NAMES if n in networks})


def _utm(check: _Checker, data: Mapping[str, Any]) -> UtmConfig:
    check.unknown(data, _UTM_KEYS, ("utm",))
    utm = UtmConfig(enabled=check.boolean(data, "enabled", ("utm",), True),
                    source=check.text(data, "source", ("utm",), "{network}"),
                    medium=check.text(data, "medium", ("utm",), "social"),
                    campaign=check.text(data, "campaign", ("utm",), "{slug}"))
    for key in ("source", "medium", "campaign"):
        try:
            getattr(utm, key).format(network="x", slug="s", lang="fr", year="2026")
        except (KeyError, IndexError, ValueError):
            check.fail(("utm", key), f"'utm.{key}' may only use {{network}}, {{slug}}, {{lang}} and {{year}}")
    return utm


def _as_list(check: _Checker, value: Any, keys: tuple[str, ...]) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        check.fail(keys, f"'{'.'.join(keys)}' must be a list")
        return []
    return value


def _duration(check: _Checker, value: Any, keys: tuple[str, ...]) -> dt.timedelta:
    """Read '90m', '12h', '2d' (or '2j'), '1w'."""
    match = _DURATION_RE.match(str(value)) if isinstance(value, (str, int)) else None
    if not match:
        check.fail(keys, f"'{'.'.join(keys)}' must be a duration such as '90m', '12h', '2d' or '1w', got {value!r}")
        return dt.timedelta(0)
    amount, unit = int(match.group(1)), match.group(2)
    return {"m": dt.timedelta(minutes=amount), "min": dt.timedelta(minutes=amount),
            "h": dt.timedelta(hours=amount), "d": dt.timedelta(days=amount), "j": dt.timedelta(days=amount),
            "w": dt.timedelta(weeks=amount)}[unit]


def _slots(check: _Checker, value: Any, keys: tuple[str, ...]) -> tuple[Slot, ...]:
    """Read slots such as 'tue 09:00' or 'mar 09:00'; 'daily 12:30' means every day."""
    slots: set[Slot] = set()
    for index, item in enumerate(_as_list(check, value, (*keys, "slots"))):
        parts = str(item).lower().replace(",", " ").split()
        try:
            moment = dt.time.fromisoformat(parts[-1]) if len(parts) >= 2 else None
        except ValueError:
            moment = None
        days = [_WEEKDAYS.get(p[:3]) for p in parts[:-1]] if parts[:1] != ["daily"] else list(range(7))
        if moment is None or not days or None in days:
            check.fail((*keys, "slots", index), f"'{'.'.join(keys)}.slots' entries are a weekday and a time "
                       f"such as 'tue 09:00' or 'daily 12:30', got {item!r}")
            continue
        slots.update(Slot(day, moment) for day in days if day is not None)
    return tuple(sorted(slots))


def _calendar(check: _Checker, data: Mapping[str, Any]) -> CalendarConfig:
    check.unknown(data, _CALENDAR_KEYS, ("calendar",))
    start = data.get("start")
    if start is not None:
        if isinstance(start, str):
            try:
                start = dt.date.fromisoformat(start)
            except ValueError:
                start = None
        if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
            check.fail(("calendar", "start"), f"'calendar.start' must be a date such as 2026-11-01, "
                                              f"got {data.get('start')!r}")
            start = None
    blackout = []
    for index, item in enumerate(_as_list(check, data.get("blackout"), ("calendar", "blackout"))):
        first = last = None
        if isinstance(item, Mapping):
            first, last = _day(item.get("from")), _day(item.get("to"))
        else:
            first = last = _day(item)
        if first is None or last is None or last < first:
            check.fail(("calendar", "blackout", index), "'calendar.blackout' entries are a date or "
                       f"{{from: date, to: date}}, got {item!r}")
            continue
        blackout.append((first, last))
    return CalendarConfig(start=start, pause=check.boolean(data, "pause", ("calendar",), False),
                          blackout=tuple(sorted(blackout)),
                          publish=check.boolean(data, "publish", ("calendar",), False))


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _engine(check: _Checker, data: Mapping[str, Any]) -> str:
    engine = check.text(data, "engine", (), "builtin")
    if engine not in ENGINES:
        check.fail(("engine",), f"'engine' must be one of {', '.join(ENGINES)}, got {engine!r}"
                                f"{did_you_mean(engine, ENGINES)}")
        return "builtin"
    return engine
