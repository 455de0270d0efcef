"""The folders a build writes (site/ or preview/, social/) and the ledger, put in place together.

Every new tree is made apart first (cmhub.output.writer), and the ledger's new text written beside it;
only when all of them are complete are they put in place, one swap per folder, the ledger last. A
build that fails or is stopped before that leaves every folder and the ledger as they were.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from cmhub.core.errors import CmhubError, error
from cmhub.core.locations import CACHE_FOLDER
from cmhub.incremental.freshness import written_folders
from cmhub.incremental.reuse import ReuseCheck
from cmhub.ledgers.permalinks_lock import LEDGER_NAME
from cmhub.ledgers.plan_lock import PLAN_LOCK_NAME
from cmhub.output.atomic import write_beside
from cmhub.output.exchange import check_writable
from cmhub.output.files import OutputFile
from cmhub.output.manifest import ManifestEntry
from cmhub.output.previous import PreviousOutput
from cmhub.output.writer import Staged, StagedElsewhere, Stager, Target, stage_folder
from cmhub.pipeline.project import Project


class Outputs:
    """The output folders of one build, and what their previous writes hold."""

    def __init__(self, project: Project):
        config, request = project.config, project.request
        previewing, use_cache = request.preview.active, request.use_cache
        who = "--output" if request.output is not None else "site.yml"
        cache = config.root / CACHE_FOLDER
        self.targets: dict[str, Target] = {}
        self.previous: dict[str, PreviousOutput] = {}
        for name, folder in written_folders(config, previewing):
            manifest = cache / f"{name}.manifest.json" if use_cache else None
            self.targets[name] = Target(folder, manifest, cache / "trees", who if name != "social" else "site.yml",
                                        config.root)
            self.previous[name] = PreviousOutput(folder, manifest)
        self.pages = "preview" if previewing else "site"
        self.written: list[tuple[str, Path, Mapping[str, ManifestEntry | None]]] = []
        """Once written: each folder's name, path and what the write made there (for intact.save_outputs)."""

    def check(self) -> None:
        """Check, before the build makes anything, that every folder can be replaced as a whole.

        Raises CmhubError naming every folder that cannot (read-only, full, a mount point...).
        """
        problems = []
        for target in self.targets.values():
            try:
                check_writable(target.folder, target.who, target.shown())
            except CmhubError as exc:
                problems.extend(exc.problems)
        if problems:
            raise CmhubError(problems)

    def reuse(self, name: str) -> ReuseCheck:
        """Return what one folder's previous write holds ('pages' or 'social'), None when it is not written."""
        found = self.previous.get(self.pages if name == "pages" else name)
        return found.holds if found is not None else None

    def write(self, pages: Iterable[OutputFile], social: Iterable[OutputFile] | StagedElsewhere,
              project_files: Callable[[], Sequence[tuple[Path, str]]] = tuple) -> None:
        """Make the new trees and the project files' new texts (the ledgers, asked for once the trees are
        made), then put every folder in place, and the project files last. social/ comes as its files
        (made first, so that its exports are on disk, not in memory, while the pages render), or as a
        tree another process is making meanwhile (cmhub/pipeline/syndication.py; whoever started that
        process throws its tree away if this fails).

        Raises CmhubError (nothing changed) when a folder or a project file cannot be written.
        """
        staged: list[Staged] = []
        pending: list[tuple[Path, Path]] = []
        names = [name for name in ("social", self.pages) if name in self.targets]
        elsewhere = social if isinstance(social, StagedElsewhere) else None
        try:
            if "social" in self.targets and elsewhere is None:
                staged.append(stage_folder(social, self.targets["social"], self.previous["social"]))
            staged.append(stage_folder(pages, self.targets[self.pages], self.previous[self.pages]))
            if elsewhere is not None:
                staged.insert(0, elsewhere.staged())
                self.targets["social"] = staged[0].target  # its folder as the other process resolved it
            for path, text in project_files():
                pending.append((stage_text(path, text), path))
        except BaseException:
            for each in staged:
                each.discard()
            for temporary, _ in pending:
                temporary.unlink(missing_ok=True)
            raise
        for each in reversed(staged):
            each.commit()
        made = {name: each.made for name, each in zip(names, staged, strict=True)}
        self.written = [(name, target.folder, made[name]) for name, target in self.targets.items()]
        for temporary, path in pending:
            os.replace(temporary, path)

    def stage_social(self) -> Stager | None:
        """Return what stages social/ from its files, for another process (None: a preview has none)."""
        if "social" not in self.targets:
            return None
        return Stager(self.targets["social"], self.previous["social"])


_PENDING = re.compile(r"^\..+\.(?:new-)?\d+$")
_PROJECT_FILES = (f".{LEDGER_NAME}.", f".{PLAN_LOCK_NAME}.")
"""A file written beside its final name by a process, then renamed: '.permalinks.lock.new-1234'."""


def forget_pending(root: Path) -> None:
    """Delete the half-written files a stopped build left: the ledger's new text, cache files.

    Call it holding the build lock (no other build is writing them).
    """
    for folder in (root, root / CACHE_FOLDER):
        try:
            with os.scandir(folder) as entries:
                stale = [e.path for e in entries if _PENDING.match(e.name) and e.is_file(follow_symlinks=False)
                         and (folder != root or e.name.startswith(_PROJECT_FILES))]
        except OSError:
            continue
        for path in stale:
            try:
                os.unlink(path)
            except OSError:
                pass


def stage_text(path: Path, text: str) -> Path:
    """Write the new text of a small project file (the ledger) beside it; return that file, to be
    renamed over the old one. Raises CmhubError naming the file when it cannot be written."""
    try:
        return write_beside(path, text)
    except OSError as exc:
        raise CmhubError([error(path.name, None, f"cannot be written: {exc.strerror or exc}; "
                                "nothing was changed")]) from exc
