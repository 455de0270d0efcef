"""The menus of site.yml (``menu:``, ``footer:``) checked against the hub, and turned into links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cmhub.content.model import Article, Site, shown_states, state_at
from cmhub.core.errors import Problem, did_you_mean, error, warning
from cmhub.settings.config import CONFIG_NAME, SiteConfig
from cmhub.settings.menus import MenuEntry
from cmhub.settings.request import Preview

if TYPE_CHECKING:
    from cmhub.content.frontmatter import Header


@dataclass(frozen=True)
class MenuLink:
    """A menu entry made ready for a page: its title and where it leads."""

    title: str
    path: str | None
    """The site path it leads to ('a-propos/', '' for the home page), or None for an address of elsewhere."""
    url: str = ""
    """The address of elsewhere ('https://…', 'mailto:…'), when ``path`` is None."""


def every_menu(config: SiteConfig) -> list[tuple[str, Sequence[MenuEntry]]]:
    """Return each menu of site.yml with its key there: the site's menu and footer, then each language's."""
    menus: list[tuple[str, Sequence[MenuEntry]]] = [("menu", config.menu), ("footer", config.footer)]
    for language in config.languages:
        menus += [(f"languages.{language.lang}.menu", language.menu), (f"languages.{language.lang}.footer",
                                                                        language.footer)]
    return menus


def menu_problems(config: SiteConfig, by_slug: Mapping[str, Header], now: dt.datetime,
                  preview: Preview) -> list[Problem]:
    """Return an error at its line in site.yml for each menu entry whose slug no page or article has,
    and a warning for each one that leads to a page or article not shown (draft, scheduled, expired)."""
    problems = []
    for key, entries in every_menu(config):
        for entry in entries:
            if not entry.page:
                continue
            header = by_slug.get(entry.page)
            if header is None:
                hint = did_you_mean(entry.page, sorted(by_slug))
                problems.append(error(CONFIG_NAME, entry.line, f"'{key}' entry '{entry.title}': no page or article "
                                      f"has the slug '{entry.page}'{hint}"))
            elif state_at(header.draft, header.date, header.expires, now) not in shown_states(preview):
                which = key.rsplit(".", 1)[-1]
                problems.append(warning(CONFIG_NAME, entry.line, f"'{key}' entry '{entry.title}': "
                                        f"{header.source} is not published, so the {which} leaves it out"))
    return problems


def menu_links(site: Site, entries: Sequence[MenuEntry]) -> tuple[MenuLink, ...]:
    """Return the links of a menu: an entry whose page or article this build does not show is left out."""
    paths = {a.slug: a.path for a in _shown(site)}
    links = []
    for entry in entries:
        if entry.page:
            if entry.page in paths:
                links.append(MenuLink(entry.title, paths[entry.page]))
        elif entry.url.startswith("/"):
            links.append(MenuLink(entry.title, entry.url.lstrip("/")))
        else:
            links.append(MenuLink(entry.title, None, entry.url))
    return tuple(links)


def _shown(site: Site) -> Iterable[Article]:
    yield from site.shown_pages
    yield from site.shown
