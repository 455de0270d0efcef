"""Periods, weeks at month boundaries, and goal paces at the edges: deadlines, running weeks, time zones."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.report.detect import read_export
from cmhub.report.facts import FactBase
from cmhub.report.model import Fact, Period
from cmhub.report.period import default_period, parse_period, weeks_of
from cmhub.report.progress import Measure, measure_goal
from cmhub.settings.goals import Goal
from tests.conftest import SITES
from tests.report import exports as ex

D = dt.date
PARIS = ZoneInfo("Europe/Paris")
NOVEMBER = parse_period("2026-11")


def post(day: dt.date, key: str, network: str = "mastodon") -> Fact:
    return Fact("cmhub", "posts", day, day, 1, "posts.lock", by="post", key=key, network=network)


def followers(day: dt.date, count: int, network: str = "mastodon") -> Fact:
    moment = dt.datetime.combine(day, dt.time(12), PARIS)
    return Fact("cmhub", "followers", day, day, count, "interactions.jsonl", by="account", key="@v", network=network,
                posted=moment)


@pytest.mark.parametrize(("period", "weeks"), [
    ("2026-11", ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]),
    ("2026-12", ["2026-W49", "2026-W50", "2026-W51", "2026-W52", "2026-W53"]),  # Thu 31 Dec: W53 is December's
    ("2027-01", ["2027-W01", "2027-W02", "2027-W03", "2027-W04"]),
    ("2026-11-01..2026-11-01", ["2026-W44"]),  # a Sunday: no Thursday in the period, the week that holds it
])
def test_weeks_belong_to_the_period_of_their_thursday(period: str, weeks: list[str]) -> None:
    assert [w.label for w in weeks_of(parse_period(period))] == weeks


def test_the_default_period_is_the_last_complete_month() -> None:
    assert default_period(D(2026, 12, 1)) == Period("2026-11", D(2026, 11, 1), D(2026, 11, 30))
    assert default_period(D(2027, 1, 31)) == Period("2026-12", D(2026, 12, 1), D(2026, 12, 31))


def test_a_deadline_goal_reached_missed_or_needing_a_pace() -> None:
    base = FactBase([followers(D(2026, 10, 31), 120), followers(D(2026, 11, 30), 143)])
    measure = Measure(base, ["mastodon"])
    goal = Goal("followers", 200, "mastodon", by=D(2026, 12, 31))
    status = measure_goal(goal, measure, NOVEMBER, D(2026, 11, 30))
    assert (status.value.amount, status.needed_per_month, status.state) == (143, 56, "behind")
    assert status.pace_per_month == pytest.approx(23 / (30 / 30.4375))
    on_the_day = measure_goal(Goal("followers", 200, "mastodon", by=D(2026, 11, 30)), measure, NOVEMBER,
                              D(2026, 11, 30))
    assert (on_the_day.state, on_the_day.needed_per_month) == ("missed", None)
    reached = measure_goal(Goal("followers", 140, "mastodon", by=D(2026, 12, 31)), measure, NOVEMBER,
                           D(2026, 11, 30))
    assert reached.state == "reached" and reached.on_track
    # a deadline inside the period is measured on its own day
    early = measure_goal(Goal("followers", 120, "mastodon", by=D(2026, 11, 15)), measure, NOVEMBER, D(2026, 11, 30))
    assert (early.value.amount, early.state) == (120, "reached")


def test_a_report_of_the_running_month_measures_up_to_today() -> None:
    base = FactBase([followers(D(2026, 10, 31), 120), followers(D(2026, 11, 15), 140)])
    status = measure_goal(Goal("followers", 200, "mastodon", by=D(2026, 12, 31)), Measure(base, ["mastodon"]),
                          NOVEMBER, D(2026, 11, 15))
    # 60 to go over the 46 days from 16 November to 31 December; the 15 days so far gained 20
    assert status.needed_per_month == 40  # 60 / (46 / 30.4375) = 39.7
    assert status.pace_per_month == pytest.approx(20 / (15 / 30.4375))
    assert status.state == "on_track"


def test_follower_counts_are_dated_in_the_hubs_time_zone() -> None:
    data = ex.jsonl(['{"cmhub":"interactions","version":1}',
                     '{"kind":"account","network":"mastodon","account":"@v","fetched":"2026-11-30T22:30:00Z",'
                     '"followers":143}',
                     '{"kind":"account","network":"mastodon","account":"@v","fetched":"2026-11-30T23:30:00Z",'
                     '"followers":150}'])
    base = FactBase(read_export("interactions.jsonl", data, PARIS).facts)
    assert base.followers_at(D(2026, 11, 30), "mastodon").amount == 143  # 23:30 in Paris
    assert base.followers_at(D(2026, 12, 1), "mastodon").amount == 150  # 00:30 on 1 December in Paris


def test_a_baseline_plus_the_followers_gained_since() -> None:
    gained = [Fact("meta", "new_followers", D(2026, 9, 1) + dt.timedelta(n), D(2026, 9, 1) + dt.timedelta(n), 3,
                   "Follows.csv", network="facebook") for n in range(91)]  # 1 Sep .. 30 Nov, 3 a day
    goal = Goal("followers", 1000, "facebook", by=D(2026, 12, 31), since=D(2026, 9, 1), baseline=640)
    status = measure_goal(goal, Measure(FactBase(gained), ["facebook"]), NOVEMBER, D(2026, 11, 30))
    assert status.value.amount == 640 + 91 * 3
    assert status.value.sources == ("Follows.csv", "site.yml")
    assert status.pace_per_month == pytest.approx(30 * 3 / (30 / 30.4375))
    assert status.needed_per_month == 86  # (1000 - 913) / (31 / 30.4375) = 85.4, rounded up


def test_a_weekly_goal_in_a_running_week_is_judged_on_its_share_so_far() -> None:
    # reported on Wednesday 25 November: week 48 (23-29 November) has run 3 of its 7 days
    goal = Goal("posts", 2, "mastodon", per="week")
    done = [post(D(2026, 11, 3), "a"), post(D(2026, 11, 5), "b"), post(D(2026, 11, 9), "c"), post(D(2026, 11, 12), "d"),
            post(D(2026, 11, 16), "e"), post(D(2026, 11, 19), "f")]
    on_track = measure_goal(goal, Measure(FactBase([*done, post(D(2026, 11, 23), "g")]), ["mastodon"]), NOVEMBER,
                            D(2026, 11, 25))
    assert [(s.period.label, s.value.amount, s.state) for s in on_track.steps] == [
        ("2026-W45", 2, "met"), ("2026-W46", 2, "met"), ("2026-W47", 2, "met"), ("2026-W48", 1, "running")]
    assert on_track.on_track
    behind = measure_goal(goal, Measure(FactBase(done), ["mastodon"]), NOVEMBER, D(2026, 11, 25))
    assert behind.steps[-1].state == "behind" and not behind.on_track


def test_a_post_at_midnight_utc_on_sunday_belongs_to_mondays_week_in_paris() -> None:
    data = ex.jsonl(['{"cmhub":"posts.lock","version":1}',
                     '{"source":"content/a.md","network":"mastodon","variant":"launch","post_id":"1","url":"u",'
                     '"posted":"2026-11-29T23:30:00Z"}',
                     '{"source":"content/b.md","network":"mastodon","variant":"launch","post_id":"0","url":"v",'
                     '"posted":"2026-11-02T08:00:00Z"}'])
    base = FactBase(read_export("posts.lock", data, PARIS).facts)
    assert base.network_total(D(2026, 11, 23), D(2026, 11, 29), "posts", "mastodon").amount == 0  # week 48
    assert base.network_total(D(2026, 11, 30), D(2026, 12, 6), "posts", "mastodon").amount == 1  # week 49


def test_goatcounter_gives_visits_per_article_and_network_in_the_hubs_days(tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    shutil.copytree(SITES / "report", hub)
    (hub / "analytics").mkdir()
    tagged = "?utm_source={0}&utm_medium=social&utm_campaign={1}"
    rows = [
        {"Path": "/reunion-publique/" + tagged.format("mastodon", "reunion-publique"), "Session": "a",
         "Date": "2026-10-31T23:30:00Z"},  # 1 November in Paris
        {"Path": "/reunion-publique/" + tagged.format("mastodon", "reunion-publique"), "Session": "a",
         "Date": "2026-10-31T23:31:00Z"},  # the same page in the same session: one visit
        {"Path": "/reunion-publique/", "Session": "b", "Referrer": "linkedin", "Referrer scheme": "c",
         "Date": "2026-11-04T12:00:00Z"},
        {"Path": "/jardin-partage/" + tagged.format("mastodon", "jardin-partage"), "Session": "c",
         "Date": "2026-11-10T09:00:00Z"},
        {"Path": "/jardin-partage/", "Session": "d", "Referrer": "https://www.qwant.com/", "Referrer scheme": "h",
         "Date": "2026-11-11T09:00:00Z"},
        {"Path": "/", "Session": "e", "Date": "2026-11-30T23:10:00Z"},  # 1 December in Paris
        {"Path": "/", "Session": "f", "Bot": "1", "Date": "2026-11-12T09:00:00Z"},
    ]
    (hub / "analytics" / "goatcounter-export.csv").write_bytes(ex.goatcounter(rows))
    result = CliRunner().invoke(main, ["report", "-C", str(hub), "--now", "2026-12-02T10:00:00Z"])
    assert result.exit_code == 0, result.output
    import json

    data = json.loads((hub / "social" / "reports" / "2026-11.json").read_text(encoding="utf-8"))
    assert data["visits"]["analytics"] == "goatcounter"
    assert (data["visits"]["total"]["value"], data["visits"]["social"]["value"]) == (4, 3)
    articles = {a["source"]: a for a in data["articles"]}
    reunion = articles["content/reunion-publique.md"]
    assert (reunion["visits"]["value"], reunion["social_visits"]["value"]) == (2, 2)
    assert {n: v["value"] for n, v in reunion["social_visits_by_network"].items()} == {
        "x": 0, "mastodon": 1, "bluesky": 0, "linkedin": 1, "facebook": 0}
    jardin = articles["content/jardin-partage.md"]
    assert (jardin["visits"]["value"], jardin["social_visits"]["value"]) == (2, 1)
    assert {n["network"]: n["social_visits"]["value"] for n in data["networks"]}["mastodon"] == 2


def test_overlapping_ranges_keep_the_longest_then_what_does_not_overlap() -> None:
    def campaign(first: dt.date, last: dt.date, value: int, file: str) -> Fact:
        return Fact("plausible", "visits", first, last, value, file, by="campaign", key="reunion", campaign="reunion")

    facts = [campaign(D(2026, 11, 1), D(2026, 11, 15), 10, "a.zip"),
             campaign(D(2026, 11, 10), D(2026, 11, 30), 30, "b.zip"),
             campaign(D(2026, 11, 1), D(2026, 11, 5), 4, "c.zip"),
             campaign(D(2026, 10, 20), D(2026, 11, 5), 9, "d.zip")]
    kept, left_out = FactBase(facts).span(D(2026, 11, 1), D(2026, 11, 30))
    assert sorted((f.file, f.value) for f in kept) == [("b.zip", 30), ("c.zip", 4)]
    assert [(o.files, o.wider) for o in left_out] == [(("d.zip",), True), (("a.zip",), False)]


def test_two_web_analytics_count_from_the_one_covering_more_days() -> None:
    plausible = [Fact("plausible", "visits", D(2026, 11, d), D(2026, 11, d), 5, "p.zip") for d in range(1, 11)]
    goatcounter = [Fact("goatcounter", "visits", D(2026, 11, d), D(2026, 11, d), 1, "g.csv", by="hit", key=f"s{d}")
                   for d in range(1, 21)]
    base = FactBase([*plausible, *goatcounter])
    assert base.web_family(D(2026, 11, 1), D(2026, 11, 30)) == "goatcounter"
    assert base.web_family(D(2026, 11, 1), D(2026, 11, 10)) == "goatcounter"  # a tie: the first by name
    assert FactBase(plausible).web_family(D(2026, 11, 1), D(2026, 11, 30)) == "plausible"
