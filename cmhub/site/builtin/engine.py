"""The built-in engine: every HTML page of the site, from the Site and the theme."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from cmhub.content.digests import ArticleDigests, site_digest
from cmhub.content.model import Site
from cmhub.core.urls import output_file
from cmhub.incremental.reuse import ReuseCheck, all_held, digest, digest_of, keyed, reuse_markers
from cmhub.incremental.workers import WorkerPool
from cmhub.output.files import OutputFile
from cmhub.site.builtin.article_views import ArticleViews
from cmhub.site.builtin.languages import home_path, language, site_words
from cmhub.site.builtin.listings import (
    archive_pages,
    article_pages,
    feeds_page,
    home_pages,
    page_job_of,
    page_pages,
    search_page,
    taxonomy_pages,
)
from cmhub.site.builtin.pages import PageJob, Pages, site_view
from cmhub.site.builtin.views import (
    ArticleView,
    AuthorView,
    ImageView,
    Link,
    PageView,
    Pagination,
    TermView,
    ViewOf,
)
from cmhub.site.redirects import Redirect, redirect_files
from cmhub.theming.loader import Theme, asset_function, make_environment, render_template
from cmhub.theming.words import strings


def render_pages(site: Site, theme: Theme, reuse: ReuseCheck = None,
                 workers: WorkerPool | None = None, digests: ArticleDigests | None = None) -> Iterator[OutputFile]:
    """Return every HTML page of the site, plus the theme's static files.

    The pages are planned now and rendered as the files are read, by ``workers``'s processes when
    it has them. A page the previous output holds, made from the same inputs (``reuse``), is not
    rendered again but marked for reuse; ``digests`` tells what each article holds, for the keys.
    """
    static = theme.static_files()
    pages = _pages(site, theme, static)
    shown = site.shown
    jobs = [
        *article_pages(pages, shown),
        *page_pages(pages, site.shown_pages),
        *home_pages(pages, shown),
        *taxonomy_pages(pages, shown),
        *archive_pages(pages, shown),
        *([search_page(pages, lang) for lang in ("", *site.languages[1:])] if site.config.search else []),
        *([feeds_page(pages)] if not site.preview.active else []),  # a preview has no feeds (issue #21.3)
        pages.job("404.html", "404.html", pages.page("404", strings(site.config.language)["not_found_title"],
                                                     "404.html", noindex=True), "the 404 page"),
    ]
    keys = page_keys(site, theme, static, pages, jobs, digests or ArticleDigests()) if reuse is not None \
        else [""] * len(jobs)
    fresh, reused = [], []
    for job, key in zip(jobs, keys, strict=True):
        if all_held(reuse, [output_file(job.path)], key):
            reused.extend(reuse_markers([output_file(job.path)], key))
        else:
            fresh.append((job, key))
    made = (workers or WorkerPool()).add([job for job, _ in fresh], lambda job: (pages.run(job),),
                                        PARALLEL_PAGES_FROM)
    stylesheets = feed_stylesheets(site, theme)
    static_files = [OutputFile(f"static/{name}", source=source) for name, source in static.items()]
    return itertools.chain(reused, (keyed(page, key) for (_, key), page in zip(fresh, made, strict=True)),
                           stylesheets, static_files)


def _pages(site: Site, theme: Theme, static: Mapping[str, Any]) -> Pages:
    """Return the renderer of the site's pages, its articles' views made when first asked for."""
    env = make_environment(theme)
    asset = asset_function(site.config.base_path, static)
    bare = Pages(site, theme, env, asset, {})
    return Pages(site, theme, env, asset, ArticleViews(bare, (*site.shown, *site.shown_pages)))


def article_page(site: Site, theme: Theme, source: str) -> OutputFile | None:
    """Return the page of the article or page ``source`` alone, as render_pages makes it (`cmhub serve`
    shows the page of the article being written first); None when the site does not show it."""
    pages = _pages(site, theme, theme.static_files())
    job = page_job_of(pages, source)
    return pages.run(job) if job is not None else None


def page_keys(site: Site, theme: Theme, static: Mapping[str, Any], pages: Pages,
              jobs: Sequence[PageJob], digests: ArticleDigests) -> list[str]:
    """Return, for each page job, a digest of everything its bytes depend on.

    The templates, the static files' digests, cmhub's version, site.yml and the preview switches
    make a common part; each article's view is digested once, however many lists show it.
    """
    base = digest(site_digest(site), theme.template_digest(), sorted((name, pages.asset(name)) for name in static),
                  pages.body_pictures.digest(),  # the size of each picture a body shows
                  # site.yml's menus (the site's, each language's) lead to what this build shows: an entry
                  # comes with its article or page
                  *(pages.menu_links(which, replace(_NO_PAGE, interface=lang)) for lang in ("", *site.languages[1:])
                    for which in ("menu", "footer") if pages.menu_entries(which, lang)))
    # a view is made from its article, site.yml (in ``base``) and the article's state at the build's
    # clock: the view itself is not made (only the pages to render make theirs)
    now = site.now
    views = {article.source: f"{digests(article)}:{article.state(now)}:{site.backfeed.digest(article.source)}"
             for article in (*site.shown, *site.shown_pages)}

    def described(value: Any) -> str:
        if type(value) is ViewOf:
            return views[value.source]
        if isinstance(value, ArticleView):
            found = views.get(value.href)
            if found is None:  # not one of the site's views: digest what it holds, field by field
                # (no copy of the whole article; the small parts are frozen dataclasses of plain values)
                found = views[value.href] = digest_of(getattr(value, name) for name in _VIEW_FIELDS)
            return found
        if isinstance(value, _PLAIN_VIEWS):
            return repr(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            inner = ",".join(described(getattr(value, f.name)) for f in dataclasses.fields(value))
            return f"{type(value).__name__}({inner})"
        if isinstance(value, (tuple, list)):
            return "[" + ",".join(described(v) for v in value) + "]"
        if isinstance(value, dict):
            return "{" + ",".join(f"{k!r}:{described(v)}" for k, v in sorted(value.items())) + "}"
        return repr(value)

    return [digest(base, job.template, job.path, described(job.page), described(job.values)) for job in jobs]


_NO_PAGE = PageView(kind="", title="", description="", href="", url="", lang="", locale="", feeds=())
"""A page no menu entry leads to: the menus' links with none of them current."""
_VIEW_FIELDS = tuple(f.name for f in dataclasses.fields(ArticleView))
_PLAIN_VIEWS = (Link, TermView, AuthorView, ImageView, Pagination, PageView)
"""Views made of plain values only: their repr says all they hold."""

PARALLEL_PAGES_FROM = 300
"""Below this many pages, starting processes costs more than it saves."""


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


def feed_stylesheet(site: Site, theme: Theme, lang: str = "") -> OutputFile:
    """Return feed.xsl, which makes the feeds readable in a browser, in the site language; ``lang``,
    another language of the hub, gets its own under its home (en/feed.xsl), for its feeds."""
    config = site.config
    view = site_view(site, lambda p: config.base_path + p, lambda p: config.url + p)
    if lang:
        title, description = site_words(site, lang)
        view = replace(view, title=title, description=description, language=lang,
                       href=config.base_path + home_path(site, lang))
    context = {"site": view, "t": strings(lang or config.language)}
    text = render_template(make_environment(theme), theme, "feed.xsl", context, "the feed stylesheet")
    return OutputFile(home_path(site, lang) + "feed.xsl", text.encode("utf-8"))


def feed_stylesheets(site: Site, theme: Theme) -> list[OutputFile]:
    """Return the feed stylesheet of each language's home: the site's, then the others' (languages.py)."""
    return [feed_stylesheet(site, theme, language(site, lang)) for lang in site.languages]

