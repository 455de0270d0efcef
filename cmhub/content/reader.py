"""Reading content/: every article validated and rendered, every other file listed."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from cmhub.content.additions import names_used
from cmhub.content.assets import Mentions, Pointers, Withheld, used_by_settings
from cmhub.content.contents import Content, Sources
from cmhub.content.covers import cover
from cmhub.content.frontmatter import Header, header_key, header_settings, parse_header
from cmhub.content.making import (
    is_shown,
    keep_header,
    link_problems,
    made_from_digest,
    make_article,
    mentions_of,
    override_images,
)
from cmhub.content.memo import ReadMemo
from cmhub.content.menus import menu_problems
from cmhub.content.model import Article, Site, state_at
from cmhub.content.places import article_paths, in_content, names_in_content, relative
from cmhub.content.removals import referenced
from cmhub.content.snapshot import keep_content, recall_content
from cmhub.content.statuses import KnownTexts, Status, file_status
from cmhub.content.translations import translation_problems
from cmhub.core.errors import CmhubError, Problem, error
from cmhub.core.folders import walk_files
from cmhub.core.frozen import replaced
from cmhub.core.typography import is_french
from cmhub.incremental.cache import RenderCache
from cmhub.markdown.bodies import body_keys, render_bodies
from cmhub.markdown.targets import UNREAD, LinkTarget
from cmhub.settings.config import SiteConfig
from cmhub.settings.request import Preview


def find_sources(content_dir: Path, root: Path | None = None) -> Sources:
    """List the Markdown articles and other files under content/, in a stable order.

    Hidden files and folders (starting with '.') are skipped, and so are links that lead out of
    content/, to a folder, or nowhere (each with a warning naming it, relative to ``root``).
    """
    articles: list[Path] = []
    files: list[Path] = []
    found = walk_files(content_dir, root or content_dir.parent, "content/")
    for path in found.files:
        (articles if path.name.endswith(".md") else files).append(path)
    return Sources(tuple(sorted(articles)), tuple(sorted(files)), found.problems)


def read_content(config: SiteConfig, now: dt.datetime, preview: Preview = Preview(),
                 cache: RenderCache | None = None, while_bodies_render: Callable[[], None] | None = None,
                 memo: ReadMemo | None = None, statuses: RenderCache | None = None) -> Content:
    """Read, validate and render every article under content/ (the only reader of content files).

    ``while_bodies_render()`` is called while the bodies render in other processes, if they do;
    ``memo`` keeps texts and articles from one build to the next (cmhub serve); ``statuses`` keeps the
    status of the article files this build reads, and the next one reads only those whose status changed
    (with ``cache``, which holds what they were made into; see cmhub/content/statuses.py).
    """
    sources = find_sources(config.content, config.root)
    if memo is not None:
        memo.begin()
    problems: list[Problem] = list(sources.problems)
    headers: list[Header] = []
    cache = cache if cache is not None else RenderCache(None)
    settings = header_settings(config)
    mentions = Mentions()
    mentioned_by: dict[str, tuple[tuple[str, ...], str]] = {}
    """What each unpublished article mentions, and its text (for the snapshot: the files it keeps out)."""
    found: list[str] = []
    unread: list[Path] = []
    """Article files with a mistake: links to them are not errors (their own mistake is reported)."""
    header_keys: dict[str, str] = {}
    known = KnownTexts(statuses, cache, settings) \
        if memo is None and cache.path is not None and statuses is not None and statuses.path is not None else None
    if known is not None:  # the content as the last build read it, and the few files changed since
        kept = recall_content(config, now, preview, sources, settings, cache, known)
        if kept is not None:
            return kept
    status_of: dict[str, Status] = {}
    """The status of each article file, taken before it was read, to be recorded with its keys."""
    for path in sources.articles:
        source = relative(config, path)
        found.append(source)
        try:
            if memo is not None:
                text, key = memo.read(path, source, settings, cache.path is not None)
            else:
                if known is not None:
                    status = status_of[source] = file_status(path)
                    hit = known.recall(source, status)
                    if hit is not None and is_shown(hit.header, now, preview):
                        known.leave_unread(path, hit)
                        header_keys[source] = hit.header_key
                        problems.extend(hit.header.warnings)
                        headers.append(hit.header)
                        continue
                text = path.read_text(encoding="utf-8-sig")
                key = header_key(settings, source, text) if cache.path is not None else ""
        except UnicodeDecodeError as exc:
            problems.append(error(source, None, f"is not UTF-8 text ({exc.reason} at byte {exc.start})"))
            unread.append(path)
            continue
        except OSError as exc:
            problems.append(error(source, None, f"cannot be read: {exc.strerror}"))
            unread.append(path)
            continue
        header_keys[source] = key
        header = _cached_header(cache.get(key), text)
        if header is None:
            try:
                header = parse_header(text, source, config)
            except CmhubError as exc:
                problems.extend(exc.problems)
                unread.append(path)
                continue
            keep_header(cache, key, header, text)
        problems.extend(header.warnings)
        headers.append(header)
        if not is_shown(header, now, preview):
            # whatever it points at stays out of the site, unless a shown article uses it
            found_mentions = mentions_of(cache, key, text)
            mentions.add(text, found_mentions)
            mentioned_by[header.source] = (found_mentions, text)

    content_files = {in_content(config, p): p for p in sources.files}
    paths = article_paths(config, headers, problems)
    if not unread:  # a file with a mistake may be the one a menu names: its own mistake is what to fix
        problems.extend(menu_problems(config, {slug: h for h in headers if h.source in paths
                                               for slug in (paths[h.source][0],)}, now, preview))
    shown = {h.source for h in headers if is_shown(h, now, preview)}
    link_targets = {in_content(config, path): UNREAD for path in unread}
    placed = [h for h in headers if h.source in paths]
    named = names_in_content(config, [h.source for h in placed])
    link_targets.update({name: LinkTarget(paths[h.source][1], h.source in shown)
                         for h, name in zip(placed, named, strict=True)})
    folders = [name.rpartition("/")[0] for name in named]
    jobs = [(h.body, f, is_french(h.lang)) for h, f in zip(placed, folders, strict=True)]
    unread_keys = known.body_keys() if known is not None else {}
    keys = body_keys(jobs, config.base_path, cache,
                     {i: unread_keys[h.source] for i, h in enumerate(placed) if h.source in unread_keys})
    whole = known.whole if known is not None else lambda header: header

    def with_body(index: int) -> tuple[str, str, bool]:  # a body to render again, of a file not read yet
        _, folder, french = jobs[index]
        return whole(placed[index]).body, folder, french

    renderings = render_bodies(jobs, config.base_path, link_targets, frozenset(content_files), cache,
                               while_bodies_render=while_bodies_render, keys=keys, fill=with_body)
    made_from: dict[str, str] = {}
    sizes: dict[Path, int] = {}
    """Each cover file's size, read once however many articles share it."""
    articles: list[Article] = []
    held = Withheld(content_files, mentions)
    held.use(used_by_settings(config, content_files))
    publishes: dict[str, tuple[str, ...]] = {}
    """What each shown article publishes of the files unpublished ones mention (for the snapshot)."""
    used: set[str] = set()
    """The names of the files the shown articles may use (for the snapshot: a file added later, which one of
    them would publish)."""
    named: Counter[str] = Counter()
    """How many articles need each file and article file of content/ (for the snapshot: one gone later)."""
    for header, folder, rendered, key in zip(placed, folders, renderings, keys, strict=True):
        if known is not None and header.source not in unread_keys and header.source in status_of:
            known.remember(header.source, status_of[header.source], header_keys[header.source], key)
        if rendered.issues:  # found at their line in the body
            header = whole(header)
        problems.extend(link_problems(header, rendered))
        image = cover(config, header, folder, content_files, problems, cache)
        overrides = override_images(header, folder, content_files)  # its teasers' pictures
        if known is not None:
            named.update(referenced(rendered, image, overrides))
            if header.source in shown:
                used.update(names_used(header, rendered))
        if header.source in shown and held.mentioned:
            uses = [*rendered.files, *overrides, *([image.path] if image is not None and not image.remote else [])]
            if known is not None:
                publishes[header.source] = held.published_by(uses, rendered.references, folder, config.base_path)
            if held:
                held.use(uses)
                held.use_html(rendered.references, folder, config.base_path)
        place = paths[header.source]
        if key:
            made = made_from[header.source] = made_from_digest(header_keys[header.source], key, rendered, place, image,
                                                         sizes)
        if key and memo is not None:  # the same inputs make the same article: the one made before is kept
            articles.append(memo.article(made, lambda: make_article(header, *place, rendered, image)))  # noqa: B023
        else:
            articles.append(make_article(header, *place, rendered, image))

    articles.sort(key=lambda a: (a.date, a.slug), reverse=True)
    problems.extend(translation_problems(articles, len(unread), config.language))
    posts, pages = [a for a in articles if a.kind == "post"], sorted((a for a in articles if a.kind == "page"),
                                                                     key=lambda a: a.slug)
    if memo is not None:
        memo.end()
    content = Content(tuple(posts), held.assets(), tuple(problems), pages=tuple(pages), sources=frozenset(found),
                      made_from=MappingProxyType(made_from))
    if known is not None and not any(p.severity == "error" for p in problems):
        pointers = Pointers(content_files)
        keep_content(config, now, preview, sources, settings, cache, known, content,
                     dict(zip((h.source for h in placed), keys, strict=True)), status_of, held, publishes,
                     {source: pointers.of(*found) for source, found in mentioned_by.items()}, mentions.found, used,
                     named)
    return content


def reread(site: Site, path: Path, cache: RenderCache) -> tuple[Site, Article] | None:
    """Return ``site`` (the last build of a preview) with the article file at ``path`` read again alone, and
    that article, made as read_content makes it; None when it cannot be made alone: a mistake in it (the
    whole build reports it), a change that moves it among the others (its date, URL, state, language,
    kind or original), or a file ``site`` does not have.

    `cmhub serve` shows the page of the article being written from this at once, then builds the whole
    preview again (every page the edit changed, this one included). A link to an article file with a
    mistake, or to a file of content/ that the site leaves out, counts here as a link to nothing: the
    whole build then says which.
    """
    config = site.config
    source = relative(config, path)
    everything = (*site.articles, *site.pages)
    before = next((a for a in everything if a.source == source), None)
    if before is None:
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
        header = parse_header(text, source, config)
    except (OSError, UnicodeDecodeError, CmhubError):
        return None
    problems: list[Problem] = []
    place = article_paths(config, [header], problems).get(source)
    now, preview = site.now, site.preview
    moved = (header.date, header.lang, header.kind, header.translation_of,
             state_at(header.draft, header.date, header.expires, now)) != \
        (before.date, before.lang, before.kind, before.translation_of, before.state(now))
    if problems or moved or place != (before.slug, before.path) or not is_shown(header, now, preview):
        return None
    shown = {a.source for a in (*site.shown, *site.shown_pages)}
    names = names_in_content(config, [a.source for a in everything])
    targets = {name: LinkTarget(a.path, a.source in shown) for a, name in zip(everything, names, strict=True)}
    folder = next(name for a, name in zip(everything, names, strict=True) if a is before).rpartition("/")[0]
    files = {asset.path: asset.source for asset in site.assets}
    rendered = render_bodies([(header.body, folder, is_french(header.lang))], config.base_path, targets,
                             frozenset(files), cache)[0]
    problems.extend(link_problems(header, rendered))
    image = cover(config, header, folder, files, problems, cache)
    if any(p.severity == "error" for p in problems):
        return None
    article = make_article(header, *place, rendered, image)
    return replace(site, articles=tuple(article if a.source == source else a for a in site.articles),
                   pages=tuple(article if a.source == source else a for a in site.pages)), article


def _cached_header(found: object, text: str) -> Header | None:
    """Return the header a cache entry holds, its body taken back from the article's text."""
    if isinstance(found, Header):
        return found
    if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], Header) and isinstance(found[1], int):
        header, length = found
        return replaced(header, body=text[len(text) - length:] if length else "")
    return None
