"""Pieces of HTML that become Markdown of their own: code, tables, embedded players."""

from __future__ import annotations

import re

from lxml import etree

_TABLE_TAGS = {"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "br", "strong", "b", "em", "i",
               "code", "a", "sup", "sub"}
_YOUTUBE_EMBED = re.compile(r"^(?:https?:)?//(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]+)")
_LANGUAGE = re.compile(r"(?:^|\s)(?:language|lang)-([\w+#-]+)")


def code_span(text: str) -> str:
    """Return a code span, its fence longer than any run of backticks in it; edge spaces go outside
    (Markdown trims them off a code span)."""
    core = text.strip(" ")
    if not core:
        return text
    lead, trail = text[:len(text) - len(text.lstrip(" "))], text[len(text.rstrip(" ")):]
    fence = "`" * (max((len(run) for run in re.findall(r"`+", core)), default=0) + 1)
    pad = " " if core.startswith("`") or core.endswith("`") else ""
    return f"{lead}{fence}{pad}{core}{pad}{fence}{trail}"


def code_block(element: etree._Element, nested: bool) -> str:
    """Return a code block: fenced at the top level (with its language), indented inside lists and quotes."""
    text = element.text_content().strip("\n")
    if nested:
        return "\n".join("    " + line for line in text.split("\n"))
    code = element.find("code")
    classes = f"{element.get('class', '')} {code.get('class', '') if code is not None else ''}"
    found = _LANGUAGE.search(classes)
    longest = max((len(run) for run in re.findall(r"^`+", text, re.MULTILINE)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{found.group(1) if found else ''}\n{text}\n{fence}"


def table_html(element: etree._Element) -> str:
    """Return a table as HTML with only table tags, links and emphasis, and no attributes but spans."""
    def clean(node: etree._Element) -> str:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        inner = escape_html(node.text or "")
        for child in node:
            inner += clean(child) + escape_html(child.tail or "")
        if tag not in _TABLE_TAGS:
            return inner
        attributes = ""
        for name in ("colspan", "rowspan"):
            if node.get(name, "").isdigit():
                attributes += f' {name}="{node.get(name)}"'
        href = node.get("href", "")
        if tag == "a" and href.startswith(("http://", "https://", "/")):
            attributes = f' href="{escape_html(href, quote=True)}"'
        return f"<{tag}{attributes}>" if tag == "br" else f"<{tag}{attributes}>{inner}</{tag}>"
    return clean(element)


def escape_html(text: str, quote: bool = False) -> str:
    """Return text for HTML: '&', '<', '>' (and '"' with ``quote``) as entities."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def watch_url(url: str) -> str:
    """Return the page of an embedded video rather than its player (YouTube), else the URL itself."""
    found = _YOUTUBE_EMBED.match(url)
    if found:
        return f"https://www.youtube.com/watch?v={found.group(1)}"
    return "https:" + url if url.startswith("//") else url
