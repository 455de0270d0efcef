"""The permalink ledger: every article URL the hub has published or scheduled, kept like a lock file.

``permalinks.lock`` records, for each article seen published or scheduled, its feed id, the
instant its URL goes (or went) live, its current URL, every URL it had before and its title.
Old URLs then redirect to the current one, feed ids never change, and a published article
cannot vanish silently (see cmhub.content.permalinks for the rules).

The file has one line per article and per retired URL, so that concurrent additions merge
cleanly, and it always ends with ``# end of permalinks.lock``: a file without that line was cut
short. Every line is checked; a damaged one is an error at its line, never a silent reset.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

LEDGER_NAME = "permalinks.lock"
VERSION = 2
END = "# end of permalinks.lock"
_HEADER = """\
# cmhub permalink ledger: every article URL this hub has published or scheduled. Commit this file.
# One line per article: feed id, the instant its URL goes live, URL, older URLs, title.
# cmhub build keeps it up to date and stops at a damaged line; --locked (CI) fails if a live URL
# would change. To take a published URL down: cmhub retire /its-url/ [--redirect-to /other/]
# Edit by hand only to say where a moved article went (rename its key); keep the last line last.
"""
RESTORE = ("restore it from version control ('git checkout -- permalinks.lock'), or fix the line by hand "
           "(docs/permalinks.md)")


@dataclass(frozen=True)
class Entry:
    """What the ledger knows of one article seen published or scheduled."""

    id: str
    published: dt.datetime
    """When its URL goes live (scheduled) or went live (first publication); frozen once passed."""
    path: str
    """Current site path ('mon-article/')."""
    old_paths: tuple[str, ...] = ()
    """Site paths it was served at before, each redirecting to ``path``."""
    title: str = ""
    """Its latest title, to recognise the article when its file is moved or renamed."""
    line: int | None = field(default=None, compare=False)
    """Line of the entry in permalinks.lock, when read from it."""


@dataclass(frozen=True)
class Retired:
    """A URL taken down on purpose: it serves a 'gone' page, or redirects to ``to``."""

    path: str
    to: str = ""
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Ledger:
    """The whole ledger: entries by article source, and retired URLs by path."""

    entries: Mapping[str, Entry] = field(default_factory=dict)
    retired: Mapping[str, Retired] = field(default_factory=dict)


def entry_id(base_url: str, path: str, published: dt.datetime) -> str:
    """Return a new feed id: a tag URI (RFC 4151) from host, publication day and first URL."""
    parts = urlsplit(base_url)
    return f"tag:{parts.hostname or 'localhost'},{published.date().isoformat()}:{parts.path or '/'}{path}"


def format_ledger(ledger: Ledger) -> str:
    """Return the ledger as the line-per-entry text committed in the project (same ledger, same bytes)."""
    lines = [_HEADER.rstrip("\n"), f"version: {VERSION}", "articles:"]
    for source in sorted(ledger.entries):
        entry = ledger.entries[source]
        item: dict[str, Any] = {"id": entry.id, "published": entry.published.replace(microsecond=0).isoformat(),
                                "url": "/" + entry.path}
        if entry.old_paths:
            item["old_urls"] = ["/" + p for p in entry.old_paths]
        if entry.title:
            item["title"] = entry.title
        lines.append(f"  {_json(source)}: {_json(item)}")
    lines.append("retired:")
    for path in sorted(ledger.retired):
        retired = ledger.retired[path]
        lines.append(f"  {_json('/' + path)}: {_json({'redirect_to': '/' + retired.to} if retired.to else 'gone')}")
    lines.append(END)
    return "\n".join(lines) + "\n"


def ledger_text(ledger: Ledger, previous: Ledger, previous_text: str) -> str:
    """Return the text to keep in permalinks.lock: the previous one when it says the same in this format."""
    if ledger == previous and f"\nversion: {VERSION}\n" in previous_text:
        return previous_text
    return format_ledger(ledger)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


