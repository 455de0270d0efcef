"""Meta's mojibake repaired exactly, and plain text written as Markdown that renders back to itself."""

from __future__ import annotations

import html
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cmhub.imports.mojibake import is_mangled_document, mangle, repair, repair_document
from cmhub.imports.textmd import count_words, hashtags, link_markdown, markdown_from_text, title_from_text
from cmhub.markdown.renderer import Renderer
from cmhub.markdown.targets import LinkContext

# any Unicode text but surrogates (which no UTF-8 file can hold)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)))


@given(TEXT)
@example("Fête de l'été à Paris, œuvre d'art 🎉 #a#b")
@example("Ã©")
def test_any_text_mangled_the_meta_way_comes_back_identical(text: str) -> None:
    assert repair(mangle(text)) == text
    assert repair_document({"title": mangle(text), "media": [{"title": mangle(text)}]}) == \
        {"title": text, "media": [{"title": text}]}


@given(TEXT)
def test_repair_changes_only_what_is_exactly_a_mangled_text(text: str) -> None:
    repaired = repair(text)
    assert repaired == text or mangle(repaired) == text


@given(TEXT.filter(lambda t: any(ch > "\xff" for ch in t)), TEXT)
def test_a_document_holding_correct_unicode_is_left_untouched(correct: str, other: str) -> None:
    document = {"title": correct, "media": [{"title": other, "uri": "media/posts/1.jpg"}]}
    assert not is_mangled_document(document)
    assert repair_document(document) == document


def test_correct_latin1_text_that_is_not_utf8_bytes_is_unchanged() -> None:
    for text in ("café", "Noël à Paris", "«ÉTÉ»", "ASCII only #tag", ""):
        assert repair(text) == text


MARKDOWN_ALPHABET = st.sampled_from(list("ab é🎉 \t\n#>-+*_`[]{}()!:|=~<&;/\\.1234567890xX") +
                                    ["&amp;", "&#12;", "<a>", "<!--", "http://x.org", "!!! ", "1. ", "```",
                                     "~~~", "    ", "---", "===", "[^1]", "{: .c}", "*[X]:", ": ", "| - |"])
_TAG = re.compile(r"<[^>]+>")
RENDERER = Renderer()


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


@settings(max_examples=400, deadline=None)
@given(st.lists(MARKDOWN_ALPHABET, max_size=40).map("".join))
@example("Fête de l'œuvre 🎉\n#a#b\n> cité\n- liste\n1. un\n!!! note\n: déf\n=====\n---\n~~~\n| a | b |\n|---|---|")
def test_plain_text_as_markdown_renders_back_to_the_same_text_in_paragraphs(text: str) -> None:
    body = markdown_from_text(text)
    rendered = RENDERER.render(body, LinkContext("", "/", {}, frozenset())).html
    assert set(re.findall(r"</?(\w+)", rendered)) <= {"p"}, (body, rendered)
    expected = " ".join(re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text).split())
    assert _plain(rendered) == expected, (body, rendered)


def test_a_caption_without_markdown_syntax_is_kept_byte_for_byte() -> None:
    caption = "Fête de l'été à Paris, l'œuvre du quartier 🎉\nMerci à tous ! #a#b #été"
    assert markdown_from_text(caption) == caption


def test_hashtags_are_split_once_each_outside_links() -> None:
    assert hashtags("Fête #a#b #A #été #2019 C# &#35; https://x.org/p#frag #œuvre_2") == ("a", "b", "été", "œuvre_2")


def test_words_leave_out_links_hashtags_and_mentions() -> None:
    assert count_words("L'été à Paris, aujourd'hui ! #a#b @asso https://x.org 🎉") == 4


def test_titles_come_from_the_first_line_without_hashtags() -> None:
    assert title_from_text("#hello\nFête de l'été 🎉 #a#b\nSuite") == "Fête de l'été 🎉"
    long = "Une très longue légende qui ne finit pas de raconter la journée au jardin partagé du quartier"
    assert title_from_text(long) == "Une très longue légende qui ne finit pas de raconter la journée au…"
    assert title_from_text("Court. " + long) == "Court. Une très longue légende qui ne finit pas de raconter la…"
    assert title_from_text("Nous étions deux cents au jardin partagé pour la fête de quartier. Merci à tous "
                           "les bénévoles") == "Nous étions deux cents au jardin partagé pour la fête de quartier."
    assert title_from_text("#a #b\nhttps://x.org") == ""


@settings(max_examples=200, deadline=None)
@given(st.lists(MARKDOWN_ALPHABET, min_size=1, max_size=12).map("".join).filter(lambda t: t.strip()))
@example("Rapport]: 2020")
@example("a\x02b\x03c")
def test_a_shared_link_shows_its_name_whatever_it_holds(name: str) -> None:
    rendered = RENDERER.render(link_markdown(name, "https://x.org/a (b)"), LinkContext("", "/", {}, frozenset())).html
    assert re.fullmatch(r'<p><a href="https://x.org/a%20%28b%29">.*</a></p>', rendered, re.DOTALL), rendered
    expected = " ".join(re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", name).split())
    assert _plain(rendered) == expected
