"""New article files taken beside the content a snapshot kept (cmhub/content/snapshot.py): a draft started, an
article scheduled or published, a page, read alone and put in their places among the kept ones.

The snapshot vouches for the new files' articles themselves (no problem, the files they mention or use);
here, what a new article changes of the others is checked: an URL or slug it would share (the reading
whole reports which), the translations' rules, and the order the reading whole gives the articles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from cmhub.content.model import Article
from cmhub.content.translations import translation_problems
from cmhub.settings.config import SiteConfig


def added_sources(paths: Iterable[str], known: Iterable[str]) -> list[str]:
    """Return the article files of ``paths`` that the snapshot does not know (``known``), in their order."""
    old = set(known)
    return [source for source in paths if source not in old]


def with_added(config: SiteConfig, posts: list[Article], pages: list[Article],
               new: Sequence[Article]) -> tuple[list[Article], list[Article]] | tuple[None, None]:
    """Return the posts and pages with the ``new`` articles in their places, as reading whole orders them;
    (None, None) when one of them takes an URL or a slug another has, or the translations' rules find a
    mistake: the reading whole reports it."""
    everything = (*posts, *pages)
    slugs, urls = {a.slug for a in everything}, {a.path for a in everything}
    for article in new:
        if article.slug in slugs or article.path in urls:
            return None, None
        slugs.add(article.slug)
        urls.add(article.path)
    # each in its place as reading whole sorts them (posts by date and slug, newest first; pages by slug): the
    # kept ones are in that order already, and no two articles share a slug (checked above)
    posts, pages = list(posts), list(pages)
    for article in new:
        if article.kind == "post":
            key = (article.date, article.slug)
            posts.insert(_first(len(posts), lambda i: (posts[i].date, posts[i].slug) < key), article)  # noqa: B023
        else:
            pages.insert(_first(len(pages), lambda i: pages[i].slug > article.slug), article)  # noqa: B023
    everything = (*posts, *pages)
    if any(a.translation_of for a in everything) and translation_problems(everything, 0, config.language):
        return None, None  # (checked only in a hub with translations: 0.14 s at 10,000 articles)
    return posts, pages


def _first(length: int, after: Callable[[int], bool]) -> int:
    """Return the first index below ``length`` where ``after`` holds (``length`` if none): ``after`` is false,
    then true, along the indexes (a sorted list's order; comparing every article's aware date costs more)."""
    low, high = 0, length
    while low < high:
        middle = (low + high) // 2
        if after(middle):
            high = middle
        else:
            low = middle + 1
    return low
