"""New files taken beside the content a snapshot kept (cmhub/content/snapshot.py): a draft started, an article
scheduled or published, a page, read alone and put in their places among the kept ones; a picture or any
other file, published or kept out of the site as reading whole would decide.

The snapshot vouches for the new articles themselves (no problem, the files they mention or use); here,
what a new article changes of the others is checked: an URL or slug it would share (the reading whole
reports which), the translations' rules, and the order the reading whole gives the articles. A new file
of content/ is published unless an unpublished article mentions it and no shown article uses it: the
snapshot keeps what every unpublished article mentions and the name of every file a shown one may use,
so that a new file the kept articles have nothing to do with is told apart from one they might.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from urllib.parse import unquote

from cmhub.content.assets import Mentions, used_by_settings
from cmhub.content.frontmatter import Header
from cmhub.content.model import Article
from cmhub.content.translations import translation_problems
from cmhub.markdown.renderer import Rendered
from cmhub.markdown.targets import EXTERNAL_LINK
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


def names_used(header: Header, rendered: Rendered) -> set[str]:
    """Return the names (a path's last part) of the files of content/ a shown article may use: every one its
    HTML points at (links, pictures, raw HTML), its cover and its teasers' pictures."""
    names = {_name(header.image)} if header.image else set()
    names.update(_name(override.image) for override in header.syndicate.values() if override.image)
    for value in rendered.references:
        for item in value.split(","):  # a srcset lists "url width" pairs
            parts = item.split()
            if parts and not EXTERNAL_LINK.match(parts[0]):  # a scheme, another host, a fragment
                names.add(_name(parts[0]))
    names.discard("")
    return names


def _name(url: str) -> str:
    return unquote(url.split("?", 1)[0].split("#", 1)[0]).rstrip("/").rpartition("/")[2]


def published_files(config: SiteConfig, new_files: Sequence[str], tokens: Iterable[str], used: Iterable[str],
                    points: Mapping[str, Iterable[str]], files: Mapping[str, Path]) -> list[str] | None:
    """Return the ``new_files`` of content/ that the site publishes: all but those the new unpublished articles
    point at (``points``). None when reading whole must tell: a name with white space (looked for in the texts
    themselves), a file the kept unpublished articles may mention (their ``tokens``), or one kept out that a
    kept shown article (``used``, by name) or site.yml may use."""
    if not new_files:
        return []
    kept = Mentions()
    kept.found.update(tokens)
    pointed = {path for found in points.values() for path in found}
    names, by_settings = frozenset(used), used_by_settings(config, files)
    published = []
    for path in new_files:
        name = path.rpartition("/")[2]
        if any(c.isspace() for c in name) or kept.point_at(path):
            return None
        if path not in pointed:
            published.append(path)
        elif name in names or path in by_settings:
            return None
    return published
