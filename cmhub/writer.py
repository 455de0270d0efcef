"""The only module that writes: output folders replaced atomically, and only our own."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cmhub.errors import CmhubError, error
from cmhub.models import OutputFile
from cmhub.urls import is_safe_relative

MARKER = ".cmhub-output"
_MARKER_TEXT = b"This folder is written by cmhub, which replaces it whole on every build.\n"


@dataclass(frozen=True)
class WriteReport:
    """What a write did."""

    folder: Path
    files: int


def check_output_folder(folder: Path, root: Path, protected: Iterable[Path]) -> None:
    """Refuse an output folder that would hide or destroy the project's own files.

    Raises CmhubError when ``folder`` is the project root, contains it or a protected folder
    (content/, theme/), lies inside a protected folder, or exists without cmhub's marker.
    """
    folder, root = folder.resolve(), root.resolve()
    name = _display(folder, root)
    for keep in [root, *(p.resolve() for p in protected)]:
        if folder == keep or keep.is_relative_to(folder):
            raise CmhubError([error("site.yml", None, f"output folder '{name}' would replace "
                                    f"'{_display(keep, root)}': choose a folder of its own, such as 'site'")])
        if keep != root and folder.is_relative_to(keep):
            raise CmhubError([error("site.yml", None, f"output folder '{name}' is inside "
                                    f"'{_display(keep, root)}': choose a folder of its own, such as 'site'")])
    if folder.exists():
        if not folder.is_dir():
            raise CmhubError([error("site.yml", None, f"output folder '{name}' is a file, not a folder")])
        if any(folder.iterdir()) and not (folder / MARKER).is_file():
            raise CmhubError([error("site.yml", None, f"output folder '{name}' exists and was not made by "
                                    "cmhub; empty it, remove it, or choose another folder (nothing was deleted)")])


@dataclass
class Staged:
    """A folder written beside its target, waiting to be swapped in (or thrown away)."""

    folder: Path
    staging: Path
    made: dict[str, list[object]]
    manifest: Path | None

    def commit(self) -> WriteReport:
        """Swap the staged folder in place of the target; the previous one is deleted."""
        old = self.folder.parent / f".{self.folder.name}.old-{os.getpid()}"
        if old.exists():
            shutil.rmtree(old)
        if self.folder.exists():
            self.folder.rename(old)
            self.staging.rename(self.folder)
            shutil.rmtree(old)
        else:
            self.staging.rename(self.folder)
        if self.manifest is not None:
            self.manifest.parent.mkdir(parents=True, exist_ok=True)
            write_text(self.manifest, json.dumps({"folder": str(self.folder), "files": self.made},
                                                 separators=(",", ":")))
        return WriteReport(self.folder, len(self.made))

    def discard(self) -> None:
        """Throw the staged folder away; the target is left as it was."""
        shutil.rmtree(self.staging, ignore_errors=True)


def write_folder(files: Iterable[OutputFile], folder: Path, manifest: Path | None = None) -> WriteReport:
    """Write ``files`` as the whole new content of ``folder``, swapping it in at the end."""
    return stage_folder(files, folder, manifest).commit()


def stage_folder(files: Iterable[OutputFile], folder: Path, manifest: Path | None = None) -> Staged:
    """Write ``files`` into a temporary folder beside ``folder``, to be swapped in by ``commit()``.

    If anything fails (``files`` may raise while it is produced), the temporary folder is removed
    and ``folder`` is left exactly as it was. Call check_output_folder first.
    With a ``manifest`` (what the previous write made), a file whose bytes did not change is
    hard-linked from the previous folder instead of rewritten: same inode, same mtime.
    """
    folder = folder.resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = folder.parent / f".{folder.name}.new-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    base = str(staging)
    previous = _read_manifest(manifest, folder)
    made: dict[str, list[object]] = {}
    try:
        folders: set[str] = {""}
        for item in files:
            if item.path in made:
                raise CmhubError([error(item.path, None, "two outputs want this same path; "
                                        "a file under content/ may clash with a generated page")])
            if not is_safe_relative(item.path) or item.path == MARKER:
                raise ValueError(f"unsafe output path {item.path!r}")  # our bug, not the user's
            parent = os.path.dirname(item.path)
            if parent not in folders:
                os.makedirs(os.path.join(base, parent), exist_ok=True)
                folders.add(parent)
            target = os.path.join(base, item.path)
            if item.reuse:
                known = previous.get(item.path)
                if not known or len(known) < 4 or known[3] != item.key or \
                        not _link_unchanged(previous, folder, item.path, str(known[0]), target):
                    raise ValueError(f"{item.path!r} was marked reusable but is not")  # our bug
                written = os.stat(target)
                made[item.path] = [known[0], written.st_size, written.st_mtime_ns, item.key]
                continue
            if item.data is not None:
                digest = hashlib.blake2b(item.data, digest_size=16).hexdigest()
            elif item.source is not None:
                stat = os.stat(item.source)
                digest = f"copy:{item.source}:{stat.st_size}:{stat.st_mtime_ns}"
            else:
                raise ValueError(f"output {item.path!r} has neither data nor source")
            if not _link_unchanged(previous, folder, item.path, digest, target):
                if item.data is not None:
                    with open(target, "wb") as handle:
                        handle.write(item.data)
                elif not (item.link and _try_link(item.source, target)):  # type: ignore[arg-type]
                    shutil.copyfile(item.source, target)  # type: ignore[arg-type]
            written = os.stat(target)
            made[item.path] = [digest, written.st_size, written.st_mtime_ns, item.key]
        (staging / MARKER).write_bytes(_MARKER_TEXT)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Staged(folder, staging, made, manifest)


class PreviousOutput:
    """What the previous write of a folder made, to tell which files can be kept as they are."""

    def __init__(self, folder: Path, manifest: Path | None):
        self.folder = folder.resolve()
        self.files = _read_manifest(manifest, self.folder)

    def holds(self, path: str, key: str) -> bool:
        """Tell whether the previous output has ``path`` made from inputs with this ``key``, untouched."""
        known = self.files.get(path)
        if not key or not known or len(known) < 4 or known[3] != key:
            return False
        try:
            stat = os.stat(os.path.join(self.folder, path))
        except OSError:
            return False
        return [stat.st_size, stat.st_mtime_ns] == known[1:3]


def _try_link(source: Path, target: str) -> bool:
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed: copy instead
        return False
    return True


def _read_manifest(manifest: Path | None, folder: Path) -> dict[str, list[object]]:
    """Return what the previous write made in ``folder`` (empty when unknown or unreadable)."""
    if manifest is None or not folder.is_dir():
        return {}
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("folder") != str(folder) or not isinstance(data.get("files"), dict):
        return {}
    return data["files"]


def _link_unchanged(previous: dict[str, list[object]], folder: Path, path: str, digest: str,
                    target: str) -> bool:
    """Hard-link the previous file when it holds the same bytes and nobody touched it since."""
    known = previous.get(path)
    if not known or known[0] != digest:
        return False
    old = os.path.join(folder, path)
    try:
        stat = os.stat(old)
        if [stat.st_size, stat.st_mtime_ns] != known[1:3]:
            return False
        os.link(old, target)
    except OSError:
        return False
    return True


def write_text(path: Path, text: str) -> None:
    """Replace a small project file (the ledger) atomically."""
    temporary = path.with_name(f".{path.name}.new-{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def create_files(root: Path, files: dict[str, str]) -> None:
    """Create new text files under ``root``; refuse (writing nothing) if any of them exists."""
    existing = sorted(name for name in files if (root / name).exists())
    if existing:
        raise CmhubError([error(name, None, "already exists; nothing was overwritten") for name in existing])
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix() or "."
    except ValueError:
        return str(path)
