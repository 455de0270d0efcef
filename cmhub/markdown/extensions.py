"""The Markdown extensions cmhub renders with, and the smallest set of them that each body needs.

Every extension costs time on every body, even one without its syntax; most bodies use few of them.
``needed_extensions`` leaves out an extension only when the body cannot hold what it acts on, so the
HTML is the same as with the full ``EXTENSIONS`` list (tests/markdown/test_markup_equivalence.py proves it
against a converter built the original way). Four more savings keep the same HTML:

* ``HeadingIdsExtension`` gives headings the ids ``toc`` gives them, without building the table of
  contents that cmhub never shows;
* ``CoreShortcutsExtension`` (cmhub.markdown.speedups.shortcuts) makes Markdown's own processors skip work that cannot
  change anything;
* ``_HtmlFormatters`` gives codehilite one Pygments formatter per set of options, not one per code block;
* ``finish`` gives each converter cmhub.markdown.speedups.htmlwriter as its serializer and a set of block-level tags.
"""

from __future__ import annotations

import functools
import html
import importlib
import re
from collections.abc import Iterable
from typing import Any
from xml.etree.ElementTree import Element

import markdown
import pygments
from markdown.extensions import Extension
from markdown.extensions.toc import remove_fnrefs, render_inner_html, strip_tags, unique
from markdown.treeprocessors import Treeprocessor
from pygments.formatter import Formatter
from pygments.formatters import get_formatter_by_name

from cmhub.core.urls import slugify
from cmhub.markdown.speedups.shortcuts import CoreShortcutsExtension

TESTED_MARKDOWN = ((3, 11), (3, 12))
"""The Python-Markdown releases whose internals the shortcuts below were checked against (from, before)."""
SHORTCUTS = TESTED_MARKDOWN[0] <= tuple(markdown.__version_info__[:2]) < TESTED_MARKDOWN[1]
"""With another Markdown, every body gets the full extension list and Markdown's own processors:
slower, never different."""
TESTED_PYGMENTS = ((2, 21), (2, 22))
"""The Pygments releases whose HTML formatter was checked to keep nothing from one code block to the next."""
SHARED_FORMATTERS = TESTED_PYGMENTS[0] <= tuple(int(part) for part in pygments.__version__.split(".")[:2]) \
    < TESTED_PYGMENTS[1]

EXTENSIONS = ("tables", "footnotes", "admonition", "attr_list", "def_list", "abbr", "md_in_html", "fenced_code",
              "sane_lists", "toc", "codehilite")
"""The extensions we support, in the order they are registered (ties in priority follow it)."""
HEADING_IDS = "heading_ids"
"""Stands for HeadingIdsExtension in toc's place, in what needed_extensions returns."""


@functools.lru_cache(maxsize=4096)
def heading_id(value: str, separator: str) -> str:
    """Return the id of a heading whose plain text is ``value`` (with toc's ``slugify`` signature)."""
    return slugify(value) or "section"


EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    "toc": {"slugify": heading_id, "toc_depth": "2-4"},
    "codehilite": {"css_class": "highlight", "guess_lang": False},
    "footnotes": {"BACKLINK_TITLE": "", "SUPERSCRIPT_TEXT": "{}"},
}

_TAG_WITH_BREAK_RE = re.compile(r"""<[^>\n]*[\n"']""")
"""A tag that may span lines: the only raw HTML that md_in_html's parser handles differently without markdown=."""
_COLON_RE = re.compile(r":[ \t]")
_BEFORE_DEFINITION_RE = re.compile(r"(?:.*>)?[ \t>*+\-.\d]*")
"""What may precede a definition's ':' on its line: quote marks, list markers, indent, or a raw HTML block."""


def needed_extensions(body: str) -> tuple[str, ...]:
    """Return the extensions that may change the HTML of ``body``, in EXTENSIONS order.

    Each test is a necessary condition for its extension to act, checked on the text as Markdown
    reads it (STX and ETX dropped, line ends normalised). When in doubt an extension is kept.
    """
    if not SHORTCUTS:
        return EXTENSIONS
    text = body
    if "\x02" in text or "\x03" in text:  # Markdown drops them first, which may bring two characters together
        text = text.replace("\x02", "").replace("\x03", "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _has_markdown_attribute(text):
        # Markdown inside raw HTML starts blocks where the tests below do not look
        wanted = set(EXTENSIONS)
    else:
        # ("`" in text and ...): one character is found at memchr speed, two or more take
        # microseconds on a long non-ASCII text, so a rare character goes first
        fenced = ("`" in text and "```" in text) or ("~" in text and "~~~" in text)
        footnotes = "^" in text and "[^" in text
        tests = {
            "tables": "|" in text,
            "footnotes": footnotes,
            "admonition": "!" in text and "!!!" in text,
            "attr_list": "{" in text,
            # a footnote's first line is parsed as a block of its own, whatever stands before its ':'
            "def_list": footnotes or _may_start_definition(text),
            "abbr": "*[" in text,
            "md_in_html": "<" in text and _TAG_WITH_BREAK_RE.search(text) is not None,
            "fenced_code": fenced,
            "sane_lists": True,
            "toc": True,
            # an indented code block needs 4 columns of indent; fenced code is highlighted with codehilite's settings
            "codehilite": fenced or "\t" in text or "    " in text,
        }
        wanted = {name for name, needed in tests.items() if needed}
    ids_only = "[TOC]" not in text  # the real toc only where its marker may stand
    return tuple(HEADING_IDS if name == "toc" and ids_only else name for name in EXTENSIONS if name in wanted)


def _has_markdown_attribute(text: str) -> bool:
    """Tell whether some start tag may carry md_in_html's ``markdown`` attribute, in any case."""
    # HTMLParser lowercases attribute names; str.lower on a whole non-ASCII body is slow, so only
    # what a tag may span is lowercased
    start = text.find("<")
    while start != -1:
        end = text.find(">", start)
        tag = text[start:] if end == -1 else text[start:end]
        if "\n" in tag or '"' in tag or "'" in tag:
            # the tag may go on past this '>': in a quoted value, or in a fenced block Markdown takes out first
            return "markdown" in text[start:].lower()
        if "markdown" in tag.lower():
            return True
        start = text.find("<", start + 1)
    return False


def _may_start_definition(text: str) -> bool:
    """Tell whether a ':' and a space may start a line of some block: def_list's necessary condition."""
    for colon in _COLON_RE.finditer(text):
        start = colon.start()
        if _BEFORE_DEFINITION_RE.fullmatch(text, text.rfind("\n", 0, start) + 1, start):
            return True
    return False


def extensions_for(names: Iterable[str]) -> list[Extension]:
    """Return the extensions of a Markdown with the named extensions, configured as EXTENSION_CONFIGS says."""
    configs = {name: dict(config) for name, config in EXTENSION_CONFIGS.items()}
    if SHORTCUTS and SHARED_FORMATTERS:  # fenced_code highlights with codehilite's settings too
        configs["codehilite"]["pygments_formatter"] = _HtmlFormatters()
    # made here rather than named: Markdown looks a name up among the entry points of every installed
    # package first (~20 ms in each process); Markdown's own extension modules make the same objects
    extensions = [HeadingIdsExtension() if name == HEADING_IDS else _module(name).makeExtension(**configs.get(name, {}))
                  for name in names]
    return [*extensions, CoreShortcutsExtension()] if SHORTCUTS else extensions


def finish(md: markdown.Markdown) -> markdown.Markdown:
    """Return a Markdown made with extensions_for's extensions, given the faster parts Markdown has no
    extension point for: cmhub.markdown.speedups.htmlwriter for its serializer, and block-level tags looked up in a set
    (Markdown searches its list of them for every element it meets). Same HTML."""
    if not SHORTCUTS:
        return md
    from cmhub.markdown.speedups.htmlwriter import html_string

    md.serializer = html_string
    blocks = frozenset(md.block_level_elements)  # no extension changes the list once registered

    def is_block_level(tag: Any) -> bool:
        return isinstance(tag, str) and tag.lower().rstrip("/") in blocks

    md.is_block_level = is_block_level  # type: ignore[method-assign]
    return md


def _module(name: str) -> Any:
    """Return the module of one of Python-Markdown's own extensions."""
    return importlib.import_module(f"markdown.extensions.{name}")


class _HtmlFormatters:
    """Pygments' HTML formatter for codehilite, one per set of options, reused from code block to code block.

    codehilite builds a formatter for each block, with its style tables: a tenth of a millisecond. Given
    a callable as ``pygments_formatter``, it calls it with the options it would build the "html" one with
    (and ``lang_str``, which that one is not given); a formatter keeps nothing from a block to the next.
    """

    _PLAIN = (str, int, bool, type(None))

    def __init__(self) -> None:
        self._made: dict[tuple[tuple[str, type, Any], ...], Formatter] = {}

    def __call__(self, lang_str: str = "", **options: Any) -> Formatter:
        """Return the formatter codehilite would get from ``get_formatter_by_name("html", **options)``."""
        key = self._key(options)
        if key is None:
            return get_formatter_by_name("html", **options)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = get_formatter_by_name("html", **options)
        return made

    def _key(self, options: dict[str, Any]) -> tuple[tuple[str, type, Any], ...] | None:
        """Return what tells these options apart, or None when one is not a plain value (a style class, say)."""
        key = []
        for name, value in sorted(options.items()):
            if type(value) is list and all(type(item) in self._PLAIN for item in value):
                value = tuple(value)  # hl_lines
            elif type(value) not in self._PLAIN:
                return None
            key.append((name, type(options[name]), value))
        return tuple(key)


class _HeadingIds(Treeprocessor):
    """Gives every heading without an id the one ``toc`` would give it: TocTreeprocessor.run, less the TOC."""

    HEADING_TAG = re.compile("[Hh][123456]")  # toc's own test, a prefix match
    NOT_PLAIN = re.compile("[&<>\x02\x03]")
    """What toc's serializing and postprocessing of a heading's text may change: entities, tags, placeholders."""

    def run(self, root: Element) -> None:
        used = {element.attrib["id"] for element in root.iter() if "id" in element.attrib}
        counters: dict[str, int] = {}
        for element in root.iter():
            if isinstance(element.tag, str) and self.HEADING_TAG.match(element.tag):
                if "id" not in element.attrib:  # an id set with attr_list wins, as in toc
                    name = self._plain_name(element)
                    if name is None:
                        name = strip_tags(render_inner_html(remove_fnrefs(element), self.md))
                    element.attrib["id"] = unique(heading_id(html.unescape(name), "-"), used, counters)
                element.attrib.pop("data-toc-label", None)  # toc reads it for the TOC entry, then drops it

    def _plain_name(self, heading: Element) -> str | None:
        """Return what toc's render_inner_html and strip_tags make of a heading of plain text, else None.

        A heading without children or attributes, whose text holds nothing that serializing escapes
        or postprocessors expand, comes back from toc's round trip as its words, one space apart.
        """
        text = heading.text or ""
        if len(heading) or heading.attrib or self.NOT_PLAIN.search(text):
            return None
        return " ".join(text.split())


class HeadingIdsExtension(Extension):
    """Heading ids exactly as ``toc`` (configured as in EXTENSION_CONFIGS) sets them; use instead of toc."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        """Register the treeprocessor where toc registers its own."""
        md.treeprocessors.register(_HeadingIds(md), HEADING_IDS, 5)
