"""JSON documents of records (social/teasers.json), written as json.dumps(indent=2) writes them.

teasers.json holds one record per teaser and network: ~40,000 records and 90 MB at 10,000 articles, made
in ~3 s whenever a teaser, the plan or the clock's day changes. A record is the same text whenever what
it is made from is the same: ``keyed_document`` takes each record the previous document holds, under the
same key, from that file (its offset and length are kept in a sealed index in `.cmhub-cache/`), and makes
only the others. The previous document is read only when it is the very file the index was written
for (the output's manifest says so: its digest, size and date).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cmhub import __version__
from cmhub.output.manifest import read_json
from cmhub.output.seals import write_sealed

if TYPE_CHECKING:
    from cmhub.output.previous import PreviousOutput


def json_document(header: dict[str, object], key: str, items: Iterator[dict[str, object]]) -> bytes:
    """Return ``{**header, key: [items]}`` as json.dumps(indent=2) writes it, one item in memory at a time."""
    return keyed_document(header, key, ((None, lambda item=item: item) for item in items))  # type: ignore[misc]


@dataclass(frozen=True)
class Earlier:
    """A document as the last build wrote it, and where each of its records lies in it."""

    path: Path
    opening: bytes
    """What comes before its first record (the header and the list's name)."""
    records: dict[str, list[int]]
    """By record key: its offset and length in the file."""


def earlier_records(index: Path, previous: PreviousOutput | None, name: str) -> Earlier | None:
    """Return the document ``name`` of the previous output with its index, when the file there is the one
    the index was written for and nobody changed it since; None otherwise."""
    entry = previous.intact(name) if previous is not None else None
    if entry is None:
        return None
    data = read_json(index, "records")
    if not (isinstance(data, dict) and data.get("cmhub") == __version__ and data.get("file") == entry.digest
            and isinstance(data.get("opening"), str) and isinstance(data.get("records"), dict)):
        return None
    records = data["records"]
    for where in records.values():
        if not (type(where) is list and len(where) == 2 and type(where[0]) is int and type(where[1]) is int
                and 0 <= where[0] and 0 < where[1] and where[0] + where[1] <= entry.size):
            return None
    return Earlier(previous.folder / name, data["opening"].encode("utf-8"), records)  # type: ignore[union-attr]


def keyed_document(header: dict[str, object], key: str,
                   items: Iterator[tuple[str | None, Callable[[], dict[str, object]]]],
                   earlier: Earlier | None = None, index: Path | None = None) -> bytes:
    """Return ``{**header, key: [records]}`` as json.dumps(indent=2) writes it; ``items`` are (record key,
    make) pairs: a record ``earlier`` holds under its key is copied from there, any other is made (a key of
    None: always made). With ``index``, where each record lies in this document is kept there, sealed."""
    opening = (_indented(header, "\n")[:-2] + "," if header else "{") + f"\n  {_string(key)}: ["
    start = opening.encode("utf-8")
    copying = earlier is not None and earlier.opening == start
    parts = [start]
    where: dict[str, list[int]] = {}
    run: list[tuple[str, Callable[[], dict[str, object]], int, int]] = []
    """The records to copy that follow each other in the earlier file too (read there at once)."""

    size = len(start)
    """The length of the document so far."""

    def separate() -> None:
        nonlocal size
        parts.append(b"\n    " if len(parts) == 1 else _BETWEEN)
        size += len(parts[-1])

    def add(text: bytes, record_key: str | None) -> None:
        nonlocal size
        separate()
        if record_key is not None:
            where[record_key] = [size, len(text)]
        size += len(text)
        parts.append(text)

    def copy_run(fd: int) -> None:
        nonlocal size
        if not run:
            return
        first, end = run[0][2], run[-1][2] + run[-1][3]
        chunk = os.pread(fd, end - first, first)
        if len(chunk) == end - first:  # the records and what lies between them, as the earlier file has them
            separate()
            for record_key, _, offset, length in run:
                where[record_key] = [size + offset - first, length]
            size += len(chunk)
            parts.append(chunk)
        else:  # the file changed under this build: each made
            for record_key, make, _, _ in run:
                add(_indented(make(), "\n    ").encode("utf-8"), record_key)
        run.clear()

    with open(earlier.path, "rb") if copying else contextlib.nullcontext() as handle:  # type: ignore[union-attr]
        fd = handle.fileno() if copying else -1
        for record_key, make in items:
            found = earlier.records.get(record_key) if copying and record_key is not None else None  # type: ignore[union-attr]
            if found is not None and run and found[0] != run[-1][2] + run[-1][3] + len(_BETWEEN):
                copy_run(fd)
            if found is not None:
                run.append((record_key, make, found[0], found[1]))  # type: ignore[arg-type]
                continue
            copy_run(fd)
            add(_indented(make(), "\n    ").encode("utf-8"), record_key)
        copy_run(fd)
    parts.append(b"]\n}\n" if len(parts) == 1 else b"\n  ]\n}\n")
    document = b"".join(parts)
    if index is not None:
        body = json.dumps({"cmhub": __version__, "file": hashlib.sha256(document).hexdigest()[:32],
                           "opening": opening, "records": where}, ensure_ascii=False, separators=(",", ":"))
        try:
            write_sealed(index, body.encode("utf-8"), f"records:{index.name}")
        except OSError:  # a cache that cannot be written only costs time
            pass
    return document


_BETWEEN = b",\n    "
"""What lies between two records."""


def _indented(value: object, newline: str) -> str:
    """Return ``value`` as json.dumps(ensure_ascii=False, indent=2) writes it at the depth of ``newline``.

    The same text, made faster: json.dumps with an indent runs in pure Python, and teasers.json holds
    one record per teaser and network.
    """
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = newline + "  "
        return "{" + ",".join([f"{inner}{_string(key)}: {_scalar(item) or _indented(item, inner)}"
                               for key, item in value.items()]) + newline + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = newline + "  "
        return "[" + ",".join([inner + (_scalar(item) or _indented(item, inner)) for item in value]) + newline + "]"
    return _scalar(value) or json.dumps(value)


def _scalar(value: object) -> str:
    """Return the JSON of a string, None, a boolean or an int ('' for anything else)."""
    kind = type(value)
    if kind is str:
        return _string(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)  # type: ignore[arg-type]
    return ""


_string = json.encoder.encode_basestring  # type: ignore[attr-defined]
