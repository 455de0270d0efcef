"""One way to replace a file at once: write it beside its name, then rename it over the old one.

Every file cmhub keeps outside its output folders goes through here: the ledgers (permalinks.lock,
plan.lock, posts.lock, imports.lock), the files of the build cache (each sealed, cmhub.output.seals),
the freshness stamp, teaser pictures and resized pictures. A reader sees the old file or the new one,
never half of one. The file beside is named ``.<name>.new-<pid>``, so that a build stopped midway
leaves only names that the next build recognises and deletes (cmhub.commands.outputs.forget_pending).
The output folders themselves are replaced whole by cmhub.output.writer.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def beside(path: Path) -> Path:
    """Return the name a new version of ``path`` is written under before it replaces it."""
    return path.with_name(f".{path.name}.new-{os.getpid()}")


def write_beside(path: Path, data: bytes | str) -> Path:
    """Write ``data`` (text as UTF-8, lines ending in '\\n') beside ``path``; return that file, to be
    renamed over ``path`` later (with os.replace). Nothing is left behind when writing fails."""
    temporary = beside(path)
    try:
        temporary.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def atomic_write(path: Path, data: bytes | str, *, durable: bool = False, folders: bool = False) -> None:
    """Replace ``path`` with ``data`` at once.

    ``durable``: the bytes and the rename reach the disk before this returns (for what must survive
    a crash a moment later: a post the network accepted). ``folders``: make the missing folders first.
    """
    if folders:
        path.parent.mkdir(parents=True, exist_ok=True)
    if not durable:
        os.replace(write_beside(path, data), path)
        return
    temporary = beside(path)
    with temporary.open("wb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    if hasattr(os, "O_DIRECTORY"):
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def atomic_save(path: Path, save: Callable[[Path], None]) -> None:
    """Replace ``path`` with the file ``save(temporary)`` writes (a picture library's save, a copy)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = beside(path)
    try:
        save(temporary)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    os.replace(temporary, path)
