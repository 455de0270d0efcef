"""How each network counts a post's length, and the limits it enforces.

Every limit lives in ``RULES`` with its source and the day it was checked, so a platform
change is a one-line fix. Counting functions take the final text exactly as it will be posted.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import regex

_GRAPHEME = regex.compile(r"\X")
_SCHEME_URL = regex.compile(r"https?://[^\s<>\"]+[^\s<>\"\.,;:!?\)\]'»’]", regex.IGNORECASE)
_COMMON_TLDS = (
    "com|org|net|edu|gov|io|co|fr|be|ch|ca|de|uk|es|it|eu|info|app|dev|social|blog|news|me|tv|ly|"
    "xyz|online|site|art|asso|coop|quebec|paris|bzh|lu|nl|pt|us|au|in|jp"
)
# twitter-text also links bare domains with a known TLD ("voir exemple.fr" counts the link as 23);
# every two-letter ending is taken for a country code, which errs on the long (safe) side
_BARE_DOMAIN = regex.compile(
    rf"(?<![\w@.\-/])(?:[\p{{L}}\p{{N}}](?:[\p{{L}}\p{{N}}\-]*[\p{{L}}\p{{N}}])?\.)+(?:{_COMMON_TLDS}|[a-z]{{2}})"
    r"(?![\p{L}\p{N}\-])(?:/[^\s<>\"]*[^\s<>\"\.,;:!?\)\]'»’])?",
    regex.IGNORECASE)
# Mastodon's own mention pattern: an ASCII user name (dots and dashes inside), then @domain
_MASTODON_MENTION = regex.compile(
    r"(?<![\w/])(@[a-z0-9_](?:[a-z0-9_.\-]*[a-z0-9_])?)@[\w.\-]*\w", regex.IGNORECASE | regex.UNICODE)
_X_NARROW = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))


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


@functools.lru_cache(maxsize=65536)
def _is_emoji(cluster: str) -> bool:
    import emoji  # only here: teasers taken from the cache are not counted again

    return emoji.is_emoji(cluster) or (len(cluster) > 1 and emoji.purely_emoji(cluster))


@functools.lru_cache(maxsize=65536)
def _x_weight(cluster: str) -> int:
    if _is_emoji(cluster):
        return 2
    return sum(1 if any(lo <= ord(c) <= hi for lo, hi in _X_NARROW) else 2 for c in cluster)


def x_length(text: str) -> int:
    """Return X's weighted length (twitter-text config v3): URLs 23, emoji 2, wide characters 2."""
    text = unicodedata.normalize("NFC", text)
    total, position = 0, 0
    for match in _x_links(text):
        total += sum(map(_x_weight, graphemes(text[position:match[0]]))) + 23
        position = match[1]
    return total + sum(map(_x_weight, graphemes(text[position:])))


def _x_links(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _SCHEME_URL.finditer(text)]
    for m in _BARE_DOMAIN.finditer(text):
        if not any(start <= m.start() < end for start, end in spans):
            spans.append(m.span())
    return sorted(spans)


def mastodon_length(text: str, url_length: int = 23) -> int:
    """Return Mastodon's length: graphemes, each http(s) URL as ``url_length``, '@u@domain' as '@u'."""
    text = _MASTODON_MENTION.sub(r"\1", text)
    text = _SCHEME_URL.sub("x" * url_length, text)
    return len(graphemes(text))


def grapheme_length(text: str) -> int:
    """Return the number of graphemes (Bluesky counts the visible text this way)."""
    return len(graphemes(text))


def threads_length(text: str) -> int:
    """Return a conservative Threads length: characters, each emoji as its UTF-8 bytes."""
    return sum(map(_threads_weight, graphemes(text)))


@functools.lru_cache(maxsize=65536)
def _threads_weight(cluster: str) -> int:
    return len(cluster.encode("utf-8")) if _is_emoji(cluster) else len(cluster)


def utf16_length(text: str) -> int:
    """Return the length as JavaScript counts it (UTF-16 units): what most web composers show."""
    return len(text.encode("utf-16-le")) // 2


def utf8_bytes(text: str) -> int:
    """Return the UTF-8 size in bytes."""
    return len(text.encode("utf-8"))


@dataclass(frozen=True)
class Rule:
    """One network's limits and counting, with where the facts come from."""

    network: str
    limit: int
    count: Callable[[str], int]
    counted_as: str
    """How the length is measured, in words, for messages."""
    hashtags: int
    """Most hashtags cmhub puts in a teaser (the network's cap, or a good-practice cap)."""
    link_in_text: bool
    """Whether the link goes in the text (else in a separate field, first comment or bio)."""
    image: tuple[int, int]
    source: str
    checked: str
    max_bytes: int | None = None
    max_links: int | None = None
    title_limit: int | None = None


RULES: dict[str, Rule] = {
    "x": Rule("x", 280, x_length, "weighted characters (URL = 23, emoji = 2)", 2, True, (1200, 630),
              "https://docs.x.com/fundamentals/counting-characters (twitter-text config v3)", "2026-11-21"),
    "mastodon": Rule("mastodon", 500, mastodon_length, "characters (URL = 23)", 4, True, (1200, 630),
                     "mastodon app/validators/status_length_validator.rb; docs.joinmastodon.org/user/posting/",
                     "2026-11-21"),
    "bluesky": Rule("bluesky", 300, grapheme_length, "graphemes", 3, True, (1200, 630),
                    "lexicons/app/bsky/feed/post.json (maxGraphemes 300, maxLength 3000)", "2026-11-21",
                    max_bytes=3000),
    "threads": Rule("threads", 500, threads_length, "characters (emoji = UTF-8 bytes)", 1, True, (1200, 630),
                    "developers.facebook.com/documentation/threads/posts", "2026-11-21", max_links=5),
    "linkedin": Rule("linkedin", 3000, utf16_length, "characters", 3, True, (1200, 630),
                     "learn.microsoft.com LinkedIn Posts API (commentary 3,000)", "2026-11-21"),
    "facebook": Rule("facebook", 63206, utf16_length, "characters", 2, True, (1200, 630),
                     "commonly cited Page post limit (no primary source)", "2026-11-21"),
    "instagram": Rule("instagram", 2200, utf16_length, "characters", 5, False, (1080, 1350),
                      "Instagram caption 2,200; 5 hashtags since Dec 2025 (Mosseri)", "2026-11-21"),
    "pinterest": Rule("pinterest", 500, utf16_length, "characters", 0, False, (1000, 1500),
                      "Pinterest pin: title 100, description 500, separate link", "2026-11-21",
                      title_limit=100),
}


def count_links(text: str) -> int:
    """Return how many links a text holds (scheme URLs and bare domains)."""
    return len(_x_links(text))


def measure(network: str, text: str, limit: int | None = None, url_length: int = 23) -> tuple[int, int]:
    """Return (length, limit) of a text on a network, as that network counts it."""
    rule = RULES[network]
    length = mastodon_length(text, url_length) if network == "mastodon" else rule.count(text)
    return length, limit or rule.limit


def fits(network: str, text: str, limit: int | None = None, url_length: int = 23) -> bool:
    """Tell whether a text is within every limit of the network."""
    rule = RULES[network]
    length, most = measure(network, text, limit, url_length)
    if length > most:
        return False
    if rule.max_bytes is not None and utf8_bytes(text) > rule.max_bytes:
        return False
    return rule.max_links is None or count_links(text) <= rule.max_links
