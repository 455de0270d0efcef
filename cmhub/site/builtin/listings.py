"""Which pages a site has: one per article, paginated lists (home, tags, categories, authors), archives."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence, Set
from dataclasses import replace

from cmhub.content.model import Article
from cmhub.content.taxonomy import Term, group_terms
from cmhub.content.translations import in_language, language_of_page
from cmhub.core.i18n import month_name
from cmhub.core.urls import author_path, page_path, year_path
from cmhub.output.files import OutputFile
from cmhub.site.builtin.languages import (
    article_alternates,
    feed_title,
    home_alternates,
    home_path,
    language,
    other_homes,
)
from cmhub.site.builtin.pages import PageJob, Pages, author_view, term_feeds
from cmhub.site.builtin.views import AlternateView, AuthorView, Link, MonthView, Pagination, TermView, ViewOf
from cmhub.theming.words import strings

ARCHIVE_PAGE_SIZE = 100


def article_pages(pages: Pages, shown: Sequence[Article]) -> Iterator[OutputFile]:
    """Yield one page per shown article, with links to its neighbours (in its home's language when
    the hub has translations) and to its published translations."""
    site = pages.site
    for lang in site.languages:
        yield from _article_pages(pages, in_language(site, shown, lang))


def _article_pages(pages: Pages, shown: Sequence[Article]) -> Iterator[OutputFile]:
    for index in range(len(shown)):
        yield article_job(pages, shown, index)


def page_job_of(pages: Pages, source: str) -> PageJob | None:
    """Return the job article_pages or page_pages makes for the article or page ``source`` alone (None when
    the site does not show it)."""
    site = pages.site
    for lang in site.languages:
        shown = in_language(site, site.shown, lang)
        for index, article in enumerate(shown):
            if article.source == source:
                return article_job(pages, shown, index)
    return next(page_pages(pages, [page for page in site.shown_pages if page.source == source]), None)


def article_job(pages: Pages, shown: Sequence[Article], index: int) -> PageJob:
    """Return the page job of ``shown[index]``, between its newer and older neighbours in ``shown``."""
    site, article = pages.site, shown[index]
    page = pages.page("article", article.title, article.path, article.summary, article.lang,
                      noindex=article.state(site.now) != "published", interface=language_of_page(site, article),
                      alternates=article_alternates(site, article, pages.href, pages.url))
    newer = ViewOf(shown[index - 1].source) if index > 0 else None
    older = ViewOf(shown[index + 1].source) if index + 1 < len(shown) else None
    return pages.job("article.html", article.path, page, article.source,
                     article=ViewOf(article.source), newer=newer, older=older)


def page_pages(pages: Pages, shown: Sequence[Article]) -> Iterator[OutputFile]:
    """Yield one page per shown page (``type: page``): its own template, no neighbours."""
    for page in shown:
        facts = pages.page("page", page.title, page.path, page.summary, page.lang,
                           noindex=page.state(pages.site.now) != "published",
                           interface=language_of_page(pages.site, page),
                           alternates=article_alternates(pages.site, page, pages.href, pages.url))
        yield pages.job("page.html", page.path, facts, page.source, article=ViewOf(page.source))


def home_pages(pages: Pages, shown: Sequence[Article], only: Set[str] | None = None) -> Iterator[OutputFile]:
    """Yield the home of each language: the site's at the root, another's at 'xx/' (languages.py); with
    ``only``, the pages at those paths alone."""
    site = pages.site
    yield from list_pages(pages, "home", "", "", in_language(site, shown, site.languages[0]),
                          alternates=home_alternates(site, site.languages[0], pages.href, pages.url), only=only)
    for lang, articles in other_homes(site, shown):
        yield from list_pages(pages, "home", home_path(site, lang), "", articles, lang=lang,
                              alternates=home_alternates(site, lang, pages.href, pages.url), only=only)


def list_pages(pages: Pages, kind: str, base: str, heading: str, articles: Sequence[Article],
               intro: str = "", author: AuthorView | None = None, feeds: Sequence[Link] = (), lang: str = "",
               alternates: tuple[tuple[AlternateView, ...], str] = ((), ""),
               only: Set[str] | None = None) -> Iterator[OutputFile]:
    """Yield a paginated list of article cards (home, tag, category, author); ``lang`` is another
    language of the hub, whose words the list takes (the site's when empty); ``alternates`` go on its
    first page; with ``only``, the pages at those paths alone."""
    per_page = pages.site.config.paginate
    for number, chunk, pagination in paginate(pages, articles, per_page, base, lang, only):
        title = heading if number == 1 or not heading else f"{heading} ({number}/{pagination.pages})"
        if not heading and number > 1:
            title = strings(lang or pages.site.config.language)["page_n_of_m"].format(page=number,
                                                                                      pages=pagination.pages)
        page = pages.page(kind, title, page_path(base, number), intro, lang, feeds=feeds, interface=lang,
                          alternates=alternates if number == 1 else ((), ""))
        yield pages.job("list.html", page_path(base, number), page, f"the {kind} page {base or '/'}",
                           heading=heading, intro=intro, author=author, pagination=pagination,
                           articles=tuple(ViewOf(a.source) for a in chunk))


def taxonomy_pages(pages: Pages, shown: Sequence[Article], only: Set[str] | None = None) -> Iterator[PageJob]:
    """Yield tag, category and author pages and their indexes, for each language's home (under 'xx/'
    for another language than the site's, listing only that language's articles); with ``only``, the
    pages at those paths alone (a tag none of whose pages is asked for is not grouped: a hub has thousands)."""
    for lang in pages.site.languages:
        yield from _taxonomy_pages(pages, in_language(pages.site, shown, lang), language(pages.site, lang), only)


def list_base(path: str) -> str:
    """Return the path of a paginated list's first page from the path of any of its pages."""
    return _LATER_PAGE.sub("", path)


_LATER_PAGE = re.compile(r"page/[0-9]+/$")


def _taxonomy_pages(pages: Pages, shown: Sequence[Article], lang: str,
                    only: Set[str] | None) -> Iterator[PageJob]:
    site = pages.site
    t = strings(lang or site.config.language)
    home = home_path(site, lang)
    bases = {list_base(path) for path in only} if only is not None else None
    for kind, attribute, heading_key, index_key in (("tag", "tags", "tag_heading", "all_tags"),
                                                    ("category", "categories", "category_heading", "all_categories")):
        index = f"{home}{attribute}/"
        if bases is not None and not any(base.startswith(index) for base in bases):
            continue  # neither a list of these terms nor their index is asked for
        terms = tuple(replace(term, path=home + term.path) for term in group_terms(shown, attribute))
        for term in terms:
            if bases is not None and term.path not in bases:
                continue
            has_feed = any(a.state(site.now) == "published" for a in term.articles)
            yield from list_pages(pages, kind, term.path, t[heading_key].format(name=term.name), term.articles,
                                  feeds=term_feeds(site, term, pages.href, lang) if has_feed else (), lang=lang,
                                  only=only)
        if only is None or index in only:
            yield terms_page(pages, index, t[index_key], terms, lang)
    by_author: dict[str, list[Article]] = defaultdict(list)
    for article in shown:
        for author_id in article.authors:
            by_author[author_id].append(article)
    author_terms = []
    for author_id in sorted(by_author):
        view = author_view(pages, author_id, home)
        author_terms.append(Term(view.name, author_id, home + author_path(author_id), tuple(by_author[author_id])))
        if bases is not None and home + author_path(author_id) not in bases:
            continue
        yield from list_pages(pages, "author", home + author_path(author_id),
                              t["author_heading"].format(name=view.name), by_author[author_id],
                              intro=site.config.authors[author_id].bio, author=view, lang=lang, only=only)
    if only is None or f"{home}authors/" in only:
        yield terms_page(pages, f"{home}authors/", t["all_authors"], author_terms, lang)


def terms_page(pages: Pages, path: str, heading: str, terms: Sequence[Term], lang: str = "") -> PageJob:
    """Return an index page of terms with their counts (in ``lang``, another language of the hub, if given)."""
    views = tuple(TermView(term.name, pages.href(term.path), len(term.articles)) for term in terms)
    return pages.job("terms.html", path, pages.page("terms", heading, path, lang=lang, interface=lang),
                     f"the index {path}", heading=heading, terms=views)


def archive_pages(pages: Pages, shown: Sequence[Article], only: Set[str] | None = None) -> Iterator[OutputFile]:
    """Yield the archive index (years) and one paginated page per year, grouped by month, for each
    language's home (under 'xx/' for another language than the site's); with ``only``, the pages at those
    paths alone."""
    for lang in pages.site.languages:
        yield from _archive_pages(pages, in_language(pages.site, shown, lang), language(pages.site, lang), only)


def _archive_pages(pages: Pages, shown: Sequence[Article], lang: str, only: Set[str] | None) -> Iterator[OutputFile]:
    site = pages.site
    t = strings(lang or site.config.language)
    home = home_path(site, lang)
    by_year: dict[int, list[Article]] = defaultdict(list)
    for article in shown:
        by_year[article.date.year].append(article)
    years = tuple(TermView(str(year), pages.href(home + year_path(year)), len(by_year[year]))
                  for year in sorted(by_year, reverse=True))
    if only is None or f"{home}archive/" in only:
        yield pages.job("terms.html", f"{home}archive/", pages.page("terms", t["archive"], f"{home}archive/",
                                                                     lang=lang, interface=lang), "the archive",
                        heading=t["archive"], terms=years)
    for year in sorted(by_year, reverse=True):
        heading = t["archive_heading"].format(year=year)
        for number, chunk, pagination in paginate(pages, by_year[year], ARCHIVE_PAGE_SIZE, home + year_path(year),
                                                  lang, only):
            by_month: dict[int, list[Article]] = {}
            for article in chunk:  # months in the order of their first article
                by_month.setdefault(article.date.month, []).append(article)
            months = tuple(MonthView(month_name(group[0].date, lang or site.config.language),
                                     tuple(ViewOf(a.source) for a in group)) for group in by_month.values())
            path = page_path(home + year_path(year), number)
            yield pages.job("archive.html", path, pages.page("archive", heading, path, lang=lang, interface=lang),
                            f"the archive {year}", heading=heading, year=year, years=years, pagination=pagination,
                            months=months)


def paginate(pages: Pages, items: Sequence[Article], per_page: int, base: str, lang: str = "",
             only: Set[str] | None = None) -> Iterator[tuple[int, Sequence[Article], Pagination]]:
    """Yield (page number, its articles, its Pagination) for a list, in ``lang``'s words (else the
    site's); one empty page if no items; with ``only``, the pages at those paths alone (a home of 10,000
    articles has 1,000 pages: an edit asks for one or two)."""
    t = strings(lang or pages.site.config.language)
    count = max(1, -(-len(items) // per_page))
    for number in range(1, count + 1):
        if only is not None and page_path(base, number) not in only:
            continue
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



def search_page(pages: Pages, lang: str = "") -> PageJob:
    """Return the search page: a form over the Pagefind index of the published articles (cmhub/site/search/index.py),
    in the words of ``lang``, another language of the hub, at 'xx/search/' (the site's at 'search/')."""
    t = strings(lang or pages.site.config.language)
    path = home_path(pages.site, lang) + "search/"
    return pages.job("search.html", path, pages.page("search", t["search"], path, lang=lang, interface=lang),
                     "the search page", count=len(pages.site.published))


def feeds_page(pages: Pages) -> PageJob:
    """Return the page that explains feeds and lists them all: the site's, each tag's, each category's.

    Browsers are dropping XSLT, which styled feed.xml: this page is what a reader who clicks "subscribe" sees.
    """
    published = pages.site.published
    t = strings(pages.site.config.language)
    published = in_language(pages.site, published, pages.site.languages[0])  # another language's: on its lists
    tags, categories = (tuple(TermView(term.name, pages.href(term.path), len(term.articles))
                              for term in group_terms(published, field)) for field in ("tags", "categories"))
    languages = tuple(AlternateView(lang, feed_title(pages.site, lang), pages.href(home_path(pages.site, lang)),
                                    pages.url(home_path(pages.site, lang))) for lang in pages.site.languages[1:])
    return pages.job("feeds.html", "feeds/", pages.page("feeds", t["feeds_title"], "feeds/"), "the feeds page",
                     tags=tags, categories=categories, languages=languages)
