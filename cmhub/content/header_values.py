"""How each kind of front-matter value is read (cmhub.content.frontmatter): text, taken as written
when it is a number or a date; instants in the hub's time zone; lists of words; the per-network
settings of ``syndicate:``. Each problem goes to the one reader of typed YAML (cmhub.settings.fields)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from datetime import tzinfo
from types import MappingProxyType
from typing import Any

from cmhub.content.model import NetworkOverride
from cmhub.core.dates import parse_instant
from cmhub.core.errors import did_you_mean
from cmhub.core.limits import MAX_TERMS, line_problem
from cmhub.core.urls import MAX_SEGMENT_BYTES, slugify
from cmhub.networks.registry import NETWORK_NAMES
from cmhub.settings.fields import Fields

ONE_LINE = ("title", "slug", "image", "image_alt", "lang", "canonical")
"""Keys whose value is one line of text (a newline would break the page's head or its URL)."""
_NETWORK_KEYS = ("text", "at", "first_comment", "image", "thread")


def text_value(fields: Fields, data: Mapping[str, Any], key: str, required: bool = False) -> str:
    """Return a one-line text (a number or a date is taken as written), stripped; '' when absent."""
    value = data.get(key)
    if value is None:
        if required:
            fields.fail(f"missing required key '{key}'")
        return ""
    if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
        value = value.isoformat() if isinstance(value, dt.date) else str(value)
    if not isinstance(value, str) or (required and not value.strip()):
        fields.fail(f"'{key}' must be text, got {value!r}", key)
        return ""
    problem = line_problem(value.strip()) if key in ONE_LINE else None
    if problem is not None:
        fields.fail(f"'{key}' {problem}", key)
        return ""
    return value.strip()


def instant_value(fields: Fields, data: Mapping[str, Any], key: str, tz: tzinfo,
                  required: bool = False) -> dt.datetime | None:
    """Return an instant in the hub's time zone (a date or a time without offset is the hub's)."""
    value = data.get(key)
    if value is None:
        if required:
            fields.fail(f"missing required key '{key}' (the publication date, e.g. 2026-12-01T09:00:00)")
        return None
    try:
        return parse_instant(value, tz).astimezone(tz)
    except ValueError as exc:
        fields.fail(f"'{key}' {exc}", key)
        return None
    except OverflowError:
        shown = value.isoformat() if isinstance(value, dt.date) else value
        fields.fail(f"'{key}' is out of the range of dates cmhub can handle, got {shown!r}", key)
        return None


def words_value(fields: Fields, data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """Return a list of words ('a, b' as well as [a, b]), each once, each a valid line."""
    value = data.get(key)
    if value is None:
        return ()
    # "tags: facebook, veille" is a common way of writing a list: take it as one
    items = [part for part in value.split(",") if part.strip()] if isinstance(value, str) else value
    if not isinstance(items, list):
        fields.fail(f"'{key}' must be a list such as [a, b], got {value!r}", key)
        return ()
    result: list[str] = []
    for index, item in enumerate(items):
        if isinstance(item, (int, float, dt.date)) and not isinstance(item, bool):
            item = item.isoformat() if isinstance(item, dt.date) else str(item)
        if not isinstance(item, str) or not item.strip():
            fields.fail(f"'{key}' items must be non-empty text, got {item!r}", key, index)
        elif key != "aliases" and (problem := line_problem(item.strip())) is not None:
            fields.fail(f"'{key}' items {problem}", key, index)
        elif item.strip() not in result:
            result.append(item.strip())
    if key in ("tags", "categories"):
        for index, item in enumerate(result):
            if len(slugify(item)) > MAX_SEGMENT_BYTES:
                fields.fail(f"'{key}' items must make a URL part of at most {MAX_SEGMENT_BYTES} characters, "
                          f"got one of {len(slugify(item))}", key, index)
    if key in ("tags", "categories") and len(result) > MAX_TERMS:
        fields.fail(f"'{key}' has {len(result)} entries; an article may have at most {MAX_TERMS} "
                  "(each one makes pages and feeds that list it)", key)
        return tuple(result[:MAX_TERMS])
    return tuple(result)


def syndicate_overrides(fields: Fields, value: Any, tz: tzinfo) -> Mapping[str, NetworkOverride]:
    """Return the per-network settings of ``syndicate:``: a text, false, or a mapping of settings."""
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
            fields.unknown(entry, _NETWORK_KEYS, keys)
            at = None
            if entry.get("at") is not None:
                try:
                    at = parse_instant(entry["at"], tz).astimezone(tz)
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
