"""The publishing calendar of the social test hub: read back with icalendar and an HTML parser.

Planning facts of tests/sites/social (Europe/Paris; LinkedIn posts on Tue/Thu 09:00, 1 day apart,
with a reminder 7 days after its launch; the other networks post as soon as they may; blackout
24-26 December; calendar.start 2026-09-01). No `builds:` in its site.yml: the default hourly build
at minute 17 and a 30-minute margin apply, so a teaser goes out at the earliest 30 minutes after the
first build (hh:17) at or after its article's date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
from click.testing import CliRunner, Result

from cmhub.cli.verbs import main
from cmhub.commands.syndicate import syndicate_project
from cmhub.settings.request import BuildRequest
from cmhub.social.calendar.files import calendar_files
from cmhub.theming.loader import load_theme
from tests.conftest import NOW, tree_digest
from tests.social.test_syndication import (
    BASE,
    CHARTE,
    DRAFT,
    GUIDE,
    HAND_WRITTEN,
    NETWORKS,
    NO_INSTAGRAM,
    OLD,
    SCHEDULED,
    add_override,
    build,
    canonical,
    copy_hub,
    front_matter,
)

PARIS = ZoneInfo("Europe/Paris")
PLANNED = (CHARTE, NO_INSTAGRAM, GUIDE, HAND_WRITTEN, SCHEDULED)
"""Published or scheduled on or after calendar.start (the spring article and the draft are not)."""
BLACKOUT = (dt.date(2026, 12, 24), dt.date(2026, 12, 26))


def paris(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=PARIS)


LINKEDIN = {
    # (article, variant): the slot, worked out by hand from the article's date (Paris time).
    # Tue 15/09 08:30: online at the 09:17 build, teasers from 09:47, so Tuesday's 09:00 slot has
    # passed -> Thu 17/09; the reminder 7 d after that launch -> Thu 24/09.
    (CHARTE, "launch"): paris("2026-09-17T09:00"),
    (CHARTE, "reminder-1"): paris("2026-09-24T09:00"),
    # Tue 06/10 11:00: Tuesday's slot has passed -> Thu 08/10; Tue 13/10 11:00 -> Thu 15/10.
    (NO_INSTAGRAM, "launch"): paris("2026-10-08T09:00"),
    (NO_INSTAGRAM, "reminder-1"): paris("2026-10-15T09:00"),
    # Tue 20/10 07:45: build 08:17, from 08:47 -> 09:00; +7 d -> Tue 27/10 09:00 (CET by then).
    (GUIDE, "launch"): paris("2026-10-20T09:00"),
    (GUIDE, "reminder-1"): paris("2026-10-27T09:00"),
    # Thu 19/11 10:00: Thursday's slot has passed -> Tue 24/11; Thu 26/11 10:00 -> Tue 01/12.
    (HAND_WRITTEN, "launch"): paris("2026-11-24T09:00"),
    (HAND_WRITTEN, "reminder-1"): paris("2026-12-01T09:00"),
    # Thu 24/12 10:00, blackout until 26/12 -> Tue 29/12; Thu 31/12 10:00 -> Tue 05/01.
    (SCHEDULED, "launch"): paris("2026-12-29T09:00"),
    (SCHEDULED, "reminder-1"): paris("2027-01-05T09:00"),
}


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def load_ics(project: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical((project / "social" / "calendar.ics").read_bytes())


def load_json(project: Path) -> dict:
    return json.loads((project / "social" / "calendar.json").read_text(encoding="utf-8"))


def events_by_uid(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    events = calendar.walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids), "UIDs are unique"
    return dict(zip(uids, events, strict=True))


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_hub(tmp_path_factory.mktemp("calendar") / "social")
    result = build(project)
    assert result.exit_code == 0, result.output
    return project


@pytest.fixture(scope="module")
def planned(hub: Path) -> list[dict]:
    document = load_json(hub)
    assert (document["site"], document["timezone"], document["paused"]) == \
        (BASE, "Europe/Paris", False)
    return document["events"]


def at(event: dict) -> dt.datetime:
    return dt.datetime.fromisoformat(event["scheduled_utc"].replace("Z", "+00:00"))


def test_the_feed_is_a_named_refreshable_icalendar(hub: Path) -> None:
    calendar = load_ics(hub)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"])
    name = "Les Échos de l’Asso — réseaux & communautés · Calendrier de publication"
    assert (str(calendar["NAME"]), str(calendar["X-WR-CALNAME"])) == (name, name)
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert calendar.decoded("REFRESH-INTERVAL") == dt.timedelta(hours=6)
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT6H"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    data = (hub / "social" / "calendar.ics").read_bytes()
    lines = data.split(b"\n")
    assert lines[-1] == b"" and all(line.endswith(b"\r") for line in lines[:-1]), "CRLF"
    assert all(len(line) <= 76 for line in lines), "folded at 75 octets"


def test_events_are_the_planned_articles_and_teasers(hub: Path, planned: list[dict]) -> None:
    wanted = {(source, "article", "", "") for source in PLANNED}
    wanted |= {(source, "teaser", network, "launch") for source in PLANNED for network in NETWORKS}
    wanted -= {(NO_INSTAGRAM, "teaser", "instagram", "launch")}
    wanted |= {(source, "teaser", "linkedin", "reminder-1") for source in PLANNED}
    assert sorted((e["source"], e["kind"], e["network"], e["variant"]) for e in planned) == \
        sorted(wanted)

    ics = events_by_uid(load_ics(hub))
    assert set(ics) == {e["uid"] for e in planned}
    for event in planned:
        item = ics[event["uid"]]
        title = front_matter(event["source"])["title"]
        summary = str(item["SUMMARY"])
        spaced = title.replace(" : ", "\u00a0: ").replace("« ", "«\u202f").replace(" »", "\u202f»") \
            .replace(" ?", "\u202f?").replace(" !", "\u202f!").replace(" ;", "\u202f;")  # French spacing, #15.6
        assert event["title"] == spaced and spaced in summary
        if event["kind"] == "teaser":
            assert summary.startswith(f"[{event['network']}] ")
            assert summary.endswith(f" ({event['variant']})") == (event["variant"] != "launch")
            assert str(item["DESCRIPTION"]) == event["text"] != ""
        assert item.decoded("DTSTART") == at(event)
        assert item.decoded("DTSTART").tzinfo is not None, "no floating times"
        assert item.decoded("DTEND") > item.decoded("DTSTART")
        assert str(item["URL"]) == event["url"]


def test_teaser_events_match_teasers_json(hub: Path, planned: list[dict]) -> None:
    teasers = json.loads((hub / "social" / "teasers.json").read_text(encoding="utf-8"))["teasers"]
    by_key = {(t["article"]["source"], t["network"], t["variant"]): t for t in teasers}
    for event in (e for e in planned if e["kind"] == "teaser"):
        teaser = by_key[event["source"], event["network"], event["variant"]]
        assert teaser["planned"] is True
        assert (teaser["scheduled_utc"], teaser["text"], teaser["link"]) == \
            (event["scheduled_utc"], event["text"], event["url"])


def summaries_and_starts(project: Path) -> dict[str, tuple[str, dt.datetime]]:
    return {uid: (str(e["SUMMARY"]), e.decoded("DTSTART"))
            for uid, e in events_by_uid(load_ics(project)).items()}


def test_uids_survive_a_rebuild_and_an_edit_of_other_articles(hub: Path, tmp_path: Path) -> None:
    before = summaries_and_starts(hub)
    project = copy_hub(tmp_path / "social")
    assert build(project).exit_code == 0
    assert summaries_and_starts(project) == before
    edit(project / GUIDE, "Commencez par lister ce que vous avez déjà.", "Faites l’inventaire.")
    edit(project / CHARTE, "un groupe de 4 000 membres", "5 000 membres")
    assert build(project).exit_code == 0
    after = events_by_uid(load_ics(project))
    assert summaries_and_starts(project) == before
    assert any("5 000 membres" in str(e["DESCRIPTION"]) for e in after.values()), "edit was built"


def test_uids_survive_moving_and_renaming_the_article_file(hub: Path, tmp_path: Path) -> None:
    # a calendar client keys its events on UID: a file moved into a folder and renamed (its permalink
    # kept by permalinks.lock) must not show as a removed event and a new one
    before = summaries_and_starts(hub)
    project = copy_hub(tmp_path / "social")
    assert build(project).exit_code == 0
    (project / "content" / "guides").mkdir()
    (project / CHARTE).rename(project / "content" / "guides" / "notre-charte.md")
    result = build(project)
    assert result.exit_code == 0, result.output
    moved = summaries_and_starts(project)
    assert moved == before
    sources = {e["uid"]: e["source"] for e in load_json(project)["events"]}
    assert "content/guides/notre-charte.md" in sources.values(), "the moved file was planned under its new name"


def test_dtstamp_comes_from_the_content_not_the_clock(hub: Path, tmp_path: Path) -> None:
    stamps = {uid: e.decoded("DTSTAMP") for uid, e in events_by_uid(load_ics(hub)).items()}
    sources = {e["uid"]: e["source"] for e in load_json(hub)["events"]}
    for uid, stamp in stamps.items():
        data = front_matter(sources[uid])
        assert stamp == data.get("updated", data["date"]).replace(tzinfo=PARIS), uid
    # the charte was updated on 18/09 at 17:45 Paris time: that is the stamp of its 10 events
    assert [stamps[uid] for uid in stamps if sources[uid] == CHARTE] == \
        [dt.datetime(2026, 9, 18, 15, 45, tzinfo=dt.UTC)] * 10

    later = copy_hub(tmp_path / "later")
    assert build(later, now="2026-11-22T07:30:00Z").exit_code == 0
    assert (later / "social" / "calendar.ics").read_bytes() == \
        (hub / "social" / "calendar.ics").read_bytes()
    much_later = copy_hub(tmp_path / "much-later")  # the scheduled article is out by then
    assert build(much_later, now="2027-02-01T00:00:00Z").exit_code == 0
    assert {uid: e.decoded("DTSTAMP")
            for uid, e in events_by_uid(load_ics(much_later)).items()} == stamps


def test_no_teaser_goes_out_before_its_article(planned: list[dict]) -> None:
    published = {e["source"]: at(e) for e in planned if e["kind"] == "article"}
    for event in planned:
        if event["kind"] == "teaser":
            assert at(event) >= published[event["source"]], event["uid"]


def test_no_teaser_falls_in_the_blackout(hub: Path, planned: list[dict]) -> None:
    teasers = {e["uid"] for e in planned if e["kind"] == "teaser"}
    days = {uid: item.decoded("DTSTART").astimezone(PARIS).date()
            for uid, item in events_by_uid(load_ics(hub)).items() if uid in teasers}
    assert len(days) == len(teasers) == 44
    for uid, day in days.items():
        assert not BLACKOUT[0] <= day <= BLACKOUT[1], (uid, day)
    # the scheduled article comes out on 24/12 at 10:00, inside the blackout; online at the 10:17
    # build, its teasers may go from 10:47: they wait for the first day after the blackout, at 10:47
    moved = {e["network"]: at(e) for e in planned
             if e["source"] == SCHEDULED and e["variant"] == "launch"}
    assert {n: t for n, t in moved.items() if n != "linkedin"} == \
        {n: paris("2026-12-27T10:47") for n in NETWORKS if n != "linkedin"}


def test_linkedin_posts_on_its_slots_a_day_apart(planned: list[dict]) -> None:
    linkedin = {(e["source"], e["variant"]): at(e) for e in planned if e["network"] == "linkedin"}
    assert linkedin == LINKEDIN
    times = sorted(linkedin.values())
    assert all(b - a >= dt.timedelta(days=1) for a, b in zip(times, times[1:], strict=False))
    for moment in times:
        local = moment.astimezone(PARIS)
        assert (local.weekday(), local.time()) in {(1, dt.time(9)), (3, dt.time(9))}, local


def test_reminders_come_a_week_after_the_launch_with_their_own_utm(planned: list[dict]) -> None:
    launches = {(e["source"], e["network"]): e for e in planned if e["variant"] == "launch"}
    reminders = [e for e in planned if e["variant"].startswith("reminder")]
    assert {(e["source"], e["network"], e["variant"]) for e in reminders} == \
        {(source, "linkedin", "reminder-1") for source in PLANNED}
    for reminder in reminders:
        launch = launches[reminder["source"], reminder["network"]]
        assert at(reminder) - at(launch) >= dt.timedelta(days=7), reminder["uid"]
        assert parse_qs(urlsplit(reminder["url"]).query)["utm_content"] == ["reminder-1"]
        assert "utm_content" not in parse_qs(urlsplit(launch["url"]).query)
        assert reminder["text"].startswith("Au cas où vous l’auriez manqué\u00a0: ")


def test_a_reminder_follows_an_explicitly_timed_launch(tmp_path: Path) -> None:
    project = copy_hub(tmp_path / "social")
    edit(project / HAND_WRITTEN, '  x: "Texte écrit à la main {url}"\n',
         '  x: "Texte écrit à la main {url}"\n  linkedin:\n    at: 2026-12-03T09:00:00\n')
    assert build(project).exit_code == 0
    linkedin = {e["variant"]: at(e) for e in load_json(project)["events"]
                if e["source"] == HAND_WRITTEN and e["network"] == "linkedin"}
    assert linkedin["launch"] == paris("2026-12-03T09:00")
    assert linkedin["reminder-1"] - linkedin["launch"] >= dt.timedelta(days=7), linkedin


def test_an_explicit_time_in_the_blackout_is_refused(tmp_path: Path) -> None:
    project = copy_hub(tmp_path / "social")
    assert build(project).exit_code == 0
    site, social = tree_digest(project / "site"), tree_digest(project / "social")
    line = add_override(project, SCHEDULED, "  linkedin:\n    at: 2026-12-25T09:00:00")
    result = build(project)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{SCHEDULED}:{line}: syndicate.linkedin.at 2026-12-25T09:00:00+01:00 "
        "falls in the blackout 2026-12-24..2026-12-26",
        "cmhub: 1 error; nothing was written"]
    assert tree_digest(project / "site") == site and tree_digest(project / "social") == social


def test_pause_plans_no_teaser(tmp_path: Path) -> None:
    project = copy_hub(tmp_path / "social")
    edit(project / "site.yml", "calendar:\n", "calendar:\n  pause: true\n")
    assert build(project).exit_code == 0
    document = load_json(project)
    assert document["paused"] is True
    assert sorted((e["source"], e["kind"]) for e in document["events"]) == \
        sorted((source, "article") for source in PLANNED)
    assert set(events_by_uid(load_ics(project))) == {e["uid"] for e in document["events"]}
    assert "pause" in str(load_ics(project)["DESCRIPTION"])
    assert (project / "social" / "teasers.csv").read_bytes().count(b"\r\n") == 1, "header only"
    result = run("calendar", "-C", str(project), "--now", NOW)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "EN PAUSE : aucune publication sociale n’est planifiée tant que calendar.pause vaut true."
    assert not any("LinkedIn" in line and not line.startswith("Sous l’objectif") for line in lines)
    # with the teasers paused, the next thing due is the scheduled article (24/12 10:00 Paris)
    assert run("next", "-C", str(project), "--now", NOW).stdout == "2026-12-24T09:00:00Z\n"


def test_calendar_command_lists_the_coming_weeks_in_the_hub_language(hub: Path) -> None:
    result = run("calendar", "-C", str(hub), "--now", NOW, "--weeks", "6")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert not any(line.startswith("EN PAUSE") for line in lines)
    assert lines[0].startswith("mar. 24 nov. 2026 09:00  LinkedIn ")
    assert lines[1].startswith("mar. 1 déc. 2026 09:00   LinkedIn (rappel 1) ")
    assert lines[2].startswith("jeu. 24 déc. 2026 10:00  article ")
    # weeks below the goal are one line per network, not one per week
    assert lines[-1] == ("Sous l’objectif hebdomadaire : LinkedIn, 2 par semaine, 7 semaines sur 7 "
                         "(2026-W47, W48, W49, W50, W51, W52, W53)")
    assert sum("objectif" in line for line in lines) == 1


def test_calendar_command_flags_an_impossible_goal(tmp_path: Path) -> None:
    project = copy_hub(tmp_path / "social")
    edit(project / "site.yml", "    cadence: 2\n", "    cadence: 3\n")   # three a week on two weekly slots
    result = run("calendar", "-C", str(project), "--now", NOW)
    assert result.exit_code == 0
    assert ("Objectif impossible : LinkedIn demande 3 publications par semaine ; ses créneaux et son "
            "espacement en permettent 2 au plus") in result.stdout.splitlines()
    check = run("check", "-C", str(project), "--now", NOW)
    assert ("site.yml:27: warning: networks.linkedin.cadence asks for 3 posts a week; 2 weekly slots, 1d apart "
            "at least, allow 2 at most: add slots, shorten spacing or lower the goal") in check.stderr.splitlines()


def test_next_prints_the_next_instant_due(hub: Path) -> None:
    # At NOW (Sat 21/11 13:00 Paris) every teaser of the published articles is past except the
    # newsletter's LinkedIn ones: published Thu 19/11 at 10:00, after that day's 09:00 slot, its
    # launch waits for Tue 24/11 09:00 Paris = 08:00 UTC. That comes before the scheduled article
    # (24/12) and everything else.
    result = run("next", "-C", str(hub), "--now", NOW)
    assert (result.exit_code, result.stdout) == (0, "2026-11-24T08:00:00Z\n")
    # Just after the reminder of Tue 01/12 09:00 Paris, the next is the scheduled article,
    # Thu 24/12 10:00 Paris = 09:00 UTC (its teasers wait for the end of the blackout).
    result = run("next", "-C", str(hub), "--now", "2026-12-01T08:00:01Z")
    assert (result.exit_code, result.stdout) == (0, "2026-12-24T09:00:00Z\n")


class _Html(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.references: list[tuple[str, str]] = []
        self.events = 0
        """Events in the month grid (wide screens)."""
        self.listed = 0
        """Events in the list of days (small screens)."""
        self.blackout_days: list[str] = []
        self.texts = 0
        self.style = ""
        self._in_style = False
        self._out = False
        """Inside a day of the previous or next month (a grid repeats those days' events)."""
        self._view = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        classes = values.get("class", "").split()
        for name in ("src", "href", "srcset", "action", "data", "poster"):
            if name in values:
                self.references.append((tag, values[name]))
        if tag == "div" and ("grid" in classes or "agenda" in classes):
            self._view = classes[0]
        if tag == "td":
            self._out = "out" in classes
            if "off" in classes and not self._out:
                self.blackout_days.append(values.get("title", ""))
        if tag == "li" and "event" in classes and not self._out:
            if self._view == "grid":
                self.events += 1
            else:
                self.listed += 1
        if tag == "p" and "text" in classes:
            self.texts += 1
        self._in_style = tag == "style"
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, (self.open[-3:], tag)
        self.open.pop()
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data


def test_calendar_html_is_self_contained(hub: Path, planned: list[dict]) -> None:
    page = _Html()
    page.feed((hub / "social" / "calendar.html").read_text(encoding="utf-8"))
    page.close()
    assert page.open == [], "every element is closed"
    assert page.events == page.listed == len(planned), "every event once in the grid, once in the list"
    assert page.texts == 2 * sum(1 for e in planned if e["kind"] == "teaser"), "each teaser's text, in each view"
    for tag, url in page.references:
        external = urlsplit(url).scheme != "" or url.startswith("//")
        if tag == "a":
            assert not external or url.startswith(BASE), url
        else:
            assert not external, (tag, url)
    # entries link to the article's clean URL: a click by the team is not a social visit
    assert {url for tag, url in page.references if tag == "a" and url.startswith(BASE)} == \
        {canonical(e["source"]) for e in planned}
    assert all("utm_" not in url for _, url in page.references)
    assert page.blackout_days == ["jeudi 24 décembre 2026", "vendredi 25 décembre 2026", "samedi 26 décembre 2026"]
    assert "http" not in page.style and "@import" not in page.style
    assert "@media (max-width: 48rem)" in page.style, "a list instead of the month grid on small screens"


def test_calendar_start_leaves_older_articles_out(hub: Path, tmp_path: Path) -> None:
    sources = {e["source"] for e in load_json(hub)["events"]}
    assert OLD not in sources and DRAFT not in sources
    teasers = json.loads((hub / "social" / "teasers.json").read_text(encoding="utf-8"))["teasers"]
    assert {t["planned"] for t in teasers if t["article"]["source"] == OLD} == {False}
    # without calendar.start, only the last 30 days before the clock and the future are planned:
    # the spring article stays out, the article of 19/11 is in
    project = copy_hub(tmp_path / "social")
    edit(project / "site.yml", "  start: 2026-09-01\n", "")
    assert build(project).exit_code == 0
    events = load_json(project)["events"]
    assert not [e for e in events if e["source"] == OLD]
    assert {e["scheduled_local"][:10] for e in events if e["kind"] == "article"} >= {"2026-11-19"}
    assert DRAFT not in {e["source"] for e in events}


def calendar_traces(site: Path) -> list[str]:
    found = []
    for path in sorted(site.rglob("*")):
        if "calendar" in path.name.lower() or path.suffix == ".ics":
            found.append(path.relative_to(site).as_posix())
        elif path.is_file():
            data = path.read_bytes()
            if b"BEGIN:VCALENDAR" in data or b"Calendrier de publication" in data:
                found.append(path.relative_to(site).as_posix())
    return found


def test_no_calendar_in_the_public_site_unless_published(hub: Path, tmp_path: Path) -> None:
    assert calendar_traces(hub / "site") == []
    # with calendar.publish, the same search finds it
    project = copy_hub(tmp_path / "social")
    edit(project / "site.yml", "calendar:\n", "calendar:\n  publish: true\n")
    assert build(project).exit_code == 0
    traces = set(calendar_traces(project / "site"))
    assert {"calendar/calendar.ics", "calendar/calendar.html"} <= traces
    public = (project / "site" / "calendar" / "calendar.ics").read_bytes()
    assert public == (project / "social" / "calendar.ics").read_bytes()
    assert len(icalendar.Calendar.from_ical(public).walk("VEVENT")) == 49


def test_calendar_files_are_kept_while_the_plan_is_the_same(tmp_path: Path) -> None:
    project = copy_hub(tmp_path / "social")
    assert build(project).exit_code == 0
    site, social = syndicate_project(project, BuildRequest(now=NOW), write=False)
    theme = load_theme(site.config.theme, site.config.root)
    assert all(not f.key for f in calendar_files(site, social.plan, theme))  # no previous output: no keys
    made = list(calendar_files(site, social.plan, theme, lambda path, key: False))
    assert [f.path for f in made] == ["calendar.ics", "calendar.csv", "calendar.json", "calendar.html"]
    assert all(f.data == (project / "social" / f.path).read_bytes() for f in made)
    keys = {f.path: f.key for f in made}
    again = list(calendar_files(site, social.plan, theme, lambda path, key: keys.get(path) == key))
    assert all(f.reuse and f.data is None for f in again)
    moved = dataclasses.replace(social.plan, events=(
        dataclasses.replace(social.plan.events[0], at=social.plan.events[0].at + dt.timedelta(hours=1)),
        *social.plan.events[1:]))
    remade = list(calendar_files(site, moved, theme, lambda path, key: keys.get(path) == key))
    assert not any(f.reuse for f in remade) and remade[0].data != made[0].data
