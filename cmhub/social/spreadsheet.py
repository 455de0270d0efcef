"""CSV files made to be opened in spreadsheets: no cell is ever read as a formula.

A spreadsheet runs a cell that starts with '=', '+', '-' or '@' (and, in some, a tab or a carriage
return) as a formula, a plain number excepted: a teaser or title written
``=HYPERLINK("https://evil.example", "clic")`` would become a live link, or worse. Such a cell gets
a leading apostrophe, the spreadsheets' own mark for "this is text" (OWASP's advice for CSV
injection); every other cell is written as it is.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def text_cell(value: str) -> str:
    """Return a cell's text, marked as text when a spreadsheet would read it as a formula (a plain
    number such as '-2' is left as it is: a spreadsheet reads it as a number, runs nothing)."""
    if value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """Return a CSV file (UTF-8, every cell quoted, CRLF line ends) whose cells are all safe text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([text_cell(str(cell)) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8")
