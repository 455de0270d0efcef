"""`cmhub syndicate`: teasers and calendar written into social/ and plan.lock, no HTML rendered."""

from __future__ import annotations

from pathlib import Path

from cmhub.commands.build import plan_text
from cmhub.commands.reusing import reusing
from cmhub.content.model import Site
from cmhub.core.errors import raise_errors
from cmhub.core.locations import CACHE_FOLDER
from cmhub.ledgers.plan_lock import PLAN_LOCK_NAME, PlanLedger, TeaserKey
from cmhub.output.atomic import atomic_write
from cmhub.output.exchange import build_lock
from cmhub.output.previous import PreviousOutput
from cmhub.output.writer import Target, check_output_folder, stage_folder
from cmhub.pipeline.project import compiled_templates, load_ledgers, open_project
from cmhub.pipeline.story import load_site
from cmhub.settings.request import BuildRequest
from cmhub.social.step import Social, syndicate
from cmhub.theming.loader import load_theme


def syndicate_project(root: Path, request: BuildRequest = BuildRequest(), write: bool = True,
                      replan: frozenset[TeaserKey] = frozenset()) -> tuple[Site, Social]:
    """Open the project, make its teasers and calendar, and write social/ and plan.lock (no HTML is
    rendered); ``replan`` names teasers to move (cmhub replan).

    Raises CmhubError listing every error found.
    """
    project = open_project(root, request)
    config = project.config
    check_output_folder(config.social_output, config.root, (config.content, config.theme, config.output))
    ledgers = load_ledgers(project.root)
    with reusing(project) as reuse:
        theme = load_theme(config.theme, config.root, compiled_templates(reuse.bodies))
        # the articles' digests from what they were made of, as a build has them (not from every field,
        # which decodes every body's HTML), and the files whose status did not change left unread
        site, _, warnings = load_site(project, ledgers.permalinks, reuse.bodies, digests=reuse.digests,
                                      statuses=reuse.statuses)
        social = syndicate(site, theme, reuse.teasers, ledgers.plan, replan, reuse.digests)
    raise_errors([*warnings, *social.problems])
    if write:
        with build_lock(config.root / CACHE_FOLDER):
            cache_folder = config.root / CACHE_FOLDER
            target = Target(config.social_output, cache_folder / "social.manifest.json", cache_folder / "trees",
                            root=config.root)
            old_social = PreviousOutput(config.social_output, target.manifest)
            stage_folder(social.files(site, theme, old_social.holds, old_social), target, old_social).commit()
            write_plan(config.root, ledgers.plan, social.plan.ledger)
    return site, social


def write_plan(root: Path, old: PlanLedger, new: PlanLedger) -> None:
    """Write plan.lock when the build changed it."""
    text = plan_text(old, new)
    if text is not None:
        atomic_write(root / PLAN_LOCK_NAME, text)
