"""The public site's files, in the order they are written: pages and content files, redirects, feeds,
sitemap, the published calendar, share pictures, then the search index made from the pages."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from cmhub.content.model import Site
from cmhub.content.permalinks import retired_targets, served
from cmhub.core.errors import Problem, raise_errors, warning
from cmhub.incremental.reuse import ReuseCheck
from cmhub.incremental.workers import WorkerPool
from cmhub.ledgers.permalinks_lock import Ledger
from cmhub.output.files import OutputFile
from cmhub.pipeline.project import Reuse
from cmhub.settings.config import CONFIG_NAME
from cmhub.site.builtin.engine import feed_stylesheets, render_pages, render_redirects
from cmhub.site.pictures import picture_files
from cmhub.site.redirects import alias_redirects, check_redirects, ledger_redirects
from cmhub.site.search.stage import search_files
from cmhub.social.calendar.files import calendar_files
from cmhub.social.step import Social
from cmhub.theming.loader import Theme


def pages_then_redirects(site: Site, theme: Theme, ledger: Ledger,
                         pages: Iterator[OutputFile]) -> Iterator[OutputFile]:
    """Yield the pages and content files, then the redirects, which must not hide any of them.

    Raises CmhubError (while the output is being written, so nothing is swapped in) when an alias
    or an old URL would replace a real page.
    """
    taken = []
    for item in itertools.chain(pages, asset_files(site)):
        taken.append(item.path)
        yield item
    known = served(ledger, site.now, (a.source for a in site.in_state("scheduled")))  # the rest leaves no trace
    raise_errors(retired_targets(known, taken))
    old_urls, gone = ledger_redirects(site, known)
    redirects = [*alias_redirects(site), *old_urls]
    check_redirects(redirects, taken)
    yield from render_redirects(site, theme, redirects, gone)


def render_engine(site: Site, theme: Theme, reuse: Reuse = Reuse(),
                  workers: WorkerPool | None = None) -> Iterator[OutputFile]:
    """Return the HTML pages from the configured engine: cmhub's theme, or Material for MkDocs.

    The built-in engine plans its pages now and renders them, in ``workers``, as they are read.
    """
    if site.config.engine == "material":
        return material_pages(site, theme)
    return render_pages(site, theme, reuse.site, workers, reuse.digests, reuse.bodies)


def engine_warnings(site: Site) -> tuple[Problem, ...]:
    """Return what the configured engine cannot show of this hub: Material for MkDocs and translations."""
    if site.config.engine != "material" or len(site.languages) < 2:
        return ()
    return (warning(CONFIG_NAME, None, "engine 'material' does not show translations: its pages get no "
                    "language switcher, no hreflang links and no home per language (the feeds per language, "
                    "such as en/feed.xml, and the sitemap's alternates are made); use the built-in engine "
                    "for a hub with 'translation_of'"),)


def material_pages(site: Site, theme: Theme) -> Iterator[OutputFile]:
    """Yield the HTML pages that Material for MkDocs makes, and the stylesheet of cmhub's feeds."""
    from cmhub.site.material import render_material  # MkDocs is loaded only when asked for

    yield from render_material(site, site.config.theme)
    yield from feed_stylesheets(site, theme)


def search_index(site: Site, files: Iterable[OutputFile], reuse: ReuseCheck) -> Iterable[OutputFile]:
    """Yield the site's files, then the Pagefind index of its published article pages (cmhub/site/search/).

    The index is made from the pages as they pass, and is one more set of output files: it lands in the
    output folder with the pages it indexes, or not at all. Material for MkDocs keeps its own search;
    ``search: false`` in site.yml turns it off.
    """
    if site.config.engine == "material" or not site.config.search:
        return files
    return search_files(site, files, reuse, site.config.output)


def published_calendar(site: Site, social: Social, theme: Theme, reuse: ReuseCheck) -> Iterator[OutputFile]:
    """Yield the calendar for the public site, only when site.yml asks for it (it shows scheduled titles)."""
    if site.config.calendar.publish:
        yield from calendar_files(site, social.plan, theme, reuse, folder="calendar/")


def preview_files(site: Site) -> Iterator[OutputFile]:
    """Yield, in a preview, a .gitignore that keeps git from committing it (it shows drafts), whatever
    the project's own .gitignore says."""
    if site.preview.active:
        yield OutputFile(".gitignore", b"# a preview of unpublished articles, made by cmhub: never committed\n*\n")


def asset_files(site: Site) -> Iterator[OutputFile]:
    """Yield the files of content/ that the site serves as they are, and the smaller copies of the
    pictures that the built-in theme's pages show (cmhub/site/pictures.py)."""
    for asset in site.assets:
        yield OutputFile(asset.path, source=asset.source)
    if site.config.engine != "material":
        yield from picture_files(site)
