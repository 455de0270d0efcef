"""The permalink ledger: every URL the hub has published, kept in the project like a lock file.

``permalinks.lock`` records, for each article once published, its feed id, its first
publication instant, its current URL and every URL it had before. Old URLs then redirect
to the current one, feed ids never change, and a published article cannot vanish silently.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from cmhub.cache import RenderCache
from cmhub.dates import iso, parse_instant
from cmhub.errors import CmhubError, Problem, error
from cmhub.models import Article
from cmhub.yamlsource import load_yaml

LEDGER_NAME = "permalinks.lock"
_HEADER = """\
# cmhub permalink ledger: every URL this hub has published. Commit this file.
# cmhub build keeps it up to date; `cmhub build --locked` (for CI) fails if it would change.
# To take a published article down on purpose: cmhub retire /its-url/ [--redirect-to /other/]
"""


@dataclass(frozen=True)
class Entry:
    """What the ledger knows of one published article."""

    id: str
    published: dt.datetime
    path: str
    """Current site path ('mon-article/')."""
    old_paths: tuple[str, ...] = ()


@dataclass(frozen=True)
class Retired:
    """A URL taken down on purpose: it serves a 'gone' page, or redirects to ``to``."""

    path: str
    to: str = ""


@dataclass(frozen=True)
class Ledger:
    """The whole ledger: entries by article source, and retired URLs by path."""

    entries: Mapping[str, Entry] = field(default_factory=dict)
    retired: Mapping[str, Retired] = field(default_factory=dict)


def entry_id(base_url: str, path: str, published: dt.datetime) -> str:
    """Return a new feed id: a tag URI (RFC 4151) from host, publication day and first URL."""
    parts = urlsplit(base_url)
    return f"tag:{parts.hostname or 'localhost'},{published.date().isoformat()}:{parts.path or '/'}{path}"


def parse_ledger(text: str, source: str = LEDGER_NAME) -> Ledger:
    """Return the ledger in a text, or raise CmhubError if it was edited into nonsense."""
    data = load_yaml(text, source) or {}
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        raise CmhubError([error(source, 1, "must be a mapping; restore it from version control")])
    entries: dict[str, Entry] = {}
    for key, value in (data.get("articles") or {}).items():
        try:
            entries[str(key)] = Entry(
                id=str(value["id"]),
                published=parse_instant(value["published"], dt.UTC),
                path=str(value["url"]).lstrip("/"),
                old_paths=tuple(str(p).lstrip("/") for p in value.get("old_urls") or ()),
            )
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
            problems.append(error(source, None, f"entry '{key}' is damaged; restore it from version control"))
    retired: dict[str, Retired] = {}
    for key, value in (data.get("retired") or {}).items():
        target = value.get("redirect_to", "") if isinstance(value, Mapping) else ""
        retired[str(key).lstrip("/")] = Retired(str(key).lstrip("/"), str(target or "").lstrip("/"))
    if problems:
        raise CmhubError(problems)
    return Ledger(entries, retired)


def format_ledger(ledger: Ledger) -> str:
    """Return the ledger as the diff-friendly text committed in the project."""
    articles: dict[str, Any] = {}
    for source in sorted(ledger.entries):
        entry = ledger.entries[source]
        item: dict[str, Any] = {"id": entry.id, "published": iso(entry.published), "url": "/" + entry.path}
        if entry.old_paths:
            item["old_urls"] = ["/" + p for p in entry.old_paths]
        articles[source] = item
    data: dict[str, Any] = {"articles": articles}
    if ledger.retired:
        data["retired"] = {"/" + r.path: ({"redirect_to": "/" + r.to} if r.to else "gone")
                           for r in sorted(ledger.retired.values(), key=lambda r: r.path)}
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return _HEADER + yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)


def load_ledger(root: Path, cache: RenderCache | None = None) -> tuple[Ledger, str]:
    """Read the project's ledger; return it with its text ('' when there is none yet).

    With a ``cache``, the ledger parsed from the very same text by an earlier build is reused.
    """
    path = root / LEDGER_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Ledger(), ""
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else exc
        raise CmhubError([error(LEDGER_NAME, None, f"cannot be read ({reason}); restore it from version control")]) \
            from exc
    if cache is None:
        return parse_ledger(text), text
    key = "ledger|" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    ledger = cache.get(key)
    if not isinstance(ledger, Ledger):
        ledger = parse_ledger(text)
        cache.put(key, ledger)
    return ledger, text


def record(ledger: Ledger, published: tuple[Article, ...], base_url: str) -> Ledger:
    """Return the ledger once ``published`` articles are recorded; moved URLs keep the old ones."""
    entries = dict(ledger.entries)
    for article in published:
        entry = entries.get(article.source)
        if entry is None:
            entries[article.source] = Entry(entry_id(base_url, article.path, article.date), article.date,
                                            article.path)
        elif entry.path != article.path:
            old = tuple(p for p in (*entry.old_paths, entry.path) if p != article.path)
            entries[article.source] = replace(entry, path=article.path, old_paths=tuple(dict.fromkeys(old)))
    return Ledger(entries, ledger.retired)


def missing_articles(ledger: Ledger, sources: set[str], retired_paths: set[str]) -> list[Problem]:
    """Return an error for each recorded article whose file is gone and whose URL is not retired."""
    problems = []
    for source, entry in sorted(ledger.entries.items()):
        if source not in sources and entry.path not in retired_paths:
            problems.append(error(source, None, (
                f"was published at /{entry.path} and its file is gone; restore it, or retire its URL on "
                f"purpose: 'cmhub retire /{entry.path}' (serves a 'gone' page) or "
                f"'cmhub retire /{entry.path} --redirect-to /other-article/'")))
    return problems


def retire(ledger: Ledger, url: str, redirect_to: str = "") -> Ledger:
    """Return the ledger with ``url`` taken down on purpose ('gone', or redirected).

    Raises CmhubError when the URL was never published by this hub.
    """
    path = url.strip().lstrip("/")
    if path and not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    known = {e.path for e in ledger.entries.values()} | {p for e in ledger.entries.values() for p in e.old_paths}
    if path not in known:
        raise CmhubError([error(LEDGER_NAME, None, f"'/{path}' is not a URL this hub has published")])
    target = redirect_to.strip().lstrip("/")
    if target and not target.endswith("/") and "." not in target.rsplit("/", 1)[-1]:
        target += "/"
    return Ledger(ledger.entries, {**ledger.retired, path: Retired(path, target)})


def retire_in_project(root: Path, url: str, redirect_to: str = "") -> str:
    """Record a retired URL in the project's ledger; return the message for the user."""
    ledger, _ = load_ledger(root)
    updated = retire(ledger, url, redirect_to)
    from cmhub.writer import write_text

    write_text(root / LEDGER_NAME, format_ledger(updated))
    path = "/" + url.strip().lstrip("/")
    return f"{path} retired: it will " + (f"redirect to /{redirect_to.strip().lstrip('/')}"
                                          if redirect_to else "serve a 'gone' page") + " from the next build"
