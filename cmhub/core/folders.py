"""Walking a folder of the project whose files are published (content/, theme/static/).

A symbolic link is followed only when it leads to a file inside the folder walked: a link to a
file elsewhere (``content/passwd.txt -> /etc/passwd``), to a folder, or to nothing (a broken link,
or one that loops) is left out with a warning naming it. Nothing from outside the folder is ever
read or published through it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cmhub.core.errors import Problem, warning


@dataclass(frozen=True)
class Walked:
    """The files of a folder, in a stable order, and the links left out."""

    files: tuple[Path, ...]
    problems: tuple[Problem, ...]


def walk_files(base: Path, root: Path, what: str) -> Walked:
    """Return every file under ``base`` (hidden ones skipped), and a warning for each link left out.

    ``root`` is the project folder (messages name paths relative to it); ``what`` names the folder
    in messages ('content/', 'theme/static/').
    """
    files: list[Path] = []
    problems: list[Problem] = []
    real_base = os.path.realpath(base)

    def walk(folder: str) -> None:
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda e: e.name)
        except OSError:
            return  # a missing or unreadable folder holds nothing to publish
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                reason = _unsafe(entry.path, real_base, what)
                if reason:
                    problems.append(warning(_shown(entry.path, root), None, f"{reason}; it is not published"))
                    continue
                files.append(Path(entry.path))
            elif entry.is_dir(follow_symlinks=False):
                walk(entry.path)
            elif entry.is_file(follow_symlinks=False):
                files.append(Path(entry.path))

    walk(str(base))
    return Walked(tuple(files), tuple(problems))


def _unsafe(path: str, real_base: str, what: str) -> str:
    """Return why a link found in the folder is left out ('' when it leads to a file inside it)."""
    if not os.path.exists(path):
        return "is a broken link (what it points to is missing, or it loops)"
    target = os.path.realpath(path)
    if os.path.isdir(target):
        return f"is a link to a folder; cmhub does not follow it (move the folder into {what})"
    if not os.path.isfile(target):
        return "is a link to something that is not a file"
    if os.path.commonpath([real_base, target]) != real_base:
        return f"is a link to a file outside {what} (copy the file into {what} instead)"
    return ""


def _shown(path: str, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path
