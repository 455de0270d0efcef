"""The build cache in .cmhub-cache/: rendered bodies and teasers kept between builds.

A cache that is missing, stale or corrupt only costs time: every entry is checked against
its inputs before use, and an unreadable file is ignored.
"""

from __future__ import annotations

import copyreg
import hashlib
import os
import pickle
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cmhub import __version__
from cmhub.freshness import CACHE_FOLDER

_FORMAT = 5


def body_key(body: str, source_dir: str, base_path: str) -> str:
    """Return the key of a body's rendering: its text, folder, base path and cmhub's version."""
    digest = hashlib.sha256()
    for part in (__version__, str(_FORMAT), base_path, source_dir, body):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


SHARDS = 64
"""A cache is kept in this many files, so that a build that changed one entry rewrites one small file."""


def shard_of(key: str) -> int:
    """Return the file of the cache that holds ``key``."""
    return zlib.crc32(key.encode("utf-8")) % SHARDS


@dataclass
class RenderCache:
    """Values by key (rendered bodies, teasers), kept in SHARDS files named after ``path``.

    ``dirty`` holds the shards this build added entries to or dropped entries from.
    """

    path: Path | None
    entries: dict[str, Any] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    dirty: set[int] = field(default_factory=set)

    def get(self, key: str) -> Any:
        """Return a cached rendering (to be validated by the caller), noting it as used."""
        found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def put(self, key: str, value: Any) -> None:
        """Remember a value (a cache without a file, as with --no-cache, remembers nothing)."""
        if self.path is None:
            return
        self.entries[key] = value
        self.used.add(key)
        self.dirty.add(shard_of(key))

    def save(self) -> None:
        """Write the shards this build changed, with only the entries it used (older ones are dropped)."""
        if self.path is None:
            return
        if len(self.entries) != len(self.used):
            self.dirty.update(shard_of(k) for k in self.entries if k not in self.used)
            self.entries = {k: v for k, v in self.entries.items() if k in self.used}
        if not self.dirty:
            return
        shards: dict[int, list[str]] = {shard: [] for shard in self.dirty}
        for key in self.entries:
            shard = shard_of(key)
            if shard in shards:
                shards[shard].append(key)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for shard, keys in sorted(shards.items()):
            target = shard_path(self.path, shard)
            temporary = target.with_name(f".{target.name}.{os.getpid()}")
            with temporary.open("wb") as handle:
                pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
                pickler.dispatch_table = _DISPATCH
                pickler.dump((_FORMAT, __version__, [(key, self.entries[key]) for key in keys]))
            os.replace(temporary, target)
        self.dirty = set()


def shard_path(path: Path, shard: int) -> Path:
    """Return the file of one shard of the cache at ``path`` ('bodies.pickle' -> 'bodies-03.pickle')."""
    return path.with_name(f"{path.stem}-{shard:02d}{path.suffix}")


def read_only(items: dict[Any, Any]) -> MappingProxyType:
    """Return a read-only view of ``items`` (how a cached read-only mapping is made again)."""
    return MappingProxyType(items)


def _mapping_proxy(value: MappingProxyType) -> tuple[Any, tuple[dict[Any, Any]]]:
    return read_only, (dict(value),)


_DISPATCH = {**copyreg.dispatch_table, MappingProxyType: _mapping_proxy}
"""How cached values are pickled: read-only mappings (in parsed front matter) as a copy of their items."""


def open_render_cache(root: Path, enabled: bool = True, name: str = "bodies") -> RenderCache:
    """Load one of the project's caches; a missing, foreign or corrupt shard is left out (it costs time only)."""
    if not enabled:
        return RenderCache(None)
    path = root / CACHE_FOLDER / f"{name}.pickle"
    entries: dict[str, Any] = {}
    for shard in range(SHARDS):
        try:
            with shard_path(path, shard).open("rb") as handle:
                version, made_by, items = pickle.load(handle)
            if version == _FORMAT and made_by == __version__:
                found = dict(items)
                if all(shard_of(key) == shard for key in found):
                    entries.update(found)
        except FileNotFoundError:
            pass
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError,
                IndexError, KeyError, OverflowError):
            pass  # corrupt or from another cmhub: that part is made again
    return RenderCache(path, entries)
