"""The ``goals:`` section of site.yml: measurable targets, read into frozen ``Goal`` values.

A goal is a target for one metric, on one network or on the whole hub, either reached by a date
(``by``) or reached again in every week or month (``per``). The posting cadence each network
already declares (``networks.<n>.cadence``, posts per week) is a goal too: ``all_goals`` adds it.

```yaml
goals:
  - {metric: followers, network: mastodon, target: 200, by: 2026-12-31}
  - {metric: social_visits, target: 500, per: month}
  - {metric: new_followers, network: linkedin, target: 60, by: 2026-12-31, since: 2026-09-01}
  - {metric: followers, network: facebook, target: 900, by: 2026-12-31, since: 2026-09-01, baseline: 640}
```
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cmhub.core.errors import did_you_mean
from cmhub.networks.registry import NETWORK_NAMES
from cmhub.settings.fields import Fields
from cmhub.settings.social import NetworkConfig

METRICS = ("followers", "new_followers", "visits", "social_visits", "posts", "engagement", "impressions",
           "clicks")
"""What a goal can measure (docs/report.md says where each comes from)."""
LEVELS = ("followers",)
"""Metrics that are a level at a date; every other metric is counted over days."""
PERIODS = ("week", "month")
_KEYS = ("metric", "network", "target", "by", "per", "since", "baseline", "label")


@dataclass(frozen=True)
class Goal:
    """One measurable target of the hub."""

    metric: str
    """One of METRICS."""
    target: int
    network: str = ""
    """The network it is about; '' = the whole hub (all networks, or the website for visits)."""
    by: dt.date | None = None
    """Reach ``target`` by the end of this day (hub time zone); None for a ``per`` goal."""
    per: str = ""
    """'week' or 'month': reach ``target`` in every such period; '' for a ``by`` goal."""
    since: dt.date | None = None
    """For a ``by`` goal, the first day counted (metrics counted over days), or the day ``baseline`` was
    the follower count."""
    baseline: int | None = None
    """Followers on ``since``, for networks whose exports give only the followers gained."""
    label: str = ""
    """The goal's own name, shown instead of the generated one."""
    origin: str = ""
    """Where it was declared: 'goals[0]' or 'networks.linkedin.cadence'."""
    line: int | None = None
    """Its line in site.yml."""


def parse_goals(check: Fields, data: Any) -> tuple[Goal, ...]:
    """Read the ``goals:`` list of site.yml, reporting each mistake through ``check`` at its line."""
    if data is None:
        return ()
    if not isinstance(data, list):
        check.fail("'goals' must be a list of goals such as "
                   "{metric: followers, network: mastodon, target: 200, by: 2026-12-31}", "goals")
        return ()
    goals = []
    for index, entry in enumerate(data):
        goal = _goal(check, entry, index)
        if goal is not None:
            goals.append(goal)
    return tuple(goals)


def cadence_goals(networks: Mapping[str, NetworkConfig], line: int | None = None) -> tuple[Goal, ...]:
    """Return the posting cadence of every enabled network as a posts-per-week goal."""
    return tuple(Goal(metric="posts", target=n.cadence, network=n.name, per="week",
                      origin=f"networks.{n.name}.cadence", line=line)
                 for n in networks.values() if n.enabled and n.cadence)


def _goal(check: Fields, entry: Any, index: int) -> Goal | None:
    keys: tuple[Any, ...] = ("goals", index)
    name = f"goals[{index}]"
    if not isinstance(entry, Mapping):
        check.fail(f"'{name}' must be a mapping such as {{metric: followers, network: mastodon, "
                   f"target: 200, by: 2026-12-31}}", *keys)
        return None
    before = len(check.problems)
    for key in entry:
        if key not in _KEYS:
            check.fail(f"unknown key '{name}.{key}'{did_you_mean(str(key), _KEYS)}", *keys, str(key))
    metric = _choice(check, entry, "metric", keys, name, METRICS, required=True)
    network = _choice(check, entry, "network", keys, name, NETWORK_NAMES, required=False)
    target = _count(check, entry, "target", keys, name, minimum=1, required=True) or 0
    baseline = _count(check, entry, "baseline", keys, name, minimum=0, required=False)
    by, since = _date(check, entry, "by", keys, name), _date(check, entry, "since", keys, name)
    per = _choice(check, entry, "per", keys, name, PERIODS, required=False)
    label = entry.get("label", "")
    if not isinstance(label, str):
        check.fail(f"'{name}.label' must be a string, got {label!r}", *keys, "label")
        label = ""
    if ("by" in entry) == ("per" in entry):
        check.fail(f"'{name}' needs exactly one of 'by: DATE' (reach the target by that day) and "
                   f"'per: week' / 'per: month' (reach it in every period)", *keys)
    if metric == "visits" and network:
        check.fail(f"'{name}': 'visits' counts the website's visits from everywhere; "
                   f"for the visits that come from {network}, use 'social_visits'", *keys, "network")
    if per and metric in LEVELS:
        check.fail(f"'{name}': followers is a count to reach by a date ('by'); for the "
                   f"followers gained in every {per}, use 'metric: new_followers'", *keys, "per")
    if per and "since" in entry:
        check.fail(f"'{name}.since' only applies to a goal with 'by'", *keys, "since")
    if "baseline" in entry and (metric != "followers" or "since" not in entry):
        check.fail(f"'{name}.baseline' is the follower count on the day 'since': "
                   f"it needs 'metric: followers' and 'since: DATE'", *keys, "baseline")
    if by and metric and metric not in LEVELS and "since" not in entry:
        check.fail(f"'{name}' counts {metric} up to {by.isoformat()}: add 'since: DATE', the first "
                   f"day counted", *keys)
    if by and since and since > by:
        check.fail(f"'{name}.since' ({since.isoformat()}) is after 'by' ({by.isoformat()})", *keys, "since")
    if len(check.problems) > before:
        return None
    return Goal(metric=metric, target=target, network=network, by=by, per=per, since=since,
                baseline=baseline, label=label.strip(), origin=name, line=check.locator.line(*keys))


def _choice(check: Fields, entry: Mapping[str, Any], key: str, keys: tuple[Any, ...], name: str,
            choices: tuple[str, ...], required: bool) -> str:
    value = entry.get(key)
    if value is None:
        if required:
            check.fail(f"'{name}.{key}' is required; one of {', '.join(choices)}", *keys)
        return ""
    if not isinstance(value, str) or value not in choices:
        hint = did_you_mean(str(value), choices) if isinstance(value, str) else ""
        check.fail(f"'{name}.{key}' must be one of {', '.join(choices)}, got {value!r}{hint}", *keys, key)
        return ""
    return value


def _count(check: Fields, entry: Mapping[str, Any], key: str, keys: tuple[Any, ...], name: str,
           minimum: int, required: bool) -> int | None:
    value = entry.get(key)
    if value is None:
        if required:
            check.fail(f"'{name}.{key}' is required: a whole number", *keys)
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        check.fail(f"'{name}.{key}' must be a whole number >= {minimum}, got {value!r}", *keys, key)
        return 0
    return value


def _date(check: Fields, entry: Mapping[str, Any], key: str, keys: tuple[Any, ...], name: str) -> dt.date | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        check.fail(f"'{name}.{key}' must be a date such as 2026-12-31, got {entry.get(key)!r}", *keys, key)
        return None
    return value
