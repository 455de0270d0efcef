"""The build, as a story: read the hub, render it, write it."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from cmhub.content.digests import Kept
from cmhub.content.model import Preview, Site
from cmhub.content.permalinks import match_moves, missing_articles, moved, record, retired_targets, served
from cmhub.content.reader import read_content
from cmhub.core.dates import build_now, iso
from cmhub.core.errors import CmhubError, Problem, error, errors_in
from cmhub.incremental.cache import RenderCache
from cmhub.incremental.workers import Workshop
from cmhub.ledgers.backfeed import load_backfeed
from cmhub.ledgers.permalinks_lock import Ledger
from cmhub.ledgers.plan_lock import PlanLedger
from cmhub.output.files import OutputFile
from cmhub.settings.config import SiteConfig, load_config
from cmhub.site.builtin.engine import feed_stylesheet, render_pages, render_redirects
from cmhub.site.feeds import feed_files
from cmhub.site.pictures import picture_files
from cmhub.site.redirects import alias_redirects, check_redirects, ledger_redirects
from cmhub.site.search.index import search_files
from cmhub.site.sitemap import sitemap_files
from cmhub.social.cadence import cadence_problems
from cmhub.social.calendar.files import calendar_files
from cmhub.social.step import Social, syndicate
from cmhub.social.words import counted, team_strings
from cmhub.theming.loader import Theme, compile_templates, load_theme


@dataclass(frozen=True)
class BuildResult:
    """A finished build: the site at ``now``, its output files, the warnings met, the new ledger."""

    site: Site
    files: Iterable[OutputFile]
    """The public site, produced as it is consumed (read it once: the writer stores it as it comes)."""
    social: Iterable[OutputFile]
    """The team's folder: teasers and exports (also produced as it is consumed)."""
    warnings: tuple[Problem, ...]
    ledger: Ledger
    instants: tuple[dt.datetime, ...] = ()
    """Every instant at which this output would change by itself (publications, expiries, teasers)."""
    plan_ledger: PlanLedger = PlanLedger()
    """plan.lock as this build leaves it."""

    def summary(self) -> str:
        """Return the one line that ends a build, in the hub's language."""
        site = self.site
        lang = site.config.language
        counts = {state: len(site.in_state(state)) for state in ("published", "scheduled", "draft", "expired")}
        line = ", ".join(counted(lang, state, amount) for state, amount in counts.items()
                         if state != "expired" or amount)
        upcoming = site.next_scheduled()
        t = team_strings(lang)
        return line + (t["next_publication"].format(at=iso(upcoming)) if upcoming else t["nothing_scheduled"])


def _nothing_kept(path: str, key: str) -> bool:
    return False


@dataclass(frozen=True)
class Previous:
    """What the previous output folders hold: ``site(path, key)`` and ``social(path, key)`` tell whether
    a file made from inputs with that key is there, untouched (so it is not made again).

    None (the default): there is no previous output to use and no manifest to remember keys in.
    """

    site: Kept = None
    social: Kept = None


def compiled_templates(cache: RenderCache | None) -> Path | None:
    """Return where compiled templates are kept: beside the build cache, none without one."""
    return cache.path.parent / "templates" if cache is not None and cache.path is not None else None


def load_site(config: SiteConfig, now: dt.datetime, preview: Preview, ledger: Ledger,
              cache: RenderCache | None = None,
              meanwhile: Callable[[], None] | None = None) -> tuple[Site, Ledger, tuple[Problem, ...]]:
    """Read the hub at ``now``; return the site, the ledger with new publications, the warnings.

    ``meanwhile()`` is called while article bodies render in other processes, if they do.
    Raises CmhubError listing every error found in the content.
    """
    content = read_content(config, now, preview, cache, meanwhile)
    raise_errors(content.problems)
    moves = match_moves(ledger, content.articles)
    ledger = moved(ledger, moves)
    raise_errors(missing_articles(ledger, {a.source for a in content.articles}, now))
    ledger = record(ledger, content.articles, now, config.url)
    site = Site(config, now, content.articles, content.assets, preview,
                feed_ids=MappingProxyType({s: e.id for s, e in ledger.entries.items()}),
                moved=MappingProxyType(moves), backfeed=load_backfeed(config.root))
    return site, ledger, tuple(p for p in content.problems if p.severity == "warning")


def build(config: SiteConfig, now: dt.datetime, preview: Preview = Preview(),
          ledger: Ledger = Ledger(), progress: Callable[[str], None] = lambda stage: None,
          cache: RenderCache | None = None, teaser_cache: RenderCache | None = None,
          previous: Previous = Previous(), plan_ledger: PlanLedger = PlanLedger(),
          search: bool = True) -> BuildResult:
    """Return every output file of the hub as it stands at ``now``; ``progress`` hears each stage.

    Teasers are planned around those ``plan_ledger`` (plan.lock) records; the result holds its update.

    ``previous`` tells which files the previous output already holds (they are not made again).
    ``search=False`` leaves the search index out (``cmhub check`` writes nothing, so needs none).

    Raises CmhubError listing every error found in the project.
    """
    theme = load_theme(config.theme, config.root, compiled_templates(cache))
    progress("reading content")
    site, ledger, warnings = load_site(config, now, preview, ledger, cache, lambda: get_ready(theme))
    warnings = (*warnings, *theme.link_problems())
    progress(f"making teasers and calendar for {len(site.articles)} articles")
    social = syndicate(site, theme, teaser_cache, plan_ledger)
    raise_errors(social.problems)
    warnings = (*warnings, *social.problems, *cadence_problems(config))
    progress(f"rendering {len(site.shown)} article pages and lists ({config.engine} engine) and writing them")
    workshop = Workshop()  # pages and feeds are planned first, then made by the same processes
    pages = render_engine(site, theme, previous.site, workshop)
    # a preview has no feeds: its pages link unpublished articles, which no subscriber may be shown
    feeds = feed_files(site, previous.site, workshop) if not preview.active else iter(())
    files = itertools.chain(
        preview_files(site),
        pages_then_redirects(site, theme, ledger, pages),
        feeds,
        sitemap_files(site),
        published_calendar(site, social, theme, previous.site),
        social.public,
    )
    if search:
        files = search_index(site, files, previous.site)
    instants = {a.date for a in site.articles} | {a.expires for a in site.articles if a.expires}
    instants |= {t.at for t in social.plan.teasers}
    return BuildResult(site, files, social.files(site, theme, previous.social), warnings, ledger,
                       tuple(sorted(instants)), social.plan.ledger)


def get_ready(theme: Theme) -> None:
    """Do ahead the first steps of the stages after reading: compile the page templates, import the
    feed libraries (done while article bodies render in other processes, whose pages and feeds
    processes then inherit what was done, instead of doing it each)."""
    compile_templates(theme)
    import feedgen.entry  # noqa: F401
    import feedgen.feed  # noqa: F401


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


def render_engine(site: Site, theme: Theme, kept: Kept = None,
                  workshop: Workshop | None = None) -> Iterator[OutputFile]:
    """Return the HTML pages from the configured engine: cmhub's theme, or Material for MkDocs.

    The built-in engine plans its pages now and renders them, in ``workshop``, as they are read.
    """
    if site.config.engine == "material":
        return material_pages(site, theme)
    return render_pages(site, theme, kept, workshop)


def material_pages(site: Site, theme: Theme) -> Iterator[OutputFile]:
    """Yield the HTML pages that Material for MkDocs makes, and the stylesheet of cmhub's feeds."""
    from cmhub.site.material import render_material  # MkDocs is loaded only when asked for

    yield from render_material(site, site.config.theme)
    yield feed_stylesheet(site, theme)


def search_index(site: Site, files: Iterable[OutputFile], kept: Kept) -> Iterable[OutputFile]:
    """Yield the site's files, then the Pagefind index of its published article pages (cmhub/site/search/index.py).

    The index is made from the pages as they pass, and is one more set of output files: it lands in the
    output folder with the pages it indexes, or not at all. Material for MkDocs keeps its own search;
    ``search: false`` in site.yml turns it off.
    """
    if site.config.engine == "material" or not site.config.search:
        return files
    return search_files(site, files, kept, site.config.output)


def published_calendar(site: Site, social: Social, theme: Theme,
                       kept: Kept) -> Iterator[OutputFile]:
    """Yield the calendar for the public site, only when site.yml asks for it (it shows scheduled titles)."""
    if site.config.calendar.publish:
        yield from calendar_files(site, social.plan, theme, kept, folder="calendar/")


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


def raise_errors(problems: Sequence[Problem]) -> None:
    """Raise CmhubError with every problem if any of them is an error."""
    if errors_in(problems):
        raise CmhubError(problems)


def load_project(root: Path, now: str | None) -> tuple[SiteConfig, dt.datetime]:
    """Return the project's settings and the build's one clock.

    Raises CmhubError for a broken site.yml or an unreadable --now / SOURCE_DATE_EPOCH.
    """
    config = load_config(root)
    try:
        return config, build_now(now, config.tz)
    except ValueError as exc:
        raise CmhubError([error("--now", None, str(exc))]) from exc




