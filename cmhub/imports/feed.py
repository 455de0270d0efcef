"""An RSS or Atom file (a blog's feed, a Medium feed, a Blogger export): one item per entry.

The file is first parsed strictly and safely (cmhub.imports.xmlsafe: malformed XML is reported at
its line, entity declarations are refused), then read by feedparser, given the bytes (never a
name it could fetch) and told to keep the HTML as it is (html_to_markdown drops what is unsafe).
Each entry's link becomes the article's ``canonical``: the original stays the reference. Blogger's
export lists settings, templates, comments and pages among its entries: only posts are kept, and
Blogger drafts stay drafts. Pictures stay links to where the feed had them (cmhub fetches nothing).
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import re
from collections import Counter
from typing import Any
from urllib.parse import quote

from cmhub.core.errors import CmhubError, Problem, error
from cmhub.core.urls import slugify
from cmhub.imports.model import Export, Item, Located, Where
from cmhub.imports.textmd import count_words, title_from_text
from cmhub.imports.xmlsafe import parse_xml
from cmhub.settings.config import SiteConfig

_KIND = "http://schemas.google.com/g/2005#kind"
_ENTRIES = ("{http://www.w3.org/2005/Atom}entry", "item", "{http://purl.org/rss/1.0/}item")
_TAGS = re.compile(r"<[^>]+>")


class FeedMedia:
    """A feed's pictures: never copied (that would need the network), kept as links and counted."""

    def locate(self, reference: str) -> Located:
        """Return 'keep as a link' (counted as remote for web addresses)."""
        return Located(remote=reference.startswith(("http://", "https://", "//")))

    def copy(self, key: str, target: Any) -> None:  # pragma: no cover - locate never gives a key
        """Never called."""
        raise AssertionError(key)


def read_feed(data: bytes, display: str, config: SiteConfig) -> Export:
    """Return the entries of an RSS or Atom file, oldest first.

    Raises CmhubError at the line where the XML is malformed, or when it is not a feed.
    """
    root = parse_xml(data, display)
    lines = [node.sourceline for node in root.iter(*_ENTRIES)]
    import feedparser  # only here: importing it takes a while

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version"):
        raise CmhubError([error(display, root.sourceline, "is not an RSS or Atom feed")])
    items: list[Item] = []
    problems: list[Problem] = []
    skipped: Counter[str] = Counter()
    unknown_authors: set[str] = set()
    for index, entry in enumerate(parsed.entries):
        where = Where(display, lines[index] if len(lines) == len(parsed.entries) else None)
        kinds = [t.get("term", "") for t in entry.get("tags", []) if t.get("scheme") == _KIND]
        if kinds and not kinds[0].endswith("#post"):
            skipped[f"Blogger {kinds[0].rsplit('#', 1)[-1]} entries"] += 1
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp is None:
            problems.append(error(where.path, where.line, f"entry {entry.get('title', '')!r} has no date "
                                                          "(published or updated)"))
            continue
        date = dt.datetime.fromtimestamp(calendar.timegm(stamp), dt.UTC).astimezone(config.tz)
        author = _author(entry, config)
        if entry.get("author") and not author:
            unknown_authors.add(entry["author"])
        items.append(_item(entry, date, where, author))
    if problems:
        raise CmhubError(problems)
    tips = ()
    if unknown_authors:
        names = ", ".join(sorted(unknown_authors))
        tips = (f"authors not in site.yml, left out of the articles: {names}; add them under 'authors:' in site.yml "
                "and run the import again (articles you have not edited are brought up to date)",)
    return Export("feed", tuple(sorted(items, key=lambda i: (i.date, i.id))), FeedMedia(),
                  skipped=tuple(sorted(skipped.items())), tips=tips)


def _item(entry: Any, date: dt.datetime, where: Where, author: str) -> Item:
    contents = entry.get("content") or []
    chosen = next((c for c in contents if "html" in c.get("type", "")), contents[0] if contents else None)
    value = chosen.get("value", "") if chosen else entry.get("summary", "")
    kind = chosen.get("type", "text/html") if chosen else entry.get("summary_detail", {}).get("type", "text/html")
    body = value if "html" in kind else "".join(f"<p>{html.escape(p)}</p>" for p in value.split("\n\n"))
    text = " ".join(html.unescape(_TAGS.sub(" ", body)).split())
    link = entry.get("link", "")
    entry_id = quote(entry.get("id") or link or f"{date:%Y%m%d%H%M%S}", safe="/:?=&#@%+,;~!$*'()[]")
    title = " ".join(html.unescape(_TAGS.sub(" ", entry.get("title", ""))).split())
    draft = entry.get("app_draft", "").strip().lower() == "yes"
    tags = tuple(dict.fromkeys(t["term"].strip() for t in entry.get("tags", [])
                               if t.get("scheme") != _KIND and (t.get("term") or "").strip()))
    return Item(
        source="feed", id=entry_id, title=title or title_from_text(text) or f"{date:%Y-%m-%d}", date=date,
        where=where, words=count_words(text), html=body, tags=tags,
        authors=(author,) if author else (),
        canonical=link if link.startswith(("http://", "https://")) else "",
        origin=(("network", "feed"), ("id", entry_id), ("url", link)), urls=tuple(u for u in (link,) if u),
        locked=draft, draft_reason="a draft in the export" if draft else "")


def _author(entry: Any, config: SiteConfig) -> str:
    """Return the site.yml id of an entry's author, or '' when there is none that matches."""
    name = (entry.get("author_detail", {}).get("name") or entry.get("author") or "").strip()
    if not name:
        return ""
    wanted = slugify(name)
    return next((ident for ident, person in config.authors.items()
                 if ident == wanted or person.name.casefold() == name.casefold()), "")
