"""Which teasers `cmhub publish` posts now, and the rules at posting time.

The due teasers come from plan.lock, never from planning again: a teaser is due on a network cmhub
posts to (``networks.<n>.publish``) when its latest planning is ``planned``, its instant has passed,
it is not in posts.lock yet, and its instant is not before cmhub started posting there (posts.lock's
``since``: the first run on a network takes nothing already due unless asked, ``--catch-up``). What
goes out (text, link, picture, thread, first comment, Bluesky facets) is the current build's teaser of
that key: exactly what the team reviewed in social/.

Rules: ``calendar.pause`` and a blackout day stop everything before any request; a teaser whose
instant fell in a blackout waits; one later than the network's ``lateness`` is missed (recorded,
never posted late); one whose article is gone from the build is reported and left alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cmhub.content.model import Article
from cmhub.ledgers.plan_lock import PlanEntry, PlanLedger
from cmhub.ledgers.posts_lock import PostEntry, PostsLedger, TeaserKey
from cmhub.networks.registry import NETWORKS
from cmhub.settings.config import SiteConfig
from cmhub.settings.social import posted_by_cmhub
from cmhub.social.slots import in_blackout
from cmhub.social.teaser import Teaser
from cmhub.social.teasers import author_handles


@dataclass(frozen=True)
class Job:
    """One teaser to post now: its planning, and what goes out."""

    key: TeaserKey
    planned: dt.datetime
    """The plan.lock planning it comes from (posts.lock keys the post by it too)."""
    due: dt.datetime
    account: str
    text: str
    link: str
    """The tracked link (UTM)."""
    page: str
    """The article's clean canonical URL: it must answer 200 before the teaser goes out."""
    thread: tuple[str, ...] = ()
    first_comment: str = ""
    picture: Path | None = None
    """The teaser's picture file (the one published under site/_social/, cached in .cmhub-cache)."""
    alt: str = ""
    language: str = ""
    title: str = ""
    summary: str = ""
    api: Mapping[str, object] | None = None
    """Bluesky: the post as its API takes it (teasers.json's ``api``: short link text, facets, mentions)."""

    @property
    def network(self) -> str:
        """The network id."""
        return self.key[1]

    def follow_ups(self) -> tuple[str, ...]:
        """Return the replies that go under the first post, in order: the thread's parts, then the first
        comment (each answers the one before, so each has one place)."""
        return (*self.thread, *((self.first_comment,) if self.first_comment else ()))


@dataclass(frozen=True)
class Selection:
    """What a run does: the jobs, the teasers found missed, those waiting, and the ledger's starts."""

    jobs: tuple[Job, ...] = ()
    missed: tuple[PostEntry, ...] = ()
    waiting: tuple[tuple[TeaserKey, str], ...] = ()
    """Teasers not posted this run, and why (they are tried again by the next run)."""
    posts: PostsLedger = PostsLedger()
    """posts.lock with the networks started by this run."""
    stopped: str = ""
    """Why nothing at all goes out ('calendar.pause', a blackout day), else ''."""
    unfinished: tuple[tuple[Job, PostEntry], ...] = ()
    """Posts whose thread or first comment was cut short by a failure: the rest goes now."""


def publishing_networks(config: SiteConfig) -> tuple[str, ...]:
    """Return the networks cmhub posts to itself (``publish: true``, enabled), in site.yml's order."""
    return tuple(n for n in config.networks if n in posted_by_cmhub(config.networks))


def stopped(config: SiteConfig, now: dt.datetime) -> str:
    """Return why nothing at all goes out now (the pause, a blackout day), else ''."""
    if config.calendar.pause:
        return "calendar.pause is on: nothing is posted"
    blackout = in_blackout(config, now)
    return f"today {blackout}: nothing is posted" if blackout else ""


def select(config: SiteConfig, now: dt.datetime, plan: PlanLedger, posts: PostsLedger,
           teasers: Mapping[TeaserKey, Teaser], articles: Mapping[str, Article],
           pictures: Mapping[str, Path], catch_up: bool = False) -> Selection:
    """Return what a run at ``now`` posts, records as missed and leaves waiting.

    ``teasers`` are the current build's, by key; ``pictures`` maps a teaser picture's social/ path to
    its file. Makes no request.
    """
    networks = publishing_networks(config)
    halt = stopped(config, now)
    if halt:
        return Selection(posts=posts, stopped=halt)
    for name in networks:
        start = now - config.networks[name].lateness if catch_up else now
        posts = posts.starting(name, start)
    jobs, missed, waiting, unfinished = [], [], [], []
    for key, entry in sorted(plan.latest.items()):
        if key[1] not in networks or entry.state != "planned" or entry.at > now or entry.at < posts.since[key[1]]:
            continue
        done = posts.find(key, entry.planned)
        teaser = teasers.get(key)
        if done is not None:
            if done.state == "posted" and teaser is not None:
                job = make_job(config, entry, teaser, articles[teaser.source], pictures)
                if len(done.replies) < len(job.follow_ups()):
                    unfinished.append((job, done))
            continue
        if now - entry.at > config.networks[key[1]].lateness:
            missed.append(PostEntry(*key, state="missed", planned=entry.planned, due=entry.at, noticed=now,
                                    account=config.networks[key[1]].handle))
        elif teaser is None:
            waiting.append((key, "its article is no longer in the build (removed, draft or expired)"))
        elif in_blackout(config, entry.at):
            waiting.append((key, f"its instant {in_blackout(config, entry.at)}"))
        else:
            jobs.append(make_job(config, entry, teaser, articles[teaser.source], pictures))
    jobs.sort(key=lambda j: (j.due, j.network, j.key))
    return Selection(tuple(jobs), tuple(missed), tuple(waiting), posts, "", tuple(unfinished))


def make_job(config: SiteConfig, entry: PlanEntry, teaser: Teaser, article: Article,
             pictures: Mapping[str, Path]) -> Job:
    """Return what goes out for one planning of a teaser: the current build's text, link and picture."""
    media = teaser.media
    record = NETWORKS[teaser.network].api_record
    api = record(teaser.text, teaser.link, author_handles(config, article, teaser.network)) if record else None
    network = config.networks[teaser.network]
    return Job(key=entry.key, planned=entry.planned, due=entry.at, account=network.handle, text=teaser.text,
               link=teaser.link, page=config.url + article.path, thread=teaser.thread,
               first_comment=teaser.first_comment, picture=pictures.get(media.path) if media else None,
               alt=media.alt if media else "", language=network.language or article.lang, title=article.title,
               summary=article.summary, api=api)
