"""HTML (a WordPress post, a feed entry) as Markdown for cmhub's renderer, Python-Markdown.

Written here rather than taken from a package (markdownify, html2text): those write CommonMark,
whose nested lists are indented by the width of their marker, where Python-Markdown needs four
spaces, and they escape for CommonMark's rules, not for the extensions cmhub enables. This
converter uses the same escaping as captions (cmhub.imports.textmd, property-tested against
cmhub's renderer), reads the HTML with lxml's parser (already a dependency; no network, no
entities from outside) and keeps what cannot be said in Markdown (tables, sup, sub, del) as
plain HTML without attributes. Scripts, styles, forms and comments are dropped; ``<!--more-->``
becomes cmhub's ``<!-- more -->``; an embed (iframe, Gutenberg embed block, a link alone on its
line) becomes a link; pictures and videos go through ``resolve`` (which copies them beside the
article) and figures keep their caption.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import lxml.html
from lxml import etree

from cmhub.imports.htmlparts import code_block, code_span, escape_html, table_html, watch_url
from cmhub.imports.textmd import destination, escape_inline, escape_line_start, file_link_markdown, picture_markdown

Resolve = Callable[[str, str], str]
"""resolve(url, kind) -> the link to use ('' to leave the media out); kind is 'image', 'video' or 'file'."""

_SPACES = re.compile(r"[ \t\n\r\f]+")
_DROP = {"script", "style", "noscript", "template", "form", "input", "button", "select", "textarea", "svg",
         "canvas", "head", "title", "meta", "link", "map", "object-param"}
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "table",
           "figure", "hr", "dl", "dt", "dd", "section", "article", "header", "footer", "main", "aside", "nav",
           "address", "center", "iframe", "embed", "object", "video", "audio", "details", "summary",
           "figcaption", "body", "html", "fieldset"}
_KEPT_INLINE = {"sup", "sub", "del", "s", "strike", "ins", "u", "mark", "small", "q"}
_EDGES = re.compile(r"^((?:[ \n]|<br>\n)*)(.*?)((?:[ \n]|<br>\n)*)$", re.DOTALL)
_URL_ALONE = re.compile(r"^https?://[A-Za-z0-9\-._~:/?#@!$&'()+,;=%]+$")
"""A web address alone in a paragraph (an embed): characters that need no escaping in an autolink."""


def html_to_markdown(fragment: str, resolve: Resolve) -> str:
    """Return the Markdown of an HTML fragment (see the module docstring)."""
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    return "\n\n".join(_Converter(resolve).blocks(root)).strip("\n")


class _Converter:
    def __init__(self, resolve: Resolve):
        self.resolve = resolve

    # blocks -----------------------------------------------------------------------------------

    def blocks(self, element: etree._Element, nested: bool = False) -> list[str]:
        """Return the Markdown blocks of an element's content; inline runs become paragraphs."""
        out: list[str] = []
        run: list[str] = []

        def flush() -> None:
            paragraph = _paragraph("".join(run))
            if paragraph:
                out.append(paragraph)
            run.clear()

        run.append(escape_inline(_SPACES.sub(" ", element.text or "")))
        for child in element:
            if isinstance(child, etree._Comment):
                if (child.text or "").strip().lower() == "more":
                    flush()
                    out.append("<!-- more -->")
            elif isinstance(child.tag, str) and child.tag.lower() in _BLOCKS:
                flush()
                out.extend(self.block(child, nested))
            elif isinstance(child.tag, str) and child.tag.lower() not in _DROP:
                run.append(self.inline(child, after=next((piece[-1] for piece in reversed(run) if piece), "")))
            run.append(escape_inline(_SPACES.sub(" ", child.tail or "")))
        flush()
        return out

    def block(self, element: etree._Element, nested: bool) -> list[str]:
        """Return the Markdown blocks of one block-level element."""
        tag = element.tag.lower()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = _paragraph(self.inline(element)).replace("<br>\n", " ").replace("\n", " ")
            backslashes = len(text[:-1]) - len(text[:-1].rstrip("\\"))
            if text.endswith("#") and backslashes % 2 == 0:  # a '#' not escaped already
                text = text[:-1] + "\\#"  # Markdown drops the closing hashes of a heading
            return [f"{'#' * int(tag[1])} {text}"] if text else []
        if tag in ("ul", "ol"):
            return self.list(element, ordered=tag == "ol")
        if tag == "blockquote":
            inner = "\n\n".join(self.blocks(element, nested=True))
            return ["\n".join("> " + line if line else ">" for line in inner.split("\n"))] if inner else []
        if tag == "pre":
            return [code_block(element, nested)]
        if tag == "hr":
            return ["---"]
        if tag == "table":
            return [table_html(element)]
        if tag == "figure":
            return self.figure(element, nested)
        if tag in ("iframe", "embed", "object"):
            url = element.get("src") or element.get("data") or ""
            return [f"<{watch_url(url)}>"] if url.startswith(("http://", "https://", "//")) else []
        if tag in ("video", "audio"):
            return [self.media(element, "video" if tag == "video" else "file")]
        if tag == "dt":
            text = _paragraph(self.inline(element))
            return [f"**{text}**"] if text else []
        return self.blocks(element, nested)

    def list(self, element: etree._Element, ordered: bool) -> list[str]:
        """Return a list, nested content indented by four spaces as Python-Markdown wants."""
        items = []
        loose = False
        number = int(element.get("start", "1")) if (element.get("start") or "1").isdigit() else 1
        for item in element:
            if not isinstance(item.tag, str) or item.tag.lower() in _DROP:
                continue
            blocks = self.blocks(item, nested=True)
            if not blocks:  # an empty item: Markdown would read a lone '-' as a heading's underline
                continue
            marker = f"{number}. " if ordered else "- "
            number += 1
            # a list inside an item follows its text directly; any other second block makes the list loose,
            # and Python-Markdown then wants a blank line between items
            text = blocks[0]
            for block in blocks[1:]:
                is_list = block.startswith("- ") or bool(re.match(r"\d+\. ", block))
                loose = loose or not is_list
                text += ("\n" if is_list else "\n\n") + block
            body = text.split("\n")
            items.append(marker + body[0] + "".join("\n" + ("    " + line if line else "") for line in body[1:]))
        return [("\n\n" if loose else "\n").join(items)] if items else []

    def figure(self, element: etree._Element, nested: bool) -> list[str]:
        """Return a figure: one picture with its caption, else its content, then its caption."""
        caption = next((c for c in element if isinstance(c.tag, str) and c.tag.lower() == "figcaption"), None)
        caption_text = _SPACES.sub(" ", caption.text_content()).strip() if caption is not None else ""
        images = element.findall(".//img")
        embeds = [e for e in element.iter("iframe", "embed")]
        if len(images) == 1 and not embeds and not element.findall(".//figure") and not element.findall(".//table"):
            src = images[0].get("src") or ""
            href = self.resolve(src, "image") if src and not src.startswith("data:") else ""
            return [picture_markdown(href, images[0].get("alt") or "", caption_text)] if href else []
        if caption is not None:
            element.remove(caption)
        wrapper = element.find(".//div[@class]")
        if not embeds and wrapper is not None and "wp-block-embed__wrapper" in wrapper.get("class", ""):
            url = _SPACES.sub(" ", wrapper.text_content()).strip()
            blocks = [f"<{watch_url(url)}>"] if _URL_ALONE.match(url) else []
        else:
            blocks = self.blocks(element, nested)
        return blocks + ([f"*{escape_inline(caption_text)}*"] if caption_text else [])

    def media(self, element: etree._Element, kind: str) -> str:
        """Return a link to a video or audio file (its first source)."""
        src = element.get("src") or next((s.get("src") for s in element.iter("source") if s.get("src")), "")
        href = self.resolve(src, kind) if src else ""
        return file_link_markdown(href, href.rsplit("/", 1)[-1]) if href else ""

    # inline -----------------------------------------------------------------------------------

    def inline(self, element: etree._Element, emphasis: frozenset[str] = frozenset(), after: str = "",
               in_link: bool = False) -> str:
        """Return the inline Markdown of an element (block children are read as inline text).

        ``after`` is the character written just before: after a '*', '_' or '`', emphasis and code are
        written as HTML tags, which no neighbouring marker can merge with.
        """
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in _DROP or not tag:
            return ""
        if tag == "br":
            return "<br>\n"
        if tag == "img":
            src = element.get("src") or ""
            href = self.resolve(src, "image") if src and not src.startswith("data:") else ""
            return picture_markdown(href, element.get("alt") or "") if href else ""
        tagged = after in ("*", "_", "`")
        if tag in ("code", "kbd", "tt", "samp") and not len(element):
            text = element.text_content()
            # Python-Markdown writes a code span's "&#1" as "&amp;#1;" (it adds the semicolon): such text
            # goes out as inline HTML, as after a '*', '_' or '`'
            return f"<code>{escape_inline(text)}</code>" if (tagged or "&#" in text) and text else code_span(text)
        if tag in ("iframe", "embed"):
            url = element.get("src") or ""
            return f"<{watch_url(url)}>" if url.startswith(("http://", "https://", "//")) else ""
        in_link = in_link or tag == "a"
        inner = _text(element.text, in_link)
        mark = {"strong": "**", "b": "**", "em": "*", "i": "*", "cite": "*"}.get(tag, "")
        deeper = emphasis | {mark} if mark else emphasis
        for child in element:
            before = inner[-1:] if inner else (mark[-1:] if mark and mark not in emphasis else after)
            inner += self.inline(child, deeper, before, in_link) + _text(child.tail, in_link)
        if tag == "a":
            return self.link(element, inner, after)
        if mark and mark not in emphasis:
            if tagged or inner.endswith(("*", "`")):
                name = "strong" if mark == "**" else "em"
                return _wrap(inner, f"<{name}>", f"</{name}>")
            return _wrap(inner, mark, mark)
        if tag in _KEPT_INLINE:
            return _wrap(inner, f"<{tag}>", f"</{tag}>")
        return inner

    def link(self, element: etree._Element, text: str, after: str = "") -> str:
        """Return a link; a link around one picture that leads to a file is just the picture.

        After a '!', the link is an HTML tag: '![...](...)' would be read as a picture.
        """
        href = (element.get("href") or "").strip()
        if not href or href.lower().startswith(("javascript:", "data:")) or href.startswith("#"):
            return text
        if text.startswith("![") and text.endswith(")") and re.search(r"\.(?:jpe?g|png|gif|webp|avif)$", href, re.I):
            return text
        if not text.replace("<br>", "").strip():
            return text  # a link without text shows nothing: left out
        if after == "!":
            return _wrap(text, f'<a href="{escape_html(href, quote=True)}">', "</a>")
        return _wrap(text, "[", f"]({destination(href)})")


def _text(text: str | None, in_link: bool) -> str:
    """Return a text node escaped; in a link's text, ']' is written '&#93;' ('[x]: y' at the start of a
    line reads as a link definition, escaped ']' or not)."""
    escaped = escape_inline(_SPACES.sub(" ", text or ""))
    if in_link and "]" in escaped:
        escaped = re.sub(r"\\(.)", lambda m: "&#93;" if m.group(1) == "]" else m.group(), escaped)
    return escaped


def _paragraph(markdown: str) -> str:
    """Return the lines of a paragraph trimmed, each escaped where a line starts; a URL alone becomes a link."""
    lines = [line.strip(" ") for line in markdown.split("\n")]
    lines = [escape_line_start(line) for line in lines]
    text = "\n".join(line for line in lines if line).strip()
    if not text.replace("<br>", "").strip(" \xa0"):
        return ""
    while text.endswith("<br>"):
        text = text[:-4].rstrip()
    plain = text.replace("\\_", "_")
    return f"<{plain}>" if _URL_ALONE.match(plain) else text


def _wrap(inner: str, opening: str, closing: str) -> str:
    """Return ``opening + inner + closing`` with the spaces and line breaks around ``inner`` moved outside
    (Markdown reads no emphasis that starts or ends with a space); ``inner`` alone when nothing is left."""
    lead, core, trail = _EDGES.match(inner).groups()  # type: ignore[union-attr]
    return f"{lead}{opening}{core}{closing}{trail}" if core else inner
