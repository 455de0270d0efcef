"""Settings that break the plan's promises: a CI schedule that is not site.yml's ``builds.cron``,
a weekly goal (``cadence``) that a network's slots and spacing cannot meet."""

from __future__ import annotations

import yaml

from cmhub.core.errors import Problem, warning
from cmhub.settings.builds import spoken
from cmhub.settings.config import SiteConfig
from cmhub.settings.yamlsource import Locator
from cmhub.social.slots import weekly_capacity

WORKFLOW = ".github/workflows/cmhub.yml"
"""The workflow ``cmhub init`` writes; its cron must be site.yml's ``builds.cron``."""


def cadence_problems(config: SiteConfig) -> list[Problem]:
    """Return warnings for settings that break the promises of the plan: a workflow cron that is not
    site.yml's, and a posting goal that the slots and spacing of a network cannot meet."""
    return [*workflow_problems(config), *capacity_problems(config)]


def workflow_problems(config: SiteConfig) -> list[Problem]:
    """Warn when the CI workflow's schedule differs from site.yml's ``builds.cron`` (or is missing)."""
    path = config.root / WORKFLOW
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return [warning(WORKFLOW, None, f"cannot be read to compare its schedule with builds.cron: {exc}")]
    triggers = (data.get("on", data.get(True)) if isinstance(data, dict) else None) or {}
    schedule = triggers.get("schedule") if isinstance(triggers, dict) else None
    crons = [" ".join(str(item.get("cron", "")).split()) for item in schedule or () if isinstance(item, dict)]
    wanted = config.builds.cron.text
    if not crons:
        return [warning(WORKFLOW, None, f"has no schedule: scheduled articles appear only when someone pushes; "
                                        f'add `schedule: [{{cron: "{wanted}"}}]` (site.yml builds.cron)')]
    if wanted in crons:
        return []
    line = next((n for n, row in enumerate(text.splitlines(), start=1) if "cron:" in row), None)
    return [warning(WORKFLOW, line, (
        f"cron '{crons[0]}' is not site.yml's builds.cron '{wanted}': teasers are planned after the builds "
        "site.yml announces; make the two say the same"))]


def capacity_problems(config: SiteConfig) -> list[Problem]:
    """Warn for each network whose weekly goal (cadence) its slots and spacing cannot meet."""
    problems = []
    locator: Locator | None = None
    for network in config.networks.values():
        capacity = weekly_capacity(network)
        if network.enabled and network.cadence > capacity:
            if locator is None:
                locator = _site_locator(config)
            why = (f"{len(network.slots)} weekly slot{'s' if len(network.slots) != 1 else ''}"
                   if network.slots else "no slots")
            if network.spacing:
                why += f", {spoken(network.spacing)} apart at least,"
            problems.append(warning("site.yml", locator.line("networks", network.name, "cadence"), (
                f"networks.{network.name}.cadence asks for {network.cadence} posts a week; {why} allow "
                f"{capacity} at most: add slots, shorten spacing or lower the goal")))
    return problems


def _site_locator(config: SiteConfig) -> Locator:
    try:
        text = (config.root / "site.yml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    return Locator("site.yml", text)
