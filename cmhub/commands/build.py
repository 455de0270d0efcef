"""`cmhub build`: open the project, build it, write its output folders and its ledgers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from cmhub.commands.outputs import Outputs, forget_pending
from cmhub.commands.reusing import reusing
from cmhub.content.permalinks import live_changes
from cmhub.core.errors import CmhubError, Problem, error
from cmhub.core.locations import CACHE_FOLDER
from cmhub.incremental.freshness import (
    Aim,
    BuildStamp,
    Checked,
    InputStatuses,
    aim_key,
    aim_of,
    fingerprint_of,
    input_statuses,
    save_stamp,
    unchanged_build,
    written_ledgers,
)
from cmhub.incremental.intact import save_outputs
from cmhub.incremental.workers import worker_count
from cmhub.ledgers.permalinks_lock import LEDGER_NAME, ledger_text
from cmhub.ledgers.plan_lock import PLAN_LOCK_NAME, PlanLedger, format_plan
from cmhub.output.exchange import build_lock
from cmhub.output.files import OutputFile
from cmhub.output.writer import check_output_folder
from cmhub.pipeline.project import Ledgers, Project, load_ledgers, open_project
from cmhub.pipeline.story import BuildResult, build
from cmhub.settings.request import BuildRequest
from cmhub.site.linkcheck import broken_links
from cmhub.social.words import team_strings


@dataclass(frozen=True)
class BuildReport:
    """What ``cmhub build`` reports: its summary line, its warnings, and whether it had work to do."""

    summary: str
    warnings: tuple[Problem, ...]
    skipped: bool = False


def build_project(root: Path, request: BuildRequest = BuildRequest(),
                  progress: Callable[[str], None] = lambda stage: None, checked: Checked | None = None) -> BuildReport:
    """Open the project at ``root``, build it, write its output folders and its ledgers.

    With ``request.strict``, warnings fail the build; with ``locked``, a ledger that would change does.
    A preview (drafts or scheduled articles shown) writes only the preview folder (``preview/``
    unless ``output`` says otherwise). When nothing the output depends on has changed since the
    last build (inputs, options, and no publication, expiry or teaser between the two clocks),
    the output is left as it is. Two builds of one project never run at once. ``checked`` is what
    that check found when the caller made it just before (it is not made again).
    Raises CmhubError; on any error the previous output folders are left untouched.
    """
    aim = aim_key(root, request)  # before site.yml is read: a save meanwhile changes it
    project = open_project(root, request)
    worker_count()  # a mistake in CMHUB_JOBS is reported before any work
    check_output_folders(project)
    with build_lock(project.root / CACHE_FOLDER):
        forget_pending(project.root)
        # the inputs as they are before anything is read: the stamp of this build records them
        statuses = checked.statuses if checked is not None and checked.statuses is not None \
            else input_statuses(project.config) if request.use_cache else []
        stamp = unchanged_build(project.config, project.now, request.options(project.config),
                                request.preview.active, statuses) if request.use_cache and checked is None else None
        if stamp is not None:
            progress("nothing changed since the last build")
            return BuildReport(stamp.summary, tuple(Problem(*w) for w in stamp.warnings), skipped=True)
        ledgers = load_ledgers(project.root, cached=request.use_cache)
        outputs = Outputs(project)
        outputs.check()
        with reusing(project, outputs) as reuse:
            result = build(project, ledgers, replace(reuse, stage_social=outputs.stage_social()), progress)
        try:
            files = links_checked(project, result)
            outputs.write(files, result.social, lambda: ledger_files(project, ledgers, result))
        except BaseException as exc:  # the teasers made apart, if they were, are thrown away with the rest
            result.syndication.discard(interrupted=not isinstance(exc, Exception))
            raise
        remember(project, result, outputs, statuses, aim_of(aim, root, project.config, request))
    return BuildReport(result.summary(), result.warnings)


def check_output_folders(project: Project) -> None:
    """Refuse output folders that are not cmhub's own or that hold the project's inputs (CmhubError)."""
    config = project.config
    check_output_folder(config.output, config.root, (config.content, config.theme))
    if not project.request.preview.active:
        check_output_folder(config.social_output, config.root, (config.content, config.theme, config.output))


def links_checked(project: Project, result: BuildResult) -> Iterable[OutputFile]:
    """Return the site's files; with ``--strict``, only after every page's links were checked (and
    raise CmhubError for any warning or broken link)."""
    if not project.request.strict:
        return result.files
    files = tuple(result.files)  # the link check reads every page before anything is written
    problems = [*result.warnings, *broken_links(files, project.config.base_path)]
    if problems:
        raise CmhubError([*problems, error("--strict", None, "warnings and broken links are errors in strict mode")])
    return files


def ledger_files(project: Project, ledgers: Ledgers, result: BuildResult) -> list[tuple[Path, str]]:
    """Return the ledgers' new texts, to be put in place with the output folders (none in a preview).

    With ``--locked``, raise CmhubError when a live URL would change, or when there is no ledger yet.
    """
    new_ledger = ledger_text(result.ledger, ledgers.permalinks, ledgers.permalinks_text)
    if project.request.locked:
        changed = live_changes(ledgers.permalinks, result.ledger, result.site.moved, project.now)
        if changed or not ledgers.permalinks_text:
            what = f"the URL of {', '.join(changed)} changed" if changed else "there is none yet"
            raise CmhubError([error(LEDGER_NAME, None, f"would change (--locked): {what}; run 'cmhub build' "
                                    "locally and commit permalinks.lock")])
    found = []  # written beside their names now, renamed in place once the folders are
    if not project.request.preview.active:  # a preview hands nothing out: the ledgers stay as they are
        if new_ledger != ledgers.permalinks_text:
            found.append((project.root / LEDGER_NAME, new_ledger))
        plan = plan_text(ledgers.plan, result.plan_ledger)
        if plan is not None:
            found.append((project.root / PLAN_LOCK_NAME, plan))
    return found


def remember(project: Project, result: BuildResult, outputs: Outputs, statuses: InputStatuses,
             aim: Aim | None = None) -> None:
    """Keep the stamp, and the record of what ``outputs`` wrote, that let the next build see that
    nothing changed (not with ``--no-cache``): the inputs as ``statuses`` found them before the build,
    but for the ledgers it wrote; ``aim``, what that check needs of site.yml and the options."""
    if not project.request.use_cache:
        return
    config = project.config
    fingerprint = fingerprint_of(written_ledgers(statuses, config), project.request.options(config))
    when = project.now.timestamp()
    stamp = BuildStamp(
        fingerprint, at=when,
        after=max((i.timestamp() for i in result.instants if i.timestamp() <= when), default=float("-inf")),
        before=min((i.timestamp() for i in result.instants if i.timestamp() > when), default=float("inf")),
        summary=result.summary() + team_strings(config.language)["nothing_changed"],  # shown when skipped
        warnings=tuple((w.path, w.line, w.message, w.severity) for w in result.warnings), aim=aim)
    save_stamp(config.root, stamp)
    save_outputs(config.root, stamp.build, sum(len(found) for _, found in statuses), outputs.written)


def plan_text(old: PlanLedger, new: PlanLedger) -> str | None:
    """Return the new text of plan.lock when the build changed it, else None (a hub with nothing to
    plan gets none)."""
    if new.entries and (new.entries != old.entries or not old.exists):
        return format_plan(new)
    return None
