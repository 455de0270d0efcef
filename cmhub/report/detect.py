"""Telling export files apart by their content (never by their name), and reading each with its reader.

An unknown or damaged file is an error that names it and says what was expected: for a table,
the format whose required columns it comes closest to, with the columns it lacks.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from cmhub.core.errors import CmhubError, error
from cmhub.report import analytics, ledgers, linkedin, meta, xcom
from cmhub.report.model import ReadFile
from cmhub.report.tables import Table, decode, missing, read_csv

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class TableFormat:
    """A CSV export recognised by a subset of its columns (the others may come and go)."""

    name: str
    required: tuple[str, ...]
    read: Callable[[str, Table, ZoneInfo], ReadFile] | None
    """None: recognised only to say what to give instead."""
    hint: str = ""


TABLES = (
    TableFormat(meta.POSTS_FORMAT, meta.POSTS, meta.read_posts),
    TableFormat(xcom.NEW_FORMAT, xcom.NEW, lambda name, table, tz: xcom.read_new(name, table)),
    TableFormat(xcom.OLD_FORMAT, xcom.OLD, xcom.read_old),
    TableFormat(xcom.OVERVIEW_FORMAT, xcom.OVERVIEW, lambda name, table, tz: xcom.read_overview(name, table)),
    TableFormat("a file of Plausible's CSV export", analytics.PLAUSIBLE_DATED, None,
                "give the .zip Plausible exported, as it is (its visitors.csv dates the other files)"),
    TableFormat("a file of Plausible's CSV export", analytics.PLAUSIBLE_BREAKDOWN, None,
                "give the .zip Plausible exported, as it is (its visitors.csv dates the other files)"),
)
"""The CSV formats, most specific first."""


def read_export(name: str, data: bytes, tz: ZoneInfo) -> ReadFile:
    """Return what an export file states, whatever its name; ``tz`` is the hub's time zone.

    Raises CmhubError naming the file and what was expected when it is unknown or damaged.
    """
    if data.startswith(_ZIP):
        return _read_zip(name, data)
    if data.startswith(_OLE):
        raise CmhubError([error(name, None, "is an old Excel .xls workbook: open it and save it as .xlsx "
                                            "(LinkedIn Page exports are read as .xlsx)")])
    text = decode(name, data)
    first = text.split("\n", 1)[0].strip()
    if not first:
        raise CmhubError([error(name, 1, "is empty, or starts with a blank line: not an export cmhub reads")])
    kind = ledgers.ledger_kind(first)
    if kind == ledgers.POSTS_NAME:
        return ledgers.read_posts(name, text, tz)
    if kind == "interactions":
        return ledgers.read_interactions(name, text, tz)
    if first.replace('"', "").replace(" ", "").casefold() == "sep=,":
        return meta.read_series(name, text)
    table = read_csv(name, text)
    if analytics.goatcounter_version(table.header) is not None:
        return analytics.read_goatcounter(name, table, tz)
    for candidate in TABLES:
        if not missing(table, candidate.required):
            if candidate.read is None:
                raise CmhubError([error(name, 1, f"is {candidate.name}: {candidate.hint}")])
            return candidate.read(name, table, tz)
    raise CmhubError([error(name, 1, _closest(table))])


def _read_zip(name: str, data: bytes) -> ReadFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise CmhubError([error(name, None, f"damaged zip archive: {exc}")]) from exc
    with archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" in names:
            return linkedin.read_xlsx(name, data)
        return analytics.read_plausible(name, archive)


def _closest(table: Table) -> str:
    """Return the message for a table no format recognises: the closest format and what it lacks."""
    columns = table.columns()
    candidates = [(t.name, t.required) for t in TABLES if t.read is not None]
    scores = [(sum(col.casefold() in columns for col in required), -index)
              for index, (_, required) in enumerate(candidates)]
    best = candidates[-max(scores)[1]]
    if not max(scores)[0]:
        return ("is not an export cmhub reads (see docs/report.md): expected a Plausible .zip, a GoatCounter "
                "CSV, a Meta Business Suite CSV, a LinkedIn .xlsx, an X analytics CSV, posts.lock or "
                "interactions.jsonl")
    return (f"is not an export cmhub reads; closest: {best[0]}, which needs the columns "
            f"{', '.join(best[1])} (missing: {', '.join(missing(columns, best[1]))})")
