"""cmhub report as a user meets it: damaged files, periods, the default folder, privacy, builds keeping reports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cmhub.cli.verbs import main
from tests.conftest import SITES, tree_digest
from tests.report import exports as ex

NOW = "2026-12-02T10:00:00Z"
NBSP = "\u00a0"


@pytest.fixture
def hub(tmp_path: Path) -> Path:
    """A copy of the report test hub with one small Plausible export in analytics/."""
    target = tmp_path / "hub"
    shutil.copytree(SITES / "report", target)
    (target / "analytics").mkdir()
    (target / "analytics" / "plausible.zip").write_bytes(ex.plausible_zip({
        "visitors.csv": "date,visitors,pageviews\n2026-11-01,4,5\n2026-11-02,6,7\n",
        "utm_sources.csv": "name,visitors,bounce_rate,visit_duration\nmastodon,3,0,0\n"}))
    return target


def report(hub: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner(env=env).invoke(main, ["report", "-C", str(hub), "--now", NOW, *args])


def test_a_damaged_file_is_named_exit_1_and_nothing_is_written(hub: Path) -> None:
    assert report(hub).exit_code == 0
    before = tree_digest(hub / "social")
    (hub / "analytics" / "export-linkedin.csv").write_text("Date,Vues,Clics\n2026-11-01,3,4\n", encoding="utf-8")
    (hub / "analytics" / "meta.csv").write_bytes(ex.meta_posts(ex.META_33, [{
        "Post ID": "1", "Publish time": "le 3 novembre", "Permalink": "https://www.facebook.com/1/posts/1",
        "Post type": "Photos"}]))
    result = report(hub, "--period", "2026-10")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "analytics/export-linkedin.csv:1: is not an export cmhub reads; closest: X analytics post export "
        "(account_analytics_content CSV, 2024–), which needs the columns Post id, Date, Post Link, Impressions "
        "(missing: Post id, Post Link, Impressions)",
        "analytics/meta.csv:2: 'Publish time' must be a date like 11/03/2026 14:05, got 'le 3 novembre'",
        "cmhub: 2 errors; nothing was written"]
    assert "Traceback" not in result.output
    assert tree_digest(hub / "social") == before


def test_files_named_on_the_command_line_replace_the_default_folder(hub: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "downloads" / "x.csv"
    elsewhere.parent.mkdir()
    elsewhere.write_text(ex.csv_text(ex.X_OVERVIEW, [["Tue, Nov 3, 2026", 10, 1, 1, 0, 0, 4, 1, 0, 0, 0, 0, 0, 0]]),
                         encoding="utf-8")
    result = report(hub, str(elsewhere))
    assert result.exit_code == 0, result.output
    data = json.loads((hub / "social" / "reports" / "2026-11.json").read_text(encoding="utf-8"))
    assert [s["file"] for s in data["sources"]] == [str(elsewhere)]
    x = next(n for n in data["networks"] if n["network"] == "x")
    assert x["new_followers"] == {"value": 4 - 1, "sources": [str(elsewhere)]}
    missing = report(hub, str(tmp_path / "nowhere.csv"))
    assert missing.exit_code == 1 and missing.stderr.startswith(f"{tmp_path / 'nowhere.csv'}: not found")


def test_no_export_file_at_all_is_an_error_that_says_where_to_put_them(hub: Path) -> None:
    shutil.rmtree(hub / "analytics")
    result = report(hub)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ("analytics: no export files: put them in this folder, or name them: "
                                             "cmhub report FILE...")


@pytest.mark.parametrize(("period", "message"), [
    ("novembre", "--period: must be a month (2026-11), an ISO week (2026-W48), a quarter (2026-Q4), a year (2026) "
                 "or two days (2026-11-01..2026-11-15), got 'novembre'"),
    ("2026-13", "--period: '2026-13' is not a real month, week or day"),
    ("2026-W54", "--period: '2026-W54' is not a real month, week or day"),
    ("2026-12-10..2026-12-01", "--period: '2026-12-10..2026-12-01' ends before it starts"),
    ("2027-01", "--period: 2027-01 has not started on 2026-12-02 (the clock: --now, SOURCE_DATE_EPOCH or today)"),
])
def test_bad_periods(hub: Path, period: str, message: str) -> None:
    result = report(hub, "--period", period)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == message


@pytest.mark.parametrize(("period", "name", "first", "last"), [
    ("2026-W48", "2026-W48", "2026-11-23", "2026-11-29"),
    ("2026-Q4", "2026-Q4", "2026-10-01", "2026-12-31"),
    ("2026", "2026", "2026-01-01", "2026-12-31"),
    ("2026-11-01..2026-11-15", "2026-11-01_2026-11-15", "2026-11-01", "2026-11-15"),
])
def test_periods_name_their_files(hub: Path, period: str, name: str, first: str, last: str) -> None:
    result = report(hub, "--period", period)
    assert result.exit_code == 0, result.output
    data = json.loads((hub / "social" / "reports" / f"{name}.json").read_text(encoding="utf-8"))
    assert (data["period"]["start"], data["period"]["end"]) == (first, last)
    assert data["as_of"] == min(last, "2026-12-02")


def test_the_report_never_goes_into_site_and_builds_keep_it(hub: Path) -> None:
    build = CliRunner().invoke(main, ["build", "-C", str(hub), "--now", NOW, "-q"])
    assert build.exit_code == 0, build.output
    site = tree_digest(hub / "site")
    assert report(hub).exit_code == 0
    reports = tree_digest(hub / "social" / "reports")
    assert set(reports) == {"2026-11.html", "2026-11.csv", "2026-11.json"}
    assert tree_digest(hub / "site") == site
    assert not [p for p in (hub / "site").rglob("*") if "2026-11." in p.name or p.name == "reports"]
    for args in (["build"], ["build", "--no-cache"], ["syndicate"]):  # in place, whole swap, social/ only
        result = CliRunner().invoke(main, [*args, "-C", str(hub), "--now", "2026-12-03T10:00:00Z"])
        assert result.exit_code == 0, result.output
        assert tree_digest(hub / "social" / "reports") == reports, args


def test_a_social_folder_inside_the_site_is_refused(hub: Path) -> None:
    config = hub / "site.yml"
    config.write_text(config.read_text(encoding="utf-8") + "social_output: site/equipe\n", encoding="utf-8")
    result = report(hub)
    assert result.exit_code == 1
    assert "output folder 'site/equipe' is inside 'site'" in result.stderr
    assert not (hub / "site").exists()


def follower_counts(hub: Path, august: int, september: int) -> None:
    """Write interactions.jsonl with Mastodon's follower count at the end of August and of September."""
    lines = ['{"cmhub":"interactions","version":1}']
    for day, count in (("2026-08-31", august), ("2026-09-30", september)):
        lines.append(f'{{"kind":"account","network":"mastodon","account":"@voix@piaille.example",'
                     f'"fetched":"{day}T12:00:00Z","followers":{count}}}')
    (hub / "interactions.jsonl").write_bytes(ex.jsonl(lines))


def test_a_report_in_english_for_an_english_hub(hub: Path) -> None:
    config = hub / "site.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: fr", "language: en"), encoding="utf-8")
    follower_counts(hub, 120, 143)
    result = report(hub, "--period", "2026-09")
    assert result.exit_code == 0, result.output
    # 57 to go from 1 October to 31 December: 92 days, 3.02 average months: 19 a month; September made 23.3
    assert result.output.splitlines()[0] == "Mastodon: 143/200 followers, 19 a month needed, on track: yes"


def test_the_issues_example_line_in_french(hub: Path) -> None:
    follower_counts(hub, 135, 143)
    result = report(hub, "--period", "2026-09")
    assert result.exit_code == 0, result.output
    # September gained 8 (8.1 a month): not the 19 a month needed
    assert result.output.splitlines()[0] == f"Mastodon{NBSP}: 143/200 abonnés, 19 par mois nécessaires, " \
                                             f"en bonne voie{NBSP}: non"
