"""Teasers of the social test hub, built end to end and measured with the networks' own rules.

The hub is tests/sites/social (French, eight networks, long titles and summaries, emoji). Lengths
are measured with the independent counters of test_counting.py, never with cmhub's.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import regex
import yaml
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from cmhub.cli.verbs import main
from cmhub.commands.syndicate import syndicate_project
from cmhub.settings.request import BuildRequest
from cmhub.social.cuts import summary_cuts
from cmhub.social.exports import export_files, json_document
from tests.conftest import NOW, SITES, tree_digest
from tests.networks.test_counting import (
    grapheme_count,
    mastodon_count,
    threads_count,
    utf8_size,
    utf16_units,
    x_weighted,
)

BASE = "https://assoc.example.org/"
OLD = "content/archives-du-printemps.md"
CHARTE = "content/charte-de-moderation.md"
NO_INSTAGRAM = "content/pourquoi-nous-quittons-instagram.md"
GUIDE = "content/guide-calendrier-editorial.md"
HAND_WRITTEN = "content/newsletter-ou-reseaux.md"
DRAFT = "content/budget-outillage.md"
SCHEDULED = "content/programme-des-fetes.md"
SYNDICATED = (OLD, CHARTE, NO_INSTAGRAM, GUIDE, HAND_WRITTEN, SCHEDULED)
"""Published or scheduled articles: every one gets teasers (the draft does not)."""
NETWORKS = ("x", "mastodon", "bluesky", "threads", "linkedin", "facebook", "instagram", "pinterest")
LIMITS = {"x": 280, "mastodon": 500, "bluesky": 300, "threads": 500, "linkedin": 3000,
          "facebook": 63206, "instagram": 2200, "pinterest": 500}
NEUTRAL_HEADER = ["network", "account", "scheduled_utc", "scheduled_local", "timezone", "article",
                  "text", "link", "media", "alt_text", "first_comment", "hashtags"]
PUBLER_HEADER = ["Date", "Text", "Link(s)", "Media URL(s)", "Title", "Labels", "Alt text(s)",
                 "Comment(s)", "Pinterest board", "CTA", "Reminder", "Watermark"]
"""Publer's 12 positional columns; the first four are the ones Publer documents (reference §3)."""
UPCOMING = "2026-11-21T12:00:00Z"
"""NOW as teasers.json writes instants: the CSV files hold the planned teasers from then on."""
HASHTAG = regex.compile(r"(?<![\w#])#[\p{L}\p{N}_]+")


def slug_of(source: str) -> str:
    return Path(source).stem


def canonical(source: str) -> str:
    return f"{BASE}{slug_of(source)}/"


def front_matter(source: str) -> dict:
    """Return an article's front matter, read with PyYAML straight from the fixture file."""
    text = (SITES / "social" / source).read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def summary_of(source: str) -> str:
    """Return the summary the author wrote: 'summary:', else the intro before <!-- more -->."""
    data = front_matter(source)
    if "summary" in data:
        return data["summary"]
    body = (SITES / "social" / source).read_text(encoding="utf-8").split("---\n", 2)[2]
    intro = body.split("<!-- more -->")[0]
    return " ".join(line.strip() for line in intro.strip().splitlines())


def camel_hashtag(tag: str) -> str:
    """'réseaux sociaux' -> '#RéseauxSociaux', 'l’été' -> '#LÉté', '2026' -> '' (no letter)."""
    words = regex.findall(r"[\p{L}\p{N}_]+", tag)
    body = "".join(word[0].upper() + word[1:] for word in words)
    return "" if not body or body.isdigit() else "#" + body


def expected_hashtags(source: str) -> list[str]:
    """The article's tags as hashtags, in order, each spelling once whatever its case."""
    result: list[str] = []
    for tag in front_matter(source).get("tags", []):
        candidate = camel_hashtag(str(tag))
        if candidate and candidate.casefold() not in {h.casefold() for h in result}:
            result.append(candidate)
    return result


def build(project: Path, *extra: str, now: str = NOW) -> Result:
    return CliRunner().invoke(main, ["build", "-C", str(project), "--now", now, *extra])


def copy_hub(target: Path) -> Path:
    shutil.copytree(SITES / "social", target, ignore=shutil.ignore_patterns("expected"))
    return target


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The social hub built once at NOW (the tests that use it only read it)."""
    project = copy_hub(tmp_path_factory.mktemp("built") / "social")
    result = build(project)
    assert result.exit_code == 0, result.output
    return project


@pytest.fixture(scope="module")
def teasers(hub: Path) -> list[dict]:
    document = json.loads((hub / "social" / "teasers.json").read_text(encoding="utf-8"))
    assert document["version"] == 1 and document["site"] == BASE
    return document["teasers"]


@pytest.fixture(scope="module")
def generated(teasers: list[dict]) -> list[dict]:
    """The teasers cmhub wrote itself (not author-written)."""
    return [t for t in teasers if not t["written_by_author"]]


def key(teaser: dict) -> tuple[str, str, str]:
    return teaser["article"]["source"], teaser["network"], teaser["variant"]


def upcoming(teasers: list[dict], network: str | None = None) -> list[dict]:
    """The planned teasers still to come at NOW (what the CSV files hold)."""
    return [t for t in teasers if t["planned"] and t["scheduled_utc"] >= UPCOMING
            and network in (None, t["network"])]


def test_one_teaser_per_article_and_network_and_linkedin_reminders(teasers: list[dict]) -> None:
    expected = {(source, network, "launch") for source in SYNDICATED for network in NETWORKS}
    expected -= {(NO_INSTAGRAM, "instagram", "launch")}
    expected |= {(source, "linkedin", "reminder-1") for source in SYNDICATED}
    assert sorted(map(key, teasers)) == sorted(expected)


def measured(network: str, text: str) -> int:
    """A teaser's length as the network counts it (independent counters)."""
    return {"x": x_weighted, "mastodon": mastodon_count, "bluesky": grapheme_count,
            "threads": threads_count}.get(network, utf16_units)(text)


def test_every_teaser_fits_its_network_as_the_network_counts(teasers: list[dict]) -> None:
    for teaser in teasers:
        network, text = teaser["network"], teaser["text"]
        where = key(teaser)
        assert measured(network, text) <= LIMITS[network], where
        assert (teaser["length"], teaser["limit"]) == (measured(network, text), LIMITS[network])
        if network == "bluesky":
            assert utf8_size(text) <= 3000, where
        if network == "threads":
            assert len(re.findall(r"https?://", text)) <= 5, where
            assert len(HASHTAG.findall(text)) <= 1, where
        if network == "instagram":
            assert len(HASHTAG.findall(text)) <= 5, where


def test_pin_titles_fit_in_100_characters(hub: Path, teasers: list[dict]) -> None:
    # teasers.json has no pin title: Publer's 'Title' column carries it
    rows = read_csv(hub / "social" / "publer" / "pinterest.csv")[1:]
    assert [row[1] for row in rows] == [t["text"] for t in upcoming(teasers, "pinterest")]
    assert rows, "the scheduled article's pin is still to come"
    # the title as pages show it: French no-break spaces before ':' and inside « » (issue #15.6)
    article_title = front_matter(SCHEDULED)["title"].replace(" : ", "\u00a0: ").replace("« ", "«\u202f") \
        .replace(" »", "\u202f»")
    for row in rows:
        title = row[4]
        assert utf16_units(title) <= 100 < utf16_units(article_title)
        assert title.endswith("…") and article_title.startswith(title[:-1])
        assert article_title[len(title) - 1] == " ", "cut at a word boundary"


def test_links_are_the_canonical_url_with_utm(teasers: list[dict]) -> None:
    contents = {("instagram", "launch"): "bio", ("linkedin", "reminder-1"): "reminder-1"}
    for teaser in teasers:
        source, network, variant = key(teaser)
        link = teaser["link"]
        assert teaser["article"]["url"] == canonical(source)
        assert link.startswith(canonical(source) + "?")
        query = parse_qs(urlsplit(link).query, strict_parsing=True)
        content = {"utm_content": [contents[network, variant]]} if (network, variant) in contents \
            else {}
        assert query == {"utm_source": [network], "utm_medium": ["social"],
                         "utm_campaign": [slug_of(source)], **content}
        if network in ("x", "mastodon", "threads", "linkedin", "facebook", "bluesky"):
            assert link in teaser["text"]
            if network == "bluesky":
                # text for people carries the real link (issue #15.1); the API form shows it as
                # Bluesky's app does: host, then the path cut to 13 characters and '...'
                assert teaser["link_text"] == link
                assert teaser["api"]["link_text"] == "assoc.example.org" + f"/{slug_of(source)}/"[:13] + "..."
        else:
            # links are not clickable on Instagram and Pinterest: no URL in the text
            assert "http" not in teaser["text"] and teaser["link_text"] == ""


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.canonical: list[str] = []
        self.og_url: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "link" and values.get("rel") == "canonical":
            self.canonical.append(values.get("href", ""))
        if tag == "meta" and values.get("property") == "og:url":
            self.og_url.append(values.get("content", ""))


def site_files(hub: Path) -> Iterator[Path]:
    return (p for p in sorted((hub / "site").rglob("*")) if p.is_file())


def test_article_pages_keep_a_clean_canonical_url(hub: Path) -> None:
    for source in (OLD, CHARTE, NO_INSTAGRAM, GUIDE, HAND_WRITTEN):
        page = _Page()
        page.feed((hub / "site" / slug_of(source) / "index.html").read_text(encoding="utf-8"))
        assert page.canonical == [canonical(source)]
        assert page.og_url == [canonical(source)]
    for path in site_files(hub):
        assert b"utm_" not in path.read_bytes(), path


def test_drafts_get_no_teaser(hub: Path, teasers: list[dict]) -> None:
    assert DRAFT not in {t["article"]["source"] for t in teasers}
    assert not (hub / "social" / "articles" / "budget-outillage.md").exists()
    assert not (hub / "social" / "media" / "budget-outillage").exists()
    for path in (hub / "social").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"budget-outillage" not in data, path
            assert b"Brouillon confidentiel" not in data, path


def test_instagram_false_skips_only_instagram(hub: Path, teasers: list[dict]) -> None:
    networks = {t["network"] for t in teasers if t["article"]["source"] == NO_INSTAGRAM}
    assert networks == set(NETWORKS) - {"instagram"}
    rows = read_csv(hub / "social" / "publer" / "instagram.csv")[1:]
    assert all(row[5] != slug_of(NO_INSTAGRAM) for row in rows)
    assert not list((hub / "social" / "media" / slug_of(NO_INSTAGRAM)).glob("*1080x1350*"))


def test_hand_written_x_text_is_kept_exactly(teasers: list[dict]) -> None:
    [teaser] = [t for t in teasers if key(t) == (HAND_WRITTEN, "x", "launch")]
    link = f"{BASE}newsletter-ou-reseaux/?utm_source=x&utm_medium=social" \
           "&utm_campaign=newsletter-ou-reseaux"
    assert teaser["text"] == f"Texte écrit à la main {link}"
    assert teaser["written_by_author"] is True
    assert x_weighted(teaser["text"]) == teaser["length"] == 22 + 23
    others = [t for t in teasers if t["article"]["source"] == HAND_WRITTEN and t["network"] != "x"]
    assert len(others) == 8
    assert not any(t["written_by_author"] or "à la main" in t["text"] for t in others)


def summary_part(teaser: dict) -> tuple[str, str]:
    """Return (the paragraph of the teaser holding the summary, the author's summary)."""
    summary = summary_of(teaser["article"]["source"])
    found = summary_paragraphs(teaser, summary)
    assert len(found) == 1, (key(teaser), teaser["text"])
    return found[0], summary


def summary_paragraphs(teaser: dict, summary: str) -> list[str]:
    flat = " ".join(summary.split())
    return [p for p in teaser["text"].split("\n\n")
            if p.removesuffix("…").strip() and flat.startswith(" ".join(p.removesuffix("…").split()))]


@pytest.fixture(scope="module")
def summarised(generated: list[dict]) -> list[dict]:
    """The generated teasers that kept some of the summary.

    A Bluesky teaser carries its full tracked link (issue #15.1: it counts as written, so that the
    text fits however it is posted); with a long title, its summary may give way entirely. Only
    Bluesky teasers may lose it, and they keep the title and the link.
    """
    kept = []
    for teaser in generated:
        if summary_paragraphs(teaser, summary_of(teaser["article"]["source"])):
            kept.append(teaser)
        else:
            assert teaser["network"] == "bluesky" and teaser["link"] in teaser["text"], key(teaser)
            assert teaser["text"].startswith(teaser["article"]["title"][:20]), key(teaser)
    assert len(kept) >= len(generated) - 6
    return kept


def kept_end(kept: str, summary: str) -> int:
    """Return where ``kept`` ends in ``summary``, reading any whitespace as any whitespace."""
    pattern = r"\s+".join(re.escape(word) for word in kept.split())
    match = re.match(pattern, summary)
    assert match, (kept, summary)
    return match.end()


DROPPED_AT_CUT = "[,;:—–.!?…\u00a0\u202f-]*[ \n]"
"""What may follow the kept part of a summary: punctuation the ellipsis replaces, then a breaking
space (never a no-break space U+00A0 or U+202F)."""


def test_shortened_summaries_end_with_an_ellipsis_at_a_word_boundary(summarised: list[dict]) -> None:
    shortened_on = set()
    for teaser in summarised:
        part, summary = summary_part(teaser)
        if " ".join(part.split()) == " ".join(summary.split()):
            continue
        shortened_on.add(teaser["network"])
        assert part.endswith("…"), key(teaser)
        kept = part[:-1]
        assert kept == kept.rstrip() and kept, key(teaser)
        end = kept_end(kept, summary)
        # the cut falls on a breaking space (punctuation before it may give way to the '…')
        assert re.match(DROPPED_AT_CUT, summary[end:]), (key(teaser), summary[end - 9:end + 9])
    # the summaries are long enough that every network but Facebook (63,206) has to cut
    assert shortened_on == set(NETWORKS) - {"facebook"}


def flat(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_teasers_keep_the_authors_narrow_no_break_spaces(summarised: list[dict]) -> None:
    for teaser in summarised:
        part, summary = summary_part(teaser)
        kept = part.removesuffix("…")
        # French typography adds no-break spaces (issue #15.6); X's are U+00A0 (it weighs U+202F 2)
        assert flat(summary).startswith(flat(kept)), (key(teaser), kept[:80])
        for index, character in enumerate(summary[:len(kept)]):
            if character == "\u202f":
                assert kept[index] == ("\u00a0" if teaser["network"] == "x" else "\u202f"), key(teaser)
        assert ("\u202f" in teaser["text"]) == (teaser["network"] != "x" and "\u202f" in teaser["text"])


def test_no_ellipsis_right_after_a_full_stop(summarised: list[dict]) -> None:
    for teaser in summarised:
        part, _ = summary_part(teaser)
        assert not re.search(r"[.!?]…$", part), (key(teaser), part[-40:])


def test_summary_cuts_only_get_shorter() -> None:
    cuts = list(summary_cuts("Une phrase courte. Puis une seconde phrase, plus longue que tout."))
    assert all(len(a) > len(b) for a, b in zip(cuts, cuts[1:], strict=False)), cuts


def test_summary_cuts_keep_the_text_and_cut_at_breaking_spaces() -> None:
    summary = "Quoi\u202f? Oui, non."
    cuts = list(summary_cuts(summary))
    assert cuts[0] == summary and cuts[-1] == ""
    for cut in cuts[1:-1]:
        assert cut.endswith("…"), cut
        kept = cut.removesuffix("…")
        assert summary.startswith(kept), cut
        assert re.match(DROPPED_AT_CUT, summary[len(kept):]), cut


def test_hashtags_are_camel_case_unique_and_in_tag_order(generated: list[dict]) -> None:
    caps = {"x": 2, "mastodon": 4, "bluesky": 3, "threads": 1, "linkedin": 3, "facebook": 2,
            "instagram": 5, "pinterest": 0}
    for teaser in generated:
        tags = teaser["hashtags"]
        wanted = expected_hashtags(teaser["article"]["source"])
        assert tags == wanted[: len(tags)], key(teaser)
        assert len(tags) <= caps[teaser["network"]], key(teaser)
        assert HASHTAG.findall(teaser["text"]) == tags, key(teaser)
        for tag in tags:
            assert regex.fullmatch(r"#[\p{L}\p{N}]+", tag) and not tag[1:].isdigit(), tag
        assert len({t.casefold() for t in tags}) == len(tags), key(teaser)
    [instagram] = [t for t in generated if key(t) == (CHARTE, "instagram", "launch")]
    # eight tags: '2026' has no letter, 'facebook' repeats 'Facebook'; Instagram takes five
    assert instagram["hashtags"] == ["#RéseauxSociaux", "#LÉté", "#CommunityManagement",
                                     "#Facebook", "#Modération"]
    assert instagram["text"].endswith("\n\n" + " ".join(instagram["hashtags"]))


def test_teasers_csv_lists_the_planned_teasers_to_come(hub: Path, teasers: list[dict]) -> None:
    rows = read_csv(hub / "social" / "teasers.csv")
    assert rows[0] == NEUTRAL_HEADER
    coming = upcoming(teasers)
    assert len(coming) == 11  # LinkedIn 24/11 and 1/12 (newsletter), the scheduled article's 9
    assert [(r[0], r[2], r[5], r[6], r[7]) for r in rows[1:]] == \
        [(t["network"], t["scheduled_utc"], t["article"]["source"], t["text"], t["link"])
         for t in coming]
    assert all(len(r) == len(NEUTRAL_HEADER) and r[4] == "Europe/Paris" for r in rows[1:])


def test_publer_csvs_have_twelve_columns_and_local_dates(hub: Path, teasers: list[dict]) -> None:
    names = sorted(p.name for p in (hub / "social" / "publer").iterdir())
    assert names == sorted(f"{n}.csv" for n in NETWORKS)
    for network in NETWORKS:
        rows = read_csv(hub / "social" / "publer" / f"{network}.csv")
        assert rows[0] == PUBLER_HEADER
        coming = upcoming(teasers, network)
        assert len(rows) - 1 == len(coming) > 0, network
        for row, teaser in zip(rows[1:], coming, strict=True):
            assert len(row) == 12
            assert row[0] == teaser["scheduled_local"][:16].replace("T", " ")
            assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[0])
            assert (row[1], row[2]) == (teaser["text"], teaser["link"])


def test_same_input_gives_the_same_social_folder(hub: Path, tmp_path: Path) -> None:
    other = copy_hub(tmp_path / "elsewhere" / "hub")
    assert build(other).exit_code == 0
    first = tree_digest(other / "social")
    assert build(other).exit_code == 0
    assert tree_digest(other / "social") == first
    assert tree_digest(hub / "social") == first
    written = b"".join(p.read_bytes() for p in (other / "social").rglob("*") if p.is_file())
    assert str(tmp_path).encode() not in written


def test_the_site_has_no_teaser_and_nothing_scheduled(hub: Path, teasers: list[dict]) -> None:
    names = {p.relative_to(hub / "site").as_posix() for p in site_files(hub)}
    assert not {n for n in names if n.startswith(("media/", "publer/", "articles/"))}
    assert not {n for n in names if "teaser" in n or n.endswith((".ics", ".csv"))}
    assert "newsletter-ou-reseaux/index.html" in names  # the article pages are searched too
    markers = ["Texte écrit à la main", "Lien dans la bio", "Au cas où vous l’auriez manqué",
               "utm_source", "programme-des-fetes", "Programme des fêtes", "Réveillon",
               "permanences"]
    for path in site_files(hub):
        data = path.read_bytes().decode("utf-8", errors="replace").lower()
        for marker in markers:
            assert marker.lower() not in data, (path, marker)
    scheduled = [t for t in teasers if t["article"]["source"] == SCHEDULED]
    assert len(scheduled) == 9, "the scheduled article does get teasers, in social/ only"


# --- author-written texts over a limit -----------------------------------------------------------

def add_override(project: Path, source: str, yaml_lines: str) -> int:
    """Add a 'syndicate:' block to an article's front matter; return the line of its first key."""
    path = project / source
    head, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
    text = f"{head}\nsyndicate:\n{yaml_lines}\n---\n{body}"
    path.write_text(text, encoding="utf-8")
    return text.splitlines().index(yaml_lines.splitlines()[0]) + 1


@pytest.fixture
def built_once(tmp_path: Path) -> tuple[Path, dict[str, str], dict[str, str]]:
    """A fresh copy of the hub, built, with the digests of its site/ and social/."""
    project = copy_hub(tmp_path / "social")
    assert build(project).exit_code == 0
    return project, tree_digest(project / "site"), tree_digest(project / "social")


TRACKED_X = f"{BASE}charte-de-moderation/?utm_source=x&utm_medium=social" \
            "&utm_campaign=charte-de-moderation"
TRACKED_BLUESKY = f"{BASE}charte-de-moderation/?utm_source=bluesky&utm_medium=social" \
                  "&utm_campaign=charte-de-moderation"


def assert_refused(built: tuple[Path, dict[str, str], dict[str, str]], message: str) -> None:
    project, site, social = built
    result = build(project)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [message, "cmhub: 1 error; nothing was written"]
    assert "Traceback" not in result.output
    assert tree_digest(project / "site") == site
    assert tree_digest(project / "social") == social


def test_x_text_over_280_weighted_characters_is_refused(built_once) -> None:
    # "Règle n°1\u202f!" weighs 12 (its U+202F weighs 2): 21 of them and 20 spaces are 272,
    # " abc " adds 5 and the tracked link 23.
    text = " ".join(["Règle n°1\u202f!"] * 21) + " abc {url}"
    assert x_weighted(text.replace("{url}", TRACKED_X)) == 300
    line = add_override(built_once[0], CHARTE, f'  x: "{text}"')
    assert_refused(built_once, f"{CHARTE}:{line}: syndicate.x text is 300 weighted characters "
                   "(URL = 23, emoji = 2) on x; the limit is 280 "
                   "(author-written text is never cut: shorten it)")


def test_bluesky_text_over_300_graphemes_is_refused(built_once) -> None:
    text = "👩\u200d💻 " * 150 + "{url}"
    visible = text.replace("{url}", TRACKED_BLUESKY)  # the text as people and schedulers post it
    assert (grapheme_count(visible), len(visible), utf8_size(visible)) == (418, 718, 1918)
    line = add_override(built_once[0], CHARTE, f'  bluesky: "{text}"')
    assert_refused(built_once, f"{CHARTE}:{line}: syndicate.bluesky text is 418 graphemes on "
                   "bluesky; the limit is 300 (author-written text is never cut: shorten it)")


SIX_TAGS = "Notre charte en douze règles #Modération #Charte #Bénévolat #RéseauxSociaux #Asso #Été"


def test_instagram_text_with_six_hashtags_is_refused(built_once) -> None:
    assert len(HASHTAG.findall(SIX_TAGS)) == 6 and utf16_units(SIX_TAGS) < 2200
    line = add_override(built_once[0], CHARTE, f'  instagram: "{SIX_TAGS}"')
    assert_refused(built_once, f"{CHARTE}:{line}: syndicate.instagram text has 6 hashtags; "
                   "instagram allows 5")


def test_the_same_text_with_five_hashtags_is_accepted(built_once) -> None:
    project = built_once[0]
    text = SIX_TAGS.removesuffix(" #Été")
    add_override(project, CHARTE, f'  instagram: "{text}"')
    assert build(project).exit_code == 0
    document = json.loads((project / "social" / "teasers.json").read_text(encoding="utf-8"))
    [teaser] = [t for t in document["teasers"] if key(t) == (CHARTE, "instagram", "launch")]
    assert teaser["text"] == text and teaser["written_by_author"] is True


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)


@given(header=st.dictionaries(st.text(max_size=8).filter(lambda k: k != "items"), _JSON_VALUES, max_size=3),
       items=st.lists(st.dictionaries(st.text(max_size=8), _JSON_VALUES, max_size=5), max_size=4))
def test_teasers_json_is_written_as_json_dumps_would(header: dict, items: list) -> None:
    expected = json.dumps({**header, "items": items}, ensure_ascii=False, indent=2) + "\n"
    assert json_document(header, "items", iter(items)).decode() == expected


def test_teasers_json_is_kept_while_no_teaser_changes(hub: Path) -> None:
    site, social = syndicate_project(hub, BuildRequest(now=NOW), write=False)
    made = next(f for f in export_files(site, social.teasers, social.plan, lambda path, key: False)
                if f.path == "teasers.json")
    assert made.data == (hub / "social" / "teasers.json").read_bytes() and made.key
    keys = {f.path: f.key for f in export_files(site, social.teasers, social.plan, lambda path, key: False)}
    again = {f.path: f for f in export_files(site, social.teasers, social.plan,
                                              lambda path, key: keys.get(path) == key)}
    reviews = [path for path in again if path.startswith("articles/")]
    assert reviews and all(again[path].reuse and again[path].data is None for path in ["teasers.json", *reviews])
    retitled = dataclasses.replace(site, articles=tuple(
        dataclasses.replace(a, title=a.title + " (bis)") if a.source == social.teasers[0].source else a
        for a in site.articles))
    remade = next(f for f in export_files(retitled, social.teasers, social.plan, lambda path, key: key == made.key)
                  if f.path == "teasers.json")
    assert not remade.reuse and remade.key != made.key and b" (bis)" in (remade.data or b"")


def test_syndicate_after_a_build_keeps_social_as_it_is_without_decoding_the_bodies(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`cmhub syndicate` knows each article by what it was made from, as the build does: the same keys,
    so social/ is the build's, byte for byte, and no body's HTML is decoded (at 10,000 articles that
    decoding was a quarter of the command)."""
    from cmhub.markdown import bodies

    project = copy_hub(tmp_path / "social")
    assert build(project).exit_code == 0
    after_build = tree_digest(project / "social")
    manifest = project / ".cmhub-cache" / "social.manifest.json"
    def inodes() -> dict[str, int]:  # the folder's marker is written with every new tree
        return {p.relative_to(project).as_posix(): p.stat().st_ino for p in (project / "social").rglob("*")
                if p.is_file() and p.name != ".cmhub-output"}

    before = inodes()
    decoded = []
    fields = bodies._Html.fields
    monkeypatch.setattr(bodies._Html, "fields", lambda self: decoded.append(1) or fields(self))
    syndicate_project(project, BuildRequest(now=NOW))
    assert decoded == []
    assert tree_digest(project / "social") == after_build
    assert inodes() == before, "social/'s files were written again: syndicate's keys differ from the build's"
    assert manifest.is_file()
