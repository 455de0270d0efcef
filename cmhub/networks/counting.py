"""Lengths as most web composers and APIs count them: UTF-16 units, UTF-8 bytes, links, Threads' emoji."""

from __future__ import annotations

import functools

from cmhub.networks.graphemes import graphemes
from cmhub.networks.links import link_spans, x_dialect


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


def count_links(text: str) -> int:
    """Return how many links a text holds, as twitter-text finds them (with or without a protocol)."""
    return len(link_spans(text, x_dialect()))
