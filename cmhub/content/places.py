"""Where each article of content/ goes: its name under content/, its slug and its site path (a second
article on a taken path is reported)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from cmhub.content.frontmatter import Header
from cmhub.core.errors import Problem, error
from cmhub.core.urls import MAX_SEGMENT_BYTES, article_path
from cmhub.settings.config import SiteConfig

THEME_PAGES = frozenset({"tags", "categories", "authors", "archive", "search", "feeds"})
"""The folders of the site's own pages (lists, search, feeds): no article or page may take their URL."""


def names_in_content(config: SiteConfig, sources: Sequence[str]) -> list[str]:
    """Return each article's path under content/ from its path in the project (``in_content``'s answer,
    without making a Path of each when content/ is a plain folder of the project)."""
    prefix = under(str(config.root), str(config.content))
    if prefix is None:
        return [in_content(config, config.root / source) for source in sources]
    prefix += "/"
    return [source[len(prefix):] if source.startswith(prefix) and "/../" not in source and "/./" not in source
            else in_content(config, config.root / source) for source in sources]


def relative(config: SiteConfig, path: Path) -> str:
    """Return a file's path in the project ('content/a.md'), '/'-separated."""
    inside = under(str(config.root), str(path))
    if inside is not None:
        return inside
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return path.as_posix()


def in_content(config: SiteConfig, path: Path) -> str:
    """Return a file's path under content/ ('a.md'), '/'-separated."""
    inside = under(str(config.content), str(path))
    return inside if inside is not None else path.relative_to(config.content).as_posix()


def under(folder: str, path: str) -> str | None:
    """Return ``path`` relative to ``folder`` with '/' separators, when it is plainly inside it (fast path)."""
    prefix = folder if folder.endswith(os.sep) else folder + os.sep
    if not path.startswith(prefix) or f"{os.sep}..{os.sep}" in path or f"{os.sep}.{os.sep}" in path:
        return None
    return path[len(prefix):].replace(os.sep, "/")


def article_paths(config: SiteConfig, headers: Sequence[Header],
                  problems: list[Problem]) -> dict[str, tuple[str, str]]:
    """Give each article its slug and site path; a second article on a taken path is reported."""
    paths: dict[str, tuple[str, str]] = {}
    owners: dict[str, Header] = {}
    for header in headers:
        slug = header.slug or header.file_slug
        # a page has no date (nor a place among the posts): it lives at /{slug}/ whatever the permalink
        path = article_path(config.permalink, slug, header.date, header.lang) if header.kind == "post" else f"{slug}/"
        if any(len(part.encode("utf-8")) > MAX_SEGMENT_BYTES for part in path.split("/")):
            problems.append(error(header.source, header.lines.get("slug"), f"its URL /{path[:40]}… has a part "
                                  f"longer than {MAX_SEGMENT_BYTES} bytes; set a shorter 'slug:'"))
            continue
        if path.rstrip("/") in THEME_PAGES:  # "Search" or "Archive" is a likely title of a page
            problems.append(error(header.source, header.lines.get("slug", 1), f"its URL /{path} is the site's "
                                  f"own list of {path.rstrip('/')}; set another 'slug:'"))
            continue
        other = owners.get(path)
        if other is not None:
            if other.slug and not header.slug:  # the URL is this file's by its name: the 'slug:' is at fault
                del paths[other.source]
                owners[path] = header
                paths[header.source] = (slug, path)
                header, other = other, header
            problems.append(taken(header, other, path))
            continue
        owners[path] = header
        paths[header.source] = (slug, path)
    return paths


def taken(header: Header, other: Header, path: str) -> Problem:
    """Return the error of an article whose URL another one already has, at its 'slug:' if it set one."""
    if header.slug:
        return error(header.source, header.lines.get("slug"), f"slug '{header.slug}' gives the URL /{path}, "
                     f"already used by {other.source}; set another 'slug:'")
    return error(header.source, 1, f"its file name gives the URL /{path}, already used by {other.source}; "
                 "set a 'slug:' in its front matter")
