"""What the report needs from the hub itself: its articles, its teasers, and what was planned when.

"Planned" comes from plan.lock, the committed record of every teaser handed out (its history
reaches further back than a build's plan, which covers the last 30 days); a hub without plan.lock
yet falls back on the build's own plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cmhub.ledgers.plan_lock import PlanLedger
from cmhub.report.assemble import Planned
from cmhub.report.join import ArticleRef, TeaserRef, teaser_refs

PLAN_SOURCE = "site.yml + content/ (plan)"
"""How the report names the source of planned posts when it recomputes the plan (no plan.lock yet)."""


@dataclass(frozen=True)
class HubPlan:
    """The hub's articles, the other paths that lead to them, its teasers and the planned posts."""

    articles: tuple[ArticleRef, ...]
    aliases: tuple[tuple[str, str], ...]
    """(site path, article source) for aliases and former URLs."""
    teasers: tuple[TeaserRef, ...]
    planned: tuple[Planned, ...]
    source: str


def hub_plan(root: Path, now: str | None) -> HubPlan:
    """Return the hub's articles and teasers, and its planned teasers, at the clock ``now``.

    Raises CmhubError when the hub does not build (the report joins through what the build makes).
    """
    from cmhub.commands.syndicate import syndicate_project
    from cmhub.ledgers.permalinks_reading import load_ledger
    from cmhub.ledgers.plan_lock import PLAN_LOCK_NAME, load_plan_ledger
    from cmhub.settings.request import BuildRequest

    site, social = syndicate_project(root, BuildRequest(now=now), write=False)
    config = site.config
    shown = [a for a in site.articles if not a.draft]
    articles = tuple(ArticleRef(a.source, a.title, a.slug, config.url + a.path) for a in shown)
    base = config.base_path.rstrip("/")
    aliases = [(f"{base}/{alias.lstrip('/')}", a.source) for a in shown for alias in a.aliases]
    ledger, _ = load_ledger(config.root)
    aliases += [(config.base_path + old, source) for source, entry in sorted(ledger.entries.items())
                for old in entry.old_paths]
    plan_ledger = load_plan_ledger(config.root)
    if plan_ledger.exists:
        planned, source = _from_plan_lock(plan_ledger), PLAN_LOCK_NAME
    else:
        planned, source = _from_build_plan(social.plan.teasers), PLAN_SOURCE
    return HubPlan(articles, tuple(aliases), tuple(teaser_refs(social.teasers)), planned, source)


def _from_plan_lock(ledger: PlanLedger) -> tuple[Planned, ...]:
    """Return the teasers plan.lock holds as planned (their latest planning, not cancelled or dropped)."""
    entries = sorted(ledger.latest.values(), key=lambda e: (e.at, e.network, e.source, e.variant))
    return tuple(Planned(e.network, e.at, e.source) for e in entries if e.state == "planned")


def _from_build_plan(teasers: Sequence[object]) -> tuple[Planned, ...]:
    """Return the planned teasers of the build's plan (objects with network, at and source)."""
    return tuple(Planned(t.network, t.at, t.source) for t in teasers)  # type: ignore[attr-defined]
