"""Slugs, permalinks and output paths: every URL rule in one place.

A *site path* is relative to the site root, with no leading slash: ``""`` for the home page,
``"mon-article/"``, ``"tags/facebook/page/2/"``, ``"feed.xml"``. Pages end with '/', and are
written to ``<path>index.html``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from slugify import slugify as _slugify

from cmhub.core.limits import MAX_SEGMENT_BYTES, plain_path_problem  # noqa: F401 - the URL rules, in one place

_APOSTROPHES = [["'", ""], ["’", ""], ["ʼ", ""]]
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}[-_]")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """Return an ASCII URL slug: 'L’été à Paris' -> 'lete-a-paris'."""
    return _slugify(text, replacements=_APOSTROPHES, lowercase=True)


def slug_from_filename(stem: str) -> str:
    """Return the default slug of an article file (a leading date prefix is dropped)."""
    return slugify(_DATE_PREFIX.sub("", stem)) or slugify(stem)


def article_path(pattern: str, slug: str, date: dt.datetime, lang: str) -> str:
    """Return the site path of an article from the permalink pattern (date in site time)."""
    path = pattern.format(slug=slug, year=f"{date.year:04d}", month=f"{date.month:02d}",
                          day=f"{date.day:02d}", lang=lang)
    return path.lstrip("/")


def page_path(base: str, page: int) -> str:
    """Return the site path of page ``page`` (1-based) of a paginated list at ``base``."""
    return base if page == 1 else f"{base}page/{page}/"


def output_file(site_path: str) -> str:
    """Return the file that serves a site path: 'a/' -> 'a/index.html', 'feed.xml' -> itself."""
    if site_path == "" or site_path.endswith("/"):
        return site_path + "index.html"
    return site_path


def is_safe_relative(path: str) -> bool:
    """Tell whether a relative output path stays inside its folder."""
    return bool(path) and not path.startswith("/") and "\\" not in path and ".." not in path.split("/")


def tag_path(slug: str) -> str:
    """Return the site path of a tag page."""
    return f"tags/{slug}/"


def category_path(slug: str) -> str:
    """Return the site path of a category page."""
    return f"categories/{slug}/"


def author_path(author_id: str) -> str:
    """Return the site path of an author page."""
    return f"authors/{author_id}/"


def year_path(year: int) -> str:
    """Return the site path of a yearly archive page."""
    return f"archive/{year}/"


_UNSAFE = re.compile(r'[\s\x00-\x1f\x7f-\x9f"<>\\^`{|}#?]')


def site_path_problem(path: str) -> str:
    """Return why ``path`` cannot be a site path of this hub ('' when it can).

    A site path has no leading '/', no whitespace or control character (a newline or a space
    would add a rule to `_redirects`), none of " < > \\ ^ ` { | } # ?, no empty, '.' or '..' segment.
    """
    found = _UNSAFE.search(path)
    if found:
        return f"contains {found.group()!r}, which a URL path cannot hold"
    segments = path.split("/")
    if any(s in (".", "..") for s in segments):
        return "has a '.' or '..' segment"
    if "" in segments[:-1]:
        return "has an empty segment ('//')"
    return ""
