"""The plan of a site's pages, kept for the next build: what each page's key is made of, and whose views it shows.

Planning every page of a large hub (each list, each article with its neighbours) and keying each costs
about 0.6 s at 10,000 articles, and a build after an edit most often plans exactly the pages the build
before planned: the same articles in the same places, with the same titles, summaries, tags and states.
What a page shows of an article beyond what planning reads comes through the article's view (ViewOf).

So a page's key is made of two parts (cmhub.site.builtin.engine): its *plan*, a digest of everything the
page is made from but the views (the templates, site.yml, its path and its job), and the digests of the
views it shows, in order. A build keeps every page's plan in the build cache, under the digest of all
that planning reads (``plans_key``: the common part of every key, and the PLANNED fields of every shown
article and page with its state at the build's clock). The next build whose digest is the same takes each
page's plan from there instead of planning it. It plans again only the pages it must render (their key
changed, or the output lost them), each with its own family (an article's page alone, the lists of one
kind), and checks that their plan is the one kept: when one is not, every page is planned.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import chain
from typing import NamedTuple

from cmhub.content.model import Site
from cmhub.content.rows import RowDigests
from cmhub.incremental.cache import RenderCache
from cmhub.incremental.keys import digest, digest_of

PLANNED = ("source", "title", "slug", "path", "summary", "lang", "date", "expires", "draft", "translation_of",
           "tags", "categories", "authors")
"""The fields of an article or page that planning reads (tests/site/test_page_plans.py checks that it reads
no other, nor anything of the site but site.yml, the clock, the preview switches and its articles)."""

FAMILIES = ("article", "page", "home", "taxonomy", "archive", "other")
"""The kinds of page planned together: an article's or a page's own (planned alone), and the lists."""

_KEPT = "page-plans|"


class PagePlan(NamedTuple):
    """One page of a kept plan (a large hub's plan holds ~15,000 pages, made at each build)."""

    path: str
    family: str
    own: str
    """The article or page whose page it is (its source), for the families 'article' and 'page'; else ''."""
    plan: str
    """The digest of everything the page is made from but the views it shows."""
    shows: tuple[str, ...]
    """The sources of the articles whose views it shows, in order (their digests end its key)."""


def plans_key(site: Site, base: str, rows: RowDigests | None = None) -> str:
    """Return the digest of everything planning reads: ``base`` (site.yml, the theme, the pictures, the
    menus: what every key shares) and the PLANNED fields of each shown article and page, in order (their
    rows' digests, kept between builds, from ``rows``)."""
    each = (rows or RowDigests()).rows
    return digest_of(chain([base, "shown"], each(site.shown, PLANNED, site.now),
                           ["pages"], each(site.shown_pages, PLANNED, site.now)))


def recall_plans(cache: RenderCache, key: str) -> list[PagePlan] | None:
    """Return the plan kept under ``key`` (None when there is none, or it cannot be read)."""
    found = cache.take(_KEPT + key)  # read once: not held decoded by the cache
    if found is None:
        return None
    try:
        if type(found) is not str:
            raise TypeError("not a kept plan")
        sources, rows = json.loads(found)
        source, make = sources.__getitem__, PagePlan._make  # _make: no Python-level __new__ a page
        return [make((path, family, sources[own] if own >= 0 else "", plan, tuple(map(source, shows))))
                for path, family, own, plan, shows in rows]
    except (ValueError, TypeError, IndexError):
        cache.forget(_KEPT + key)  # kept anew by this build (keep_plans keeps a plan once)
        return None


def keep_plans(cache: RenderCache, key: str, plans: Sequence[PagePlan]) -> None:
    """Keep the plan of this build's pages under ``key`` (once: a plan that did not change is kept as it is)."""
    if cache.raw(_KEPT + key) is not None:
        return
    index: dict[str, int] = {}
    for plan in plans:
        for source in (plan.own, *plan.shows):
            if source:
                index.setdefault(source, len(index))
    rows = [[plan.path, plan.family, index[plan.own] if plan.own else -1, plan.plan, [index[s] for s in plan.shows]]
            for plan in plans]
    # one text, written and read by the json module's own code: a large hub has ~15,000 pages
    cache.put(_KEPT + key, json.dumps([list(index), rows], ensure_ascii=False, separators=(",", ":")))


def page_key(plan: str, shows: Sequence[str], views: dict[str, str]) -> str:
    """Return a page's key: its plan, then the digest of each view it shows."""
    return digest(plan, *(views[source] for source in shows))
