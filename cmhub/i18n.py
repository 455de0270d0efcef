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
        "shared_on": "Also on",
        "replies": "Replies",
        "reply_on": "on",
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
        "shared_on": "Aussi sur",
        "replies": "Réponses",
        "reply_on": "sur",
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


# --- Calendar page and `cmhub calendar` (helper A1, #15.7). Kept in one block, apart from the
# --- strings above, so that merges with other changes to this file stay easy.
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
NETWORK_LABELS = {"x": "X", "mastodon": "Mastodon", "bluesky": "Bluesky", "threads": "Threads", "linkedin": "LinkedIn",
                  "facebook": "Facebook", "instagram": "Instagram", "pinterest": "Pinterest"}


def calendar_strings(lang: str) -> Mapping[str, str]:
    """Return the calendar's interface strings for ``lang`` (English when we have none)."""
    return MappingProxyType(CALENDAR_STRINGS.get(base_language(lang), CALENDAR_STRINGS["en"]))


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
# --- cmhub report (#20) --------------------------------------------------------------------------
# The KPI report's strings (social/reports/*.html and its goal lines), kept apart from the site's
# strings above: the report is for the team, never published. Placeholders are filled by
# cmhub/report/html.py; a language without an entry here gets English.
REPORT_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Report {period}",
        "intro": "{site}: {start} to {end}. Figures as of {as_of} ({timezone}).",
        "goals": "Goals",
        "goal_by": "{who}: {value}/{target} {metric}, {needed} a month needed, on track: {answer}",
        "goal_by_pace": "{who}: {value}/{target} {metric}, {needed} a month needed, on track: unknown (no gain known for the period)",
        "goal_reached": "{who}: {value}/{target} {metric}, goal reached",
        "goal_missed": "{who}: {value}/{target} {metric} on {by}, goal missed",
        "goal_unknown": "{who}: {metric}: no data (no export gives them)",
        "goal_per": "{who}: {target} {metric} per {per}; {steps}; on track: {answer}",
        "goal_deadline": "by {by}",
        "goal_cadence": "posting cadence (networks.{network}.cadence)",
        "step": "{label}: {value}",
        "step_below": "{label}: {value} (below the goal)",
        "step_unknown": "{label}: unknown",
        "yes": "yes",
        "no": "no",
        "week": "week",
        "month": "month",
        "whole_hub": "The whole hub",
        "metric_followers": "followers",
        "metric_new_followers": "new followers",
        "metric_visits": "visits",
        "metric_social_visits": "visits from social",
        "metric_posts": "posts",
        "metric_engagement": "interactions",
        "metric_impressions": "impressions",
        "metric_clicks": "clicks",
        "weeks": "Posts planned and posted per week",
        "weeks_note": "Weeks run Monday to Sunday; a week belongs to the period holding its Thursday. Planned: from {plan}.",
        "col_week": "Week",
        "col_network": "Network",
        "col_planned": "Planned",
        "col_posted": "Posted",
        "col_cadence": "Goal",
        "below": "below the goal",
        "networks": "Networks",
        "best_network": "Worked best: {network}, {visits} visits from social per post.",
        "best_network_engagement": "Worked best: {network}, {engagement} interactions per post.",
        "col_posts": "Posts",
        "col_engagement": "Interactions",
        "col_engagement_per_post": "Interactions per post",
        "col_impressions": "Impressions",
        "col_clicks": "Clicks",
        "col_new_followers": "New followers",
        "col_social_visits": "Visits from social",
        "col_visits_per_post": "Visits per post",
        "articles": "Visits per article",
        "col_article": "Article",
        "col_visits": "Visits",
        "slots": "Slots that worked best",
        "slots_note": "Weekday and hour of posting in {timezone}, by interactions per post.",
        "col_slot": "Slot",
        "col_average": "Interactions per post",
        "visits_daily": "Website visits per day",
        "visits_total": "{visits} visits, of which {social} from social.",
        "sources": "Sources",
        "sources_note": "Every number carries the numbers of its sources.",
        "col_file": "File",
        "col_format": "Format",
        "col_days": "Days",
        "notes": "Notes",
        "unknown": "—",
        "nothing": "No data for this period.",
        "chart_weeks": "Posts planned (outline) and posted (filled) per week, all networks",
        "chart_networks": "Visits from social per network",
        "chart_goal": "{value} of {target}",
        "note_no_pages": "{member} is missing: no visits per page from this export",
        "note_no_sources": "{member} is missing: no visits per network from this export",
        "note_no_campaigns": "{member} is missing: no visits per article from teasers from this export",
        "note_audience": "audience breakdowns (age, gender, places): not used by the report",
        "note_series_unused": "series “{series}”: not used by the report",
        "note_sheet_unused": "sheet “{sheet}”: not used by the report",
        "note_duplicates_one": "{file}: 1 row already counted from {kept}",
        "note_duplicates_many": "{file}: {count} rows already counted from {kept}",
        "note_wider": "{files}: {days} reaches outside the period: not counted",
        "note_overlap": "{files}: {days} overlaps a range already counted: not counted",
        "note_unjoined_one": "{file}: 1 post not linked to any article of the hub (counted for its network only)",
        "note_unjoined_many": "{file}: {count} posts not linked to any article of the hub (counted for their network only)",
        "note_no_post_one": "{file}: 1 post count of a post missing from posts.lock (its day is unknown): not counted",
        "note_no_post_many": "{file}: {count} post counts of posts missing from posts.lock (their day is unknown): not counted",
    },
    "fr": {
        "title": "Rapport {period}",
        "intro": "{site}\u00a0: du {start} au {end}. Chiffres au {as_of} ({timezone}).",
        "goals": "Objectifs",
        "goal_by": "{who}\u00a0: {value}/{target} {metric}, {needed} par mois nécessaires, en bonne voie\u00a0: {answer}",
        "goal_by_pace": "{who}\u00a0: {value}/{target} {metric}, {needed} par mois nécessaires, en bonne voie\u00a0: inconnu (aucun gain connu sur la période)",
        "goal_reached": "{who}\u00a0: {value}/{target} {metric}, objectif atteint",
        "goal_missed": "{who}\u00a0: {value}/{target} {metric} au {by}, objectif manqué",
        "goal_unknown": "{who}\u00a0: {metric}\u00a0: aucune donnée (aucun export ne les donne)",
        "goal_per": "{who}\u00a0: {target} {metric} par {per}\u00a0; {steps}\u00a0; en bonne voie\u00a0: {answer}",
        "goal_deadline": "d’ici le {by}",
        "goal_cadence": "rythme de publication (networks.{network}.cadence)",
        "step": "{label}\u00a0: {value}",
        "step_below": "{label}\u00a0: {value} (sous l’objectif)",
        "step_unknown": "{label}\u00a0: inconnu",
        "yes": "oui",
        "no": "non",
        "week": "semaine",
        "month": "mois",
        "whole_hub": "Tout le hub",
        "metric_followers": "abonnés",
        "metric_new_followers": "nouveaux abonnés",
        "metric_visits": "visites",
        "metric_social_visits": "visites depuis les réseaux",
        "metric_posts": "publications",
        "metric_engagement": "interactions",
        "metric_impressions": "impressions",
        "metric_clicks": "clics",
        "weeks": "Publications prévues et publiées par semaine",
        "weeks_note": "Les semaines vont du lundi au dimanche\u00a0; une semaine appartient à la période qui contient son jeudi. Prévues\u00a0: d’après {plan}.",
        "col_week": "Semaine",
        "col_network": "Réseau",
        "col_planned": "Prévues",
        "col_posted": "Publiées",
        "col_cadence": "Objectif",
        "below": "sous l’objectif",
        "networks": "Réseaux",
        "best_network": "Ce qui a le mieux marché\u00a0: {network}, {visits} visites depuis le réseau par publication.",
        "best_network_engagement": "Ce qui a le mieux marché\u00a0: {network}, {engagement} interactions par publication.",
        "col_posts": "Publications",
        "col_engagement": "Interactions",
        "col_engagement_per_post": "Interactions par publication",
        "col_impressions": "Impressions",
        "col_clicks": "Clics",
        "col_new_followers": "Nouveaux abonnés",
        "col_social_visits": "Visites depuis les réseaux",
        "col_visits_per_post": "Visites par publication",
        "articles": "Visites par article",
        "col_article": "Article",
        "col_visits": "Visites",
        "slots": "Créneaux qui ont le mieux marché",
        "slots_note": "Jour et heure de publication ({timezone}), classés par interactions par publication.",
        "col_slot": "Créneau",
        "col_average": "Interactions par publication",
        "visits_daily": "Visites du site par jour",
        "visits_total": "{visits} visites, dont {social} depuis les réseaux.",
        "sources": "Sources",
        "sources_note": "Chaque nombre porte les numéros de ses sources.",
        "col_file": "Fichier",
        "col_format": "Format",
        "col_days": "Jours",
        "notes": "Remarques",
        "unknown": "—",
        "nothing": "Pas de données pour cette période.",
        "chart_weeks": "Publications prévues (contour) et publiées (plein) par semaine, tous réseaux",
        "chart_networks": "Visites depuis les réseaux, par réseau",
        "chart_goal": "{value} sur {target}",
        "note_no_pages": "{member} manque\u00a0: pas de visites par page dans cet export",
        "note_no_sources": "{member} manque\u00a0: pas de visites par réseau dans cet export",
        "note_no_campaigns": "{member} manque\u00a0: pas de visites par article depuis les teasers dans cet export",
        "note_audience": "répartitions de l’audience (âge, genre, lieux)\u00a0: non utilisées par le rapport",
        "note_series_unused": "série «\u00a0{series}\u00a0»\u00a0: non utilisée par le rapport",
        "note_sheet_unused": "feuille «\u00a0{sheet}\u00a0»\u00a0: non utilisée par le rapport",
        "note_duplicates_one": "{file}\u00a0: 1 ligne déjà comptée depuis {kept}",
        "note_duplicates_many": "{file}\u00a0: {count} lignes déjà comptées depuis {kept}",
        "note_wider": "{files}\u00a0: {days} déborde de la période\u00a0: non compté",
        "note_overlap": "{files}\u00a0: {days} recouvre une plage déjà comptée\u00a0: non compté",
        "note_unjoined_one": "{file}\u00a0: 1 publication sans lien vers un article du hub (comptée pour son réseau seulement)",
        "note_unjoined_many": "{file}\u00a0: {count} publications sans lien vers un article du hub (comptées pour leur réseau seulement)",
        "note_no_post_one": "{file}\u00a0: les chiffres d’1 publication absente de posts.lock (son jour est inconnu)\u00a0: non comptés",
        "note_no_post_many": "{file}\u00a0: les chiffres de {count} publications absentes de posts.lock (leur jour est inconnu)\u00a0: non comptés",
    },
}


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
        "review_posted": "- Posted by cmhub publish: {url} ({utc})",
        "review_missed": "- Missed: not posted, too late when cmhub publish ran ({utc})",
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
        "review_posted": "- Publié par cmhub publish\u00a0: {url} ({utc})",
        "review_missed": "- Manqué\u00a0: non publié, trop tard quand cmhub publish est passé ({utc})",
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


def report_strings(lang: str) -> Mapping[str, str]:
    """Return the KPI report's strings for ``lang`` (English when we have none)."""
    return MappingProxyType(REPORT_STRINGS.get(base_language(lang), REPORT_STRINGS["en"]))


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


# --- The search page, the feeds page and the theme's other words (helper F, issue #19). Added to the
# --- readers' strings above in one block, so that merges with other changes to this file stay easy.
STRINGS["en"].update({
    "search": "Search",
    "search_label": "Search the articles",
    "search_filters": "Narrow down",
    "search_any": "All",
    "search_tag": "Tag",
    "search_category": "Category",
    "search_author": "Author",
    "search_language": "Language",
    "search_none": "No article found.",
    "search_one": "1 article found.",
    "search_many": "{count} articles found.",
    "search_loading": "Loading the search…",
    "search_failed": "The search could not load. The archive lists every article.",
    "search_needs_js": "Searching needs JavaScript, which is off in this browser. The archive, tags and categories list every article.",
    "all_feeds": "All feeds, and how to subscribe",
    "feeds_title": "Subscribe to the feeds",
    "feeds_intro": "A feed lets you follow new articles without visiting the site or handing over an e-mail address: copy a feed's address into a feed reader (NetNewsWire, Feedly, Inoreader, Thunderbird…) and each new article comes to you.",
    "feeds_formats": "Each feed comes in three formats with the same articles: RSS and Atom, which every reader knows, and JSON Feed. Pick the first one your reader accepts.",
    "feeds_site": "Every article",
    "feeds_by_tag": "By tag",
    "feeds_by_category": "By category",
})
STRINGS["fr"].update({
    "search": "Recherche",
    "search_label": "Chercher dans les articles",
    "search_filters": "Affiner",
    "search_any": "Tout",
    "search_tag": "Étiquette",
    "search_category": "Catégorie",
    "search_author": "Auteur ou autrice",
    "search_language": "Langue",
    "search_none": "Aucun article trouvé.",
    "search_one": "1 article trouvé.",
    "search_many": "{count} articles trouvés.",
    "search_loading": "Chargement de la recherche…",
    "search_failed": "La recherche n’a pas pu se charger. Les archives listent tous les articles.",
    "search_needs_js": "La recherche a besoin de JavaScript, désactivé dans ce navigateur. Les archives, les étiquettes et les catégories listent tous les articles.",
    "all_feeds": "Tous les flux, et comment s’abonner",
    "feeds_title": "S’abonner aux flux",
    "feeds_intro": "Un flux permet de suivre les nouveaux articles sans passer sur le site ni donner d’adresse e-mail\u00a0: copiez l’adresse d’un flux dans un lecteur de flux (NetNewsWire, Feedly, Inoreader, Thunderbird…) et chaque nouvel article vient à vous.",
    "feeds_formats": "Chaque flux existe en trois formats, avec les mêmes articles\u00a0: RSS et Atom, que tous les lecteurs connaissent, et JSON Feed. Prenez le premier que votre lecteur accepte.",
    "feeds_site": "Tous les articles",
    "feeds_by_tag": "Par étiquette",
    "feeds_by_category": "Par catégorie",
})
