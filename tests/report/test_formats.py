"""Each export format read from files in its real shape, with its quirks; unknown files named with what was expected."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmhub.core.errors import CmhubError
from cmhub.report.detect import read_export
from cmhub.report.model import Fact, Note
from tests.report import exports as ex

PARIS = ZoneInfo("Europe/Paris")
D = dt.date


def read(name: str, data: bytes):
    return read_export(name, data, PARIS)


def values(facts: tuple[Fact, ...], metric: str, **match: object) -> list[int]:
    return [f.value for f in facts if f.metric == metric and all(getattr(f, k) == v for k, v in match.items())]


def problem(name: str, data: bytes) -> str:
    with pytest.raises(CmhubError) as caught:
        read(name, data)
    return "\n".join(str(p) for p in caught.value.problems)


META_POST = {"Post ID": "1200_1", "Page ID": "1200", "Page name": "Voix du Quartier",
             "Title": "Réunion publique : l'ordre du jour", "Description": "",
             "Publish time": "11/03/2026 10:30", "Permalink": "https://www.facebook.com/1200/posts/1",
             "Post type": "Links", "Date": "Lifetime", "Views": "1,234", "Reach": "900",
             "Reactions, Comments and Shares": "30", "Reactions": "20", "Comments": "6", "Shares": "4",
             "Total clicks": "12"}


@pytest.mark.parametrize("header", [ex.META_32, ex.META_33, ex.META_34], ids=["32", "33", "34"])
def test_meta_posts_load_whatever_the_months_column_count(header: list[str]) -> None:
    read_file = read("meta.csv", ex.meta_posts(header, [META_POST]))
    assert read_file.format.startswith("Meta Business Suite post export")
    post = [f for f in read_file.facts if f.metric == "posts"][0]
    assert (post.network, post.key, post.start) == ("facebook", "1200_1", D(2026, 11, 3))
    assert post.posted == dt.datetime(2026, 11, 3, 10, 30, tzinfo=PARIS)
    assert values(read_file.facts, "impressions") == [1234]
    assert values(read_file.facts, "engagement") == [30]
    assert values(read_file.facts, "clicks") == [12]


def test_meta_posts_sum_the_parts_when_the_total_is_blank_and_instagram_is_told_by_its_permalink() -> None:
    post = {**META_POST, "Reactions, Comments and Shares": "", "Total clicks": "",
            "Permalink": "https://www.instagram.com/p/Cx1/"}
    read_file = read("insta.csv", ex.meta_posts(ex.META_33, [post]))
    assert values(read_file.facts, "engagement", network="instagram") == [20 + 6 + 4]
    assert values(read_file.facts, "clicks") == []


def test_meta_page_series_is_utf16_with_its_preamble_and_routed_by_its_metric_line() -> None:
    data = ex.meta_series("Facebook follows", [(D(2026, 11, 1), 3), (D(2026, 11, 2), 5)])
    assert data[:2] == b"\xff\xfe"
    read_file = read("Follows.csv", data)
    assert [(f.start, f.value, f.network) for f in read_file.facts if f.metric == "new_followers"] == [
        (D(2026, 11, 1), 3, "facebook"), (D(2026, 11, 2), 5, "facebook")]
    assert (read_file.first, read_file.last) == (D(2026, 11, 1), D(2026, 11, 2))


def test_meta_audience_blocks_are_skipped_safely_and_unused_series_are_noted() -> None:
    audience = read("Audience.csv", ex.meta_audience())
    assert audience.facts == () and audience.notes == (Note("audience"),)
    visits = read("Visits.csv", ex.meta_series("Facebook visits", [(D(2026, 11, 1), 40)]))
    assert visits.facts == () and visits.notes == (Note("series_unused", (("series", "Facebook visits"),)),)


def test_plausible_zip_dates_its_breakdowns_by_visitors_csv_in_both_layouts() -> None:
    old = "date,visitors,pageviews,bounce_rate,visit_duration\n2021-10-19,1,1,100,0\n2021-10-20,2,3,50,10\n"
    new = "date,visitors,pageviews,visits,views_per_visit,bounce_rate,visit_duration\n2026-11-01,7,9,8,1.1,40,90\n"
    for layout, first, last, total in ((old, D(2021, 10, 19), D(2021, 10, 20), 3), (new, D(2026, 11, 1),
                                                                                    D(2026, 11, 1), 7)):
        data = ex.plausible_zip({"visitors.csv": layout,
                                 "utm_campaigns.csv": "name,visitors,bounce_rate,visit_duration\nreunion,4,50,40\n",
                                 "countries.csv": "name,visitors\nFrance,9\n"})
        read_file = read("export.zip", data)
        assert sum(values(read_file.facts, "visits", by="")) == total
        campaign = [f for f in read_file.facts if f.by == "campaign"][0]
        assert (campaign.campaign, campaign.value, campaign.start, campaign.end) == ("reunion", 4, first, last)
        assert Note("no_pages", (("member", "pages.csv"),)) in read_file.notes


def test_plausible_weekly_and_monthly_rows_cover_their_week_and_month() -> None:
    weekly = "date,visitors,pageviews,visits,views_per_visit,bounce_rate,visit_duration\n" \
             "2021-09-20,1,1,1,1.0,100,0\n2021-09-27,0,0,0,0.0,0.0,\n2021-10-04,3,4,3,1.33,33,40\n"
    facts = read("w.zip", ex.plausible_zip({"visitors.csv": weekly})).facts
    assert [(f.start, f.end) for f in facts] == [(D(2021, 9, 20), D(2021, 9, 26)), (D(2021, 9, 27), D(2021, 10, 3)),
                                                 (D(2021, 10, 4), D(2021, 10, 10))]
    monthly = "date,visitors,pageviews,bounce_rate,visit_duration\n2021-05-01,1,1,100,0\n2021-06-01,0,0,,\n"
    facts = read("m.zip", ex.plausible_zip({"visitors.csv": monthly})).facts
    assert [(f.start, f.end) for f in facts] == [(D(2021, 5, 1), D(2021, 5, 31)), (D(2021, 6, 1), D(2021, 6, 30))]


def test_goatcounter_reads_both_versions_leaves_bots_and_events_out_and_dates_in_the_hub_zone() -> None:
    rows = [{"Path": "/reunion-publique/?utm_source=mastodon&utm_medium=social&utm_campaign=reunion-publique",
             "Session": "s1", "Date": "2026-10-31T23:30:00Z"},
            {"Path": "/", "Session": "s2", "Bot": "3", "Date": "2026-11-02T10:00:00Z"},
            {"Path": "share-click", "Event": "true", "Session": "s3", "Date": "2026-11-02T10:00:00Z"},
            {"Path": "/jardin-partage/", "Session": "s4", "Referrer": "linkedin", "Referrer scheme": "c",
             "Date": "2026-11-03T08:00:00Z"}]
    for version in (1, 2):
        read_file = read("gc.csv", ex.goatcounter(rows, version))
        assert read_file.format == f"GoatCounter CSV export, version {version}"
        hits = [(f.start, f.utm_source, f.campaign) for f in read_file.facts]
        assert hits == [(D(2026, 11, 1), "mastodon", "reunion-publique"), (D(2026, 11, 3), "linkedin", "")]


def test_goatcounter_unknown_version_is_refused() -> None:
    data = ex.goatcounter([{"Path": "/", "Date": "2026-11-01T00:00:00Z"}], version=3)
    assert "version 3 is not supported" in problem("gc.csv", data)


def test_x_new_export_reads_quoted_dates_with_commas_and_thousands() -> None:
    rows = [["2074000000000000001", ex.x_day(D(2026, 11, 3)), "Réunion, ordre du jour https://t.co/a1",
             "https://x.com/voix_quartier/status/2074000000000000001", "1,234", "12", "40", "0", "1", "2", "3", "4",
             "0", "5", "7", "0", "0"]]
    text = ex.csv_text(ex.X_NEW, rows)
    assert '"Tue, Nov 3, 2026"' in text
    read_file = read("account_analytics_content.csv", text.encode())
    assert values(read_file.facts, "impressions") == [1234]
    assert values(read_file.facts, "engagement") == [12 + 3 + 4]
    assert values(read_file.facts, "clicks") == [7]
    assert read_file.facts[0].start == D(2026, 11, 3) and read_file.facts[0].posted is None


def test_x_old_export_times_are_utc_and_land_on_the_hubs_day() -> None:
    data = ex.x_old([{"Tweet id": "9001", "Tweet permalink": "https://twitter.com/v/status/9001",
                      "Tweet text": "Fin de mois, \"enfin\"", "time": "2026-11-30 23:30 +0000", "impressions": "50",
                      "retweets": "1", "replies": "2", "likes": "3", "url clicks": "4"}])
    read_file = read("tweet_activity.csv", data)
    post = read_file.facts[0]
    assert post.start == D(2026, 12, 1)
    assert post.posted == dt.datetime(2026, 12, 1, 0, 30, tzinfo=PARIS)
    assert values(read_file.facts, "engagement") == [6] and values(read_file.facts, "clicks") == [4]


def test_x_overview_gives_followers_gained_net_of_unfollows() -> None:
    text = ex.csv_text(ex.X_OVERVIEW, [[ex.x_day(D(2024, 4, 26)), 100, 10, 2, 0, 0, 5, 2, 0, 0, 0, 0, 0, 0]])
    assert values(read("overview.csv", text.encode()).facts, "new_followers") == [3]


def test_linkedin_xlsx_with_its_header_on_the_second_row() -> None:
    data = ex.linkedin_xlsx({
        "All posts": ("Post performance for the selected dates", ex.LINKEDIN_POSTS, [
            ["Le jardin ouvre https://voix.example.org/jardin-partage/", "https://www.linkedin.com/feed/update/"
             "urn:li:activity:7300000000000000001", "Organic", "", "Voix", "11/11/2026", "", "", "All followers", 900,
             0, 0, 30, 0.033, 20, 3, 2, 1, 0.06, "Image"]]),
        "Metrics": ("Aggregated metrics for all posts by date", ex.LINKEDIN_METRICS, [
            ["11/11/2026", 600, 0, 600, 400, 20, 0, 20, 15, 0, 15, 2, 0, 2, 1, 0, 1, 0.06, 0, 0.06]]),
        "Location": ("Followers by location", ["Location", "Total followers"], [["Lyon", 40]]),
    })
    read_file = read("content.xlsx", data)
    assert values(read_file.facts, "impressions", by="post") == [900]
    assert values(read_file.facts, "engagement", by="post") == [20 + 3 + 2]
    assert [f.key for f in read_file.facts if f.metric == "posts"] == ["7300000000000000001"]
    assert values(read_file.facts, "impressions", by="") == [600]
    assert values(read_file.facts, "engagement", by="") == [15 + 2 + 1]
    assert read_file.notes == (Note("sheet_unused", (("sheet", "Location"),)),)


def test_linkedin_followers_workbook_gives_daily_followers_gained() -> None:
    data = ex.linkedin_xlsx({"New followers": ("New followers", ex.LINKEDIN_FOLLOWERS,
                                               [[dt.datetime(2026, 11, 1), 0, 2, 0, 2], ["11/02/2026", 1, 3, 0, 4]])})
    facts = read("followers.xlsx", data).facts
    assert [(f.start, f.value) for f in facts] == [(D(2026, 11, 1), 2), (D(2026, 11, 2), 4)]


def test_an_xlsx_that_is_not_linkedins_names_the_sheets_expected() -> None:
    data = ex.linkedin_xlsx({"Feuil1": ("budget", ["Poste", "Montant"], [["Salle", 120]])})
    message = problem("budget.xlsx", data)
    assert message.startswith("budget.xlsx: is an .xlsx workbook but not a LinkedIn Page export")
    assert "'All posts' with Post title, Post link, Created date, Impressions" in message


@pytest.mark.parametrize(("data", "expected"), [
    (b"Post id,Date,Impressions\n1,2026-11-01,3\n",
     "odd.csv:1: is not an export cmhub reads; closest: X analytics post export (account_analytics_content CSV, "
     "2024–), which needs the columns Post id, Date, Post Link, Impressions (missing: Post Link)"),
    (b"\xef\xbb\xbf\"Post ID\",\"Title\",\"Publish time\",\"Reach\"\n\"1\",\"t\",\"11/03/2026 10:30\",\"3\"\n",
     "odd.csv:1: is not an export cmhub reads; closest: Meta Business Suite post export (CSV, UTF-8 with BOM), "
     "which needs the columns Post ID, Permalink, Publish time, Post type (missing: Permalink, Post type)"),
    (b"name,visitors,bounce_rate,visit_duration\nreunion,4,50,40\n",
     "odd.csv:1: is a file of Plausible's CSV export: give the .zip Plausible exported, as it is"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "odd.csv: is an old Excel .xls workbook: open it and save it as .xlsx"),
    (b"PK\x03\x04broken", "odd.csv: damaged zip archive"),
    (b"\xff\xfe\x00\xd8", "odd.csv: is not a text export"),
    (b"", "odd.csv:1: is empty"),
])
def test_unknown_and_damaged_files_name_the_file_and_what_was_expected(data: bytes, expected: str) -> None:
    assert problem("odd.csv", data).startswith(expected)


def test_a_bad_number_is_reported_at_its_line() -> None:
    post = {**META_POST, "Views": "beaucoup"}
    data = ex.meta_posts(ex.META_33, [META_POST, post])
    assert problem("meta.csv", data) == "meta.csv:3: 'Views' must be a number, got 'beaucoup'"


def test_a_bad_date_is_reported_at_its_line() -> None:
    rows = [["1", "le 3 novembre", "t", "https://x.com/v/status/1", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]
    assert problem("x.csv", ex.csv_text(ex.X_NEW, rows).encode()) == \
        "x.csv:2: 'Date' must be a date like Tue, Jul 14, 2026, got 'le 3 novembre'"


HEADERS = [
    b"Post id,Date,Post text,Post Link,Impressions\n",
    b"2Path,Title,Event,UserAgent,Browser,System,Session,Bot,Referrer,Referrer scheme,Screen size,Location,"
    b"FirstVisit,Date\n",
    b'{"cmhub":"posts.lock","version":1}\n',
    b'{"cmhub":"interactions","version":1}\n',
    "sep=,\n\"Facebook follows\"\n\"Date\",\"Primary\"\n".encode("utf-16"),
    b"\xef\xbb\xbf\"Post ID\",\"Permalink\",\"Publish time\",\"Post type\"\n",
    b"PK\x03\x04",
    b"",
]


@settings(max_examples=300, deadline=None)
@given(head=st.sampled_from(HEADERS), tail=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_no_file_makes_a_reader_crash(head: bytes, tail: bytes) -> None:
    try:
        read("any.csv", head + tail)
    except CmhubError as exc:
        assert all(p.path.startswith("any.csv") for p in exc.problems)


CELLS = st.sampled_from(["", "0", "12", "1,234", "-3", "abc", "11/03/2026 10:30", "13/45/2026", "Tue, Nov 3, 2026",
                         "2026-11-03", "2026-11-03T08:15:00Z", "2026-11-03 08:15 +0000", "true", "https://x.com/a",
                         "/reunion/?utm_source=x", "\"", "null", "inf", "nan", "1e400",
                         "9" * 30]) | st.text(max_size=12)
TABLE_HEADERS = [ex.X_NEW, ex.X_OLD, ex.X_OVERVIEW, ex.META_33, ["2Path", "Title", "Event", "UserAgent", "Browser",
                 "System", "Session", "Bot", "Referrer", "Referrer scheme", "Screen size", "Location", "FirstVisit",
                 "Date"]]


@settings(max_examples=400, deadline=None)
@given(header=st.sampled_from(TABLE_HEADERS), rows=st.lists(st.lists(CELLS, max_size=24), max_size=4))
def test_no_row_makes_a_table_reader_crash(header: list[str], rows: list[list[str]]) -> None:
    try:
        read("rows.csv", ex.csv_text(header, rows).encode())
    except CmhubError as exc:
        assert all(p.path == "rows.csv" for p in exc.problems)


@settings(max_examples=200, deadline=None)
@given(days=st.lists(st.tuples(st.dates(), st.integers(-10, 10**6)), max_size=5), breakdown=st.lists(
    st.tuples(CELLS, CELLS), max_size=4))
def test_no_plausible_zip_makes_its_reader_crash(days: list[tuple[dt.date, int]],
                                                 breakdown: list[tuple[str, str]]) -> None:
    visitors = ex.csv_text(["date", "visitors"], sorted(days))
    try:
        read("p.zip", ex.plausible_zip({"visitors.csv": visitors,
                                        "utm_campaigns.csv": ex.csv_text(["name", "visitors"], breakdown)}))
    except CmhubError as exc:
        assert all(p.path.startswith("p.zip") for p in exc.problems)
