"""The networks cmhub writes teasers for, each one's rules as data: limits, counting, quirks.

Every limit lives in ``NETWORKS`` with its source and the day it was checked, so a platform change
is a one-line fix; what a network does differently is a field of its ``Network``, never a test of
its name elsewhere. Counting functions take the final text exactly as it will be posted: X's rule is
twitter-text's (networks/x.py), Mastodon's its validator's (networks/mastodon.py), Bluesky's rich
text its API's (networks/bluesky.py); tests/networks/test_counting_clients.py checks them against
the networks' own code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from cmhub.networks.bluesky import bluesky_post
from cmhub.networks.counting import count_links, threads_length, utf8_bytes, utf16_length
from cmhub.networks.graphemes import grapheme_length
from cmhub.networks.mastodon import mastodon_length
from cmhub.networks.x import x_length, x_valid_characters


@dataclass(frozen=True, kw_only=True)
class Network:
    """One network's limits and counting, its quirks, and where the facts come from."""

    name: str
    label: str
    """How the network writes its own name ("LinkedIn")."""
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
    count_at_url_length: Callable[[str, int], int] | None = None
    """The count when the account's instance sets how long a link counts (site.yml ``url_length``)."""
    refuses: Callable[[str], str | None] | None = None
    """What the network refuses in a text besides its limits, said as a message (None: nothing)."""
    utm_content: str = ""
    """``utm_content`` of its links, when the link does not sit in the post ('bio': the profile's link)."""
    hashtag_cap_enforced: bool = False
    """The network refuses a post with more than ``hashtags`` hashtags (an author's text included)."""
    cheaper_text: tuple[tuple[str, str], ...] = ()
    """Characters replaced in teasers by ones the network counts less and shows alike."""
    mention_prefix: str = "@"
    """What precedes an author's handle in a post ('' where handles are page names)."""
    api_record: Callable[[str, str, tuple[str, ...]], dict[str, Any]] | None = None
    """The post as the network's API takes it (rich text with facets), from its text, link and handles."""
    postable: bool = False
    """cmhub publish can post to it (an open API with no review)."""


def _x_refuses(text: str) -> str | None:
    return None if x_valid_characters(text) else "holds a character X refuses (U+FEFF, U+FFFE or U+FFFF)"


NETWORKS: Mapping[str, Network] = MappingProxyType({network.name: network for network in (
    Network(name="x", label="X", limit=280, count=x_length, counted_as="weighted characters (URL = 23, emoji = 2)",
            hashtags=2, link_in_text=True, image=(1200, 630), refuses=_x_refuses,
            cheaper_text=(("\u202f", "\u00a0"),),  # X weighs U+202F 2, U+00A0 1: the same no-break space for less
            source="https://docs.x.com/fundamentals/counting-characters; twitter-text 3.1.0 (config v3)",
            checked="2026-11-21"),
    Network(name="mastodon", label="Mastodon", limit=500, count=mastodon_length, count_at_url_length=mastodon_length,
            counted_as="characters (URL = 23)", hashtags=4, link_in_text=True, image=(1200, 630), postable=True,
            source="mastodon app/validators/status_length_validator.rb; docs.joinmastodon.org/user/posting/",
            checked="2026-11-21"),
    Network(name="bluesky", label="Bluesky", limit=300, count=grapheme_length, counted_as="graphemes", hashtags=3,
            link_in_text=True, image=(1200, 630), max_bytes=3000, api_record=bluesky_post, postable=True,
            source="lexicons/app/bsky/feed/post.json (maxGraphemes 300, maxLength 3000)", checked="2026-11-21"),
    Network(name="threads", label="Threads", limit=500, count=threads_length,
            counted_as="characters (emoji = UTF-8 bytes)", hashtags=1, link_in_text=True, image=(1200, 630),
            max_links=5, source="developers.facebook.com/documentation/threads/posts", checked="2026-11-21"),
    Network(name="linkedin", label="LinkedIn", limit=3000, count=utf16_length, counted_as="characters", hashtags=3,
            link_in_text=True, image=(1200, 630), mention_prefix="",
            source="learn.microsoft.com LinkedIn Posts API (commentary 3,000)", checked="2026-11-21"),
    Network(name="facebook", label="Facebook", limit=63206, count=utf16_length, counted_as="characters", hashtags=2,
            link_in_text=True, image=(1200, 630), mention_prefix="",
            source="commonly cited Page post limit (no primary source)", checked="2026-11-21"),
    Network(name="instagram", label="Instagram", limit=2200, count=utf16_length, counted_as="characters",
            hashtags=5, link_in_text=False, image=(1080, 1350), utm_content="bio", hashtag_cap_enforced=True,
            source="Instagram caption 2,200; 5 hashtags since Dec 2025 (Mosseri)", checked="2026-11-21"),
    Network(name="pinterest", label="Pinterest", limit=500, count=utf16_length, counted_as="characters",
            hashtags=0, link_in_text=False, image=(1000, 1500), title_limit=100,
            source="Pinterest pin: title 100, description 500, separate link", checked="2026-11-21"),
)})
"""Every network, in the order site.yml, exports and pages list them."""

NETWORK_NAMES = tuple(NETWORKS)
"""The networks cmhub writes teasers for."""
NETWORK_LABELS: Mapping[str, str] = MappingProxyType({name: n.label for name, n in NETWORKS.items()})
"""How each network writes its own name."""
POSTABLE = tuple(name for name, n in NETWORKS.items() if n.postable)
"""The networks cmhub publish posts to."""


def measure(network: str, text: str, limit: int | None = None, url_length: int = 23) -> tuple[int, int]:
    """Return (length, limit) of a text on a network, as that network counts it."""
    rule = NETWORKS[network]
    length = rule.count_at_url_length(text, url_length) if rule.count_at_url_length else rule.count(text)
    return length, limit or rule.limit


def problems_in(network: str, text: str) -> list[str]:
    """Return what the network refuses in a text besides its length (characters, bytes, links)."""
    rule = NETWORKS[network]
    refused = rule.refuses(text) if rule.refuses else None
    found = [refused] if refused else []
    if rule.max_bytes is not None and utf8_bytes(text) > rule.max_bytes:
        found.append(f"is {utf8_bytes(text)} bytes; {network} allows {rule.max_bytes}")
    if rule.max_links is not None and count_links(text) > rule.max_links:
        found.append(f"has {count_links(text)} links; {network} allows {rule.max_links}")
    return found


def fits(network: str, text: str, limit: int | None = None, url_length: int = 23) -> bool:
    """Tell whether a text is within every limit of the network."""
    length, most = measure(network, text, limit, url_length)
    return length <= most and not problems_in(network, text)


