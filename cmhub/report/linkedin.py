"""LinkedIn Page exports (.xlsx): the content export and the followers export.

Each sheet has a line of description on its first row and its header on the second. The content
export has ``All posts`` (one row per post, lifetime totals) and ``Metrics`` (one row per day for
the page); the followers export has ``New followers`` (one row per day: followers gained).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Sequence
from typing import Any

from cmhub.core.errors import CmhubError, error
from cmhub.report.model import Fact, Note, ReadFile
from cmhub.report.tables import count_of, iso_day, us_moment

FORMAT = "LinkedIn Page export (.xlsx)"
POSTS = ("Post title", "Post link", "Created date", "Impressions")
METRICS = ("Date", "Impressions (total)")
FOLLOWERS = ("Date", "Total followers")
SHEETS = {"posts": POSTS, "metrics": METRICS, "followers": FOLLOWERS}
_HEADER_ROWS = 3
_ACTIVITY = re.compile(r"urn:li:(?:activity|share|ugcPost):(\d+)")


def read_xlsx(name: str, data: bytes) -> ReadFile:
    """Return the facts of every sheet cmhub knows in a LinkedIn workbook; other sheets are noted.

    Raises CmhubError naming the file, and the sheets and columns expected, when none is known.
    """
    from openpyxl import load_workbook  # only when a workbook is read

    try:
        with warnings.catch_warnings():  # files made by other tools lack openpyxl's default style
            warnings.simplefilter("ignore", UserWarning)
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise CmhubError([error(name, None, f"damaged .xlsx workbook: {exc}")]) from exc
    facts: list[Fact] = []
    notes: list[Note] = []
    known = False
    try:
        for sheet in book.worksheets:
            rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
            kind, header_at = _kind(rows)
            if kind is None:
                notes.append(Note.of("sheet_unused", sheet=sheet.title))
                continue
            known = True
            header = [str(cell).strip() if cell is not None else "" for cell in rows[header_at]]
            where = f"{name}: sheet '{sheet.title}'"
            body = [(f"{where}, row {header_at + 2 + i}", dict(zip(header, row, strict=False))) for i, row in
                    enumerate(rows[header_at + 1:]) if any(cell not in (None, "") for cell in row)]
            facts.extend(_READERS[kind](name, body))
    finally:
        book.close()
    if not known:
        wanted = "; ".join(f"'{sheet}' with {', '.join(columns)}" for sheet, columns in
                           (("All posts", POSTS), ("Metrics", METRICS), ("New followers", FOLLOWERS)))
        raise CmhubError([error(name, None, f"is an .xlsx workbook but not a LinkedIn Page export: expected "
                                            f"a sheet {wanted} (header on row 2)")])
    return ReadFile(name, FORMAT, tuple(facts), min((f.start for f in facts), default=None),
                    max((f.end for f in facts), default=None), tuple(notes))


def _kind(rows: Sequence[tuple[Any, ...]]) -> tuple[str | None, int]:
    """Return which sheet this is and the index of its header row (the 2nd, or one of the first rows)."""
    for index, row in enumerate(rows[:_HEADER_ROWS]):
        cells = {str(cell).strip().casefold() for cell in row if cell is not None}
        for kind, required in SHEETS.items():
            if all(column.casefold() in cells for column in required):
                return kind, index
        if {"date", "impressions (organic)"} <= cells:
            return "metrics", index
    return None, 0


def _cell(row: dict[str, Any], *columns: str) -> Any:
    folded = {str(key).casefold(): value for key, value in row.items()}
    for column in columns:
        if column.casefold() in folded:
            return folded[column.casefold()]
    return None


Body = list[tuple[str, dict[str, Any]]]
"""A sheet's rows under its header: where each row is (for messages), and its cells by column."""


def _day(where: str, column: str, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return iso_day(where, None, column, value.isoformat())
    text = str(value or "").strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return iso_day(where, None, column, text)
    return us_moment(where, None, column, text)[0]


def _count(where: str, row: dict[str, Any], *columns: str) -> int | None:
    return count_of(where, None, columns[0], _cell(row, *columns), blank=None)


def _total(where: str, row: dict[str, Any], columns: Sequence[Sequence[str]]) -> int | None:
    """Return the sum of the columns the row has (each a list of names to try), None if it has none."""
    parts = [_count(where, row, *names) for names in columns]
    known = [p for p in parts if p is not None]
    return sum(known) if known else None


def _posts(name: str, body: Body) -> list[Fact]:
    facts = []
    for where, row in body:
        link = str(_cell(row, "Post link") or "").strip()
        if not link:
            continue
        day = _day(where, "Created date", _cell(row, "Created date"))
        found = _ACTIVITY.search(link)
        common = dict(by="post", key=found.group(1) if found else link, network="linkedin", page=link,
                      text=str(_cell(row, "Post title") or ""))
        facts.append(Fact("linkedin", "posts", day, day, 1, name, **common))
        for metric, value in (("impressions", _count(where, row, "Impressions")),
                              ("engagement", _total(where, row, (("Likes",), ("Comments",), ("Reposts",)))),
                              ("clicks", _count(where, row, "Clicks"))):
            if value is not None:
                facts.append(Fact("linkedin", metric, day, day, value, name, **common))
    return facts


def _metrics(name: str, body: Body) -> list[Fact]:
    facts = []
    for where, row in body:
        day = _day(where, "Date", _cell(row, "Date"))
        engagement = _total(where, row, [(f"{what} (total)", f"{what} (organic)")
                                         for what in ("Reactions", "Comments", "Reposts")])
        for metric, value in (("impressions", _count(where, row, "Impressions (total)", "Impressions (organic)")),
                              ("engagement", engagement),
                              ("clicks", _count(where, row, "Clicks (total)", "Clicks (organic)"))):
            if value is not None:
                facts.append(Fact("linkedin", metric, day, day, value, name, network="linkedin"))
    return facts


def _followers(name: str, body: Body) -> list[Fact]:
    return [Fact("linkedin", "new_followers", day, day, _count(where, row, "Total followers") or 0, name,
                 network="linkedin")
            for where, row in body for day in (_day(where, "Date", _cell(row, "Date")),)]


_READERS = {"posts": _posts, "metrics": _metrics, "followers": _followers}
