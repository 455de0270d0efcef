"""site.yml read from a string: defaults, normalised URL, and every mistake reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmhub.core.errors import CmhubError
from cmhub.settings.config import Author, FeedConfig, SiteConfig, parse_config

ROOT = Path("/srv/hub")
MINIMAL = "title: Mon hub\nurl: https://hub.example.org/\n"


def problems_of(text: str) -> list[str]:
    """Return the problems parse_config reports for text, as the user sees them."""
    with pytest.raises(CmhubError) as caught:
        parse_config(text, ROOT)
    return [str(p) for p in caught.value.problems]


def test_minimal_config_gets_documented_defaults() -> None:
    config = parse_config(MINIMAL, ROOT)
    assert config.title == "Mon hub"
    assert config.language == "en"
    assert config.timezone == "UTC"
    assert config.permalink == "/{slug}/"
    assert config.paginate == 10
    assert config.feeds == FeedConfig(entries=20, full_content=True)
    assert config.description == ""
    assert dict(config.authors) == {}


def test_default_folders_are_resolved_under_the_root(tmp_path: Path) -> None:
    config = parse_config(MINIMAL, tmp_path)
    assert config.root == tmp_path.resolve()
    assert config.output == tmp_path.resolve() / "site"
    assert config.content == tmp_path.resolve() / "content"
    assert config.theme == tmp_path.resolve() / "theme"


def test_every_setting_is_read() -> None:
    text = (
        "title: ' Voix du quartier '\n"
        "url: https://voix.example.org/\n"
        "description: Le hub des bénévoles\n"
        "language: fr_CA\n"
        "timezone: Europe/Paris\n"
        "permalink: /{year}/{month}/{slug}/\n"
        "paginate: 5\n"
        "output: public\n"
        "logo: images/logo.png\n"
        "feeds:\n"
        "  entries: 7\n"
        "  full_content: false\n"
    )
    config = parse_config(text, ROOT)
    assert config.title == "Voix du quartier"
    assert config.description == "Le hub des bénévoles"
    assert config.language == "fr-CA"
    assert config.timezone == "Europe/Paris"
    assert config.tz.key == "Europe/Paris"
    assert config.permalink == "/{year}/{month}/{slug}/"
    assert config.paginate == 5
    assert config.output == ROOT / "public"
    assert config.logo == "images/logo.png"
    assert config.feeds == FeedConfig(entries=7, full_content=False)


@pytest.mark.parametrize(
    ("url", "normalised", "base_path"),
    [
        ("https://hub.example.org", "https://hub.example.org/", "/"),
        ("https://hub.example.org/", "https://hub.example.org/", "/"),
        ("https://example.org/blog", "https://example.org/blog/", "/blog/"),
        ("http://example.org/asso/blog/", "http://example.org/asso/blog/", "/asso/blog/"),
    ],
    ids=["host-without-slash", "host-with-slash", "path-without-slash", "nested-path-http"],
)
def test_url_is_normalised_with_trailing_slash(url: str, normalised: str, base_path: str) -> None:
    config = parse_config(f"title: T\nurl: {url}\n", ROOT)
    assert config.url == normalised
    assert config.base_path == base_path


def test_config_is_frozen() -> None:
    config = parse_config(MINIMAL, ROOT)
    assert isinstance(config, SiteConfig)
    with pytest.raises(AttributeError):
        config.title = "Autre"  # type: ignore[misc]


def test_every_problem_is_reported_at_once() -> None:
    text = (
        "title: Mon hub\n"
        "url: https://hub.example.org/\n"
        "titel: Doublon\n"
        "timezone: Mars/Olympus\n"
        "paginat: 5\n"
        "permalink: /{yaer}/{slug}/\n"
    )
    assert problems_of(text) == [
        "site.yml:3: unknown key 'titel' (did you mean 'title'?)",
        "site.yml:5: unknown key 'paginat' (did you mean 'paginate'?)",
        "site.yml:4: 'timezone' must be an IANA time zone such as 'Europe/Paris', got 'Mars/Olympus'",
        "site.yml:6: 'permalink' has unknown field {yaer}; available: {slug}, {year}, {month}, {day}, {lang}",
    ]


def test_problems_are_errors_located_in_site_yml() -> None:
    with pytest.raises(CmhubError) as caught:
        parse_config(MINIMAL + "titel: x\n", ROOT, source="site.yml")
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.severity) == ("site.yml", 3, "error")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("url: https://hub.example.org/\n", ["site.yml:1: 'title' is required"]),
        ("title: Mon hub\n", ["site.yml:1: 'url' is required"]),
        ("", ["site.yml:1: 'title' is required", "site.yml:1: 'url' is required"]),
        ("title: ''\nurl: https://hub.example.org/\n", ["site.yml:1: 'title' must be a non-empty string, got ''"]),
        ("title: [a, b]\nurl: https://hub.example.org/\n",
         ["site.yml:1: 'title' must be a non-empty string, got ['a', 'b']"]),
    ],
    ids=["missing-title", "missing-url", "empty-file", "blank-title", "title-is-a-list"],
)
def test_title_and_url_are_required(text: str, expected: list[str]) -> None:
    assert problems_of(text) == expected


@pytest.mark.parametrize(
    "url",
    ["ftp://hub.example.org/", "hub.example.org", "https://", "https://hub.example.org/?page=1",
     "https://hub.example.org/#top", "/blog/"],
    ids=["ftp-scheme", "no-scheme", "no-host", "query", "fragment", "path-only"],
)
def test_bad_url_is_refused_with_an_example(url: str) -> None:
    assert problems_of(f"title: T\nurl: '{url}'\n") == [
        f"site.yml:2: 'url' must be an absolute http(s) base URL such as https://example.org/, got '{url}'"
    ]


@pytest.mark.parametrize("zone", ["Paris", "Europe/Pariss", "UTC+2", "../../etc/passwd"],
                         ids=["city-only", "typo", "offset", "path-traversal"])
def test_bad_timezone_is_refused(zone: str) -> None:
    assert problems_of(f"title: T\nurl: https://x.org/\n\ntimezone: '{zone}'\n") == [
        f"site.yml:4: 'timezone' must be an IANA time zone such as 'Europe/Paris', got '{zone}'"
    ]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("/{year}/{titre}/{slug}/",
         ["'permalink' has unknown field {titre}; available: {slug}, {year}, {month}, {day}, {lang}"]),
        ("/{year}/{month}/",
         ["'permalink' must contain {slug} so that every article has its own URL"]),
        ("/{title}/",
         ["'permalink' has unknown field {title}; available: {slug}, {year}, {month}, {day}, {lang}",
          "'permalink' must contain {slug} so that every article has its own URL"]),
        ("{slug}.html", ["'permalink' must start and end with '/', got '{slug}.html'"]),
    ],
    ids=["unknown-field", "no-slug", "unknown-field-and-no-slug", "no-slashes"],
)
def test_bad_permalink_is_refused(pattern: str, expected: list[str]) -> None:
    assert problems_of(f"title: T\nurl: https://x.org/\npermalink: '{pattern}'\n") == [
        f"site.yml:3: {message}" for message in expected
    ]


@pytest.mark.parametrize("pattern", ["/{slug}/", "/{lang}/{year}/{month}/{day}/{slug}/", "/blog/{slug}/"],
                         ids=["slug-only", "every-field", "fixed-prefix"])
def test_good_permalink_is_kept(pattern: str) -> None:
    assert parse_config(f"title: T\nurl: https://x.org/\npermalink: '{pattern}'\n", ROOT).permalink == pattern


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("paginate: 0\n", "site.yml:3: 'paginate' must be an integer >= 1, got 0"),
        ("paginate: true\n", "site.yml:3: 'paginate' must be an integer >= 1, got True"),
        ("paginate: dix\n", "site.yml:3: 'paginate' must be an integer >= 1, got 'dix'"),
        ("feeds:\n  entries: -1\n", "site.yml:4: 'feeds.entries' must be an integer >= 1, got -1"),
        ("feeds:\n  full_content: peut-être\n",
         "site.yml:4: 'feeds.full_content' must be true or false, got 'peut-être'"),
        ("feeds:\n  entrees: 5\n", "site.yml:4: unknown key 'feeds.entrees' (did you mean 'entries'?)"),
        ("feeds: 20\n", "site.yml:3: 'feeds' must be a mapping"),
        ("language: French\n", "site.yml:3: 'language' must be a language code such as 'fr' or 'en', got 'French'"),
    ],
    ids=["paginate-zero", "paginate-bool", "paginate-text", "feed-entries-negative", "full-content-not-bool",
         "feeds-unknown-key", "feeds-not-mapping", "language-name"],
)
def test_bad_setting_value_is_located(lines: str, expected: str) -> None:
    assert problems_of(MINIMAL + lines) == [expected]


def test_authors_accept_a_name_or_a_mapping() -> None:
    text = MINIMAL + (
        "authors:\n"
        "  marie: Marie Curie\n"
        "  paul-l:\n"
        "    name: ' Paul Langevin '\n"
        "    url: https://paul.example.org/\n"
        "    avatar: images/paul.jpg\n"
        "    bio: Physicien\n"
        "    social:\n"
        "      x: '@paul'\n"
        "      mastodon: ' @paul@piaille.fr '\n"
    )
    authors = parse_config(text, ROOT).authors
    assert list(authors) == ["marie", "paul-l"]
    assert authors["marie"] == Author(id="marie", name="Marie Curie")
    paul = authors["paul-l"]
    assert (paul.id, paul.name, paul.url, paul.avatar, paul.bio) == (
        "paul-l", "Paul Langevin", "https://paul.example.org/", "images/paul.jpg", "Physicien")
    assert list(paul.social.items()) == [("mastodon", "@paul@piaille.fr"), ("x", "@paul")]


@pytest.mark.parametrize(
    ("authors", "expected"),
    [
        ("  Marie: Marie Curie\n", ["site.yml:4: author id 'Marie' must be lowercase letters, digits, '-' or '_'"]),
        ("  marie curie: Marie\n",
         ["site.yml:4: author id 'marie curie' must be lowercase letters, digits, '-' or '_'"]),
        ("  marie:\n    name: Marie\n    twitter: '@m'\n", ["site.yml:6: unknown key 'authors.marie.twitter'"]),
        ("  marie:\n    nme: Marie\n",
         ["site.yml:5: unknown key 'authors.marie.nme' (did you mean 'name'?)",
          "site.yml:4: 'authors.marie.name' is required"]),
        ("  marie:\n    name: Marie\n    social:\n      x: 42\n",
         ["site.yml:7: 'authors.marie.social.x' must be a handle string"]),
        ("  marie:\n    name: Marie\n    social:\n      x: '  '\n",
         ["site.yml:7: 'authors.marie.social.x' must be a handle string"]),
        ("  marie:\n    name: Marie\n    social: '@marie'\n", ["site.yml:6: 'authors.marie.social' must be a mapping"]),
        ("  marie: [Marie, Curie]\n", ["site.yml:4: 'authors.marie' must be a name or a mapping with 'name'"]),
    ],
    ids=["uppercase-id", "space-in-id", "unknown-author-key", "name-misspelt", "handle-not-text",
         "handle-blank", "social-not-mapping", "entry-is-list"],
)
def test_bad_author_is_located(authors: str, expected: list[str]) -> None:
    assert problems_of(MINIMAL + "authors:\n" + authors) == expected


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [
        ("title: T\nurl: [https://x.org/\n", 3, ""),
        ("title: Mon hub: le retour\nurl: https://x.org/\n", 1, " (a value containing ': ' must be quoted)"),
        ("title: T\nurl: https://x.org/\n  language: fr\n", 3, " (a value containing ': ' must be quoted)"),
        ("title: T\n\turl: https://x.org/\n", 2, ""),
    ],
    ids=["unclosed-list", "unquoted-colon", "bad-indent", "tab-indent"],
)
def test_yaml_syntax_error_gives_file_and_line(text: str, line: int, hint: str) -> None:
    # PyYAML's own wording differs between libyaml and the pure-Python loader: check ours only.
    (problem,) = problems_of(text)
    assert problem.startswith(f"site.yml:{line}: invalid YAML: ")
    assert problem.endswith(hint)
    assert len(problem) > len(f"site.yml:{line}: invalid YAML: ") + len(hint)


@pytest.mark.parametrize("text", ["- title\n- url\n", "juste du texte\n"], ids=["list", "scalar"])
def test_config_that_is_not_a_mapping_is_refused(text: str) -> None:
    assert problems_of(text) == ["site.yml:1: must be a mapping of settings (key: value)"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: T\nurl: 'https://[hub.example.org/'\n",
         "site.yml:2: 'url' must be an absolute http(s) base URL such as https://example.org/, "
         "got 'https://[hub.example.org/'"),
        ("title: T\nurl: 'https://:8080/'\n",
         "site.yml:2: 'url' must be an absolute http(s) base URL such as https://example.org/, "
         "got 'https://:8080/'"),
        (MINIMAL + "description: 2026-02-30\n", "site.yml:3: invalid date: day is out of range for month"),
    ],
    ids=["unclosed-ipv6-bracket", "port-without-host", "impossible-date"],
)
def test_malformed_value_is_a_user_error_not_a_traceback(text: str, expected: str) -> None:
    assert problems_of(text) == [expected]


def test_self_referencing_alias_is_a_user_error_not_a_crash() -> None:
    # a value that holds itself never ends once written out: refused at its line, like an alias bomb
    assert problems_of(MINIMAL + "feeds: &f {entries: 0, again: *f}\n") == [
        "site.yml:3: a YAML alias ('*name') is used inside the value it names, which never ends; write the value out",
    ]
