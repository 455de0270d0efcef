"""Which account of a network gets an article's teaser: the one site.yml names for its language.

A network entry may name an account per language (``accounts: {en: "@us_en@mastodon.social"}``): the
teasers of the articles in that language go to it, written in that language; the entry's ``handle``
gets the others. In a hub with translations (an article sets ``translation_of``, whatever its state, so
that the plan does not change when a translation comes out), an entry whose ``language:`` is set
speaks that language only: its ``handle`` gets the teasers of that language's articles, and an article
in a language it has no account for gets no teaser there (a French account is not sent the English
version of what it already announced). In a hub without translations ``language:`` keeps its older
meaning: every article's teaser, written in that language.
"""

from __future__ import annotations

from dataclasses import replace

from cmhub.content.model import Article, Site
from cmhub.core.i18n import base_language
from cmhub.settings.social import NetworkConfig


def account_for(site: Site, network: NetworkConfig, article: Article) -> NetworkConfig | None:
    """Return the settings ``article``'s teaser on ``network`` is made with (its account as ``handle``),
    or None when no account of that network takes the article's language."""
    lang = article.lang.lower()
    accounts = dict(network.accounts)
    handle = accounts.get(lang) or accounts.get(base_language(lang))
    if handle is not None:
        return replace(network, handle=handle, language="")  # the account of the article's language
    if network.language and not _same(network.language, lang) and any(a.translation_of for a in site.articles):
        return None
    return network


def _same(wanted: str, lang: str) -> bool:
    """Tell whether an article in ``lang`` is in the language ``wanted`` ('en' takes 'en-GB')."""
    wanted = wanted.lower()
    return lang == wanted or ("-" not in wanted and base_language(lang) == wanted)
