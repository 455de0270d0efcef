"""Markdown to HTML: article bodies, their summary, and how links inside articles are resolved.

The Markdown extensions, and which of them each body needs, are in cmhub.markdown.extensions.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from markupsafe import Markup

from cmhub.core.frozen import later_field
from cmhub.markdown.targets import LinkContext, LinkIssue, LinkTarget

if TYPE_CHECKING:
    import markdown

MORE = "<!-- more -->"
_MORE_RE = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|div|li|ul|ol|h[1-6]|tr|td|th|table|thead|tbody|br|hr|blockquote|pre|dd|dt|dl"
    r"|figure|figcaption|section|details|summary)\b[^>]*>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]+>")
_BREAKING_SPACES = "\t\r\n\f\v"
"""Breaking white space other than ' ': no-break spaces (U+00A0, U+202F) are part of French typography."""
_SPACES_RE = re.compile("  +")
_MORE_BLOCK_RE = re.compile(r"(?:^|\n)<!--\s*more\s*-->(?=\n|$)", re.IGNORECASE)
_DEFINITION_RE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S")
_FOOTNOTES_DIV_RE = re.compile(r'<div class="footnote">.*?</div>\s*$', re.DOTALL)
_FIRST_P_RE = re.compile(r"<p(?:\s[^>]*)?>.*?</p>", re.DOTALL)
_WORD_RE = re.compile(r"\w++(?:[’'-]\w++)*+")
"""A word, with its inner apostrophes and hyphens. Possessive, as what follows a run of word characters
is never one: the words are those of the greedy pattern, found without keeping backtracking points."""
IMG_TAG = re.compile(r"<img\b[^>]*>")
IMG_SRC = re.compile(r'\ssrc="([^"]*)"')
REFERENCE = re.compile(r"""\b(?:src|href|poster|data|srcset|content)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""",
                       re.IGNORECASE)
"""An attribute of HTML that may point at a file (raw HTML included), and its value."""


@dataclass(frozen=True)
class Rendered:
    """The HTML of one article body, and what rendering learnt about it."""

    html: str
    summary_html: str
    summary_text: str
    words: int
    files: tuple[str, ...] = ()
    """Content-relative paths of the files the body uses (images, downloads)."""
    issues: tuple[LinkIssue, ...] = field(default_factory=tuple)
    lookups: tuple[tuple[str, LinkTarget | bool | None], ...] = ()
    """Every article or file the links asked for, and what was found (for the render cache)."""
    pictures: tuple[str, ...] = ()
    """The address of each ``<img>`` of ``html`` (``img_sources``): the pictures a site copies are found
    without reading the HTML, which a rendering read back from the build cache decodes on first use."""
    references: tuple[str, ...] = ()
    """The value of each attribute of ``html`` that may point at a file (``html_references``): the files
    of content/ an article uses are found without reading the HTML (cmhub.content.assets)."""

    def __getattr__(self, name: str) -> object:
        """Return ``html`` or ``summary_html`` of a rendering read back from the build cache, decoded on
        first use (cmhub.markdown.bodies)."""
        return later_field(self, name, HTML_FIELDS)


HTML_FIELDS = frozenset({"html", "summary_html"})
"""The fields of a rendering (and of its article) that the build cache keeps apart, read on first use."""


def html_references(fragment: str) -> tuple[str, ...]:
    """Return the value of each attribute of an HTML fragment that may point at a file (``src``, ``href``,
    ``srcset``...), entities decoded, in order."""
    return tuple(html.unescape(next(group for group in match.groups() if group is not None))
                 for match in REFERENCE.finditer(fragment))


def img_sources(fragment: str) -> tuple[str, ...]:
    """Return the address in each ``<img>`` of an HTML fragment, as written (entities not decoded), in order."""
    if "<img" not in fragment:
        return ()
    return tuple(found.group(1) for found in map(IMG_SRC.search, IMG_TAG.findall(fragment)) if found is not None)


class _Converted(NamedTuple):
    """One Markdown conversion, and what link rewriting learnt during it."""

    html: str
    files: tuple[str, ...]
    issues: tuple[LinkIssue, ...]
    lookups: tuple[tuple[str, LinkTarget | bool | None], ...]


class Renderer:
    """Turns article bodies into HTML; one instance per process, reused across articles."""

    def __init__(self) -> None:
        self._instances: dict[tuple[str, ...], markdown.Markdown] = {}
        """A Markdown per set of extensions some body needed (see needed_extensions): a handful in practice."""

    def render(self, body: str, context: LinkContext | None = None) -> Rendered:
        """Return the HTML of a Markdown body, with its summary and link problems."""
        html_text, files, issues, lookups = self._convert(body, context)
        block = _MORE_BLOCK_RE.search(html_text)
        more = _more_offset(body) if block is None and _MORE_RE.search(html_text) else None
        if block is not None:
            # the usual case: the marker stands between blocks, so cutting there is balanced
            summary_html = html_text[: block.start()]
            html_text = _MORE_RE.sub("", html_text)
        elif more is not None:
            # a marker inside a paragraph: render the excerpt alone so that its HTML is balanced
            excerpt = body[:more] + "\n\n" + _definitions(body[more:])
            summary_html = _FOOTNOTES_DIV_RE.sub("", self._convert(excerpt, context).html)
            html_text = _MORE_RE.sub("", html_text)
        else:
            first = _FIRST_P_RE.search(html_text)
            summary_html = first.group(0) if first else ""
        html_text = html_text.strip()
        return Rendered(
            html=Markup(html_text),  # trusted: templates show it as it is, without a copy
            summary_html=Markup(summary_html.strip()),
            summary_text=plain_text(summary_html),
            words=_count_words(html_text),
            files=files,
            issues=issues,
            lookups=lookups,
            pictures=img_sources(html_text),
            references=html_references(html_text),
        )

    def _convert(self, body: str, context: LinkContext | None) -> _Converted:
        from cmhub.markdown.extensions import (
            needed_extensions,  # only here: Markdown loads only when a body is rendered
        )

        names = needed_extensions(body)
        md = self._instances.get(names)
        if md is None:
            md = self._instances[names] = _markdown(names)
        links: Any = md.treeprocessors["cmhub_links"]
        md.reset()
        links.context = context
        links.files, links.issues, links.lookups = [], [], {}  # blank bodies skip run()
        try:
            html_text = md.convert(body)
            return _Converted(html_text, tuple(dict.fromkeys(links.files)), tuple(links.issues),
                              tuple(sorted(links.lookups.items())))
        finally:
            links.context = None


def _markdown(names: tuple[str, ...]) -> markdown.Markdown:
    """Return a Markdown converter with the named extensions (see needed_extensions), and link rewriting."""
    import markdown

    from cmhub.markdown.extensions import extensions_for, finish
    from cmhub.markdown.links import LinkExtension

    return finish(markdown.Markdown(extensions=[*extensions_for(names), LinkExtension()], output_format="html"))


def _definitions(text: str) -> str:
    """Return the link reference and footnote definitions of a text (with their continuation lines)."""
    kept: list[str] = []
    keeping = False
    for line in text.splitlines():
        if _DEFINITION_RE.match(line):
            keeping = True
            kept.append(line)
        elif keeping and (line.startswith(("    ", "\t")) or not line.strip()):
            kept.append(line)
        else:
            keeping = False
    return "\n".join(kept) + "\n"


def _more_offset(body: str) -> int | None:
    """Return where the first <!-- more --> marker outside fenced code starts, if any."""
    fence = ""
    offset = 0
    for line in body.splitlines(keepends=True):
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence):
                fence = ""
        elif stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        else:
            found = _MORE_RE.search(line)
            if found:
                return offset + found.start()
        offset += len(line)
    return None


def still_valid(rendered: Rendered, context: LinkContext) -> bool:
    """Tell whether a cached rendering still holds: every link resolves as it did."""
    for target, found in rendered.lookups:
        now = context.articles.get(target) if target.endswith(".md") and not isinstance(found, bool) \
            else target in context.files
        if now != found:
            return False
    return True


def plain_text(fragment: str) -> str:
    """Return the text of an HTML fragment on one line, entities decoded."""
    text = _untagged(fragment)
    # each run of breaking white space becomes one ' ': str.replace, then a regex that only meets
    # runs of spaces, is ten times faster than a regex stopping at every space between two words
    for space in _BREAKING_SPACES:
        if space in text:
            text = text.replace(space, " ")
    return _SPACES_RE.sub(" ", text).strip()


def _count_words(fragment: str) -> int:
    """Return the number of words in the plain text of an HTML fragment."""
    # plain_text then only rewrites white space, which never stands inside a word: the count is the same
    return len(_WORD_RE.findall(_untagged(fragment)))


def _untagged(fragment: str) -> str:
    """Return an HTML fragment with its block tags as spaces, its other tags left out and its entities decoded."""
    return html.unescape(_TAG_RE.sub("", _BLOCK_TAG_RE.sub(" ", fragment)))
