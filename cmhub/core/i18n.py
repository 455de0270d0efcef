"""Languages: dates, month and day names in the reader's language (Babel, never the process locale).

The words themselves live with what shows them: the readers' words in cmhub.theming.words, the
calendar's in cmhub.social.calendar.words, the team's in cmhub.social.words, the report's in
cmhub.report.strings.
"""

from __future__ import annotations

import datetime as dt
import functools

from babel import Locale, UnknownLocaleError
from babel.dates import format_date


def base_language(lang: str) -> str:
    """Return the language part of a tag: 'fr-CA' -> 'fr'."""
    return lang.replace("_", "-").split("-")[0].lower()



@functools.lru_cache(maxsize=64)
def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(base_language(lang)) if base_language(lang) != lang else Locale("en")


def long_date(moment: dt.datetime, lang: str) -> str:
    """Return a date as readers of ``lang`` write it: '1 décembre 2026', 'December 1, 2026'."""
    return format_date(moment.date(), format="long", locale=_locale(lang))


def month_name(moment: dt.datetime, lang: str) -> str:
    """Return 'décembre 2026' / 'December 2026' for an archive heading."""
    return format_date(moment.date(), format="LLLL yyyy", locale=_locale(lang))


def og_locale(lang: str) -> str:
    """Return the Open Graph locale for a language ('fr' -> 'fr_FR')."""
    locale = _locale(lang)
    if locale.territory:
        return f"{locale.language}_{locale.territory}"
    return {"en": "en_US", "fr": "fr_FR", "de": "de_DE", "es": "es_ES", "it": "it_IT",
            "pt": "pt_PT", "nl": "nl_NL"}.get(locale.language, locale.language)


def full_date(moment: dt.datetime | dt.date, lang: str) -> str:
    """Return a date with its weekday: 'mardi 24 novembre 2026', 'Tuesday, November 24, 2026'."""
    day = moment.date() if isinstance(moment, dt.datetime) else moment
    return format_date(day, format="full", locale=_locale(lang))


def short_moment(moment: dt.datetime, lang: str) -> str:
    """Return a day and time for a list: 'mar. 24 nov. 2026 09:00', 'Tue, Nov 24, 2026 09:00'."""
    from babel.dates import format_datetime

    return format_datetime(moment, "EEE d MMM y HH:mm", tzinfo=moment.tzinfo, locale=_locale(lang))


def weekday_names(lang: str) -> tuple[str, ...]:
    """Return the short names of the days, Monday first ('lun.', 'mar.'... / 'Mon', 'Tue'...)."""
    from babel.dates import get_day_names

    names = get_day_names("abbreviated", context="stand-alone", locale=_locale(lang))
    return tuple(names[i] for i in range(7))


def language_name(lang: str) -> str:
    """Return a language's name as its readers write it, capitalised for a menu: 'English', 'Français'."""
    locale = _locale(lang)
    if locale.language != base_language(lang):  # a code Babel does not know: say it as written
        return lang
    name = locale.get_display_name(locale) or lang
    return name[:1].upper() + name[1:]
