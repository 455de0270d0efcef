"""Whether the files the last build wrote are still as it left them (the last half of "nothing changed").

The last build keeps the size and mtime of every file it wrote in one small sealed record
(``last-build.outputs``). Checking them is one ``lstat`` per file: 35,000 at 10,000 articles, most of
the cost of a build with nothing to do. Where there are many, a forked process checks a share of them
while this one takes the inputs' statuses and checks the rest.
"""

from __future__ import annotations

import json
import os
import signal
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cmhub.core.locations import CACHE_FOLDER
from cmhub.output.seals import read_sealed, write_sealed
from cmhub.output.trees import tree_of

if TYPE_CHECKING:
    from cmhub.output.manifest import ManifestEntry

OUTPUTS_NAME = "last-build.outputs"
"""The size and mtime of every file the last build wrote, in one small sealed file (the manifests hold much
more: reading them is most of the cost of a build with nothing to do)."""

SHARED_FROM = 4000
"""From this many files, a forked process checks a share of them (below, forking costs more than it saves)."""

INPUT_WEIGHT = 1.0
"""What taking one input's status costs, against checking one output (measured at 10,000 articles: about
the same, a stat each)."""


def save_outputs(root: Path, build: tuple[str, float], inputs: int,
                 written: Sequence[tuple[str, Path, Mapping[str, ManifestEntry | None]]]) -> None:
    """Keep, in the cache of the hub at ``root``, for ``build`` (its stamp's fingerprint and clock), made
    from ``inputs`` input files, the size and mtime of every file it wrote (each folder's name, path and
    what the write made there, as its manifest holds it). Nothing is kept for a write that remembered no
    entries: the next check reads the manifests."""
    path = root / CACHE_FOLDER / OUTPUTS_NAME
    heading: dict[str, object] = {"fingerprint": build[0], "at": build[1], "inputs": inputs, "folders": []}
    lines: list[str] = []
    for index, (name, folder, made) in enumerate(written):
        base = str(folder.resolve())
        heading["folders"].append([name, base, list(tree_of(base) or ())])  # type: ignore[union-attr]
        for file, entry in made.items():
            if entry is None or "\t" in file or "\n" in file:  # not remembered, or a name the lines
                _forget(path)                                    # cannot hold: the manifests tell
                return
            lines.append(f"{index}\t{entry.size}\t{entry.mtime_ns}\t{file}")
    body = "\n".join([json.dumps(heading), *lines, ""]).encode("utf-8", "surrogateescape")
    try:
        write_sealed(path, body, f"outputs:{path}")
    except OSError:
        _forget(path)


def _forget(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


@dataclass
class OutputsCheck:
    """The check of the last build's outputs, started; ``intact()`` tells its answer."""

    verdict: bool | None = None
    """Known at once: True or False, or None (no record: the manifests tell)."""
    prefixes: tuple[bytes, ...] = ()
    lines: Sequence[bytes] = ()
    """The lines this process checks (the forked one has the others)."""
    helper: int | None = None
    """The forked process checking its share, until it is waited for."""
    manifests: tuple[tuple[Path, Path], ...] = ()
    """Each folder's manifest and path, read when there is no record."""

    def intact(self) -> bool:
        """Tell whether every file the last build wrote is still there, untouched (same size and mtime)."""
        if self.verdict is not None:
            return self.verdict and self._helped(True)
        if not self.prefixes:
            return all(outputs_intact(manifest, folder) for manifest, folder in self.manifests)
        mine = files_intact(self.prefixes, self.lines)
        return self._helped(mine)

    def abandon(self) -> None:
        """Stop the forked process, if any: its answer is not needed."""
        self._helped(False)

    def _helped(self, mine: bool) -> bool:
        """Return ``mine`` (this process's answer) and the forked process's, once it has ended."""
        if self.helper is None:
            return mine
        if not mine:  # its answer cannot change the verdict
            try:
                os.kill(self.helper, signal.SIGKILL)
            except OSError:
                pass
        _, status = os.waitpid(self.helper, 0)
        self.helper = None
        return mine and os.waitstatus_to_exitcode(status) == 0


def check_outputs(root: Path, build: tuple[str, float], folders: list[tuple[str, Path]],
                  inputs_first: bool) -> OutputsCheck:
    """Start checking the files ``build`` (its stamp's fingerprint and clock) wrote in ``folders`` (each
    with its manifest's name).

    ``inputs_first``: this process takes the inputs' statuses before it asks ``intact()``, so the
    forked process, when there is one, takes the larger share.
    """
    cache = root / CACHE_FOLDER
    record = _read_record(cache / OUTPUTS_NAME, build, folders)
    if record is None:  # no record of this very build and these folders: the manifests tell
        return OutputsCheck(manifests=tuple((cache / f"{name}.manifest.json", folder) for name, folder in folders))
    if isinstance(record, bool):
        return OutputsCheck(verdict=record)
    prefixes, lines, inputs = record
    if len(lines) < SHARED_FROM or not hasattr(os, "fork") or threading.active_count() > 1:
        return OutputsCheck(prefixes=prefixes, lines=lines)  # forking a threaded process is not safe
    # both processes finish together: the forked one takes half of all the work, inputs included
    ahead = inputs * INPUT_WEIGHT if inputs_first else 0
    share = min(len(lines), int((len(lines) + ahead) / 2))
    try:
        pid = os.fork()
    except OSError:  # no process to spare (a limit reached): all of them here
        return OutputsCheck(prefixes=prefixes, lines=lines)
    if pid == 0:  # pragma: no cover - the forked process ends here (coverage does not see it)
        try:
            code = 0 if files_intact(prefixes, lines[:share]) else 1
        except BaseException:
            code = 2
        os._exit(code)
    return OutputsCheck(prefixes=prefixes, lines=lines[share:], helper=pid)


def _read_record(path: Path, build: tuple[str, float],
                 folders: list[tuple[str, Path]]) -> tuple[tuple[bytes, ...], list[bytes], int] | bool | None:
    """Return the record's folder prefixes, lines and count of inputs; False when a folder was replaced
    since; None when there is no record of ``build`` and these folders."""
    body = read_sealed(path, f"outputs:{path}")
    if body is None:
        return None
    first, _, rest = body.partition(b"\n")
    try:
        heading = json.loads(first)
        if not isinstance(heading, dict) or (heading.get("fingerprint"), heading.get("at")) != build:
            return None
        expected = [[name, str(folder.resolve()), list(tree_of(folder.resolve()) or ())] for name, folder in folders]
        recorded = heading.get("folders")
        if not isinstance(recorded, list) or [f[:2] for f in recorded] != [f[:2] for f in expected]:
            return None  # a record of other folders
        if recorded != expected:
            return False  # a folder replaced since
        inputs = heading.get("inputs", 0)
        prefixes = tuple(os.fsencode(os.path.join(base, "")) for _, base, _ in expected)
        return prefixes, rest.split(b"\n")[:-1], inputs if isinstance(inputs, int) else 0
    except OSError:
        return False
    except (ValueError, TypeError, AttributeError):
        return None


def files_intact(prefixes: Sequence[bytes], lines: Sequence[bytes]) -> bool:
    """Tell whether each file of ``lines`` (folder index, size, mtime, path under that folder's prefix)
    still has that size and mtime; False also for a damaged line."""
    lstat = os.lstat
    try:
        for line in lines:
            index, size, mtime, file = line.split(b"\t", 3)
            info = lstat(prefixes[int(index)] + file)
            if info.st_size != int(size) or info.st_mtime_ns != int(mtime):
                return False
    except (OSError, ValueError, IndexError):
        return False
    return True


def outputs_intact(manifest: Path, folder: Path) -> bool:
    """Tell whether every file the last write of ``folder`` made is still there, untouched.

    Only the files' status is read here: the manifest's paths need not be checked one by one (a path
    leading elsewhere fails to match, and the full build that follows checks them all).
    """
    from cmhub.output.manifest import read_json  # only without a record: the check stays light

    base = str(folder.resolve())
    data = read_json(manifest, "manifest")
    if not isinstance(data, dict) or data.get("folder") != base or data.get("tree") != list(tree_of(base) or ()):
        return False
    prefix = os.path.join(base, "")
    try:
        for path, (_, size, mtime, _key, _inode) in data["files"].items():
            stat = os.lstat(prefix + path)
            if stat.st_size != size or stat.st_mtime_ns != mtime:
                return False
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return False
    return True
