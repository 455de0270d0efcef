"""Whole builds in every kind of time zone, and calendar.ics read back by independent clients.

Issue #14.1: a hub with only `title` and `url` (time zone UTC by default) crashed in the calendar, as
did every zone without daylight-saving transitions. Issue #14.7: ical.js and vobject read summer
events of calendar.ics one hour late from its VTIMEZONE. Each calendar here is read by three
implementations (the Python icalendar, vobject, and Mozilla's ical.js run by node) and every start
must be the instant teasers.csv gives (and, for articles, their front-matter date).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.social.calendar.vtimezone import vtimezone

CLIENTS = Path(__file__).parents[1] / "clients"
NOW = "2026-01-02T00:00:00Z"
"""Before every article: all of them are scheduled, so every teaser is planned and exported."""
DATES = ("2026-01-15T09:00:00", "2026-07-01T09:00:00", "2026-10-25T02:30:00", "2026-03-29T12:00:00",
         "2026-03-29T03:30:00", "2026-10-25T03:30:00", "2026-03-08T03:30:00", "2026-10-04T03:30:00")
"""Winter, summer, the night Europe falls back (the first 02:30, in summer time), the day it springs
forward, then the first hours after a change in Europe, North America and Australia."""
ZONES = ("UTC", "Etc/UTC", "GMT", "Africa/Abidjan", "Atlantic/Reykjavik", "Asia/Kolkata",
         "America/St_Johns", "Australia/Sydney", "Europe/Paris", "America/New_York")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def make_hub(folder: Path, timezone: str | None, networks: bool = True) -> Path:
    (folder / "content").mkdir(parents=True)
    lines = ['title: "Hub"', "url: https://hub.example.org/"]
    if timezone is not None:
        lines.append(f"timezone: {timezone}")
    if networks:
        lines += ["networks:", '  mastodon: "@hub@example.social"',
                  "  linkedin: {handle: Hub, slots: [tue 09:00, thu 09:00], reminders: [7d]}"]
    (folder / "site.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for index, date in enumerate(DATES):
        (folder / "content" / f"a{index}.md").write_text(
            f'---\ntitle: "Article {index}"\ndate: {date}\n---\nHello.\n', encoding="utf-8")
    return folder


def expected_instants(project: Path, timezone: str) -> dict[tuple[str, str, str], dt.datetime]:
    """Every event's instant by (source, network, variant), from teasers.csv and the front matter."""
    zone = ZoneInfo(timezone)
    wanted = {(f"content/a{i}.md", "", ""): dt.datetime.fromisoformat(d).replace(tzinfo=zone).astimezone(dt.UTC)
              for i, d in enumerate(DATES)}
    document = json.loads((project / "social" / "teasers.json").read_text(encoding="utf-8"))
    variants = {(t["article"]["source"], t["network"], t["scheduled_utc"]): t["variant"]
                for t in document["teasers"]}
    with (project / "social" / "teasers.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            variant = variants[row["article"], row["network"], row["scheduled_utc"]]
            wanted[(row["article"], row["network"], variant)] = \
                dt.datetime.fromisoformat(row["scheduled_utc"].replace("Z", "+00:00"))
    return wanted


def uids(project: Path) -> dict[str, tuple[str, str, str]]:
    events = json.loads((project / "social" / "calendar.json").read_text(encoding="utf-8"))["events"]
    return {e["uid"]: (e["source"], e["network"], e["variant"]) for e in events}


def read_with_icalendar(ics: Path) -> dict[str, dt.datetime]:
    calendar = icalendar.Calendar.from_ical(ics.read_bytes())
    return {str(e["UID"]): e.decoded("DTSTART").astimezone(dt.UTC) for e in calendar.walk("VEVENT")}


def read_with_vobject(ics: Path) -> dict[str, dt.datetime]:
    calendar = vobject.readOne(ics.read_text(encoding="utf-8"))
    return {e.uid.value: e.dtstart.value.astimezone(dt.UTC) for e in calendar.vevent_list}


def read_with_icaljs(ics: Path) -> dict[str, dt.datetime]:
    node = shutil.which("node")
    if node is None or not (CLIENTS / "node_modules" / "ical.js").is_dir():
        reason = "ical.js needs node and `tests/clients/install`"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    out = subprocess.run([node, str(CLIENTS / "read_ics.mjs"), str(ics)], check=True, capture_output=True,
                         text=True, cwd=CLIENTS).stdout
    return {uid: dt.datetime.fromisoformat(value.replace("Z", "+00:00")) for uid, value in json.loads(out).items()}


READERS = {"icalendar": read_with_icalendar, "vobject": read_with_vobject, "ical.js": read_with_icaljs}


def test_the_smallest_hub_builds(tmp_path: Path) -> None:
    """site.yml with only title and url (UTC by default) and one article."""
    project = make_hub(tmp_path / "hub", timezone=None, networks=False)
    for extra in range(1, len(DATES)):
        (project / "content" / f"a{extra}.md").unlink()
    assert (project / "site.yml").read_text(encoding="utf-8").splitlines() == \
        ['title: "Hub"', "url: https://hub.example.org/"]
    result = run("build", "-C", str(project), "--now", "2026-01-20T00:00:00Z")
    assert result.exit_code == 0, result.output
    assert (project / "site" / "a0" / "index.html").is_file()
    calendar = icalendar.Calendar.from_ical((project / "social" / "calendar.ics").read_bytes())
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["UTC"]
    assert [e.decoded("DTSTART").astimezone(dt.UTC) for e in calendar.walk("VEVENT")] == \
        [dt.datetime(2026, 1, 15, 9, tzinfo=dt.UTC)]


@pytest.mark.parametrize("timezone", ZONES)
def test_every_kind_of_zone_builds_and_plans(tmp_path: Path, timezone: str) -> None:
    project = make_hub(tmp_path / "hub", timezone)
    result = run("build", "-C", str(project), "--now", NOW)
    assert result.exit_code == 0, result.output
    wanted = expected_instants(project, timezone)
    assert len(wanted) == len(DATES) * 4, "each article, its Mastodon teaser and two LinkedIn teasers"
    assert set(uids(project).values()) == set(wanted)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("timezone", ZONES)
def test_calendar_clients_read_the_instants_of_teasers_csv(tmp_path: Path, timezone: str, reader: str) -> None:
    project = make_hub(tmp_path / "hub", timezone)
    assert run("build", "-C", str(project), "--now", NOW).exit_code == 0
    wanted = expected_instants(project, timezone)
    read = READERS[reader](project / "social" / "calendar.ics")
    keys = uids(project)
    assert {keys[uid]: moment for uid, moment in read.items()} == wanted


@pytest.mark.parametrize("timezone", ZONES)
def test_each_observance_starts_at_the_instant_the_offset_changes(timezone: str) -> None:
    """Every DTSTART, read in its TZOFFSETFROM, is a change found by checking the offset every 15 minutes."""
    zone = ZoneInfo(timezone)
    first, last = dt.datetime(2025, 6, 1, tzinfo=dt.UTC), dt.datetime(2027, 2, 1, tzinfo=dt.UTC)
    steps = int((last - first) / dt.timedelta(minutes=15))
    offsets = [(first + i * dt.timedelta(minutes=15)) for i in range(steps + 1)]
    changes = [b for a, b in zip(offsets, offsets[1:], strict=False)
               if a.astimezone(zone).utcoffset() != b.astimezone(zone).utcoffset()]
    block = "\r\n".join(("BEGIN:VCALENDAR", *vtimezone(timezone, first, last), "END:VCALENDAR"))
    calendar = icalendar.Calendar.from_ical(block)
    onsets = []
    for observance in calendar.walk("VTIMEZONE")[0].subcomponents:
        start = observance.decoded("DTSTART")
        offset_from = observance.decoded("TZOFFSETFROM")
        onsets.append((start - offset_from).replace(tzinfo=dt.UTC))
        assert observance.decoded("TZOFFSETTO") == (onsets[-1] + dt.timedelta(hours=1)).astimezone(zone).utcoffset()
    assert onsets[0] <= first
    assert onsets[1:] == [c for c in changes if first < c], "every change, to the quarter hour here"
