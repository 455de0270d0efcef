"""A Bluesky teaser as its API takes it: the visible text with a short link, and its facets.

Bluesky's API links nothing by itself: a post carries facets, each a range of UTF-8 bytes of the
text with a feature (a link's URI, a hashtag's tag, a mention's DID). The official app shows a
link as its host and a short path (social-app src/lib/strings/url-helpers.ts, toShortUrl); the
facet keeps the full tracked URL. Mentions need a DID that only a resolution at posting time gives:
their handles and byte ranges are listed for the poster, never made into facets here.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import regex

_HASHTAG = regex.compile(r"(?<![\w#])#[\p{L}\p{N}_]+")


def short_link_text(url: str) -> str:
    """Return the short visible text of a link: host, then the path cut to 13 characters and '...'."""
    parts = urlsplit(url)
    path = parts.path if parts.path != "/" else ""
    if len(path) > 15:
        path = path[:13] + "..."
    return parts.netloc + path


def _byte_range(text: str, start: int, end: int) -> dict[str, int]:
    first = len(text[:start].encode("utf-8"))
    return {"byteStart": first, "byteEnd": first + len(text[start:end].encode("utf-8"))}


def bluesky_post(text: str, link: str, handles: tuple[str, ...]) -> dict[str, object]:
    """Return the API form of a Bluesky teaser whose ``text`` holds the full ``link``: the text with
    the short link, the link and hashtag facets, and the mentions to resolve (handle and bytes)."""
    shown = short_link_text(link)
    pieces = text.split(link) if link else [text]
    api_text = shown.join(pieces)
    facets: list[dict[str, object]] = []
    position = 0
    for piece in pieces[:-1]:
        position += len(piece)
        facets.append({"index": _byte_range(api_text, position, position + len(shown)),
                       "features": [{"$type": "app.bsky.richtext.facet#link", "uri": link}]})
        position += len(shown)
    for match in _HASHTAG.finditer(api_text):
        facets.append({"index": _byte_range(api_text, match.start(), match.end()),
                       "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": match.group()[1:]}]})
    mentions = []
    for handle in handles:
        written = "@" + handle.lstrip("@")
        found = api_text.find(written)
        while found >= 0:
            mentions.append({"handle": written[1:], **_byte_range(api_text, found, found + len(written))})
            found = api_text.find(written, found + len(written))
    facets.sort(key=lambda facet: facet["index"]["byteStart"])  # type: ignore[index]
    mentions.sort(key=lambda mention: mention["byteStart"])  # type: ignore[arg-type,return-value]
    return {"text": api_text, "link_text": shown, "facets": facets, "mentions": mentions}
