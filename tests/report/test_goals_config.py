"""The goals: section of site.yml: read into frozen goals, every mistake at its line, cadences counted as goals."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from cmhub.core.errors import CmhubError
from cmhub.report.assemble import all_goals
from cmhub.settings.config import parse_config
from cmhub.settings.goals import Goal

HEAD = "title: Hub\nurl: https://hub.example.org/\nnetworks:\n  linkedin: {handle: Hub, cadence: 2}\n  x: '@hub'\n"


def problems(text: str) -> list[str]:
    with pytest.raises(CmhubError) as caught:
        parse_config(HEAD + text, Path("/srv/hub"))
    return [str(p) for p in caught.value.problems]


def test_goals_are_read_with_their_lines_and_cadences_join_them() -> None:
    config = parse_config(HEAD + (
        "goals:\n"
        "  - {metric: followers, network: mastodon, target: 200, by: 2026-12-31}\n"
        "  - metric: social_visits\n"
        "    target: 500\n"
        "    per: month\n"
        "  - {metric: followers, network: facebook, target: 900, by: '2026-12-31', since: 2026-09-01, baseline: 640,"
        " label: Page Facebook}\n"), Path("/srv/hub"))
    assert config.goals == (
        Goal("followers", 200, "mastodon", by=dt.date(2026, 12, 31), origin="goals[0]", line=7),
        Goal("social_visits", 500, per="month", origin="goals[1]", line=8),
        Goal("followers", 900, "facebook", by=dt.date(2026, 12, 31), since=dt.date(2026, 9, 1), baseline=640,
             label="Page Facebook", origin="goals[2]", line=11))
    cadence = all_goals(config)[-1]
    assert (cadence.metric, cadence.network, cadence.target, cadence.per, cadence.origin) == (
        "posts", "linkedin", 2, "week", "networks.linkedin.cadence")
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.goals[0].target = 3  # type: ignore[misc]


def test_every_mistake_is_reported_at_its_line_with_a_hint() -> None:
    found = problems(
        "goals:\n"
        "  - {metrc: followers, network: mastodon, target: 200, by: 2026-12-31}\n"
        "  - {metric: folowers, network: mastodn, target: 0, by: 2026-12-31}\n"
        "  - {metric: visits, network: x, target: 10, per: month}\n"
        "  - {metric: posts, network: x, target: 10, by: 2026-12-31}\n"
        "  - {metric: followers, network: x, target: 10, per: week}\n"
        "  - {metric: posts, target: 10, by: 2026-12-31, per: week, since: 2027-01-01}\n"
        "  - {metric: followers, network: x, target: 10, by: 31/12/2026}\n"
        "  - {metric: new_followers, network: x, target: 10, per: week, baseline: 3}\n"
        "  - just a sentence\n")
    assert found == [
        "site.yml:7: unknown key 'goals[0].metrc' (did you mean 'metric'?)",
        "site.yml:7: 'goals[0].metric' is required; one of followers, new_followers, visits, social_visits, posts, "
        "engagement, impressions, clicks",
        "site.yml:8: 'goals[1].metric' must be one of followers, new_followers, visits, social_visits, posts, "
        "engagement, impressions, clicks, got 'folowers' (did you mean 'followers'?)",
        "site.yml:8: 'goals[1].network' must be one of x, mastodon, bluesky, threads, linkedin, facebook, instagram, "
        "pinterest, got 'mastodn' (did you mean 'mastodon'?)",
        "site.yml:8: 'goals[1].target' must be a whole number >= 1, got 0",
        "site.yml:9: 'goals[2]': 'visits' counts the website's visits from everywhere; for the visits that come "
        "from x, use 'social_visits'",
        "site.yml:10: 'goals[3]' counts posts up to 2026-12-31: add 'since: DATE', the first day counted",
        "site.yml:11: 'goals[4]': followers is a count to reach by a date ('by'); for the followers gained in every "
        "week, use 'metric: new_followers'",
        "site.yml:12: 'goals[5]' needs exactly one of 'by: DATE' (reach the target by that day) and 'per: week' / "
        "'per: month' (reach it in every period)",
        "site.yml:12: 'goals[5].since' only applies to a goal with 'by'",
        "site.yml:12: 'goals[5].since' (2027-01-01) is after 'by' (2026-12-31)",
        "site.yml:13: 'goals[6].by' must be a date such as 2026-12-31, got '31/12/2026'",
        "site.yml:14: 'goals[7].baseline' is the follower count on the day 'since': it needs 'metric: followers' "
        "and 'since: DATE'",
        "site.yml:15: 'goals[8]' must be a mapping such as {metric: followers, network: mastodon, target: 200, "
        "by: 2026-12-31}",
    ]


def test_goals_must_be_a_list_and_the_top_key_has_a_hint() -> None:
    assert problems("goals: {metric: posts}\n") == [
        "site.yml:6: 'goals' must be a list of goals such as {metric: followers, network: mastodon, target: 200, "
        "by: 2026-12-31}"]
    assert problems("goal: []\n") == ["site.yml:6: unknown key 'goal' (did you mean 'goals'?)"]
