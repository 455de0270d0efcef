"""What the last write of an output folder made, kept in the build cache and trusted only when sealed.

A manifest lists each file of the output folder (its digest, size, mtime and key), each folder's
mtime, which folder it describes (its path and its inode: a manifest of another tree is not used)
and a generation, a random name of that write. Like everything read back from `.cmhub-cache/`, a
manifest is untrusted input: it is used only if its seal is this machine's (cmhub.output.seals) *and*
every path in it is a plain relative path inside the folder (no '..', no absolute path, no empty,
'.' or over-long segment, no backslash or NUL). Anything else is treated as no manifest at all:
the next write then makes every file again, and deletes nothing it did not make.

Beside it, the state of the *spare* tree (see cmhub.output.writer): which folder is a clean copy of which
generation.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from cmhub.output.seals import read_sealed, write_sealed
from cmhub.output.trees import tree_of

MAX_NAME_BYTES = 255
"""The longest file or folder name most file systems take (in bytes)."""


class ManifestEntry(NamedTuple):
    """What a write made at one path (written in the manifest as a JSON array, in this order)."""

    digest: str
    """Of the bytes written, or 'copy:<source>:<size>:<mtime>' for a file copied from the project."""
    size: int
    mtime_ns: int
    key: str
    """The key of the inputs it was made from ('' when none was worked out; see cmhub.incremental.reuse)."""
    inode: int


@dataclass(frozen=True)
class Manifest:
    """What a write made: each file's entry, each folder's mtime."""

    files: dict[str, ManifestEntry] = field(default_factory=dict)
    folders: dict[str, int] = field(default_factory=dict)
    tree: tuple[int, int] | None = None
    """(device, inode) of the output folder this manifest describes."""
    generation: str = ""


_PLAIN_PATH = re.compile(r"(?:(?!\.\.?/)[^/\\\x00]{1,255}/)*(?!\.\.?$)[^/\\\x00]{1,255}")
"""Parts of 1 to 255 characters, none '.' or '..', separated by single '/', no backslash or NUL."""


def safe_relative(path: str) -> bool:
    """Tell whether ``path`` is a plain '/'-separated relative path that stays inside its folder."""
    if _PLAIN_PATH.fullmatch(path) is None:
        return False
    return path.isascii() or all(len(part.encode("utf-8", "surrogatepass")) <= MAX_NAME_BYTES
                                 for part in path.split("/"))


def new_generation() -> str:
    """Return a fresh name for a write."""
    import secrets  # not loaded by the "nothing changed" check

    return secrets.token_hex(12)


def read_manifest(path: Path | None, folder: Path) -> Manifest | None:
    """Return the manifest at ``path`` if it is sealed, well formed and describes ``folder`` as it is now."""
    if path is None:
        return None
    kept = _KEPT.get(str(path))
    if kept is not None and kept[1] == str(folder) and kept[0] == _status(path):
        manifest: Manifest | None = _copy(kept[2])
    else:
        manifest = _checked(read_json(path, "manifest"), folder)
    if manifest is None or manifest.tree != tree_of(folder):
        return None
    return manifest


_KEPT: dict[str, tuple[tuple[int, ...] | None, str, Manifest]] = {}
"""By manifest file: the manifest this process last put there, the file's status then and the folder it
describes (`cmhub serve` writes its preview's manifest at every rebuild: reading back what it wrote costs
~0.2 s a rebuild at 10,000 articles)."""


def keep_written(path: Path, folder: Path, manifest: Manifest) -> None:
    """Remember ``manifest``, just put at ``path`` for ``folder``: read_manifest returns a copy of it while
    the file keeps its status (a file written over, by this process or another, is read). A write gives
    its manifest up once committed: it is kept as it is, not copied, so that keeping it costs a build
    nothing; a manifest with an entry not remembered (None) would not be read back, and is not kept."""
    _KEPT.pop(str(path), None)
    status = _status(path)
    if status is not None and None not in manifest.files.values():
        _KEPT[str(path)] = (status, str(folder), manifest)


def _copy(manifest: Manifest) -> Manifest:
    """Return a copy of ``manifest`` whose mappings its user may change."""
    return Manifest(dict(manifest.files), dict(manifest.folders), manifest.tree, manifest.generation)


def _status(path: Path) -> tuple[int, ...] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev


def read_json(path: Path, kind: str) -> object:
    """Return the JSON data of a sealed file of the cache (see cmhub.output.seals), or None."""
    body = read_sealed(path, f"{kind}:{path.name}")
    if body is None:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def _checked(data: object, folder: Path) -> Manifest | None:
    """Return the manifest in ``data`` when every part of it is what a write makes, else None."""
    if not isinstance(data, dict) or data.get("folder") != str(folder):
        return None
    files, folders, tree, generation = data.get("files"), data.get("folders"), data.get("tree"), \
        data.get("generation")
    if not isinstance(files, dict) or not isinstance(folders, dict) or not isinstance(generation, str):
        return None
    if not (isinstance(tree, list) and len(tree) == 2 and all(type(n) is int for n in tree)):
        return None
    # a large hub's manifest lists ~25,000 files: each check runs over all of them at once
    if not (all(map(safe_relative, files)) and all(map(_entry, files.values()))
            and all(map(safe_relative, filter(None, folders))) and all(type(t) is int for t in folders.values())):
        return None
    entries = dict(zip(files, map(ManifestEntry._make, files.values()), strict=True))
    return Manifest(entries, folders, (tree[0], tree[1]), generation)


def _entry(entry: object) -> bool:
    return type(entry) is list and len(entry) == 5 and type(entry[0]) is str and type(entry[1]) is int \
        and type(entry[2]) is int and type(entry[3]) is str and type(entry[4]) is int


def manifest_bytes(folder: Path, manifest: Manifest) -> bytes:
    """Return the JSON text of a manifest of ``folder``."""
    return json.dumps({"folder": str(folder), "tree": list(manifest.tree or ()), "generation": manifest.generation,
                       "files": manifest.files, "folders": manifest.folders},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def write_manifest(path: Path, body: bytes) -> None:
    """Replace the manifest at ``path`` atomically (sealed)."""
    write_sealed(path, body, f"manifest:{path.name}")


def spare_path(manifest: Path) -> Path:
    """Return where the state of the spare tree of a manifest's folder is kept."""
    return manifest.with_name(manifest.name.replace(".manifest.json", "") + ".spare.json")


def spare_folders(manifest_path: Path, manifest: Manifest, spare: Path) -> dict[str, int] | None:
    """Return the folders (and their mtimes) of ``spare`` when it was left a clean copy of the tree that
    ``manifest`` describes (same files, same inodes); None when it is not known to be one."""
    data = read_json(spare_path(manifest_path), "spare")
    tree = tree_of(spare)
    if not isinstance(data, dict) or data.get("generation") != manifest.generation or tree is None \
            or data.get("tree") != list(tree) or data.get("folder") != str(spare):
        return None
    folders = data.get("folders")
    if not isinstance(folders, dict) or folders.keys() != manifest.folders.keys() \
            or not all(type(t) is int for t in folders.values()):
        return None
    return folders


def mark_spare(manifest_path: Path, spare: Path, generation: str, folders: dict[str, int]) -> None:
    """Record that ``spare`` is now a clean copy of the write named ``generation``, with these folders."""
    state = spare_path(manifest_path)
    body = json.dumps({"folder": str(spare), "tree": list(tree_of(spare) or ()), "generation": generation,
                       "folders": folders}, ensure_ascii=False).encode("utf-8", "surrogatepass")
    write_sealed(state, body, f"spare:{state.name}")


def forget_spare(manifest_path: Path) -> None:
    """Record that the spare tree is no longer known to be clean (before it is changed)."""
    try:
        os.unlink(spare_path(manifest_path))
    except FileNotFoundError:
        pass
