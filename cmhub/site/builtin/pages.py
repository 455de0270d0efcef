"""Page rendering: page jobs, the Pages that render them with the theme, and the views they show."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import jinja2
from markupsafe import Markup

from cmhub.content.menus import MenuLink, menu_links
from cmhub.content.model import Image, Site
from cmhub.content.share import SHARE_SIZE, SITE_CARD, site_card_alt
from cmhub.content.taxonomy import Term, term_path
from cmhub.core.i18n import og_locale
from cmhub.core.imagesize import image_size, image_type
from cmhub.core.typography import french_spacing, is_french
from cmhub.core.urls import author_path, output_file
from cmhub.output.files import OutputFile
from cmhub.settings.languages import language_config
from cmhub.settings.menus import MenuEntry
from cmhub.site.builtin.languages import home_path, language_feeds, site_words
from cmhub.site.builtin.views import (
    AlternateView,
    ArticleView,
    AuthorView,
    ImageView,
    Link,
    MonthView,
    PageView,
    SiteView,
    TermView,
    ViewOf,
)
from cmhub.site.pictures import BodyPictures, sized
from cmhub.theming.loader import Theme, render_template
from cmhub.theming.words import strings


@dataclass(frozen=True)
class PageJob:
    """One page to render: its template, where it goes, and its context."""

    template: str
    path: str
    page: PageView
    what: str
    values: dict[str, Any]


@dataclass(frozen=True)
class Pages:
    """Renders the pages of one site with one theme; holds nothing that changes but what it already made."""

    site: Site
    theme: Theme
    env: jinja2.Environment
    asset: Callable[[str], str]
    views: Mapping[str, ArticleView]
    """The view of each shown article and page, by source (made when first asked for: ArticleViews)."""
    cards: dict[tuple[str, str], Markup] = field(default_factory=dict)
    """Rendered `_card.html` by (article URL, page language): an article shows on many lists."""
    partials: dict[tuple[Any, ...], Markup] = field(default_factory=dict)
    """Rendered partials by (page language, template, values): most pages share their header and feeds."""
    navs: dict[str, tuple[Link, ...]] = field(default_factory=dict)
    """The main navigation by page kind: the same on every page of a kind."""
    menus: dict[str, tuple[MenuLink, ...]] = field(default_factory=dict)
    """site.yml's ``menu:`` and ``footer:`` made into links, by name: the same on every page."""
    commons: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The context keys that every page in a language shares, by language."""

    def card(self, lang: str) -> Callable[[ArticleView], Markup]:
        """Return ``card(article)`` for templates: the article's `_card.html`, rendered once per language."""
        def card(article: ArticleView) -> Markup:
            key = (article.href, lang)
            found = self.cards.get(key)
            if found is None:
                page = PageView(kind="card", title=article.title, description="", href=article.href,
                                url=article.url, lang=lang, locale=og_locale(lang), feeds=())
                # one card speaks one language: the article's strings with its date (issue #15.5)
                found = Markup(render_template(self.env, self.theme, "_card.html",
                                               {"article": article, "page": page, "t": strings(article.lang)},
                                               f"the card of {article.href}").rstrip("\n"))
                self.cards[key] = found
            return found
        return card

    def partial(self, lang: str) -> Callable[..., Markup]:
        """Return ``partial(name, **values)`` for templates: template ``name`` rendered with only ``values``
        and ``t`` (in the page's language), once per set of equal values.

        What a page shares with many others (its header, footer and feed links) is rendered once, not on
        every page. Values that cannot be dictionary keys (a list, a dict) make it render every time.
        """
        def partial(name: str, **values: Any) -> Markup:
            # with the types: 1 == True and "x" == Markup("x"), yet each prints differently
            key = (lang, name, *((k, type(v), v) for k, v in values.items()))
            try:
                found = self.partials.get(key)
            except TypeError:  # an unhashable value: no reuse, same bytes
                key, found = None, None
            if found is None:
                found = Markup(render_template(self.env, self.theme, name, {**values, "t": strings(lang)},
                                               f"the partial {name}").rstrip("\n"))
                if key is not None:
                    self.partials[key] = found
            return found
        return partial

    @cached_property
    def body_pictures(self) -> BodyPictures:
        """Sizes the pictures of article bodies (and knows which copies each one has)."""
        return BodyPictures(self.site)

    @cached_property
    def base_path(self) -> str:
        """The URL path of the site: worked out once, as ``config.base_path`` parses the URL on each call."""
        return self.site.config.base_path

    @cached_property
    def site_view(self) -> SiteView:
        """The site's facts for templates, the same on every page."""
        return site_view(self.site, self.href, self.url)

    def site_view_in(self, lang: str) -> SiteView:
        """The site's facts for the pages of another language's home (its title and description)."""
        found = self.commons.get(f"site|{lang}")
        if found is None:
            title, description = site_words(self.site, lang)
            view = replace(self.site_view, title=title, description=description, language=lang)
            found = self.commons[f"site|{lang}"] = {"site": view}
        return found["site"]

    @cached_property
    def site_feeds(self) -> tuple[Link, ...]:
        """The site-wide feeds every page advertises."""
        return site_feeds(self.site, self.href)

    def href(self, path: str) -> str:
        """Return the root-relative URL of a site path."""
        return self.base_path + path

    def url(self, path: str) -> str:
        """Return the absolute URL of a site path."""
        return self.site.config.url + path

    def job(self, template: str, path: str, page: PageView, what: str, **values: Any) -> PageJob:
        """Return what it takes to render one page later (possibly in another process)."""
        return PageJob(template, path, page, what, values)

    def run(self, job: PageJob) -> OutputFile:
        """Render one page job."""
        return self.render(job.template, job.path, job.page, job.what,
                           **{name: self.resolved(value) for name, value in job.values.items()})

    def resolved(self, value: Any) -> Any:
        """Return a job's value with the article views it refers to (ViewOf) in their place."""
        if type(value) is ViewOf:
            return self.views[value.source]
        if type(value) is tuple and value and type(value[0]) in (ViewOf, MonthView):
            return tuple(self.resolved(item) for item in value)
        if type(value) is MonthView:
            return replace(value, articles=tuple(self.resolved(item) for item in value.articles))
        return value

    def render(self, template: str, path: str, page: PageView, what: str, **values: Any) -> OutputFile:
        """Render a template into the output file that serves ``path``."""
        context = {**self.common(page.lang), "page": page, "nav": self.nav(page), "footer": self.footer(page),
                   **values}
        if page.interface:  # a page of another language's home: the hub's words in that language
            context["site"] = self.site_view_in(page.interface)
        text = render_template(self.env, self.theme, template, context, what)
        return OutputFile(output_file(path), text.encode("utf-8"))

    def common(self, lang: str) -> dict[str, Any]:
        """Return the context keys that are the same on every page in ``lang``."""
        found = self.commons.get(lang)
        if found is None:
            found = self.commons[lang] = {
                "site": self.site_view,
                "t": strings(lang),
                "asset": self.asset,
                "preview": self.site.preview.drafts or self.site.preview.future,
                "card": self.card(lang),
                "partial": self.partial(lang),
            }
        return found

    def nav(self, page: PageView) -> tuple[Link, ...]:
        """Return the main navigation, marking the current section: site.yml's ``menu:`` (a language's own
        under ``languages:`` on the pages of its home), else the theme's own, in the page's words and to
        its language's home, lists and search page."""
        if self.menu_entries("menu", page.interface):
            return self.menu_links("menu", page)
        kind, interface = page.kind, page.interface
        found = self.navs.get(f"{kind}|{interface}")
        if found is None:
            t = strings(interface or self.site.config.language)
            home = home_path(self.site, interface)
            entries = (("home", t["home"], ""), ("tags", t["tags"], "tags/"), ("categories", t["categories"],
                       "categories/"), ("archive", t["archive"], "archive/"),
                       *((("search", t["search"], "search/"),) if self.site.config.search else ()))
            section = {"home": "home", "article": "", "tag": "tags", "category": "categories",
                       "archive": "archive", "author": "", "terms": "", "search": "search"}.get(kind, "")
            found = self.navs[f"{kind}|{interface}"] = tuple(Link(title, self.href(home + path), current=key == section)
                                                             for key, title, path in entries)
        return found

    def footer(self, page: PageView) -> tuple[Link, ...]:
        """Return the footer's links (site.yml's ``footer:``), marking the current page's."""
        return self.menu_links("footer", page) if self.menu_entries("footer", page.interface) else ()

    def menu_entries(self, which: str, interface: str) -> tuple[MenuEntry, ...]:
        """Return the entries of ``menu:`` or ``footer:`` for the pages of ``interface``'s home: that
        language's own (``languages.<lang>.menu``), else, for a menu, none (the theme's navigation speaks
        its words), and for a footer, the site's."""
        config = self.site.config
        site_entries = config.menu if which == "menu" else config.footer
        if not interface:
            return site_entries
        own = language_config(config.languages, interface)
        entries = own.menu if which == "menu" else own.footer
        return entries or (() if which == "menu" else site_entries)

    def menu_links(self, which: str, page: PageView) -> tuple[Link, ...]:
        """Return the links of a menu or footer; the one leading to ``page`` is current."""
        found = self.menus.get(f"{which}|{page.interface}")
        if found is None:
            entries = self.menu_entries(which, page.interface)
            found = self.menus[f"{which}|{page.interface}"] = menu_links(self.site, entries)
        return tuple(Link(link.title, href, current=href == page.href)
                     for link in found for href in (self.href(link.path) if link.path is not None else link.url,))

    def page(self, kind: str, title: str, path: str, description: str = "", lang: str = "",
             feeds: Sequence[Link] = (), noindex: bool = False, interface: str = "",
             alternates: tuple[tuple[AlternateView, ...], str] = ((), "")) -> PageView:
        """Return the page facts for <head>; ``interface`` is the page's language when the hub has a home
        in it other than the site's, ``alternates`` its versions and x-default URL (languages.py)."""
        config = self.site.config
        lang = lang or config.language
        own_feeds = language_feeds(self.site, interface, self.href) if interface else self.site_feeds
        description = description or (site_words(self.site, interface)[1] if interface else config.description)
        return PageView(kind=kind, title=title, description=description,
                        href=self.href(path), url=self.url(path), lang=lang, locale=og_locale(lang),
                        # a preview has no feeds to link to (issue #21.3), and asks not to be indexed
                        feeds=() if self.site.preview.active else (*feeds, *own_feeds),
                        noindex=noindex or self.site.preview.active, alternates=alternates[0],
                        x_default=alternates[1], interface=interface)


def site_view(site: Site, href: Callable[[str], str], url: Callable[[str], str]) -> SiteView:
    """Return the site's facts for templates."""
    config = site.config
    logo = None
    if config.logo:
        path = config.logo.lstrip("/")
        width, height = image_size(config.content / path)
        logo = ImageView(href=href(path), url=url(path), alt=config.title, width=width, height=height,
                         type=image_type(path), src=href(path))
    card = ImageView(href=href(SITE_CARD), url=url(SITE_CARD), alt=site_card_alt(site), width=SHARE_SIZE[0],
                     height=SHARE_SIZE[1], type="image/jpeg")
    title, description = config.title, config.description
    if is_french(config.language):
        title, description = french_spacing(title), french_spacing(description)
    return SiteView(title=title, description=description, url=config.url,
                    href=config.base_path, language=config.language, logo=logo, card=card)


def site_feeds(site: Site, href: Callable[[str], str]) -> tuple[Link, ...]:
    """Return the site-wide feeds to advertise on every page."""
    t = strings(site.config.language)
    return (Link(f"{site.config.title} ({t['rss_feed']})", href("feed.xml"), type="application/rss+xml"),
            Link(f"{site.config.title} ({t['atom_feed']})", href("atom.xml"), type="application/atom+xml"),
            Link(f"{site.config.title} ({t['json_feed']})", href("feed.json"), type="application/feed+json"))


def term_feeds(site: Site, term: Term, href: Callable[[str], str], lang: str = "") -> tuple[Link, ...]:
    """Return the feeds of one tag or category, titled in ``lang`` (else the site's language)."""
    t = strings(lang or site.config.language)
    name = t["feed_of"].format(name=term.name)
    return (Link(f"{name} ({t['rss_feed']})", href(term.path + "feed.xml"), type="application/rss+xml"),
            Link(f"{name} ({t['atom_feed']})", href(term.path + "atom.xml"), type="application/atom+xml"),
            Link(f"{name} ({t['json_feed']})", href(term.path + "feed.json"), type="application/feed+json"))


def term_links(names: Sequence[str], field: str, href: Callable[[str], str]) -> tuple[TermView, ...]:
    """Return the links of an article's tags or categories."""
    return tuple(TermView(name, href(term_path(name, field))) for name in names)


def author_view(pages: Pages, author_id: str, home: str = "") -> AuthorView:
    """Return an author as templates see it, their page under the language home ``home`` ('' or 'en/')."""
    author = pages.site.config.authors[author_id]
    avatar = author.avatar
    if avatar and not avatar.startswith(("http://", "https://")):
        avatar = pages.href(avatar.lstrip("/"))
    return AuthorView(id=author_id, name=author.name, href=pages.href(home + author_path(author_id)),
                      url=author.url, avatar=avatar, bio=author.bio)


def image_view(image: Image, href: Callable[[str], str], url: Callable[[str], str]) -> ImageView:
    """Return a picture with its root-relative and absolute URLs."""
    if image.remote:
        return ImageView(href=image.path, url=image.path, alt=image.alt, type=image_type(image.path), src=image.path)
    shown = sized(href(image.path), href(""), image.width, image.height, image.path)
    return ImageView(href=href(image.path), url=url(image.path), alt=image.alt, width=image.width,
                     height=image.height, type=image_type(image.path), src=shown.src, srcset=shown.srcset)
