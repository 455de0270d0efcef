"""A stable plan (#14.4): plan.lock keeps planned teasers where they are, reports missed ones, and
each teaser is handed out in exactly one batch. Also the build cadence (#14.3) checks of cmhub check."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cmhub.cli.verbs import main
from cmhub.core.errors import CmhubError
from cmhub.ledgers.plan_lock import PlanEntry, load_plan_ledger, parse_plan

SITE = """\
title: "Cooperative news"
url: https://coop.example.org/
timezone: Europe/Paris
builds: {cron: "17 * * * *", margin: 30m}
networks:
  mastodon: "@coop@example.social"
  instagram: {handle: coop, slots: [sat 11:00, sun 11:00], spacing: 20h}
calendar:
  start: 2026-01-01
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def hub(folder: Path, site: str = SITE) -> Path:
    (folder / "content").mkdir(parents=True)
    (folder / "site.yml").write_text(site, encoding="utf-8")
    return folder


def article(project: Path, name: str, date: str, extra: str = "") -> Path:
    path = project / "content" / f"{name}.md"
    path.write_text(f'---\ntitle: "{name.title()}"\ndate: {date}\n{extra}---\nSome news.\n', encoding="utf-8")
    return path


def build(project: Path, now: str) -> Result:
    result = run("build", "-C", str(project), "--now", now)
    assert result.exit_code == 0, result.output
    return result


def instants(project: Path) -> dict[tuple[str, str, str], str]:
    """The standing planned instant of every teaser, from plan.lock."""
    ledger = load_plan_ledger(project)
    return {key: e.at.isoformat() for key, e in ledger.latest.items() if e.state == "planned"}


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_adding_an_article_does_not_move_a_planned_teaser(tmp_path: Path) -> None:
    # the reproduction: an Instagram teaser planned Sat 11:00 moved to Sun 11:00 when another
    # article took its slot
    project = hub(tmp_path / "hub")
    article(project, "later", "2026-12-11T18:00:00")      # Fri: Instagram's Saturday slot
    build(project, "2026-12-07T08:00:00Z")
    before = instants(project)
    assert before[("content/later.md", "instagram", "launch")] == "2026-12-12T10:00:00+00:00"
    article(project, "earlier", "2026-12-10T09:00:00")    # Thu: would take that same Saturday slot
    build(project, "2026-12-08T08:00:00Z")
    after = instants(project)
    assert {k: v for k, v in after.items() if k[0] == "content/later.md"} == before
    assert after[("content/earlier.md", "instagram", "launch")] == "2026-12-13T10:00:00+00:00"
    # the second build handed out only the new article's teasers, in its own batch
    batches = sorted(p.name for p in (project / "social" / "batches").iterdir() if p.is_dir())
    assert batches == ["20261207T080000Z", "20261208T080000Z"]
    second = rows(project / "social" / "batches" / "20261208T080000Z" / "teasers.csv")
    assert {r["article"] for r in second} == {"content/earlier.md"}


def test_removing_or_editing_other_articles_leaves_the_plan_alone(tmp_path: Path) -> None:
    project = hub(tmp_path / "hub")
    article(project, "one", "2026-12-11T18:00:00")
    other = article(project, "two", "2026-12-10T09:00:00")
    build(project, "2026-12-07T08:00:00Z")
    before = {k: v for k, v in instants(project).items() if k[0] == "content/one.md"}
    other.write_text(other.read_text(encoding="utf-8").replace("Some news.", "Other news."), encoding="utf-8")
    build(project, "2026-12-07T09:00:00Z")
    other.unlink()
    build(project, "2026-12-07T10:00:00Z")
    assert {k: v for k, v in instants(project).items() if k[0] == "content/one.md"} == before


def test_a_moved_article_cancels_its_teasers_and_plans_them_again(tmp_path: Path) -> None:
    project = hub(tmp_path / "hub")
    path = article(project, "moving", "2026-12-11T18:00:00")
    build(project, "2026-12-07T08:00:00Z")
    path.write_text(path.read_text(encoding="utf-8").replace("2026-12-11T18:00:00", "2026-12-17T18:00:00"),
                    encoding="utf-8")
    build(project, "2026-12-08T08:00:00Z")
    cancelled = rows(project / "social" / "batches" / "20261208T080000Z" / "cancelled.csv")
    assert sorted((r["network"], r["scheduled_utc"], r["handed_out_in"], r["reason"]) for r in cancelled) == [
        ("instagram", "2026-12-12T10:00:00Z", "20261207T080000Z", "its article's date or syndicate.at changed"),
        ("mastodon", "2026-12-11T17:47:00Z", "20261207T080000Z", "its article's date or syndicate.at changed")]
    again = rows(project / "social" / "batches" / "20261208T080000Z" / "teasers.csv")
    assert sorted((r["network"], r["scheduled_utc"]) for r in again) == [
        ("instagram", "2026-12-19T10:00:00Z"), ("mastodon", "2026-12-17T17:47:00Z")]
    # the first batch still lists what it handed out
    first = rows(project / "social" / "batches" / "20261207T080000Z" / "teasers.csv")
    assert sorted(r["scheduled_utc"] for r in first) == ["2026-12-11T17:47:00Z", "2026-12-12T10:00:00Z"]


def test_a_missed_teaser_is_planned_again_or_dropped_and_reported(tmp_path: Path) -> None:
    project = hub(tmp_path / "hub")
    article(project, "first", "2026-12-01T09:00:00")
    build(project, "2026-12-01T06:00:00Z")                 # plan.lock exists from now on
    # CI was down: an article dated yesterday reaches the first build a day late
    article(project, "late", "2026-12-03T09:00:00")
    article(project, "very-late", "2026-11-27T09:00:00")
    result = build(project, "2026-12-04T12:00:00Z")
    lines = result.stderr.splitlines()
    assert ("content/late.md: warning: the mastodon teaser (launch) missed its slot 2026-12-03T09:47:00+01:00: no "
            "build handed it out before then; planned again at 2026-12-04T13:30:00+01:00 (calendar.catch_up: 2d)"
            ) in lines
    assert ("content/very-late.md: warning: the mastodon teaser (launch) missed its slot 2026-11-27T09:47:00+01:00: "
            "no build handed it out before then; dropped, more than calendar.catch_up (2d) late or the "
            "article is not online") in lines
    ledger = load_plan_ledger(project)
    dropped = ledger.current(("content/very-late.md", "mastodon", "launch"))
    assert dropped is not None and (dropped.state, dropped.batch) == ("dropped", "")
    late = ledger.current(("content/late.md", "mastodon", "launch"))
    assert late is not None and (late.state, late.note) == ("planned", "missed 2026-12-03T08:47:00Z")
    assert late.at >= dt.datetime(2026, 12, 4, 12, tzinfo=dt.UTC), "never in the past"
    # reported once: the next build knows them
    assert "missed" not in build(project, "2026-12-04T13:00:00Z").stderr


def test_the_pause_cancels_what_is_to_come_and_the_end_of_it_plans_again(tmp_path: Path) -> None:
    project = hub(tmp_path / "hub")
    article(project, "soon", "2026-12-11T18:00:00")
    build(project, "2026-12-07T08:00:00Z")
    site = project / "site.yml"
    site.write_text(SITE.replace("  start: 2026-01-01\n", "  start: 2026-01-01\n  pause: true\n"), encoding="utf-8")
    build(project, "2026-12-08T08:00:00Z")
    cancelled = rows(project / "social" / "batches" / "20261208T080000Z" / "cancelled.csv")
    assert {(r["network"], r["reason"]) for r in cancelled} == {("mastodon", "calendar.pause"),
                                                                 ("instagram", "calendar.pause")}
    site.write_text(SITE, encoding="utf-8")
    build(project, "2026-12-09T08:00:00Z")
    assert instants(project) == {("content/soon.md", "mastodon", "launch"): "2026-12-11T17:47:00+00:00",
                                 ("content/soon.md", "instagram", "launch"): "2026-12-12T10:00:00+00:00"}


def test_plan_lock_is_the_same_bytes_for_the_same_inputs_and_clock(tmp_path: Path) -> None:
    texts = []
    for name in ("a", "b"):
        project = hub(tmp_path / name)
        article(project, "one", "2026-12-11T18:00:00")
        article(project, "two", "2026-12-01T18:00:00")
        build(project, "2026-12-07T08:00:00Z")
        texts.append((project / "plan.lock").read_bytes())
    assert texts[0] == texts[1]
    assert parse_plan(texts[0].decode()).entries == load_plan_ledger(tmp_path / "a").entries


def test_load_plan_ledger_returns_frozen_typed_entries(tmp_path: Path) -> None:
    project = hub(tmp_path / "hub")
    article(project, "one", "2026-12-11T18:00:00")
    build(project, "2026-12-07T08:00:00Z")
    ledger = load_plan_ledger(project)
    entry = ledger.current(("content/one.md", "mastodon", "launch"))
    assert entry == PlanEntry(source="content/one.md", network="mastodon", variant="launch",
                              planned=dt.datetime(2026, 12, 7, 8, tzinfo=dt.UTC),
                              at=dt.datetime(2026, 12, 11, 17, 47, tzinfo=dt.UTC), state="planned",
                              batch="20261207T080000Z", basis="date=2026-12-11T17:00:00Z")
    with pytest.raises(AttributeError):
        entry.at = entry.planned  # type: ignore[misc]
    assert load_plan_ledger(tmp_path).exists is False


def test_a_damaged_plan_lock_is_reported_at_its_line(tmp_path: Path) -> None:
    project = hub(tmp_path / "hub")
    article(project, "one", "2026-12-11T18:00:00")
    build(project, "2026-12-07T08:00:00Z")
    lock = project / "plan.lock"
    lines = lock.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("planned", "maybe", 1).replace("\tplanned\t", "\tmaybe\t")
    lock.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CmhubError) as caught:
        load_plan_ledger(project)
    assert [str(p) for p in caught.value.problems] == [
        "plan.lock:4: damaged line (state 'maybe' is not one of planned, cancelled, dropped); restore it from "
        "version control"]
    result = run("build", "-C", str(project), "--now", "2026-12-07T09:00:00Z")
    assert result.exit_code == 1 and "plan.lock:4: damaged line" in result.stderr


def test_check_warns_about_an_explicit_time_before_the_first_build(tmp_path: Path) -> None:
    project = hub(tmp_path / "hub")
    article(project, "timed", "2026-12-11T09:00:00", "syndicate:\n  mastodon:\n    at: 2026-12-11T09:10:00\n")
    expected = ("content/timed.md:5: warning: syndicate.mastodon.at 2026-12-11T09:10:00+01:00 is before the first "
                "build that publishes the article (2026-12-11T09:17:00+01:00, builds.cron '17 * * * *') plus "
                "builds.margin (30m): its link may not work yet")
    result = run("check", "-C", str(project), "--now", "2026-12-07T08:00:00Z")
    assert result.exit_code == 0, result.output
    assert expected in result.stderr.splitlines()
    build(project, "2026-12-07T08:00:00Z")  # recorded in plan.lock: still reported while it is to come
    assert expected in run("check", "-C", str(project), "--now", "2026-12-08T08:00:00Z").stderr.splitlines()


def test_check_warns_when_the_workflow_cron_is_not_site_yml(tmp_path: Path) -> None:
    project = hub(tmp_path / "hub")
    article(project, "one", "2026-12-11T09:00:00")
    workflow = project / ".github" / "workflows" / "cmhub.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text('name: cmhub\non:\n  push:\n  schedule:\n    - cron: "17 6 * * *"\njobs: {}\n',
                        encoding="utf-8")
    result = run("check", "-C", str(project), "--now", "2026-12-07T08:00:00Z")
    assert (".github/workflows/cmhub.yml:5: warning: cron '17 6 * * *' is not site.yml's builds.cron "
            "'17 * * * *': teasers are planned after the builds site.yml announces; make the two say the same"
            ) in result.stderr.splitlines()
    workflow.write_text('on:\n  schedule:\n    - cron: "17  *  * * *"\n', encoding="utf-8")
    assert "cmhub.yml" not in run("check", "-C", str(project), "--now", "2026-12-07T08:00:00Z").stderr


def test_check_warns_about_a_goal_the_slots_cannot_meet(tmp_path: Path) -> None:
    project = hub(tmp_path / "hub", SITE.replace(
        "  instagram: {handle: coop, slots: [sat 11:00, sun 11:00], spacing: 20h}",
        "  instagram: {handle: coop, slots: [sat 11:00, sun 11:00], spacing: 20h, cadence: 3}\n"
        "  linkedin: {handle: Coop, spacing: 3d, cadence: 3}"))
    article(project, "one", "2026-12-11T09:00:00")
    result = run("check", "-C", str(project), "--now", "2026-12-07T08:00:00Z")
    # the hub's reserved example url brings a warning of its own; these are the cadence ones
    assert [line for line in result.stderr.splitlines() if ".cadence " in line] == [
        "site.yml:7: warning: networks.instagram.cadence asks for 3 posts a week; 2 weekly slots, 20h apart "
        "at least, allow 2 at most: add slots, shorten spacing or lower the goal",
        "site.yml:8: warning: networks.linkedin.cadence asks for 3 posts a week; no slots, 3d apart "
        "at least, allow 2 at most: add slots, shorten spacing or lower the goal"]


def test_replan_moves_a_planned_teaser_on_purpose(tmp_path: Path) -> None:
    project = hub(tmp_path / "hub")
    article(project, "one", "2026-12-11T18:00:00")
    build(project, "2026-12-07T08:00:00Z")
    # the team adds a blackout over the planned Saturday: the teaser keeps its time, with a warning
    site = project / "site.yml"
    site.write_text(SITE.replace("  start: 2026-01-01\n", "  start: 2026-01-01\n  blackout: [2026-12-12]\n"),
                    encoding="utf-8")
    result = build(project, "2026-12-08T08:00:00Z")
    assert ("content/one.md: warning: the instagram teaser (launch) planned at 2026-12-12T11:00:00+01:00 falls in "
            "the blackout 2026-12-12..2026-12-12 added since batch 20261207T080000Z handed it out; it keeps its time "
            "(move it with 'cmhub replan content/one.md')") in result.stderr.splitlines()
    assert instants(project)[("content/one.md", "instagram", "launch")] == "2026-12-12T10:00:00+00:00"
    moved = run("replan", "-C", str(project), "--now", "2026-12-08T09:00:00Z", "content/one.md",
                "--network", "instagram")
    assert (moved.exit_code, moved.stdout) == (0, "1 teaser planned again; see social/batches/\n")
    assert instants(project)[("content/one.md", "instagram", "launch")] == "2026-12-13T10:00:00+00:00"
    cancelled = rows(project / "social" / "batches" / "20261208T090000Z" / "cancelled.csv")
    assert [(r["network"], r["scheduled_utc"], r["reason"]) for r in cancelled] == [
        ("instagram", "2026-12-12T10:00:00Z", "cmhub replan")]


def test_a_moved_article_file_keeps_its_planned_teasers(tmp_path: Path) -> None:
    # git mv content/later.md content/2026/later.md: the same article (permalinks.lock follows it), so
    # its teasers keep their instants and batch; nothing is cancelled or handed out again
    project = hub(tmp_path / "hub")
    article(project, "later", "2026-12-11T18:00:00")
    build(project, "2026-12-07T08:00:00Z")
    before = instants(project)
    (project / "content" / "2026").mkdir()
    (project / "content" / "later.md").rename(project / "content" / "2026" / "later.md")
    build(project, "2026-12-08T08:00:00Z")
    ledger = load_plan_ledger(project)
    assert instants(project) == {("content/2026/later.md", network, variant): at
                                 for (_, network, variant), at in before.items()}
    assert {e.state for e in ledger.entries} == {"planned"} and {e.batch for e in ledger.entries} == {
        "20261207T080000Z"}
    assert not (project / "social" / "batches" / "20261208T080000Z").exists()


def test_the_scheduler_files_are_kept_until_a_teaser_in_them_changes_or_goes_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cmhub.social import exports

    made: list[int] = []
    real = exports._scheduler_files

    def counted(site, upcoming, networks):  # noqa: ANN001, ANN202 - _scheduler_files'
        made.append(len(upcoming))
        return real(site, upcoming, networks)

    monkeypatch.setattr(exports, "_scheduler_files", counted)
    project = hub(tmp_path / "hub")
    news = article(project, "news", "2026-12-10T09:00:00")
    article(project, "later", "2026-12-11T18:00:00")
    build(project, "2026-12-07T08:00:00Z")
    assert len(made) == 1
    listed = project / "social" / "teasers.csv"
    publer = project / "social" / "publer" / "mastodon.csv"
    news.write_text(news.read_text(encoding="utf-8") + "\nMore news, below the first paragraph.\n",
                    encoding="utf-8")
    build(project, "2026-12-07T09:00:00Z")  # its teasers are made from its title and first paragraph
    assert len(made) == 1  # kept as they were
    news.write_text(news.read_text(encoding="utf-8").replace('title: "News"', 'title: "Fresh news"'),
                    encoding="utf-8")
    build(project, "2026-12-07T10:00:00Z")
    assert len(made) == 2
    texts = [row["text"] for row in rows(listed) if row["article"] == "content/news.md"]
    assert texts and all(text.startswith("Fresh news") for text in texts)
    assert "Fresh news" in publer.read_text(encoding="utf-8")
    assert ("content/news.md", "mastodon") in {(row["article"], row["network"]) for row in rows(listed)}
    build(project, "2026-12-10T12:00:00Z")  # news's Mastodon teaser went out: it is no longer to come
    assert len(made) == 3
    still = {(row["article"], row["network"]) for row in rows(listed)}
    assert ("content/news.md", "mastodon") not in still and ("content/later.md", "mastodon") in still
    assert "Fresh news" not in publer.read_text(encoding="utf-8")


def test_a_batch_is_kept_until_a_teaser_it_handed_out_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cmhub.social import batches

    made: list[str] = []
    real = batches._batch

    def counted(site, batch, *rest):  # noqa: ANN001, ANN002, ANN202 - _batch's
        made.append(batch)
        return real(site, batch, *rest)

    monkeypatch.setattr(batches, "_batch", counted)
    project = hub(tmp_path / "hub")
    news = article(project, "news", "2026-12-10T09:00:00")
    build(project, "2026-12-07T08:00:00Z")
    assert made == ["20261207T080000Z"]
    article(project, "later", "2026-12-11T18:00:00")
    build(project, "2026-12-08T08:00:00Z")  # a second batch; the first is kept as it is
    assert made == ["20261207T080000Z", "20261208T080000Z"]
    first = project / "social" / "batches" / "20261207T080000Z" / "teasers.csv"
    assert {row["article"] for row in rows(first)} == {"content/news.md"}
    news.write_text(news.read_text(encoding="utf-8").replace('title: "News"', 'title: "Fresh news"'),
                    encoding="utf-8")
    made.clear()
    build(project, "2026-12-08T09:00:00Z")  # a batch shows its teasers' current texts: the first is made again
    assert made == ["20261207T080000Z"]
    assert all(row["text"].startswith("Fresh news") for row in rows(first))
