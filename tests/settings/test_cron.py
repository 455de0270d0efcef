"""GitHub's cron syntax: parsing, and the next instant a schedule fires, against a minute-by-minute scan."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmhub.settings.cron import parse_cron


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@pytest.mark.parametrize(("cron", "after", "fire"), [
    ("17 * * * *", "2026-12-04T08:30:00", "2026-12-04T09:17:00"),
    ("17 * * * *", "2026-12-04T08:17:00", "2026-12-04T08:17:00"),      # at or after
    ("17 * * * *", "2026-12-04T08:17:01", "2026-12-04T09:17:00"),      # a fire is its minute's start
    ("17 6 * * *", "2026-12-04T06:18:00", "2026-12-05T06:17:00"),      # the daily cron of the old workflow
    ("*/15 9-17 * * MON-FRI", "2026-12-04T17:46:00", "2026-12-07T09:00:00"),  # Fri evening -> Mon
    ("0 12 1,15 * *", "2026-12-15T12:01:00", "2027-01-01T12:00:00"),
    ("0 0 29 2 *", "2026-03-01T00:00:00", "2028-02-29T00:00:00"),     # leap day
    ("0 0 13 * 5", "2026-12-01T00:00:00", "2026-12-04T00:00:00"),     # the 13th OR a Friday
    ("0 0 */2 * 5", "2026-12-01T00:00:00", "2026-12-11T00:00:00"),    # '*/2' counts as '*': odd day AND Friday
    ("5/20 * * * *", "2026-12-04T08:46:00", "2026-12-04T09:05:00"),   # 5, 25, 45
    ("0 0 * JAN,jul sun", "2026-12-04T00:00:00", "2027-01-03T00:00:00"),
    ("59 23 31 12 *", "2026-12-31T23:59:00", "2026-12-31T23:59:00"),
])
def test_next_fire(cron: str, after: str, fire: str) -> None:
    assert parse_cron(cron).next_fire(utc(after)) == utc(fire)


def test_instants_in_other_zones_are_read_as_the_same_instant() -> None:
    paris = dt.datetime.fromisoformat("2026-12-04T09:30:00+01:00")
    assert parse_cron("17 * * * *").next_fire(paris) == utc("2026-12-04T09:17:00")


def test_fires_lists_a_span() -> None:
    assert parse_cron("17 */6 * * *").fires(utc("2026-12-04T00:00:00"), utc("2026-12-04T12:17:00")) == \
        [utc("2026-12-04T00:17:00"), utc("2026-12-04T06:17:00")]


@pytest.mark.parametrize(("cron", "message"), [
    ("17 * * *", "'17 * * *' must have 5 fields (minute hour day-of-month month day-of-week), it has 4"),
    ("60 * * * *", "minute 60 is out of range 0-59"),
    ("* 24 * * *", "hour 24 is out of range 0-23"),
    ("* * 0 * *", "day of month 0 is out of range 1-31"),
    ("* * * 13 *", "month 13 is out of range 1-12"),
    ("* * * * 7", "day of week 7 is out of range 0-6"),
    ("* * * FOO *", "month 'FOO' is not a number (1-12 or JAN-DEC)"),
    ("* * * * LUN", "day of week 'LUN' is not a number (0-6 or SUN-SAT)"),
    ("*/0 * * * *", "minute step '0' must be a whole number above 0 (in '*/0')"),
    ("30-10 * * * *", "minute range '30-10' runs backwards"),
    ("0 0 31 2 *", "'0 0 31 2 *' never fires: no month of it has such a day"),
    ("@hourly", "'@hourly' must have 5 fields (minute hour day-of-month month day-of-week), it has 1"),
])
def test_mistakes_are_explained(cron: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_cron(cron)
    assert str(caught.value) == message


def field(low: int, high: int, names: tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    number = st.integers(low, high)
    value = number.map(str) | (st.sampled_from(names) if names else number.map(str))
    pair = st.tuples(number, number).map(sorted)
    item = st.one_of(
        value, st.just("*"), st.integers(1, high).map(lambda n: f"*/{n}"),
        pair.map(lambda p: f"{p[0]}-{p[1]}"),
        st.tuples(pair, st.integers(1, 10)).map(lambda p: f"{p[0][0]}-{p[0][1]}/{p[1]}"),
        st.tuples(number, st.integers(1, 10)).map(lambda p: f"{p[0]}/{p[1]}"))
    return st.lists(item, min_size=1, max_size=3).map(",".join)


EXPRESSIONS = st.tuples(
    field(0, 59), field(0, 23), field(1, 31), field(1, 12, ("JAN", "feb", "Jun", "DEC")),
    field(0, 6, ("SUN", "mon", "Fri"))).map(" ".join)
INSTANTS = st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 12, 31)).map(
    lambda d: d.replace(tzinfo=dt.UTC))


def fires_at(fields: list[str], moment: dt.datetime) -> bool:
    """An independent reading of the five fields (a second implementation, written from the docs)."""
    def allowed(text: str, value: int, low: int, high: int, names: dict[str, int]) -> bool:
        for item in text.split(","):
            base, _, step = item.partition("/")
            if base == "*":
                first, last = low, high
            elif "-" in base:
                first, last = (names[p.upper()] if p.upper() in names else int(p) for p in base.split("-"))
            else:
                first = names[base.upper()] if base.upper() in names else int(base)
                last = high if step else first
            if first <= value <= last and (value - first) % int(step or 1) == 0:
                return True
        return False

    months = {m: i for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), start=1)}
    days = {d: i for i, d in enumerate("SUN MON TUE WED THU FRI SAT".split())}
    minute, hour, dom, month, dow = fields
    day_ok = allowed(dom, moment.day, 1, 31, {})
    week_ok = allowed(dow, (moment.weekday() + 1) % 7, 0, 6, days)
    either = not dom.startswith("*") and not dow.startswith("*")
    days_ok = (day_ok or week_ok) if either else (day_ok and week_ok)
    return (allowed(minute, moment.minute, 0, 59, {}) and allowed(hour, moment.hour, 0, 23, {})
            and allowed(month, moment.month, 1, 12, months) and days_ok)


@settings(max_examples=150, deadline=None)
@given(EXPRESSIONS, INSTANTS)
def test_next_fire_is_the_first_matching_minute(text: str, start: dt.datetime) -> None:
    try:
        cron = parse_cron(text)
    except ValueError as exc:
        assert "never fires" in str(exc)
        return
    fire = cron.next_fire(start)
    fields = text.split()
    assert fire >= start and fire.second == 0 and fires_at(fields, fire)
    # no matching minute before it: every minute is checked, except on days the independent reading
    # refuses whatever the time (minute and hour '*')
    moment = start.replace(second=0, microsecond=0)
    if moment < start:
        moment += dt.timedelta(minutes=1)
    while moment < fire:
        if not fires_at(["*", "*", *fields[2:]], moment):
            moment = moment.replace(hour=0, minute=0) + dt.timedelta(days=1)
            continue
        assert not fires_at(fields, moment), (text, start, fire, moment)
        moment += dt.timedelta(minutes=1)


@given(st.text(max_size=40))
def test_any_text_is_read_or_refused_with_a_message(text: str) -> None:
    try:
        cron = parse_cron(text)
    except ValueError as exc:
        assert str(exc)
    else:
        assert cron.next_fire(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)).tzinfo is dt.UTC
