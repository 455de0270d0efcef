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
from typing import Any

from cmhub.settings.cron import Cron, parse_cron
from cmhub.settings.fields import Fields
from cmhub.settings.social import duration

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


def parse_builds(check: Fields, data: Mapping[str, Any]) -> BuildsConfig:
    """Read site.yml's ``builds:`` mapping (cron and margin)."""
    check.unknown(data, _KEYS, ("builds",))
    cron = BuildsConfig.cron
    text = data.get("cron")
    if text is not None:
        try:
            cron = parse_cron(str(text))
        except ValueError as exc:
            check.fail(f"'builds.cron' is not a cron schedule GitHub accepts: {exc}", "builds", "cron")
    margin = DEFAULT_MARGIN
    if data.get("margin") is not None:
        margin = duration(check, data["margin"], ("builds", "margin"))
    return BuildsConfig(cron=cron, margin=margin)
