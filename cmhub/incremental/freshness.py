"""Whether a build has anything to do: the inputs and clock span of the last successful build.

This module stays light (no Markdown, Jinja or image library, and while site.yml is unchanged not
even its parser) so that `cmhub build` with nothing changed answers in a fraction of a second.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from cmhub.core.locations import CACHE_FOLDER, CONFIG_NAME, builtin_theme_dir
from cmhub.incremental.intact import check_outputs
from cmhub.incremental.keys import digest_of
from cmhub.output.seals import read_sealed, write_sealed
from cmhub.settings.request import PREVIEW_FOLDER  # a light module: no settings, no YAML

if TYPE_CHECKING:
    from cmhub.settings.config import SiteConfig
    from cmhub.settings.request import BuildRequest

def fingerprint_of(statuses: InputStatuses, options: str) -> str:
    """Return a digest of every input file's path and status (``statuses``), and of the build's options."""
    return digest_of(chain([options], *(found for _, found in statuses)))


InputStatuses = list[tuple[Path, list[str]]]
"""Each input of a build (a file or a folder) with the path and status of every file it holds."""


def input_statuses(config: Hub) -> InputStatuses:
    """Return the path and status of every file a build of this project reads (see _statuses)."""
    return [(path, list(_statuses([path]))) for path in _inputs(config)]


def written_ledgers(statuses: InputStatuses, config: Hub) -> InputStatuses:
    """Return ``statuses``, taken before a build, with the ledgers that build writes as they are now.

    Every other input keeps the status it had when the build started: a file saved while the build ran
    (read before or after the save, who knows) then differs from the stamp, and the next build makes it.
    """
    written = {config.root / name for name in LEDGERS_WRITTEN}
    return [(path, list(_statuses([path])) if path in written else found) for path, found in statuses]


LEDGERS_WRITTEN = ("permalinks.lock", "plan.lock")
"""The inputs a build writes itself."""


def _statuses(paths: list[Path]) -> Iterator[str]:
    """Yield the path and status of every file under ``paths``, in a stable order: its size, its modification
    and change dates and its inode (a file written again with its old size and modification date, as
    `touch -r`, `cp -p` or a restored backup leave it, has a new change date)."""
    for base in paths:
        if base.is_file():
            stat = base.stat()
            yield _status(str(base), stat)
            continue
        for folder, dirs, names in os.walk(base):
            dirs.sort()
            prefix = os.path.join(folder, "")  # joined by hand below: ten thousand files at 10,000 articles
            for name in sorted(names):
                path = prefix + name
                try:
                    stat = os.stat(path)
                except OSError:  # a broken link, or one that loops (the build warns about it)
                    stat = os.lstat(path)
                yield _status(path, stat)


def _status(path: str, stat: os.stat_result) -> str:
    return f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\0{stat.st_ino}"


class Hub(Protocol):
    """The folders of a hub that the check reads and writes (SiteConfig has them, and so has Folders)."""

    @property
    def root(self) -> Path: ...
    @property
    def content(self) -> Path: ...
    @property
    def theme(self) -> Path: ...
    @property
    def output(self) -> Path: ...
    @property
    def social_output(self) -> Path: ...


_FOLDERS = ("output", "content", "theme", "social_output")


@dataclass(frozen=True)
class Folders:
    """The folders of a hub that the check reads and writes (a Hub, as the last build had them)."""

    root: Path
    output: Path
    content: Path
    theme: Path
    social_output: Path


@dataclass(frozen=True)
class Aim:
    """What the check needs of site.yml and of the command line, as the last build had them.

    ``key`` digests what they came from: site.yml's status (size, dates, inode), the hub's folder and the
    options given. While the key is the same and every folder's name still leads where it led (a link
    may have been pointed elsewhere), the check takes the folders, the time zone and the options' string
    from the aim, and loads neither site.yml's parser nor the settings' modules.
    """

    key: str
    folders: tuple[tuple[str, str, str], ...]
    """(setting, path as written made absolute, path it led to) of the hub and of each folder setting."""
    timezone: str
    options: str

    def hub(self) -> Folders:
        """Return the folders as the last build had them."""
        return Folders(**{setting: Path(resolved) for setting, _, resolved in self.folders})

    def still_leads(self) -> bool:
        """Tell whether each folder's name still leads to the folder it led to."""
        try:
            return all(str(Path(written).resolve()) == resolved for _, written, resolved in self.folders)
        except (OSError, RuntimeError):  # a loop of links
            return False


def aim_key(root: Path, request: BuildRequest) -> str | None:
    """Return the key of what the check would read of site.yml and the options (None: no site.yml).

    Taken before site.yml is read: a save made meanwhile gives the next build another key."""
    path = os.path.join(os.path.abspath(root), CONFIG_NAME)
    try:
        status = _status(path, os.stat(path))
    except OSError:
        return None
    output = os.path.abspath(request.output) if request.output is not None else ""
    return digest_of(["aim", status, request.preview.drafts, request.preview.future, request.strict,
                      request.locked, output, request.engine or ""])


def aim_of(key: str | None, given_root: Path, config: SiteConfig, request: BuildRequest) -> Aim | None:
    """Return what the check keeps of ``config`` (aimed by ``request``), under ``key`` (see aim_key)."""
    names = config.folder_names
    if key is None or any(name not in names for name in _FOLDERS):
        return None
    root = os.path.abspath(given_root)
    written = {name: os.path.join(root, names[name]) for name in _FOLDERS}
    if request.output is not None:  # request.aimed() put these in place of site.yml's output
        written["output"] = os.path.abspath(request.output)
    elif request.preview.active:
        written["output"] = os.path.join(root, PREVIEW_FOLDER)
    folders = (("root", root, str(config.root)),
               *((name, written[name], str(getattr(config, name))) for name in _FOLDERS))
    return Aim(key, folders, config.timezone, request.options(config))


def _read_aim(data: object) -> Aim:
    if not (isinstance(data, list) and len(data) == 4 and isinstance(data[1], list)
            and all(isinstance(f, list) and len(f) == 3 for f in data[1])
            and sorted(f[0] for f in data[1]) == sorted(("root", *_FOLDERS))):
        raise ValueError("not an aim")
    return Aim(str(data[0]), tuple((str(a), str(b), str(c)) for a, b, c in data[1]), str(data[2]), str(data[3]))


@dataclass(frozen=True)
class BuildStamp:
    """What the last successful build saw: its inputs, and the span of clocks giving the same output."""

    fingerprint: str
    at: float
    """The clock of that build (POSIX seconds)."""
    after: float
    """The output holds for a clock strictly after this instant (POSIX seconds)..."""
    before: float
    """... and strictly before this one (the next publication, expiry or teaser)."""
    summary: str
    warnings: tuple[tuple[str, int | None, str, str], ...]
    """(path, line, message, severity) of each warning."""
    aim: Aim | None = None
    """What that build read of site.yml and its options, for the next check (None: site.yml is read)."""

    def holds(self, fingerprint: str, now: float) -> bool:
        """Tell whether a build with these inputs at ``now`` would write exactly the same output."""
        return fingerprint == self.fingerprint and self.covers(now)

    @property
    def build(self) -> tuple[str, float]:
        """What tells that build from any other: its fingerprint and its clock."""
        return self.fingerprint, self.at

    def covers(self, now: float) -> bool:
        """Tell whether a build at ``now`` would be the same as that build, given the same inputs."""
        return now == self.at or self.after < now < self.before


def load_stamp(root: Path) -> BuildStamp | None:
    """Return the last build's stamp, or None (also when it is damaged or not sealed by this machine)."""
    path = root / CACHE_FOLDER / "last-build.json"
    body = read_sealed(path, f"stamp:{path}")
    if body is None:
        return None
    try:
        data = json.loads(body)
        aim = data.get("aim")
        return BuildStamp(data["fingerprint"], float(data["at"]), float(data["after"]), float(data["before"]),
                          str(data["summary"]), tuple(tuple(w) for w in data["warnings"]),
                          _read_aim(aim) if aim is not None else None)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_stamp(root: Path, stamp: BuildStamp) -> None:
    """Remember the build that just succeeded."""
    path = root / CACHE_FOLDER / "last-build.json"
    aim = stamp.aim
    body = json.dumps({"fingerprint": stamp.fingerprint, "at": stamp.at, "after": stamp.after,
                       "before": stamp.before, "summary": stamp.summary, "warnings": list(stamp.warnings),
                       "aim": [aim.key, aim.folders, aim.timezone, aim.options]
                       if aim is not None else None})
    try:
        write_sealed(path, body.encode("utf-8", "surrogatepass"), f"stamp:{path}")
    except OSError:
        pass  # the next build is a full one: it only costs time


def _inputs(config: Hub) -> list[Path]:
    return [config.root / "site.yml", config.root / "permalinks.lock", config.root / "plan.lock",
            config.root / "posts.lock", config.root / "replies.jsonl", config.root / "hidden-replies.txt",
            config.root / ".github" / "workflows" / "cmhub.yml", config.content, config.theme, builtin_theme_dir()]


def written_folders(config: Hub, previewing: bool) -> list[tuple[str, Path]]:
    """Return the output folders a build writes, each with the name of its manifest in the cache.

    A preview (drafts or scheduled articles shown) writes only its own folder, never site/ or social/.
    """
    if previewing:
        return [("preview", config.output)]
    return [("site", config.output), ("social", config.social_output)]


def unchanged_build(config: Hub, moment: dt.datetime, options: str, previewing: bool, statuses: InputStatuses,
                    stamp: BuildStamp | None = None) -> BuildStamp | None:
    """Return the last build's stamp (``stamp`` when it was read already) when a build now would write
    exactly what is there, else None; ``statuses`` are the inputs' (input_statuses)."""
    stamp = stamp or load_stamp(config.root)
    if stamp is None or not stamp.holds(fingerprint_of(statuses, options), moment.timestamp()):
        return None
    intact = check_outputs(config.root, stamp.build, written_folders(config, previewing), inputs_first=False).intact()
    return stamp if intact else None


@dataclass(frozen=True)
class Checked:
    """What the check before a build found."""

    stamp: BuildStamp | None
    """The last build's stamp when nothing changed since, else None."""
    statuses: InputStatuses | None = None
    """The inputs' statuses it took (None: it took none), for the stamp of the build that follows."""


def quick_check(root: Path, request: BuildRequest) -> Checked:
    """Tell whether nothing changed (the last stamp), reading only file dates (and site.yml when it changed
    or the last build kept no aim for these options).

    Any doubt (an unreadable site.yml, a bad --now) gives no stamp: the full build then reports it.
    """
    from zoneinfo import ZoneInfo

    from cmhub.core.dates import build_now

    stamp = load_stamp(root)
    if stamp is None:
        return Checked(None)
    hub: Hub
    aim = stamp.aim
    if aim is not None and aim.key == aim_key(root, request) and aim.still_leads():
        hub, timezone, options = aim.hub(), aim.timezone, aim.options
    else:
        from cmhub.core.errors import CmhubError
        from cmhub.settings.config import load_config

        try:
            config = request.aimed(load_config(root))
        except CmhubError:
            return Checked(None)
        hub, timezone, options = config, config.timezone, request.options(config)
    try:
        moment = build_now(request.now, ZoneInfo(timezone))
    except (ValueError, KeyError, OSError):  # a bad --now; a time zone no longer known (KeyError)
        return Checked(None)
    if not stamp.covers(moment.timestamp()):  # an article falls due, or another --now
        return Checked(None, input_statuses(hub))
    # the outputs are checked (partly by a forked process) while the inputs' statuses are taken
    outputs = check_outputs(hub.root, stamp.build, written_folders(hub, request.preview.active), inputs_first=True)
    try:
        statuses = input_statuses(hub)
    except BaseException:
        outputs.abandon()
        raise
    if not stamp.holds(fingerprint_of(statuses, options), moment.timestamp()):
        outputs.abandon()
        return Checked(None, statuses)
    return Checked(stamp if outputs.intact() else None, statuses)
