"""What Instagram's and Facebook's JSON exports share: finding the files, reading them, finding their media."""

from __future__ import annotations

import json
import posixpath
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from cmhub.core.errors import CmhubError, Problem, error
from cmhub.imports.archive import Archive
from cmhub.imports.model import Item, Located, Where, with_id
from cmhub.imports.mojibake import mangle, repair_document

VIDEO_EXTENSIONS = (".mp4", ".mov", ".m4v", ".webm", ".3gp")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif", ".avif")
PostReader = Callable[[Any, "JsonFile", ZoneInfo, list[Problem], Counter[str]], "Item | None"]
"""read_post(post, file, tz, problems, skipped) -> the item of one post, or None."""


@dataclass(frozen=True)
class Found:
    """A data file of the export and the folder the export's own paths (media URIs) start from."""

    name: str
    root: str
    """'' or 'instagram-asso-2026-11-20/' when the export sits in a top folder."""
    number: int


class JsonFile:
    """A JSON data file, parsed and repaired, with its text for finding lines."""

    def __init__(self, name: str, where: str, data: Any, text: str):
        self.name, self.where, self.data, self.text = name, where, data, text
        self._offset, self._line = 0, 1
        """Where the last value was found: posts are looked up in file order, so each search goes on from there."""

    def line_of(self, value: str | int) -> Where:
        """Return where a string value (as Meta writes it) or a number first appears, as file:line."""
        if isinstance(value, int):
            needles = [f": {value}", f":{value}"]
        else:
            quoted = json.dumps(mangle(value))
            needles = [quoted, quoted.replace("/", "\\/"), json.dumps(value, ensure_ascii=False)]
        for needle in needles:
            offset = self.text.find(needle, self._offset)
            if offset >= 0:
                self._line += self.text.count("\n", self._offset, offset)
                self._offset = offset
                return Where(self.where, self._line)
            offset = self.text.find(needle)
            if offset >= 0:
                return Where(self.where, self.text.count("\n", 0, offset) + 1)
        return Where(self.where)


def find_files(archive: Archive, pattern: re.Pattern[str]) -> list[Found]:
    """Return the entries matching ``pattern`` (groups 'root' and 'n'), in (root, number) order."""
    found = []
    for name in archive.names:
        match = pattern.match(name)
        if match:
            found.append(Found(name, match.group("root"), int(match.group("n") or 1)))
    return sorted(found, key=lambda f: (f.root, f.number, f.name))


def load_json(archive: Archive, name: str) -> JsonFile:
    """Read a JSON file of the export, repaired (see cmhub.imports.mojibake).

    Raises CmhubError at the line where it is not UTF-8 or not JSON.
    """
    where = archive.where(name)
    raw = archive.read_bytes(name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise CmhubError([error(where, line, f"is not UTF-8 text ({exc.reason})")]) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CmhubError([error(where, exc.lineno, f"is not valid JSON: {exc.msg} (column {exc.colno})")]) from exc
    except RecursionError as exc:
        raise CmhubError([error(where, None, "is nested too deeply to be an export")]) from exc
    return JsonFile(name, where, repair_document(data), text)


def read_posts(archive: Archive, found: Sequence[Found], what: str, tz: ZoneInfo,
               unwrap: Callable[[JsonFile], Any], read_post: PostReader,
               dedupe: bool = False) -> tuple[tuple[Item, ...], tuple[tuple[str, int], ...]]:
    """Read the posts of every data file found, oldest first, with what was skipped and why.

    ``unwrap`` gives a file's list of posts, ``read_post`` one post's item (or None, having noted
    a problem or counted it as skipped). Two posts of the same second get ids '<stamp>' and
    '<stamp>-2'; with ``dedupe``, a post whose first media was seen already is left out. Raises
    CmhubError with every problem found.
    """
    problems: list[Problem] = []
    items: list[Item] = []
    skipped: Counter[str] = Counter()
    ids: Counter[str] = Counter()
    seen: set[str] = set()
    for data_file in found:
        doc = load_json(archive, data_file.name)
        posts = unwrap(doc)
        if not isinstance(posts, list):
            problems.append(error(doc.where, 1, f"expected a list of posts (is this file from {what} export?)"))
            continue
        for post in posts:
            item = read_post(post, doc, tz, problems, skipped)
            if item is None or (dedupe and item.urls[0] in seen):
                continue
            seen.add(item.urls[0] if item.urls else "")
            ids[item.id] += 1
            items.append(item if ids[item.id] == 1 else with_id(item, f"{item.id}-{ids[item.id]}"))
    if problems:
        raise CmhubError(problems)
    return tuple(sorted(items, key=lambda i: (i.date, i.id))), tuple(sorted(skipped.items()))


def media_kind(uri: str) -> str:
    """Return 'video', 'image' or 'file' from a file name's extension."""
    lower = uri.lower()
    if lower.endswith(VIDEO_EXTENSIONS):
        return "video"
    return "image" if lower.endswith(IMAGE_EXTENSIONS) or "." not in lower.rsplit("/", 1)[-1] else "file"


def html_only(archive: Archive, json_found: Sequence[Found], html_pattern: re.Pattern[str]) -> bool:
    """Tell whether an export is the HTML format: pages where the JSON files should be, and no JSON."""
    return not json_found and any(html_pattern.search(name) for name in archive.names)


class MetaMedia:
    """The media of a Meta export: URIs relative to the export's root folder, looked up safely."""

    def __init__(self, archive: Archive, roots: Sequence[str]):
        self.archive = archive
        self.roots = list(dict.fromkeys(roots)) or [""]
        self._names = set(archive.names)
        self._by_tail: dict[str, list[str]] | None = None

    def locate(self, reference: str) -> Located:
        """Return the entry a media URI names: under a root folder, else any single entry ending with it."""
        if reference.startswith(("http://", "https://")):
            return Located()  # a media Meta only links to (a thumbnail on its servers): kept as a link
        normal = posixpath.normpath(reference)
        if reference.startswith("/") or normal == ".." or normal.startswith("../") or "\\" in reference:
            return Located(missing=f"'{reference}' is not a path inside the export")
        for root in self.roots:
            if root + normal in self._names:
                return Located(root + normal)
        if self._by_tail is None:
            self._by_tail = {}
            for name in self._names:
                self._by_tail.setdefault(name.rsplit("/", 1)[-1], []).append(name)
        tail = normal.rsplit("/", 1)[-1]
        matches = [n for n in self._by_tail.get(tail, ()) if n == normal or n.endswith("/" + normal)]
        if len(matches) == 1:
            return Located(matches[0])
        return Located(missing=f"media '{reference}' is not in the export" if not matches
                       else f"media '{reference}' matches several files of the export")

    def copy(self, key: str, target) -> None:
        """Copy an entry of the export to a new file."""
        self.archive.copy(key, target)
