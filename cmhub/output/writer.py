"""Output folders replaced at once, and only our own (the other files cmhub keeps: cmhub.output.atomic).

A write makes the complete new tree of an output folder apart, then swaps it in one step
(cmhub.output.exchange), so that a reader of the folder sees the old tree or the new one, and a build
that fails or is killed leaves the old tree exactly as it was.

The new tree is not made from nothing. When the previous write is known (its manifest, see
cmhub.output.manifest), a *spare* tree is kept: a copy of the output folder made of hard links (the same
files, not their bytes). A build changes only what changed in the spare (new bytes for changed
files, deletions), swaps it in, then brings the old tree, now the spare, up to date the same way:
the cost follows what changed, not the size of the hub, and a file that did not change keeps its
inode and date. Without a usable spare, the new tree is made with hard links to the unchanged files
of the output folder. The spare and the trees being made live in a working folder on the same file
system (``.cmhub-cache/trees/`` for a build, else beside the output folder); trees a stopped build
left there are deleted by the next one.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cmhub.core.errors import CmhubError, error
from cmhub.output.atomic import beside
from cmhub.output.exchange import check_writable, exchange, halt, leftovers, os_problem, remove_tree
from cmhub.output.files import OutputFile
from cmhub.output.manifest import (
    Manifest,
    ManifestEntry,
    forget_spare,
    keep_written,
    manifest_bytes,
    mark_spare,
    new_generation,
    read_manifest,
    spare_folders,
)
from cmhub.output.previous import PreviousOutput
from cmhub.output.seals import write_sealed
from cmhub.output.spare import MARKER, catch_up
from cmhub.output.staging import Maker
from cmhub.output.trees import tree_of

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
class Target:
    """Where a write goes: the output folder, its manifest, its working folder, and how to name it."""

    folder: Path
    manifest: Path | None = None
    workspace: Path | None = None
    """Where the new tree is made and the spare kept (None: the manifest's folder's ``trees/``, or
    beside the folder without a manifest); beside the folder anyway when not on its file system."""
    who: str = "site.yml"
    """The setting that chose the folder, named in messages."""
    root: Path | None = None
    """The project folder, against which paths are shown in messages."""

    def shown(self, path: Path | None = None) -> str:
        """Return how a path (the folder by default) is named in messages."""
        return _display(Path(path if path is not None else self.folder), self.root or Path.cwd())

    def place(self) -> tuple[Path, str]:
        """Return the working folder (on the folder's own file system) and the prefix of tree names in it."""
        parent = self.folder.parent
        workspace = self.workspace if self.workspace is not None or self.manifest is None else \
            self.manifest.parent / "trees"
        if workspace is not None:
            try:
                workspace.mkdir(parents=True, exist_ok=True)
                if os.stat(workspace).st_dev == os.stat(parent).st_dev:
                    tag = hashlib.sha256(os.fsencode(self.folder)).hexdigest()[:10]
                    return workspace, f"{self.folder.name}-{tag}"
            except OSError:
                pass
        return parent, f".{self.folder.name}"


@dataclass
class Staged:
    """A complete new output tree waiting to be put in place by ``commit()`` (or thrown away)."""

    target: Target
    tree: Path
    made: dict[str, ManifestEntry | None]
    changed: list[str]
    """The paths written with new bytes (the others are the previous output's files, linked)."""
    folders: dict[str, int]
    """The mtime of every folder of the new tree."""
    previous: Manifest | None
    spare: Path | None
    """Where the spare tree is kept (None: no spare for this folder)."""

    def commit(self) -> WriteReport:
        """Swap the new tree in; keep the old one as the spare (brought up to date) or delete it.

        Raises CmhubError (the folder left as it was) when the file system refuses the swap.
        """
        target, folder = self.target, self.target.folder
        manifest, generation, pending = target.manifest, new_generation(), None
        try:
            if manifest is not None:
                pending = beside(manifest)
                written = Manifest(self.made, self.folders, tree_of(self.tree), generation)
                body = manifest_bytes(folder, written)
                write_sealed(pending, body, f"manifest:{manifest.name}")
            halt("before-exchange")
            replaced = tree_of(folder) is not None
            if replaced:
                exchange(self.tree, folder)
            else:
                os.rename(self.tree, folder)
        except OSError as exc:
            self.discard()
            if pending is not None:
                _quietly(pending.unlink)
            raise os_problem(exc, target.who, target.shown()) from exc
        halt("after-exchange")
        if pending is not None and manifest is not None:
            try:
                os.replace(pending, manifest)
            except OSError:
                pass  # the next write trusts no manifest: slower
            else:
                keep_written(manifest, folder, written)
        halt("after-manifest")
        if replaced:
            self._keep_old_tree(generation)
        return WriteReport(folder, len(self.made))

    def _keep_old_tree(self, generation: str) -> None:
        """Make the old tree (now at ``self.tree``) the spare, or delete it; a failure here only costs time."""
        old, manifest = self.tree, self.target.manifest
        try:
            folders = None
            if self.spare is not None and self.previous is not None and manifest is not None:
                folders = catch_up(old, self.target.folder, self.previous, self.made, self.changed)
            if folders is None or self.spare is None or manifest is None:
                remove_tree(old)
                return
            if old != self.spare:
                remove_tree(self.spare)
                os.rename(old, self.spare)
            mark_spare(manifest, self.spare, generation, folders)
        except OSError:
            _quietly(lambda: remove_tree(old))

    def discard(self) -> None:
        """Throw the new tree away; the output folder is left as it was."""
        if self.tree != self.spare:  # a spare is no longer known to be clean: the next write makes another
            _quietly(lambda: remove_tree(self.tree))


@dataclass(frozen=True)
class Stager:
    """Stages one output folder from its files (``stage_folder`` bound to its target and previous write)."""

    target: Target
    previous: PreviousOutput | None = None

    def __call__(self, files: Iterable[OutputFile]) -> Staged:
        return stage_folder(files, self.target, self.previous)


class StagedElsewhere:
    """An output folder whose new tree another process is making (cmhub/pipeline/syndication.py)."""

    def staged(self) -> Staged:
        """Wait for the tree; return it (raises what its making raised)."""
        raise NotImplementedError

    def discard(self, interrupted: bool = False) -> None:
        """Throw the tree away (the build failed); at once, unmade, when ``interrupted``."""
        raise NotImplementedError


def _quietly(action) -> None:  # noqa: ANN001 - any function
    """Do ``action``; a system error only costs time (what it would have done is redone next time)."""
    try:
        action()
    except OSError:
        pass


def write_folder(files: Iterable[OutputFile], folder: Path, manifest: Path | None = None,
                 previous: PreviousOutput | None = None, workspace: Path | None = None) -> WriteReport:
    """Write ``files`` as the whole new content of ``folder``, put in place at the end."""
    return stage_folder(files, Target(folder.resolve(), manifest, workspace), previous).commit()


def prepare_spare(target: Target) -> bool:
    """Make the spare tree of an output folder whose last write had no old tree to keep (its first): a
    copy sharing its files, so that the next write changes only what it changes, as every later one does,
    instead of making the whole tree again (at 10,000 articles ~2.5 s of folders and links, which
    `cmhub serve` spends while nobody waits). Return whether the folder has a spare now; a failure, or a
    file that is no longer the one written, only costs time (the next write makes its tree)."""
    manifest = target.manifest
    folder = target.folder.resolve()
    known = read_manifest(manifest, folder) if manifest is not None else None
    if known is None or manifest is None:
        return False
    workspace, prefix = target.place()
    spare = workspace / f"{prefix}.spare"
    if spare_folders(manifest, known, spare) is not None:
        return True
    copy = workspace / f"{prefix}.new-{os.getpid()}"
    try:
        forget_spare(manifest)
        remove_tree(spare)  # not a clean copy: of no use to any write
        live = os.path.join(folder, "")
        if any(os.lstat(live + path).st_ino != entry.inode for path, entry in known.files.items()):
            return False  # a file replaced since it was written: no copy to trust
        remove_tree(copy)
        copy.mkdir()
        # brought up to date from nothing, as an old tree is after a write (every file is new to it)
        folders = catch_up(copy, folder, Manifest(), known.files, known.files)
        if folders is None:
            raise FileNotFoundError(copy)
        os.rename(copy, spare)
        mark_spare(manifest, spare, known.generation, folders)
    except OSError:
        _quietly(lambda: remove_tree(copy))
        return False
    return True


def stage_folder(files: Iterable[OutputFile], target: Target | Path,
                 previous_output: PreviousOutput | None = None) -> Staged:
    """Make the complete new tree of an output folder apart, to be put in place by ``commit()``.

    If anything fails (``files`` may raise while it is produced), the new tree is thrown away
    and the folder is left exactly as it was. Call check_output_folder first, and hold the
    project's build lock. With a manifest, a file whose bytes did not change is not written
    again: same inode, same mtime.
    Raises CmhubError when the folder cannot be written (naming ``target.who``).
    """
    if not isinstance(target, Target):
        target = Target(target)
    target.folder = folder = target.folder.resolve()
    check_writable(folder, target.who, target.shown())
    try:
        maker = _maker(target, previous_output)
    except OSError as exc:
        raise os_problem(exc, target.who, target.shown()) from exc
    staged = Staged(target, Path(maker.base), maker.made, maker.changed, {}, maker.previous, maker.spare)
    try:
        for item in files:
            maker.add(item)
        staged.folders = maker.finish(_MARKER_TEXT)
    except OSError as exc:
        staged.discard()
        _close(files)
        if not _writing(exc, maker.base, str(target.folder)):
            raise  # a file to copy that vanished, say: not the output's fault
        raise os_problem(exc, target.who, target.shown()) from exc
    except BaseException:
        staged.discard()
        _close(files)
        raise
    return staged


def _close(files: Iterable[OutputFile]) -> None:
    """Stop the producer of ``files`` that a failure left half-read, so that it cleans up now (its
    temporary folders, say), not whenever the garbage collector meets it."""
    close = getattr(files, "close", None)
    if close is not None:
        close()


def _writing(exc: OSError, *folders: str) -> bool:
    """Tell whether a system error was met writing into one of ``folders`` (not reading a source file)."""
    if exc.filename is None or exc.filename2 is not None:
        return True
    name = os.fsdecode(exc.filename)
    return any(name == folder or name.startswith(folder + os.sep) for folder in folders)


def _maker(target: Target, previous_output: PreviousOutput | None) -> Maker:
    """Return the maker of a new tree: in the clean spare when there is one, else in a new folder."""
    workspace, prefix = target.place()
    for leftover in leftovers(workspace, prefix):
        remove_tree(leftover)
    known = None
    if target.manifest is not None:
        known = previous_output.trusted if previous_output is not None else \
            read_manifest(target.manifest, target.folder)
    spare = workspace / f"{prefix}.spare" if target.manifest is not None else None
    if known is not None and spare is not None and target.manifest is not None:
        folders = spare_folders(target.manifest, known, spare)
        if folders is not None:
            forget_spare(target.manifest)
            maker = Maker(target.folder, spare, known, True, folders, target.shown)
            if maker.start():
                maker.previous, maker.spare = known, spare
                return maker
    if spare is not None and target.manifest is not None:
        forget_spare(target.manifest)
        remove_tree(spare)
    tree = workspace / f"{prefix}.new-{os.getpid()}"
    remove_tree(tree)
    tree.mkdir()
    (tree / MARKER).write_bytes(_MARKER_TEXT)
    maker = Maker(target.folder, tree, known, target.manifest is not None, None, target.shown)
    maker.previous, maker.spare = known, spare
    return maker


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
