"""French typography: the no-break spaces that keep punctuation on its word's line.

French sets a space before ':' ';' '!' '?' and inside '« »'; a breaking one lets a line start with
': ce qu'il…'. Following the Imprimerie nationale's rules, a no-break space (U+00A0) goes before ':',
a narrow no-break space (U+202F) before ';' '!' '?' and inside guillemets. Spaces already there
become no-break ones, missing ones are added; text already spaced is left as it is (so a second pass
changes nothing). Links, code and HTML attributes are never touched; neither are times (10:30),
URLs' '?' and ':' or a colon inside a word.
"""

from __future__ import annotations

import functools
import re

NBSP = "\u00a0"
NNBSP = "\u202f"
_WORD_END = r"[^\s(\[{«“‘/:;!?]"
"""What a French punctuation mark may follow (a word, a closing quote or bracket, an emoji...)."""
_HIGH = re.compile(rf"({_WORD_END}) *([;!?])(?=[\s!?;:.,…»)\]\"’”]|$)")
_COLON = re.compile(rf"({_WORD_END}) *(:)(?=\s|$)")
_OPENING = re.compile(r"« *(?=[^\s])")
_CLOSING = re.compile(r"(?<=[^\s]) *»")
_URL = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+", re.IGNORECASE)
_TOKEN = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
_ENTITY = re.compile(r"(&#?\w+;)")
_VERBATIM = frozenset({"code", "pre", "script", "style", "kbd", "samp", "textarea", "var", "math", "svg"})
_BLOCK = frozenset({"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "td", "th",
                    "tr", "table", "blockquote", "dd", "dt", "dl", "figure", "figcaption", "section", "article",
                    "header", "footer", "nav", "aside", "details", "summary", "main"})
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9]*)")


def is_french(lang: str) -> bool:
    """Tell whether a language tag is French ('fr', 'fr-CA', 'fr_BE')."""
    return lang[:2].lower() == "fr" and (len(lang) == 2 or lang[2] in "-_")


def _spaced(text: str) -> str:
    # guillemets first: the space they bring may be what follows a colon ('mot:»')
    text = _OPENING.sub("«" + NNBSP, text)
    text = _CLOSING.sub(NNBSP + "»", text)
    text = _HIGH.sub(rf"\1{NNBSP}\2", text)
    return _COLON.sub(rf"\1{NBSP}\2", text)


@functools.lru_cache(maxsize=4096)
def french_spacing(text: str) -> str:
    """Return plain French text with its no-break spaces (links left as they are)."""
    if not any(mark in text for mark in ":;!?«»"):
        return text
    parts = _URL.split(text)
    links = _URL.findall(text)
    result = [_spaced(parts[0])]
    for link, part in zip(links, parts[1:], strict=True):
        result += [link, _spaced(part)]
    return "".join(result)


def french_spacing_html(html: str) -> str:
    """Return an HTML fragment with no-break spaces in its French text; tags, attributes, entities,
    code and preformatted text stay as they are."""
    if _MARK.search(html) is None:
        return html
    out: list[str] = []
    verbatim: list[str] = []
    before = ""  # the last character of text, carried across inline tags: 'Attention</b> : …'
    for index, piece in enumerate(_TOKEN.split(html)):
        if index % 2:  # a tag or a comment
            out.append(piece)
            kind = _TAG_KINDS.get(piece)
            if kind is None:
                kind = _tag_kind(piece)
                if len(_TAG_KINDS) < 4096:  # the tags of a hub repeat: <p>, </em>, <li>...
                    _TAG_KINDS[piece] = kind
            tag, closing, opens_verbatim, block = kind
            if opens_verbatim:
                if closing and tag in verbatim:
                    del verbatim[verbatim.index(tag):]
                elif not closing:
                    verbatim.append(tag)
            if block:
                before = ""
            continue
        if verbatim or not piece:
            out.append(piece)
            continue
        if "&" not in piece and before not in _MARKS and _MARK.search(piece) is None:
            out.append(piece)  # no mark in it, and none just before: as it is (most of a body's text)
            before = piece[-1]
            continue
        chunks = _ENTITY.split(piece)
        for position, chunk in enumerate(chunks):
            if position % 2 or not chunk:
                out.append(chunk)
                before = ";" if position % 2 else before
                continue
            spaced = french_spacing(before + chunk)[len(before):] if before else french_spacing(chunk)
            out.append(spaced)
            before = chunk[-1]
    return "".join(out)


_MARK = re.compile(r"[:;!?«»]")
_MARKS = frozenset(":;!?«»")
_TAG_KINDS: dict[str, tuple[str, bool, bool, bool]] = {}
"""What each tag met so far is, for the spacing: its name, whether it closes, opens or closes a verbatim
element, and ends a block (a tag that is none of these, a comment, is ('', False, False, False))."""


def _tag_kind(piece: str) -> tuple[str, bool, bool, bool]:
    name = _TAG_NAME.match(piece)
    if name is None:
        return "", False, False, False
    tag = name.group(1).lower()
    return tag, piece.startswith("</"), tag in _VERBATIM and not piece.endswith("/>"), tag in _BLOCK
