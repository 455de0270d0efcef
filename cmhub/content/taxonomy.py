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
    # by spelling first (a hub has tens of thousands of tag uses and a few hundred spellings): each spelling is
    # made a slug once, and the few slugs spelled several ways have their articles merged afterwards
    by_name: dict[str, list[Article]] = {}
    repeated: Counter[str] = Counter()  # an article naming a spelling twice: listed once, counted twice
    for article in articles:
        for name in getattr(article, field):
            found = by_name.get(name)
            if found is None:
                by_name[name] = [article]
            elif found[-1] is not article:
                found.append(article)
            else:
                repeated[name] += 1
    spellings: dict[str, list[str]] = defaultdict(list)
    for name in by_name:
        spellings[term_slug(name)].append(name)
    order: dict[int, int] = {}
    terms = []
    for slug in sorted(spellings):
        names = spellings[slug]
        name = min(names, key=lambda n: (-len(by_name[n]) - repeated[n], n))
        if len(names) == 1:
            members = by_name[name]
        else:  # 'Facebook' and 'facebook': one term, its articles in their order, each once
            if not order:
                order = {id(article): index for index, article in enumerate(articles)}
            merged = {id(article): article for n in names for article in by_name[n]}
            members = [merged[key] for key in sorted(merged, key=order.__getitem__)]
        terms.append(Term(name, slug, _PATHS[field](slug), tuple(members)))
    return tuple(terms)


def term_path(name: str, field: str) -> str:
    """Return the site path of the page of a tag or category (``field``), as it is spelled here."""
    return _PATHS[field](term_slug(name))
