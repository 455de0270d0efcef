"""WordPress's export (WXR 1.0 to 1.2, Tools > Export > All content): posts and pages with their state.

Read with lxml without entity expansion, DTD loading or network, and with libxml2's limits on
huge documents kept. Posts and pages become items; attachments give the pictures of ``[gallery]``
and the featured image (``_thumbnail_id``) with its alt text (``_wp_attachment_image_alt``); menus,
revisions, blocks and other types are counted and left out, and so are comments.

States: 'publish' is published, 'future' scheduled (its date is kept), 'draft', 'pending',
'private' and password-protected posts stay drafts even with --publish, and so do pages (cmhub
has no dateless pages yet: each is an article flagged in ``imported_from``). Each post's old URL
becomes an alias, so that the permalink ledger keeps it and the build redirects it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from lxml import etree

from cmhub.core.errors import CmhubError, Problem, error, warning
from cmhub.core.urls import slugify
from cmhub.imports.compose import yaml_string
from cmhub.imports.model import Export, Item, Media, Where, site_path
from cmhub.imports.textmd import count_words
from cmhub.imports.wpcontent import Uploads, prepare
from cmhub.imports.xmlsafe import parse_xml
from cmhub.settings.config import SiteConfig

CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
_UNCATEGORIZED = {"uncategorized", "non-classe", "sin-categoria", "allgemein"}
_TAGS = re.compile(r"<[^>]+>|\[[^\]]*\]")
_LOCKED = {"draft": "a draft on WordPress", "pending": "pending review on WordPress",
           "private": "private on WordPress"}


def read_wordpress(documents: Sequence[tuple[bytes, str]], config: SiteConfig, uploads: Path | None,
                   uploads_display: str) -> Export:
    """Return the posts and pages of a WordPress export, oldest first.

    ``documents`` are the export's XML files (one, or the several a large WordPress.com export is
    split into) with how messages name them. Raises CmhubError at the line where the XML is
    malformed, or when a file is not a WordPress export.
    """
    channels = [_channel(data, display, config.tz) for data, display in documents]
    first = channels[0][0]
    site = (first.findtext(f"{{{channels[0][1].ns}}}base_blog_url") or first.findtext("link") or "").strip()
    authors, tips = _authors(channels, config)
    attachments: dict[str, tuple[str, str]] = {}
    for channel, w in channels:
        for node in channel.iterfind("item"):
            if w.text(node, "post_type") == "attachment":
                url = w.text(node, "attachment_url") or (node.findtext("guid") or "").strip()
                attachments[w.text(node, "post_id")] = (url, w.meta(node).get("_wp_attachment_image_alt", ""))
    items: list[Item] = []
    notes: list[Problem] = []
    problems: list[Problem] = []
    skipped: Counter[str] = Counter()
    plain_links = 0
    for channel, w in channels:
        for node in channel.iterfind("item"):
            kind, status = w.text(node, "post_type"), w.text(node, "status")
            skipped["comments"] += len(node.findall(f"{{{w.ns}}}comment"))
            if kind not in ("post", "page") or status in ("trash", "auto-draft", "inherit"):
                if kind != "attachment":
                    skipped[f"{kind or 'untyped'} items" if kind not in ("post", "page") else f"{status} {kind}s"] += 1
                continue
            try:
                item, unknown = _item(node, w, config, site, authors, attachments)
            except ValueError as exc:
                problems.append(error(w.display, node.sourceline, str(exc)))
                continue
            if unknown:
                names = ", ".join(f"[{name}]" for name in unknown)
                notes.append(warning(w.display, node.sourceline,
                                     f"shortcodes left as text (cmhub has nothing to replace them): {names}"))
            plain_links += status in ("publish", "future") and not item.aliases and "?" in _link(node)
            items.append(item)
    if problems:
        raise CmhubError(problems)
    if plain_links:
        tips += (f"{plain_links} posts had plain WordPress URLs (?p=123), which a static site cannot redirect",)
    return Export("wordpress", tuple(sorted(items, key=lambda i: (i.date, i.id))), Uploads(uploads, uploads_display),
                  notes=tuple(notes), skipped=tuple(sorted((k, v) for k, v in skipped.items() if v)), tips=tips)


def _channel(data: bytes, display: str, tz: ZoneInfo) -> tuple[etree._Element, _Reader]:
    """Return the channel of a WXR file and a reader of its wp: fields; raises CmhubError if it is none."""
    root = parse_xml(data, display)
    wp = next((ns for ns in root.nsmap.values() if ns and ns.startswith("http://wordpress.org/export/")
               and "excerpt" not in ns), None)
    channel = root.find("channel")
    if wp is None or channel is None:
        hint = " (for an RSS or Atom feed, use 'cmhub import feed')" if root.tag in ("rss", "feed") or \
            root.tag.endswith("}feed") else ""
        raise CmhubError([error(display, root.sourceline, f"is not a WordPress export (WXR): it has no "
                                                          f"wp: elements{hint}")])
    return channel, _Reader(wp, display, tz)


class _Reader:
    """Reads the wp: fields of WXR elements."""

    def __init__(self, namespace: str, display: str, tz: ZoneInfo):
        self.ns, self.display, self.tz = namespace, display, tz

    def text(self, node: etree._Element, name: str) -> str:
        """Return the text of a wp: child element, stripped ('' when absent)."""
        return (node.findtext(f"{{{self.ns}}}{name}") or "").strip()

    def meta(self, node: etree._Element) -> dict[str, str]:
        """Return an item's wp:postmeta as a mapping of keys to values."""
        return {(m.findtext(f"{{{self.ns}}}meta_key") or ""): (m.findtext(f"{{{self.ns}}}meta_value") or "")
                for m in node.iterfind(f"{{{self.ns}}}postmeta")}

    def date(self, node: etree._Element) -> dt.datetime:
        """Return an item's date in the hub's zone: its GMT date, else its local one read in the hub's zone."""
        for name, zone in (("post_date_gmt", dt.UTC), ("post_date", self.tz)):
            value = self.text(node, name)
            if value and not value.startswith("0000"):
                try:
                    return dt.datetime.fromisoformat(value).replace(tzinfo=zone).astimezone(self.tz)
                except ValueError:
                    raise ValueError(f"'wp:{name}' is not a date: {value!r}") from None
        raise ValueError("this item has no date (wp:post_date)")


def _item(node: etree._Element, w: _Reader, config: SiteConfig, site: str, authors: dict[str, str],
          attachments: dict[str, tuple[str, str]]) -> tuple[Item, list[str]]:
    """Return the item of a post or page, and the unknown shortcodes in its content."""
    kind, status = w.text(node, "post_type"), w.text(node, "status")
    post_id = w.text(node, "post_id") or str(node.sourceline)
    date = w.date(node)
    content = node.findtext(CONTENT) or ""
    body, unknown = prepare(content, attachments)
    link = _link(node)
    alias = site_path(link, site, config.base_path) if link and "?" not in link else None
    title = (node.findtext("title") or "").strip()
    excerpt = " ".join(html.unescape(_TAGS.sub(" ", _excerpt(node))).split())
    meta = w.meta(node)
    cover = None
    if meta.get("_thumbnail_id") in attachments:
        url, alt = attachments[meta["_thumbnail_id"]]
        cover = Media(url, "image", alt=alt)
    reason = ""
    if status in _LOCKED:
        reason = _LOCKED[status]
    elif w.text(node, "post_password"):
        reason = "password-protected on WordPress"
    categories = [(c.get("domain"), c.get("nicename", ""), (c.text or "").strip()) for c in node.iterfind("category")]
    words_text = _TAGS.sub(" ", content)
    return Item(
        source="wordpress", id=post_id, title=title or f"WordPress {post_id}", date=date,
        where=Where(w.display, node.sourceline), words=count_words(html.unescape(words_text)),
        html=body, cover=cover, summary=excerpt,
        tags=tuple(dict.fromkeys(name for domain, _, name in categories if domain == "post_tag" and name)),
        categories=tuple(dict.fromkeys(name for domain, nice, name in categories
                                       if domain == "category" and name and nice not in _UNCATEGORIZED)),
        authors=tuple(a for a in [authors.get((node.findtext(DC_CREATOR) or "").strip())] if a),
        aliases=(alias,) if alias and alias != "/" else (), slug=slugify(unquote(w.text(node, "post_name"))),
        origin=(("network", "wordpress"), ("id", post_id), ("url", link), ("status", status), ("type", kind)),
        urls=tuple(u for u in (link, (node.findtext("guid") or "").strip()) if u),
        page=kind == "page", locked=bool(reason), draft_reason=reason), unknown


def _link(node: etree._Element) -> str:
    return (node.findtext("link") or "").strip()


def _excerpt(node: etree._Element) -> str:
    """Return an item's excerpt (excerpt:encoded, whatever the WXR version of its namespace)."""
    for child in node:
        if isinstance(child.tag, str) and child.tag.endswith("}encoded") and "excerpt" in child.tag:
            return child.text or ""
    return ""


def _authors(channels: Sequence[tuple[etree._Element, _Reader]],
             config: SiteConfig) -> tuple[dict[str, str], tuple[str, ...]]:
    """Map each WordPress login to a site.yml author id; return the map and the snippet for unknown ones."""
    found: dict[str, str] = {}
    unknown: list[tuple[str, str]] = []
    people: dict[str, str] = {}
    for channel, w in channels:
        people.update({w.text(node, "author_login"): w.text(node, "author_display_name")
                       for node in channel.iterfind(f"{{{w.ns}}}author")})
    for channel, w in channels:
        for item in channel.iterfind("item"):
            creator = (item.findtext(DC_CREATOR) or "").strip()
            if creator and w.text(item, "post_type") in ("post", "page"):
                people.setdefault(creator, creator)
    for login, name in people.items():
        wanted = {slugify(login), login.lower(), slugify(name)}
        match = next((ident for ident, author in config.authors.items()
                      if ident in wanted or author.name.casefold() == name.casefold()), None)
        if match:
            found[login] = match
        elif login:
            unknown.append((slugify(login) or "author", name or login))
    if not unknown:
        return found, ()
    snippet = "".join(f"\n  {ident}: {{name: {yaml_string(name)}}}" for ident, name in unknown)
    return found, (f"authors not in site.yml, left out of the articles; add them under 'authors:' in site.yml, "
                   f"then run the import again (articles you have not edited are brought up to date):{snippet}",)
