"""The calendar's words (calendar.html and `cmhub calendar`), in the hub's language."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from cmhub.core.i18n import base_language

CALENDAR_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "networks_filter": "Show",
        "month_view": "Month",
        "list_view": "List",
        "blackout": "No posts (blackout)",
        "paused_banner": "Paused: calendar.pause is on. No social post is planned, and teasers already handed out were cancelled (see the latest batch's cancelled.csv).",
        "teaser_text": "Text",
        "calendar_posted": "posted",
        "calendar_missed": "missed (not posted)",
        "reminder_n": "reminder {n}",
        "nothing_coming": "Nothing planned in the coming weeks.",
        "paused_line": "PAUSED: no social post is planned while calendar.pause is true.",
        "below_goal_line": "Below the weekly goal: {network}, {goal} a week, in {count} of {weeks} weeks ({list})",
        "impossible_line": "Impossible goal: {network} asks for {goal} posts a week; its slots and spacing allow {capacity} at most",
        "article_word": "article",
    },
    "fr": {
        "networks_filter": "Afficher",
        "month_view": "Mois",
        "list_view": "Liste",
        "blackout": "Pas de publication (période blanche)",
        "paused_banner": "En pause : calendar.pause est activé. Aucune publication sociale n’est planifiée, et celles déjà transmises ont été annulées (voir cancelled.csv du dernier lot).",
        "teaser_text": "Texte",
        "calendar_posted": "publié",
        "calendar_missed": "manqué (non publié)",
        "reminder_n": "rappel {n}",
        "nothing_coming": "Rien de planifié dans les semaines à venir.",
        "paused_line": "EN PAUSE : aucune publication sociale n’est planifiée tant que calendar.pause vaut true.",
        "below_goal_line": "Sous l’objectif hebdomadaire : {network}, {goal} par semaine, {count} semaines sur {weeks} ({list})",
        "impossible_line": "Objectif impossible : {network} demande {goal} publications par semaine ; ses créneaux et son espacement en permettent {capacity} au plus",
        "article_word": "article",
    },
}


def calendar_strings(lang: str) -> Mapping[str, str]:
    """Return the calendar's interface strings for ``lang`` (English when we have none)."""
    return MappingProxyType(CALENDAR_STRINGS.get(base_language(lang), CALENDAR_STRINGS["en"]))
