"""Interface strings and dates in the reader's language (Babel, never the process locale)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from types import MappingProxyType

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "skip_to_content": "Skip to content",
        "home": "Home",
        "tags": "Tags",
        "categories": "Categories",
        "authors": "Authors",
        "archive": "Archive",
        "feeds": "Feeds",
        "read_more": "Read more",
        "minutes_read": "min read",
        "published_on": "Published on",
        "updated_on": "Updated on",
        "by": "By",
        "tagged": "Tagged",
        "in_category": "In",
        "newer": "Newer",
        "older": "Older",
        "newer_articles": "Newer articles",
        "older_articles": "Older articles",
        "page_n_of_m": "Page {page} of {pages}",
        "pagination": "Pagination",
        "tag_heading": "Articles tagged “{name}”",
        "category_heading": "Category: {name}",
        "author_heading": "Articles by {name}",
        "archive_heading": "Archive {year}",
        "all_tags": "All tags",
        "all_categories": "All categories",
        "all_authors": "All authors",
        "all_years": "All years",
        "articles_count": "articles",
        "not_found_title": "Page not found",
        "not_found_text": "This page does not exist, or no longer does. Try the home page or the archive.",
        "draft_banner": "Draft: this article is not published. Only preview builds show it.",
        "scheduled_banner": "Scheduled for {date}: not published yet. Only preview builds show it.",
        "preview_banner": "Preview build: drafts and scheduled articles are shown.",
        "subscribe": "Subscribe",
        "rss_feed": "RSS feed",
        "atom_feed": "Atom feed",
        "json_feed": "JSON Feed",
        "feed_of": "Feed of {name}",
        "feed_about": "This is a web feed. Copy its address into a feed reader to follow new articles.",
        "powered_by": "Built with cmhub",
        "no_articles": "No articles yet.",
        "read_article": "Read the article:",
        "reminder": "In case you missed it:",
        "calendar": "Publishing calendar",
        "calendar_description": "When {site} publishes each article and each social post.",
        "calendar_paused": "Paused: no social post is planned while the pause is on.",
        "calendar_article": "Article:",
        "calendar_all": "All networks",
        "calendar_below_goal": "Below the weekly goal",
        "calendar_week": "Week",
        "calendar_empty": "Nothing is planned.",
        "link_in_bio": "Link in bio",
        "moved_title": "This page has moved",
        "gone_title": "This page was removed",
        "gone_text": "This article was taken down on purpose. The home page and the archive list everything still online.",
        "moved_text": "This page now lives at a new address:",
        "main_navigation": "Main navigation",
        "article_navigation": "More articles",
        "read_more_suffix": ": {title}",
        "website": "Website",
        "article_count_one": "article",
    },
    "fr": {
        "skip_to_content": "Aller au contenu",
        "home": "Accueil",
        "tags": "Étiquettes",
        "categories": "Catégories",
        "authors": "Auteurs et autrices",
        "archive": "Archives",
        "feeds": "Flux",
        "read_more": "Lire la suite",
        "minutes_read": "min de lecture",
        "published_on": "Publié le",
        "updated_on": "Mis à jour le",
        "by": "Par",
        "tagged": "Étiquettes",
        "in_category": "Dans",
        "newer": "Plus récent",
        "older": "Plus ancien",
        "newer_articles": "Articles plus récents",
        "older_articles": "Articles plus anciens",
        "page_n_of_m": "Page {page} sur {pages}",
        "pagination": "Pagination",
        "tag_heading": "Articles étiquetés « {name} »",
        "category_heading": "Catégorie : {name}",
        "author_heading": "Articles de {name}",
        "archive_heading": "Archives {year}",
        "all_tags": "Toutes les étiquettes",
        "all_categories": "Toutes les catégories",
        "all_authors": "Tous les auteurs et autrices",
        "all_years": "Toutes les années",
        "articles_count": "articles",
        "not_found_title": "Page introuvable",
        "not_found_text": "Cette page n’existe pas ou plus. Essayez l’accueil ou les archives.",
        "draft_banner": "Brouillon : cet article n’est pas publié. Seules les constructions d’aperçu l’affichent.",
        "scheduled_banner": "Programmé pour le {date} : pas encore publié. Seules les constructions d’aperçu l’affichent.",
        "preview_banner": "Aperçu : les brouillons et les articles programmés sont affichés.",
        "subscribe": "S’abonner",
        "rss_feed": "Flux RSS",
        "atom_feed": "Flux Atom",
        "json_feed": "Flux JSON",
        "feed_of": "Flux de {name}",
        "feed_about": "Ceci est un flux web. Copiez son adresse dans un lecteur de flux pour suivre les nouveaux articles.",
        "powered_by": "Construit avec cmhub",
        "no_articles": "Pas encore d’article.",
        "read_article": "Lire l’article :",
        "reminder": "Au cas où vous l’auriez manqué :",
        "calendar": "Calendrier de publication",
        "calendar_description": "Quand {site} publie chaque article et chaque publication sociale.",
        "calendar_paused": "En pause : aucune publication sociale n’est planifiée tant que la pause dure.",
        "calendar_article": "Article :",
        "calendar_all": "Tous les réseaux",
        "calendar_below_goal": "Sous l’objectif hebdomadaire",
        "calendar_week": "Semaine",
        "calendar_empty": "Rien n’est planifié.",
        "link_in_bio": "Lien dans la bio",
        "moved_title": "Cette page a déménagé",
        "gone_title": "Cette page a été retirée",
        "gone_text": "Cet article a été retiré volontairement. L’accueil et les archives listent tout ce qui reste en ligne.",
        "moved_text": "Cette page se trouve désormais à une nouvelle adresse :",
        "main_navigation": "Navigation principale",
        "article_navigation": "D’autres articles",
        "read_more_suffix": "\u00a0: {title}",
        "website": "Site web",
        "article_count_one": "article",
    },
}


def base_language(lang: str) -> str:
    """Return the language part of a tag: 'fr-CA' -> 'fr'."""
    return lang.replace("_", "-").split("-")[0].lower()


def strings(lang: str) -> Mapping[str, str]:
    """Return the interface strings for ``lang`` (English when we have none), French ones with their
    no-break spaces."""
    return _strings(base_language(lang))


@functools.lru_cache(maxsize=64)
def _strings(base: str) -> Mapping[str, str]:
    found = STRINGS.get(base, STRINGS["en"])
    if base == "fr":
        from cmhub.typography import french_spacing

        found = {key: french_spacing(value) for key, value in found.items()}
    return MappingProxyType(found)


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


# --- The team's words (helper C, issue #15.5): review pages, the build's summary, network names. ---
# Kept apart from STRINGS (the readers' words); a hub's team reads them in the hub's language.

NETWORK_LABELS = {"x": "X", "mastodon": "Mastodon", "bluesky": "Bluesky", "threads": "Threads",
                  "linkedin": "LinkedIn", "facebook": "Facebook", "instagram": "Instagram", "pinterest": "Pinterest"}
"""How each network writes its own name."""

TEAM_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "published": "published", "published_many": "published",
        "scheduled": "scheduled", "scheduled_many": "scheduled",
        "draft": "draft", "draft_many": "drafts",
        "expired": "expired", "expired_many": "expired",
        "next_publication": "; next scheduled publication: {at}",
        "nothing_scheduled": "; nothing scheduled",
        "nothing_changed": "; nothing changed",
        "review_source": "Source: `{source}`",
        "review_no_account": "no account set",
        "review_when": "- When: {local} ({utc})",
        "review_length": "- Length: {length} / {limit} {unit}",
        "review_link": "- Link: {link}",
        "review_picture": "- Picture: {url} ({width}x{height}), alt text: {alt}",
        "review_picture_later": "- Picture: `{path}` ({width}x{height}, online once the article is published), alt text: {alt}",
        "review_first_comment": "- First comment: {text}",
        "review_thread_part": "Thread part {index}:",
        "review_variant": "{network} ({account}), {variant}",
        "counted_x": "weighted characters (URL = 23, emoji = 2)",
        "counted_mastodon": "characters (URL = 23)",
        "counted_bluesky": "graphemes",
        "counted_threads": "characters (emoji = UTF-8 bytes)",
        "counted_other": "characters",
        "teasers_written": "{teasers} teasers for {articles} articles on {networks} networks in {folder}/",
    },
    "fr": {
        "published": "publié", "published_many": "publiés",
        "scheduled": "programmé", "scheduled_many": "programmés",
        "draft": "brouillon", "draft_many": "brouillons",
        "expired": "expiré", "expired_many": "expirés",
        "next_publication": "\u202f; prochaine publication programmée\u00a0: {at}",
        "nothing_scheduled": "\u202f; rien n’est programmé",
        "nothing_changed": "\u202f; rien n’a changé",
        "review_source": "Source\u00a0: `{source}`",
        "review_no_account": "aucun compte indiqué",
        "review_when": "- Quand\u00a0: {local} ({utc})",
        "review_length": "- Longueur\u00a0: {length} / {limit} {unit}",
        "review_link": "- Lien\u00a0: {link}",
        "review_picture": "- Image\u00a0: {url} ({width}x{height}), texte alternatif\u00a0: {alt}",
        "review_picture_later": "- Image\u00a0: `{path}` ({width}x{height}, en ligne dès la publication de l’article), texte alternatif\u00a0: {alt}",
        "review_first_comment": "- Premier commentaire\u00a0: {text}",
        "review_thread_part": "Suite du fil, partie {index}\u00a0:",
        "review_variant": "{network} ({account}), {variant}",
        "counted_x": "caractères pondérés (URL = 23, émoji = 2)",
        "counted_mastodon": "caractères (URL = 23)",
        "counted_bluesky": "graphèmes",
        "counted_threads": "caractères (émoji = octets UTF-8)",
        "counted_other": "caractères",
        "teasers_written": "{teasers} publications pour {articles} articles sur {networks} réseaux dans {folder}/",
    },
}


def team_strings(lang: str) -> Mapping[str, str]:
    """Return the team's strings for ``lang`` (English when we have none)."""
    return MappingProxyType(TEAM_STRINGS.get(base_language(lang), TEAM_STRINGS["en"]))


def counted(lang: str, network: str, amount: int) -> str:
    """Return '3 publiés' / '1 draft': an amount and a state, singular for 0 and 1 in French, 1 in English."""
    t = team_strings(lang)
    one = amount <= 1 if base_language(lang) == "fr" else amount == 1
    return f"{amount} {t[network] if one else t[network + '_many']}"


def counted_as(lang: str, network: str) -> str:
    """Return how a network's length is measured, in words, in ``lang``."""
    t = team_strings(lang)
    return t.get(f"counted_{network}", t["counted_other"])
