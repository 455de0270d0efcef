"""Whether a build has anything to do: the inputs and clock span of the last successful build.

This module stays light (no Markdown, Jinja or image library) so that `cmhub build` with nothing
changed answers in a fraction of a second.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cmhub import __version__
from cmhub.config import SiteConfig
from cmhub.locations import builtin_theme_dir

CACHE_FOLDER = ".cmhub-cache"


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
        for path, (_, size, mtime, *_key) in data["files"].items():
            stat = os.stat(os.path.join(folder, path))
            if stat.st_size != size or stat.st_mtime_ns != mtime:
                return False
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return True


def fingerprint_project(config: SiteConfig, options: str) -> str:
    """Return the fingerprint of everything a build of this project reads."""
    return input_fingerprint([config.root / "site.yml", config.root / "permalinks.lock", config.root / "plan.lock",
                              config.root / "posts.lock", config.root / "replies.jsonl",
                              config.root / "hidden-replies.txt",
                              config.root / ".github" / "workflows" / "cmhub.yml", config.content,
                              config.theme, builtin_theme_dir()], options)


def unchanged_build(config: SiteConfig, moment: dt.datetime, options: str) -> BuildStamp | None:
    """Return the last build's stamp when a build now would write exactly what is there, else None."""
    stamp = load_stamp(config.root)
    if stamp is None or not stamp.holds(fingerprint_project(config, options), moment.timestamp()):
        return None
    manifests = config.root / CACHE_FOLDER
    if outputs_intact(manifests / "site.manifest.json") and outputs_intact(manifests / "social.manifest.json"):
        return stamp
    return None


def build_options(config: SiteConfig, preview: object, strict: bool, locked: bool) -> str:
    """Return the options of a build that its output depends on, as one string."""
    return f"{preview}|{strict}|{locked}|{config.output}|{config.social_output}|{config.engine}"


def quick_check(root: Path, now: str | None, preview: object, strict: bool, locked: bool,
                output: Path | None, engine: str | None = None) -> BuildStamp | None:
    """Return the last stamp when nothing changed, reading only site.yml and file dates; else None.

    Any doubt (an unreadable site.yml, a bad --now) gives None: the full build then reports it.
    """
    from dataclasses import replace

    from cmhub.config import load_config
    from cmhub.dates import build_now
    from cmhub.errors import CmhubError

    try:
        config = load_config(root)
        if output is not None:
            config = replace(config, output=output.resolve())
        if engine is not None:
            config = replace(config, engine=engine)
        moment = build_now(now, config.tz)
    except (CmhubError, ValueError):
        return None
    return unchanged_build(config, moment, build_options(config, preview, strict, locked))
