"""The import record, ``imports.lock``: what `cmhub import` wrote, so that running it again is safe.

One line per imported item: source, item id, the article's project-relative path and the SHA-256
of the article as cmhub wrote it. A second run skips every item listed; an article whose bytes no
longer match its digest has been edited and is never written again; one that is gone was deleted
on purpose (curation) and is not brought back. Lines are sorted, so that two imports of the same
items merge cleanly in version control.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from cmhub.core.errors import CmhubError, Problem, error
from cmhub.imports.model import SOURCES

RECORD_NAME = "imports.lock"
_HEADER = """\
# cmhub import record: every item `cmhub import` has written, so that running it again adds only
# what is new and never overwrites an article you have edited. Commit this file.
# Columns (tab-separated): source, item id, article, SHA-256 of the article as cmhub wrote it.
"""


@dataclass(frozen=True)
class Entry:
    """One imported item."""

    source: str
    id: str
    article: str
    """Project-relative path of the article ('content/instagram/2019-03-05-fete.md')."""
    digest: str


Record = dict[tuple[str, str], Entry]


def text_digest(text: str) -> str:
    """Return the SHA-256 of a text's UTF-8 bytes, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_record(text: str, source: str = RECORD_NAME) -> Record:
    """Return the entries of an import record; raises CmhubError at each damaged line."""
    entries: Record = {}
    problems: list[Problem] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 4 or fields[0] not in SOURCES or len(fields[3]) != 64 or not all(fields):
            problems.append(error(source, number, "damaged line: expected source, id, article and digest separated "
                                                  "by tabs; restore the file from version control"))
            continue
        entry = Entry(*fields)
        entries[(entry.source, entry.id)] = entry
    if problems:
        raise CmhubError(problems)
    return entries


def format_record(entries: Record) -> str:
    """Return the record as the text committed in the project (sorted, one line per item)."""
    lines = sorted("\t".join((e.source, e.id, e.article, e.digest)) for e in entries.values())
    return _HEADER + "".join(line + "\n" for line in lines)


def load_record(root: Path) -> Record:
    """Read the project's import record (empty when there is none yet)."""
    try:
        text = (root / RECORD_NAME).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise CmhubError([error(RECORD_NAME, None, f"cannot be read: {exc}")]) from exc
    return parse_record(text)
