"""The calendar as files: .ics to subscribe to, CSV and JSON for schedulers, an HTML month view."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence

from cmhub.content.digests import site_digest
from cmhub.content.model import Site
from cmhub.core.dates import utc_iso
from cmhub.incremental.reuse import ReuseCheck, digest, reuse_or_make
from cmhub.output.files import OutputFile
from cmhub.social.calendar.goals import weeks_below_goal
from cmhub.social.calendar.vtimezone import vtimezone
from cmhub.social.planner import CalendarEvent, Plan
from cmhub.social.spreadsheet import csv_bytes
from cmhub.theming.loader import Theme
from cmhub.theming.words import strings

EVENT_LENGTH = dt.timedelta(minutes=15)
CSV_COLUMNS = ["scheduled_utc", "scheduled_local", "kind", "network", "variant", "title", "url", "text", "uid"]


CALENDAR_NAMES = ("calendar.ics", "calendar.csv", "calendar.json", "calendar.html")


def calendar_files(site: Site, plan: Plan, theme: Theme, reuse: ReuseCheck = None,
                   folder: str = "") -> Iterator[OutputFile]:
    """Yield calendar.ics, calendar.csv, calendar.json and calendar.html, under ``folder``: kept as the
    previous output holds them (``reuse``) when made from the same plan, site.yml and templates."""
    paths = [folder + name for name in CALENDAR_NAMES]

    def make() -> Iterator[OutputFile]:
        from cmhub.social.calendar.page import html

        made = (ics(site, plan), _csv(site, plan.events), _json(site, plan), html(site, plan, theme).encode("utf-8"))
        return (OutputFile(path, data) for path, data in zip(paths, made, strict=True))

    key = calendar_key(site, plan, theme) if reuse is not None else ""
    return reuse_or_make(reuse, paths, key, make)


def calendar_key(site: Site, plan: Plan, theme: Theme) -> str:
    """Return a digest of what the calendar files are made from: the plan, site.yml, the templates."""
    # the plan has a few events per article and network: each is digested plainly, field by field
    events = "\1".join("\0".join((event.uid, event.kind, event.at.isoformat(), event.title, event.source, event.url,
                                    event.stamp.isoformat(), event.network, event.variant, event.text, event.outcome,
                                    event.post_url)) for event in plan.events)
    return digest(site_digest(site), theme.template_digest(), plan.paused, events)


def ics(site: Site, plan: Plan) -> bytes:
    """Return the iCalendar feed: stable UIDs, DTSTAMP from content, time zone definitions.

    Events are written directly (icalendar takes ~1 ms an event), and so is the VTIMEZONE block
    (cmhub.social.calendar.vtimezone: one observance per change of offset, which every client reads alike); the
    tests read the result back with icalendar, vobject and ical.js.
    """
    config = site.config
    t = strings(config.language)
    description = t["calendar_paused"] if plan.paused else t["calendar_description"].format(site=config.title)
    name = f"{config.title} · {t['calendar']}"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//cmhub//publishing calendar//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"UID:{_text(f'calendar@{config.url}')}", f"NAME:{_text(name)}",
             f"X-WR-CALNAME:{_text(name)}", f"DESCRIPTION:{_text(description)}",
             f"X-WR-CALDESC:{_text(description)}", f"X-WR-TIMEZONE:{config.timezone}",
             "REFRESH-INTERVAL;VALUE=DURATION:PT6H", "X-PUBLISHED-TTL:PT6H"]
    if plan.events:
        lines += vtimezone(config.timezone, min(e.at for e in plan.events),
                           max(e.at for e in plan.events) + EVENT_LENGTH)
    for event in plan.events:
        start = event.at.astimezone(config.tz)
        end = (event.at.astimezone(dt.UTC) + EVENT_LENGTH).astimezone(config.tz)  # not wall-clock arithmetic
        lines += ["BEGIN:VEVENT", f"UID:{_text(event.uid)}",
                  f"DTSTAMP:{event.stamp.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
                  _moment("DTSTART", start, config.timezone), _moment("DTEND", end, config.timezone),
                  f"SUMMARY:{_text(_summary(event, t))}", f"DESCRIPTION:{_text(event.text or event.url)}",
                  f"URL:{event.url}", f"CATEGORIES:{_text(event.network or 'blog')}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return b"".join(_fold(line) for line in lines)


def _moment(name: str, local: dt.datetime, timezone: str) -> str:
    """Return a DTSTART/DTEND line for an instant (converted with astimezone, so its fold is right):
    local time with TZID, or UTC when the wall time is ambiguous.

    A wall time that occurs twice (the night clocks go back) is read as the first by some clients and
    the second by others (ical.js): such an instant is written in UTC, which every client reads alike.
    """
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return f"{name}:{local.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"
    return f"{name};TZID={timezone}:{local:%Y%m%dT%H%M%S}"


def _text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 section 3.3.11)."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> bytes:
    """Return a content line folded at 75 octets, never inside a UTF-8 sequence, ending in CRLF."""
    data = line.encode("utf-8")
    parts = []
    limit = 75
    while len(data) > limit:
        cut = limit
        while cut > 0 and (data[cut] & 0xC0) == 0x80:
            cut -= 1
        parts.append(data[:cut])
        data = data[cut:]
        limit = 74  # continuation lines start with a space
    parts.append(data)
    return b"\r\n ".join(parts) + b"\r\n"


def _summary(event: CalendarEvent, t) -> str:
    if event.kind == "article":
        return f"{t['calendar_article']} {event.title}"
    variant = "" if event.variant == "launch" else f" ({event.variant})"
    return f"[{event.network}] {event.title}{variant}"


def _csv(site: Site, events: Sequence[CalendarEvent]) -> bytes:
    # cells a spreadsheet would run as formulas are marked as text
    return csv_bytes(CSV_COLUMNS, ([utc_iso(e.at), e.at.astimezone(site.config.tz).isoformat(), e.kind, e.network,
                                    e.variant, e.title, e.url, e.text, e.uid] for e in events))


def _json(site: Site, plan: Plan) -> bytes:
    data = {
        "version": 1, "site": site.config.url, "timezone": site.config.timezone, "paused": plan.paused,
        "events": [{"uid": e.uid, "kind": e.kind, "network": e.network, "variant": e.variant,
                    "scheduled_utc": utc_iso(e.at), "scheduled_local": e.at.astimezone(site.config.tz).isoformat(),
                    "title": e.title, "url": e.url, "text": e.text, "source": e.source,
                    **({"outcome": e.outcome, "post_url": e.post_url,
                        "posted_utc": utc_iso(e.posted) if e.posted else ""} if e.outcome else {})}
                   for e in plan.events],
        "below_goal": [{"network": w.network, "week": w.week, "planned": w.planned, "goal": w.goal}
                       for w in weeks_below_goal(site, plan)],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
