"""The build cache in .cmhub-cache/: rendered bodies and teasers kept between builds.

A cache that is missing, stale or corrupt only costs time: every entry is checked against
its inputs before use, and an unreadable file is ignored.
"""

from __future__ import annotations

import copyreg
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cmhub import __version__
from cmhub.freshness import CACHE_FOLDER

_FORMAT = 2


def body_key(body: str, source_dir: str, base_path: str) -> str:
    """Return the key of a body's rendering: its text, folder, base path and cmhub's version."""
    digest = hashlib.sha256()
    for part in (__version__, str(_FORMAT), base_path, source_dir, body):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass
class RenderCache:
    """Values by key (rendered bodies, teasers); ``dirty`` when this build added or dropped entries."""

    path: Path | None
    entries: dict[str, Any] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    dirty: bool = False

    def get(self, key: str) -> Any:
        """Return a cached rendering (to be validated by the caller), noting it as used."""
        found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def put(self, key: str, value: Any) -> None:
        """Remember a value."""
        self.entries[key] = value
        self.used.add(key)
        self.dirty = True

    def save(self) -> None:
        """Write the entries this build used (older ones are dropped), atomically."""
        if self.path is None:
            return
        if set(self.entries) != self.used:
            self.entries = {k: v for k, v in self.entries.items() if k in self.used}
            self.dirty = True
        if not self.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        with temporary.open("wb") as handle:
            pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.dispatch_table = _DISPATCH
            # one record at a time: pickling the whole dict at once would hold a second copy in memory
            pickler.dump((_FORMAT, __version__, len(self.entries)))
            for item in self.entries.items():
                pickler.clear_memo()
                pickler.dump(item)
        os.replace(temporary, self.path)


def read_only(items: dict[Any, Any]) -> MappingProxyType:
    """Return a read-only view of ``items`` (how a cached read-only mapping is made again)."""
    return MappingProxyType(items)


def _mapping_proxy(value: MappingProxyType) -> tuple[Any, tuple[dict[Any, Any]]]:
    return read_only, (dict(value),)


_DISPATCH = {**copyreg.dispatch_table, MappingProxyType: _mapping_proxy}
"""How cached values are pickled: read-only mappings (in parsed front matter) as a copy of their items."""


def open_render_cache(root: Path, enabled: bool = True, name: str = "bodies") -> RenderCache:
    """Load one of the project's caches; a missing, foreign or corrupt file gives an empty one."""
    if not enabled:
        return RenderCache(None)
    path = root / CACHE_FOLDER / f"{name}.pickle"
    try:
        with path.open("rb") as handle:
            version, made_by, count = pickle.load(handle)
            if version == _FORMAT and made_by == __version__ and isinstance(count, int):
                return RenderCache(path, dict(pickle.load(handle) for _ in range(count)))
    except FileNotFoundError:
        pass
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        pass  # corrupt or from another cmhub: rebuild it
    return RenderCache(path)
