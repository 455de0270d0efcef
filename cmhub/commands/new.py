"""`cmhub new`: a new article file, in the hub's language, dated as the person typed it (or, with
``--page``, a page: no date, in no list or feed).

``--date`` takes ISO 8601 (2026-12-18, 2026-12-18T09:30, with or without an offset) and the
day-first form people write in France and most of the world (18/12/2026, 18/12/2026 09:30).
The day-first form is safe because cmhub never reads a slashed date month first: a date that
is no day of the calendar (31/02, 12/18) is refused, the file always gets the ISO form, the
command says the day it understood in words, and a hub written for the United States (en-US),
where 03/04 means March 4, refuses the slashed form.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime

from cmhub.core.errors import CmhubError, error
from cmhub.core.urls import slugify
from cmhub.output.writer import create_files
from cmhub.settings.config import load_config

EXPECTED = ("must be an ISO 8601 date or datetime (2026-12-18 or 2026-12-18T09:30), or day first "
            "(18/12/2026 or 18/12/2026 09:30)")
MONTH_FIRST = ("en-us",)
"""Languages whose people write the month first: the slashed form is ambiguous there."""
_DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2}))?")

PLACEHOLDERS = {
    "fr": {
        "draft": "enlevez cette ligne quand l’article est prêt",
        "summary": "une ou deux phrases ; par défaut : le texte avant <!-- more -->",
        "image": "images/couverture.jpg",
        "image_alt": "Ce que montre l’image",
        "first": "Premier paragraphe : le résumé affiché dans les listes et les teasers.",
        "section": "Une première partie",
        "page_draft": "enlevez cette ligne quand la page est prête",
        "page_summary": "une ou deux phrases : la description que montrent les moteurs de recherche",
        "page_first": "Le texte de la page : qui vous êtes, comment vous joindre, ce que la loi demande.",
    },
    "en": {
        "draft": "remove this line when the article is ready",
        "summary": "one or two sentences; default: the text before <!-- more -->",
        "image": "images/cover.jpg",
        "image_alt": "What the picture shows",
        "first": "First paragraph: the summary shown on lists and in teasers.",
        "section": "A first section",
        "page_draft": "remove this line when the page is ready",
        "page_summary": "one or two sentences: the description search engines show",
        "page_first": "The text of the page: who you are, how to reach you, what the law asks for.",
    },
}
"""What `cmhub new` writes for the author to replace, by language (others get English)."""


@dataclass(frozen=True)
class Created:
    """The article `cmhub new` wrote, and the day it is dated, in words."""

    path: Path
    dated: str


def read_date(text: str, language: str) -> dt.date | dt.datetime:
    """Return the date or datetime a person typed (naive unless an offset was given).

    Raises CmhubError for anything else, and for the slashed form in a month-first language.
    """
    value = text.strip()
    day_first = _DAY_FIRST.fullmatch(value)
    try:
        if day_first is None:
            return dt.datetime.fromisoformat(value) if ("T" in value or " " in value) else dt.date.fromisoformat(value)
        day, month, year, hour, minute = day_first.groups()
        moment = dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
    except ValueError:
        raise CmhubError([error("--date", None, f"{EXPECTED}; got {text!r}")]) from None
    if language.lower() in MONTH_FIRST:
        swapped = _valid(int(year), int(day), int(month))
        meant = f"{moment.date().isoformat()}" + (f" or {swapped.isoformat()}" if swapped else "")
        raise CmhubError([error("--date", None, (
            f"{text!r} is read day first ({moment.day} {moment:%B}) by cmhub but month first in this hub's language "
            f"({language}): write {meant}"))])
    return moment if hour is not None else moment.date()


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def in_words(when: dt.date | dt.datetime, language: str) -> str:
    """Return a date as a person reads it in ``language`` ('samedi 3 avril 2027 18:00')."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    if isinstance(when, dt.datetime):
        return format_datetime(when, "EEEE d MMMM y HH:mm", tzinfo=when.tzinfo, locale=locale)
    return format_date(when, "EEEE d MMMM y", locale=locale)


def new_article(root: Path, title: str, *, date: str | None, tags: list[str], now: dt.datetime) -> Created:
    """Create content/<slug>.md with complete front matter, in the hub's language; return it.

    Raises CmhubError when the file exists (nothing is overwritten), the title gives no slug or
    ``date`` cannot be read.
    """
    config = load_config(root)
    slug = slugify(title)
    if not slug:
        raise CmhubError([error("cmhub new", None, f"the title {title!r} gives no usable slug; add letters")])
    when = read_date(date, config.language) if date is not None else \
        now.astimezone(config.tz).replace(second=0, microsecond=0, tzinfo=None)
    words = PLACEHOLDERS.get(config.language.split("-")[0].lower(), PLACEHOLDERS["en"])
    authors = f"[{next(iter(config.authors))}]" if config.authors else "[]"
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    text = "\n".join([
        "---",
        f'title: "{quoted}"',
        f"date: {when.isoformat()}",
        f"draft: true          # {words['draft']}",
        f'summary: ""          # {words["summary"]}',
        f"tags: [{', '.join(tags)}]",
        "categories: []",
        f"authors: {authors}",
        f"# image: {words['image']}",
        f'# image_alt: "{words["image_alt"]}"',
        "---",
        words["first"],
        "",
        "<!-- more -->",
        "",
        f"## {words['section']}",
        "",
    ])
    relative = config.content.relative_to(config.root) / f"{slug}.md"
    create_files(config.root, {relative.as_posix(): text + "\n"})
    return Created(config.root / relative, in_words(when, config.language))


def new_page(root: Path, title: str, dated: bool = False) -> Path:
    """Create content/<slug>.md as a page (``type: page``: no date, in no list or feed), a draft; return it.

    Raises CmhubError when the file exists (nothing is overwritten), the title gives no slug, or the
    person asked for a date or tags (``dated``), which a page has not.
    """
    if dated:
        raise CmhubError([error("cmhub new", None, "--page makes a page, which has no date and no tags: "
                                                   "leave out --date and --tags")])
    config = load_config(root)
    slug = slugify(title)
    if not slug:
        raise CmhubError([error("cmhub new", None, f"the title {title!r} gives no usable slug; add letters")])
    words = PLACEHOLDERS.get(config.language.split("-")[0].lower(), PLACEHOLDERS["en"])
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    text = "\n".join([
        "---",
        f'title: "{quoted}"',
        "type: page",
        f"draft: true          # {words['page_draft']}",
        f'summary: ""          # {words["page_summary"]}',
        "---",
        words["page_first"],
        "",
    ])
    relative = config.content.relative_to(config.root) / f"{slug}.md"
    create_files(config.root, {relative.as_posix(): text + "\n"})
    return config.root / relative
