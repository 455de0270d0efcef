"""site.yml's ``menu:`` and ``footer:``: the links of the header's navigation and of the footer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cmhub.core.limits import line_problem, plain_path_problem
from cmhub.settings.fields import Fields

MENU_KEYS = ("menu", "footer")
"""The top-level keys of site.yml read here."""
_ENTRY_KEYS = ("title", "page", "url")


@dataclass(frozen=True)
class MenuEntry:
    """One link of a menu: a page or article of the hub (by slug), or a URL."""

    title: str
    page: str = ""
    """The slug of a page or an article of the hub ('' for a URL)."""
    url: str = ""
    """An absolute http(s) URL, or a path of the hub starting with '/' ('/tags/'); '' for a page."""
    line: int | None = None
    """Line of the entry in site.yml, for the messages about its slug."""


def parse_menu(check: Fields, value: Any, where: str | tuple[str, ...]) -> tuple[MenuEntry, ...]:
    """Return the entries of ``menu:`` or ``footer:`` (``where`` is its key, or its path of keys such as
    ('languages', 'en', 'menu')): each a title with either 'page' or 'url'."""
    path = (where,) if isinstance(where, str) else where
    key = ".".join(path)
    if value is None:
        return ()
    if not isinstance(value, list):
        check.fail(f"'{key}' must be a list of entries such as {{title: \"À propos\", page: a-propos}}", *path)
        return ()
    entries = []
    for index, item in enumerate(value):
        keys = (*path, index)
        if not isinstance(item, dict):
            check.fail(f"'{key}' entries must be mappings with 'title' and 'page' or 'url', got {item!r}", *keys)
            continue
        check.unknown(item, _ENTRY_KEYS, keys)
        title = check.text(item, "title", keys, required=True)
        page, url = check.text(item, "page", keys), check.text(item, "url", keys)
        if bool(page) == bool(url):
            check.fail(f"'{key}' entry '{title}' needs either 'page' (a slug) or 'url', not "
                       f"{'both' if page else 'neither'}", *keys)
            continue
        problem = _url_problem(url) if url else None
        if problem is not None:
            check.fail(f"'{key}' entry '{title}': 'url' {problem}, got {url!r}", *keys, "url")
            continue
        if page.startswith("/") or "/" in page:
            check.fail(f"'{key}' entry '{title}': 'page' is a slug such as 'a-propos', got {page!r} "
                       "(a path goes in 'url')", *keys, "page")
            continue
        entries.append(MenuEntry(title=title, page=page, url=url, line=check.locator.line(*keys)))
    return tuple(entries)


def _url_problem(url: str) -> str | None:
    """Return why ``url`` cannot be a menu link, or None: it is an http(s) URL or a path of the hub."""
    problem = line_problem(url)
    if problem is not None:
        return problem
    if url.startswith("/"):
        return plain_path_problem(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https", "mailto") or not (parts.netloc or parts.path):
        return "must be an absolute http(s) or mailto: URL, or a path of the hub starting with '/'"
    return None
