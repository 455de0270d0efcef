"""A `cmhub publish` run: take the lock, pick the due teasers, post each one, record each post at once.

posts.lock is written (atomically, durably) after every post the network accepted, before anything
else is sent: a run killed at any moment leaves at most one post unrecorded, which the next run finds
again (``existing``: Mastodon's look-up, Bluesky's record key) instead of posting it twice.

One teaser's failure (timeout, 5xx, 429, refused token) is reported and the others go on; a refused
token or a rate limit stops that network for this run. What did not go out is tried again next run.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from cmhub.core.dates import utc_iso
from cmhub.ledgers.plan_lock import load_plan_ledger
from cmhub.ledgers.posts_lock import PostEntry, PostsLedger, load_posts, write_posts
from cmhub.publish.clients import Client, client_for
from cmhub.publish.due import Job, Selection, publishing_networks, select, stopped
from cmhub.publish.http import Failure, Http
from cmhub.publish.lock import publishing_lock
from cmhub.settings.social import NetworkConfig


@dataclass
class Outcome:
    """What a run did, as lines for the terminal, and whether something failed."""

    lines: list[str] = field(default_factory=list)
    failed: int = 0
    posted: int = 0


def publish_project(root: Path, *, now: str | None = None, dry_run: bool = False, catch_up: bool = False,
                    environ: Mapping[str, str] | None = None, http: Http | None = None) -> Outcome:
    """Post the hub's due teasers on the networks with ``publish: true``; return what happened.

    Raises CmhubError for a broken hub, a damaged ledger, or another run holding the lock.
    """
    from cmhub.pipeline.project import open_project
    from cmhub.settings.request import BuildRequest

    project = open_project(root, BuildRequest(now=now))
    config, moment = project.config, project.now
    networks = publishing_networks(config)
    if not networks:
        return Outcome(["nothing to publish: no network has 'publish: true' in site.yml"])
    halt = stopped(config, moment)
    if halt:  # before anything else: not a request, not even the teasers
        return Outcome([halt])
    if dry_run:
        return _selected(root, now, moment, catch_up)[1]
    with publishing_lock(config.root):
        selection, outcome = _selected(root, now, moment, catch_up)
        if selection.stopped:
            return outcome
        ledger = selection.posts
        for entry in selection.missed:
            ledger = ledger.with_entry(entry)
        if ledger != load_posts(config.root):
            write_posts(config.root, ledger)
        run = _Run(config.root, ledger, http or Http(), os.environ if environ is None else environ,
                   moment.astimezone(dt.UTC), outcome)
        for name in networks:
            run.network(config.networks[name], [j for j in selection.jobs if j.network == name],
                        [(j, e) for j, e in selection.unfinished if j.network == name])
        return outcome


def _selected(root: Path, now: str | None, moment: dt.datetime, catch_up: bool) -> tuple[Selection, Outcome]:
    """Return the selection of a run at ``moment`` and its report so far (what is missed, waiting, stopped)."""
    from cmhub.commands.syndicate import syndicate_project
    from cmhub.settings.request import BuildRequest

    site, social = syndicate_project(root, BuildRequest(now=now), write=False)
    config = site.config
    teasers = {(t.source, t.network, t.variant): t for t in social.teasers}
    pictures = {p.path: p.source for p in social.pictures if p.source is not None}
    selection = select(config, moment.astimezone(dt.UTC), load_plan_ledger(config.root), load_posts(config.root),
                       teasers, {a.source: a for a in site.articles}, pictures, catch_up)
    outcome = Outcome()
    if selection.stopped:
        outcome.lines.append(selection.stopped)
        return selection, outcome
    for entry in selection.missed:
        outcome.lines.append(f"missed  {_name(entry.key)}: due {utc_iso(entry.due or moment)}, later than "
                             f"networks.{entry.network}.lateness; recorded in posts.lock, not posted")
    for key, why in selection.waiting:
        outcome.lines.append(f"waiting {_name(key)}: {why}")
    for job in selection.jobs:
        outcome.lines.append(f"due     {_name(job.key)}: {utc_iso(job.due)}, {len(job.follow_ups())} repl"
                             f"{'y' if len(job.follow_ups()) == 1 else 'ies'}, picture: "
                             f"{job.alt if job.picture else 'none'}")
        outcome.lines.extend("        | " + line for line in job.text.splitlines())
    if not (selection.jobs or selection.missed or selection.waiting or selection.unfinished):
        outcome.lines.append("nothing is due")
    return selection, outcome


def _name(key: tuple[str, str, str]) -> str:
    return f"{key[1]} {key[0]} ({key[2]})"


class _Run:
    """Posts the jobs of one run, network by network, recording each post as soon as it is accepted."""

    def __init__(self, root: Path, ledger: PostsLedger, http: Http, environ: Mapping[str, str],
                 now: dt.datetime, outcome: Outcome):
        self.root, self.ledger, self.http, self.environ, self.now = root, ledger, http, environ, now
        self.outcome = outcome
        self.pages: dict[str, str] = {}

    def network(self, settings: NetworkConfig, jobs: list[Job], unfinished: list[tuple[Job, PostEntry]]) -> None:
        """Post one network's jobs (and finish its cut-short threads); stop it on a refused token or a rate limit."""
        if not jobs and not unfinished:
            return
        client = client_for(self.http, settings, self.environ, self.now)
        started = False
        todo: list[tuple[Job, PostEntry | None]] = [*unfinished, *((j, None) for j in jobs)]
        for index, (job, entry) in enumerate(todo):
            if entry is None and not self.online(job):
                continue
            try:
                if not started:
                    client.start()
                    started = True
                self.post(client, job, entry)
            except Failure as failure:
                self.fail(job, failure.message)
                if failure.refused or failure.rate_limited or not started:
                    for later, _ in todo[index + 1:]:
                        self.fail(later, f"not tried: {settings.name} refused this run ({failure.message})")
                    return

    def online(self, job: Job) -> bool:
        """Tell whether the article's page answers 200 (asked once a run per page)."""
        if job.page not in self.pages:
            try:
                answer = self.http.call("GET", job.page, what=f"checking {job.page}")
                self.pages[job.page] = "" if answer.status == 200 else f"answers {answer.status}"
            except Failure as failure:
                self.pages[job.page] = failure.message
        why = self.pages[job.page]
        if why:
            self.outcome.lines.append(f"waiting {_name(job.key)}: its page {job.page} {why}; it waits for the "
                                      "next run")
        return not why

    def post(self, client: Client, job: Job, entry: PostEntry | None) -> None:
        """Post a teaser's first post (unless recorded) and the replies under it not yet recorded."""
        if entry is None:
            known = frozenset(e.post_id for e in self.ledger.posted() if e.network == job.network)
            sent = client.existing(job, known)
            found = sent is not None
            sent = sent or client.post(job)
            entry = PostEntry(*job.key, state="posted", planned=job.planned, post_id=sent.id, url=sent.url,
                              posted=sent.created if sent.created.year > 1970 else self.now, account=job.account)
            self.record(entry)
            self.outcome.posted += 1
            self.outcome.lines.append(f"{'found' if found else 'posted'}  {_name(job.key)}: {sent.url}")
            root, resuming = sent, found
        else:
            root, resuming = client.again(entry.post_id, entry.url), True
        parent = root if not entry.replies else client.again(entry.replies[-1], "")
        for part, text in enumerate(job.follow_ups()[len(entry.replies):], start=len(entry.replies) + 1):
            made = (client.existing_reply(parent) if resuming else None) or client.reply(job, part, text, parent, root)
            entry = replace(entry, replies=(*entry.replies, made.id))
            self.record(entry)
            parent = made

    def record(self, entry: PostEntry) -> None:
        """Write posts.lock with this post now, before anything else goes out."""
        self.ledger = self.ledger.with_entry(entry)
        write_posts(self.root, self.ledger)

    def fail(self, job: Job, message: str) -> None:
        """Report one teaser's failure (it is tried again by the next run)."""
        self.outcome.failed += 1
        self.outcome.lines.append(f"failed  {_name(job.key)}: {self.http.redact(message)}")

