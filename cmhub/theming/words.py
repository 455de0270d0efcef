"""The readers' words: the interface strings every published page, feed and teaser shows, per language."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

from cmhub.core.i18n import base_language

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
        "footer_navigation": "About this site",
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
        "footer_navigation": "À propos du site",
        "article_navigation": "D’autres articles",
        "read_more_suffix": "\u00a0: {title}",
        "website": "Site web",
        "article_count_one": "article",
    },
}


def strings(lang: str) -> Mapping[str, str]:
    """Return the interface strings for ``lang`` (English when we have none), French ones with their
    no-break spaces."""
    return _strings(base_language(lang))


@functools.lru_cache(maxsize=64)
def _strings(base: str) -> Mapping[str, str]:
    found = STRINGS.get(base, STRINGS["en"])
    if base == "fr":
        from cmhub.core.typography import french_spacing

        found = {key: french_spacing(value) for key, value in found.items()}
    return MappingProxyType(found)


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

# --- Translations (issue #19): the language switcher and the feeds of a language's home.
STRINGS["en"].update({
    "languages": "Languages",
    "feeds_by_language": "By language",
})
STRINGS["fr"].update({
    "languages": "Langues",
    "feeds_by_language": "Par langue",
})
