"""When the hub is built (site.yml ``builds:``), and what follows for teasers: none links to a page
that is not online yet.

A scheduled article appears at the first build at or after its date; CI builds on a cron
(GitHub's syntax, in UTC), which ``cmhub init`` writes both here and in the workflow. A teaser goes
out no earlier than that build plus ``margin``, because GitHub may start scheduled runs late
(the start of every hour is its busiest time) and the deployment itself takes a minute or two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from cmhub.core.errors import Problem, warning
from cmhub.settings.checker import Checker
from cmhub.settings.cron import Cron, parse_cron
from cmhub.settings.social import duration
from cmhub.settings.yamlsource import Locator

if TYPE_CHECKING:
    from cmhub.settings.config import SiteConfig

DEFAULT_CRON = "17 * * * *"
"""Hourly, off the busy top of the hour: a build with nothing to do takes a fraction of a second."""
DEFAULT_MARGIN = dt.timedelta(minutes=30)
_KEYS = ("cron", "margin")


@dataclass(frozen=True)
class BuildsConfig:
    """When CI builds the hub, and how long after a build its teasers may link to what it published."""

    cron: Cron = parse_cron(DEFAULT_CRON)
    """The workflow's schedule (UTC); the workflow file must say the same (``cmhub check`` compares)."""
    margin: dt.timedelta = DEFAULT_MARGIN
    """Least time between the build that publishes an article and its teasers."""

    def online_from(self, published: dt.datetime) -> dt.datetime:
        """Return the first scheduled build at or after ``published``: when the page is surely online."""
        return self.cron.next_fire(published)

    def earliest_teaser(self, published: dt.datetime) -> dt.datetime:
        """Return the earliest instant a teaser of an article published at ``published`` may go out."""
        return self.online_from(published) + self.margin


def spoken(value: dt.timedelta) -> str:
    """Return a duration as site.yml writes it: '30m', '20h', '2d' (the largest whole unit)."""
    minutes = int(value.total_seconds() // 60)
    for unit, size in (("d", 1440), ("h", 60)):
        if minutes and minutes % size == 0:
            return f"{minutes // size}{unit}"
    return f"{minutes}m"


def parse_builds(check: Checker, data: Mapping[str, Any]) -> BuildsConfig:
    """Read site.yml's ``builds:`` mapping (cron and margin)."""
    check.unknown(data, _KEYS, ("builds",))
    cron = BuildsConfig.cron
    text = data.get("cron")
    if text is not None:
        try:
            cron = parse_cron(str(text))
        except ValueError as exc:
            check.fail(("builds", "cron"), f"'builds.cron' is not a cron schedule GitHub accepts: {exc}")
    margin = DEFAULT_MARGIN
    if data.get("margin") is not None:
        margin = duration(check, data["margin"], ("builds", "margin"))
    return BuildsConfig(cron=cron, margin=margin)


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
    from cmhub.social.slots import weekly_capacity  # slots reads SiteConfig, which reads this module

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
