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
_MARKER_TEXT = b"This folder is written by cmhub: each build makes it hold exactly what the hub publishes.\n"


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
    """New output waiting beside its target folder, to be put in place by ``commit()`` (or thrown away).

    Either the whole new folder (swapped in at once), or, when the previous output is known from its
    manifest, only the files that changed (moved into the folder one by one, the rest left untouched).
    """

    folder: Path
    staging: Path
    made: dict[str, list[object]]
    manifest: Path | None
    changed: list[str]
    """For an in-place update, the paths staged to move in."""
    previous: Manifest | None = None
    """What the previous write made, for an in-place update; None: the staging folder is swapped in."""

    def commit(self) -> WriteReport:
        """Put the new output in place of the previous one; what the new output lacks is deleted."""
        if self.previous is None:
            self._swap()
        else:
            self._update()
        if self.manifest is not None:
            folders = {}
            for folder in _folders_of(self.made):
                folders[folder] = os.stat(os.path.join(self.folder, folder)).st_mtime_ns
            self.manifest.parent.mkdir(parents=True, exist_ok=True)
            write_text(self.manifest, json.dumps({"folder": str(self.folder), "files": self.made,
                                                  "folders": folders}, separators=(",", ":")))
        return WriteReport(self.folder, len(self.made))

    def _swap(self) -> None:
        old = self.folder.parent / f".{self.folder.name}.old-{os.getpid()}"
        if old.exists():
            shutil.rmtree(old)
        if self.folder.exists():
            self.folder.rename(old)
            self.staging.rename(self.folder)
            shutil.rmtree(old)
        else:
            self.staging.rename(self.folder)

    def _update(self) -> None:
        # without a manifest, a build stopped half-way through this loop is followed by a whole rewrite
        if self.manifest is not None:
            self.manifest.unlink(missing_ok=True)
        base, staged = str(self.folder), str(self.staging)
        try:
            self._delete_what_is_not_made(base)
            folders: set[str] = {""}
            for path in self.changed:
                os.replace(os.path.join(staged, path), _target(base, folders, path))
            if not os.path.exists(os.path.join(base, MARKER)):
                with open(os.path.join(base, MARKER), "wb") as handle:
                    handle.write(_MARKER_TEXT)
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)

    def _delete_what_is_not_made(self, base: str) -> None:
        """Delete from the folder the files of the previous write that this one does not make, and
        anything someone else put there."""
        previous = self.previous or Manifest({}, {})
        if not previous.folders:  # a manifest of an older cmhub: look everywhere
            _prune(base, "", self.made)
            return
        expected = _folders_of(self.made)
        recorded = set(previous.folders)
        # a folder whose mtime is the one the last build left has no entry that build did not make
        for folder, mtime in previous.folders.items():
            try:
                touched = os.stat(os.path.join(base, folder)).st_mtime_ns != mtime
            except OSError:
                continue
            if touched:
                _prune_level(base, folder, self.made, expected, recorded)
        emptied: set[str] = set()
        for path in previous.files:
            if path not in self.made:
                try:
                    os.unlink(os.path.join(base, path))
                except FileNotFoundError:
                    pass
                emptied.add(os.path.dirname(path))
        for folder in sorted(_with_parents(emptied) - expected, key=lambda f: f.count("/"), reverse=True):
            try:
                os.rmdir(os.path.join(base, folder))
            except OSError:  # not empty (something else lives there), or already gone
                pass

    def discard(self) -> None:
        """Throw the staged output away; the target is left as it was."""
        shutil.rmtree(self.staging, ignore_errors=True)


def write_folder(files: Iterable[OutputFile], folder: Path, manifest: Path | None = None,
                 previous: PreviousOutput | None = None) -> WriteReport:
    """Write ``files`` as the whole new content of ``folder``, put in place at the end."""
    return stage_folder(files, folder, manifest, previous).commit()


def stage_folder(files: Iterable[OutputFile], folder: Path, manifest: Path | None = None,
                 previous_output: PreviousOutput | None = None) -> Staged:
    """Write ``files`` into a temporary folder beside ``folder``, to be put in place by ``commit()``.

    If anything fails (``files`` may raise while it is produced), the temporary folder is removed
    and ``folder`` is left exactly as it was. Call check_output_folder first.
    With a ``manifest`` (what the previous write made), a file whose bytes did not change is not
    written again: same inode, same mtime; only changed files are staged, and ``commit()`` moves
    them into the folder and deletes what the new output no longer has. ``previous_output``, when
    the caller has read that manifest already, spares reading it again.
    """
    folder = folder.resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = folder.parent / f".{folder.name}.new-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    base, old_base = str(staging), str(folder)
    known_output = Manifest({}, {}) if manifest is None else \
        previous_output.known if previous_output is not None else _read_manifest(manifest, folder)
    previous = known_output.files
    in_place = bool(previous)
    made: dict[str, list[object]] = {}
    changed: list[str] = []
    try:
        folders: set[str] = {""}
        for item in files:
            if item.path in made:
                raise CmhubError([error(item.path, None, "two outputs want this same path; "
                                        "a file under content/ may clash with a generated page")])
            if not is_safe_relative(item.path) or item.path == MARKER:
                raise ValueError(f"unsafe output path {item.path!r}")  # our bug, not the user's
            known = previous.get(item.path)
            if item.reuse:
                # PreviousOutput.holds has just checked the file against the manifest (size and mtime)
                if not known or len(known) < 4 or known[3] != item.key:
                    raise ValueError(f"{item.path!r} was marked reusable but is not")  # our bug
                made[item.path] = list(known)
                continue
            if item.data is None and item.source is None:
                raise ValueError(f"output {item.path!r} has neither data nor source")
            if manifest is None:  # nothing to compare with, nothing to remember: just write
                _make(item, _target(base, folders, item.path))
                made[item.path] = []
                continue
            if item.data is not None:
                digest = hashlib.blake2b(item.data, digest_size=16).hexdigest()
            else:
                stat = os.stat(item.source)  # type: ignore[arg-type]
                digest = f"copy:{item.source}:{stat.st_size}:{stat.st_mtime_ns}"
            kept = _unchanged(known, old_base, item.path, digest)  # only with a previous output: in place
            if kept is not None:
                made[item.path] = [digest, kept.st_size, kept.st_mtime_ns, item.key]
                continue
            target = _target(base, folders, item.path)
            _make(item, target)
            written = os.stat(target)
            made[item.path] = [digest, written.st_size, written.st_mtime_ns, item.key]
            changed.append(item.path)
        if not in_place:
            (staging / MARKER).write_bytes(_MARKER_TEXT)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Staged(folder, staging, made, manifest, changed, known_output if in_place else None)


def _target(base: str, folders: set[str], path: str) -> str:
    """Return where ``path`` goes under ``base``, creating its folder the first time."""
    parent = os.path.dirname(path)
    if parent not in folders:
        os.makedirs(os.path.join(base, parent), exist_ok=True)
        folders.add(parent)
    return os.path.join(base, path)


def _make(item: OutputFile, target: str) -> None:
    if item.data is not None:
        with open(target, "wb") as handle:
            handle.write(item.data)
    elif not (item.link and _try_link(item.source, target)):  # type: ignore[arg-type]
        shutil.copyfile(item.source, target)  # type: ignore[arg-type]


def _prune(folder: str, relative: str, made: dict[str, list[object]]) -> bool:
    """Delete under ``folder`` every file the new output does not have; return whether it is now empty."""
    empty = True
    with os.scandir(folder) as entries:
        for entry in entries:
            path = f"{relative}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                if _prune(entry.path, path + "/", made):
                    os.rmdir(entry.path)
                else:
                    empty = False
            elif path in made or path == MARKER:
                empty = False
            else:
                os.unlink(entry.path)
    return empty


def _prune_level(base: str, folder: str, made: dict[str, list[object]], expected: set[str],
                 recorded: set[str]) -> None:
    """Delete what one folder holds that the new output does not have (a folder new to the
    manifest is looked through entirely)."""
    prefix = f"{folder}/" if folder else ""
    with os.scandir(os.path.join(base, folder)) as entries:
        for entry in entries:
            path = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if path not in expected:
                    shutil.rmtree(entry.path)
                elif path not in recorded:
                    _prune(entry.path, path + "/", made)
            elif path not in made and path != MARKER:
                os.unlink(entry.path)


def _with_parents(folders: Iterable[str]) -> set[str]:
    """Return the folders and every folder above them ('' is the output folder itself)."""
    found = {""}
    for folder in folders:
        while folder and folder not in found:
            found.add(folder)
            folder = os.path.dirname(folder)
    return found


def _folders_of(made: Iterable[str]) -> set[str]:
    """Return every folder that holds a file of ``made``, and those above them."""
    return _with_parents({os.path.dirname(path) for path in made})


@dataclass(frozen=True)
class Manifest:
    """What a write made: each file's digest, size, mtime and key, and each folder's mtime."""

    files: dict[str, list[object]]
    folders: dict[str, int]


class PreviousOutput:
    """What the previous write of a folder made, to tell which files can be kept as they are."""

    def __init__(self, folder: Path, manifest: Path | None):
        self.folder = folder.resolve()
        self.known = _read_manifest(manifest, self.folder)
        self.files = self.known.files

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


def _read_manifest(manifest: Path | None, folder: Path) -> Manifest:
    """Return what the previous write made in ``folder`` (empty when unknown or unreadable)."""
    if manifest is None or not folder.is_dir():
        return Manifest({}, {})
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Manifest({}, {})
    if not isinstance(data, dict) or data.get("folder") != str(folder) or not isinstance(data.get("files"), dict):
        return Manifest({}, {})
    folders = data.get("folders")
    return Manifest(data["files"], folders if isinstance(folders, dict) else {})


def _unchanged(known: list[object] | None, folder: str, path: str, digest: str) -> os.stat_result | None:
    """Return the stat of the previous file when it holds the same bytes and nobody touched it since."""
    if not known or known[0] != digest:
        return None
    try:
        stat = os.stat(os.path.join(folder, path))
    except OSError:
        return None
    if [stat.st_size, stat.st_mtime_ns] != known[1:3]:
        return None
    return stat


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
