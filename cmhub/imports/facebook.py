"""Facebook's JSON export: a Page's posts (and a personal profile's, which share the format).

Layouts read (from NorseKode/Waultar-App documents/parser/content_examples.md and public scripts
that read Page exports):

- Pages (the "new Pages experience", 2023 onwards):
  ``this_profile's_activity_across_facebook/posts/profile_posts_1.json``, media under ``posts/media/``;
- personal profiles since 2024: ``your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json``;
- older exports (2020 to 2023): ``posts/your_posts_1.json``.

Each post is ``{"timestamp", "data": [{"post": text}, {"update_timestamp"}], "attachments":
[{"data": [{"media": {"uri", "creation_timestamp", "title", "description"}} | {"external_context":
{"url", "name"}} | ...]}], "title"}``. The top-level ``title`` is Facebook's sentence about the
activity ("X added a new photo."), not the post's: it is not used. A media ``title`` is an album
name. The text is in ``data[].post``, else in the first media's ``description``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

from cmhub.core.errors import CmhubError, Problem, error
from cmhub.imports.archive import Archive
from cmhub.imports.metajson import JsonFile, MetaMedia, find_files, html_only, media_kind, read_posts
from cmhub.imports.model import Export, Item, Media
from cmhub.imports.textmd import count_words, hashtags, title_from_text

POSTS = re.compile(r"^(?P<root>(?:[^/]+/)*?)(?:(?:this_profile's_activity_across_facebook|your_facebook_activity)/)?"
                   r"posts/(?:profile_posts|your_posts__check_ins__photos_and_videos|your_posts)_(?P<n>\d+)\.json$")
_HTML = re.compile(r"(?:^|/)posts/(?:profile_posts|your_posts[^/]*)_\d+\.html$|(?:^|/)(?:start_here|index)\.html$")
_INSTAGRAM = re.compile(r"(?:^|/)(?:your_instagram_activity/|content/)")
HOW_TO_DOWNLOAD = (
    "in Facebook, open Accounts Center > Your information and permissions > Download your information "
    "(for a Page: switch to the Page first), choose the profile or Page, 'Some of your information' > Posts, "
    "'Download to device', Format: JSON (not HTML), Media quality: High, Date range: All time")


def read_facebook(archive: Archive, tz: ZoneInfo) -> Export:
    """Return the posts of a Facebook JSON export, oldest first.

    Raises CmhubError (every problem at once) when the export is not one, or is damaged.
    """
    found = find_files(archive, POSTS)
    if not found:
        raise CmhubError([error(archive.display, None, _not_an_export(archive))])
    items, skipped = read_posts(archive, found, "a Facebook", tz, _posts, _post)
    return Export("facebook", items, MetaMedia(archive, [f.root for f in found]), skipped=skipped)


def _posts(doc: JsonFile) -> Any:
    """Return the list of posts of a data file (some years wrap it in a one-key object)."""
    if isinstance(doc.data, dict):
        return next((value for value in doc.data.values() if isinstance(value, list)), None)
    return doc.data


def _post(post: Any, doc: JsonFile, tz: ZoneInfo, problems: list[Problem], skipped: Counter[str]) -> Item | None:
    """Return the item of one post, or None (with a problem, or counted as skipped)."""
    if not isinstance(post, dict):
        skipped["entries that are not posts"] += 1
        return None
    stamp = post.get("timestamp")
    where = doc.line_of(stamp) if isinstance(stamp, int) else doc.line_of(0)
    try:
        if not isinstance(stamp, (int, float)) or isinstance(stamp, bool):
            raise ValueError
        date = dt.datetime.fromtimestamp(stamp, tz)
    except (ValueError, OverflowError, OSError):
        problems.append(error(where.path, where.line, f"post has no usable 'timestamp' (got {stamp!r})"))
        return None
    texts = [d["post"] for d in _list(post.get("data")) if isinstance(d.get("post"), str) and d["post"].strip()]
    text = "\n\n".join(t.strip("\n") for t in texts)
    media: list[Media] = []
    links: list[tuple[str, str]] = []
    for attachment in _list(post.get("attachments")):
        for data in _list(attachment.get("data")):
            _attachment(data, media, links, skipped)
    if not text and media:
        text = media[0].caption
    media = [Media(m.reference, m.kind, caption="" if m.caption.strip() == text.strip() else m.caption)
             for m in media]
    if not text.strip() and not media and not links:
        skipped["posts without text, media or link"] += 1
        return None
    post_id = str(int(stamp))
    origin = [("network", "facebook"), ("id", post_id)]
    origin += [("uri", media[0].reference)] if media else []
    origin += [("link", links[0][0])] if links else []
    fallback = links[0][1] if links and links[0][1] else f"Facebook {date:%Y-%m-%d %H:%M}"
    return Item(
        source="facebook", id=post_id, title=title_from_text(text) or fallback, date=date, where=where,
        words=count_words(text), text=text, media=tuple(media), links=tuple(links), tags=hashtags(text),
        origin=tuple(origin), urls=tuple([m.reference for m in media] + [url for url, _ in links]))


def _attachment(data: dict[str, Any], media: list[Media], links: list[tuple[str, str]],
                skipped: Counter[str]) -> None:
    """Add what one attachment holds: a media, a shared link, or a note's media."""
    found = [data["media"]] if isinstance(data.get("media"), dict) else []
    note = data.get("note")
    if isinstance(note, dict):
        found += [m for m in _list(note.get("media"))]
    for item in found:
        uri = item.get("uri")
        if not isinstance(uri, str) or not uri.strip():
            continue
        if uri.startswith(("http://", "https://")):
            skipped["media only on Facebook's servers, not in the export"] += 1
            continue
        description = item.get("description")
        media.append(Media(uri, media_kind(uri), caption=description if isinstance(description, str) else ""))
    context = data.get("external_context")
    if isinstance(context, dict) and isinstance(context.get("url"), str) and context["url"].strip():
        url = context["url"].strip()
        if not re.match(r"^[a-z][a-z0-9+.-]*:", url, re.IGNORECASE):
            url = "https://" + url
        name = context.get("name")
        links.append((url, name.strip() if isinstance(name, str) else ""))


def _list(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _not_an_export(archive: Archive) -> str:
    """Say why no posts file was found, and what to do."""
    if html_only(archive, [], _HTML):
        return f"this is the HTML format of Facebook's export, which cmhub cannot read; download the JSON one: " \
               f"{HOW_TO_DOWNLOAD}"
    if any(_INSTAGRAM.search(name) and name.endswith("posts_1.json") for name in archive.names):
        return "this looks like an Instagram export: use 'cmhub import instagram'"
    return "has no this_profile's_activity_across_facebook/posts/profile_posts_1.json (nor your_facebook_activity/" \
           "posts/your_posts__check_ins__photos_and_videos_1.json or posts/your_posts_1.json): is it Facebook's " \
           f"export in JSON format? {HOW_TO_DOWNLOAD}"
