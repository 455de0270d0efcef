"""The spare tree of an output folder: the old tree, once swapped out, brought up to date with links.

After a write swaps its new tree in (see cmhub.output.writer), the old tree is made a copy of the new one
again: the files the new output no longer has are deleted, the files it wrote are hard-linked from
it. The next write then changes only what it changes in the spare, and swaps it in.

Folder mtimes tell what someone else changed: the manifest records those of the output folder,
the spare's state those of the spare. A folder whose mtime is not the one recorded has had entries
added or removed by someone else, and is looked through: whatever the write did not make is
deleted (links and unknown folders included; ``shutil.rmtree`` never follows a link). A recorded
folder that is no longer a real folder (a link put in its place, say) makes the whole tree
untrusted: it is deleted instead.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

from cmhub.output.exchange import halt, remove_tree
from cmhub.output.manifest import Manifest

MARKER = ".cmhub-output"


def parent(path: str) -> str:
    """Return the folder of a '/'-separated output path ('' for the tree itself); faster than dirname."""
    return path.rpartition("/")[0]


def ancestors(paths: Iterable[str]) -> set[str]:
    """Return every folder holding one of ``paths``, and those above them ('' is the tree itself)."""
    found = {""}
    for path in paths:
        folder = path.rpartition("/")[0]
        while folder not in found:
            found.add(folder)
            folder = folder.rpartition("/")[0]
    return found


def folder_times(base: str, folders: Iterable[str], known: Mapping[str, int] | None = None,
                 touched: set[str] | None = None) -> dict[str, int]:
    """Return the mtime of each folder of the tree at ``base``: read from the disk for the folders
    ``touched`` (or unknown), else as ``known``."""
    known = known or {}
    touched = touched if touched is not None else set()
    times = {}
    for folder in sorted(folders):
        found = known.get(folder)
        times[folder] = os.lstat(os.path.join(base, folder)).st_mtime_ns \
            if found is None or folder in touched else found
    return times


def check_folders(base: str, recorded: Mapping[str, int], files: Mapping[str, object]) -> set[str] | None:
    """Look through each folder of a tree whose mtime is not the recorded one, deleting what the
    write did not make; return the folders so cleaned, or None when the tree cannot be trusted."""
    cleaned = set()
    for folder in sorted(recorded, key=lambda f: (f.count("/"), f)):
        try:
            info = os.lstat(os.path.join(base, folder))
        except FileNotFoundError:
            return None
        if not stat.S_ISDIR(info.st_mode):
            return None
        if info.st_mtime_ns != recorded[folder]:
            _prune_level(base, folder, files, recorded)
            cleaned.add(folder)
    return cleaned


def catch_up(old: Path, live: Path, previous: Manifest, made: Mapping[str, object],
             changed: Iterable[str]) -> dict[str, int] | None:
    """Make ``old`` (the previous tree) hold what ``live`` holds, sharing its files; return the
    mtime of each of its folders, or None when the old tree cannot be trusted (delete it then)."""
    base = str(old)
    changed = list(changed)
    removed = [path for path in previous.files if path not in made]
    touched = ancestors([*removed, *changed])
    if check_folders(base, {f: t for f, t in previous.folders.items() if f in touched}, previous.files) is None:
        return None
    remove_what_was_not_made(base, previous.files, made)
    for path in changed:
        target = os.path.join(base, path)
        clear_way(base, os.path.dirname(path))
        if os.path.lexists(target):
            remove_tree(Path(target))
        os.link(os.path.join(live, path), target)
        halt("spare")
    if not os.path.isfile(os.path.join(base, MARKER)):
        shutil.copyfile(os.path.join(live, MARKER), os.path.join(base, MARKER))
    return folder_times(base, ancestors(made), previous.folders, touched)


def remove_what_was_not_made(base: str, previous: Mapping[str, object], made: Mapping[str, object]) -> None:
    """Delete from the tree at ``base`` the files of the previous write that this one does not make,
    and the folders that leaves empty."""
    emptied = []
    for path in previous:
        if path not in made:
            try:
                os.unlink(os.path.join(base, path))
            except FileNotFoundError:
                pass
            except IsADirectoryError:
                continue  # a folder stands there now: the new output made it
            emptied.append(path)
    for folder in sorted(ancestors(emptied) - {""}, key=lambda f: f.count("/"), reverse=True):
        try:
            os.rmdir(os.path.join(base, folder))
        except OSError:  # not empty (the new output has files there), or already gone
            pass


def clear_way(base: str, parent: str) -> None:
    """Make the folder ``parent`` in ``base``, removing a previous file that stands where a folder goes."""
    where = os.path.join(base, parent)
    if not parent or os.path.isdir(where) and not os.path.islink(where):
        return
    clear_way(base, os.path.dirname(parent))
    if os.path.lexists(where):
        os.unlink(where)
    os.mkdir(where)


def _prune_level(base: str, folder: str, files: Mapping[str, object], folders: Mapping[str, int]) -> None:
    """Delete what one folder holds that the write did not make (links and unknown folders too)."""
    prefix = f"{folder}/" if folder else ""
    with os.scandir(os.path.join(base, folder)) as entries:
        for entry in entries:
            path = prefix + entry.name
            if entry.is_symlink():
                os.unlink(entry.path)
            elif entry.is_dir(follow_symlinks=False):
                if path not in folders:
                    shutil.rmtree(entry.path)
            elif path not in files and path != MARKER:
                os.unlink(entry.path)
