"""The front-matter contract, read from strings: typed values, dates in the site's zone, exact errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmhub.content.frontmatter import KEYS, parse_header, split_front_matter
from cmhub.content.model import NetworkOverride
from cmhub.core.errors import CmhubError
from cmhub.settings.config import parse_config

SOURCE = "content/b.md"
CONFIG = parse_config(
    "title: Voix du quartier\nurl: https://voix.example.org/\nlanguage: fr\ntimezone: Europe/Paris\n"
    "authors:\n  marie: Marie Curie\n  paul: Paul Langevin\n",
    Path("/srv/hub"),
)
PARIS = CONFIG.tz
UTC = dt.UTC

FULL = """\
---
title: "Lancement : la nouvelle saison"
date: 2026-12-01T09:00:00
updated: 2026-12-02
expires: "2027-01-01T00:00:00+00:00"
draft: true
slug: nouvelle-saison
summary: Tout ce qui change.
tags: [bénévoles, événements, bénévoles]
categories: Annonces
authors: [marie, paul]
image: images/saison.jpg
image_alt: Des bénévoles autour d'une table
lang: en
aliases: [/ancienne-saison/, /2026/saison/]
canonical: https://ailleurs.example.org/saison
syndicate:
  mastodon: "Nouvelle saison ! #bénévolat"
  x: false
  bluesky:
    text: La saison commence
    at: 2026-12-01T10:30:00
    first_comment: Le lien est ici
    image: images/carre.jpg
    thread: [Un, Deux]
extra:
  couleur: rouge
  places: 12
---
Bonjour tout le monde.
"""


def header(front: str, body: str = "Texte.\n"):
    """Return the header of an article whose front matter is ``front``."""
    return parse_header(f"---\n{front}---\n{body}", SOURCE, CONFIG)


def problems_of(text: str) -> list[str]:
    """Return every problem parse_header reports for a whole article text."""
    with pytest.raises(CmhubError) as caught:
        parse_header(text, SOURCE, CONFIG)
    return [str(p) for p in caught.value.problems]


def test_full_front_matter_gives_typed_values() -> None:
    h = parse_header(FULL, SOURCE, CONFIG)
    assert h.source == SOURCE
    assert h.title == "Lancement : la nouvelle saison"
    assert h.date == dt.datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)
    assert h.updated == dt.datetime(2026, 12, 2, 0, 0, tzinfo=PARIS)
    assert h.expires == dt.datetime(2027, 1, 1, 0, 0, tzinfo=UTC)
    assert h.draft is True
    assert h.slug == "nouvelle-saison"
    assert h.summary == "Tout ce qui change."
    assert h.tags == ("bénévoles", "événements")
    assert h.categories == ("Annonces",)
    assert h.authors == ("marie", "paul")
    assert (h.image, h.image_alt) == ("images/saison.jpg", "Des bénévoles autour d'une table")
    assert h.lang == "en"
    assert h.aliases == ("/ancienne-saison/", "/2026/saison/")
    assert h.canonical == "https://ailleurs.example.org/saison"
    assert dict(h.extra) == {"couleur": "rouge", "places": 12}
    assert h.warnings == ()
    assert h.body.strip() == "Bonjour tout le monde."


def test_full_front_matter_reads_each_syndicate_form() -> None:
    syndicate = parse_header(FULL, SOURCE, CONFIG).syndicate
    assert list(syndicate) == ["bluesky", "mastodon", "x"]
    assert syndicate["mastodon"] == NetworkOverride(text="Nouvelle saison ! #bénévolat", line=18)
    assert syndicate["x"] == NetworkOverride(enabled=False, line=19)
    assert syndicate["bluesky"] == NetworkOverride(
        text="La saison commence", at=dt.datetime(2026, 12, 1, 10, 30, tzinfo=PARIS),
        first_comment="Le lien est ici", image="images/carre.jpg", thread=("Un", "Deux"), line=20)


def test_full_front_matter_records_each_top_level_key_line() -> None:
    lines = parse_header(FULL, SOURCE, CONFIG).lines
    assert lines["title"] == 2
    assert lines["date"] == 3
    assert lines["syndicate"] == 17
    assert lines["extra"] == 26


def test_minimal_front_matter_takes_site_defaults() -> None:
    h = header("title: Deux\ndate: 2026-10-02\n")
    assert h.lang == "fr"
    assert (h.draft, h.slug, h.summary, h.image, h.image_alt, h.canonical) == (False, "", "", "", None, "")
    assert (h.tags, h.categories, h.authors, h.aliases) == ((), (), (), ())
    assert dict(h.syndicate) == {} and dict(h.extra) == {}
    assert h.updated is None and h.expires is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-01T09:00:00", dt.datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
        ("'2026-12-01T09:00:00'", dt.datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
        ("'2026-12-01T09:00'", dt.datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
        ("'2026-12-01 09:00'", dt.datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
        ("2026-12-01", dt.datetime(2026, 11, 30, 23, 0, tzinfo=UTC)),
        ("'2026-12-01'", dt.datetime(2026, 11, 30, 23, 0, tzinfo=UTC)),
        ("2026-07-01T09:00:00", dt.datetime(2026, 7, 1, 7, 0, tzinfo=UTC)),
        ("2026-12-01T09:00:00+05:00", dt.datetime(2026, 12, 1, 4, 0, tzinfo=UTC)),
        ("'2026-12-01T09:00:00-03:00'", dt.datetime(2026, 12, 1, 12, 0, tzinfo=UTC)),
        ("'2026-12-01T09:00:00Z'", dt.datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),
    ],
    ids=["yaml-timestamp-naive", "quoted-iso", "quoted-iso-minutes", "quoted-space-separator",
         "yaml-date-only", "quoted-date-only", "naive-in-summer-time", "yaml-timestamp-with-offset",
         "quoted-with-offset", "quoted-zulu"],
)
def test_date_is_read_as_the_right_instant(value: str, expected: dt.datetime) -> None:
    date = header(f"title: Deux\ndate: {value}\n").date
    assert date == expected
    assert date.utcoffset() is not None


@pytest.mark.parametrize("value", ["2026-12-01", "2026-12-01T09:00:00+05:00", "'2026-12-01T09:00:00Z'"],
                         ids=["date-only", "offset", "zulu"])
def test_date_is_expressed_in_the_site_timezone(value: str) -> None:
    date = header(f"title: Deux\ndate: {value}\n").date
    assert date.tzinfo == PARIS


def test_date_only_is_midnight_in_site_timezone() -> None:
    date = header("title: Deux\ndate: 2026-12-01\n").date
    assert (date.hour, date.minute, date.utcoffset()) == (0, 0, dt.timedelta(hours=1))


def test_explicit_offset_is_kept_as_the_same_instant() -> None:
    date = header("title: Deux\ndate: 2026-12-01T09:00:00+05:00\n").date
    assert date.astimezone(dt.timezone(dt.timedelta(hours=5))).hour == 9
    assert date.hour == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\ntitle: Un titre: avec deux-points\ndate: 2026-10-02\n---\nTexte.\n",
         None),  # PyYAML words it differently with and without libyaml: only our part is checked
        ("---\ntitle: Deux\ndate: mardi prochain\n---\nTexte.\n",
         ["content/b.md:3: 'date' must be an ISO 8601 date or datetime (2026-12-01 or 2026-12-01T09:00:00), "
          "got 'mardi prochain'"]),
        ("---\ntitle: Deux\ndate: '2026-02-30'\n---\nTexte.\n",
         ["content/b.md:3: 'date' must be an ISO 8601 date or datetime (2026-12-01 or 2026-12-01T09:00:00), "
          "got '2026-02-30'"]),
        ("---\ntitle: Deux\ndate: 2026-10-02\ntagz: [a]\n---\nTexte.\n",
         ["content/b.md:4: unknown key 'tagz' (did you mean 'tags'?)"]),
        ("---\ntitle: Deux\ndate: 2026-10-02\ncouleur: rouge\n---\nTexte.\n",
         ["content/b.md:4: unknown key 'couleur' (free-form values go under 'extra:')"]),
        ("---\ntitle: Deux\ndate: 2026-10-02\nslug: Mon Article\n---\nTexte.\n",
         ["content/b.md:4: 'slug' must be lowercase letters, digits and '-', got 'Mon Article' "
          "(did you mean 'mon-article'?)"]),
        ("---\ntitle: Deux\ndate: 2026-10-02\nauthors: [mari]\n---\nTexte.\n",
         ["content/b.md:4: unknown author 'mari' (did you mean 'marie'?); authors come from site.yml (marie, paul)"]),
        ("---\ntitle: Deux\ndate: 2026-10-02\nauthors:\n  - marie\n  - jean\n---\nTexte.\n",
         ["content/b.md:6: unknown author 'jean'; authors come from site.yml (marie, paul)"]),
        ("---\ntitle: Deux\ndate: 2026-10-02\nsyndicate:\n  mastodn: Bonjour\n---\nTexte.\n",
         ["content/b.md:5: unknown network 'mastodn' (did you mean 'mastodon'?); "
          "networks: x, mastodon, bluesky, threads, linkedin, facebook, instagram, pinterest"]),
        ("---\ntitle: Deux\ndate: 2026-10-02\nsyndicate:\n  x:\n    txt: Bonjour\n---\nTexte.\n",
         ["content/b.md:6: unknown key 'syndicate.x.txt' (did you mean 'text'?)"]),
        ("---\ntitle: Deux\ndate: 2026-10-02\nsyndicate:\n  x:\n    at: demain\n---\nTexte.\n",
         ["content/b.md:6: 'syndicate.x.at' must be an ISO 8601 date or datetime "
          "(2026-12-01 or 2026-12-01T09:00:00), got 'demain'"]),
        ("---\ntitle: Deux\ndate: 2026-10-02\nexpires: 2026-10-01\n---\nTexte.\n",
         ["content/b.md:4: 'expires' must be after 'date'"]),
        ("---\ntitle: Deux\ndate: 2026-10-02T10:00:00\nexpires: 2026-10-02T10:00:00\n---\nTexte.\n",
         ["content/b.md:4: 'expires' must be after 'date'"]),
        ("---\ntitle: Deux\ndate: 2026-10-02\ndraft: oui\n---\nTexte.\n",
         ["content/b.md:4: 'draft' must be true or false, got 'oui'"]),
        ("---\ntitle: Deux\ndate: 2026-10-02\nlang: français\n---\nTexte.\n",
         ["content/b.md:4: 'lang' must be a language code such as 'fr' or 'en', got 'français'"]),
        ("---\ntitle: Deux\ndate: 2026-10-02\naliases: [ancien/]\n---\nTexte.\n",
         ["content/b.md:4: 'aliases' entries must be site paths starting with '/', got 'ancien/'"]),
        ("---\ntitle: Deux\ndate: 2026-10-02\ncanonical: www.example.org\n---\nTexte.\n",
         ["content/b.md:4: 'canonical' must be an absolute http(s) URL, got 'www.example.org'"]),
        ("---\ntitle: Deux\ndate: 2026-10-02\nextra: [a]\n---\nTexte.\n",
         ["content/b.md:4: 'extra' must be a mapping of your own keys and values"]),
        ("---\ntitle: Deux\ndate: 2026-02-30\n---\nTexte.\n",
         ["content/b.md:3: invalid date: day is out of range for month"]),
        ("---\ntitle: Deux\ndate: 2026-10-02\nupdated: 2026-02-30T10:00:00\n---\nTexte.\n",
         ["content/b.md:4: invalid date: day is out of range for month"]),
        ("---\ntitle: Deux\ndate: 2026-10-02\ncanonical: 'https://[ailleurs/'\n---\nTexte.\n",
         ["content/b.md:4: 'canonical' must be an absolute http(s) URL, got 'https://[ailleurs/'"]),
        ("---\ntitle: Deux\ndate: 2026-10-02\ncanonical: 'https:///chemin'\n---\nTexte.\n",
         ["content/b.md:4: 'canonical' must be an absolute http(s) URL, got 'https:///chemin'"]),
        ("---\ndate: 2026-10-02\n---\nTexte.\n", ["content/b.md:1: missing required key 'title'"]),
        ("---\ntitle: Deux\n---\nTexte.\n",
         ["content/b.md:1: missing required key 'date' (the publication date, e.g. 2026-12-01T09:00:00)"]),
        ("---\n- title\n- date\n---\nTexte.\n",
         ["content/b.md:2: front matter must be a mapping of 'key: value' lines"]),
        ("Pas de front matter.\n",
         ["content/b.md:1: missing front matter: an article starts with a line '---', then 'title:' and "
          "'date:', then a closing '---'"]),
        ("---\ntitle: Deux\ndate: 2026-10-02\nTexte sans fin de front matter.\n",
         ["content/b.md:1: front matter is not closed: add a line '---' after it"]),
    ],
    ids=["invalid-yaml", "bad-date", "impossible-quoted-date", "unknown-key-with-hint", "unknown-key-to-extra",
         "bad-slug-with-hint", "unknown-author-with-hint", "unknown-author-in-block-list",
         "unknown-network-with-hint", "unknown-network-key", "bad-syndicate-at", "expires-before-date",
         "expires-equal-date", "draft-not-bool", "bad-lang", "relative-alias", "canonical-not-absolute",
         "extra-not-mapping", "impossible-unquoted-date", "impossible-updated-timestamp",
         "canonical-unclosed-bracket", "canonical-without-host", "missing-title", "missing-date",
         "front-matter-is-a-list", "missing-front-matter", "unclosed-front-matter"],
)
def test_mistake_gives_exact_message_and_line(text: str, expected: list[str] | None) -> None:
    problems = problems_of(text)
    if expected is None:
        (problem,) = problems
        assert problem.startswith("content/b.md:2: invalid YAML: ")
        assert problem.endswith(" (a value containing ': ' must be quoted)")
    else:
        assert problems == expected


def test_every_front_matter_problem_is_reported_at_once() -> None:
    text = "---\ntitle: Deux\ndate: 2026-10-02\ntagz: [a]\nslug: A B\nauthors: [mari]\n---\nTexte.\n"
    assert [p.split(":")[1] for p in problems_of(text)] == ["4", "5", "6"]


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("date: 2026-10-02\n", "missing required key 'title'"),
        ("title: Deux\n", "missing required key 'date' (the publication date, e.g. 2026-12-01T09:00:00)"),
        ("title: '  '\ndate: 2026-10-02\n", "'title' must be text, got '  '"),
    ],
    ids=["missing-title", "missing-date", "blank-title"],
)
def test_missing_required_key_is_an_error_in_the_article(front: str, expected: str) -> None:
    with pytest.raises(CmhubError) as caught:
        header(front)
    (problem,) = caught.value.problems
    assert (problem.path, problem.message, problem.severity) == (SOURCE, expected, "error")


@pytest.mark.parametrize(
    "front",
    ["image: images/a.jpg\n", "image: images/a.jpg\nimage_alt: '   '\n", "image: images/a.jpg\nimage_alt: ''\n"],
    ids=["no-alt", "blank-alt", "empty-alt"],
)
def test_image_without_alt_is_a_warning_not_an_error(front: str) -> None:
    h = header("title: Deux\ndate: 2026-10-02\n" + front)
    assert h.image == "images/a.jpg"
    assert [str(w) for w in h.warnings] == [
        "content/b.md:4: warning: 'image' has no 'image_alt': describe the picture for people who cannot see it"
    ]


def test_updated_before_date_is_a_warning() -> None:
    h = header("title: Deux\ndate: 2026-10-02\nupdated: 2026-10-01\n")
    assert [str(w) for w in h.warnings] == ["content/b.md:4: warning: 'updated' is before 'date'"]


def test_warnings_do_not_hide_errors() -> None:
    assert problems_of("---\ntitle: Deux\ndate: 2026-10-02\nimage: a.jpg\ndraft: 1\n---\n") == [
        "content/b.md:5: 'draft' must be true or false, got 1",
        "content/b.md:4: warning: 'image' has no 'image_alt': describe the picture for people who cannot see it",
    ]


def test_numbers_in_text_fields_become_text() -> None:
    h = header("title: 1984\ndate: 2026-10-02\ntags: [2026, asso]\n")
    assert (h.title, h.tags) == ("1984", ("2026", "asso"))


def test_single_word_list_fields_accept_a_string() -> None:
    h = header("title: Deux\ndate: 2026-10-02\ntags: bénévolat\nauthors: marie\n")
    assert (h.tags, h.authors) == (("bénévolat",), ("marie",))


@pytest.mark.parametrize(
    ("text", "front", "front_line", "body", "body_line"),
    [
        ("---\ntitle: A\n---\nCorps\n", "\ntitle: A\n", 1, "\nCorps\n", 3),
        ("---\ntitle: A\ndate: 2026-01-01\n---\n\nCorps\n", "\ntitle: A\ndate: 2026-01-01\n", 1, "\nCorps\n", 5),
        ("---\ntitle: A\n---\nUn\n---\nDeux\n", "\ntitle: A\n", 1, "\nUn\n---\nDeux\n", 3),
    ],
    ids=["simple", "blank-line-after", "horizontal-rule-in-body"],
)
def test_split_front_matter_returns_parts_and_lines(text: str, front: str, front_line: int, body: str,
                                                    body_line: int) -> None:
    assert split_front_matter(text, SOURCE) == (front, front_line, body, body_line)


# The YAML wording of PyYAML's own errors is not ours; these are the outcomes we accept.
_LINES = st.lists(
    st.one_of(
        st.tuples(st.sampled_from([*KEYS, "tagz", "extra.x", "1"]), st.text(max_size=30)).map(
            lambda kv: f"{kv[0]}: {kv[1]}"),
        st.tuples(st.sampled_from(KEYS), st.text(max_size=20)).map(lambda kv: f"{kv[0]}: '{kv[1]}'"),
        st.sampled_from(["syndicate:", "  x: false", "  mastodon:", "    at: 2026-01-01", "    thread: [a]",
                         "extra:", "  a: 1", "- item", "  - nested", "date: 2026-10-02", "title: T"]),
        st.text(max_size=30),
    ),
    max_size=12,
)
ARTICLES = st.one_of(
    st.text(),
    st.builds(lambda front, body: "---\n" + front + "\n---\n" + body, st.text(), st.text()),
    st.builds(lambda lines, body: "---\n" + "\n".join(lines) + "\n---\n" + body, _LINES, st.text(max_size=50)),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ARTICLES)
def test_parse_header_never_crashes(text: str) -> None:
    try:
        parse_header(text, SOURCE, CONFIG)
    except CmhubError as exc:
        assert exc.problems
        assert all(p.path == SOURCE and (p.line is None or p.line >= 1) for p in exc.problems)


@settings(max_examples=200, deadline=None)
@given(ARTICLES)
def test_split_front_matter_never_crashes(text: str) -> None:
    try:
        front, front_line, body, body_line = split_front_matter(text, SOURCE)
    except CmhubError as exc:
        assert [p.line for p in exc.problems] == [1]
    else:
        assert front in text and text.endswith(body)
        assert 1 <= front_line <= body_line


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("date: '9999-12-31T23:00:00-05:00'\n",
         "content/b.md:3: 'date' is out of the range of dates cmhub can handle, got '9999-12-31T23:00:00-05:00'"),
        ("date: 2026-10-02\nupdated: '0001-01-01T00:00:00+05:00'\n",
         "content/b.md:4: 'updated' is out of the range of dates cmhub can handle, got '0001-01-01T00:00:00+05:00'"),
        ("date: 2026-10-02\nsyndicate:\n  x:\n    at: 9999-12-31T23:00:00-05:00\n",
         "content/b.md:6: 'syndicate.x.at' is out of the range of dates cmhub can handle"),
    ],
    ids=["date-after-year-9999-in-paris", "updated-before-year-1-in-paris", "syndicate-at-after-year-9999"],
)
def test_date_out_of_range_in_site_timezone_is_a_user_error(front: str, expected: str) -> None:
    assert problems_of(f"---\ntitle: Deux\n{front}---\nTexte.\n") == [expected]


def test_unquoted_date_out_of_range_is_shown_as_written() -> None:
    assert problems_of("---\ntitle: Deux\ndate: 9999-12-31T23:00:00-05:00\n---\nTexte.\n") == [
        "content/b.md:3: 'date' is out of the range of dates cmhub can handle, got '9999-12-31T23:00:00-05:00'"
    ]


def test_text_values_that_yaml_reads_as_dates_stay_as_written() -> None:
    h = header("title: 2026-01-01\ndate: 2026-10-02\ntags: [2026-01-01, 2026-1-2]\nslug: 2026-01-01\n")
    assert (h.title, h.tags, h.slug) == ("2026-01-01", ("2026-01-01", "2026-1-2"), "2026-01-01")


def test_self_referencing_alias_is_a_user_error_not_a_crash() -> None:
    # a value that holds itself cannot be written out (cache, templates walking 'extra'): refused at its line
    assert problems_of("---\ntitle: Deux\ndate: 2026-10-02\nextra: &e {a: *e}\ntagz: [a]\n---\n") == [
        "content/b.md:4: a YAML alias ('*name') is used inside the value it names, which never ends; "
        "write the value out"
    ]


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("tags: {a: 1}\n", "content/b.md:4: 'tags' must be a list such as [a, b], got {'a': 1}"),
        ("categories: [Annonces, null]\n", "content/b.md:4: 'categories' items must be non-empty text, got None"),
        ("summary: [Un, Deux]\n", "content/b.md:4: 'summary' must be text, got ['Un', 'Deux']"),
    ],
    ids=["tags-mapping", "category-null", "summary-list"],
)
def test_bad_summary_tags_or_categories_raise(front: str, expected: str) -> None:
    assert problems_of(f"---\ntitle: Deux\ndate: 2026-10-02\n{front}---\nTexte.\n") == [expected]


def test_a_returned_header_carries_warnings_only() -> None:
    h = header("title: Deux\ndate: 2026-10-02\nimage: a.jpg\nupdated: 2026-10-01\n")
    assert [w.severity for w in h.warnings] == ["warning", "warning"]


def test_a_comma_separated_string_is_read_as_a_list() -> None:
    header = parse_header("---\ntitle: Deux\ndate: 2026-10-02\ntags: facebook, veille , modération\n"
                          "categories: Métier\n---\nTexte.\n", SOURCE, CONFIG)
    assert header.tags == ("facebook", "veille", "modération")
    assert header.categories == ("Métier",)
