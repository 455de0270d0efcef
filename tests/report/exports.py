"""Export files in the shapes the services write them (docs/report.md lists the sources of each shape).

Every file here is written by hand, byte by byte where it matters: Meta's byte-order mark and its
UTF-16 page series with their ``sep=,`` preamble, Plausible's CRLF CSV files zipped, X's quoted dates
with commas, GoatCounter's version digit glued to its first column, LinkedIn's description row above
the header. Nothing here calls cmhub.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence

META_33 = [
    "Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)", "Publish time", "Caption type",
    "Permalink", "Is crosspost", "Is share", "Post type", "Languages", "Custom labels", "Funded content status",
    "Data comment", "Date", "Views", "Reach", "Reactions, Comments and Shares", "Reactions", "Comments", "Shares",
    "Total clicks", "Link clicks", "Other Clicks", "Matched Audience Targeting Consumption (Photo Click)",
    "Negative feedback from users: Hide all", "Seconds viewed", "Average Seconds viewed",
    "Estimated earnings (USD)", "Ad impressions", "Ad CPM (USD)",
]
"""Meta's post export as most months have it (33 columns)."""
META_32 = [c for c in META_33 if c != "Negative feedback from users: Hide all"]
META_34 = [*META_33[:28], "Negative feedback from users: Hide", *META_33[28:]]


def _csv_cell(value: object) -> str:
    text = str(value)
    if any(ch in text for ch in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_text(header: Sequence[str], rows: Sequence[Sequence[object]], newline: str = "\n") -> str:
    """Return CSV text with quoting only where needed, as most exporters write it."""
    lines = [",".join(_csv_cell(c) for c in header)]
    lines += [",".join(_csv_cell(c) for c in row) for row in rows]
    return newline.join(lines) + newline


def meta_posts(header: Sequence[str], posts: Sequence[dict[str, object]]) -> bytes:
    """Return a Meta Business Suite post export: UTF-8 with a byte-order mark, every column quoted."""
    lines = [",".join(f'"{c}"' for c in header)]
    for post in posts:
        lines.append(",".join('"' + str(post.get(c, "")).replace('"', '""') + '"' for c in header))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def meta_series(metric: str, days: Sequence[tuple[dt.date, int]]) -> bytes:
    """Return a Meta page-level daily series: UTF-16 LE with BOM, 'sep=,', the metric name, then the days."""
    lines = ["sep=,", f'"{metric}"', '"Date","Primary"']
    lines += [f'"{day.isoformat()}T00:00:00","{value}"' for day, value in days]
    return ("\r\n".join(lines) + "\r\n").encode("utf-16")


def meta_audience() -> bytes:
    """Return an Audience.csv: stacked demographic blocks, UTF-16 with the 'sep=,' preamble."""
    lines = ["sep=,", '"Age & gender"', '"","18-24","25-34","35-44"', '"Women","4.1","12.5","9.8"',
             '"Men","3.2","10.1","7.7"', "", '"Top cities"', '"Lyon, France","Paris, France"', '"31.2","12.4"']
    return ("\r\n".join(lines) + "\r\n").encode("utf-16")


def plausible_zip(files: dict[str, str]) -> bytes:
    """Return a Plausible CSV export: a zip of CSV files with CRLF line ends."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text.replace("\r\n", "\n").replace("\n", "\r\n"))
    return out.getvalue()


def goatcounter(rows: Sequence[dict[str, object]], version: int = 2) -> bytes:
    """Return a GoatCounter CSV export, its format version glued to the first column's name."""
    if version == 1:
        header = ["1Path", "Title", "Event", "Bot", "Session", "FirstVisit", "Referrer", "Referrer scheme",
                  "Browser", "Screen size", "Location", "Date"]
    else:
        header = [f"{version}Path", "Title", "Event", "UserAgent", "Browser", "System", "Session", "Bot",
                  "Referrer", "Referrer scheme", "Screen size", "Location", "FirstVisit", "Date"]
    names = ["Path", *header[1:]]
    defaults = {"Title": "Voix", "Event": "false", "UserAgent": "", "Browser": "Firefox 132", "System": "Linux",
                "Bot": "0", "Referrer": "", "Referrer scheme": "", "Screen size": "1920,1080,1",
                "Location": "FR-ARA", "FirstVisit": "true", "Session": ""}
    body = [[row.get(n, defaults.get(n, "")) for n in names] for row in rows]
    return csv_text(header, body).encode("utf-8")


def linkedin_xlsx(sheets: dict[str, tuple[str, Sequence[str], Sequence[Sequence[object]]]]) -> bytes:
    """Return a LinkedIn Page export workbook: per sheet, a description row, the header, then the rows."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, (description, header, rows) in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append([description])
        sheet.append(list(header))
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


LINKEDIN_POSTS = ["Post title", "Post link", "Post type", "Campaign name", "Posted by", "Created date",
                  "Campaign start date", "Campaign end date", "Audience", "Impressions",
                  "Views (excluding off-site video views)", "Off-site views", "Clicks", "Click through rate (CTR)",
                  "Likes", "Comments", "Reposts", "Follows", "Engagement rate", "Content Type"]
LINKEDIN_METRICS = ["Date", "Impressions (organic)", "Impressions (sponsored)", "Impressions (total)",
                    "Unique impressions (organic)", "Clicks (organic)", "Clicks (sponsored)", "Clicks (total)",
                    "Reactions (organic)", "Reactions (sponsored)", "Reactions (total)", "Comments (organic)",
                    "Comments (sponsored)", "Comments (total)", "Reposts (organic)", "Reposts (sponsored)",
                    "Reposts (total)", "Engagement rate (organic)", "Engagement rate (sponsored)",
                    "Engagement rate (total)"]
LINKEDIN_FOLLOWERS = ["Date", "Sponsored followers", "Organic followers", "Auto-invited followers", "Total followers"]

X_NEW = ["Post id", "Date", "Post text", "Post Link", "Impressions", "Likes", "Engagements", "Bookmarks", "Shares",
         "New follows", "Replies", "Reposts", "Profile visits", "Detail Expands", "URL Clicks", "Hashtag Clicks",
         "Permalink Clicks"]
X_OLD = ["Tweet id", "Tweet permalink", "Tweet text", "time", "impressions", "engagements", "engagement rate",
         "retweets", "replies", "likes", "user profile clicks", "url clicks", "hashtag clicks", "detail expands",
         "permalink clicks", "app opens", "app installs", "follows", "email tweet", "dial phone", "media views",
         "media engagements"]
X_OVERVIEW = ["Date", "Impressions", "Engagements", "Likes", "Replies", "Reposts", "New follows", "Unfollows",
              "Bookmarks", "Shares", "Profile visits", "Create Post", "Video views", "Media views"]


def x_day(day: dt.date) -> str:
    """Return a day as X's new export writes it: 'Tue, Nov 3, 2026' (English, whatever the locale)."""
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{names[day.weekday()]}, {months[day.month - 1]} {day.day}, {day.year}"


def x_old(rows: Sequence[dict[str, object]]) -> bytes:
    """Return the old tweet activity export: every cell quoted, times in UTC with '+0000'."""
    lines = [",".join(f'"{c}"' for c in X_OLD)]
    for row in rows:
        lines.append(",".join('"' + str(row.get(c, "0")).replace('"', '""') + '"' for c in X_OLD))
    return ("\n".join(lines) + "\n").encode("utf-8")


def jsonl(lines: Sequence[str]) -> bytes:
    """Return a JSON Lines file as cmhub's ledgers are written: one line each, a final newline."""
    return ("\n".join(lines) + "\n").encode("utf-8")
