"""Web analytics exports: Plausible's CSV export (a .zip) and GoatCounter's CSV export.

Plausible's export is one CSV per report of its dashboard. Only ``visitors.csv`` is dated (one row
per hour, day, week or month); every other file is a total for the whole exported range, keyed by a
``name`` column (a page path, a utm_source or a utm_campaign value). GoatCounter's export is one row
per pageview; its header's first cell carries the format version ('2Path').
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import zipfile
from pathlib import PurePosixPath
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from cmhub.core.errors import CmhubError, error
from cmhub.report.model import Fact, Note, ReadFile
from cmhub.report.tables import Row, Table, decode, instant, iso_day, local_day, missing, number, read_csv

PLAUSIBLE = "Plausible CSV export (.zip)"
PLAUSIBLE_DATED = ("date", "visitors")
PLAUSIBLE_BREAKDOWN = ("name", "visitors")
BREAKDOWNS = {"pages.csv": "page", "utm_sources.csv": "source", "utm_campaigns.csv": "campaign"}
"""The files of the export the report uses, and what their ``name`` column holds."""
GOATCOUNTER_VERSIONS = (1, 2)
GOATCOUNTER = ("Path", "Event", "Bot", "Session", "Referrer", "Referrer scheme", "Date")
_MAX_MEMBER = 200_000_000
_VERSIONED_PATH = re.compile(r"^(\d+),?Path$")


def read_plausible(name: str, archive: zipfile.ZipFile) -> ReadFile:
    """Return the facts of a Plausible export: visits per day (or week, month), and per page, utm_source
    and utm_campaign over the exported range. Raises CmhubError naming the file and what was expected."""
    members = {PurePosixPath(member.filename).name: member for member in archive.infolist()
               if not member.is_dir()}
    if "visitors.csv" not in members:
        raise CmhubError([error(name, None, "is a .zip but not Plausible's CSV export: it has no visitors.csv "
                                            "(with the columns date, visitors)")])
    dated = _member(name, archive, members["visitors.csv"], PLAUSIBLE_DATED)
    facts = _visitors(name, dated)
    first, last = min(f.start for f in facts), max(f.end for f in facts)
    notes = []
    for member_name, by in BREAKDOWNS.items():
        if member_name not in members:
            notes.append(Note.of(f"no_{by}s", member=member_name))
            continue
        table = _member(name, archive, members[member_name], PLAUSIBLE_BREAKDOWN)
        for row in table.rows:
            value = number(f"{name}: {member_name}", row, "visitors")
            label = row.get("name")
            if not value or not label:
                continue
            facts.append(Fact("plausible", "visits", first, last, value, name, by=by, key=label,
                              page=label if by == "page" else "", campaign=label if by == "campaign" else "",
                              utm_source=label if by == "source" else ""))
    return ReadFile(name, PLAUSIBLE, tuple(facts), first, last, tuple(notes))


def _member(name: str, archive: zipfile.ZipFile, member: zipfile.ZipInfo, required: tuple[str, ...]) -> Table:
    where = f"{name}: {member.filename}"
    if member.file_size > _MAX_MEMBER:
        raise CmhubError([error(where, None, f"is too large ({member.file_size} bytes) for an export")])
    try:
        data = archive.read(member)
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
        raise CmhubError([error(name, None, f"damaged zip archive: {member.filename}: {exc}")]) from exc
    table = read_csv(where, decode(where, data))
    lacking = missing(table, required)
    if lacking:
        raise CmhubError([error(where, 1, f"expected Plausible's columns {', '.join(required)}; "
                                          f"missing: {', '.join(lacking)}")])
    return table


def _visitors(name: str, table: Table) -> list[Fact]:
    """Read visitors.csv into visits per day, or per week or month when the export was made so."""
    where = f"{name}: visitors.csv"
    per_day: dict[dt.date, int] = {}
    hourly = False
    for row in table.rows:
        cell = row.get("date")
        hourly = hourly or len(cell) > 10
        day = iso_day(where, row.line, "date", cell)
        per_day[day] = per_day.get(day, 0) + (number(where, row, "visitors") or 0)
    if not per_day:
        raise CmhubError([error(where, 2, "has no rows: the export covers no day")])
    days = sorted(per_day)
    steps = {(b - a).days for a, b in zip(days, days[1:], strict=False)}
    monthly = all(d.day == 1 for d in days) and all(_next_month(a) == b for a, b in zip(days, days[1:],
                                                                                        strict=False))
    if hourly or steps <= {1}:
        ends = {day: day for day in days}
    elif steps == {7}:
        ends = {day: day + dt.timedelta(days=6) for day in days}
    elif monthly:
        ends = {day: day.replace(day=calendar.monthrange(day.year, day.month)[1]) for day in days}
    else:
        raise CmhubError([error(where, 2, "its dates are neither hours, days, weeks nor months apart; "
                                          "export it again from Plausible")])
    return [Fact("plausible", "visits", day, ends[day], per_day[day], name) for day in days]


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def goatcounter_version(header: tuple[str, ...]) -> int | None:
    """Return the format version of a GoatCounter export's header ('2Path,Title,...'), or None."""
    if not header:
        return None
    match = _VERSIONED_PATH.match(header[0])
    if match:
        return int(match.group(1))
    if len(header) > 1 and header[0].isdigit() and header[1] == "Path":
        return int(header[0])
    return None


def read_goatcounter(name: str, table: Table, tz: ZoneInfo) -> ReadFile:
    """Return one fact per page visited in a session (bots and events left out), dated in the hub's
    time zone, with the utm values of its path (or the campaign source GoatCounter recorded)."""
    version = goatcounter_version(table.header)
    if version not in GOATCOUNTER_VERSIONS:
        raise CmhubError([error(name, 1, f"GoatCounter export format version {version} is not supported "
                                         f"(versions {', '.join(map(str, GOATCOUNTER_VERSIONS))} are)")])
    shifted = 1 if table.header[0].isdigit() else 0
    columns = {column.casefold() for column in table.header[shifted + 1:]} | {"path"}
    lacking = missing(columns, GOATCOUNTER)
    if lacking:
        raise CmhubError([error(name, 1, f"GoatCounter export version {version} without the columns "
                                         f"{', '.join(lacking)}")])
    first_column = table.header[0 if not shifted else 1].casefold()
    facts: list[Fact] = []
    for row in table.rows:
        fact = _hit(name, Row(row.line, {**row.cells, "path": row.cells.get(first_column, "")}), tz)
        if fact is not None:
            facts.append(fact)
    first = min((f.start for f in facts), default=None)
    last = max((f.end for f in facts), default=None)
    return ReadFile(name, f"GoatCounter CSV export, version {version}", tuple(facts), first, last)


def _hit(name: str, row: Row, tz: ZoneInfo) -> Fact | None:
    if row.get("Event").lower() in ("true", "1", "t") or row.get("Bot") not in ("", "0"):
        return None
    stamp = row.get("Date")
    day = local_day(instant(name, row.line, "Date", stamp), tz)
    path = row.get("path")
    parts = urlsplit(path)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    source = query.get("utm_source") or query.get("ref") or query.get("src") or query.get("source") or ""
    if not source and row.get("Referrer scheme") == "c":
        source = row.get("Referrer")
    session = row.get("Session")
    key = f"{session}|{parts.path}" if session else f"@{stamp}|{parts.path}"
    return Fact("goatcounter", "visits", day, day, 1, name, by="hit", key=key, page=path,
                campaign=query.get("utm_campaign") or query.get("campaign") or "", utm_source=source)
