"""The build cache in .cmhub-cache/: rendered article bodies kept between builds.

A cache that is missing, stale or corrupt only costs time: every entry is checked against
its inputs before use, and an unreadable file is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from cmhub import __version__
from cmhub.markup import Rendered

CACHE_FOLDER = ".cmhub-cache"
_FORMAT = 1


def body_key(body: str, source_dir: str, base_path: str) -> str:
    """Return the key of a body's rendering: its text, folder, base path and cmhub's version."""
    digest = hashlib.sha256()
    for part in (__version__, str(_FORMAT), base_path, source_dir, body):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass
class RenderCache:
    """Rendered bodies by key; ``dirty`` when this build added or dropped entries."""

    path: Path | None
    entries: dict[str, Rendered] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    dirty: bool = False

    def get(self, key: str) -> Rendered | None:
        """Return a cached rendering (to be validated by the caller), noting it as used."""
        found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def put(self, key: str, rendered: Rendered) -> None:
        """Remember a rendering."""
        self.entries[key] = rendered
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
            pickle.dump((_FORMAT, __version__, self.entries), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.path)


def open_render_cache(root: Path, enabled: bool = True) -> RenderCache:
    """Load the project's render cache; a missing, foreign or corrupt file gives an empty one."""
    if not enabled:
        return RenderCache(None)
    path = root / CACHE_FOLDER / "bodies.pickle"
    try:
        with path.open("rb") as handle:
            version, made_by, entries = pickle.load(handle)
        if version == _FORMAT and made_by == __version__ and isinstance(entries, dict):
            return RenderCache(path, entries)
    except FileNotFoundError:
        pass
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        pass  # corrupt or from another cmhub: rebuild it
    return RenderCache(path)


def input_fingerprint(paths: list[Path], options: str) -> str:
    """Return a digest of every input file's path, size and mtime, and of the build's options."""
    digest = hashlib.sha256(f"{__version__}\0{options}\0".encode())
    for base in paths:
        if base.is_file():
            stat = base.stat()
            digest.update(f"{base}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
            continue
        for folder, dirs, names in os.walk(base):
            dirs.sort()
            for name in sorted(names):
                path = os.path.join(folder, name)
                stat = os.stat(path)
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class BuildStamp:
    """What the last successful build saw: its inputs, and the span of clocks giving the same output."""

    fingerprint: str
    at: float
    """The clock of that build (POSIX seconds)."""
    after: float
    """The output holds for a clock strictly after this instant (POSIX seconds)..."""
    before: float
    """... and strictly before this one (the next publication, expiry or teaser)."""
    summary: str
    warnings: tuple[tuple[str, int | None, str, str], ...]
    """(path, line, message, severity) of each warning."""

    def holds(self, fingerprint: str, now: float) -> bool:
        """Tell whether a build with these inputs at ``now`` would write exactly the same output."""
        return fingerprint == self.fingerprint and (now == self.at or self.after < now < self.before)


def load_stamp(root: Path) -> BuildStamp | None:
    """Return the last build's stamp, or None."""
    try:
        data = json.loads((root / CACHE_FOLDER / "last-build.json").read_text(encoding="utf-8"))
        return BuildStamp(data["fingerprint"], float(data["at"]), float(data["after"]), float(data["before"]),
                          str(data["summary"]), tuple(tuple(w) for w in data["warnings"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_stamp(root: Path, stamp: BuildStamp) -> None:
    """Remember the build that just succeeded."""
    path = root / CACHE_FOLDER / "last-build.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(json.dumps({"fingerprint": stamp.fingerprint, "at": stamp.at, "after": stamp.after,
                                     "before": stamp.before, "summary": stamp.summary,
                                     "warnings": list(stamp.warnings)}), encoding="utf-8")
    os.replace(temporary, path)


def outputs_intact(manifest: Path) -> bool:
    """Tell whether every file a write made is still there, untouched."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        folder = data["folder"]
        for path, (_, size, mtime) in data["files"].items():
            stat = os.stat(os.path.join(folder, path))
            if stat.st_size != size or stat.st_mtime_ns != mtime:
                return False
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return True
