"""`cmhub syndicate`: teasers and calendar written into social/ and plan.lock, no HTML rendered."""

from __future__ import annotations

from pathlib import Path

from cmhub.commands.build import plan_text
from cmhub.content.model import Preview, Site
from cmhub.incremental.cache import open_render_cache
from cmhub.incremental.freshness import CACHE_FOLDER
from cmhub.ledgers.permalinks_reading import load_ledger
from cmhub.ledgers.plan_lock import PLAN_LOCK_NAME, PlanLedger, TeaserKey, load_plan_ledger
from cmhub.output.atomic import atomic_write
from cmhub.output.exchange import build_lock
from cmhub.output.writer import PreviousOutput, Target, check_output_folder, stage_folder
from cmhub.pipeline import compiled_templates, load_project, load_site, raise_errors
from cmhub.social.step import Social, syndicate
from cmhub.theming.loader import load_theme


def syndicate_project(root: Path, *, now: str | None = None, write: bool = True,
                      replan: frozenset[TeaserKey] = frozenset()) -> tuple[Site, Social]:
    """Load the project, make its teasers and calendar, and write social/ and plan.lock (no HTML is
    rendered); ``replan`` names teasers to move (cmhub replan).

    Raises CmhubError listing every error found.
    """
    config, moment = load_project(root, now)
    check_output_folder(config.social_output, config.root, (config.content, config.theme, config.output))
    cache = open_render_cache(config.root)
    ledger, _ = load_ledger(config.root)
    site, _, warnings = load_site(config, moment, Preview(), ledger, cache)
    cache.save()
    theme = load_theme(config.theme, config.root, compiled_templates(cache))
    teaser_cache = open_render_cache(config.root, name="teasers")
    plan_ledger = load_plan_ledger(config.root)
    social = syndicate(site, theme, teaser_cache, plan_ledger, replan)
    teaser_cache.save()
    raise_errors([*warnings, *social.problems])
    if write:
        with build_lock(config.root / CACHE_FOLDER):
            cache_folder = config.root / CACHE_FOLDER
            target = Target(config.social_output, cache_folder / "social.manifest.json", cache_folder / "trees",
                            root=config.root)
            old_social = PreviousOutput(config.social_output, target.manifest)
            stage_folder(social.files(site, theme, old_social.holds), target, old_social).commit()
            write_plan(config.root, plan_ledger, social.plan.ledger)
    return site, social


def write_plan(root: Path, old: PlanLedger, new: PlanLedger) -> None:
    """Write plan.lock when the build changed it."""
    text = plan_text(old, new)
    if text is not None:
        atomic_write(root / PLAN_LOCK_NAME, text)
