"""A hub opened for one run: its settings as the command line overrides them, the run's one clock,
the ledgers a build starts from, and what it may reuse from the build before.

``cmhub build``, ``check``, ``syndicate`` and ``serve``, and the set-up of ``publish``,
``interactions`` and ``report``, all open a hub here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from cmhub.content.digests import ArticleDigests
from cmhub.content.memo import ReadMemo
from cmhub.core.dates import build_now
from cmhub.core.errors import CmhubError, error
from cmhub.core.locations import CACHE_FOLDER
from cmhub.incremental.cache import RenderCache
from cmhub.incremental.reuse import ReuseCheck
from cmhub.ledgers.permalinks_lock import Ledger
from cmhub.ledgers.permalinks_reading import load_ledger
from cmhub.ledgers.plan_lock import PlanLedger, load_plan_ledger
from cmhub.output.writer import Stager
from cmhub.settings.config import SiteConfig, load_config
from cmhub.settings.request import BuildRequest


@dataclass(frozen=True)
class Project:
    """A hub opened for one run."""

    config: SiteConfig
    """site.yml, with the output folder and engine the request chooses."""
    now: dt.datetime
    """The run's one clock."""
    request: BuildRequest = BuildRequest()

    @property
    def root(self) -> Path:
        """Return the hub's folder (the one holding site.yml)."""
        return self.config.root


def open_project(root: Path, request: BuildRequest = BuildRequest()) -> Project:
    """Read the hub's settings and the run's clock (``--now``, else SOURCE_DATE_EPOCH, else the clock).

    Raises CmhubError for a broken site.yml or an unreadable --now / SOURCE_DATE_EPOCH.
    """
    config = request.aimed(load_config(root))
    try:
        return Project(config, build_now(request.now, config.tz), request)
    except ValueError as exc:
        raise CmhubError([error("--now", None, str(exc))]) from exc


@dataclass(frozen=True)
class Ledgers:
    """The ledgers a build starts from."""

    permalinks: Ledger = Ledger()
    permalinks_text: str = ""
    """permalinks.lock as read ('' when there is none yet), kept as it is when the ledger is unchanged."""
    plan: PlanLedger = PlanLedger()


def load_ledgers(root: Path, cached: bool = False) -> Ledgers:
    """Read permalinks.lock and plan.lock; raise CmhubError when one is damaged. ``cached``: the build cache
    may record that permalinks.lock passed its checks, and the same text is then read without them."""
    permalinks, text = load_ledger(root, root / CACHE_FOLDER / "permalinks.checked" if cached else None)
    return Ledgers(permalinks, text, load_plan_ledger(root))


@dataclass(frozen=True)
class Reuse:
    """What a build may take from the build before: its caches, and the files its output folders hold.

    The default reuses nothing and remembers nothing (``cmhub check``, a first build).
    """

    bodies: RenderCache | None = None
    """Rendered article bodies (and parsed front matter) by their source's digest."""
    teasers: RenderCache | None = None
    site: ReuseCheck = None
    """What the previous site/ (or preview/) holds."""
    social: ReuseCheck = None
    """What the previous social/ holds."""
    digests: ArticleDigests = field(default_factory=ArticleDigests)
    """Each article's digest, worked out once for every key that needs it."""
    memo: ReadMemo | None = None
    """The texts and articles of the build before, kept in memory by a process that builds again (cmhub serve)."""
    statuses: RenderCache | None = None
    """The status of each article file the build before read, with the keys of what it made from it: a
    file whose status is the same is not read again (cmhub/content/statuses.py). Kept apart from ``bodies``:
    after a checkout (new statuses, same texts) every shard of ``bodies`` would otherwise be written again."""
    stage_social: Stager | None = None
    """Stages social/ from its files, when the build writes it: the syndication step may then be made,
    social/ included, by a forked process while the pages render (cmhub/pipeline/syndication.py)."""
    syndicate_apart: bool = False
    """Let a forked process make the syndication step while the pages render even when the build writes
    no social/ (cmhub serve): it sends back what it added to ``teasers``, which this process keeps."""


def compiled_templates(cache: RenderCache | None) -> Path | None:
    """Return where compiled templates are kept: beside the build cache, none without one."""
    return cache.path.parent / "templates" if cache is not None and cache.path is not None else None
