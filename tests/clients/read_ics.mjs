// Reads an iCalendar file with Mozilla's ical.js (as Thunderbird does) and prints, as JSON,
// each event's UID with its start as an instant in UTC, worked out from the file's own VTIMEZONE.
// Usage: node tests/clients/read_ics.mjs calendar.ics
import fs from "node:fs";
import ICAL from "ical.js";

const root = new ICAL.Component(ICAL.parse(fs.readFileSync(process.argv[2], "utf8")));
for (const zone of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const starts = {};
for (const item of root.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(item);
  starts[event.uid] = event.startDate.toJSDate().toISOString().replace(".000Z", "Z");
}
process.stdout.write(JSON.stringify(starts));
