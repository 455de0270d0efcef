"""URL rules (slugs, permalinks, output files) and instants (user dates, the build's one clock)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmhub.core.dates import build_now, parse_instant
from cmhub.core.urls import SLUG_RE, article_path, is_safe_relative, output_file, page_path, slug_from_filename, slugify

PARIS = ZoneInfo("Europe/Paris")
UTC = dt.UTC
UTC_ZONE = ZoneInfo("UTC")
EXPECTED = "an ISO 8601 date or datetime (2026-12-01 or 2026-12-01T09:00:00)"

# Slugs


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("L’été à Paris", "lete-a-paris"),
        ("L'été à Paris", "lete-a-paris"),
        ("Aujourdʼhui", "aujourdhui"),
        ("Mise en œuvre", "mise-en-oeuvre"),
        ("Cœur d’Œdipe", "coeur-doedipe"),
        ("Ça coûte cher, où êtes-vous ?", "ca-coute-cher-ou-etes-vous"),
        ("🎉 Fête de la musique 🎶", "fete-de-la-musique"),
        ("ÉLECTIONS 2026", "elections-2026"),
        ("  --Espaces   et--tirets--  ", "espaces-et-tirets"),
        ("🎉🎶", ""),
    ],
    ids=["curly-apostrophe", "straight-apostrophe", "modifier-apostrophe", "oe-ligature", "uppercase-ligature",
         "cedilla-and-punctuation", "emoji", "uppercase-and-digits", "extra-separators", "emoji-only"],
)
def test_slugify_makes_ascii_slug_from_french(text: str, slug: str) -> None:
    assert slugify(text) == slug


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_slugify_gives_empty_or_valid_slug(text: str) -> None:
    slug = slugify(text)
    assert slug == "" or SLUG_RE.match(slug)
    assert slugify(slug) == slug


@pytest.mark.parametrize(
    ("stem", "slug"),
    [
        ("2026-12-01-lancement-saison", "lancement-saison"),
        ("2026-12-01_L’été", "lete"),
        ("lancement", "lancement"),
        ("2026-12-01", "2026-12-01"),
        ("20261201-lancement", "20261201-lancement"),
        ("Programme 2026-12-01", "programme-2026-12-01"),
    ],
    ids=["dash-date-prefix", "underscore-date-prefix", "no-date", "date-only-keeps-date", "compact-date-kept",
         "date-not-at-start"],
)
def test_slug_from_filename_strips_leading_date(stem: str, slug: str) -> None:
    assert slug_from_filename(stem) == slug


# Permalinks and output files


@pytest.mark.parametrize(
    ("pattern", "date", "path"),
    [
        ("/{slug}/", dt.datetime(2026, 3, 5, 9, 0, tzinfo=PARIS), "lancement/"),
        ("/{year}/{month}/{slug}/", dt.datetime(2026, 3, 5, 9, 0, tzinfo=PARIS), "2026/03/lancement/"),
        ("/{year}/{month}/{day}/{slug}/", dt.datetime(2026, 12, 31, 23, 30, tzinfo=PARIS), "2026/12/31/lancement/"),
        ("/{lang}/{slug}/", dt.datetime(2026, 3, 5, tzinfo=PARIS), "fr/lancement/"),
        ("/{year}/{slug}/", dt.datetime(987, 1, 1, tzinfo=PARIS), "0987/lancement/"),
    ],
    ids=["slug-only", "year-month", "year-month-day", "lang", "padded-year"],
)
def test_article_path_fills_permalink_pattern(pattern: str, date: dt.datetime, path: str) -> None:
    assert article_path(pattern, "lancement", date, "fr") == path


def test_article_path_uses_the_date_as_given() -> None:
    late_in_paris = dt.datetime(2026, 12, 31, 23, 30, tzinfo=PARIS)
    assert article_path("/{year}/{slug}/", "x", late_in_paris, "fr") == "2026/x/"
    assert article_path("/{year}/{slug}/", "x", late_in_paris.astimezone(UTC), "fr") == "2026/x/"
    assert article_path("/{year}/{slug}/", "x", dt.datetime(2027, 1, 1, 0, 30, tzinfo=PARIS), "fr") == "2027/x/"


@pytest.mark.parametrize(
    ("site_path", "file"),
    [
        ("", "index.html"),
        ("lancement/", "lancement/index.html"),
        ("tags/facebook/page/2/", "tags/facebook/page/2/index.html"),
        ("feed.xml", "feed.xml"),
        ("images/logo.png", "images/logo.png"),
    ],
    ids=["home", "article", "paginated-tag", "feed", "asset"],
)
def test_output_file_serves_site_path(site_path: str, file: str) -> None:
    assert output_file(site_path) == file


@pytest.mark.parametrize(("page", "path"), [(1, "tags/x/"), (2, "tags/x/page/2/"), (10, "tags/x/page/10/")],
                         ids=["first", "second", "tenth"])
def test_page_path_numbers_later_pages(page: int, path: str) -> None:
    assert page_path("tags/x/", page) == path


@pytest.mark.parametrize(
    ("path", "safe"),
    [
        ("index.html", True),
        ("a/b/index.html", True),
        ("..a/b..c", True),
        ("", False),
        ("..", False),
        ("../site/index.html", False),
        ("a/../../b", False),
        ("a/..", False),
        ("/etc/passwd", False),
        ("a\\b", False),
        ("..\\..\\x", False),
    ],
    ids=["file", "nested", "dots-in-names", "empty", "parent", "leading-parent", "inner-parent",
         "trailing-parent", "absolute", "backslash", "windows-parent"],
)
def test_is_safe_relative(path: str, safe: bool) -> None:
    assert is_safe_relative(path) is safe


# Instants


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-01", dt.datetime(2026, 12, 1, tzinfo=PARIS)),
        ("2026-12-01T09:00", dt.datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)),
        ("2026-12-01 09:00:00", dt.datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)),
        (" 2026-12-01T09:00:00Z ", dt.datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),
        ("2026-12-01T09:00:00+05:00", dt.datetime(2026, 12, 1, 4, 0, tzinfo=UTC)),
        (dt.date(2026, 12, 1), dt.datetime(2026, 12, 1, tzinfo=PARIS)),
        (dt.datetime(2026, 12, 1, 9, 0), dt.datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)),
        (dt.datetime(2026, 12, 1, 9, 0, tzinfo=UTC), dt.datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),
    ],
    ids=["date-string", "naive-string", "space-separator", "zulu-with-spaces", "offset-string", "date-object",
         "naive-datetime", "aware-datetime"],
)
def test_parse_instant_reads_the_right_instant(value: object, expected: dt.datetime) -> None:
    moment = parse_instant(value, PARIS)
    assert moment == expected
    assert moment.utcoffset() is not None


def test_naive_instant_is_read_in_the_given_zone() -> None:
    assert parse_instant("2026-12-01T09:00", PARIS).astimezone(UTC) == dt.datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert parse_instant("2026-07-01T09:00", PARIS).astimezone(UTC) == dt.datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    assert parse_instant("2026-07-01T09:00", UTC_ZONE).astimezone(UTC) == dt.datetime(2026, 7, 1, 9, 0, tzinfo=UTC)


def test_explicit_offset_keeps_its_offset() -> None:
    moment = parse_instant("2026-12-01T09:00:00+05:00", PARIS)
    assert moment.utcoffset() == dt.timedelta(hours=5)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("mardi prochain", "'mardi prochain'"),
        ("01/12/2026", "'01/12/2026'"),
        ("2026-02-30", "'2026-02-30'"),
        ("", "''"),
        (20261201, "20261201"),
        (None, "None"),
        (True, "True"),
    ],
    ids=["words", "french-format", "impossible-day", "empty", "integer", "none", "bool"],
)
def test_parse_instant_refuses_non_dates_with_message(value: object, shown: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_instant(value, PARIS)
    assert str(caught.value) == f"must be {EXPECTED}, got {shown}"


# The build's clock


def test_now_option_wins_over_source_date_epoch() -> None:
    now = build_now("2026-11-21T12:00:00Z", PARIS, {"SOURCE_DATE_EPOCH": "0"})
    assert now == dt.datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def test_naive_now_option_is_read_in_site_zone() -> None:
    assert build_now("2026-11-21T12:00", PARIS, {}) == dt.datetime(2026, 11, 21, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("epoch", "expected"),
    [
        ("0", dt.datetime(1970, 1, 1, tzinfo=UTC)),
        ("1795262400", dt.datetime(2026, 11, 21, 12, 0, tzinfo=UTC)),
        (" 1795262400\n", dt.datetime(2026, 11, 21, 12, 0, tzinfo=UTC)),
    ],
    ids=["zero", "seconds", "surrounding-spaces"],
)
def test_source_date_epoch_wins_over_the_clock(epoch: str, expected: dt.datetime) -> None:
    now = build_now(None, PARIS, {"SOURCE_DATE_EPOCH": epoch})
    assert now == expected
    assert now.tzinfo == UTC


@pytest.mark.parametrize("environ", [{}, {"SOURCE_DATE_EPOCH": ""}, {"SOURCE_DATE_EPOCH": "   "}],
                         ids=["unset", "empty", "blank"])
def test_clock_is_used_without_option_or_epoch(environ: dict[str, str]) -> None:
    before = dt.datetime.now(UTC).replace(microsecond=0)
    now = build_now(None, PARIS, environ)
    after = dt.datetime.now(UTC)
    assert before <= now <= after
    assert now.microsecond == 0 and now.tzinfo == UTC


def test_empty_now_option_falls_back_to_source_date_epoch() -> None:
    assert build_now("", PARIS, {"SOURCE_DATE_EPOCH": "0"}) == dt.datetime(1970, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("epoch", ["hier", "1.5", "1795262400s", "99999999999999999999"],
                         ids=["word", "fraction", "unit-suffix", "overflow"])
def test_bad_source_date_epoch_is_refused(epoch: str) -> None:
    with pytest.raises(ValueError) as caught:
        build_now(None, PARIS, {"SOURCE_DATE_EPOCH": epoch})
    assert str(caught.value) == f"SOURCE_DATE_EPOCH must be a number of seconds, got {epoch!r}"


def test_bad_now_option_is_refused() -> None:
    with pytest.raises(ValueError) as caught:
        build_now("demain matin", PARIS, {"SOURCE_DATE_EPOCH": "0"})
    assert str(caught.value) == f"must be {EXPECTED}, got 'demain matin'"
