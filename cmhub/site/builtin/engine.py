"""The built-in engine: every HTML page of the site, from the Site and the theme."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import replace
from typing import Any

from cmhub.content.digests import ArticleDigests, site_digest
from cmhub.content.model import Site
from cmhub.content.rows import RowDigests
from cmhub.core.urls import output_file
from cmhub.incremental.cache import RenderCache
from cmhub.incremental.reuse import ReuseCheck, all_held, digest, digest_of, reuse_markers
from cmhub.incremental.reuse import keyed as keyed_file
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
from cmhub.site.builtin.plans import FAMILIES, PagePlan, keep_plans, page_key, plans_key, recall_plans
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
from cmhub.site.pictures import BodyPictures, picture_status
from cmhub.site.redirects import Redirect, redirect_files
from cmhub.theming.loader import Theme, asset_function, make_environment, render_template
from cmhub.theming.words import strings


def render_pages(site: Site, theme: Theme, reuse: ReuseCheck = None, workers: WorkerPool | None = None,
                 digests: ArticleDigests | None = None, cache: RenderCache | None = None) -> Iterator[OutputFile]:
    """Return every HTML page of the site, plus the theme's static files.

    The pages are planned now and rendered as the files are read, by ``workers``'s processes when
    it has them. A page the previous output holds, made from the same inputs (``reuse``), is not
    rendered again but marked for reuse; ``digests`` tells what each article holds, for the keys.
    ``cache`` keeps the plan of the pages for the next build (cmhub/site/builtin/plans.py).
    """
    static = theme.static_files()
    pages = _pages(site, theme, static)
    if reuse is None:
        keyed: list[tuple[str, str, PageJob | None]] = [(job.path, "", job) for _, job in plan_pages(site, pages)]
    else:
        keyed = _keyed(site, theme, static, pages, reuse, digests or ArticleDigests(), cache)
    fresh, reused = [], []
    for path, key, job in keyed:
        if job is None or all_held(reuse, [output_file(path)], key):  # None: the kept plan found it held
            reused.extend(reuse_markers([output_file(path)], key))
        else:
            fresh.append((job, key))
    made = (workers or WorkerPool()).add([job for job, _ in fresh], lambda job: (pages.run(job),),
                                        PARALLEL_PAGES_FROM)
    stylesheets = feed_stylesheets(site, theme)
    static_files = [OutputFile(f"static/{name}", source=source) for name, source in static.items()]
    return itertools.chain(reused, (keyed_file(page, key) for (_, key), page in zip(fresh, made, strict=True)),
                           stylesheets, static_files)


def page_families(site: Site, pages: Pages,
                  only: Set[str] | None = None) -> dict[str, Callable[[], Iterable[PageJob]]]:
    """Return how to plan each family of pages (plans.FAMILIES), in the order the pages are written;
    with ``only`` (paths), the lists plan the pages at those paths alone (an edit at 10,000 articles asks
    for a dozen of their ~5,000 pages, and a hub has thousands of tags)."""
    shown = site.shown
    families: dict[str, Callable[[], Iterable[PageJob]]] = {
        "article": lambda: article_pages(pages, shown),
        "page": lambda: page_pages(pages, site.shown_pages),
        "home": lambda: home_pages(pages, shown, only),
        "taxonomy": lambda: taxonomy_pages(pages, shown, only),
        "archive": lambda: archive_pages(pages, shown, only),
        "other": lambda: _other_pages(site, pages),
    }
    assert tuple(families) == FAMILIES
    return families


def plan_pages(site: Site, pages: Pages) -> list[tuple[str, PageJob]]:
    """Return the job of every HTML page of the site with its family, in the order they are written."""
    return [(family, job) for family, plan in page_families(site, pages).items() for job in plan()]


def _other_pages(site: Site, pages: Pages) -> list[PageJob]:
    return [
        *([search_page(pages, lang) for lang in ("", *site.languages[1:])] if site.config.search else []),
        *([feeds_page(pages)] if not site.preview.active else []),  # a preview has no feeds (issue #21.3)
        pages.job("404.html", "404.html", pages.page("404", strings(site.config.language)["not_found_title"],
                                                     "404.html", noindex=True), "the 404 page"),
    ]


def _keyed(site: Site, theme: Theme, static: Mapping[str, Any], pages: Pages, reuse: Callable[[str, str], bool],
           digests: ArticleDigests, cache: RenderCache | None) -> list[tuple[str, str, PageJob | None]]:
    """Return each page's path, key and job; the job is None for a page the previous output holds, when
    the plan kept by the build before tells its key (then the page was not planned: plans.py)."""
    base = _base(site, theme, static, pages)
    views = _views(site, digests, pages.body_pictures)
    key = plans_key(site, base, RowDigests(cache, digests)) if cache is not None else ""
    kept = recall_plans(cache, key) if cache is not None else None
    if kept is not None:
        found = _from_kept(site, pages, base, views, kept, reuse)
        if found is not None:
            return found
    planned = plan_pages(site, pages)
    plans = [_plan_of(base, family, job) for family, job in planned]
    if cache is not None:
        keep_plans(cache, key, plans)
    return [(job.path, page_key(plan.plan, plan.shows, views), job)
            for (_, job), plan in zip(planned, plans, strict=True)]


def _from_kept(site: Site, pages: Pages, base: str, views: dict[str, str], kept: Sequence[PagePlan],
               reuse: Callable[[str, str], bool]) -> list[tuple[str, str, PageJob | None]] | None:
    """Return what _keyed returns from a kept plan, planning again only the pages to render; None when
    they are too many, or one of them is not planned as the kept plan says."""
    keys = [page_key(plan.plan, plan.shows, views) for plan in kept]
    again = [plan for plan, key in zip(kept, keys, strict=True) if not reuse(output_file(plan.path), key)]
    if len(again) * 4 > len(kept):  # most pages change: planning them all costs no more
        return None
    jobs = _plan_again(site, pages, again)
    for plan in again:
        job = jobs.get(plan.path)
        if job is None or _plan_of(base, plan.family, job) != plan:
            return None
    return [(plan.path, key, jobs.get(plan.path)) for plan, key in zip(kept, keys, strict=True)]


def _plan_again(site: Site, pages: Pages, wanted: Sequence[PagePlan]) -> dict[str, PageJob]:
    """Return the jobs of the pages ``wanted``, by path: an article's page alone, a list with its family."""
    paths = {plan.path for plan in wanted}
    found: dict[str, PageJob] = {}
    families = page_families(site, pages, paths)
    for family in dict.fromkeys(plan.family for plan in wanted):
        if family in ("article", "page"):
            jobs: Iterable[PageJob] = (job for plan in wanted if plan.family == family
                                       if (job := page_job_of(pages, plan.own)) is not None)
        else:
            jobs = families[family]()
        found.update((job.path, job) for job in jobs if job.path in paths)
    return found


def _base(site: Site, theme: Theme, static: Mapping[str, Any], pages: Pages) -> str:
    """Return what every page's key shares: the templates, the static files' digests, cmhub's version,
    site.yml, the preview switches, the logo's file (every page shows it, sized) and the menus (the
    pictures a body shows are its view's: _views)."""
    logo = site.config.logo.lstrip("/")
    return digest(site_digest(site), theme.template_digest(), sorted((name, pages.asset(name)) for name in static),
                  picture_status(site.config.content / logo) if logo else None,
                  # site.yml's menus (the site's, each language's) lead to what this build shows: an entry
                  # comes with its article or page
                  *(pages.menu_links(which, replace(_NO_PAGE, interface=lang)) for lang in ("", *site.languages[1:])
                    for which in ("menu", "footer") if pages.menu_entries(which, lang)))


def _views(site: Site, digests: ArticleDigests, pictures: BodyPictures) -> dict[str, str]:
    """Return the digest of each shown article's and page's view, by source.

    A view is made from its article, site.yml (in every key), the article's state at the build's clock
    and the site's pictures its body shows (their sizes: a picture published, or changed, re-renders the
    pages that show it, not every page): the view itself is not made (only the pages to render make theirs).
    """
    now = site.now
    return {article.source: f"{digests(article)}:{article.state(now)}:{site.backfeed.digest(article.source)}"
                            f"{pictures.digest(article.pictures)}"
            for article in (*site.shown, *site.shown_pages)}


def _plan_of(base: str, family: str, job: PageJob) -> PagePlan:
    """Return a page's plan: the digest of its job but the views it shows, and their sources in order."""
    shows: list[str] = []

    def described(value: Any) -> str:
        if type(value) is ViewOf:
            shows.append(value.source)
            return "@"
        if isinstance(value, _PLAIN_VIEWS):
            return repr(value)
        if isinstance(value, ArticleView):  # not one of the site's views: what it holds, field by field
            return digest_of(getattr(value, name) for name in _VIEW_FIELDS)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            inner = ",".join(described(getattr(value, f.name)) for f in dataclasses.fields(value))
            return f"{type(value).__name__}({inner})"
        if isinstance(value, (tuple, list)):
            return "[" + ",".join(described(v) for v in value) + "]"
        if isinstance(value, dict):
            return "{" + ",".join(f"{k!r}:{described(v)}" for k, v in sorted(value.items())) + "}"
        return repr(value)

    plan = digest(base, job.template, job.path, described(job.page), described(job.values))
    return PagePlan(job.path, family, job.what if family in ("article", "page") else "", plan, tuple(shows))


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

