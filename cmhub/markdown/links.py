"""Links inside articles: relative links and images rewritten to site URLs while Markdown renders them."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from cmhub.markdown.targets import EXTERNAL_LINK, LinkContext, LinkIssue, LinkTarget


class LinkResolver(Treeprocessor):
    """Rewrites relative links and images to site URLs, and notes the broken ones."""

    context: LinkContext | None = None
    files: list[str]
    issues: list[LinkIssue]
    lookups: dict[str, LinkTarget | bool | None]

    def run(self, root: Element) -> None:
        self.files, self.issues, self.lookups = [], [], {}
        if self.context is None:
            return
        parents = {child: parent for parent in root.iter() for child in parent}
        self._check_alt_texts(root)
        for element in list(root.iter()):
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            if attribute is None or attribute not in element.attrib:
                continue
            value = element.get(attribute, "")
            new = self._resolve(value, image=element.tag == "img")
            if new is None:  # a link to an unpublished article keeps its text only
                self._unwrap(element, parents[element])
            else:
                element.set(attribute, new)

    def _check_alt_texts(self, root: Element) -> None:
        """Note every image of the body without alt text (a warning, an error under --strict).

        A Markdown image's alt is between its brackets; raw HTML may say alt="" for a decorative image.
        """
        for element in root.iter("img"):
            if not (element.get("alt") or "").strip():
                value = element.get("src", "")
                self.issues.append(LinkIssue(f"]({value}", f"image '{value}' has no alt text: describe it "
                                             f"between the brackets, ![what it shows]({value})", "warning"))
        for block in self.md.htmlStash.rawHtmlBlocks:
            for tag in _IMG_TAG.findall(str(block)):
                attributes = _attributes(tag)
                if "alt" not in attributes:
                    self.issues.append(LinkIssue(tag, f"image '{attributes.get('src') or ''}' has no alt text: "
                                                 "add alt=\"what it shows\" (alt=\"\" marks a decorative image)",
                                                 "warning"))

    def _resolve(self, value: str, image: bool) -> str | None:
        context = self.context
        assert context is not None
        if not value or EXTERNAL_LINK.match(value):
            return value
        parts = urlsplit(value)
        suffix = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
        raw_path = unquote(parts.path)
        if raw_path.startswith("/"):
            return context.base_path + raw_path.lstrip("/") + suffix
        target = posixpath.normpath(posixpath.join(context.source_dir, raw_path))
        if target.startswith("../") or target == "..":
            self.issues.append(LinkIssue(value, f"link '{value}' points outside content/"))
            return value
        if target.endswith(".md"):
            article = context.articles.get(target)
            self.lookups[target] = article
            if article is None:
                self.issues.append(LinkIssue(value, f"link to missing article '{value}'"))
                return value
            if not article.shown:
                if not article.path:  # the target has a mistake of its own, reported on its own
                    return None
                self.issues.append(LinkIssue(
                    value, f"link to '{value}', which is not published yet: shown as plain text until it is",
                    "warning"))
                return None
            return context.base_path + article.path + suffix
        self.lookups[target] = target in context.files
        if target not in context.files:
            what = "image" if image else "file"
            self.issues.append(LinkIssue(value, f"{what} '{value}' not found under content/"))
            return value
        self.files.append(target)
        return context.base_path + target + suffix

    @staticmethod
    def _unwrap(element: Element, parent: Element) -> None:
        index = list(parent).index(element)
        text = (element.text or "") + "".join(
            (child.text or "") + (child.tail or "") for child in element)
        tail = element.tail or ""
        parent.remove(element)
        if index == 0:
            parent.text = (parent.text or "") + text + tail
        else:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + text + tail


_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found = {name: value or "" for name, value in attrs}

    handle_startendtag = handle_starttag


def _attributes(tag: str) -> dict[str, str]:
    """Return the attributes of one HTML start tag."""
    parser = _Attributes()
    parser.feed(tag)
    parser.close()
    return parser.found


class LinkExtension(Extension):
    """Registers LinkResolver, last but one of the treeprocessors (after inline patterns and ids)."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.treeprocessors.register(LinkResolver(md), "cmhub_links", 1)
