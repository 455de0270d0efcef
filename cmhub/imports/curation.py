"""Curating hundreds of posts down to the ones worth keeping: --since, --until, --min-words, --select.

A select file lists what to keep, one item a line, by the first word of the line: an item id, a
day (YYYY-MM-DD, every item of that day in the hub's time zone), or a URL or export path that names
the item (a WordPress link, a feed entry's link, an Instagram media path). Blank lines and lines
starting with '#' are ignored, and so is whatever follows the first word: the listing that
``--dry-run`` prints is a select file, to be trimmed down to the lines worth keeping.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from cmhub.core.dates import parse_instant
from cmhub.core.errors import CmhubError, Problem, error
from cmhub.imports.model import Item

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Selection:
    """The lines of a --select file: (line number, first word)."""

    path: str
    keys: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Curation:
    """Which items to keep."""

    since: dt.datetime | None = None
    """Keep items from this instant on."""
    until: dt.datetime | None = None
    """Keep items before this instant (--until 2019-12-31 keeps that whole day)."""
    min_words: int = 0
    select: Selection | None = None


def parse_bound(value: str | None, option: str, tz: ZoneInfo, end: bool = False) -> dt.datetime | None:
    """Return the instant a --since or --until option names (a day or an ISO 8601 instant, hub time).

    A day given to --until (``end``) means the end of that day. Raises CmhubError when unreadable.
    """
    if value is None:
        return None
    try:
        moment = parse_instant(value, tz)
    except ValueError as exc:
        raise CmhubError([error(option, None, str(exc))]) from exc
    if end and _DAY.match(value.strip()):
        moment = (moment.replace(tzinfo=None) + dt.timedelta(days=1)).replace(tzinfo=tz)
    return moment


def parse_selection(text: str, path: str) -> Selection:
    """Return the keys of a select file's text (see the module docstring)."""
    keys = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if words and not words[0].startswith("#"):
            keys.append((number, words[0]))
    return Selection(path, tuple(keys))


def curate(items: Sequence[Item], curation: Curation) -> tuple[list[Item], int]:
    """Return the items to keep and how many were left out.

    Raises CmhubError for each line of the select file that names no item of the export.
    """
    kept = [item for item in items
            if (curation.since is None or item.date >= curation.since)
            and (curation.until is None or item.date < curation.until)
            and item.words >= curation.min_words]
    if curation.select is not None:
        chosen, problems = _selected(items, curation.select)
        if problems:
            raise CmhubError(problems)
        kept = [item for item in kept if item.id in chosen]
    return kept, len(items) - len(kept)


def _selected(items: Sequence[Item], selection: Selection) -> tuple[set[str], list[Problem]]:
    names: dict[str, set[str]] = {}
    for item in items:
        for name in (item.id, item.date.date().isoformat(), item.canonical, *item.urls):
            if name:
                names.setdefault(name, set()).add(item.id)
    chosen: set[str] = set()
    problems = []
    for number, key in selection.keys:
        found = names.get(key) or names.get(key.rstrip("/") + "/") or names.get(key.rstrip("/"))
        if found:
            chosen |= found
        else:
            problems.append(error(selection.path, number, f"'{key}' names no item of this export (a line starts "
                                                          "with an id, a day YYYY-MM-DD or a URL from the --dry-run "
                                                          "listing)"))
    return chosen, problems
