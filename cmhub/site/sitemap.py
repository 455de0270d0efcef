"""sitemap.xml and robots.txt: what search engines may index (published pages only, not /_social/)."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape as _escape

from cmhub.content.model import Site
from cmhub.content.taxonomy import group_terms
from cmhub.core.dates import iso
from cmhub.output.files import OutputFile


def sitemap_files(site: Site) -> Iterator[OutputFile]:
    """Yield sitemap.xml (published articles, home, tag and category pages, pages) and robots.txt.

    A preview has no sitemap, and a robots.txt that turns every crawler away.
    """
    if site.preview.active:
        yield OutputFile("robots.txt", b"# a preview of unpublished articles: not for search engines\n"
                                       b"User-agent: *\nDisallow: /\n")
        return
    published = site.published
    base = site.config.url
    entries: list[tuple[str, str]] = []
    if published:
        entries.append((base, iso(max(a.modified for a in published))))
    else:
        entries.append((base, ""))
    for article in published:
        entries.append((base + article.path, iso(article.modified)))
    for field in ("tags", "categories"):
        for term in group_terms(published, field):
            entries.append((base + term.path, iso(max(a.modified for a in term.articles))))
    for page in site.pages:  # a page has no date: its lastmod is its 'updated:', when it has one
        if page.state(site.now) == "published":
            entries.append((base + page.path, iso(page.updated) if page.updated else ""))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for loc, lastmod in entries:
        lastmod_tag = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        lines.append(f"  <url><loc>{escape(loc)}</loc>{lastmod_tag}</url>")
    lines.append("</urlset>\n")
    yield OutputFile("sitemap.xml", "\n".join(lines).encode("utf-8"))
    # pictures for sharing stay unlisted (they are fetched by link previews, not searched for)
    robots = f"User-agent: *\nAllow: /\nDisallow: {site.config.base_path}_social/\n\nSitemap: {base}sitemap.xml\n"
    yield OutputFile("robots.txt", robots.encode("utf-8"))


def escape(text: str) -> str:
    """Escape text for an XML element: &, < and > (quotes need no escaping there)."""
    return _escape(text, quote=False)
