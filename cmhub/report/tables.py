"""Reading export tables: text encodings, CSV rows with their line numbers, numbers and dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from cmhub.core.errors import CmhubError, error

_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_X_DAY = re.compile(r"^(?:[A-Za-z]{3},\s*)?([A-Za-z]{3})\w*\s+(\d{1,2}),\s*(\d{4})$")
_US_MOMENT = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_OFFSET_MOMENT = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2})?)\s*([+-]\d{2}):?(\d{2})$")


def decode(name: str, data: bytes) -> str:
    """Return a file's text: UTF-16 with its byte-order mark (Meta's page series), else UTF-8 (a BOM is dropped).

    Raises CmhubError naming the file when it is neither.
    """
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CmhubError([error(name, None, "is not a text export (UTF-8 or UTF-16) nor a .zip or .xlsx "
                                            f"file cmhub reads: {exc.reason} at byte {exc.start}")]) from exc


@dataclass(frozen=True)
class Row:
    """One CSV record: its first line in the file, and its cells by column name."""

    line: int
    cells: Mapping[str, str]

    def get(self, *columns: str) -> str:
        """Return the first of these columns the row has (compared without case), stripped; '' if none."""
        for column in columns:
            value = self.cells.get(column.casefold())
            if value is not None:
                return value.strip()
        return ""

    def has(self, column: str) -> bool:
        """Tell whether the row's table has this column."""
        return column.casefold() in self.cells


@dataclass(frozen=True)
class Table:
    """A CSV table: its header (as written) and its rows."""

    name: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]

    def columns(self) -> set[str]:
        """Return the header's column names, compared without case."""
        return {column.casefold() for column in self.header}


def read_csv(name: str, text: str, skip: int = 0) -> Table:
    """Return the CSV table in ``text``, whose header is on line ``skip + 1``; blank lines are skipped.

    Raises CmhubError at the line where the CSV is damaged.
    """
    lines = io.StringIO(text, newline="")
    for _ in range(skip):
        lines.readline()
    reader = csv.reader(lines)
    rows: list[Row] = []
    header: list[str] = []
    previous = skip
    try:
        for record in reader:
            first, previous = previous + 1, skip + reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if not header:
                header = [cell.strip() for cell in record]
                continue
            folded = {column.casefold(): (record[i] if i < len(record) else "") for i, column in enumerate(header)}
            rows.append(Row(first, folded))
    except csv.Error as exc:
        raise CmhubError([error(name, previous + 1, f"damaged CSV: {exc}")]) from exc
    return Table(name, tuple(header), tuple(rows))


def missing(table: Table | set[str], required: Sequence[str]) -> list[str]:
    """Return the required columns a table (or a set of folded column names) lacks."""
    have = table.columns() if isinstance(table, Table) else table
    return [column for column in required if column.casefold() not in have]


def number(name: str, row: Row, *columns: str, blank: int | None = 0) -> int | None:
    """Return a count from the first of ``columns`` the row has: '1,234', '1 234', '12.0' are read;
    a blank cell gives ``blank``. Raises CmhubError at the row's line for anything else."""
    text = row.get(*columns)
    return count_of(name, row.line, columns[0], text, blank)


def count_of(name: str, line: int | None, column: str, value: object, blank: int | None = 0) -> int | None:
    """Return a count read from a cell's value (text or number); see ``number``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return blank
    if isinstance(value, bool):
        raise CmhubError([error(name, line, f"'{column}' must be a number, got {value!r}")])
    text = str(value).strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+", text):
        text = text.replace(",", "")
    try:
        number = float(value) if isinstance(value, (int, float)) else float(text)
        if not math.isfinite(number) or abs(number) > 1e15:
            raise ValueError(text)
        return round(number)
    except ValueError:
        raise CmhubError([error(name, line, f"'{column}' must be a number, got {value!r}")]) from None


def bad_date(name: str, line: int | None, column: str, value: object, expected: str) -> CmhubError:
    """Return the error for a date cell that cannot be read."""
    return CmhubError([error(name, line, f"'{column}' must be a date like {expected}, got {value!r}")])


_YEARS = range(1990, 2200)
"""The years an export's dates may fall in (outside, the date is a mistake, and day arithmetic could overflow)."""


def _sane(name: str, line: int | None, column: str, value: object, day: dt.date, expected: str) -> dt.date:
    if day.year not in _YEARS:
        raise bad_date(name, line, column, value, f"{expected}, between {_YEARS[0]} and {_YEARS[-1]}")
    return day


def iso_day(name: str, line: int | None, column: str, value: str) -> dt.date:
    """Read '2026-11-03' or '2026-11-03T00:00:00' (or with a time after a space) as a day."""
    try:
        day = dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise bad_date(name, line, column, value, "2026-11-03") from None
    return _sane(name, line, column, value, day, "2026-11-03")


def us_moment(name: str, line: int | None, column: str, value: str) -> tuple[dt.date, dt.time | None]:
    """Read Meta's and LinkedIn's 'MM/DD/YYYY HH:MM' (also a 2-digit year, seconds, or no time)."""
    match = _US_MOMENT.match(value.strip())
    if not match:
        raise bad_date(name, line, column, value, "11/03/2026 14:05")
    month, day, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
    year += 2000 if year < 100 else 0
    try:
        day_ = dt.date(year, month, day)
        moment = None if match.group(4) is None else dt.time(int(match.group(4)), int(match.group(5)),
                                                                 int(match.group(6) or 0))
    except ValueError:
        raise bad_date(name, line, column, value, "11/03/2026 14:05") from None
    return _sane(name, line, column, value, day_, "11/03/2026 14:05"), moment


def x_day(name: str, line: int | None, column: str, value: str) -> dt.date:
    """Read X's 'Tue, Jul 14, 2026' (English names, whatever the process locale), or '2026-07-14'."""
    text = value.strip()
    match = _X_DAY.match(text)
    if match and match.group(1)[:3].lower() in _MONTHS:
        try:
            day = dt.date(int(match.group(3)), _MONTHS[match.group(1)[:3].lower()], int(match.group(2)))
        except ValueError:
            pass
        else:
            return _sane(name, line, column, value, day, "Tue, Jul 14, 2026")
    elif re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return iso_day(name, line, column, text)
    raise bad_date(name, line, column, value, "Tue, Jul 14, 2026")


def instant(name: str, line: int | None, column: str, value: str) -> dt.datetime:
    """Read an instant with its offset: '2026-11-03T08:15:00Z', '2026-11-03 08:15 +0000'."""
    text = value.strip()
    match = _OFFSET_MOMENT.match(text)
    if match:
        text = f"{match.group(1)}T{match.group(2)}{match.group(3)}:{match.group(4)}"
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise bad_date(name, line, column, value, "2026-11-03T08:15:00Z") from None
    if moment.tzinfo is None:
        raise bad_date(name, line, column, value, "2026-11-03T08:15:00Z (with its offset)")
    _sane(name, line, column, value, moment.date(), "2026-11-03T08:15:00Z")
    return moment


def local_day(moment: dt.datetime, tz: ZoneInfo) -> dt.date:
    """Return the hub's day of an aware instant."""
    return moment.astimezone(tz).date()
