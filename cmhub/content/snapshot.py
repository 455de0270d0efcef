"""The content as the last build read it, kept so that the next build reads only the files that changed.

A build that reads content/ whole (cmhub.content.reader.read_content) keeps, in the cache of file
statuses, a *snapshot*: each article file's status and a digest of what its article was made from,
the other files of content/ with their statuses, the assets, the problems met (warnings: a build with
an error keeps none), and the cache entries that reading used. Each article is kept apart, without its
HTML, under the digest of what it was made from.

The next build takes the snapshot instead of reading content/ when it can vouch that reading would make
the same content, but for a few article files whose status changed (an edit), new or gone files:

- the same site.yml and preview switches (the snapshot's key), each other file of content/ it knows with
  its status (or gone), no article that changed state between the two clocks (a publication, an expiry);
- each changed file read again makes an article in the same place, state, language, kind and pair
  of translations as before, with no problem; a shown one publishes the same files that unpublished
  articles mention, an unpublished one (scheduled, a draft) mentions the same files, which it keeps
  out of the site (the snapshot keeps them for each);
- each new article file makes an article with no problem, at an URL and with a slug of its own, that
  the translations' rules accept; a shown one publishes none of the files that unpublished articles
  mention, an unpublished one mentions only files that others keep out already, or new files. No kept
  article's body links to it: a link to a missing article is a mistake, and a build with a mistake
  keeps no snapshot. Any other new file is published, or kept out when new unpublished articles point
  at it, unless a kept article may name it (cmhub/content/additions.py). A new file is read by every
  build that takes the snapshot, as a changed one is;
- each file gone is needed by no article left, menu entry or translation, and a gone article published
  or kept out nothing that changes the others' files (cmhub/content/removals.py).

Otherwise, or beyond MOST_CHANGED changed, new and gone article files, the content is read whole, as
without a snapshot. The articles of unchanged files are the snapshot's; their HTML stays in the build
cache until a page asks for it. A build that takes the snapshot leaves it as it is (rewriting it would
cost ~0.1 s at 10,000 articles): each later build reads the files changed since again, until they are
too many and the content is read whole and kept anew. A status is kept only once settled
(cmhub.content.statuses.SETTLED_NS): a file saved during the build is read again by the next one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from cmhub.content import statuses as file_statuses
from cmhub.content.additions import added_sources, published_files, with_added
from cmhub.content.assets import Pointers, Withheld
from cmhub.content.contents import Content, Sources
from cmhub.content.covers import cover
from cmhub.content.frontmatter import Header, header_key, parse_header
from cmhub.content.kept_rows import KeptArticle, block_keys, blocks, kept, row
from cmhub.content.making import (
    is_shown,
    keep_header,
    made_from_digest,
    make_article,
    mentions_of,
    override_images,
)
from cmhub.content.model import Article, Asset, shown_states, state_at
from cmhub.content.places import article_paths, in_content, names_in_content, relative
from cmhub.content.removals import may_go
from cmhub.content.statuses import KnownTexts, Status, file_status
from cmhub.core.errors import CmhubError, Problem
from cmhub.core.frozen import LATER
from cmhub.core.typography import is_french
from cmhub.incremental.cache import RenderCache
from cmhub.incremental.reuse import digest
from cmhub.markdown.bodies import body_keys, later_html, render_bodies
from cmhub.markdown.targets import LazyTargets, LinkTarget
from cmhub.settings.config import SiteConfig
from cmhub.settings.request import Preview

MOST_CHANGED = 64
"""Beyond this many article files changed, new or gone since the snapshot, the content is read whole and kept anew."""


@dataclass(frozen=True)
class Snapshot:
    """What a build read of content/ (see the module's docstring)."""

    since: dt.datetime | None
    """The last publication or expiry at or before the build's clock (None: none)..."""
    until: dt.datetime | None
    """... and the first one after it: a build whose clock lies in between sees every article in the same state."""
    articles: tuple[tuple[str, Status | None, str], ...]
    """Each article file, as (source, status when settled, digest of what its article was made from), in
    the order of the content: its posts, then its pages."""
    posts: int
    files: tuple[tuple[str, Status | None], ...]
    """The other files of content/, by their path there, with their status when settled."""
    walk: tuple[Problem, ...]
    assets: tuple[Asset, ...]
    problems: tuple[Problem, ...]
    mentioned: tuple[str, ...]
    bodies_used: tuple[str, ...]
    """The entries of the build cache that reading used (kept by a build that takes the snapshot)."""
    records_used: tuple[str, ...]
    """The same, in the cache of file statuses."""
    tokens: tuple[str, ...]
    """Every name and path the unpublished articles mention (cmhub.content.assets.Mentions)..."""
    used: tuple[str, ...]
    """... and the name of every file a shown article may use: a new file of content/ that neither names is
    published (cmhub/content/additions.py)."""
    named: tuple[tuple[str, int], ...]
    """How many articles need each file and article file of content/: a file that none needs may go
    (cmhub/content/removals.py)."""


def snapshot_key(settings: str, preview: Preview) -> str:
    """Return the key of the snapshot made with these settings (cmhub.content.frontmatter.header_settings)."""
    return "content|" + digest(_FORMAT, settings, preview)


_FORMAT = 5
"""5: what the unpublished articles mention, the names the shown ones use (for new files) and how many need
each file (for files gone); 4: the kept articles in blocks of rows (cmhub/content/kept_rows.py); 3: a kept
article that is not shown holds the files it keeps out of the site; 2: a kept article holds its summary's
HTML (format 1 held neither HTML)."""


def recall_content(config: SiteConfig, now: dt.datetime, preview: Preview, sources: Sources, settings: str,
                   cache: RenderCache, known: KnownTexts) -> Content | None:
    """Return the content as read_content would read it, from the snapshot and the files that changed since;
    None when it cannot be vouched for (see the module's docstring): then read the content whole."""
    records = known.records
    snap = records.get(snapshot_key(settings, preview))
    if type(snap) is not Snapshot or snap.walk != sources.problems:
        return None
    files = {in_content(config, path): path for path in sources.files}
    if any(status is None or (name in files and _status(files[name]) != status) for name, status in snap.files):
        return None
    gone_files = [name for name, _ in snap.files if name not in files]
    new_files = added_sources(files, dict(snap.files)) if len(files) + len(gone_files) > len(snap.files) else []
    if (snap.since is not None and now < snap.since) or (snap.until is not None and now >= snap.until):
        return None  # an article published or expired between the two clocks: lists and links change
    paths = {relative(config, path): path for path in sources.articles}
    gone = [source for source, _, _ in snap.articles if source not in paths]
    changed = [source for source, status, _ in snap.articles
               if source in paths and (status is None or _status(paths[source]) != status)]
    added = added_sources(paths, [source for source, _, _ in snap.articles]) \
        if len(paths) + len(gone) > len(snap.articles) else []
    if len(changed) + len(added) + len(gone) > MOST_CHANGED:
        return None
    kept = _recall_kept(records, snap)  # decoded only now: the checks above cost a stat a file
    if kept is None:
        return None
    if (gone or gone_files) and not may_go(
            config, now, shown_states(preview), kept, dict(zip(gone, names_in_content(config, gone), strict=True)),
            gone_files, snap.named, [name for name, _ in snap.files], cache):
        return None
    again = _read_again(config, now, preview, settings, cache, known, snap, kept, changed, added, paths, files,
                        new_files)
    if again is None:
        return None
    remade, published = again
    posts: list[Article] = []
    pages: list[Article] = []
    for index, (source, _, _) in enumerate(snap.articles):
        if source not in paths:
            continue
        article = remade[source].article if source in remade else _with_html(kept[source], cache)
        if article is None:  # the build cache lost its HTML: read again
            return None
        (posts if index < snap.posts else pages).append(article)
    if added:
        posts, pages = with_added(config, posts, pages, [remade[source].article for source in added])
        if posts is None or pages is None:
            return None
    cache.used.update(snap.bodies_used)
    records.used.update(snap.records_used)
    made_from = {source: made for source, _, made in snap.articles if source in paths}
    made_from.update((source, again.made) for source, again in remade.items())
    assets = snap.assets if not published and not gone_files else \
        tuple(sorted((*(asset for asset in snap.assets if asset.path in files),
                      *(Asset(path=name, source=files[name]) for name in published)), key=lambda asset: asset.path))
    problems = tuple(p for p in snap.problems if p.path not in gone) if gone else snap.problems  # its warnings
    return Content(tuple(posts), assets, problems, pages=tuple(pages),
                   sources=frozenset(paths), made_from=MappingProxyType(made_from))


def keep_content(config: SiteConfig, now: dt.datetime, preview: Preview, sources: Sources, settings: str,
                 cache: RenderCache, known: KnownTexts, content: Content, body_keys_: Mapping[str, str],
                 statuses: Mapping[str, Status], held: Withheld, publishes: Mapping[str, tuple[str, ...]],
                 withholds: Mapping[str, tuple[str, ...]], tokens: Iterable[str], used: Iterable[str],
                 named: Mapping[str, int]) -> None:
    """Keep the snapshot of ``content``, read whole without an error (see the module's docstring)."""
    records = known.records
    order: list[tuple[str, Status | None, str]] = []
    for article in (*content.articles, *content.pages):
        source = article.source
        made = content.made_from.get(source)
        if made is None or source not in body_keys_:
            return  # an article made without its digest: nothing to vouch for it by
        order.append((source, _settled(statuses.get(source), known.started), made))
    everything = (*content.articles, *content.pages)
    for key, block in zip(block_keys(_ARTICLES, [made for _, _, made in order]), blocks(everything), strict=True):
        if records.raw(key) is None:
            records.put(key, [row(KeptArticle(_bare(article), body_keys_[article.source],
                                              publishes.get(article.source, ()), withholds.get(article.source, ())))
                              for article in block])
    files = tuple((in_content(config, path), _settled(_status(path), known.started)) for path in sources.files)
    records_used = tuple(sorted(records.used))  # each file's record, each article kept
    instants = [instant for article in (*content.articles, *content.pages)
                for instant in (article.date, article.expires) if instant is not None]
    records.put(snapshot_key(settings, preview), Snapshot(
        max((i for i in instants if i <= now), default=None), min((i for i in instants if i > now), default=None),
        tuple(order), len(content.articles), files, sources.problems, content.assets, content.problems,
        tuple(sorted(held.mentioned)), tuple(sorted(cache.used)), records_used, tuple(sorted(tokens)),
        tuple(sorted(used)), tuple(sorted(named.items()))))


_ARTICLES = f"kept-articles:{_FORMAT}|"
"""The prefix of a block of kept articles' key: a block of another format, under the same digest, is not read."""


def _recall_kept(records: RenderCache, snap: Snapshot) -> dict[str, KeptArticle] | None:
    """Return each kept article of ``snap``, by source; None when a block cannot be read. Each such block (one
    a cmhub with other models wrote, or damaged) is forgotten, so that the reading whole that follows keeps
    them anew, all at once."""
    kept_: dict[str, KeptArticle] = {}
    whole = True
    for key, entries in zip(block_keys(_ARTICLES, [made for _, _, made in snap.articles]), blocks(snap.articles),
                            strict=True):
        found = records.take(key)  # not kept decoded by the cache: the articles made of it are
        try:
            if type(found) is not list or len(found) != len(entries):
                raise ValueError("not a block of kept articles")
            for (source, _, _), item in zip(entries, found, strict=True):
                entry = kept(item)
                if entry.article.source != source:
                    raise ValueError("a kept article of another file")
                kept_[source] = entry
        except (ValueError, TypeError):
            records.forget(key)
            whole = False
    return kept_ if whole else None


@dataclass(frozen=True)
class _ReadAgain:
    """A changed file's new article and the digest of what it was made from."""

    article: Article
    made: str


def _read_again(config: SiteConfig, now: dt.datetime, preview: Preview, settings: str, cache: RenderCache,
                known: KnownTexts, snap: Snapshot, kept: Mapping[str, KeptArticle], changed: Sequence[str],
                added: Sequence[str], paths: Mapping[str, Path], files: dict[str, Path],
                new_files: Sequence[str]) -> tuple[dict[str, _ReadAgain], list[str]] | None:
    """Return each changed file read again and each ``added`` one read, and which of the ``new_files`` of
    content/ the site publishes; None when a changed one cannot take its old article's place as it is, or
    something new changes what the others are (see the module's docstring)."""
    if not changed and not added:
        published = published_files(config, new_files, snap.tokens, snap.used, {}, files)
        return None if published is None else ({}, published)
    names = dict(zip((*changed, *added), names_in_content(config, [*changed, *added]), strict=True))
    shown = shown_states(preview)
    read = _headers(config, [*changed, *added], paths)
    if read is None:
        return None
    for source in changed:
        before, (_, _, header, place) = kept[source].article, read[source]
        moved = (header.date, header.lang, header.kind, header.translation_of,
                 state_at(header.draft, header.date, header.expires, now)) != \
            (before.date, before.lang, before.kind, before.translation_of, before.state(now))
        if moved or place != (before.slug, before.path) or any(p.path == source for p in snap.problems):
            return None
    pointers = Pointers(files)
    head_keys = {source: header_key(settings, source, read[source][1]) for source in read}
    points = {source: pointers.of(mentions_of(cache, head_keys[source], text), text)  # what unpublished ones
              for source, (_, text, header, _) in read.items() if not is_shown(header, now, preview)}  # keep out
    published = published_files(config, new_files, snap.tokens, snap.used,
                                {source: points[source] for source in added if source in points}, files)
    if published is None:
        return None
    # an added file is a link target of its own: no kept body links to it (a link to a missing article is a
    # mistake, and a build with one keeps no snapshot)
    new_targets = {names[source]: LinkTarget(read[source][3][1], is_shown(read[source][2], now, preview))
                   for source in added}

    def every_target() -> dict[str, LinkTarget]:
        left = [source for source, _, _ in snap.articles if source in paths]  # not a gone one
        found = {name: LinkTarget(a.path, a.state(now) in shown)
                 for a, name in zip((kept[source].article for source in left), names_in_content(config, left),
                                    strict=True)}
        return found | new_targets

    targets = LazyTargets(every_target)
    held = Withheld.holding(files, (*snap.mentioned, *(name for name in new_files if name not in published)))
    made: dict[str, _ReadAgain] = {}
    for source in (*changed, *added):
        status, text, header, place = read[source]
        entry = kept.get(source)  # None: an added file
        problems: list[Problem] = []
        visible = source not in points
        # an unpublished article keeps out of the site the files it mentions: the same ones as before, or
        # (added) some the others, or the new files, keep out already
        if not visible and ((points[source] != entry.withholds) if entry is not None
                            else not held.mentioned.issuperset(points[source])):
            return None
        folder = names[source].rpartition("/")[0]
        job = (header.body, folder, is_french(header.lang))
        key = body_keys([job], config.base_path, cache)[0]
        rendered = render_bodies([job], config.base_path, targets, frozenset(files), cache, keys=[key])[0]
        image = cover(config, header, folder, files, problems, cache)
        uses = [*rendered.files, *override_images(header, folder, files),
                *([image.path] if image is not None and not image.remote else [])]
        publishes = held.published_by(uses, rendered.references, folder, config.base_path) if visible else ()
        if rendered.issues or problems or publishes != (entry.publishes if entry is not None else ()):
            return None
        keep_header(cache, head_keys[source], header, text)
        known.remember(source, status, head_keys[source], key)  # for a build that reads the content whole
        digest_ = made_from_digest(head_keys[source], key, rendered, place, image, {})
        article = make_article(header, *place, rendered, image)
        made[source] = _ReadAgain(article, digest_)
    return made, published


def _headers(config: SiteConfig, sources: Sequence[str],
             paths: Mapping[str, Path]) -> dict[str, tuple[Status, str, Header, tuple[str, str]]] | None:
    """Return each file's status, text, front matter and place (slug, URL path); None when one of them has a
    mistake or a warning (the reading whole reports it at its line) or two of them take one URL."""
    read: list[tuple[str, Status, str, Header]] = []
    for source in sources:
        try:
            status = file_status(paths[source])
            text = paths[source].read_text(encoding="utf-8-sig")
            header = parse_header(text, source, config)
        except (OSError, UnicodeDecodeError, CmhubError):
            return None
        if header.warnings:
            return None
        read.append((source, status, text, header))
    problems: list[Problem] = []
    places = article_paths(config, [header for *_, header in read], problems)
    if problems:
        return None
    return {source: (status, text, header, places[source]) for source, status, text, header in read}


def _with_html(entry: KeptArticle, cache: RenderCache) -> Article | None:
    """Return a copy of a kept article whose HTML is read from the build cache on first use (its summary's
    is kept with it: the cards of the lists show it, and the cache's files need not be read for them)."""
    later = later_html(cache, entry.body_key)
    if later is None:
        return None
    made = object.__new__(Article)
    state = made.__dict__
    state.update(entry.article.__dict__)
    del state["html"]
    state[LATER] = later
    return made


def _bare(article: Article) -> Article:
    """Return a copy of ``article`` without its HTML but its summary's (what a snapshot keeps)."""
    summary_html = article.summary_html
    made = object.__new__(Article)
    state = made.__dict__
    state.update(article.__dict__)
    state.pop(LATER, None)
    state["html"], state["summary_html"] = "", summary_html
    return made


def _status(path: Path) -> Status | None:
    try:
        return file_status(path)
    except OSError:
        return None


def _settled(status: Status | None, started: int) -> Status | None:
    """Return a status a later build may trust (its file's last change well before ``started``), else None."""
    settled = status is not None and started - max(status[1], status[2]) >= file_statuses.SETTLED_NS
    return status if settled else None
