"""Article files a build with a cache need not read again: those whose status did not change.

For each article file it read, a build records in .cmhub-cache/ the file's status (size, change and
modification dates to the nanosecond, inode and device) with the keys of what it made from the text
(its front matter's and its body's). The next build stats the file: when the status is the same, it
takes both from the cache without reading the text, as git's index does for the working tree. An
editor's save, a `git checkout`, a copy or a restored cache changes at least one of these fields.

Two guards keep a stale record from being trusted:

- A status is recorded only when the file's last change is at least SETTLED_NS older than the build
  (a file saved again within the same tick of the file system's clock keeps its dates; no file system
  cmhub runs on counts in ticks longer than two seconds).
- Where the text is needed after all (a body to render again, the line of a link's problem), it is
  read then, and must be the text recorded: a file saved during the build is an error ("build again"),
  never an article made of two versions.

Unpublished articles (drafts, scheduled, expired) are always read: what their whole text mentions
decides which files of content/ stay out of the site (cmhub.content.assets).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from cmhub.content.frontmatter import Header, header_key
from cmhub.core.errors import CmhubError, error
from cmhub.core.frozen import replaced
from cmhub.incremental.cache import RenderCache
from cmhub.incremental.reuse import digest

SETTLED_NS = 2_000_000_000
"""How much older than the build a file's last change must be for its status to be recorded."""

Status = tuple[int, int, int, int, int]
"""A file's size, change and modification dates (ns), inode and device."""


def file_status(path: Path | str) -> Status:
    """Return the status of an article file (raises OSError as reading it would)."""
    info = os.stat(path)
    return info.st_size, info.st_ctime_ns, info.st_mtime_ns, info.st_ino, info.st_dev


@dataclass(frozen=True)
class Recalled:
    """What the cache holds of an article file whose status did not change."""

    header: Header
    """Its front matter, with the body left out when the cache keeps only the body's length."""
    header_key: str
    body_key: str
    body_length: int | None
    """The body's length in the text when ``header`` leaves the body out, else None."""


class KnownTexts:
    """The recorded status and keys of each article file (``records``, a cache of their own), and the build
    cache that holds what the keys name (see the module docstring)."""

    def __init__(self, records: RenderCache, cache: RenderCache, settings: str) -> None:
        self.records, self.cache, self.settings = records, cache, settings
        self.started = time.time_ns()
        self._found: dict[str, object] = {}
        self.unread: dict[str, tuple[Path, Recalled]] = {}
        """By source, the files left unread (recalled, of shown articles)."""
        self._whole: dict[str, Header] = {}

    def record_key(self, source: str) -> str:
        """Return the key of the file ``source``'s record (site.yml's settings change every key)."""
        return "status|" + digest(self.settings, source)

    def recall(self, source: str, status: Status) -> Recalled | None:
        """Return what the cache holds of the file ``source`` when its status is the one recorded."""
        found = self._found[source] = self.records.get(self.record_key(source))
        if not (type(found) is tuple and len(found) == 3 and found[0] == status):
            return None
        _, header_key_, body_key = found
        entry = self.cache.get(header_key_)
        if isinstance(entry, Header):
            return Recalled(entry, header_key_, body_key, None)
        if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], Header) and type(entry[1]) is int:
            return Recalled(entry[0], header_key_, body_key, entry[1])
        return None

    def leave_unread(self, path: Path, recalled: Recalled) -> None:
        """Note that the file at ``path`` is not read: its front matter and body key are those recalled."""
        self.unread[recalled.header.source] = (path, recalled)

    def body_keys(self) -> dict[str, str]:
        """Return the body key of each file left unread, by source."""
        return {source: recalled.body_key for source, (_, recalled) in self.unread.items()}

    def whole(self, header: Header) -> Header:
        """Return ``header`` with its body: read now (once) for a file left unread, as it is otherwise.

        Raises CmhubError when the file changed since the build stat'ed it.
        """
        entry = self.unread.get(header.source)
        if entry is None:
            return header
        found = self._whole.get(header.source)
        if found is None:
            found = self._whole[header.source] = self._header(*entry)
        return found

    def remember(self, source: str, status: Status, header_key_: str, body_key: str) -> None:
        """Record the keys of a file read by this build, if its last change is settled."""
        if self.started - max(status[1], status[2]) < SETTLED_NS:
            return
        record = (status, header_key_, body_key)
        # an unchanged record leaves its shard of the cache as it was (a file read again since the snapshot,
        # build after build, was not recalled: its record is looked up here)
        before = self._found[source] if source in self._found else self.records.get(self.record_key(source))
        if before != record:
            self.records.put(self.record_key(source), record)

    def text(self, path: Path, recalled: Recalled) -> str:
        """Read the text of a file recalled unread, which must still be the text recorded.

        Raises CmhubError when the file changed since the build stat'ed it.
        """
        text = path.read_text(encoding="utf-8-sig")
        source = recalled.header.source
        if header_key(self.settings, source, text) != recalled.header_key:
            raise CmhubError([error(source, None, "changed while cmhub was reading the content; build again")])
        return text

    def _header(self, path: Path, recalled: Recalled) -> Header:
        if recalled.body_length is None:  # the cache kept the header whole
            return recalled.header
        text = self.text(path, recalled)
        length = recalled.body_length
        return replaced(recalled.header, body=text[len(text) - length:] if length else "")
