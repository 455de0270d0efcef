"""Replies as safe HTML: text, links (rel="nofollow ugc") and line breaks, never anything else.

A Mastodon reply's ``content`` is HTML written by a stranger's server; a Bluesky reply is text with
facets (ranges of UTF-8 bytes). Both become the same small dialect: ``<p>`` paragraphs, ``<br>`` and
``<a href="http(s)://…" rel="nofollow ugc">``. Every other tag goes, its text stays (the text of
``script``, ``style`` and the like goes too). The output read again gives itself back, so the build
can clean a committed file again, whatever hand edited it.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

_DROPPED = frozenset({"script", "style", "template", "iframe", "object", "embed", "noscript", "svg", "math",
                      "head", "title", "textarea", "select"})
_BLOCKS = frozenset({"p", "div", "blockquote", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre"})


def safe_href(url: str) -> str:
    """Return ``url`` when it is an absolute http(s) link without spaces or controls, else ''."""
    url = url.strip()
    if any(ord(c) < 33 or c in "\"'<>`" for c in url):
        return ""
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else ""


class _Cleaner(HTMLParser):
    """Collects the paragraphs of an HTML fragment in the safe dialect."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list[str]] = [[]]
        self.dropping = 0
        self.link_open = False

    def parse_html_declaration(self, i: int) -> int:
        """Read '<!…' as Python's parser does, except a '<![' without a name ('<![0'), on which it raises
        AssertionError: a bogus comment, as browsers read it (dropped), or text when no '>' ends it."""
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            end = self.rawdata.find(">", i + 2)
            return -1 if end < 0 else end + 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self.dropping += 1
        elif self.dropping:
            return
        elif tag == "br":
            self.paragraphs[-1].append("<br>")
        elif tag in _BLOCKS:
            self._close_link()
            self._new_paragraph()
        elif tag == "a" and not self.link_open:
            href = safe_href(dict(attrs).get("href") or "")
            if href:
                self.paragraphs[-1].append(f'<a href="{html.escape(href)}" rel="nofollow ugc">')
                self.link_open = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and not self.dropping:
            self.paragraphs[-1].append("<br>")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self.dropping = max(0, self.dropping - 1)
        elif self.dropping:
            return
        elif tag == "a":
            self._close_link()
        elif tag in _BLOCKS:
            self._close_link()
            self._new_paragraph()

    def handle_data(self, data: str) -> None:
        if not self.dropping and data:
            self.paragraphs[-1].append(html.escape(data, quote=False))

    def _close_link(self) -> None:
        if self.link_open:
            self.paragraphs[-1].append("</a>")
            self.link_open = False

    def _new_paragraph(self) -> None:
        if self.paragraphs[-1]:
            self.paragraphs.append([])

    def result(self) -> str:
        self.close()
        self._close_link()
        kept = []
        for parts in self.paragraphs:
            while parts and parts[-1] == "<br>":
                parts.pop()
            while parts and parts[0] == "<br>":
                parts.pop(0)
            body = "".join(parts)
            if body.strip():
                kept.append(f"<p>{body.strip()}</p>")
        return "".join(kept)


def clean_html(fragment: str) -> str:
    """Return an HTML fragment (a Mastodon status's content) in the safe dialect."""
    cleaner = _Cleaner()
    cleaner.feed(fragment)
    return cleaner.result()


def text_html(text: str, facets: Sequence[Mapping[str, Any]] = ()) -> str:
    """Return plain text (a Bluesky post's) in the safe dialect: its link facets as links, its line breaks
    as ``<br>``, blank lines as paragraphs. Facets outside the text or overlapping are ignored."""
    data = text.encode("utf-8")
    links = []
    for facet in facets:
        index = facet.get("index") if isinstance(facet, Mapping) else None
        features = facet.get("features") if isinstance(facet, Mapping) else None
        if not isinstance(index, Mapping) or not isinstance(features, list):
            continue
        start, end = index.get("byteStart"), index.get("byteEnd")
        uri = next((f.get("uri") for f in features if isinstance(f, Mapping)
                    and f.get("$type") == "app.bsky.richtext.facet#link"), None)
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(data) and isinstance(uri, str):
            links.append((start, end, safe_href(uri)))
    pieces, position = [], 0
    for start, end, uri in sorted(links):
        if start < position:
            continue
        try:
            before, label = data[position:start].decode("utf-8"), data[start:end].decode("utf-8")
        except UnicodeDecodeError:  # a range that cuts a character: not a link we can show
            continue
        pieces.append(_escaped_lines(before))
        pieces.append(f'<a href="{html.escape(uri)}" rel="nofollow ugc">{_escaped_lines(label)}</a>' if uri
                      else _escaped_lines(label))
        position = end
    pieces.append(_escaped_lines(data[position:].decode("utf-8", errors="replace")))
    return clean_html("".join(pieces).replace("<br><br>", "</p><p>"))


def _escaped_lines(text: str) -> str:
    return "<br>".join(html.escape(line, quote=False) for line in text.split("\n"))
