"""sitemap.xml and robots.txt: what search engines may index (published pages only, not /_social/)."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape as _escape
from itertools import chain

from cmhub.content.digests import site_digest
from cmhub.content.model import Article, Site
from cmhub.content.rows import RowDigests
from cmhub.content.taxonomy import group_terms
from cmhub.content.translations import default_member, in_language, linked_members
from cmhub.core.dates import iso
from cmhub.incremental.reuse import ReuseCheck, digest_of, reuse_or_make
from cmhub.output.files import OutputFile
from cmhub.site.builtin.languages import home_path

READ = ("source", "slug", "path", "lang", "translation_of", "draft", "date", "expires", "updated", "tags",
        "categories")
"""The fields of an article or page the sitemap is made from (tests/site/test_sitemap_key.py checks that it
reads no other): with site.yml and each one's state, its key."""


def sitemap_files(site: Site, reuse: ReuseCheck = None, rows: RowDigests | None = None) -> Iterator[OutputFile]:
    """Yield sitemap.xml (published articles, each language's home, tag and category pages, pages) and
    robots.txt; sitemap.xml is kept as the previous output holds it (``reuse``) when made from the same
    fields of the same articles and pages (READ; their rows' digests kept between builds, from ``rows``).

    In a hub with translations, each home and each published article or page with a published
    translation lists its versions as ``xhtml:link`` alternates, with ``x-default``.

    A preview has no sitemap, and a robots.txt that turns every crawler away. The key is worked out when this
    is called (the build cache, which keeps the rows' digests, is saved before the files are written).
    """
    if site.preview.active:
        return iter([OutputFile("robots.txt", b"# a preview of unpublished articles: not for search engines\n"
                                              b"User-agent: *\nDisallow: /\n")])
    return _files(site, reuse, "" if reuse is None else sitemap_key(site, rows))


def _files(site: Site, reuse: ReuseCheck, key: str) -> Iterator[OutputFile]:
    yield from reuse_or_make(reuse, ["sitemap.xml"], key, lambda: [OutputFile("sitemap.xml", _sitemap(site))])
    # pictures for sharing stay unlisted (they are fetched by link previews, not searched for)
    config = site.config
    robots = f"User-agent: *\nAllow: /\nDisallow: {config.base_path}_social/\n\nSitemap: {config.url}sitemap.xml\n"
    yield OutputFile("robots.txt", robots.encode("utf-8"))


def sitemap_key(site: Site, rows: RowDigests | None = None) -> str:
    """Return the digest of what sitemap.xml is made from: site.yml, and the READ fields and the state of
    every article and page."""
    each = (rows or RowDigests()).rows
    return digest_of(chain(["sitemap", site_digest(site)], each((*site.articles, *site.pages), READ, site.now)))


def _sitemap(site: Site) -> bytes:
    """Return sitemap.xml."""
    published = site.published
    base = site.config.url
    entries: list[tuple[str, str, tuple[tuple[str, str], ...]]] = []
    # Material for MkDocs makes no language homes (pipeline/site_files.py warns): only the site's is listed
    languages = site.languages if site.config.engine != "material" else site.languages[:1]
    homes = tuple((lang, base + home_path(site, lang)) for lang in languages)
    for lang, home in homes:
        listed = in_language(site, published, lang)
        alternates = (*homes, ("x-default", base)) if len(homes) > 1 else ()
        entries.append((home, iso(max(a.modified for a in listed)) if listed else "", alternates))
    for article in published:
        entries.append((base + article.path, iso(article.modified), _alternates(site, article, base)))
    for lang, home in homes:
        for field in ("tags", "categories"):
            for term in group_terms(in_language(site, published, lang), field):
                entries.append((home + term.path, iso(max(a.modified for a in term.articles)), ()))
    for page in site.pages:  # a page has no date: its lastmod is its 'updated:', when it has one
        if page.state(site.now) == "published":
            entries.append((base + page.path, iso(page.updated) if page.updated else "",
                            _alternates(site, page, base)))
    namespaces = ' xmlns:xhtml="http://www.w3.org/1999/xhtml"' if len(site.languages) > 1 else ""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{namespaces}>']
    for loc, lastmod, alternates in entries:
        lastmod_tag = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        links = "".join(f'<xhtml:link rel="alternate" hreflang="{escape(lang)}" href="{escape(href)}"/>'
                        for lang, href in alternates)
        lines.append(f"  <url><loc>{escape(loc)}</loc>{lastmod_tag}{links}</url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def escape(text: str) -> str:
    """Escape text for an XML element: &, < and > (quotes need no escaping there)."""
    return _escape(text, quote=False)


def _alternates(site: Site, article: Article, base: str) -> tuple[tuple[str, str], ...]:
    """Return the published versions of an article or page, and x-default, for its sitemap entry."""
    members = linked_members(site, article)
    if not members:
        return ()
    return (*((m.lang, base + m.path) for m in members), ("x-default", base + default_member(site, members).path))
