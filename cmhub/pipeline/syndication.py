"""The build's syndication step: the teasers, their plan, the team's folder social/ and the few files
they add to site/ (the published calendar, the share and teaser pictures).

It reads the site and writes nothing the site's pages read. So when the build writes social/ on a
machine with two cores, a forked process makes the whole step, social/'s tree included, while this
one renders the pages (cmhub/incremental/forked.py): the same bytes, in about the time of the longer
of the two. Otherwise it is made here, as before the pages. Either way a mistake in a teaser fails
the build before any folder is put in place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from cmhub.content.model import Site
from cmhub.core.errors import Problem, raise_errors
from cmhub.incremental.forked import Forked
from cmhub.incremental.reuse import reuse_nothing
from cmhub.incremental.workers import forks_memory_allows, worker_count
from cmhub.ledgers.plan_lock import PlanLedger
from cmhub.output.files import OutputFile
from cmhub.output.manifest import Manifest
from cmhub.output.previous import PreviousOutput
from cmhub.output.writer import Staged, StagedElsewhere, Stager
from cmhub.pipeline.project import Reuse
from cmhub.pipeline.site_files import published_calendar
from cmhub.social.kept import keep_step, kept_folder, read_step, recall_step
from cmhub.social.step import Social, syndicate
from cmhub.theming.loader import Theme


class Syndication:
    """The step, made in this process (see the module's docstring)."""

    def __init__(self, site: Site, theme: Theme, reuse: Reuse, plan: PlanLedger):
        self.site, self.theme, self.reuse = site, theme, reuse
        self.social: Social = syndicate(site, theme, reuse.teasers, plan, digests=reuse.digests)
        raise_errors(self.social.problems)

    @property
    def problems(self) -> tuple[Problem, ...]:
        """The warnings met (an error was raised at once)."""
        return self.social.problems

    @property
    def plan_ledger(self) -> PlanLedger:
        """plan.lock as this build leaves it."""
        return self.social.plan.ledger

    @property
    def times(self) -> frozenset[dt.datetime]:
        """When each planned teaser goes out (the output changes then)."""
        return frozenset(t.at for t in self.social.plan.teasers)

    def site_files(self) -> Iterator[OutputFile]:
        """Yield what the step adds to site/: the published calendar, the share and teaser pictures."""
        yield from published_calendar(self.site, self.social, self.theme, self.reuse.site)
        yield from self.social.public

    def folder(self, previous: PreviousOutput | None = None) -> Iterable[OutputFile] | StagedElsewhere:
        """Return social/'s files, made as they are read (``previous``: social/ as the last build wrote it)."""
        return self.social.files(self.site, self.theme, self.reuse.social, previous)

    def discard(self, interrupted: bool = False) -> None:
        """Forget the step (the build failed): nothing to do when it was made here."""


@dataclass(frozen=True)
class _Made:
    """What the forked process sends back first, before it stages social/ (the pages wait for it)."""

    problems: tuple[Problem, ...]
    plan_ledger: PlanLedger
    times: frozenset[dt.datetime]
    site_files: tuple[OutputFile, ...]
    teasers_learnt: tuple[dict[str, object], set[str]] | None = None
    """Without social/ (cmhub serve): what it added to, and used of, the teaser cache this process keeps."""


class SyndicationApart(StagedElsewhere):
    """The step, social/'s tree included, made by a forked process (see the module's docstring)."""

    def __init__(self, site: Site, theme: Theme, reuse: Reuse, plan: PlanLedger, stage: Stager | None):
        self.stage = stage
        """What stages social/ (its previous write's manifest, not sent back, is read here once the
        child is at work: reading it before would delay the child)."""
        self.forked = Forked(lambda send: _made_apart(site, theme, reuse, plan, stage, send))
        self.stages = stage is not None
        """Whether the child stages social/ (else its result is all it sends)."""
        self.teasers = reuse.teasers if stage is None else None
        """Without social/, the teaser cache this process keeps, told what the child learnt (else the child's)."""
        if reuse.teasers is not None and stage is not None:
            reuse.teasers.hand_over()  # the child keeps it: saved here, it would forget what the child used

    @property
    def problems(self) -> tuple[Problem, ...]:
        """The warnings met (waits for the child; raises CmhubError with its errors)."""
        return self._made().problems

    @property
    def plan_ledger(self) -> PlanLedger:
        """plan.lock as this build leaves it (waits for the child)."""
        return self._made().plan_ledger

    @property
    def times(self) -> frozenset[dt.datetime]:
        """When each planned teaser goes out (waits for the child)."""
        return self._made().times

    def site_files(self) -> Iterator[OutputFile]:
        """Yield what the step adds to site/, once the child has made it."""
        yield from self._made().site_files

    def folder(self) -> Iterable[OutputFile] | StagedElsewhere:
        """Return social/, being staged by the child."""
        return self

    def staged(self) -> Staged:
        """Return social/'s tree, staged by the child (raises what the child raised)."""
        previous = _previous(self.stage) if self.stage is not None else None  # while the child works
        staged: Staged = self.forked.part(1)
        if staged.previous is None and previous is not None:  # sent without it: this process has it
            staged.previous = previous
        return staged

    def discard(self, interrupted: bool = False) -> None:
        """Throw the child's work away (the build failed): at once when ``interrupted``, else once made."""
        if interrupted:
            self.forked.stop()
            return
        try:
            if self.stages:
                self.staged().discard()
            else:
                self.forked.part(0)  # nothing staged: the child is done (and waited for) once its result is in
        except Exception:  # noqa: BLE001 - the child failed as well, and threw its tree away itself
            pass

    def _made(self) -> _Made:
        made: _Made = self.forked.part(0)
        if self.teasers is not None and made.teasers_learnt is not None:
            self.teasers.learn(made.teasers_learnt)
            self.teasers = None  # learnt once
        return made


APART_FROM = 200
"""Below this many articles to syndicate, a second process costs about what it saves: made here."""


def start_syndication(site: Site, theme: Theme, reuse: Reuse, plan: PlanLedger,
                      stage: Stager | None = None) -> Syndication | SyndicationApart:
    """Start the step: apart when ``stage`` is given (the build writes social/) or ``reuse`` allows it
    (cmhub serve), that helps (two cores and fork, and at least APART_FROM articles) and the memory left
    can hold a copy of this process."""
    if (stage is not None or reuse.syndicate_apart) and len(site.syndicated) >= APART_FROM \
            and worker_count() > 1 and forks_memory_allows(1) == 1:
        return SyndicationApart(site, theme, reuse, plan, stage)
    return Syndication(site, theme, reuse, plan)


def _previous(stage: Stager) -> Manifest | None:
    """Return what the folder's previous write made, as the stager reads it."""
    return stage.previous.trusted if stage.previous is not None else None


def _made_apart(site: Site, theme: Theme, reuse: Reuse, plan: PlanLedger, stage: Stager | None,
                send: Callable[[_Made], None]) -> Staged | _Made:
    """In the child: the whole step, as Syndication makes it, or as the last build made it when nothing it
    reads changed (cmhub/social/kept.py); what the pages wait for is sent at once, then social/'s tree is
    staged and returned (without the previous manifest, which the parent has). Without social/ to stage,
    what the pages wait for is all it returns, with what it added to the teaser cache (the parent keeps
    that cache: cmhub serve)."""
    cache = reuse.teasers
    if stage is None:
        if cache is not None:
            cache.start_learning()
        made = Syndication(site, theme, reuse, plan)
        learnt = cache.learnt() if cache is not None else None
        return _Made(made.problems, made.plan_ledger, made.times, tuple(made.site_files()), learnt)
    previous = _previous(stage)
    social = previous.files if previous is not None else {}
    record = read_step(site) if reuse.social is not None else None
    kept = recall_step(record, site, theme, cache, reuse.digests, plan, social, str(stage.previous.folder),
                       reuse.site) \
        if previous is not None and stage.previous is not None and reuse.social is not reuse_nothing else None
    if kept is not None:
        if cache is not None and cache.dirty:  # the teasers of the articles changed since, made again
            cache.keep_all()
            cache.save()
        send(_Made(kept.problems, plan, frozenset(kept.times), kept.site_files))
        staged = stage(kept_folder(social, site.config.social_output))
    else:
        made = Syndication(site, theme, reuse, plan)
        if cache is not None:
            cache.save()
        site_files, times = tuple(made.site_files()), made.times
        send(_Made(made.problems, made.plan_ledger, times, site_files))
        staged = stage(made.folder(stage.previous if reuse.social not in (None, reuse_nothing) else None))
        if reuse.social is not None:
            keep_step(record, site, theme, reuse.digests, plan, made.plan_ledger, made.social.contents,
                      staged.made, made.problems, times, site_files)
    if previous is not None and staged.previous is previous:
        staged.previous = None
    return staged
