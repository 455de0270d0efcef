"""The frozen models that flow through a build: articles, the site, output files."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from cmhub.core.frozen import later_field
from cmhub.ledgers.backfeed import Backfeed
from cmhub.markdown.renderer import HTML_FIELDS
from cmhub.settings.config import SiteConfig
from cmhub.settings.request import Preview

State = Literal["published", "scheduled", "draft", "expired"]
SYNDICATED: frozenset[State] = frozenset({"published", "scheduled"})
"""The states of the articles that get teasers, a place in the plan and a durable URL."""

Kind = Literal["post", "page"]
"""What a file of content/ is (front matter ``type:``): a dated post, or a page without a date."""
KINDS: tuple[Kind, ...] = ("post", "page")
UNDATED = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
"""The instant a page stands at: a page has no date, so it is live from the start (and recorded so in
permalinks.lock), never scheduled."""


def state_at(draft: bool, date: dt.datetime, expires: dt.datetime | None, now: dt.datetime) -> State:
    """Return what an article is at the instant ``now``: the one rule of visibility, for the headers
    read from front matter as for the articles made from them."""
    if draft:
        return "draft"
    if date > now:
        return "scheduled"
    if expires is not None and expires <= now:
        return "expired"
    return "published"


def shown_states(preview: Preview) -> frozenset[State]:
    """Return the states of the articles a build's pages show: published, plus what a preview asks for."""
    shown: set[State] = {"published"}
    if preview.drafts:
        shown.add("draft")
    if preview.future:
        shown.add("scheduled")
    return frozenset(shown)


@dataclass(frozen=True)
class Image:
    """A picture shown with an article: a file of the site, or a remote URL."""

    path: str
    """Site path of the file ("images/cover.jpg"), or an absolute http(s) URL."""
    alt: str
    width: int | None = None
    height: int | None = None
    source: Path | None = None
    """The file on disk, None for a remote image."""

    @property
    def remote(self) -> bool:
        """Tell whether the image lives on another site."""
        return self.source is None


@dataclass(frozen=True)
class NetworkOverride:
    """What the front matter's ``syndicate:`` says for one network."""

    enabled: bool = True
    text: str | None = None
    at: dt.datetime | None = None
    first_comment: str | None = None
    image: str | None = None
    thread: tuple[str, ...] = ()
    line: int | None = None
    """Line of this network's entry in the article file."""


@dataclass(frozen=True)
class Article:
    """One Markdown article, read, validated and rendered to HTML."""

    source: str
    """Project-relative path of the file ("content/2026/mon-article.md")."""
    title: str
    date: dt.datetime
    """Publication instant, aware, in the site time zone."""
    slug: str
    path: str
    """Site path of its page ("mon-article/")."""
    html: str
    summary: str
    """Plain-text summary (front matter, text before <!-- more -->, or first paragraph)."""
    summary_html: str
    lang: str
    updated: dt.datetime | None = None
    expires: dt.datetime | None = None
    draft: bool = False
    kind: Kind = "post"
    """'post', or 'page' (``type: page``): no date, in no list, feed, plan nor calendar; ``date`` is UNDATED."""
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    image: Image | None = None
    aliases: tuple[str, ...] = ()
    canonical: str = ""
    """External canonical URL when the article was first published elsewhere."""
    syndicate: Mapping[str, NetworkOverride] = field(default_factory=lambda: MappingProxyType({}))
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    words: int = 0
    reading_minutes: int = 1
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    """Line of each front-matter key, for later messages."""
    translation_of: str = ""
    """The slug of the original article this one translates ('' for an original); see content/translations.py."""
    pictures: tuple[str, ...] = ()
    """The address of each ``<img>`` of ``html``, as written (cmhub.markdown.renderer.img_sources)."""

    def __getattr__(self, name: str) -> object:
        """Return ``html`` or ``summary_html`` of an article made from a rendering read back from the build
        cache, decoded on first use (cmhub.markdown.bodies): most pages of a rebuild are kept as they were."""
        return later_field(self, name, HTML_FIELDS)

    def state(self, now: dt.datetime) -> State:
        """Return the article's state at the instant ``now``."""
        return state_at(self.draft, self.date, self.expires, now)

    @property
    def modified(self) -> dt.datetime:
        """The last change: ``updated`` when given, else ``date``."""
        return self.updated or self.date


@dataclass(frozen=True)
class Asset:
    """A file under content/ copied to the site as it is."""

    path: str
    """Site path ("images/cover.jpg")."""
    source: Path


@dataclass(frozen=True)
class Site:
    """The whole hub at one instant: every article and its state at ``now``."""

    config: SiteConfig
    now: dt.datetime
    articles: tuple[Article, ...]
    """All articles, newest first (ties broken by slug)."""
    assets: tuple[Asset, ...]
    """Files from content/ to copy (none that only unpublished articles use)."""
    preview: Preview = Preview()
    feed_ids: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """The permanent feed id of each article ever published or scheduled, by source (from the ledger)."""
    moved: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """{old source: new source} of the article files this build found moved or renamed (see permalinks)."""
    backfeed: Backfeed = Backfeed()
    """Where the teasers were posted and what people answered (posts.lock, replies.jsonl), minus hidden replies."""
    pages: tuple[Article, ...] = ()
    """The pages (``type: page``), by slug: apart from ``articles``, so no list, feed or plan meets them."""

    def in_state(self, state: State) -> tuple[Article, ...]:
        """Return the articles in ``state`` at ``now``, newest first."""
        return self._by_state.get(state, ())

    @functools.cached_property
    def _by_state(self) -> dict[State, tuple[Article, ...]]:
        """The articles in each state at ``now``, newest first: sorted out once, asked for often."""
        found: dict[State, list[Article]] = {}
        for article in self.articles:
            found.setdefault(article.state(self.now), []).append(article)
        return {state: tuple(articles) for state, articles in found.items()}

    @functools.cached_property
    def published(self) -> tuple[Article, ...]:
        """Articles that the public sees: not draft, date passed, not expired."""
        return self.in_state("published")

    @functools.cached_property
    def shown(self) -> tuple[Article, ...]:
        """Articles that this build's pages show: the published ones, plus any previewed."""
        wanted = shown_states(self.preview)
        if wanted == {"published"}:
            return self.published  # the same tuple: what is worked out from it once (its terms) serves both
        return tuple(a for a in self.articles if a.state(self.now) in wanted)

    @functools.cached_property
    def syndicated(self) -> tuple[Article, ...]:
        """Articles that get teasers and a place in the plan: published or scheduled, newest first."""
        return tuple(a for a in self.articles if a.state(self.now) in SYNDICATED)

    @functools.cached_property
    def shown_pages(self) -> tuple[Article, ...]:
        """Pages that this build makes: all but the drafts (unless a preview asks for drafts)."""
        wanted = shown_states(self.preview)
        return tuple(p for p in self.pages if p.state(self.now) in wanted)

    @functools.cached_property
    def translations(self) -> Mapping[str, tuple[Article, ...]]:
        """The group of each paired article, by source: the original first, then its translations by
        language, whatever their state (content/translations.py says which members a page may link); pages
        (``type: page``) pair with pages as articles do."""
        return translation_groups((*self.articles, *self.pages))

    @functools.cached_property
    def languages(self) -> tuple[str, ...]:
        """The languages with a home and feeds of their own: the site's first, then those of the shown
        articles, once a shown article translates another; only the site's in a hub without pairs."""
        default = self.config.language.lower()
        if not any(a.translation_of and a.source in self.translations for a in self.shown):
            return (default,)
        return (default, *sorted({a.lang.lower() for a in self.shown} - {default}))

    def next_scheduled(self) -> dt.datetime | None:
        """Return the next instant a scheduled article falls due, if any."""
        return min((a.date for a in self.in_state("scheduled")), default=None)


def slug_index(articles: Sequence[Article]) -> dict[str, list[Article]]:
    """Return the articles by slug (several may share one under a permalink with {lang} or a date)."""
    found: dict[str, list[Article]] = {}
    for article in articles:
        found.setdefault(article.slug, []).append(article)
    return found


def original_of(by_slug: Mapping[str, Sequence[Article]], translation: Article) -> tuple[Article, ...]:
    """Return the articles that ``translation``'s ``translation_of`` may name (``by_slug`` from slug_index):
    those with that slug, originals first when some are (an empty or longer answer is a mistake
    content/translations.py reports)."""
    named = [a for a in by_slug.get(translation.translation_of, ()) if a.source != translation.source]
    originals = [a for a in named if not a.translation_of]
    return tuple(originals or named)


def translation_groups(articles: Sequence[Article]) -> Mapping[str, tuple[Article, ...]]:
    """Return each paired article's group by source: the original, then its translations by language."""
    members: dict[str, list[Article]] = {}
    originals: dict[str, Article] = {}
    by_slug = slug_index(articles)
    for article in articles:
        if not article.translation_of:
            continue
        found = original_of(by_slug, article)
        if len(found) == 1 and not found[0].translation_of and found[0].lang.lower() != article.lang.lower():
            originals[found[0].source] = found[0]
            members.setdefault(found[0].source, []).append(article)
    groups: dict[str, tuple[Article, ...]] = {}
    for source, translations in members.items():
        group = (originals[source], *sorted(translations, key=lambda a: (a.lang.lower(), a.source)))
        for member in group:
            groups[member.source] = group
    return MappingProxyType(groups)
