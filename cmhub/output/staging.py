"""Making the new tree of an output folder, one output file at a time.

Each file is checked (a safe relative path, no clash with another output), then either kept (the
previous output has it, unchanged: a hard link to it, already there in a recycled spare) or written
with new bytes. A spare being recycled is first checked against what its state recorded: a file
whose inode is not the output's is linked again, a folder someone changed is cleaned.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

from cmhub.core.errors import CmhubError, error
from cmhub.core.urls import is_safe_relative
from cmhub.output.exchange import halt, remove_tree
from cmhub.output.files import OutputFile
from cmhub.output.manifest import Manifest, ManifestEntry
from cmhub.output.spare import (
    MARKER,
    ancestors,
    check_folders,
    clear_way,
    folder_times,
    parent,
    remove_what_was_not_made,
)


class Maker:
    """Puts each output file into the new tree ``tree`` of the output folder ``live``."""

    def __init__(self, live: Path, tree: Path, known: Manifest | None, remember: bool,
                 spare_folders: dict[str, int] | None = None, shown=str):  # noqa: ANN001 - a function
        self.live, self.base = str(live), str(tree)
        self.known = known.files if known is not None else {}
        self.remember = remember
        self.recycling = spare_folders is not None
        """True: ``tree`` is the spare, a copy of the output folder; False: a new, empty tree."""
        self.spare_folders = spare_folders or {}
        self.touched: set[str] = set()
        """Folders of the recycled spare whose entries changed."""
        self.new_folders: set[str] = {""}
        """Folders made so far in a new tree."""
        self.cleaned: set[str] = set()
        """Folders of the recycled spare that someone else changed (their files are checked one by one)."""
        self.shown = shown
        self.previous: Manifest | None = None
        """The manifest of the output folder, when trusted."""
        self.spare: Path | None = None
        """Where the folder's spare is kept (None: no spare)."""
        self.made: dict[str, ManifestEntry | None] = {}
        """What each path of the new tree holds (None when nothing is remembered)."""
        self.changed: list[str] = []
        self.folders: set[str] = {""}
        self.owners: dict[str, tuple[str, int | None]] = {}
        """The project file behind each output that has one, to name it when two outputs clash."""
        self.folder_owners: dict[str, tuple[str, int | None]] = {}
        """One such file inside each folder made for it, for the same reason."""

    def start(self) -> bool:
        """Check a recycled spare's folders; return False when it cannot be trusted."""
        if not self.recycling:
            return True
        cleaned = check_folders(self.base, self.spare_folders, self.known)
        if cleaned is None:
            return False
        self.touched |= cleaned
        self.cleaned = cleaned
        return True

    def add(self, item: OutputFile) -> None:
        """Put one output file in place in the new tree."""
        path = item.path
        if not is_safe_relative(path) or path == MARKER:
            raise ValueError(f"unsafe output path {path!r}")  # our bug, not the user's
        self._check_clash(item)
        known = self.known.get(path)
        if item.reuse:
            # PreviousOutput.holds has just checked the file against the manifest (size and mtime)
            if not known or known.key != item.key:
                raise ValueError(f"{path!r} was marked reusable but is not")  # our bug
            self._keep(path, known)
            return
        if item.data is None and item.source is None:
            raise ValueError(f"output {path!r} has neither data nor source")
        if not self.remember:  # nothing to compare with, nothing to remember: just write
            self._write(item)
            self.made[path] = None
            return
        if item.data is not None:
            digest = hashlib.sha256(item.data).hexdigest()[:32]  # SHA-256 has hardware help: ~2.6 × BLAKE2b
        else:
            info = os.stat(item.source)  # type: ignore[arg-type]
            digest = f"copy:{item.source}:{info.st_size}:{info.st_mtime_ns}"
        if known and known.digest == digest and same_file(os.path.join(self.live, path), known):
            self._keep(path, known._replace(key=item.key))
            return
        written = self._write(item)
        self.made[path] = ManifestEntry(digest, written.st_size, written.st_mtime_ns, item.key, written.st_ino)
        self.changed.append(path)

    def _check_clash(self, item: OutputFile) -> None:
        path = item.path
        folder = parent(path)
        if path in self.made:
            other, same = self.owners.get(path), True
        elif path in self.folders:
            other, same = self.folder_owners.get(path), False
        elif folder in self.folders:  # a known folder: none of those above it is a file
            other, same = None, None
        else:
            while folder and folder not in self.made:
                folder = parent(folder)
            other, same = (self.owners.get(folder), False) if folder else (None, None)
        owner = self._owner(item)
        if same is not None:
            culprit = owner or other
            if culprit is not None:
                what = "the path" if same else "a path that is a folder of, or inside,"
                raise CmhubError([error(culprit[0], culprit[1], f"is published at '{path}', {what} another "
                                        "output of the build (a generated page or file): rename or move it")])
            what = "this same path" if same else "a path that is both a file and a folder"
            raise CmhubError([error(path, None, f"two outputs want {what}; "
                                    "a file under content/ may clash with a generated page")])
        if owner is not None:
            self.owners[path] = owner
        folder = parent(path)
        while folder not in self.folders:
            self.folders.add(folder)
            if owner is not None:
                self.folder_owners[folder] = owner
            folder = parent(folder)

    def _owner(self, item: OutputFile) -> tuple[str, int | None] | None:
        """Return the project file behind an output (an alias's article, a copied file), if any."""
        if item.origin is not None:
            return item.origin
        if item.source is not None and not item.link:
            return self.shown(item.source), None
        return None

    def _keep(self, path: str, entry: ManifestEntry) -> None:
        """Keep the previous output's file as it is: linked into a new tree, already in the spare."""
        target = os.path.join(self.base, path)
        if self.recycling:
            if parent(path) not in self.cleaned:
                # a folder whose date is the one recorded has had no entry replaced: the file is the output's own
                self.made[path] = entry
                return
            try:
                info = os.lstat(target)
                if info.st_ino == entry.inode and stat.S_ISREG(info.st_mode):
                    self.made[path] = entry
                    return
            except FileNotFoundError:
                pass
        target = self._place(path)  # in a recycled spare: its copy was replaced by someone else, linked again
        source = os.path.join(self.live, path)
        if not _try_link(Path(source), target):  # a file system without hard links: a copy, same date
            shutil.copy2(source, target, follow_symlinks=False)
            entry = entry._replace(inode=os.lstat(target).st_ino)
        self.made[path] = entry

    def _write(self, item: OutputFile) -> os.stat_result:
        target = self._place(item.path)
        if item.link and item.source is not None and _try_link(item.source, target):
            pass  # a file that never changes once made: its bytes are not written again (a page's with them too)
        elif item.data is not None:
            with open(target, "xb") as handle:
                handle.write(item.data)
        else:
            shutil.copyfile(item.source, target)  # type: ignore[arg-type]
        halt("staging")
        return os.lstat(target)

    def _place(self, path: str) -> str:
        """Return where ``path`` goes in the new tree, its folders made and anything in its way removed."""
        target = os.path.join(self.base, path)
        folder = parent(path)
        if self.recycling:
            self.touched |= ancestors([path])
            clear_way(self.base, folder)
            if os.path.lexists(target):
                remove_tree(Path(target))  # the previous file (or a folder it replaces)
        elif folder not in self.new_folders:
            os.makedirs(os.path.join(self.base, folder), exist_ok=True)
            while folder not in self.new_folders:
                self.new_folders.add(folder)
                folder = parent(folder)
        return target

    def finish(self, text: bytes) -> dict[str, int]:
        """Delete from a recycled spare what this write does not make, make sure the marker is there;
        return the mtime of every folder of the new tree."""
        if self.recycling:
            removed = [path for path in self.known if path not in self.made]
            remove_what_was_not_made(self.base, self.known, self.made)
            self.touched |= ancestors(removed)
        marker = os.path.join(self.base, MARKER)
        if not os.path.isfile(marker):
            with open(marker, "wb") as handle:
                handle.write(text)
            self.touched.add("")
        folders = ancestors(self.made)
        if not self.recycling:
            return folder_times(self.base, folders)
        return folder_times(self.base, folders, self.spare_folders, self.touched)


def same_file(path: str, known: ManifestEntry) -> bool:
    """Tell whether the file at ``path`` is still the one a manifest entry describes (size and mtime)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return info.st_size == known.size and info.st_mtime_ns == known.mtime_ns and stat.S_ISREG(info.st_mode)


def _try_link(source: Path, target: str) -> bool:
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed: copy instead
        return False
    return True
