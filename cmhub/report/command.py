"""``cmhub report`` as a story: the clock and period, the files, the hub, the joins, the report, the writing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cmhub.core.errors import CmhubError, Problem, error
from cmhub.report.assemble import assemble
from cmhub.report.data import render_csv, render_json
from cmhub.report.detect import read_export
from cmhub.report.facts import FactBase
from cmhub.report.html import render_html
from cmhub.report.hub import hub_plan
from cmhub.report.join import HubIndex
from cmhub.report.ledgers import INTERACTIONS_NAME, POSTS_NAME
from cmhub.report.model import Fact, Note, Period, ReadFile
from cmhub.report.period import default_period, parse_period
from cmhub.report.words import Words
from cmhub.social.reports import REPORTS

INBOX = "analytics"
"""The hub's folder where export files are dropped (read when no file is named)."""
_MAX_FILE = 500_000_000


@dataclass(frozen=True)
class ReportOutcome:
    """What ``cmhub report`` made: the period, the files written, and the goal lines to print."""

    period: Period
    written: tuple[str, ...]
    lines: tuple[str, ...]


def report_project(root: Path, files: Sequence[Path] = (), *, period: str | None = None,
                   now: str | None = None) -> ReportOutcome:
    """Read export files (default: the hub's analytics/ folder, plus posts.lock and interactions.jsonl)
    and write the report of ``period`` into social/reports/ as HTML, CSV and JSON.

    Raises CmhubError (nothing written) for an unknown or damaged file, a bad period, or a hub that
    does not build.
    """
    from cmhub.output.writer import check_output_folder
    from cmhub.pipeline.project import open_project
    from cmhub.settings.request import BuildRequest

    project = open_project(root, BuildRequest(now=now))
    config, moment = project.config, project.now
    today = moment.astimezone(config.tz).date()
    chosen = _period(period, today)
    check_output_folder(config.social_output, config.root, (config.content, config.theme, config.output))
    reads = read_files(config.root, files, config.tz)
    plan = hub_plan(root, now)
    index = HubIndex(config, plan.articles, plan.teasers, [p for r in reads for p in r.posts])
    for path, source in plan.aliases:
        index.alias(path, source)
    facts, notes = join_facts(index, reads)
    report = assemble(config, chosen, min(chosen.end, today), FactBase(facts), reads,
                      {a.source: a for a in plan.articles}, plan.planned, plan.source, notes)
    outputs = {f"{REPORTS}/{chosen.label}.html": render_html(report),
               f"{REPORTS}/{chosen.label}.csv": render_csv(report),
               f"{REPORTS}/{chosen.label}.json": render_json(report)}
    written = write_reports(config.social_output, outputs)
    words = Words(config.language)
    return ReportOutcome(chosen, tuple(f"{_shown(config.social_output, config.root)}/{p}" for p in written),
                         tuple(words.goal_line(g) for g in report.goals))


def _period(text: str | None, today: dt.date) -> Period:
    if text is None:
        return default_period(today)
    try:
        chosen = parse_period(text)
    except ValueError as exc:
        raise CmhubError([error("--period", None, str(exc))]) from exc
    if chosen.start > today:
        raise CmhubError([error("--period", None, f"{chosen.label} has not started on {today.isoformat()} "
                                                  f"(the clock: --now, SOURCE_DATE_EPOCH or today)")])
    return chosen


def read_files(root: Path, files: Sequence[Path], tz) -> list[ReadFile]:
    """Read every export file named (folders: every file in them), else analytics/, plus the ledgers
    cmhub keeps at the hub's root. Raises CmhubError listing every file that cannot be read."""
    named = [Path(f) for f in files] if files else [root / INBOX]
    problems: list[Problem] = []
    paths: list[Path] = []
    for item in named:
        if item.is_dir():
            paths += sorted(p for p in item.rglob("*") if p.is_file() and not _hidden(p.relative_to(item)))
        elif item.is_file():
            paths.append(item)
        elif files:
            problems.append(error(_shown(item, root), None, "not found"))
    for ledger in (POSTS_NAME, INTERACTIONS_NAME):
        if (root / ledger).is_file() and (root / ledger).resolve() not in {p.resolve() for p in paths}:
            paths.append(root / ledger)
    if not paths and not problems:
        problems.append(error(_shown(root / INBOX, root), None, "no export files: put them in this folder, "
                              "or name them: cmhub report FILE..."))
    reads = []
    for path in dict.fromkeys(p.resolve() for p in paths):
        name = _shown(path, root)
        try:
            if path.stat().st_size > _MAX_FILE:
                raise CmhubError([error(name, None, "is too large for an export file")])
            reads.append(read_export(name, path.read_bytes(), tz))
        except CmhubError as exc:
            problems.extend(exc.problems)
        except OSError as exc:
            problems.append(error(name, None, f"cannot be read: {exc.strerror or exc}"))
    if problems:
        raise CmhubError(problems)
    return sorted(reads, key=lambda r: r.file)


def join_facts(index: HubIndex, reads: Sequence[ReadFile]) -> tuple[list[Fact], list[Note]]:
    """Return every file's facts joined to the hub, and notes on what could not be joined."""
    facts: list[Fact] = []
    notes: list[Note] = []
    for read in reads:
        dropped = unjoined = 0
        for fact in read.facts:
            joined = index.join(fact)
            if joined is None:
                dropped += 1
                continue
            if joined.by == "post" and joined.metric == "posts" and not joined.article:
                unjoined += 1
            facts.append(joined)
        if dropped:
            notes.append(Note.of("no_post", dropped, file=read.file))
        if unjoined:
            notes.append(Note.of("unjoined", unjoined, file=read.file))
    return facts, notes


def write_reports(social: Path, outputs: dict[str, str]) -> list[str]:
    """Write the report files into social/ (created with cmhub's marker if needed); return their paths."""
    from cmhub.output.atomic import atomic_write
    from cmhub.output.writer import MARKER

    if not social.exists():
        social.mkdir(parents=True)
        (social / MARKER).write_text("This folder is written by cmhub.\n", encoding="utf-8")
    (social / REPORTS).mkdir(exist_ok=True)
    for path, text in outputs.items():
        atomic_write(social / path, text)
    return list(outputs)


def _hidden(path: Path) -> bool:
    return any(part.startswith(".") for part in path.parts)


def _shown(path: Path, root: Path) -> str:
    """Return a path as messages and the report name it: relative to the hub when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
