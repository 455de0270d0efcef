"""What the report needs from the hub itself: its articles, its teasers, and what was planned when.

"Planned" comes from the build's own plan until plan.lock exists (helper A1, this round): switching
to plan.lock is the one line marked in ``hub_plan``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cmhub.report.assemble import Planned
from cmhub.report.join import ArticleRef, TeaserRef, teaser_refs

PLAN_SOURCE = "site.yml + content/ (plan)"
"""How the report names the source of planned posts while it recomputes the plan."""


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
    from cmhub.build import syndicate_project
    from cmhub.ledger import load_ledger

    site, social = syndicate_project(root, now=now, write=False)
    config = site.config
    shown = [a for a in site.articles if not a.draft]
    articles = tuple(ArticleRef(a.source, a.title, a.slug, config.url + a.path) for a in shown)
    base = config.base_path.rstrip("/")
    aliases = [(f"{base}/{alias.lstrip('/')}", a.source) for a in shown for alias in a.aliases]
    ledger, _ = load_ledger(config.root)
    aliases += [(config.base_path + old, source) for source, entry in sorted(ledger.entries.items())
                for old in entry.old_paths]
    planned = _from_build_plan(social.plan.teasers)  # plan.lock: _from_plan_lock(load_plan_ledger(root))
    return HubPlan(articles, tuple(aliases), tuple(teaser_refs(social.teasers)), planned, PLAN_SOURCE)


def _from_build_plan(teasers: Sequence[object]) -> tuple[Planned, ...]:
    """Return the planned teasers of the build's plan (objects with network, at and source)."""
    return tuple(Planned(t.network, t.at, t.source) for t in teasers)  # type: ignore[attr-defined]
