"""Markdown's tree written out as HTML: the bytes of Markdown's own HTML serializer, in half the time.

Markdown's serializer walks the tree with a queue of elements and strings, and tests each item's
type; this one walks it by recursion and writes each element in one go. Both use Markdown's own
escaping functions. Used only with the Markdown releases of cmhub.markdown.extensions.TESTED_MARKDOWN;
tests/markdown/test_markup_equivalence.py proves the HTML the same.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.etree.ElementTree import HTML_EMPTY, Comment, Element, ProcessingInstruction, QName

from markdown.serializers import (  # type: ignore[attr-defined]
    BOOLEAN_ATTRIBUTES,
    _escape_attrib_html,
    _escape_cdata,
    to_html_string,
)

_BOOLEAN = BOOLEAN_ATTRIBUTES["html"]
_RAW_TEXT = frozenset(("script", "style"))


def html_string(root: Element) -> str:
    """Return the HTML of an element and its children, as markdown.serializers.to_html_string does."""
    parts: list[str] = []
    try:
        _write(root, parts.append)
    except (_Unusual, RecursionError):  # a qualified name, or a tree deeper than recursion allows
        return to_html_string(root)
    return "".join(parts)


class _Unusual(Exception):
    """A tree this writer leaves to Markdown's serializer."""


def _write(element: Element, write: Callable[[str], None]) -> None:
    tag = element.tag
    text = element.text
    if tag is Comment:
        write(f"<!--{_escape_cdata(text)}-->")
    elif tag is ProcessingInstruction:
        write(f"<?{_escape_cdata(text)}?>")
    elif tag is None:
        if text:
            write(_escape_cdata(text))
        for child in element:
            _write(child, write)
    else:
        if isinstance(tag, QName):
            raise _Unusual
        attributes = element.attrib
        if attributes:
            write(f"<{tag}{_attributes(attributes)}>")
        else:
            write(f"<{tag}>")
        lower = tag.lower()
        if text:
            write(text if lower in _RAW_TEXT else _escape_cdata(text))
        for child in element:
            _write(child, write)
        if lower not in HTML_EMPTY:
            write(f"</{tag}>")
    if element.tail:
        write(_escape_cdata(element.tail))


def _attributes(attributes: dict[str, str | None]) -> str:
    parts = []
    for key, value in sorted(attributes.items()):
        if isinstance(key, QName) or isinstance(value, QName):
            raise _Unusual
        if value is None:  # a valueless attribute is kept as it was given: its bare name
            parts.append(f" {key}")
            continue
        value = _escape_attrib_html(value)
        parts.append(f" {value}" if key == value and key in _BOOLEAN else f' {key}="{value}"')
    return "".join(parts)
