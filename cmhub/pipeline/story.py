"""The build, as a story: read the hub, make its teasers and plan, render the site, hand out the files."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import MappingProxyType

from cmhub.content.digests import ArticleDigests
from cmhub.content.memo import ReadMemo
from cmhub.content.model import Site
from cmhub.content.permalinks import match_moves, missing_articles, moved, record
from cmhub.content.reader import read_content
from cmhub.content.rows import RowDigests
from cmhub.core.dates import iso
from cmhub.core.errors import Problem, raise_errors
from cmhub.incremental.cache import RenderCache
from cmhub.incremental.workers import WorkerPool
from cmhub.ledgers.backfeed import load_backfeed
from cmhub.ledgers.permalinks_lock import Ledger
from cmhub.ledgers.plan_lock import PlanLedger
from cmhub.output.files import OutputFile
from cmhub.output.writer import StagedElsewhere
from cmhub.pipeline.project import Ledgers, Project, Reuse, compiled_templates
from cmhub.pipeline.site_files import (
    engine_warnings,
    pages_then_redirects,
    preview_files,
    render_engine,
    search_index,
)
from cmhub.pipeline.syndication import Syndication, SyndicationApart, start_syndication
from cmhub.site.feeds import feed_files
from cmhub.site.sitemap import sitemap_files
from cmhub.social.cadence import cadence_problems
from cmhub.social.words import counted, team_strings
from cmhub.theming.loader import Theme, compile_templates, load_theme


@dataclass(frozen=True)
class BuildResult:
    """A finished build: the site at ``now``, its output files, the warnings met, the new ledgers."""

    site: Site
    files: Iterable[OutputFile]
    """The public site, produced as it is consumed (read it once: the writer stores it as it comes)."""
    syndication: Syndication | SyndicationApart
    """The teasers and their plan, made here or by a forked process (cmhub/pipeline/syndication.py)."""
    reading_warnings: tuple[Problem, ...]
    """The warnings met before the syndication step (reading, theme, engine)."""
    ledger: Ledger
    article_times: frozenset[dt.datetime] = frozenset()
    """Every publication and expiry: the output changes by itself then."""
    cadence_warnings: tuple[Problem, ...] = ()

    @property
    def social(self) -> Iterable[OutputFile] | StagedElsewhere:
        """The team's folder: teasers and exports (produced as it is consumed), or its tree being made apart."""
        return self.syndication.folder()

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Every warning met, in the order of the stages."""
        return (*self.reading_warnings, *self.syndication.problems, *self.cadence_warnings)

    @property
    def instants(self) -> tuple[dt.datetime, ...]:
        """Every instant at which this output would change by itself (publications, expiries, teasers)."""
        return tuple(sorted(self.article_times | self.syndication.times))

    @property
    def plan_ledger(self) -> PlanLedger:
        """plan.lock as this build leaves it."""
        return self.syndication.plan_ledger

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


def build(project: Project, ledgers: Ledgers = Ledgers(), reuse: Reuse = Reuse(),
          progress: Callable[[str], None] = lambda stage: None, search: bool = True) -> BuildResult:
    """Return every output file of the hub as it stands at ``project.now``; ``progress`` hears each stage.

    Teasers are planned around those plan.lock records; the result holds its update. What ``reuse``
    says the previous output holds is not made again; when it can stage social/ (``reuse.stage_social``),
    the teasers and social/ may be made by a forked process meanwhile. ``search=False`` leaves the
    search index out (``cmhub check`` writes nothing, so needs none).

    Raises CmhubError listing every error found in the project (a teaser's, while the files are read
    when the teasers are made apart).
    """
    config = project.config
    theme = load_theme(config.theme, config.root, compiled_templates(reuse.bodies))
    progress("reading content")
    site, ledger, warnings = load_site(project, ledgers.permalinks, reuse.bodies, lambda: warm_up(theme),
                                       reuse.digests, reuse.memo, reuse.statuses)
    warnings = (*warnings, *theme.link_problems(), *engine_warnings(site))
    progress(f"making teasers and calendar for {len(site.articles)} articles")
    syndication = start_syndication(site, theme, reuse, ledgers.plan, reuse.stage_social)
    progress(f"rendering {len(site.shown)} article pages and lists ({config.engine} engine) and writing them")
    try:
        workers = WorkerPool()  # pages and feeds are planned first, then made by the same processes
        pages = render_engine(site, theme, reuse, workers)
        # a preview has no feeds: its pages link unpublished articles, which no subscriber may be shown
        feeds = feed_files(site, reuse.site, workers, reuse.digests) if not site.preview.active else iter(())
        files = itertools.chain(
            preview_files(site),
            pages_then_redirects(site, theme, ledger, pages),
            feeds,
            sitemap_files(site, reuse.site, RowDigests(reuse.bodies, reuse.digests)),
            syndication.site_files(),  # the published calendar, share and teaser pictures
        )
        if search:
            files = search_index(site, files, reuse.site)
    except BaseException as exc:
        syndication.discard(interrupted=not isinstance(exc, Exception))
        raise
    times = frozenset({a.date for a in site.articles} | {a.expires for a in site.articles if a.expires})
    return BuildResult(site, files, syndication, warnings, ledger, times, cadence_problems(config))


def load_site(project: Project, ledger: Ledger = Ledger(), bodies: RenderCache | None = None,
              while_bodies_render: Callable[[], None] | None = None,
              digests: ArticleDigests | None = None,
              memo: ReadMemo | None = None,
              statuses: RenderCache | None = None) -> tuple[Site, Ledger, tuple[Problem, ...]]:
    """Read the hub at ``project.now``; return the site, the ledger with new publications, the warnings.

    ``while_bodies_render()`` is called while article bodies render in other processes, if they do;
    ``digests`` learns each article's digest from what the reader made it from; ``memo`` keeps texts
    and articles between the builds of one process; ``statuses`` tells which files need not be read again.
    Raises CmhubError listing every error found in the content.
    """
    config, now, preview = project.config, project.now, project.request.preview
    content = read_content(config, now, preview, bodies, while_bodies_render, memo, statuses)
    raise_errors(content.problems)
    if digests is not None:
        for article in (*content.articles, *content.pages):
            made_from = content.made_from.get(article.source)
            if made_from is not None:
                digests.know(article, made_from)
    durable = (*content.articles, *content.pages)  # a page's URL is as durable as an article's
    moves = match_moves(ledger, durable)
    ledger = moved(ledger, moves)
    raise_errors(missing_articles(ledger, {a.source for a in durable}, now))
    ledger = record(ledger, durable, now, config.url)
    site = Site(config, now, content.articles, content.assets, preview,
                feed_ids=MappingProxyType({s: e.id for s, e in ledger.entries.items()}),
                moved=MappingProxyType(moves), backfeed=load_backfeed(config.root), pages=content.pages)
    return site, ledger, tuple(p for p in content.problems if p.severity == "warning")


def warm_up(theme: Theme) -> None:
    """Do ahead the first steps of the stages after reading: compile the page templates, import the
    feed libraries (done while article bodies render in other processes, whose pages and feeds
    processes then inherit what was done, instead of doing it each)."""
    compile_templates(theme)
    import feedgen.entry  # noqa: F401
    import feedgen.feed  # noqa: F401
