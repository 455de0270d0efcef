"""The team's words: review pages, the build's summary, how each network counts, in the hub's language.

Kept apart from the readers' words (cmhub.theming.words); a hub's team reads them in the hub's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from cmhub.core.i18n import base_language

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
