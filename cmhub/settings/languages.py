"""site.yml's ``languages:``: the hub's title, description, menu and footer in each other language of its
articles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cmhub.settings.fields import LANGUAGE_RE, Fields
from cmhub.settings.menus import MenuEntry, parse_menu

_KEYS = ("title", "description", "menu", "footer")


@dataclass(frozen=True)
class LanguageConfig:
    """What the home and feeds of one language say of the hub (empty: the site's own words)."""

    lang: str
    title: str = ""
    description: str = ""
    menu: tuple[MenuEntry, ...] = ()
    """The header's navigation on the pages of this language's home (empty: the theme's own, in its words)."""
    footer: tuple[MenuEntry, ...] = ()
    """The footer's links on those pages (empty: the site's ``footer:``)."""


def parse_languages(check: Fields, data: Any) -> tuple[LanguageConfig, ...]:
    """Read ``languages: {en: {title: ..., description: ...}}``, sorted by language."""
    if data is None:
        return ()
    if not isinstance(data, Mapping):
        check.fail("'languages' must map language codes to a 'title' and a 'description', such as "
                   "'en: {description: \"The notebook of our team\"}'", "languages")
        return ()
    found = []
    for lang, entry in data.items():
        if not isinstance(lang, str) or not LANGUAGE_RE.match(lang):
            check.fail(f"'languages' keys must be language codes such as 'en', got {lang!r}", "languages", str(lang))
            continue
        if not isinstance(entry, Mapping):
            check.fail(f"'languages.{lang}' must be a mapping with 'title' and/or 'description'", "languages", lang)
            continue
        keys = ("languages", lang)
        check.unknown(entry, _KEYS, keys)
        found.append(LanguageConfig(lang.lower(), check.text(entry, "title", keys),
                                    check.text(entry, "description", keys),
                                    parse_menu(check, entry.get("menu"), (*keys, "menu")),
                                    parse_menu(check, entry.get("footer"), (*keys, "footer"))))
    return tuple(sorted(found, key=lambda c: c.lang))


def language_config(languages: tuple[LanguageConfig, ...], lang: str) -> LanguageConfig:
    """Return what site.yml says of ``lang`` (nothing, when it says nothing)."""
    return next((c for c in languages if c.lang == lang.lower()), LanguageConfig(lang.lower()))
