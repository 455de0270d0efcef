"""Durable permalinks: what a build records in the ledger, and what it may serve from it.

The rules, for a build at ``now`` (the ledger's format is in cmhub.ledgers.permalinks_lock):

- An article seen published or scheduled (never a draft) is recorded at once with its URL and
  the instant that URL goes live (its date), so that a later build that never saw the ledger of
  the build that published it still knows the URL went live then.
- An entry whose instant is still after ``now`` was never served: it follows its article
  (new URL, new date, new feed id, or gone with the file or when the article becomes a draft),
  and nothing of it reaches the site (no redirect, no 'gone' page).
- An entry whose instant has passed was served: its feed id and instant are frozen, and when
  its published article gets a new URL, the old one is kept and redirects.
- A recorded file that vanished while an unrecorded article appeared is the same article moved
  or renamed when they share a URL, or else the same instant and title (see match_moves).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from cmhub.content.model import SYNDICATED, Article
from cmhub.core.errors import CmhubError, Problem, error
from cmhub.core.urls import output_file
from cmhub.ledgers.permalinks_lock import LEDGER_NAME, Entry, Ledger, entry_id


def is_served(entry: Entry, now: dt.datetime) -> bool:
    """Tell whether the entry's URL has gone live by ``now`` (whether or not a build saw it then)."""
    return entry.published <= now


def served(ledger: Ledger, now: dt.datetime, scheduled: Iterable[str] = ()) -> Ledger:
    """Return what the site may know of the ledger: the entries that have gone live, except those of
    ``scheduled`` articles (a URL that comes back at its new date is not 'gone'; and if no build saw
    the article rescheduled before its recorded date, that URL was perhaps never served)."""
    later = set(scheduled)
    return Ledger({s: e for s, e in ledger.entries.items() if is_served(e, now) and s not in later}, ledger.retired)


def match_moves(ledger: Ledger, articles: Sequence[Article]) -> dict[str, str]:
    """Return {recorded source: new source} for every article file moved or renamed.

    A recorded source that no longer exists is the same article as an unrecorded one when the
    new one has its URL (current or older), or else, when no article has its URL, the same
    instant and title. Raises CmhubError, at the entry's line, when two candidates tie.
    """
    sources = {a.source for a in articles}
    vanished = {s: e for s, e in ledger.entries.items() if s not in sources}
    if not vanished:
        return {}
    fresh = [a for a in articles if a.source not in ledger.entries]
    claims: dict[str, list[str]] = {}
    problems: list[Problem] = []
    for source, entry in sorted(vanished.items()):
        urls = {entry.path, *entry.old_paths}
        found = [a for a in fresh if a.path in urls]
        rule = f"same URL /{entry.path}"
        if not found and entry.title:
            found = [a for a in fresh if a.date == entry.published and a.title == entry.title]
            rule = "same date and title"
        if len(found) > 1:
            problems.append(error(LEDGER_NAME, entry.line, (
                f"'{source}' is gone and {_names(a.source for a in found)} could each be it, moved ({rule}): "
                f"rename the key '{source}' to the right file on this line, then build again")))
        elif found:
            claims.setdefault(found[0].source, []).append(source)
    for new, olds in sorted(claims.items()):
        if len(olds) > 1:
            problems.append(error(LEDGER_NAME, ledger.entries[olds[1]].line, (
                f"'{new}' could be any of {_names(olds)}, moved: rename the key of the right one to '{new}' "
                "and retire the other's URL ('cmhub retire /url/'), then build again")))
    if problems:
        raise CmhubError(problems)
    return {olds[0]: new for new, olds in claims.items()}


def _names(sources: Iterable[str]) -> str:
    return ", ".join(f"'{s}'" for s in sorted(sources))


def moved(ledger: Ledger, moves: Mapping[str, str]) -> Ledger:
    """Return the ledger with its entries under their new sources."""
    if not moves:
        return ledger
    entries = {moves.get(s, s): e for s, e in ledger.entries.items()}
    return Ledger(entries, ledger.retired)


def missing_articles(ledger: Ledger, sources: set[str], now: dt.datetime) -> list[Problem]:
    """Return an error for each served article whose file is gone and whose URL is not retired."""
    problems = []
    for source, entry in sorted(ledger.entries.items()):
        if source not in sources and is_served(entry, now) and entry.path not in ledger.retired:
            problems.append(error(source, None, (
                f"was published at /{entry.path} and its file is gone; restore it, or retire its URL on "
                f"purpose: 'cmhub retire /{entry.path}' (serves a 'gone' page) or "
                f"'cmhub retire /{entry.path} --redirect-to /other-article/' (a file moved or renamed keeps "
                "its URL, or its date and title, or its key renamed in permalinks.lock)")))
    return problems


def record(ledger: Ledger, articles: Sequence[Article], now: dt.datetime, base_url: str) -> Ledger:
    """Return the ledger once this build's articles are recorded (moves already applied).

    Entries of files that are gone and never went live are dropped.
    """
    entries = dict(ledger.entries)
    sources = set()
    for article in articles:
        sources.add(article.source)
        state = article.state(now)
        entry = entries.get(article.source)
        if entry is None or not is_served(entry, now):
            if state == "draft":
                entries.pop(article.source, None)
            elif entry is not None or state in SYNDICATED:
                entries[article.source] = Entry(entry_id(base_url, article.path, article.date), article.date,
                                                article.path, entry.old_paths if entry else (), article.title)
        elif state == "published" and (entry.path, entry.title) != (article.path, article.title):
            old = tuple(dict.fromkeys(p for p in (*entry.old_paths, entry.path) if p != article.path))
            entries[article.source] = replace(entry, path=article.path, old_paths=old, title=article.title)
    for source, entry in list(entries.items()):
        if source not in sources and not is_served(entry, now):
            del entries[source]
    return Ledger(_distinct(entries, ledger.entries), ledger.retired)


def _distinct(entries: dict[str, Entry], before: Mapping[str, Entry]) -> dict[str, Entry]:
    """Return the entries with distinct feed ids (a new id that is taken gets a suffix; recorded ids
    never change); raise CmhubError when a new URL is another entry's current one."""
    ids: set[str] = set()
    paths: dict[str, str] = {}
    problems = []
    for source in sorted(entries, key=lambda s: (s not in before or before[s].id != entries[s].id, s)):
        entry = entries[source]
        if entry.path in paths:
            problems.append(error(source, None, (
                f"its URL /{entry.path} is still recorded for '{paths[entry.path]}' in permalinks.lock, "
                "which may have served it: give one of them another 'slug:'")))
        paths.setdefault(entry.path, source)
        unique, number = entry.id, 1
        while unique in ids:
            number += 1
            unique = f"{entry.id}-{number}"
        ids.add(unique)
        if unique != entry.id:
            entries[source] = replace(entry, id=unique)
    if problems:
        raise CmhubError(problems)
    return entries


def live_changes(before: Ledger, after: Ledger, moves: Mapping[str, str], now: dt.datetime) -> list[str]:
    """Return the sources whose live URL, older URLs, feed id or first publication changed."""
    changed = []
    for source, entry in sorted(before.entries.items()):
        new = after.entries.get(moves.get(source, source))
        if is_served(entry, now) and (new is None or _served_part(new) != _served_part(entry)):
            changed.append(source)
    return changed


def _served_part(entry: Entry) -> tuple[object, ...]:
    return entry.id, entry.published, entry.path, entry.old_paths


def retired_targets(ledger: Ledger, files: Iterable[str]) -> list[Problem]:
    """Return an error at its line for each retired URL that redirects to no file of the site."""
    made = set(files)
    return [error(LEDGER_NAME, r.line, f"'/{r.path}' redirects to '/{r.to}', which is no page or file of the "
                  "built site; correct its redirect_to or retire it as gone")
            for r in sorted(ledger.retired.values(), key=lambda r: r.path)
            if r.to and output_file(r.to) not in made]
