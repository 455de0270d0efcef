"""The plan ledger: when each teaser goes out, kept in the project like a lock file (``plan.lock``).

One tab-separated line per planning of a teaser, sorted, so that reviews read it and concurrent
identical additions merge cleanly. docs/plan-lock.md describes the format for the other readers of
the file (``cmhub publish``, ``cmhub report``); ``load_plan_ledger(root)`` is their typed API.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from cmhub.core.dates import utc_iso
from cmhub.core.errors import CmhubError, Problem, error

PLAN_LOCK_NAME = "plan.lock"
COLUMNS = ("source", "network", "variant", "at", "state", "batch", "planned", "basis", "closed", "note")
STATES = ("planned", "cancelled", "dropped")
_HEADER = f"""\
# cmhub plan ledger: when each teaser goes out, and in which batch of social/batches/ it was handed
# out. Commit this file. cmhub build keeps it; see docs/plan-lock.md. Instants are UTC; '-' is empty.
# {chr(9).join(COLUMNS)}
"""
_ESCAPES = (("%", "%25"), ("\t", "%09"), ("\n", "%0A"), ("\r", "%0D"))

TeaserKey = tuple[str, str, str]
"""(source, network, variant): the contract key of a teaser."""


@dataclass(frozen=True, order=True)
class PlanEntry:
    """One planning of one teaser: where it was placed, when, in which batch, and what became of it."""

    source: str
    """Project-relative article path ('content/a.md')."""
    network: str
    variant: str
    """'launch', 'reminder-1', ..."""
    planned: dt.datetime
    """The build clock when this planning was made (UTC); unique per key."""
    at: dt.datetime
    """The planned instant (UTC)."""
    state: str
    """'planned' (handed out, still standing), 'cancelled' (taken back: see closed and note) or
    'dropped' (never handed out: its instant passed before any build could)."""
    batch: str = ""
    """The batch that handed it out ('20261121T120000Z'); '' when none did."""
    basis: str = ""
    """The article's own timing inputs the instant was derived from ('date=...;at=...')."""
    closed: str = ""
    """The batch whose cancellations list it (cancelled entries)."""
    note: str = ""
    """Why it was cancelled, dropped, or planned late."""

    @property
    def key(self) -> TeaserKey:
        """The teaser's key (source, network, variant)."""
        return (self.source, self.network, self.variant)


@dataclass(frozen=True)
class PlanLedger:
    """Every planning recorded in plan.lock; ``exists`` is False when the hub has no plan.lock yet."""

    entries: tuple[PlanEntry, ...] = ()
    exists: bool = False
    latest: dict[TeaserKey, PlanEntry] = field(default_factory=dict, compare=False, repr=False)
    read_from: str = field(default="", compare=False, repr=False)
    """A digest of the text of plan.lock this ledger was read from ('' when it was made otherwise)."""

    def __post_init__(self) -> None:
        latest: dict[TeaserKey, PlanEntry] = {}
        for entry in sorted(self.entries):
            latest[entry.key] = entry  # sorted by key then planned: the last one wins
        self.latest.update(latest)

    def current(self, key: TeaserKey) -> PlanEntry | None:
        """Return the latest planning of a teaser, or None."""
        return self.latest.get(key)

    def moved(self, moves: Mapping[str, str]) -> PlanLedger:
        """Return the ledger with the teasers of moved article files under their new source (a file
        moved or renamed is the same article: its plannings, batches and instants follow it)."""
        if not moves or not any(e.source in moves for e in self.entries):
            return self
        return PlanLedger(tuple(replace(e, source=moves.get(e.source, e.source)) for e in self.entries),
                          exists=self.exists)

    def batches(self) -> list[str]:
        """Return every batch id that handed teasers out or listed cancellations, oldest first."""
        return sorted({e.batch for e in self.entries if e.batch} | {e.closed for e in self.entries if e.closed})


def batch_id(moment: dt.datetime) -> str:
    """Return the id of the batch a build at ``moment`` hands out: '20261121T120000Z'."""
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _escape(value: str) -> str:
    for raw, code in _ESCAPES:
        value = value.replace(raw, code)
    return value or "-"


def _unescape(value: str) -> str:
    if value == "-":
        return ""
    for raw, code in reversed(_ESCAPES):
        value = value.replace(code, raw)
    return value


def format_plan(ledger: PlanLedger) -> str:
    """Return plan.lock's text: the header, then one line per entry, sorted (same ledger, same bytes)."""
    lines = [_HEADER]
    for e in sorted(set(ledger.entries)):
        fields = (e.source, e.network, e.variant, utc_iso(e.at), e.state, e.batch, utc_iso(e.planned),
                  e.basis, e.closed, e.note)
        lines.append("\t".join(_escape(f) for f in fields) + "\n")
    return "".join(lines)


def parse_plan(text: str, source: str = PLAN_LOCK_NAME) -> PlanLedger:
    """Return the ledger in plan.lock's text; raise CmhubError naming each damaged line."""
    entries: list[PlanEntry] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [_unescape(f) for f in line.split("\t")]
        try:
            if len(fields) != len(COLUMNS):
                raise ValueError(f"has {len(fields)} fields, not {len(COLUMNS)}")
            values = dict(zip(COLUMNS, fields, strict=True))
            if values["state"] not in STATES:
                raise ValueError(f"state '{values['state']}' is not one of {', '.join(STATES)}")
            entries.append(PlanEntry(
                source=values["source"], network=values["network"], variant=values["variant"],
                planned=_instant(values["planned"]), at=_instant(values["at"]), state=values["state"],
                batch=values["batch"], basis=values["basis"], closed=values["closed"], note=values["note"]))
        except ValueError as exc:
            problems.append(error(source, number, f"damaged line ({exc}); restore it from version control"))
    if problems:
        raise CmhubError(problems)
    return PlanLedger(tuple(entries), exists=True, read_from=hashlib.sha256(text.encode("utf-8")).hexdigest())


def _instant(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"instant '{text}' has no offset")
    return moment.astimezone(dt.UTC)


def load_plan_ledger(root: Path) -> PlanLedger:
    """Return the plan ledger of the hub at ``root`` (empty, with ``exists`` False, when there is none).

    Raises CmhubError when the file is damaged.
    """
    try:
        text = (root / PLAN_LOCK_NAME).read_text(encoding="utf-8")
    except FileNotFoundError:
        return PlanLedger()
    return parse_plan(text)


def with_entries(ledger: PlanLedger, entries: Iterable[PlanEntry]) -> PlanLedger:
    """Return a ledger (that exists) holding ``entries``."""
    return PlanLedger(tuple(sorted(set(entries))), exists=True)
