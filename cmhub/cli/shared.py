"""What every verb of the command line shares: the hub and --now options, progress, problems printed, exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import click

from cmhub.core.errors import CmhubError, Problem

T = TypeVar("T")


def find_hub(ctx: click.Context, param: click.Parameter, start: Path) -> Path:
    """Return the hub folder for -C: that folder, else the nearest above it holding site.yml (said on stderr)."""
    from cmhub.core.locations import find_project

    root = find_project(start)
    if root != start and root != start.resolve():
        click.echo(f"cmhub: using the hub in {root} (site.yml found above {start})", err=True)
    return root


project_option = click.option(
    "-C", "--project", "project", type=click.Path(file_okay=False, path_type=Path), default=".",
    show_default=True, callback=find_hub,
    help="The hub folder (the one holding site.yml, or any folder inside it).")


now_option = click.option(
    "--now", metavar="INSTANT", help="Build as if it were this instant (ISO 8601); "
    "default: SOURCE_DATE_EPOCH, else the clock.")


def progress_printer(quiet: bool) -> Callable[[str], None]:
    """Return a printer of build stages: on in a terminal, off with -q or in CI logs."""
    import time

    if quiet or os.environ.get("CI") or not sys.stderr.isatty():
        return lambda stage: None
    started = time.perf_counter()

    def show(stage: str) -> None:
        click.echo(f"[{time.perf_counter() - started:5.1f} s] {stage}…", err=True)

    return show


def report(problems: Iterable[Problem]) -> None:
    """Print problems to stderr, sorted by file and line."""
    for problem in sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message)):
        click.echo(str(problem), err=True)


def run(action: Callable[[], T], json_output: bool = False) -> T:
    """Run a core action; a user mistake becomes messages and exit code 1, never a traceback."""
    try:
        return action()
    except CmhubError as exc:
        if json_output:
            click.echo(problems_json(exc.problems))
            sys.exit(1)
        report(exc.problems)
        errors = sum(1 for p in set(exc.problems) if p.severity == "error")
        click.echo(f"cmhub: {errors} error{'s' if errors != 1 else ''}; nothing was written", err=True)
        sys.exit(1)


def problems_json(problems: Iterable[Problem]) -> str:
    """Return problems as the JSON document of ``cmhub check --format json``."""
    import json

    items = [{"file": p.path, "line": p.line, "severity": p.severity, "message": p.message}
             for p in sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))]
    return json.dumps({"errors": sum(1 for i in items if i["severity"] == "error"),
                       "warnings": sum(1 for i in items if i["severity"] == "warning"),
                       "problems": items}, ensure_ascii=False, indent=2)
