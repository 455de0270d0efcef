"""How each network counts a post's length, and the limits it enforces.

Every limit lives in ``RULES`` with its source and the day it was checked, so a platform
change is a one-line fix. Counting functions take the final text exactly as it will be posted.
X's rule is twitter-text's (counting/x.py), Mastodon's its validator's (counting/mastodon.py);
tests/networks/test_counting_clients.py checks both against the networks' own code.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from cmhub.networks.graphemes import grapheme_length, graphemes
from cmhub.networks.links import link_spans, x_dialect
from cmhub.networks.mastodon import mastodon_length
from cmhub.networks.x import x_length, x_parse, x_valid_characters

__all__ = ["RULES", "Rule", "count_links", "fits", "grapheme_length", "graphemes", "mastodon_length",
           "measure", "problems_in", "threads_length", "utf16_length", "utf8_bytes", "x_length",
           "x_parse", "x_valid_characters"]


@functools.lru_cache(maxsize=65536)
def _is_emoji(cluster: str) -> bool:
    import emoji  # only here: teasers taken from the cache are not counted again

    return emoji.is_emoji(cluster) or (len(cluster) > 1 and emoji.purely_emoji(cluster))


def threads_length(text: str) -> int:
    """Return a conservative Threads length: characters, each emoji as its UTF-8 bytes."""
    return sum(map(_threads_weight, graphemes(text)))


@functools.lru_cache(maxsize=65536)
def _threads_weight(cluster: str) -> int:
    return len(cluster.encode("utf-8")) if _is_emoji(cluster) else len(cluster)


def utf16_length(text: str) -> int:
    """Return the length as JavaScript counts it (UTF-16 units): what most web composers show."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf8_bytes(text: str) -> int:
    """Return the UTF-8 size in bytes."""
    return len(text.encode("utf-8", "surrogatepass"))


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
    """The most a separate title field holds, in UTF-16 units (Pinterest's pin title)."""


RULES: dict[str, Rule] = {
    "x": Rule("x", 280, x_length, "weighted characters (URL = 23, emoji = 2)", 2, True, (1200, 630),
              "https://docs.x.com/fundamentals/counting-characters; twitter-text 3.1.0 (config v3)", "2026-11-21"),
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
    """Return how many links a text holds, as twitter-text finds them (with or without a protocol)."""
    return len(link_spans(text, x_dialect()))


def measure(network: str, text: str, limit: int | None = None, url_length: int = 23) -> tuple[int, int]:
    """Return (length, limit) of a text on a network, as that network counts it."""
    rule = RULES[network]
    length = mastodon_length(text, url_length) if network == "mastodon" else rule.count(text)
    return length, limit or rule.limit


def problems_in(network: str, text: str) -> list[str]:
    """Return what the network refuses in a text besides its length (characters, bytes, links)."""
    rule = RULES[network]
    found = []
    if network == "x" and not x_valid_characters(text):
        found.append("holds a character X refuses (U+FEFF, U+FFFE or U+FFFF)")
    if rule.max_bytes is not None and utf8_bytes(text) > rule.max_bytes:
        found.append(f"is {utf8_bytes(text)} bytes; {network} allows {rule.max_bytes}")
    if rule.max_links is not None and count_links(text) > rule.max_links:
        found.append(f"has {count_links(text)} links; {network} allows {rule.max_links}")
    return found


def fits(network: str, text: str, limit: int | None = None, url_length: int = 23) -> bool:
    """Tell whether a text is within every limit of the network."""
    length, most = measure(network, text, limit, url_length)
    return length <= most and not problems_in(network, text)


