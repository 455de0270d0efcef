"""`cmhub build` with nothing changed, answered before the command line's parser (click) is loaded.

A cron in CI runs `cmhub build` every hour, and most hours nothing changed: the answer is then a few
file dates, and loading click and the verbs was a third of its time. Only the plain forms are answered
here (`build`, with `-C`/`--project`, `--now` and `-q`/`--quiet`); anything else, or anything to build,
goes to click, which is handed the check made here so that it is not made twice.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cmhub.incremental.freshness import Checked
    from cmhub.settings.request import BuildRequest

_TAKEN: list[tuple[Path, BuildRequest, Checked]] = []
"""The check made here when it found something to build, for the build that click then runs."""


def answer(argv: list[str]) -> bool:
    """Print what `cmhub build` prints when nothing changed, and return True; return False when ``argv``
    is not a plain `cmhub build`, or when there is something to build (click then runs the command)."""
    given = _plain_build(argv)
    if given is None:
        return False
    start, now, quiet = given
    from cmhub.core.locations import find_project
    from cmhub.incremental.freshness import quick_check
    from cmhub.settings.request import BuildRequest

    root = find_project(start)
    if root != start and root != start.resolve():  # click says which hub it found: it answers
        return False
    request = BuildRequest(now=now)
    checked = quick_check(root, request)
    stamp = checked.stamp
    if stamp is None:
        _TAKEN.append((root, request, checked))
        return False
    said = ""
    if stamp.warnings:
        from cmhub.core.errors import Problem

        problems = sorted({Problem(*w) for w in stamp.warnings}, key=lambda p: (p.path, p.line or 0, p.message))
        said = "".join(f"{p}\n" for p in problems)
    sys.stderr.write(said)
    sys.stdout.write("" if quiet else stamp.summary + "\n")
    return True


def taken(root: Path, request: BuildRequest) -> Checked | None:
    """Return the check made for this build before click was loaded, if it was (once)."""
    while _TAKEN:
        made_for, asked, checked = _TAKEN.pop()
        if made_for == root and asked == request:
            return checked
    return None


def _plain_build(argv: list[str]) -> tuple[Path, str | None, bool] | None:
    """Return the hub folder, ``--now`` and ``--quiet`` of a plain `cmhub build`, else None."""
    if not argv or argv[0] != "build":
        return None
    project, now, quiet = ".", None, False
    rest = iter(argv[1:])
    for arg in rest:
        name, equals, value = arg.partition("=")
        if arg in ("-q", "--quiet"):
            quiet = True
        elif name in ("-C", "--project", "--now"):
            if not equals:
                value = next(rest, "")
            if not value or value.startswith("-") or (equals and name == "-C"):
                return None  # click says what is wrong
            if name == "--now":
                now = value
            else:
                project = value
        else:
            return None
    return Path(project), now, quiet
