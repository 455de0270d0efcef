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
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cmhub import __version__
from cmhub.core.locations import CACHE_FOLDER
from cmhub.incremental.codec import Unencodable, dumps, loads
from cmhub.incremental.reuse import digest
from cmhub.output.seals import is_sealed, read_regular, read_sealed, seal, write_sealed

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

    ``stored`` holds each entry as read from its file until it is first asked for (then decoded into
    ``entries``, with the values this build put), ``dirty`` the shards this build added entries to
    or dropped entries from. Both are keyed by the digest of the caller's key.
    """

    path: Path | None
    entries: dict[str, Any] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    dirty: set[int] = field(default_factory=set)
    added: set[str] = field(default_factory=set)
    """The entries put since the cache was opened (what a forked process sends back: ``learnt``)."""
    opener: Callable[[], dict[str, bytes]] | None = field(default=None, repr=False, compare=False)
    """Reads the files, the first time the cache is used (the teasers' cache of a build is used only by
    the process it forks: this one never reads it)."""
    _stored: dict[str, bytes] = field(default_factory=dict, repr=False)

    @property
    def stored(self) -> dict[str, bytes]:
        """Each entry as read from its file, not decoded yet (the files are read on first use)."""
        if self.opener is not None:
            opener, self.opener = self.opener, None
            self._stored = opener()
        return self._stored

    def get(self, key: str) -> Any:
        """Return a cached value (to be validated by the caller), noting it as used; None if unknown."""
        inner = _inner(key)
        found = self.entries.get(inner)
        if found is None:
            line = self.stored.pop(inner, None)  # decoded once: its bytes are not kept (a shard written
            if line is None:                     # again encodes its values anew)
                return None
            try:
                found = loads(line.decode("utf-8"))
            except ValueError:  # written by a cmhub whose models had other fields
                self.dirty.add(_shard(inner))
                return None
            self.entries[inner] = found
        self.used.add(inner)
        return found

    def raw(self, key: str) -> Any:
        """Return a value as its file holds it (JSON bytes, for the caller to decode when it needs it) or,
        when this build put or decoded it, the value; None if unknown. Either way it is kept as used, and
        saved as it was read when nothing decoded it."""
        inner = _inner(key)
        found = self.entries.get(inner)
        if found is None:
            found = self.stored.get(inner)
            if found is None:
                return None
        self.used.add(inner)
        return found

    def put(self, key: str, value: Any) -> None:
        """Remember a value (a cache without a file, as with --no-cache, remembers nothing)."""
        if self.path is None:
            return
        inner = _inner(key)
        self.entries[inner] = value
        self.stored.pop(inner, None)
        self.used.add(inner)
        self.dirty.add(_shard(inner))
        self.added.add(inner)

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
            self.stored.pop(inner, None)
            self.dirty.add(_shard(inner))
        self.added.update(entries)
        self.used.update(entries, used)

    def keep_all(self) -> None:
        """Keep every entry at the next save, asked for or not (a build that took the syndication step
        from the last one asked for no teaser, and each still is its article's)."""
        self.used.update(self.stored, self.entries)

    def hand_over(self) -> None:
        """Leave the cache to the process this one forked to use it: remember nothing here from now on
        (saved here too, it would drop every entry this process did not ask for)."""
        self.path = None

    def save(self) -> None:
        """Write the shards this build changed, with only the entries it used (older ones are dropped).

        A cache that cannot be written (a full disk, a read-only folder) is left as it is: it only
        costs time.
        """
        if self.path is None:
            return
        self.dirty.update(_shard(k) for k in {**self.stored, **self.entries} if k not in self.used)
        if not self.dirty:
            return
        shards: dict[int, list[bytes]] = {shard: [] for shard in self.dirty}
        for inner in sorted(self.used):
            lines = shards.get(_shard(inner))
            if lines is None:
                continue
            if inner in self.entries:
                try:
                    line = dumps(self.entries[inner]).encode("utf-8", "surrogatepass")
                except Unencodable:
                    continue  # a value the cache cannot keep is made again next time
            else:
                line = self.stored.get(inner)  # used undecoded (raw): kept as it was read
                if line is None:  # read back since, and found unreadable: made again next time
                    continue
            lines.append(inner.encode("ascii") + b"\t" + line)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            for shard, lines in sorted(shards.items()):
                _write_shard(self.path, shard, lines)
            _forget_legacy(self.path.parent)
        except OSError:
            return
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


def seal_file(path: Path) -> None:
    """Seal a file the cache keeps as it is (a teaser picture), so that trusted_file can vouch for it."""
    data = path.read_bytes()
    _seal_stat(path, os.lstat(path), seal(data, f"file:{path.name}"))


def trusted_file(path: Path) -> bool:
    """Tell whether a file of the cache is the one cmhub made and sealed, byte for byte.

    The file's status (size, dates, inode) as it was when last vouched for spares reading it
    again; a file restored from elsewhere, or touched, is read and checked against its seal.
    """
    sidecar = path.with_name(path.name + ".seal")
    body = read_sealed(sidecar, f"seal:{path.name}")
    try:
        info = os.lstat(path)
        record = json.loads(body) if body is not None else None
        if not isinstance(record, dict) or not stat.S_ISREG(info.st_mode):
            return False
        if record.get("stat") == _status(info):
            return True
        data = path.read_bytes()
        mac = record.get("mac")
        if not isinstance(mac, str) or not is_sealed(data, f"file:{path.name}", mac):
            return False
        _seal_stat(path, os.lstat(path), mac)
    except (OSError, ValueError):
        return False
    return True


def _status(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def _seal_stat(path: Path, info: os.stat_result, mac: str) -> None:
    record = {"stat": _status(info), "mac": mac}
    try:
        write_sealed(path.with_name(path.name + ".seal"), json.dumps(record).encode(), f"seal:{path.name}")
    except OSError:
        pass  # the file is checked again next time


def open_render_cache(root: Path, enabled: bool = True, name: str = "bodies") -> RenderCache:
    """Load one of the project's caches; a missing, foreign, damaged or unsealed shard is left out
    (it costs time only)."""
    if not enabled:
        return RenderCache(None)
    path = root / CACHE_FOLDER / name
    return RenderCache(path, opener=lambda: _read_shards(path, name))


def _read_shards(path: Path, name: str) -> dict[str, bytes]:
    """Return every entry of the cache's files, undecoded; a missing, foreign, damaged or unsealed shard
    is left out."""
    stored: dict[str, bytes] = {}
    vouched = VouchedShards(path)
    for shard in range(SHARDS):
        target = shard_path(path, shard)
        lines = vouched.lines(target, f"cache:{target.name}")
        if lines is None:
            continue
        if lines[0] != _heading(name, shard) or lines[-1] != b"":
            continue  # made by another cmhub
        found: dict[str, bytes] = {}
        for line in lines[1:-1]:
            inner, tab, value = line[:32].decode("ascii", "replace"), line[32:33], line[33:]
            if tab != b"\t" or _shard_checked(inner) != shard:
                break
            found[inner] = value
        else:
            stored.update(found)
    vouched.save()
    return stored


class VouchedShards:
    """The shards of a cache whose seal was checked, each with its file's status then (size, dates,
    inode) and its seal, in one sealed file (``<name>-shards.json``): a shard whose file has the same
    status and seal is not read through its seal again (most of a large cache's opening). A shard
    written over or replaced has another status, and is checked again, as are all shards of a cache
    restored on another machine (as trusted_file does for single files)."""

    def __init__(self, path: Path):
        self.path = path.with_name(f"{path.stem}-shards.json")
        found = read_sealed(self.path, f"shards:{self.path.name}")
        try:
            known = json.loads(found) if found is not None else {}
        except ValueError:
            known = {}
        self.known: dict[str, list[object]] = known if isinstance(known, dict) else {}
        self.seen: dict[str, list[object]] = {}

    def lines(self, target: Path, context: str) -> list[bytes] | None:
        """Return the lines of a shard's body (without its seal) when it is sealed with this machine's key,
        else None (the file is split once: a large cache's bodies are not copied on the way)."""
        found = read_regular(target)
        if found is None:
            return None
        info, data = found
        lines = data.split(b"\n")
        mac = lines[0]
        record: list[object] = [*_status(info), mac.decode("ascii", "replace")]
        if self.known.get(target.name) != record:
            if len(lines) < 2 or not is_sealed(data[len(mac) + 1:], context, mac):
                return None
        self.seen[target.name] = record
        return lines[1:]

    def save(self) -> None:
        """Remember the shards read this time (a cache that cannot be written only costs time)."""
        if self.seen == self.known:
            return
        try:
            write_sealed(self.path, json.dumps(self.seen, sort_keys=True).encode(), f"shards:{self.path.name}")
        except OSError:
            pass


def _shard_checked(inner: str) -> int:
    """Return the shard of a key read from a file, -1 when it is not a digest cmhub writes."""
    try:
        return _shard(inner) if len(inner) == 32 and inner == inner.lower() and int(inner, 16) >= 0 else -1
    except ValueError:
        return -1
