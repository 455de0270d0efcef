"""Markdown's own processors, made to skip work that cannot change the HTML they build.

Markdown tries every inline pattern on every text and offers every block to every block processor in
turn; most of those tries cannot succeed, and whether one can is known from a few characters:

* ``_TriggeredInlineProcessor`` tries on a text only the inline patterns whose trigger it holds;
* ``_BlockLoop`` offers a block only to the block processors that may take a block starting as it does;
* ``_NormalizeWhitespace`` and ``_UnescapeTreeprocessor`` run their regular expressions only on texts
  that hold what they replace.

Each leans on Markdown's internals as of the releases in cmhub.markdown.extensions.TESTED_MARKDOWN, and is only
used with them (see cmhub.markdown.extensions.extensions_for). tests/markdown/test_markup_equivalence.py proves the HTML
the same as Markdown's own processors make.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from xml.etree.ElementTree import Element

import markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import (
    BlockProcessor,
    BlockQuoteProcessor,
    CodeBlockProcessor,
    EmptyBlockProcessor,
    HashHeaderProcessor,
    HRProcessor,
    ListIndentProcessor,
    ReferenceProcessor,
    SetextHeaderProcessor,
)
from markdown.extensions import Extension
from markdown.extensions.md_in_html import MarkdownInHtmlProcessor
from markdown.extensions.sane_lists import SaneOListProcessor, SaneUListProcessor
from markdown.preprocessors import NormalizeWhitespace
from markdown.treeprocessors import InlineProcessor, UnescapeTreeprocessor
from markdown.util import ETX, STX, AtomicString

TRIGGERS = ("*", "_", "[", "`", "<", "&", "\\", "  \n")
"""What some inline pattern needs a text to hold, one of these at least (see PATTERN_NEEDS)."""


def triggers_in(text: str) -> tuple[bool, ...]:
    """Tell which of TRIGGERS a text holds, in their order."""
    # written out: a tuple of `in` tests takes half the time of map(text.__contains__, TRIGGERS)
    return ("*" in text, "_" in text, "[" in text, "`" in text, "<" in text, "&" in text, "\\" in text,
            "  \n" in text)


PATTERN_NEEDS: dict[str, tuple[tuple[str, ...], Callable[[str], bool]]] = {
    "backtick": (("`",), lambda text: "`" in text),
    "escape": (("\\",), lambda text: "\\" in text),
    "footnote": (("[",), lambda text: "[^" in text),
    "reference": (("[",), lambda text: "[" in text),
    "link": (("[",), lambda text: "[" in text),
    "image_link": (("[",), lambda text: "![" in text),
    "image_reference": (("[",), lambda text: "![" in text),
    "short_reference": (("[",), lambda text: "[" in text),
    "short_image_ref": (("[",), lambda text: "![" in text),
    "autolink": (("<",), lambda text: "<" in text and "://" in text),
    "automail": (("<",), lambda text: "<" in text and "@" in text),
    "linebreak": (("  \n",), lambda text: "  \n" in text),
    "html": (("<",), lambda text: "<" in text),
    "entity": (("&",), lambda text: "&" in text),
    "em_strong": (("*", "_"), lambda text: "*" in text or "_" in text),
}
"""Inline pattern -> the TRIGGERS one of which its need implies, and that need: a necessary condition
on a text for the pattern's regular expression to match in it."""


class _TriggeredInlineProcessor(InlineProcessor):
    """Markdown's inline processor, trying on each text only the patterns whose trigger it holds.

    The strings the patterns see are pieces of the tree's texts, with placeholders (STX, letters,
    digits, ETX) standing for what earlier patterns took out; a pattern whose trigger is missing
    from a string cannot match it, so skipping it changes nothing but the time spent trying. A
    placeholder never brings a trigger in, so the patterns worth trying are worked out once per
    string, from the TRIGGERS it holds, and their needs checked as their turn comes.
    """

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self._needs: list[Callable[[str], bool] | None] = []
        self._candidates: dict[tuple[bool, ...], tuple[int, ...]] = {}
        """Which triggers a text holds -> the index of each pattern that text may trigger, in order."""

    def run(self, tree: Element, ancestors: list[str] | None = None) -> Element:
        """Apply the inline patterns to the tree, as InlineProcessor does."""
        if not self._candidates:  # every extension has registered its patterns by the first conversion
            registry = self.md.inlinePatterns
            known = {id(registry[name]): entry for name, entry in PATTERN_NEEDS.items() if name in registry}
            # InlineProcessor only takes len() of its patterns and indexes them: a list does it faster than a Registry
            self.inlinePatterns = list(registry)  # type: ignore[assignment]
            triggers = [known.get(id(pattern), (None, None)) for pattern in self.inlinePatterns]
            self._needs = [need for _, need in triggers]
            for held in itertools.product((False, True), repeat=len(TRIGGERS)):
                present = {trigger for trigger, there in zip(TRIGGERS, held, strict=True) if there}
                self._candidates[held] = tuple(
                    index for index, (wanted, _) in enumerate(triggers)
                    if wanted is None or not present.isdisjoint(wanted))
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        """Apply the patterns from ``patternIndex`` on to ``data``, skipping those it cannot trigger.

        Overrides InlineProcessor.__handleInline (by its mangled name), which tries them all; if a
        later Markdown stops calling it, rendering stays the same, only slower.
        """
        if isinstance(data, AtomicString):
            return data
        patterns, needs = self.inlinePatterns, self._needs
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        for index in self._candidates[triggers_in(data)]:
            if index < patternIndex:
                continue
            need = needs[index]
            if need is not None and not need(data):
                continue  # what trying it would do: no match, and the next pattern starts from 0
            start = 0
            matched = True
            while matched:  # a pattern goes on from the end of its last match, as in Markdown
                data, matched, start = apply(patterns[index], data, index, start)
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


def _may_hold_rule(block: str) -> bool:
    """Tell whether some line of a block may be a horizontal rule: HRProcessor's necessary condition."""
    # a rule's line starts with at most 3 spaces, then '-', '_' or '*'; '' stands for 4 spaces: maybe
    return block[:4].lstrip(" ")[:1] in "-_*" or (
        "\n" in block and ("\n-" in block or "\n_" in block or "\n*" in block or "\n " in block))


def _may_start_setext(block: str) -> bool:
    """Tell whether a block's second line may underline its first: SetextHeaderProcessor's necessary condition."""
    newline = block.find("\n")
    return newline != -1 and block[newline + 1:newline + 2] in ("=", "-")


def _may_hold_quote(block: str) -> bool:
    """Tell whether some line of a block may start with '>': BlockQuoteProcessor's necessary condition."""
    return ">" in block and (block[:4].lstrip(" ")[:1] == ">" or "\n>" in block or "\n " in block)


BLOCK_NEEDS: dict[type[BlockProcessor], Callable[[str], bool]] = {
    HashHeaderProcessor: lambda block: block[:1] == "#" or "\n#" in block,
    SetextHeaderProcessor: _may_start_setext,
    HRProcessor: _may_hold_rule,
    BlockQuoteProcessor: _may_hold_quote,
    # its test always passes, and its run gives the block back when its regex does not match
    ReferenceProcessor: lambda block: "]:" in block,
}
"""Block processor class -> a necessary condition on a block for a processor of exactly that class to take it."""


_FIRST_MARKS = frozenset(["", "\n", " ", "#", "-", "_", "*", "+", ">", "[", STX])
"""The first characters some block processor looks for; any other stands as 'a', or '0' for a digit."""


def block_kind(block: str) -> tuple[str, bool]:
    """Return what the block processors' tests look at first: how a block starts, and whether it spans lines."""
    first = block[:1]
    if first not in _FIRST_MARKS:
        first = "0" if first.isdigit() else "a"  # str.isdigit holds for every digit \d matches, and a few more
    return first, "\n" in block

STARTS: dict[type[BlockProcessor], Callable[[str, bool], bool]] = {
    EmptyBlockProcessor: lambda first, lines: first in ("", "\n"),
    ListIndentProcessor: lambda first, lines: first == " ",  # given a tab length of 1 or more
    CodeBlockProcessor: lambda first, lines: first == " ",
    HashHeaderProcessor: lambda first, lines: first == "#" or lines,
    SetextHeaderProcessor: lambda first, lines: lines,
    HRProcessor: lambda first, lines: first in (" ", "-", "_", "*") or lines,
    SaneOListProcessor: lambda first, lines: first in (" ", "0"),
    SaneUListProcessor: lambda first, lines: first in (" ", "*", "+", "-"),
    BlockQuoteProcessor: lambda first, lines: first in (" ", ">") or lines,
    ReferenceProcessor: lambda first, lines: first in (" ", "[") or lines,
    MarkdownInHtmlProcessor: lambda first, lines: first == STX,  # an element md_in_html stashed
}  # Markdown's own list processors are not there: sane_lists, which cmhub always loads, replaces them
"""Block processor class -> whether a processor of exactly that class may take a block of a kind (see
block_kind). Test and run of the class decide it: those that may decline in run (reference, md_in_html)
give the block back as it was."""


class _BlockLoop:
    """BlockParser.parseBlocks, trying on each block only the processors that may take it.

    Markdown asks every processor in turn whether it takes the block, and most look at how the block
    starts: a paragraph of one line, the usual block, is asked about a dozen times before the paragraph
    processor takes it. Here the processors that may take a block are worked out once for each kind
    of start (see STARTS), and those left are asked as Markdown asks them.
    """

    def __init__(self, parser: BlockParser) -> None:
        self._parser = parser
        self._steps: dict[tuple[str, bool], list[tuple[int, BlockProcessor, Callable[[str], bool] | None]]] = {}

    def parse_blocks(self, parent: Element, blocks: list[str]) -> None:
        """Hand each block to the first processor that takes it, as BlockParser.parseBlocks does."""
        while blocks:
            self._parse_first(parent, blocks)

    def _parse_first(self, parent: Element, blocks: list[str], after: int = -1) -> None:
        """Offer the first block to the processors after index ``after`` until one takes it."""
        block = blocks[0]
        for index, processor, need in self._steps_for(block):
            if index <= after or (need is not None and not need(block)):
                continue
            if processor.test(parent, block):
                if processor.run(parent, blocks) is not False:
                    return
                if blocks[0] is not block:  # declined, leaving another block first: Markdown offers it on
                    self._parse_first(parent, blocks, index)
                    return

    def _steps_for(self, block: str) -> list[tuple[int, BlockProcessor, Callable[[str], bool] | None]]:
        """Return (index, processor, need) of each processor, in order, that may take a block like this one."""
        kind = block_kind(block)
        steps = self._steps.get(kind)
        if steps is None:  # the registry is complete by the first block, which comes in the first conversion
            usable = self._parser.md.tab_length >= 1  # the indent tests take any block otherwise
            steps = self._steps[kind] = [
                (index, processor, BLOCK_NEEDS.get(type(processor)))
                for index, processor in enumerate(self._parser.blockprocessors)
                if not usable or STARTS.get(type(processor), lambda first, lines: True)(*kind)]
        return steps


class CoreShortcutsExtension(Extension):
    """Markdown's core processors that do work on every text, made to skip what cannot change it."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        """Replace Markdown's own processors, under the same names and priorities."""
        md.preprocessors.register(_NormalizeWhitespace(md), "normalize_whitespace", 30)
        md.treeprocessors.register(_TriggeredInlineProcessor(md), "inline", 20)
        md.treeprocessors.register(_UnescapeTreeprocessor(md), "unescape", 0)
        md.parser.parseBlocks = _BlockLoop(md.parser).parse_blocks  # type: ignore[method-assign]
