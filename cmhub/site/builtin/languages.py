"""A hub in several languages: each language's home, lists and feeds, and the links between a page's versions.

The site's own language keeps today's URLs (its home at the root, its lists and feeds beside it);
another language ``xx`` of a hub with translations has its home at ``xx/`` (pages ``xx/page/N/``), its
tags, categories, authors, archive and search page under it, and its feeds ``xx/feed.xml``,
``xx/atom.xml`` and ``xx/feed.json``. A hub without translations has one language and none of this.
Which members of a pair a page links is decided in cmhub/content/translations.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from cmhub.content.model import Article, Site
from cmhub.content.translations import default_member, in_language, linked_members
from cmhub.core.i18n import language_name
from cmhub.settings.languages import language_config
from cmhub.site.builtin.views import AlternateView, Link
from cmhub.theming.words import strings


def home_path(site: Site, lang: str) -> str:
    """Return the site path of a language's home: '' for the site's language, 'xx/' for another."""
    return "" if not lang or lang == site.languages[0] else f"{lang}/"


def language(site: Site, lang: str) -> str:
    """Return ``lang`` as a page's ``interface`` takes it: '' for the site's own language."""
    return "" if lang == site.languages[0] else lang


def article_alternates(site: Site, article: Article, href: Callable[[str], str],
                       url: Callable[[str], str]) -> tuple[tuple[AlternateView, ...], str]:
    """Return an article page's versions (itself included) and its x-default URL; none when no other
    version is published."""
    members = linked_members(site, article)
    if not members:
        return (), ""
    views = tuple(AlternateView(m.lang, language_name(m.lang), href(m.path), url(m.path), m.source == article.source)
                  for m in members)
    return views, url(default_member(site, members).path)


def home_alternates(site: Site, lang: str, href: Callable[[str], str],
                    url: Callable[[str], str]) -> tuple[tuple[AlternateView, ...], str]:
    """Return the homes of every language (``lang``'s marked current) and the x-default URL (the root)."""
    if len(site.languages) < 2:
        return (), ""
    views = tuple(AlternateView(other, language_name(other), href(home_path(site, other)),
                                url(home_path(site, other)), other == lang) for other in site.languages)
    return views, url("")


def language_feeds(site: Site, lang: str, href: Callable[[str], str]) -> tuple[Link, ...]:
    """Return the feeds of a language's home, titled in that language."""
    t = strings(lang)
    folder = home_path(site, lang)
    title = feed_title(site, lang)
    return (Link(f"{title} ({t['rss_feed']})", href(folder + "feed.xml"), type="application/rss+xml"),
            Link(f"{title} ({t['atom_feed']})", href(folder + "atom.xml"), type="application/atom+xml"),
            Link(f"{title} ({t['json_feed']})", href(folder + "feed.json"), type="application/feed+json"))


def feed_title(site: Site, lang: str) -> str:
    """Return the title of a language's feeds: the site's, or the one site.yml gives that language
    (``languages:``), else the site's with the language named."""
    if not lang or lang == site.languages[0]:
        return site.config.title
    return language_config(site.config.languages, lang).title or f"{site.config.title} · {language_name(lang)}"


def site_words(site: Site, lang: str) -> tuple[str, str]:
    """Return the hub's title and description as a language's home shows them: those site.yml gives
    that language (``languages:``), else the site's."""
    config = site.config
    if not lang or lang == site.languages[0]:
        return config.title, config.description
    words = language_config(config.languages, lang)
    return words.title or config.title, words.description or config.description


def other_homes(site: Site, shown: Sequence[Article]) -> Iterator[tuple[str, tuple[Article, ...]]]:
    """Yield (language, its articles) for each language's home but the site's own, in order."""
    for lang in site.languages[1:]:
        yield lang, in_language(site, shown, lang)


def home_feeds(site: Site, published: Sequence[Article]) -> Iterator[tuple[str, str, str, tuple[Article, ...]]]:
    """Yield (language, folder, title, articles) of each language home's feeds, the site's first (at the root)."""
    for lang in site.languages:
        yield lang, home_path(site, lang), feed_title(site, lang), in_language(site, published, lang)
