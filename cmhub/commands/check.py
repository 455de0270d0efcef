"""`cmhub check`: every validation of a build, nothing written."""

from __future__ import annotations

from pathlib import Path

from cmhub.commands.leftovers import project_leftovers
from cmhub.content.model import Preview
from cmhub.core.errors import Problem
from cmhub.ledgers.permalinks_reading import load_ledger
from cmhub.ledgers.plan_lock import load_plan_ledger
from cmhub.pipeline import build, load_project, raise_errors
from cmhub.site.linkcheck import broken_links


def check_project(root: Path, *, now: str | None = None) -> tuple[Problem, ...]:
    """Run every validation of a build without writing anything; return warnings and link problems.

    Raises CmhubError when there are errors.
    """
    config, moment = load_project(root, now)
    ledger, _ = load_ledger(config.root)
    result = build(config, moment, Preview(), ledger, plan_ledger=load_plan_ledger(config.root), search=False)
    links = broken_links(tuple(result.files), config.base_path)
    raise_errors(links)
    return (*result.warnings, *project_leftovers(result.site))
