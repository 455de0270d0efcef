"""The build cache in .cmhub-cache/: rendered bodies and teasers kept between builds.

A cache that is missing, stale, damaged or crafted only costs time. Values are kept as data that
cannot run code (JSON, see cmhub.incremental.codec), in files sealed with a key kept outside the cache
(cmhub.output.seals): a file whose seal does not match, written by another cmhub, or that cannot be
read back is ignored as a whole, and each entry is checked against its inputs before use.

A file holds a first line with its seal, a second with what wrote it, then one line per entry
(the key and the value, each in JSON); an entry is decoded only when a build asks for it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cmhub import __version__
from cmhub.core.locations import CACHE_FOLDER
from cmhub.incremental.codec import Unencodable, dumps, loads
from cmhub.incremental.reuse import digest
from cmhub.incremental.vouched import VouchedShards
from cmhub.output.seals import write_sealed

_FORMAT = 6
_SUFFIX = ".data"
_LEGACY = re.compile(r"^(?:bodies|teasers)-\d\d\.pickle$")
"""The pickled shards of cmhub before format 6: never read, deleted when a cache is saved."""


def body_key(body: str, source_dir: str, base_path: str, french: bool = False) -> str:
    """Return the key of a body's rendering: its text, folder, base path, French spacing and cmhub's version."""
    return digest(_FORMAT, base_path, source_dir, body, *(["french"] if french else []))


SHARDS = 64
"""A cache is kept in this many files, so that a build that changed one entry rewrites one small file."""


def _inner(key: str) -> str:
    """Return how a key is kept in a file: a digest, so that keys need no escaping and read back fast."""
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def shard_of(key: str) -> int:
    """Return the file of the cache that holds ``key``."""
    return int(_inner(key)[:8], 16) % SHARDS


@dataclass
class RenderCache:
    """Values by key (rendered bodies, teasers), kept in SHARDS files named after ``path``.

    A file is read the first time a key of its shard is asked for. ``stored`` holds each entry of the files
    read, as read, until it is first asked for (then decoded into ``entries``, with the values this build
    put); ``dirty`` the shards this build added entries to or dropped entries from. Both are keyed by the
    digest of the caller's key. Whether a file holds a key is told by its index (VouchedShards) without
    reading it, while the file is the one indexed: a build after an edit asks whether every article's body
    is there, and reads only the files of the few bodies it shows.
    """

    path: Path | None
    entries: dict[str, Any] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    dirty: set[int] = field(default_factory=set)
    added: set[str] = field(default_factory=set)
    """The entries put since the cache was opened (what a forked process sends back: ``learnt``)."""
    name: str | None = field(default=None, repr=False, compare=False)
    """The cache's name in its files' headings when its files are read (open_render_cache); None: a cache
    that reads no file (what it puts is saved all the same)."""
    whole: bool = field(default=False, repr=False, compare=False)
    """Read every file at the first use, as a cache whose save must drop whatever the build did not use."""
    _stored: dict[str, bytes] = field(default_factory=dict, repr=False)
    _read: set[int] = field(default_factory=set, repr=False)
    """The shards whose file was read (or looked for)."""
    _vouched: VouchedShards | None = field(default=None, repr=False)
    _indexed: dict[int, set[str] | None] = field(default_factory=dict, repr=False)
    """Each shard's index, checked against its file once (until the cache is saved)."""
    _as_read: set[str] = field(default_factory=set, repr=False)
    """The entries decoded from a file and not put since: a shard written again copies their bytes from
    the file instead of encoding them anew (a hub's snapshot of its content is megabytes of JSON)."""
    _taken: set[str] = field(default_factory=set, repr=False)
    """The entries handed over by ``take``, held neither decoded nor as read: a shard written again copies
    them from its file."""

    @property
    def stored(self) -> dict[str, bytes]:
        """Each entry of the cache's files as read, not decoded yet (every file is read)."""
        for shard in range(SHARDS):
            self._read_shard(shard)
        return self._stored

    def holds(self, key: str) -> bool:
        """Tell whether the cache has a value for ``key`` (then kept as used), reading its file only when
        the file's index cannot tell (cmhub.markdown.bodies: a kept article's HTML, read on first use)."""
        inner = _inner(key)
        shard = _shard(inner)
        if inner not in self.entries and shard not in self._read:
            listed = self._index(shard)
            if listed is None:
                self._read_shard(shard)
            elif inner not in listed:
                return False
            else:
                self.used.add(inner)
                return True
        if inner in self.entries or inner in self._stored or inner in self._taken:
            self.used.add(inner)
            return True
        return False

    def get(self, key: str) -> Any:
        """Return a cached value (to be validated by the caller), noting it as used; None if unknown."""
        inner = _inner(key)
        found = self.entries.get(inner)
        if found is None:
            self._read_shard(_shard(inner))
            line = self._stored.pop(inner, None)  # decoded once: its bytes are not kept (a shard written
            if line is None:                      # again reads them from its file: _read_again)
                return None
            try:
                found = loads(line.decode("utf-8"))
            except ValueError:  # written by a cmhub whose models had other fields
                self.dirty.add(_shard(inner))
                return None
            self.entries[inner] = found
            self._as_read.add(inner)
        self.used.add(inner)
        return found

    def take(self, key: str) -> Any:
        """Return a cached value as ``get`` does, without keeping it here: for a value read once by a caller
        that keeps what it makes of it (the snapshot's blocks of kept articles, megabytes at 10,000
        articles, would stay decoded beside the articles made from them). It is kept as used all the same."""
        inner = _inner(key)
        if inner in self.entries:
            return self.get(key)
        line = self._line(inner)
        if line is None:
            return None
        self._stored.pop(inner, None)
        try:
            found = loads(line.decode("utf-8"))
        except ValueError:
            self.dirty.add(_shard(inner))
            return None
        self._taken.add(inner)
        self.used.add(inner)
        return found

    def _line(self, inner: str) -> bytes | None:
        """Return an entry as its file holds it (read again for one handed over by ``take``), else None."""
        self._read_shard(_shard(inner))
        line = self._stored.get(inner)
        if line is None and inner in self._taken:
            line = self._read_again({_shard(inner)}).get(inner)
        return line

    def raw(self, key: str) -> Any:
        """Return a value as its file holds it (JSON bytes, for the caller to decode when it needs it) or,
        when this build put or decoded it, the value; None if unknown. Either way it is kept as used, and
        saved as it was read when nothing decoded it."""
        inner = _inner(key)
        found = self.entries.get(inner)
        if found is None:
            found = self._line(inner)
            if found is None:
                return None
        self.used.add(inner)
        return found

    def _read_again(self, shards: set[int]) -> dict[str, bytes]:
        """Return the entries of the files of ``shards`` as they hold them now, undecoded (nothing for a file
        lost or damaged since: its entries are then encoded anew)."""
        found: dict[str, bytes] = {}
        if self._reads:
            for shard in sorted(shards):
                found.update(_shard_entries(self.path, self.name, shard, self._vouch()))  # type: ignore[arg-type]
        return found

    def _index(self, shard: int) -> set[str] | None:
        """Return the keys the file of ``shard`` holds as its index tells, checked against the file once
        (None: the file must be read to tell); asked for every article of a hub, it costs a dict look-up."""
        if shard not in self._indexed:
            self._indexed[shard] = self._vouch().keys(shard_path(self.path, shard)) if self._reads else None  # type: ignore[arg-type]
        return self._indexed[shard]

    @property
    def _reads(self) -> bool:
        return self.name is not None and self.path is not None

    def _vouch(self) -> VouchedShards:
        if self._vouched is None:
            self._vouched = VouchedShards(self.path)  # type: ignore[arg-type]
        return self._vouched

    def _read_shard(self, shard: int) -> None:
        """Read the file of ``shard`` into ``stored``, once (every file, the first time, for a cache read
        ``whole``); a missing, foreign, damaged or unsealed file holds nothing."""
        if shard in self._read:
            return
        for each in range(SHARDS) if self.whole else (shard,):
            if each not in self._read:
                self._read.add(each)
                if self._reads:
                    found = _shard_entries(self.path, self.name, each, self._vouch())  # type: ignore[arg-type]
                    for inner, line in found.items():
                        self._stored.setdefault(inner, line)  # put or decoded since: not replaced

    def _keys(self, shard: int) -> set[str]:
        """Return the keys the file of ``shard`` holds (from its index when it can tell)."""
        if shard not in self._read:
            listed = self._index(shard)
            if listed is not None:
                return listed
            self._read_shard(shard)
        return {inner for inner in chain(self._stored, self._taken) if _shard(inner) == shard}

    def put(self, key: str, value: Any) -> None:
        """Remember a value (a cache without a file, as with --no-cache, remembers nothing)."""
        if self.path is None:
            return
        inner = _inner(key)
        self.entries[inner] = value
        self._stored.pop(inner, None)
        self._as_read.discard(inner)
        self._taken.discard(inner)
        self.used.add(inner)
        self.dirty.add(_shard(inner))
        self.added.add(inner)

    def forget(self, key: str) -> None:
        """Drop the value of ``key``, written or not (its file is written again without it)."""
        if self.path is None:
            return
        inner = _inner(key)
        self._read_shard(_shard(inner))
        self.entries.pop(inner, None)
        self._stored.pop(inner, None)
        self._as_read.discard(inner)
        self._taken.discard(inner)
        self.used.discard(inner)
        self.added.discard(inner)
        self.dirty.add(_shard(inner))

    def start_learning(self) -> None:
        """In a forked process that tells the process keeping this cache what it did (``learnt``): count
        the entries put and used from now on only (this copy is never saved)."""
        self.added, self.used = set(), set()

    def learnt(self) -> tuple[dict[str, Any], set[str]]:
        """Return the entries put, and the keys used, since ``start_learning``: what a forked process that
        used this cache tells the process that keeps it (``learn``)."""
        return {inner: self.entries[inner] for inner in self.added}, self.used

    def learn(self, learnt: tuple[dict[str, Any], set[str]]) -> None:
        """Take in what a forked process put in, and used of, its copy of this cache (``learnt``)."""
        entries, used = learnt
        if self.path is None:
            return
        for inner, value in entries.items():
            self.entries[inner] = value
            self._stored.pop(inner, None)
            self._as_read.discard(inner)
            self._taken.discard(inner)
            self.dirty.add(_shard(inner))
        self.added.update(entries)
        self.used.update(entries, used)

    def keep_all(self) -> None:
        """Keep every entry at the next save, asked for or not (a build that took the syndication step
        from the last one asked for no teaser, and each still is its article's)."""
        for shard in range(SHARDS):
            self.used.update(self._keys(shard))
        self.used.update(self.entries)

    def hand_over(self) -> None:
        """Leave the cache to the process this one forked to use it: remember nothing here from now on
        (saved here too, it would drop every entry this process did not ask for)."""
        self.path = None

    def save(self) -> None:
        """Write the shards this build changed, with only the entries it used (older ones are dropped from
        the files it read; the others are left as they are).

        A cache that cannot be written (a full disk, a read-only folder) is left as it is: it only
        costs time.
        """
        if self.path is None:
            return
        self._indexed = {}  # a process that builds again (cmhub serve) checks the files anew
        self.dirty.update(_shard(k) for k in chain(self._stored, self.entries) if k not in self.used)
        if not self.dirty:
            if self._vouched is not None:
                self._vouched.save()
            return
        for shard in self.dirty:  # its entries used but not read yet are written again as they are
            self._read_shard(shard)
        shards: dict[int, list[bytes]] = {shard: [] for shard in self.dirty}
        as_read = self._read_again({_shard(inner) for inner in chain(self._as_read, self._taken)} & self.dirty)
        for inner in sorted(self.used):
            lines = shards.get(_shard(inner))
            if lines is None:
                continue
            if inner in self.entries:
                line = as_read.get(inner) if inner in self._as_read else None
                try:
                    line = line or dumps(self.entries[inner]).encode("utf-8", "surrogatepass")
                except Unencodable:
                    continue  # a value the cache cannot keep is made again next time
            else:  # used undecoded (raw), or handed over (take): kept as it was read
                line = self._stored.get(inner) if inner not in self._taken else as_read.get(inner)
                if line is None:  # read back since and found unreadable, or its file lost: made again next time
                    continue
            lines.append(inner.encode("ascii") + b"\t" + line)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            for shard, lines in sorted(shards.items()):
                _write_shard(self.path, shard, lines)
                if self.name is not None:  # indexed as written: the next build need not read it to tell
                    self._vouch().written(shard_path(self.path, shard), [line[:32].decode("ascii") for line in lines])
            _forget_legacy(self.path.parent)
        except OSError:
            return
        finally:
            if self._vouched is not None:
                self._vouched.save()
        self.dirty = set()


def _shard(inner: str) -> int:
    return int(inner[:8], 16) % SHARDS


def _heading(name: str, shard: int) -> bytes:
    return json.dumps({"format": _FORMAT, "cmhub": __version__, "cache": name, "shard": shard}).encode()


def _write_shard(path: Path, shard: int, lines: list[bytes]) -> None:
    target = shard_path(path, shard)
    write_sealed(target, b"\n".join([_heading(path.stem, shard), *lines]) + b"\n", f"cache:{target.name}")


def _forget_legacy(folder: Path) -> None:
    """Delete the pickled shards an older cmhub left (never read: a pickle can run code)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if _LEGACY.match(entry.name) and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)


def shard_path(path: Path, shard: int) -> Path:
    """Return the file of one shard of the cache at ``path`` ('bodies' -> 'bodies-03.data')."""
    return path.with_name(f"{path.stem}-{shard:02d}{_SUFFIX}")


def read_only(items: dict[Any, Any]) -> MappingProxyType:
    """Return a read-only view of ``items``."""
    return MappingProxyType(items)


def open_render_cache(root: Path, enabled: bool = True, name: str = "bodies", whole: bool = False) -> RenderCache:
    """Open one of the project's caches, each file read when first needed (every file at the first use,
    with ``whole``); a missing, foreign, damaged or unsealed file holds nothing (it costs time only)."""
    if not enabled:
        return RenderCache(None)
    return RenderCache(root / CACHE_FOLDER / name, name=name, whole=whole)


def _shard_entries(path: Path, name: str, shard: int, vouched: VouchedShards) -> dict[str, bytes]:
    """Return every entry of one file of the cache, undecoded, and index its keys in ``vouched``; nothing
    when the file is missing, foreign, damaged or unsealed."""
    target = shard_path(path, shard)
    lines = vouched.lines(target, f"cache:{target.name}")
    if lines is None:
        return {}
    found: dict[str, bytes] = {}
    if lines[0] == _heading(name, shard) and lines[-1] == b"":  # else made by another cmhub
        for line in lines[1:-1]:
            inner, tab, value = line[:32].decode("ascii", "replace"), line[32:33], line[33:]
            if tab != b"\t" or _shard_checked(inner) != shard:
                found = {}
                break
            found[inner] = value
    vouched.index(target, found)
    return found


def _shard_checked(inner: str) -> int:
    """Return the shard of a key read from a file, -1 when it is not a digest cmhub writes."""
    try:
        return _shard(inner) if len(inner) == 32 and inner == inner.lower() and int(inner, 16) >= 0 else -1
    except ValueError:
        return -1
