"""The Markdown extensions cmhub renders with, and the smallest set of them that each body needs.

Every extension costs time on every body, even one without its syntax; most bodies use few of them.
``needed_extensions`` leaves out an extension only when the body cannot hold what it acts on, so the
HTML is the same as with the full ``EXTENSIONS`` list (tests/test_markup_equivalence.py proves it
against a converter built the original way). Two more savings keep the same HTML:

* ``HeadingIdsExtension`` gives headings the ids ``toc`` gives them, without building the table of
  contents that cmhub never shows;
* ``CoreShortcutsExtension`` makes three of Markdown's own processors skip work that cannot change
  anything: inline patterns whose trigger characters a text lacks, and two regular expressions on
  texts without what they replace.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable
from typing import Any
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import remove_fnrefs, render_inner_html, strip_tags, unique
from markdown.preprocessors import NormalizeWhitespace
from markdown.treeprocessors import InlineProcessor, Treeprocessor, UnescapeTreeprocessor
from markdown.util import ETX, STX, AtomicString

from cmhub.urls import slugify

TESTED_MARKDOWN = ((3, 11), (3, 12))
"""The Python-Markdown releases whose internals the shortcuts below were checked against (from, before)."""
SHORTCUTS = TESTED_MARKDOWN[0] <= tuple(markdown.__version_info__[:2]) < TESTED_MARKDOWN[1]
"""With another Markdown, every body gets the full extension list and Markdown's own processors:
slower, never different."""

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


def extensions_for(names: Iterable[str]) -> tuple[list[str | Extension], dict[str, dict[str, Any]]]:
    """Return the ``extensions`` and ``extension_configs`` arguments of a Markdown with the named extensions."""
    names = tuple(names)
    extensions: list[str | Extension] = [HeadingIdsExtension() if name == HEADING_IDS else name for name in names]
    configs = {name: config for name, config in EXTENSION_CONFIGS.items() if name in names}
    return [*extensions, CoreShortcutsExtension()] if SHORTCUTS else extensions, configs


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


_PATTERN_NEEDS: dict[str, Callable[[str], bool]] = {
    "backtick": lambda text: "`" in text,
    "escape": lambda text: "\\" in text,
    "footnote": lambda text: "[^" in text,
    "reference": lambda text: "[" in text,
    "link": lambda text: "[" in text,
    "image_link": lambda text: "![" in text,
    "image_reference": lambda text: "![" in text,
    "short_reference": lambda text: "[" in text,
    "short_image_ref": lambda text: "![" in text,
    "autolink": lambda text: "<" in text and "://" in text,
    "automail": lambda text: "<" in text and "@" in text,
    "linebreak": lambda text: "  \n" in text,
    "html": lambda text: "<" in text,
    "entity": lambda text: "&" in text,
    "em_strong": lambda text: "*" in text or "_" in text,
}
"""Inline pattern -> a necessary condition on a text for the pattern's regular expression to match in it."""


class _TriggeredInlineProcessor(InlineProcessor):
    """Markdown's inline processor, trying on each text only the patterns whose trigger it holds.

    The strings the patterns see are pieces of the tree's texts, with placeholders (STX, letters,
    digits, ETX) standing for what earlier patterns took out; a pattern whose trigger is missing
    from a string cannot match it, so skipping it changes nothing but the time spent trying.
    """

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self._needs: list[Callable[[str], bool] | None] | None = None

    def run(self, tree: Element, ancestors: list[str] | None = None) -> Element:
        """Apply the inline patterns to the tree, as InlineProcessor does."""
        if self._needs is None:  # every extension has registered its patterns by the first conversion
            registry = self.md.inlinePatterns
            needs = {id(registry[name]): need for name, need in _PATTERN_NEEDS.items() if name in registry}
            # InlineProcessor only takes len() of its patterns and indexes them: a list does it faster than a Registry
            self.inlinePatterns = list(registry)  # type: ignore[assignment]
            self._needs = [needs.get(id(pattern)) for pattern in self.inlinePatterns]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        """Apply the patterns from ``patternIndex`` on to ``data``, skipping those it cannot trigger.

        Overrides InlineProcessor.__handleInline (by its mangled name), which tries them all; if a
        later Markdown stops calling it, rendering stays the same, only slower.
        """
        if isinstance(data, AtomicString):
            return data
        patterns, needs = self.inlinePatterns, self._needs
        assert needs is not None
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        start = 0
        while patternIndex < len(patterns):
            need = needs[patternIndex]
            if start == 0 and need is not None and not need(data):
                patternIndex += 1  # what trying it would do: no match, and the next pattern starts from 0
                continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


class _NormalizeWhitespace(NormalizeWhitespace):
    """Markdown's first preprocessor, without its blank-line regex where no line ends with a space."""

    BLANK_LINE_RE = re.compile(r"(?<=\n) +\n")

    def run(self, lines: list[str]) -> list[str]:
        """Drop STX and ETX, normalise line ends, expand tabs and empty the lines made of spaces."""
        source = "\n".join(lines)
        source = source.replace(STX, "").replace(ETX, "")
        source = source.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
        source = source.expandtabs(self.md.tab_length)
        if " \n" in source:  # the regex tries every position, and a line of spaces needs a space before '\n'
            source = self.BLANK_LINE_RE.sub("\n", source)
        return source.split("\n")


class _UnescapeTreeprocessor(UnescapeTreeprocessor):
    """Markdown's last treeprocessor, running its regex only on strings that hold an escaped character (STX)."""

    def run(self, root: Element) -> None:
        """Restore backslash-escaped characters in texts (but code), tails and attribute values."""
        for element in root.iter():
            if element.text and STX in element.text and element.tag != "code":
                element.text = self.unescape(element.text)
            if element.tail and STX in element.tail:
                element.tail = self.unescape(element.tail)
            for key, value in element.items():
                if value is not None and STX in value:  # None: a valueless attribute
                    element.set(key, self.unescape(value))


class CoreShortcutsExtension(Extension):
    """Markdown's core processors that do work on every text, made to skip what cannot change it."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        """Replace Markdown's own processors, under the same names and priorities."""
        md.preprocessors.register(_NormalizeWhitespace(md), "normalize_whitespace", 30)
        md.treeprocessors.register(_TriggeredInlineProcessor(md), "inline", 20)
        md.treeprocessors.register(_UnescapeTreeprocessor(md), "unescape", 0)
