"""Mastodon's length, as its StatusLengthValidator computes it (a port; see tests/networks/test_counting_clients.py).

countable_text: every link with a protocol becomes 23 characters (the instance's
``characters_reserved_per_url``), every mention '@user@domain' becomes '@user', overlapping entities
keep the first; the result is counted in grapheme clusters.
"""

from __future__ import annotations

import re

from cmhub.networks.graphemes import graphemes
from cmhub.networks.links import _LATIN_ACCENTS, link_spans, mastodon_dialect

_USERNAME = r"[a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?"
_MENTION = re.compile(rf"(?<![=/\w])@(({_USERNAME})(?:@[\w.-]+\w+)?)", re.IGNORECASE)
"""Account::MENTION_RE (app/models/account.rb)."""
_END_MENTION = re.compile(f"(?:[@\uff20]|[{_LATIN_ACCENTS}]|://)")
"""twitter-text's end_mention_match: a mention followed by one of these is none."""


def mastodon_entities(text: str) -> list[tuple[int, int, str]]:
    """Return (start, end, replacement) for each link and mention Mastodon gives a length concession."""
    found = [(start, end, "") for start, end in link_spans(text, mastodon_dialect())]
    if "@" in text or "\uff20" in text:
        for match in _MENTION.finditer(text):
            if not _END_MENTION.match(text, match.end()):
                found.append((match.start(), match.end(), "@" + match.group(2)))
    found.sort(key=lambda entity: entity[0])
    kept: list[tuple[int, int, str]] = []
    for entity in found:  # Extractor.remove_overlapping_entities
        if not kept or entity[0] >= kept[-1][1]:
            kept.append(entity)
    return kept


def mastodon_length(text: str, url_length: int = 23) -> int:
    """Return Mastodon's length: graphemes, each link as ``url_length``, '@u@domain' as '@u'."""
    pieces, position = [], 0
    for start, end, replacement in mastodon_entities(text):
        pieces += [text[position:start], replacement or "x" * url_length]
        position = end
    pieces.append(text[position:])
    return len(graphemes("".join(pieces)))
