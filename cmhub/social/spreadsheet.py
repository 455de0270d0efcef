"""CSV files made to be opened in spreadsheets: no cell is ever read as a formula.

A spreadsheet runs a cell that starts with '=', '+', '-' or '@' (and, in some, a tab or a carriage
return) as a formula, a plain number excepted: a teaser or title written
``=HYPERLINK("https://evil.example", "clic")`` would become a live link, or worse. Such a cell gets
a leading apostrophe, the spreadsheets' own mark for "this is text" (OWASP's advice for CSV
injection); every other cell is written as it is.

A scheduler's import file (Publer's bulk upload) is the exception: the scheduler posts each cell's
text as it reads it, so an apostrophe there would be posted before every teaser that opens with a
mention (``@partenaire merci…``). Those files are written ``verbatim``: what is posted is the text
whose length was counted. They are meant to be imported, not opened in a spreadsheet (README).
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


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence[str]], verbatim: bool = False) -> bytes:
    """Return a CSV file (UTF-8, every cell quoted, CRLF line ends) whose cells are all safe text, or,
    ``verbatim``, a scheduler's import file whose cells are exactly the texts to post."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    cell = str if verbatim else (lambda value: text_cell(str(value)))
    writer.writerows([cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8")
