"""RSS 2.0 and Atom (feedgen) and JSON Feed 1.1, for the whole hub and for each tag and category."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from cmhub.content.digests import ArticleDigests, site_digest
from cmhub.content.model import Article, Site
from cmhub.content.taxonomy import group_terms, term_slug
from cmhub.core.imagesize import image_type
from cmhub.core.urls import author_path, category_path, tag_path
from cmhub.incremental.reuse import ReuseCheck, all_held, carrying, digest, reuse_markers
from cmhub.incremental.workers import WorkerPool
from cmhub.ledgers.permalinks_lock import entry_id as ledger_entry_id
from cmhub.output.files import OutputFile
from cmhub.site.builtin.languages import home_feeds, home_path, site_words
from cmhub.theming.words import strings

EMPTY_FEED_DATE = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
"""The updated date of a feed with no entry: fixed, never the clock."""
_ROOT_RELATIVE = re.compile(r'(\s(?:href|src|poster)=")(/[^"]*|#[^"]*)"')
_ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class FeedSpec:
    """One family of feeds (RSS, Atom, JSON) over a list of articles."""

    folder: str
    """Site path of the folder holding feed.xml, atom.xml and feed.json ('' or 'tags/x/')."""
    title: str
    page: str
    """Site path of the HTML page the feed mirrors."""
    articles: tuple[Article, ...]
    lang: str = ""
    """The language of a language home's feeds ('' = the site's)."""


FEED_NAMES = ("feed.xml", "atom.xml", "feed.json")


def feed_files(site: Site, reuse: ReuseCheck = None, workers: WorkerPool | None = None,
               digests: ArticleDigests | None = None) -> Iterator[OutputFile]:
    """Return the site feeds, and one set per tag and per category.

    The feeds are planned now and made as the files are read, by ``workers``'s processes when it
    has them. A feed set whose three files the previous output holds, made from the same inputs
    (``reuse``), is not made again.
    """
    common = site_digest(site)
    articles = digests or ArticleDigests()
    keyed = []
    for spec in feed_specs(site):
        if reuse is None:
            keyed.append((spec, "", False))
            continue
        key = digest(common, spec.folder, spec.title, spec.page,
                     *(f"{articles(a)}:{entry_id(site, a)}" for a in spec.articles))
        keyed.append((spec, key, all_held(reuse, (spec.folder + name for name in FEED_NAMES), key)))
    entries = Entries(site)
    made = (workers or WorkerPool()).add([spec for spec, _, same in keyed if not same],
                                        lambda spec: feed_set(site, spec, entries), PARALLEL_FEEDS_FROM)
    return _feed_files(keyed, made)


def _feed_files(keyed: list[tuple[FeedSpec, str, bool]], made: Iterator[OutputFile]) -> Iterator[OutputFile]:
    for spec, key, same in keyed:
        if same:
            yield from reuse_markers((spec.folder + name for name in FEED_NAMES), key)
        else:
            yield from carrying(key, (next(made) for _ in FEED_NAMES))
    if next(made, None) is not None:  # also ends the worker processes, now rather than when collected
        raise AssertionError("feed_set made more files than FEED_NAMES")


PARALLEL_FEEDS_FROM = 24
"""Below this many feed sets to make, starting processes costs more than it saves."""


def feed_specs(site: Site) -> Iterator[FeedSpec]:
    """Yield what each feed covers: published articles only, whatever the build previews; in a hub with
    translations, each language's home, tags and categories have their own (``en/feed.xml``, ``en/tags/x/``)."""
    published = site.published
    limit = site.config.feeds.entries
    homes = tuple(home_feeds(site, published))
    for lang, folder, title, articles in homes:
        yield FeedSpec(folder, title, folder, articles[:limit], lang if folder else "")
    for lang, folder, title, articles in homes:
        t = strings(lang)
        for attribute in ("tags", "categories"):
            for term in group_terms(articles, attribute):
                path, name = folder + term.path, f"{title} · {t['feed_of'].format(name=term.name)}"
                yield FeedSpec(path, name, path, term.articles[:limit], lang if folder else "")


def entry_id(site: Site, article: Article) -> str:
    """Return the entry's permanent id: the one the ledger recorded at first publication."""
    recorded = site.feed_ids.get(article.source)
    return recorded or ledger_entry_id(site.config.url, article.path, article.date)


def absolute_html(html: str, site: Site, page_url: str) -> str:
    """Return HTML whose root-relative and fragment links are absolute URLs."""
    parts = urlsplit(site.config.url)
    return _absolute(html, f"{parts.scheme}://{parts.netloc}", page_url)


@functools.lru_cache(maxsize=1024)
def _absolute(html: str, origin: str, page_url: str) -> str:
    # an article stands in several feeds (the site's, its tags', its categories'), in RSS/Atom and JSON

    def fix(match: re.Match[str]) -> str:
        value = match.group(2)
        full = page_url + value if value.startswith("#") else origin + value
        return f'{match.group(1)}{full}"'

    return _ROOT_RELATIVE.sub(fix, html)


def feed_updated(articles: Sequence[Article]) -> dt.datetime:
    """Return the feed's own date: its newest entry's last change."""
    return max((a.modified for a in articles), default=EMPTY_FEED_DATE)


@dataclass(frozen=True)
class Entries:
    """Each article's feed entry, made once for all the feed sets it stands in.

    An article stands in the site's feeds and in those of its tags and categories (three or four
    sets on a hub): its RSS and Atom elements are written once and copied, its JSON Feed item is
    written once and reused.
    """

    site: Site
    feedgen_entries: dict[str, Any] = field(default_factory=dict)
    """feedgen entries by article source."""
    json_items: dict[str, str] = field(default_factory=dict)
    """JSON Feed items by article source, as written inside a feed.json."""

    def add_to(self, generator: Any, article: Article) -> None:
        """Append the article's entry to a feedgen generator, making it on the article's first feed."""
        entry = self.feedgen_entries.get(article.source)
        if entry is None:
            entry = generator.add_entry(_entry_type()(), order="append")
            _fill_entry(self.site, entry, article)
            self.feedgen_entries[article.source] = entry
        else:  # feedgen loads its extensions into the entry again: it skips the ones it has
            generator.add_entry(entry, order="append")

    def json_item(self, article: Article) -> str:
        """Return the article's JSON Feed item as it stands in the items of a feed.json."""
        found = self.json_items.get(article.source)
        if found is None:
            text = json.dumps(_json_item(self.site, article), ensure_ascii=False, indent=2)
            # a JSON string holds no newline: each one starts a line, to indent as an item's
            found = self.json_items[article.source] = text.replace("\n", "\n    ")
        return found


def feed_set(site: Site, spec: FeedSpec, entries: Entries | None = None) -> Iterator[OutputFile]:
    """Yield feed.xml, atom.xml and feed.json for one spec (in the order of FEED_NAMES).

    ``entries`` holds the entries already made for other feed sets of the same site.
    """
    entries = entries if entries is not None else Entries(site)
    config = site.config
    base = config.url
    updated = feed_updated(spec.articles)
    from feedgen.feed import FeedGenerator  # only here: a build that keeps every feed does not need it

    generator = FeedGenerator()
    generator.load_extension("dc", atom=False, rss=True)
    generator.id(base + spec.page)
    generator.title(spec.title)
    title, description = site_words(site, spec.lang)
    generator.subtitle(description or title)
    generator.link(href=base + spec.page, rel="alternate", type="text/html")
    generator.language(spec.lang or config.language)
    generator.generator("cmhub", uri="https://pypi.org/project/cmhub/")
    generator.updated(updated)
    generator.lastBuildDate(updated)
    if config.logo:
        logo = base + config.logo.lstrip("/")
        generator.logo(logo)
        generator.icon(logo)
        generator.image(url=logo, title=spec.title, link=base + spec.page)
    for article in spec.articles:
        entries.add_to(generator, article)
    generator.link(href=base + spec.folder + "atom.xml", rel="self", type="application/atom+xml")
    atom = generator.atom_str(pretty=True)
    # feedgen gives RSS's <link> the last link's href: the page must come last
    generator.link([{"href": base + spec.folder + "feed.xml", "rel": "self", "type": "application/rss+xml"},
                    {"href": base + spec.page, "rel": "alternate", "type": "text/html"}], replace=True)
    rss = generator.rss_str(pretty=True)
    xsl = f"{config.base_path}{home_path(site, spec.lang)}feed.xsl"  # in the feed's language
    stylesheet = f'<?xml-stylesheet type="text/xsl" href="{xsl}"?>\n'.encode()
    yield OutputFile(spec.folder + "feed.xml", _with_stylesheet(rss, stylesheet))
    yield OutputFile(spec.folder + "atom.xml", _with_stylesheet(atom, stylesheet))
    yield OutputFile(spec.folder + "feed.json", json_feed(site, spec, updated, entries))


@functools.cache
def _entry_type() -> type:
    """Return feedgen's FeedEntry, made to write its elements once and to keep its Atom links' rel and type.

    Made on first use, as feedgen is imported only to make a feed.
    """
    from feedgen.entry import FeedEntry

    class Entry(FeedEntry):
        """An entry that writes its RSS and Atom elements once, and gives each feed a copy.

        Its fields must all be set before a feed is written.
        """

        def __init__(self) -> None:
            super().__init__()
            self.written: dict[tuple[str, bool], Any] = {}

        def atom_entry(self, extensions: bool = True) -> Any:
            key = ("atom", extensions)
            if key not in self.written:
                self.written[key] = _with_link_types(super().atom_entry(extensions))
            return copy.deepcopy(self.written[key])

        def rss_entry(self, extensions: bool = True) -> Any:
            key = ("rss", extensions)
            if key not in self.written:
                self.written[key] = super().rss_entry(extensions)
            return copy.deepcopy(self.written[key])

    return Entry


def _with_link_types(entry: Any) -> Any:
    """Put back the rel and type that feedgen 1.0 drops from an Atom entry's links (its Atom writer bug).

    Each entry gets its page as rel="alternate" (the first link) and its cover as rel="enclosure".
    They are set on feedgen's elements, so the feed is not parsed and written a second time.
    """
    # feedgen names its elements without the Atom namespace (the feed's root declares it)
    links = [child for child in entry if child.tag in ("link", f"{{{_ATOM}}}link")]
    for index, link in enumerate(links):
        if index == 0:
            link.set("rel", "alternate")
            link.set("type", "text/html")
        else:
            href = link.get("href", "")
            link.set("rel", "enclosure")
            link.set("type", image_type(href, "application/octet-stream"))
    return entry


def _with_stylesheet(xml: bytes, instruction: bytes) -> bytes:
    declaration_end = xml.index(b"?>") + 2
    return xml[:declaration_end] + b"\n" + instruction + xml[declaration_end:].lstrip(b"\n")


def _fill_entry(site: Site, entry: Any, article: Article) -> None:
    config = site.config
    url = config.url + article.path
    entry.id(entry_id(site, article))
    entry.guid(entry_id(site, article), permalink=False)
    entry.title(article.title)
    entry.link(href=url, rel="alternate", type="text/html")
    entry.published(article.date)
    entry.updated(article.modified)
    if article.summary:
        entry.summary(article.summary)
        entry.description(article.summary)
    if config.feeds.full_content:
        entry.content(absolute_html(article.html, site, url), type="html")
    for author_id in article.authors:
        author = config.authors[author_id]
        entry.author({"name": author.name, "uri": author.url or config.url + author_path(author_id)})
        entry.dc.dc_creator(author.name)
    if not article.authors:  # RFC 4287 §4.1.2: an Atom entry has an author; the hub stands in (RSS skips it)
        entry.author({"name": config.title, "uri": config.url})
    for name in article.categories:
        entry.category(term=name, label=name, scheme=config.url + category_path(term_slug(name)))
    for name in article.tags:
        entry.category(term=name, label=name, scheme=config.url + tag_path(term_slug(name)))
    image = article.image
    if image is not None and image.source is not None:
        image_url = config.url + image.path
        kind = image_type(image.path, "application/octet-stream")
        entry.enclosure(image_url, str(image.source.stat().st_size), kind)


def json_feed(site: Site, spec: FeedSpec, updated: dt.datetime, entries: Entries | None = None) -> bytes:
    """Return the JSON Feed 1.1 document of a spec, from the same data as RSS and Atom.

    The bytes are those of ``json.dumps(feed, ensure_ascii=False, indent=2)`` and a newline.
    """
    entries = entries if entries is not None else Entries(site)
    config = site.config
    base = config.url
    feed: dict[str, object] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": spec.title,
        "home_page_url": base + spec.page,
        "feed_url": base + spec.folder + "feed.json",
        "description": site_words(site, spec.lang)[1] or config.title,
        "language": spec.lang or config.language,
    }
    if config.logo:
        feed["icon"] = feed["favicon"] = base + config.logo.lstrip("/")
    head = json.dumps(feed, ensure_ascii=False, indent=2)[:-2]  # all but the closing "\n}"
    items = [entries.json_item(article) for article in spec.articles]
    listed = "[" + ",".join(f"\n    {item}" for item in items) + "\n  ]" if items else "[]"
    return f'{head},\n  "items": {listed}\n}}\n'.encode()


def _json_item(site: Site, article: Article) -> dict[str, object]:
    config = site.config
    base = config.url
    url = base + article.path
    item: dict[str, object] = {"id": entry_id(site, article), "url": url, "title": article.title}
    if config.feeds.full_content:
        item["content_html"] = absolute_html(article.html, site, url)
    else:
        item["content_text"] = article.summary
    if article.summary:
        item["summary"] = article.summary
    if article.image is not None:
        item["image"] = article.image.path if article.image.remote else base + article.image.path
    item["date_published"] = article.date.isoformat()
    item["date_modified"] = article.modified.isoformat()
    if article.authors:
        item["authors"] = [_json_author(site, a) for a in article.authors]
    if article.tags or article.categories:
        item["tags"] = list(dict.fromkeys((*article.categories, *article.tags)))
    item["language"] = article.lang
    return item


def _json_author(site: Site, author_id: str) -> dict[str, str]:
    author = site.config.authors[author_id]
    data = {"name": author.name, "url": author.url or site.config.url + author_path(author_id)}
    if author.avatar:
        data["avatar"] = author.avatar if "://" in author.avatar else site.config.url + author.avatar.lstrip("/")
    return data
