"""Tags and categories grouped under terms (cmhub/content/taxonomy.py): spellings that share a slug are one
term, named by its most frequent spelling, its articles in their order, each once."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from cmhub.content.model import Article
from cmhub.content.taxonomy import group_terms, term_slug

_SPELLINGS = ["Facebook", "facebook", "FACEBOOK", "Réseaux sociaux", "reseaux sociaux", "veille", "Veille",
              "modération", "événements", "x", "X", "!!!"]


def _article(number: int, tags: tuple[str, ...] = (), categories: tuple[str, ...] = ()) -> Article:
    return Article(source=f"content/a{number}.md", title=f"Article {number}", slug=f"a{number}", path=f"a{number}/",
                   date=dt.datetime(2026, 3, 1, tzinfo=dt.UTC) - dt.timedelta(days=number), html="", summary="",
                   summary_html=Markup(""), lang="fr", tags=tags, categories=categories)


def _plainly(articles: list[Article], field: str) -> list[tuple[str, str, str, list[str]]]:
    """What grouping means, said the plain way: one pass, each use counted, each article once per term."""
    members: dict[str, list[Article]] = defaultdict(list)
    uses: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        for name in getattr(article, field):
            slug = term_slug(name)
            uses[slug][name] += 1
            if article not in members[slug]:
                members[slug].append(article)
    return [(min(uses[slug], key=lambda n: (-uses[slug][n], n)), slug, f"{field}/{slug}/",
             [a.source for a in members[slug]]) for slug in sorted(members)]


def _terms(articles: list[Article], field: str) -> list[tuple[str, str, str, list[str]]]:
    return [(term.name, term.slug, term.path, [a.source for a in term.articles])
            for term in group_terms(articles, field)]


def test_spellings_of_one_slug_are_one_term_named_by_the_most_used() -> None:
    articles = [_article(1, ("Facebook", "veille")), _article(2, ("facebook",)), _article(3, ("facebook", "Veille")),
                _article(4, ("Facebook", "facebook"))]
    assert _terms(articles, "tags") == [
        ("facebook", "facebook", "tags/facebook/", [f"content/a{n}.md" for n in (1, 2, 3, 4)]),
        ("Veille", "veille", "tags/veille/", ["content/a1.md", "content/a3.md"]),  # a tie: the first by name
    ]


def test_an_article_naming_a_term_twice_is_listed_once_and_counted_twice() -> None:
    articles = [_article(1, ("Veille", "Veille")), _article(2, ("veille",))]
    assert _terms(articles, "tags") == [("Veille", "veille", "tags/veille/", ["content/a1.md", "content/a2.md"])]
    assert _terms(articles[::-1], "tags")[0][3] == ["content/a2.md", "content/a1.md"]  # in the articles' order


def test_categories_have_their_own_paths() -> None:
    assert _terms([_article(1, categories=("Études de cas",))], "categories") == [
        ("Études de cas", "etudes-de-cas", "categories/etudes-de-cas/", ["content/a1.md"])]


@given(st.lists(st.lists(st.sampled_from(_SPELLINGS), max_size=5), max_size=12))
def test_grouping_is_what_it_means_for_any_tags(tags: list[list[str]]) -> None:
    articles = [_article(number, tuple(names)) for number, names in enumerate(tags)]
    assert _terms(articles, "tags") == _plainly(articles, "tags")
