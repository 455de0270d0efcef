"""What templates see: small frozen views with display-ready values.

Every template gets the common keys ``site``, ``page``, ``t``, ``nav``, ``footer``, ``asset``, ``preview``,
``card`` and ``partial``; each page kind adds its own (see docs/templates.md). URLs named ``href``
are root-relative ("/blog/mon-article/"), URLs named ``url`` are absolute
("https://example.org/blog/mon-article/").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from cmhub.core.frozen import LATER


@dataclass(frozen=True)
class Link:
    """A named link: navigation entries, feeds, pagination."""

    title: str
    href: str
    current: bool = False
    type: str = ""
    """MIME type, for feed links."""
    label: str = ""
    """What assistive technologies announce instead of the title, if anything (a page link of a
    Pagination: 'Page 3 sur 12')."""


@dataclass(frozen=True)
class TermView:
    """A tag, category, author or archive year, with its page."""

    name: str
    href: str
    count: int = 0


@dataclass(frozen=True)
class AuthorView:
    """An author as shown on a page."""

    id: str
    name: str
    href: str
    url: str = ""
    """The author's own site, if any."""
    avatar: str = ""
    """Root-relative or absolute URL of the avatar, if any."""
    bio: str = ""


@dataclass(frozen=True)
class ImageView:
    """A picture ready for <img> and Open Graph."""

    href: str
    url: str
    alt: str
    width: int | None = None
    height: int | None = None
    type: str = ""
    src: str = ""
    """What <img src> shows: a smaller copy of the picture when it has copies (cmhub/site/pictures.py), else href."""
    srcset: str = ""
    """The smaller copies with their widths, for <img srcset> (empty when there are none)."""


@dataclass(frozen=True)
class ArticleView:
    """An article as templates see it."""

    title: str
    href: str
    url: str
    """Absolute URL of the page on this site."""
    canonical: str
    """The canonical URL: ``url``, or the external one given in the front matter."""
    lang: str
    date_iso: str
    date_display: str
    """The date in the article's language ("1 décembre 2026")."""
    updated_iso: str
    updated_display: str
    """Empty when the article was never updated."""
    summary: str
    summary_html: Markup
    html: Markup
    tags: tuple[TermView, ...]
    categories: tuple[TermView, ...]
    authors: tuple[AuthorView, ...]
    image: ImageView | None
    reading_minutes: int
    state: str
    """'published', or 'draft' / 'scheduled' in preview builds (show the banner)."""
    extra: dict[str, Any] = field(default_factory=dict)
    share: ImageView | None = None
    """The 1200x630 picture for og:image: the cover's crop, else a card with the title (/_social/)."""
    syndication: tuple[Link, ...] = ()
    """Where cmhub posted its teasers (title: the network, href: the post), for u-syndication links."""
    replies: tuple[ReplyView, ...] = ()
    """The replies to those posts, oldest first (hidden ones left out)."""

    def __getattr__(self, name: str) -> object:
        """Return ``html`` made each time a template asks for it (cmhub.site.builtin.article_views.article_view):
        the lists show an article's card, and only its own page its body, once. The view is not given it to
        keep: every list shares the view, so a kept body would stay in memory until the last page is rendered
        (a second copy of every body: 22 MiB of the 112 MiB a 2,000-article build held at its end)."""
        later = self.__dict__.get(LATER)
        if name != "html" or later is None:
            raise AttributeError(name)
        return later.fields()["html"]


@dataclass(frozen=True)
class ReplyView:
    """A reply made on a network to one of the article's posts, shown on the page."""

    author: str
    author_url: str
    """The author's profile ('' when unknown)."""
    initials: str
    """Shown instead of a remote avatar (a page requests nothing outside the site)."""
    url: str
    """The reply itself."""
    network: str
    date_iso: str
    date_display: str
    html: Markup
    """Paragraphs, line breaks and links (rel="nofollow ugc") only."""


@dataclass(frozen=True)
class PageView:
    """Facts about the page being rendered, for <head> and landmarks."""

    kind: str
    """'article', 'page', 'home', 'tag', 'category', 'author', 'archive', 'terms', 'search', 'feeds', '404',
    'gone' or 'redirect'."""
    title: str
    """The page's own title ('' on the home page); <title> adds the site title."""
    description: str
    href: str
    url: str
    lang: str
    locale: str
    """Open Graph locale, 'fr_FR'."""
    feeds: tuple[Link, ...]
    """Feeds to advertise with <link rel="alternate">."""
    noindex: bool = False
    alternates: tuple[AlternateView, ...] = ()
    """This page in every language it is published in, itself included (none when it has no other)."""
    x_default: str = ""
    """Absolute URL for ``hreflang="x-default"``: the original article, or the site's home ('' = none)."""
    interface: str = ""
    """The language of the navigation and feeds when it is not the site's: an article or home in another
    language of a hub with translations ('' otherwise)."""


@dataclass(frozen=True)
class AlternateView:
    """A page's version in one language, for hreflang links and the language switcher."""

    lang: str
    name: str
    """The language's name in itself ('English', 'Français')."""
    href: str
    url: str
    current: bool = False
    """This is the page being rendered."""


@dataclass(frozen=True)
class SiteView:
    """The hub's own facts."""

    title: str
    description: str
    url: str
    href: str
    """Root-relative URL of the home page ('/' or '/blog/')."""
    language: str
    logo: ImageView | None
    card: ImageView | None = None
    """The hub's 1200x630 card, og:image of the home and list pages (/_social/)."""


@dataclass(frozen=True)
class Pagination:
    """Where a paginated list page stands."""

    page: int
    pages: int
    newer: Link | None
    """The previous page (newer articles), if any."""
    older: Link | None
    """The next page (older articles), if any."""
    links: tuple[Link, ...]
    """The first, last and nearby pages; the current one has ``current=True``; a gap is a Link
    with an empty ``href`` (title '…')."""


@dataclass(frozen=True)
class ViewOf:
    """Where a page job shows an article: its view is made when the page renders (Pages.run), so that
    planning the pages of a large hub makes no view, and a build makes only those of the pages it renders."""

    source: str


@dataclass(frozen=True)
class MonthView:
    """One month of a yearly archive page."""

    name: str
    articles: tuple[ArticleView | ViewOf, ...]
