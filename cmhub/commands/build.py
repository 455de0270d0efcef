"""`cmhub build`: load the project, build it, write its output folders and its ledgers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cmhub.commands.outputs import Outputs, forget_pending
from cmhub.content.model import Preview
from cmhub.content.permalinks import live_changes
from cmhub.core.errors import CmhubError, Problem, error
from cmhub.incremental.cache import open_render_cache
from cmhub.incremental.freshness import (
    CACHE_FOLDER,
    BuildStamp,
    aimed,
    build_options,
    fingerprint_project,
    save_stamp,
    unchanged_build,
)
from cmhub.ledgers.permalinks_lock import LEDGER_NAME, ledger_text
from cmhub.ledgers.permalinks_reading import load_ledger
from cmhub.ledgers.plan_lock import PLAN_LOCK_NAME, PlanLedger, format_plan, load_plan_ledger
from cmhub.output.exchange import build_lock
from cmhub.output.writer import check_output_folder
from cmhub.pipeline import Previous, _nothing_kept, build, load_project
from cmhub.settings.config import SiteConfig
from cmhub.site.linkcheck import broken_links
from cmhub.social.words import team_strings


@dataclass(frozen=True)
class Outcome:
    """What ``cmhub build`` reports: its summary line, its warnings, and whether it had work to do."""

    summary: str
    warnings: tuple[Problem, ...]
    skipped: bool = False


def build_project(root: Path, *, now: str | None = None, preview: Preview = Preview(),
                  strict: bool = False, locked: bool = False, output: Path | None = None,
                  progress: Callable[[str], None] = lambda stage: None, use_cache: bool = True,
                  engine: str | None = None) -> Outcome:
    """Load the project at ``root``, build it, write its output folders and its ledger.

    With ``strict``, warnings fail the build; with ``locked``, a ledger that would change does.
    A preview (drafts or scheduled articles shown) writes only the preview folder (``preview/``
    unless ``output`` says otherwise). When nothing the output depends on has changed since the
    last build (inputs, options, and no publication, expiry or teaser between the two clocks),
    the output is left as it is. Two builds of one project never run at once.
    Raises CmhubError; on any error the previous output folders are left untouched.
    """
    config, moment = load_project(root, now)
    previewing = preview.drafts or preview.future
    config = aimed(config, previewing, output, engine)
    check_output_folder(config.output, config.root, (config.content, config.theme))
    if not previewing:
        check_output_folder(config.social_output, config.root, (config.content, config.theme, config.output))
    with build_lock(config.root / CACHE_FOLDER):
        forget_pending(config.root)
        return _build_and_write(config, moment, preview, strict, locked, progress, use_cache,
                                "--output" if output is not None else "site.yml")


def _build_and_write(config: SiteConfig, moment: dt.datetime, preview: Preview, strict: bool, locked: bool,
                     progress: Callable[[str], None], use_cache: bool, who: str) -> Outcome:
    previewing = preview.drafts or preview.future
    options = build_options(config, preview, strict, locked)
    stamp = unchanged_build(config, moment, options, previewing) if use_cache else None
    if stamp is not None:
        progress("nothing changed since the last build")
        return Outcome(stamp.summary, tuple(Problem(*w) for w in stamp.warnings), skipped=True)
    cache = open_render_cache(config.root, use_cache)
    ledger, ledger_text_before = load_ledger(config.root)
    plan_ledger = load_plan_ledger(config.root)
    teaser_cache = open_render_cache(config.root, use_cache, "teasers")
    outputs = Outputs(config, previewing, use_cache, who)
    outputs.check()
    previous = Previous()
    if use_cache:  # a strict build checks every page's links: it keeps nothing, but its keys are remembered
        previous = Previous(_nothing_kept, _nothing_kept) if strict else \
            Previous(outputs.kept("pages"), outputs.kept("social"))
    result = build(config, moment, preview, ledger, progress, cache, teaser_cache, previous, plan_ledger)
    cache.save()
    teaser_cache.save()
    files = result.files
    if strict:
        files = tuple(files)  # the link check reads every page before anything is written
        problems = [*result.warnings, *broken_links(files, config.base_path)]
        if problems:
            raise CmhubError([*problems, error("--strict", None, "warnings and broken links are errors in "
                                               "strict mode")])
    new_ledger = ledger_text(result.ledger, ledger, ledger_text_before)
    if locked:
        changed = live_changes(ledger, result.ledger, result.site.moved, moment)
        if changed or not ledger_text_before:
            what = f"the URL of {', '.join(changed)} changed" if changed else "there is none yet"
            raise CmhubError([error(LEDGER_NAME, None, f"would change (--locked): {what}; run 'cmhub build' "
                                    "locally and commit permalinks.lock")])
    project_files = []  # written beside their names now, renamed in place once the folders are
    if not previewing:  # a preview hands nothing out: the ledgers stay as they are
        if new_ledger != ledger_text_before:
            project_files.append((config.root / LEDGER_NAME, new_ledger))
        plan = plan_text(plan_ledger, result.plan_ledger)
        if plan is not None:
            project_files.append((config.root / PLAN_LOCK_NAME, plan))
    outputs.write(files, result.social, project_files)
    if use_cache:
        fingerprint = fingerprint_project(config, options)  # the ledger may have changed
        when = moment.timestamp()
        save_stamp(config.root, BuildStamp(
            fingerprint, at=when,
            after=max((i.timestamp() for i in result.instants if i.timestamp() <= when), default=float("-inf")),
            before=min((i.timestamp() for i in result.instants if i.timestamp() > when), default=float("inf")),
            summary=result.summary() + team_strings(config.language)["nothing_changed"],  # shown when skipped
            warnings=tuple((w.path, w.line, w.message, w.severity) for w in result.warnings)))
    return Outcome(result.summary(), result.warnings)


def plan_text(old: PlanLedger, new: PlanLedger) -> str | None:
    """Return the new text of plan.lock when the build changed it, else None (a hub with nothing to
    plan gets none)."""
    if new.entries and (new.entries != old.entries or not old.exists):
        return format_plan(new)
    return None
