"""Tags and categories: grouping articles under terms whose spellings may vary."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from cmhub.content.model import Article
from cmhub.core.urls import category_path, slugify, tag_path

_PATHS = {"tags": tag_path, "categories": category_path}


@dataclass(frozen=True)
class Term:
    """One tag, category or author, with the articles under it (newest first)."""

    name: str
    slug: str
    path: str
    articles: tuple[Article, ...]


def term_slug(name: str) -> str:
    """Return the slug of a tag or category name ('Réseaux sociaux' -> 'reseaux-sociaux')."""
    return slugify(name) or "term"


def group_terms(articles: Sequence[Article], field: str) -> tuple[Term, ...]:
    """Group articles by the terms in ``field`` ('tags' or 'categories'), sorted by slug.

    Spellings that share a slug ('Facebook', 'facebook') are one term, named by its most
    frequent spelling (ties go to the alphabetically first). The terms of the same tuple of articles are
    worked out once (the pages and the feeds of a build group its published articles each).
    """
    if type(articles) is not tuple:  # a list may change: only a tuple is known by its identity
        return _grouped(articles, field)
    known = _GROUPED.get((id(articles), field))
    if known is not None and known[0] is articles:
        return known[1]
    terms = _grouped(articles, field)
    if len(_GROUPED) >= 8:  # the last few only: a process that builds again holds no older site
        _GROUPED.pop(next(iter(_GROUPED)))
    _GROUPED[(id(articles), field)] = (articles, terms)
    return terms


_GROUPED: dict[tuple[int, str], tuple[Sequence[Article], tuple[Term, ...]]] = {}
"""The terms of the tuples of articles grouped last, by the tuple's identity (held: its id is not reused)."""


def _grouped(articles: Sequence[Article], field: str) -> tuple[Term, ...]:
    members: dict[str, list[Article]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        for name in getattr(article, field):
            slug = term_slug(name)
            spellings[slug][name] += 1
            if not members[slug] or members[slug][-1] is not article:
                members[slug].append(article)
    terms = []
    for slug in sorted(members):
        name = sorted(spellings[slug].items(), key=lambda item: (-item[1], item[0]))[0][0]
        terms.append(Term(name, slug, _PATHS[field](slug), tuple(members[slug])))
    return tuple(terms)


def term_path(name: str, field: str) -> str:
    """Return the site path of the page of a tag or category (``field``), as it is spelled here."""
    return _PATHS[field](term_slug(name))
