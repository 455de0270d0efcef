"""User-perceived characters (extended grapheme clusters, UAX #29): what Bluesky and Mastodon count."""

from __future__ import annotations

import regex

_GRAPHEME = regex.compile(r"\X")
_JOINING = regex.compile(r"[\r\p{GCB=Extend}\p{GCB=SpacingMark}\p{GCB=Prepend}\p{GCB=ZWJ}"
                         r"\p{GCB=Regional_Indicator}\p{GCB=L}\p{GCB=V}\p{GCB=T}\p{GCB=LV}\p{GCB=LVT}]")
"""A character that UAX #29 may join to its neighbour in one cluster. Between any two others (letters,
punctuation, most emoji, controls but CR) a cluster always ends."""
_JOINS: dict[str, bool] = {}
"""Whether each character met so far is one of _JOINING's."""


def graphemes(text: str) -> list[str]:
    """Return the user-perceived characters (extended grapheme clusters, UAX #29) of a text."""
    joins = _JOINS
    for character in set(text):
        found = joins.get(character)
        if found is None:
            found = joins[character] = _JOINING.match(character) is not None
        if found:
            return _GRAPHEME.findall(text)
    return list(text)  # no character joins another: each is a cluster (five times faster than finding them)


def grapheme_length(text: str) -> int:
    """Return the number of graphemes (Bluesky counts the visible text this way)."""
    return len(graphemes(text))
