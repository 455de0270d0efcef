"""The social half of site.yml: accounts per network, link tagging and the publishing calendar."""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from cmhub.core.errors import did_you_mean
from cmhub.networks.registry import NETWORK_NAMES, POSTABLE
from cmhub.settings.fields import LANGUAGE_RE, Fields

_NETWORK_KEYS = ("handle", "enabled", "language", "max_chars", "url_length", "hashtags", "slots", "spacing",
                 "reminders", "cadence", "publish", "api", "lateness", "accounts")
DEFAULT_LATENESS = dt.timedelta(hours=6)
_CALENDAR_KEYS = ("start", "pause", "blackout", "publish", "catch_up")
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
             "lun": 0, "mar": 1, "mer": 2, "jeu": 3, "ven": 4, "sam": 5, "dim": 6}
_DURATION_RE = re.compile(r"^\s*(\d+)\s*(m|min|h|d|j|w)\s*$")
_LONGEST = {"m": 366 * 24 * 60, "min": 366 * 24 * 60, "h": 366 * 24, "d": 366, "j": 366, "w": 53}
"""The longest duration in each unit: a year (dates a few years out never reach the end of the calendar)."""
_UTM_FIELDS = ("network", "slug", "lang", "year")
_UTM_KEYS = ("enabled", "source", "medium", "campaign")


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
    publish: bool = False
    """`cmhub publish` posts this account's teasers itself (Mastodon, Bluesky); they leave the
    scheduler files so that nobody posts them twice."""
    api: str = ""
    """The API base `cmhub publish` talks to ('' = from the handle: https://instance for Mastodon,
    https://bsky.social for Bluesky)."""
    lateness: dt.timedelta = DEFAULT_LATENESS
    """How late `cmhub publish` may still post a teaser; later, it is recorded as missed."""
    accounts: tuple[tuple[str, str], ...] = ()
    """(language, handle) of the accounts that get the teasers of the articles in that language,
    sorted; ``handle`` gets the others (see cmhub/social/accounts.py)."""


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
    catch_up: dt.timedelta = dt.timedelta(days=2)
    """A teaser whose instant passed before any build handed it out is planned again at the next free
    slot if it is at most this late (its article still published), else dropped (plan.lock says so)."""


@dataclass(frozen=True)
class UtmConfig:
    """How teaser links are tagged for analytics."""

    enabled: bool = True
    source: str = "{network}"
    medium: str = "social"
    campaign: str = "{slug}"


def parse_networks(check: Fields, data: Any) -> Mapping[str, NetworkConfig]:
    if data is None:
        return MappingProxyType({})
    if not isinstance(data, Mapping):
        check.fail("'networks' must map network names (x, mastodon, ...) to account settings", "networks")
        return MappingProxyType({})
    networks: dict[str, NetworkConfig] = {}
    for name, entry in data.items():
        keys = ("networks", str(name))
        if name not in NETWORK_NAMES:
            check.fail(f"unknown network '{name}'{did_you_mean(str(name), NETWORK_NAMES)}; "
                       f"networks: {', '.join(NETWORK_NAMES)}", *keys)
            continue
        if entry is None or entry is True:
            entry = {}
        elif entry is False:
            entry = {"enabled": False}
        elif isinstance(entry, str):
            entry = {"handle": entry}
        if not isinstance(entry, Mapping):
            check.fail(f"'networks.{name}' must be a handle or a mapping of settings", *keys)
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
            check.fail(f"'networks.{name}.language' must be a language code, got {language!r}", *keys, "language")
        networks[name] = NetworkConfig(
            name=name, handle=check.text(entry, "handle", keys),
            enabled=check.boolean(entry, "enabled", keys, True), language=language,
            max_chars=max_chars, url_length=check.integer(entry, "url_length", keys, 23),
            hashtags=hashtags, slots=_slots(check, entry.get("slots"), keys),
            spacing=duration(check, entry.get("spacing", "0m"), (*keys, "spacing")),
            reminders=tuple(duration(check, item, (*keys, "reminders"))
                            for item in _as_list(check, entry.get("reminders"), (*keys, "reminders"))),
            cadence=check.integer(entry, "cadence", keys, 0, minimum=0),
            publish=_publish(check, entry, name, keys), api=_api(check, entry, keys),
            lateness=duration(check, entry.get("lateness", "6h"), (*keys, "lateness")),
            accounts=_accounts(check, entry, name, keys))
    return MappingProxyType({n: networks[n] for n in NETWORK_NAMES if n in networks})


def posted_by_cmhub(networks: Mapping[str, NetworkConfig]) -> frozenset[str]:
    """Return the networks `cmhub publish` posts to itself: their teasers leave the scheduler files."""
    return frozenset(n.name for n in networks.values() if n.publish and n.enabled)


def _publish(check: Fields, entry: Mapping[str, Any], name: str, keys: tuple[str, ...]) -> bool:
    """Read ``publish``: only the networks cmhub can post to, and only with a handle to post as."""
    wanted = check.boolean(entry, "publish", keys, False)
    if wanted and name not in POSTABLE:
        check.fail(f"'networks.{name}.publish': cmhub posts only to {' and '.join(POSTABLE)}; "
                   f"{name} teasers stay in social/ for a scheduler", *keys, "publish")
        return False
    if wanted and not str(entry.get("handle") or "").strip():
        check.fail(f"'networks.{name}.publish' needs 'networks.{name}.handle', the account "
                   "to post as", *keys, "publish")
        return False
    return wanted


def _accounts(check: Fields, entry: Mapping[str, Any], name: str,
              keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Read ``accounts``: the handle that gets the teasers of each language's articles."""
    found = entry.get("accounts")
    if found is None:
        return ()
    if not isinstance(found, Mapping) or not found:
        check.fail(f"'networks.{name}.accounts' must map languages to handles, such as "
                   "'en: \"@us@mastodon.social\"'", *keys, "accounts")
        return ()
    if entry.get("publish") is True:  # one set of credentials per network, for now: refuse rather than guess
        check.fail(f"'networks.{name}.accounts' cannot go with 'publish: true': cmhub publish posts as one "
                   "account per network; leave 'publish' out and post the teasers from the exports",
                   *keys, "accounts")
        return ()
    accounts = []
    for lang, handle in found.items():
        if not isinstance(lang, str) or not LANGUAGE_RE.match(lang):
            check.fail(f"'networks.{name}.accounts' keys must be language codes such as 'en', got {lang!r}",
                       *keys, "accounts", str(lang))
        elif not isinstance(handle, str) or not handle.strip():
            check.fail(f"'networks.{name}.accounts.{lang}' must be the account's handle, got {handle!r}",
                       *keys, "accounts", lang)
        else:
            accounts.append((lang.lower(), handle.strip()))
    return tuple(sorted(accounts))


def _api(check: Fields, entry: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    """Read ``api``: an http(s) base URL, kept without its trailing slash."""
    api = check.text(entry, "api", keys)
    if api and not re.match(r"^https?://[^/\s]+(/\S*)?$", api):
        check.fail(f"'{'.'.join((*keys, 'api'))}' must be an http(s) URL such as "
                   f"https://piaille.fr, got {api!r}", *keys, "api")
        return ""
    return api.rstrip("/")


def parse_utm(check: Fields, data: Mapping[str, Any]) -> UtmConfig:
    check.unknown(data, _UTM_KEYS, ("utm",))
    utm = UtmConfig(enabled=check.boolean(data, "enabled", ("utm",), True),
                    source=check.text(data, "source", ("utm",), "{network}"),
                    medium=check.text(data, "medium", ("utm",), "social"),
                    campaign=check.text(data, "campaign", ("utm",), "{slug}"))
    for key in ("source", "medium", "campaign"):
        try:  # only plain fields: '{slug.upper}' or '{slug!r}' would write Python's view of a value
            plain = all(name is None or (name in _UTM_FIELDS and not spec and not conversion)
                        for _, name, spec, conversion in string.Formatter().parse(getattr(utm, key)))
        except ValueError:
            plain = False
        if not plain:
            check.fail(f"'utm.{key}' may only use {{network}}, {{slug}}, {{lang}} and {{year}}", "utm", key)
    return utm


def _as_list(check: Fields, value: Any, keys: tuple[str, ...]) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        check.fail(f"'{'.'.join(keys)}' must be a list", *keys)
        return []
    return value


def duration(check: Fields, value: Any, keys: tuple[str, ...]) -> dt.timedelta:
    """Read '90m', '12h', '2d' (or '2j'), '1w'."""
    match = _DURATION_RE.match(str(value)) if isinstance(value, (str, int)) else None
    if not match:
        check.fail(f"'{'.'.join(keys)}' must be a duration such as '90m', '12h', '2d' or '1w', got {value!r}", *keys)
        return dt.timedelta(0)
    amount, unit = int(match.group(1)), match.group(2)
    if amount > _LONGEST[unit]:
        check.fail(f"'{'.'.join(keys)}' must be at most a year, got {value!r}", *keys)
        return dt.timedelta(0)
    return {"m": dt.timedelta(minutes=amount), "min": dt.timedelta(minutes=amount),
            "h": dt.timedelta(hours=amount), "d": dt.timedelta(days=amount), "j": dt.timedelta(days=amount),
            "w": dt.timedelta(weeks=amount)}[unit]


def _slots(check: Fields, value: Any, keys: tuple[str, ...]) -> tuple[Slot, ...]:
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
            check.fail(f"'{'.'.join(keys)}.slots' entries are a weekday and a time "
                       f"such as 'tue 09:00' or 'daily 12:30', got {item!r}", *keys, "slots", index)
            continue
        slots.update(Slot(day, moment) for day in days if day is not None)
    return tuple(sorted(slots))


def parse_calendar(check: Fields, data: Mapping[str, Any]) -> CalendarConfig:
    check.unknown(data, _CALENDAR_KEYS, ("calendar",))
    start = data.get("start")
    if start is not None:
        if isinstance(start, str):
            try:
                start = dt.date.fromisoformat(start)
            except ValueError:
                start = None
        if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
            check.fail(f"'calendar.start' must be a date such as 2026-11-01, "
                       f"got {data.get('start')!r}", "calendar", "start")
            start = None
    blackout = []
    for index, item in enumerate(_as_list(check, data.get("blackout"), ("calendar", "blackout"))):
        first = last = None
        if isinstance(item, Mapping):
            first, last = _day(item.get("from")), _day(item.get("to"))
        else:
            first = last = _day(item)
        if first is None or last is None or last < first:
            check.fail("'calendar.blackout' entries are a date or "
                       f"{{from: date, to: date}}, got {item!r}", "calendar", "blackout", index)
            continue
        blackout.append((first, last))
    catch_up = CalendarConfig.catch_up
    if data.get("catch_up") is not None:
        catch_up = duration(check, data["catch_up"], ("calendar", "catch_up"))
    return CalendarConfig(start=start, pause=check.boolean(data, "pause", ("calendar",), False),
                          blackout=tuple(sorted(blackout)),
                          publish=check.boolean(data, "publish", ("calendar",), False), catch_up=catch_up)


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
