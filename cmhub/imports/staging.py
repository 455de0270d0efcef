"""Writing an import all at once: everything into a staging folder first, then moved in.

The staging folder is a hidden folder inside content/ (on the same disk, so that moving is a
rename; hidden, so that a build running meanwhile ignores it). New files are moved in with a link
that fails if the name was taken since (nothing is ever overwritten); an article brought up to date
replaces the file only if it is still the one cmhub wrote. The import record is written last. If
anything fails, what was moved in is taken out again and replaced articles are put back.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cmhub.core.errors import CmhubError, error
from cmhub.imports.model import MediaStore
from cmhub.imports.record import RECORD_NAME, text_digest
from cmhub.output.atomic import atomic_write


@dataclass(frozen=True)
class Write:
    """A file to write: an article's text, or a media copied from the export's store."""

    target: str
    """Project-relative path."""
    text: str | None = None
    store: MediaStore | None = None
    key: str = ""
    replaces: str = ""
    """For an article brought up to date: the digest the file must still have."""


def write_all(root: Path, staging_parent: Path, writes: Sequence[Write], record: str,
              tick: Callable[[], None] = lambda: None) -> None:
    """Write every file and then the import record, or nothing at all.

    Raises CmhubError when a file cannot be read or written (after putting everything back).
    """
    made_dirs: list[Path] = []
    if not staging_parent.exists():  # a hub without content/ yet
        staging_parent.mkdir(parents=True)
        made_dirs.append(staging_parent)
    staging = Path(tempfile.mkdtemp(prefix=".cmhub-import-", dir=staging_parent))
    moved: list[Path] = []
    backups: list[tuple[Path, Path]] = []
    try:
        for number, write in enumerate(writes):
            staged = staging / str(number)
            if write.text is not None:
                with staged.open("x", encoding="utf-8", newline="\n") as handle:
                    handle.write(write.text)
            else:
                assert write.store is not None
                write.store.copy(write.key, staged)
            tick()
        for number, write in enumerate(writes):
            target = root / write.target
            for parent in reversed(target.relative_to(root).parents):
                folder = root / parent
                if not folder.exists():
                    folder.mkdir()
                    made_dirs.append(folder)
            staged = staging / str(number)
            if write.replaces:
                if text_digest(target.read_text(encoding="utf-8")) != write.replaces:
                    continue  # edited in the meantime: kept as it is
                backup = staging / f"{number}.before"
                os.replace(target, backup)
                backups.append((backup, target))
                os.replace(staged, target)
            else:
                _move_new(staged, target)
                moved.append(target)
        atomic_write(root / RECORD_NAME, record)
    except BaseException as exc:
        _undo(moved, backups, made_dirs)
        if isinstance(exc, OSError):
            where = exc.filename if isinstance(exc.filename, str) else str(staging_parent)
            raise CmhubError([error(_shown(where, root), None, f"cannot be written: {exc.strerror}")]) from exc
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_new(staged: Path, target: Path) -> None:
    """Move a staged file to a name that must still be free."""
    appeared = CmhubError([error(str(target), None, "appeared during the import; nothing was overwritten")])
    try:
        os.link(staged, target)
    except FileExistsError:
        raise appeared from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise appeared from None
        os.replace(staged, target)
        return
    staged.unlink()


def _undo(moved: list[Path], backups: list[tuple[Path, Path]], made_dirs: list[Path]) -> None:
    """Take out what was moved in, put back what was replaced, remove the folders made."""
    for path in moved:
        path.unlink(missing_ok=True)
    for backup, target in backups:
        os.replace(backup, target)
    for folder in reversed(made_dirs):
        try:
            folder.rmdir()
        except OSError:
            pass


def _shown(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path
