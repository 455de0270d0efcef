"""Translations: articles paired by ``translation_of``, their mistakes, and which members a page may link.

A translation names its original's slug; every translation of one original forms one group with it
(``Site.translations``). A page links the members of its group that are published at the build's clock,
so a scheduled, draft or expired translation is linked from nowhere until a build runs after its date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cmhub.content.model import Article, Site, original_of, slug_index
from cmhub.core.errors import Problem, did_you_mean, error

_PAGE = re.compile(r"page/\d+/")
_HOME_PAGES = ("", "search/", "tags/", "categories/", "authors/", "archive/")
"""The pages under a language's home that an article's URL could take (besides its list pages)."""


def translation_problems(articles: Sequence[Article], unread: int = 0, default: str = "") -> list[Problem]:
    """Return the mistakes of the articles' ``translation_of``, each at its line.

    A translation names an article that exists (the pair's other side), is in another language, is an
    original (not itself a translation), and has no other translation in the same language. ``unread``
    counts the article files that could not be read: the named one may be among them. Once the hub has
    translations, no article may take the URL of a language's home or search page (``default`` is the
    site's language, whose home is the root).
    """
    problems: list[Problem] = []
    taken: dict[tuple[str, str], list[Article]] = {}
    by_slug = slug_index(articles)
    slugs = sorted(by_slug)
    for article in sorted(articles, key=lambda a: a.source):
        wanted = article.translation_of
        if not wanted:
            continue
        line = article.lines.get("translation_of")
        named = original_of(by_slug, article)
        if not named:
            if wanted == article.slug:
                why = "which is this article's own slug; name the slug of the article it translates"
            else:
                why = ("but no article has that slug: the other side of the pair is missing"
                       + did_you_mean(wanted, [s for s in slugs if s != article.slug])
                       + (" or could not be read (see above)" if unread else ""))
            problems.append(error(article.source, line, f"'translation_of' names '{wanted}', {why}"))
            continue
        if len(named) > 1:
            problems.append(error(article.source, line, f"'translation_of' names '{wanted}', the slug of several "
                                  f"articles ({', '.join(a.source for a in named)}); give the original a "
                                  "slug of its own"))
            continue
        original = named[0]
        if original.kind != article.kind:  # a page has no date, lists or feeds to share with an article
            problems.append(error(article.source, line, f"'translation_of' names '{wanted}' ({original.source}), "
                                  f"which is {'a page' if original.kind == 'page' else 'an article'}: a page "
                                  "translates a page ('type: page'), an article an article"))
        elif original.translation_of == article.slug:  # each names the other: which one is the original?
            problems.append(error(article.source, line, f"'translation_of' names '{wanted}' ({original.source}), "
                                  "which names this article back: only the translation names its original; "
                                  "remove 'translation_of' from the original"))
        elif original.translation_of:
            problems.append(error(article.source, line, f"'translation_of' names '{wanted}' ({original.source}), "
                                  f"itself a translation of '{original.translation_of}': name the original, "
                                  f"'{original.translation_of}'"))
        elif original.lang.lower() == article.lang.lower():
            problems.append(error(article.source, line, f"'translation_of' names '{wanted}' ({original.source}), "
                                  f"which is in the same language ('{article.lang}'); set this article's "
                                  "'lang:' to the language it is written in"))
        else:
            taken.setdefault((original.source, article.lang.lower()), []).append(article)
    for (original_source, _), both in taken.items():
        for article in both if len(both) > 1 else ():
            others = ", ".join(a.source for a in both if a is not article)
            problems.append(error(article.source, article.lines.get("translation_of"), f"'translation_of' names "
                                  f"'{article.translation_of}' ({original_source}), which has another translation "
                                  f"in '{article.lang}': {others}; keep one"))
    return problems + _home_clashes(articles, default.lower()) if taken else problems


def _home_clashes(articles: Sequence[Article], default: str) -> list[Problem]:
    """Return the articles whose URL is a language home's page (``en/``, ``en/page/2/``, ``en/tags/``...)."""
    homes = {a.lang.lower() for a in articles} - {default}
    problems = []
    for article in articles:
        lang, _, rest = article.path.partition("/")
        if lang in homes and (rest in _HOME_PAGES or _PAGE.fullmatch(rest)):
            problems.append(error(article.source, article.lines.get("slug") or 1, f"its URL /{article.path} is "
                                  f"one of the pages of the articles in '{lang}' (their home, lists or search: "
                                  "the hub has translations); set another 'slug:'"))
    return problems


def linked_members(site: Site, article: Article) -> tuple[Article, ...]:
    """Return the members of ``article``'s group its page links (itself included), in group order:
    the published ones; none when no other member is published."""
    group = site.translations.get(article.source, ())
    members = tuple(m for m in group if m.source == article.source or m.state(site.now) == "published")
    return members if len(members) > 1 else ()


def default_member(site: Site, members: Sequence[Article]) -> Article:
    """Return the member ``x-default`` points to: the original when linked, else the one in the site's
    language, else the first."""
    if not members[0].translation_of:
        return members[0]
    default = site.config.language.lower()
    return next((m for m in members if m.lang.lower() == default), members[0])


def language_of_page(site: Site, article: Article) -> str:
    """Return the language whose home, feeds and words an article's page takes: its own when the hub
    has a home in that language, else '' (the site's, as in a hub without translations)."""
    lang = article.lang.lower()
    return lang if lang in site.languages[1:] else ""


def in_language(site: Site, articles: Sequence[Article], lang: str) -> tuple[Article, ...]:
    """Return the articles a language's home and feeds list: those in ``lang``; for the site's own
    language, every article not in another home's language (all of them in a hub without translations)."""
    others = frozenset(site.languages[1:])
    if lang == site.languages[0]:
        if not others:
            return tuple(articles)  # the same tuple (what is worked out from it, such as its terms, is kept)
        return tuple(a for a in articles if a.lang.lower() not in others)
    return tuple(a for a in articles if a.lang.lower() == lang)
