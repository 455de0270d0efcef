"""The built-in engine: every HTML page of the site, from the Site and the theme."""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import jinja2
from markupsafe import Markup

from cmhub import __version__
from cmhub.dates import iso
from cmhub.i18n import long_date, month_name, og_locale, strings
from cmhub.keys import Kept
from cmhub.models import Article, Image, OutputFile, Site
from cmhub.parallel import made_in_order
from cmhub.redirects import Redirect, redirect_files
from cmhub.taxonomy import Term, group_terms, term_links
from cmhub.theme import Theme, asset_function, make_environment, render_template
from cmhub.urls import author_path, output_file, page_path, year_path
from cmhub.views import (
    ArticleView,
    AuthorView,
    ImageView,
    Link,
    MonthView,
    PageView,
    Pagination,
    SiteView,
    TermView,
)

ARCHIVE_PAGE_SIZE = 100
_IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
                "webp": "image/webp", "avif": "image/avif", "svg": "image/svg+xml"}


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
    """The view of each shown article, by source."""
    cards: dict[tuple[str, str], Markup] = field(default_factory=dict)
    """Rendered `_card.html` by (article URL, page language): an article shows on many lists."""
    partials: dict[tuple[Any, ...], Markup] = field(default_factory=dict)
    """Rendered partials by (page language, template, values): most pages share their header and feeds."""
    navs: dict[str, tuple[Link, ...]] = field(default_factory=dict)
    """The main navigation by page kind: the same on every page of a kind."""
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
                found = Markup(render_template(self.env, self.theme, "_card.html",
                                               {"article": article, "page": page, "t": strings(lang)},
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
    def base_path(self) -> str:
        """The URL path of the site: worked out once, as ``config.base_path`` parses the URL on each call."""
        return self.site.config.base_path

    @cached_property
    def site_view(self) -> SiteView:
        """The site's facts for templates, the same on every page."""
        return site_view(self.site, self.href, self.url)

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
        return self.render(job.template, job.path, job.page, job.what, **job.values)

    def render(self, template: str, path: str, page: PageView, what: str, **values: Any) -> OutputFile:
        """Render a template into the output file that serves ``path``."""
        context = {**self.common(page.lang), "page": page, "nav": self.nav(page.kind), **values}
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

    def nav(self, kind: str) -> tuple[Link, ...]:
        """Return the main navigation, marking the current section."""
        found = self.navs.get(kind)
        if found is None:
            t = strings(self.site.config.language)
            entries = (("home", t["home"], ""), ("tags", t["tags"], "tags/"),
                       ("categories", t["categories"], "categories/"), ("archive", t["archive"], "archive/"))
            section = {"home": "home", "article": "", "tag": "tags", "category": "categories",
                       "archive": "archive", "author": "", "terms": ""}.get(kind, "")
            found = self.navs[kind] = tuple(Link(title, self.href(path), current=key == section)
                                            for key, title, path in entries)
        return found

    def page(self, kind: str, title: str, path: str, description: str = "", lang: str = "",
             feeds: Sequence[Link] = (), noindex: bool = False) -> PageView:
        """Return the page facts for <head>."""
        config = self.site.config
        lang = lang or config.language
        return PageView(kind=kind, title=title, description=description or config.description,
                        href=self.href(path), url=self.url(path), lang=lang, locale=og_locale(lang),
                        feeds=(*feeds, *self.site_feeds), noindex=noindex)


def render_pages(site: Site, theme: Theme, kept: Kept = None) -> Iterator[OutputFile]:
    """Yield every HTML page of the site, plus the theme's static files.

    ``kept(path, key)`` tells whether the previous output holds a page made from the same inputs;
    such a page is not rendered again but marked for reuse.
    """
    static = theme.static_files()
    env = make_environment(theme)
    asset = asset_function(site.config.base_path, static)
    bare = Pages(site, theme, env, asset, {})
    pages = Pages(site, theme, env, asset, {a.source: article_view(bare, a) for a in site.shown})
    shown = site.shown
    jobs = [
        *article_pages(pages, shown),
        *list_pages(pages, "home", "", "", shown),
        *taxonomy_pages(pages, shown),
        *archive_pages(pages, shown),
        pages.job("404.html", "404.html", pages.page("404", strings(site.config.language)["not_found_title"],
                                                     "404.html", noindex=True), "the 404 page"),
    ]
    keys = page_keys(site, theme, static, pages, jobs) if kept is not None else [""] * len(jobs)
    fresh = []
    for job, key in zip(jobs, keys, strict=True):
        if kept is not None and kept(output_file(job.path), key):
            yield OutputFile(output_file(job.path), key=key, reuse=True)
        else:
            fresh.append((job, key))
    for (_, key), made in zip(fresh, run_jobs(pages, [job for job, _ in fresh]), strict=True):
        yield replace(made, key=key) if key else made
    yield feed_stylesheet(site, theme)
    for name, source in static.items():
        yield OutputFile(f"static/{name}", source=source)


def page_keys(site: Site, theme: Theme, static: Mapping[str, Any], pages: Pages,
              jobs: Sequence[PageJob]) -> list[str]:
    """Return, for each page job, a digest of everything its bytes depend on.

    The templates, the static files' digests, cmhub's version, site.yml and the preview switches
    make a common part; each article's view is digested once, however many lists show it.
    """
    common = hashlib.sha256(f"{__version__}|{site.config!r}|{site.preview!r}|{theme.template_digest()}".encode())
    common.update(repr(sorted((name, pages.asset(name)) for name in static)).encode())
    base = common.hexdigest()
    # a view is made from its article, site.yml and the article's state at the build's clock
    views = {view.href: f"{site.digest(article)}:{view.state}" for article in site.shown
             for view in (pages.views[article.source],)}

    def digest(value: Any) -> str:
        if isinstance(value, ArticleView):
            found = views.get(value.href)
            if found is None:  # not one of the site's views: digest what it holds
                hashed = hashlib.sha256()
                for name in _VIEW_FIELDS:  # field by field: no copy of the whole article
                    part = getattr(value, name)
                    # the small parts (links, authors, picture) are frozen dataclasses of plain values
                    hashed.update(part.encode() if isinstance(part, str) else repr(part).encode())
                    hashed.update(b"\0")
                found = views[value.href] = hashed.hexdigest()
            return found
        if isinstance(value, _PLAIN_VIEWS):
            return repr(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            inner = ",".join(digest(getattr(value, f.name)) for f in dataclasses.fields(value))
            return f"{type(value).__name__}({inner})"
        if isinstance(value, (tuple, list)):
            return "[" + ",".join(digest(v) for v in value) + "]"
        if isinstance(value, dict):
            return "{" + ",".join(f"{k!r}:{digest(v)}" for k, v in sorted(value.items())) + "}"
        return repr(value)

    return [hashlib.sha256(f"{base}|{job.template}|{job.path}|{digest(job.page)}|{digest(job.values)}"
                           .encode()).hexdigest() for job in jobs]


_VIEW_FIELDS = tuple(f.name for f in dataclasses.fields(ArticleView))
_PLAIN_VIEWS = (Link, TermView, AuthorView, ImageView, Pagination, PageView)
"""Views made of plain values only: their repr says all they hold."""

PARALLEL_PAGES_FROM = 300
"""Below this many pages, starting processes costs more than it saves."""


def run_jobs(pages: Pages, jobs: Sequence[PageJob]) -> Iterator[OutputFile]:
    """Yield rendered pages in order, from forked processes when there are many (same bytes either way)."""
    return made_in_order(jobs, lambda job: (pages.run(job),), PARALLEL_PAGES_FROM)


def render_redirects(site: Site, theme: Theme, redirects: Sequence[Redirect],
                     gone: Sequence[str]) -> Iterator[OutputFile]:
    """Yield a redirect page for every old path, a 'gone' page for retired ones, and `_redirects`."""
    pages = Pages(site, theme, make_environment(theme), asset_function(site.config.base_path, theme.static_files()), {})
    t = strings(site.config.language)

    def page(redirect: Redirect) -> OutputFile:
        view = pages.page("redirect", t["moved_title"], redirect.new, noindex=True)
        return pages.render("redirect.html", redirect.old, view, f"the redirect /{redirect.old}",
                            target=pages.url(redirect.new))

    yield from redirect_files(site, redirects, page)
    for path in gone:
        view = pages.page("gone", t["gone_title"], path, noindex=True)
        yield pages.render("gone.html", path, view, f"the retired page /{path}")


def feed_stylesheet(site: Site, theme: Theme) -> OutputFile:
    """Return feed.xsl, which makes the feeds readable in a browser, in the site language."""
    config = site.config
    context = {"site": site_view(site, lambda p: config.base_path + p, lambda p: config.url + p),
               "t": strings(config.language)}
    text = render_template(make_environment(theme), theme, "feed.xsl", context, "the feed stylesheet")
    return OutputFile("feed.xsl", text.encode("utf-8"))


def article_pages(pages: Pages, shown: Sequence[Article]) -> Iterator[OutputFile]:
    """Yield one page per shown article, with links to its neighbours."""
    for index, article in enumerate(shown):
        view = pages.views[article.source]
        page = pages.page("article", article.title, article.path, article.summary, article.lang,
                          noindex=view.state != "published")
        newer = pages.views[shown[index - 1].source] if index > 0 else None
        older = pages.views[shown[index + 1].source] if index + 1 < len(shown) else None
        yield pages.job("article.html", article.path, page, article.source,
                           article=view, newer=newer, older=older)


def list_pages(pages: Pages, kind: str, base: str, heading: str, articles: Sequence[Article],
               intro: str = "", author: AuthorView | None = None,
               feeds: Sequence[Link] = ()) -> Iterator[OutputFile]:
    """Yield a paginated list of article cards (home, tag, category, author)."""
    per_page = pages.site.config.paginate
    for number, chunk, pagination in paginate(pages, articles, per_page, base):
        title = heading if number == 1 or not heading else f"{heading} ({number}/{pagination.pages})"
        if not heading and number > 1:
            title = strings(pages.site.config.language)["page_n_of_m"].format(page=number, pages=pagination.pages)
        page = pages.page(kind, title, page_path(base, number), intro, feeds=feeds)
        yield pages.job("list.html", page_path(base, number), page, f"the {kind} page {base or '/'}",
                           heading=heading, intro=intro, author=author, pagination=pagination,
                           articles=tuple(pages.views[a.source] for a in chunk))


def taxonomy_pages(pages: Pages, shown: Sequence[Article]) -> Iterator[OutputFile]:
    """Yield tag, category and author pages and their indexes."""
    site = pages.site
    t = strings(site.config.language)
    for kind, attribute, heading_key, index_key in (("tag", "tags", "tag_heading", "all_tags"),
                                                    ("category", "categories", "category_heading", "all_categories")):
        terms = group_terms(shown, attribute)
        for term in terms:
            has_feed = any(a.state(site.now) == "published" for a in term.articles)
            yield from list_pages(pages, kind, term.path, t[heading_key].format(name=term.name), term.articles,
                                  feeds=term_feeds(site, term, pages.href) if has_feed else ())
        yield terms_page(pages, f"{attribute}/", t[index_key], terms)
    by_author: dict[str, list[Article]] = defaultdict(list)
    for article in shown:
        for author_id in article.authors:
            by_author[author_id].append(article)
    author_terms = []
    for author_id in sorted(by_author):
        view = author_view(pages, author_id)
        author_terms.append(Term(view.name, author_id, author_path(author_id), tuple(by_author[author_id])))
        yield from list_pages(pages, "author", author_path(author_id), t["author_heading"].format(name=view.name),
                              by_author[author_id], intro=site.config.authors[author_id].bio, author=view)
    yield terms_page(pages, "authors/", t["all_authors"], author_terms)


def terms_page(pages: Pages, path: str, heading: str, terms: Sequence[Term]) -> PageJob:
    """Return an index page of terms with their counts."""
    views = tuple(TermView(term.name, pages.href(term.path), len(term.articles)) for term in terms)
    return pages.job("terms.html", path, pages.page("terms", heading, path), f"the index {path}",
                        heading=heading, terms=views)


def archive_pages(pages: Pages, shown: Sequence[Article]) -> Iterator[OutputFile]:
    """Yield the archive index (years) and one paginated page per year, grouped by month."""
    site = pages.site
    t = strings(site.config.language)
    by_year: dict[int, list[Article]] = defaultdict(list)
    for article in shown:
        by_year[article.date.year].append(article)
    years = tuple(TermView(str(year), pages.href(year_path(year)), len(by_year[year]))
                  for year in sorted(by_year, reverse=True))
    yield pages.job("terms.html", "archive/", pages.page("terms", t["archive"], "archive/"), "the archive",
                       heading=t["archive"], terms=years)
    for year in sorted(by_year, reverse=True):
        heading = t["archive_heading"].format(year=year)
        for number, chunk, pagination in paginate(pages, by_year[year], ARCHIVE_PAGE_SIZE, year_path(year)):
            by_month: dict[int, list[Article]] = {}
            for article in chunk:  # months in the order of their first article
                by_month.setdefault(article.date.month, []).append(article)
            months = tuple(MonthView(month_name(group[0].date, site.config.language),
                                     tuple(pages.views[a.source] for a in group)) for group in by_month.values())
            path = page_path(year_path(year), number)
            yield pages.job("archive.html", path, pages.page("archive", heading, path), f"the archive {year}",
                               heading=heading, year=year, years=years, pagination=pagination, months=months)


def paginate(pages: Pages, items: Sequence[Article], per_page: int,
             base: str) -> Iterator[tuple[int, Sequence[Article], Pagination]]:
    """Yield (page number, its articles, its Pagination) for a list; one empty page if no items."""
    t = strings(pages.site.config.language)
    count = max(1, -(-len(items) // per_page))
    for number in range(1, count + 1):
        def link(n: int, title: str, number: int = number, label: str = "") -> Link:
            return Link(title, pages.href(page_path(base, n)), current=n == number, label=label)
        pagination = Pagination(
            page=number, pages=count,
            newer=link(number - 1, t["newer_articles"]) if number > 1 else None,
            older=link(number + 1, t["older_articles"]) if number < count else None,
            links=tuple(link(n, str(n), label=t["page_n_of_m"].format(page=n, pages=count)) if n else Link("…", "")
                        for n in page_window(number, count)),
        )
        yield number, items[(number - 1) * per_page: number * per_page], pagination


PAGE_WINDOW = 2
"""Numbered links shown on each side of the current page (first and last are always shown)."""


def page_window(page: int, pages: int) -> list[int]:
    """Return the page numbers to link from ``page``, with 0 where pages are left out.

    A list of 1,000 pages links to a dozen, not to all of them: a hub's home page stays small.
    """
    shown = sorted({1, pages, *range(max(1, page - PAGE_WINDOW), min(pages, page + PAGE_WINDOW) + 1)})
    window: list[int] = []
    for number in shown:
        if window and number > window[-1] + 1:
            window.append(0)
        window.append(number)
    return window


def site_view(site: Site, href: Callable[[str], str], url: Callable[[str], str]) -> SiteView:
    """Return the site's facts for templates."""
    config = site.config
    logo = None
    if config.logo:
        path = config.logo.lstrip("/")
        logo = ImageView(href=href(path), url=url(path), alt=config.title, type=_image_type(path))
    return SiteView(title=config.title, description=config.description, url=config.url,
                    href=config.base_path, language=config.language, logo=logo)


def site_feeds(site: Site, href: Callable[[str], str]) -> tuple[Link, ...]:
    """Return the site-wide feeds to advertise on every page."""
    t = strings(site.config.language)
    return (Link(f"{site.config.title} ({t['rss_feed']})", href("feed.xml"), type="application/rss+xml"),
            Link(f"{site.config.title} ({t['atom_feed']})", href("atom.xml"), type="application/atom+xml"),
            Link(f"{site.config.title} ({t['json_feed']})", href("feed.json"), type="application/feed+json"))


def term_feeds(site: Site, term: Term, href: Callable[[str], str]) -> tuple[Link, ...]:
    """Return the feeds of one tag or category."""
    t = strings(site.config.language)
    name = t["feed_of"].format(name=term.name)
    return (Link(f"{name} ({t['rss_feed']})", href(term.path + "feed.xml"), type="application/rss+xml"),
            Link(f"{name} ({t['atom_feed']})", href(term.path + "atom.xml"), type="application/atom+xml"),
            Link(f"{name} ({t['json_feed']})", href(term.path + "feed.json"), type="application/feed+json"))


def author_view(pages: Pages, author_id: str) -> AuthorView:
    """Return an author as templates see it."""
    author = pages.site.config.authors[author_id]
    avatar = author.avatar
    if avatar and not avatar.startswith(("http://", "https://")):
        avatar = pages.href(avatar.lstrip("/"))
    return AuthorView(id=author_id, name=author.name, href=pages.href(author_path(author_id)),
                      url=author.url, avatar=avatar, bio=author.bio)


def image_view(image: Image, href: Callable[[str], str], url: Callable[[str], str]) -> ImageView:
    """Return a picture with its root-relative and absolute URLs."""
    if image.remote:
        return ImageView(href=image.path, url=image.path, alt=image.alt, type=_image_type(image.path))
    return ImageView(href=href(image.path), url=url(image.path), alt=image.alt, width=image.width,
                     height=image.height, type=_image_type(image.path))


def article_view(pages: Pages, article: Article) -> ArticleView:
    """Return an article as templates see it."""
    url = pages.url(article.path)
    return ArticleView(
        title=article.title, href=pages.href(article.path), url=url,
        canonical=article.canonical or url, lang=article.lang,
        date_iso=iso(article.date), date_display=long_date(article.date, article.lang),
        updated_iso=iso(article.updated) if article.updated else "",
        updated_display=long_date(article.updated, article.lang) if article.updated else "",
        summary=article.summary, summary_html=_markup(article.summary_html), html=_markup(article.html),
        tags=term_links(article.tags, "tags", pages.href),
        categories=term_links(article.categories, "categories", pages.href),
        authors=tuple(author_view(pages, a) for a in article.authors),
        image=image_view(article.image, pages.href, pages.url) if article.image else None,
        reading_minutes=article.reading_minutes, state=article.state(pages.site.now),
        extra=dict(article.extra),
    )


def _markup(html: str) -> Markup:
    """Return trusted HTML as Markup without copying it when it already is (an article's body is large)."""
    return html if isinstance(html, Markup) else Markup(html)


def _image_type(path: str) -> str:
    return _IMAGE_TYPES.get(path.rsplit(".", 1)[-1].lower(), "")
