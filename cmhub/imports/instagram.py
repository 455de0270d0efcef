"""Instagram's JSON export ("Download your information", format JSON): posts and reels.

Layouts read (from public importers: marcomaroni-github/instagram-to-bluesky, pixelfed/pixelfed
#2751, #3747, #4726, #5298, and the data-donation scripts that read reels.json):

- 2024 onwards: ``your_instagram_activity/content/posts_1.json`` (``posts_2.json``...) and
  ``your_instagram_activity/content/reels.json``, media under ``media/posts/YYYYMM/`` (some under
  ``media/other/``); JPEG until 2022, then WebP, then HEIC from mid-2024;
- 2023: the same files under ``your_instagram_activity/media/``;
- 2021 to 2023: ``content/posts_1.json`` at the top of the export, media under ``media/posts/``.

Each post is ``{"media": [{"uri", "creation_timestamp", "title", ...}], "title", "creation_timestamp"}``;
a single-picture post has its caption and time on its one media and no top-level title, and
``media`` is sometimes one object rather than a list. Reels are ``{"ig_reels_media": [post...]}``.
The pre-2021 ``media.json`` format and the HTML format are recognised and refused with advice.
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

POSTS = re.compile(r"^(?P<root>(?:[^/]+/)*?)(?:your_instagram_activity/(?:content|media)|content|media)/"
                   r"(?:posts_(?P<n>\d+)|(?P<reels>reels))\.json$")
_HTML = re.compile(r"(?:^|/)(?:posts_\d+|reels|start_here|index)\.html$")
_OLD = re.compile(r"(?:^|/)media\.json$")
_FACEBOOK = re.compile(r"(?:^|/)posts/(?:profile_posts|your_posts)[^/]*\.json$")
HOW_TO_DOWNLOAD = (
    "in Instagram, open Accounts Center > Your information and permissions > Download your information, "
    "choose the account, 'Some of your information' > Posts (and Reels), 'Download to device', "
    "Format: JSON (not HTML), Media quality: High, Date range: All time")


def read_instagram(archive: Archive, tz: ZoneInfo) -> Export:
    """Return the posts and reels of an Instagram JSON export, oldest first.

    Raises CmhubError (every problem at once) when the export is not one, or is damaged.
    """
    found = find_files(archive, POSTS)
    if not found:
        raise CmhubError([error(archive.display, None, _not_an_export(archive))])
    items, skipped = read_posts(archive, found, "an Instagram", tz, _posts, _post, dedupe=True)
    heic = sum(1 for item in items for m in item.media if m.reference.lower().endswith((".heic", ".heif")))
    tips = (f"{heic} pictures are HEIC files, which most browsers do not show: convert them to JPEG "
            "(e.g. 'magick x.heic x.jpg') and change their links",) if heic else ()
    return Export("instagram", items, MetaMedia(archive, [f.root for f in found]), skipped=skipped, tips=tips)


def _posts(doc: JsonFile) -> Any:
    """Return the list of posts of a data file (reels.json wraps its list in 'ig_reels_media')."""
    if doc.name.endswith("reels.json") and isinstance(doc.data, dict):
        return doc.data.get("ig_reels_media")
    return doc.data


def _post(post: Any, doc: JsonFile, tz: ZoneInfo, problems: list[Problem], skipped: Counter[str]) -> Item | None:
    """Return the item of one post, or None (with a problem, or counted as skipped)."""
    media = post.get("media") if isinstance(post, dict) else None
    if isinstance(media, dict):
        media = [media]
    if not isinstance(media, list) or not media or not all(isinstance(m, dict) for m in media):
        skipped["posts without media"] += 1
        return None
    uris = [m.get("uri") for m in media]
    if not all(isinstance(uri, str) and uri.strip() for uri in uris):
        problems.append(error(doc.where, doc.line_of(media[0].get("creation_timestamp") or 0).line,
                              "a media of this post has no 'uri'"))
        return None
    where = doc.line_of(uris[0])
    caption = _text(post.get("title")) or _text(media[0].get("title"))
    stamp = post.get("creation_timestamp") or media[0].get("creation_timestamp")
    try:
        if not isinstance(stamp, (int, float)) or isinstance(stamp, bool):
            raise ValueError
        date = dt.datetime.fromtimestamp(stamp, tz)
    except (ValueError, OverflowError, OSError):
        problems.append(error(where.path, where.line, f"post has no usable 'creation_timestamp' (got {stamp!r})"))
        return None
    post_id = str(int(stamp))
    return Item(
        source="instagram", id=post_id, title=title_from_text(caption) or f"Instagram {date:%Y-%m-%d %H:%M}",
        date=date, where=where, words=count_words(caption), text=caption,
        media=tuple(Media(uri, media_kind(uri)) for uri in uris), tags=hashtags(caption),
        origin=(("network", "instagram"), ("id", post_id), ("uri", uris[0])), urls=tuple(uris))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _not_an_export(archive: Archive) -> str:
    """Say why no posts file was found, and what to do."""
    if html_only(archive, [], _HTML):
        return f"this is the HTML format of Instagram's export, which cmhub cannot read; download the JSON one: " \
               f"{HOW_TO_DOWNLOAD}"
    if any(_OLD.search(name) for name in archive.names):
        return f"this is Instagram's export format from before 2021 (media.json), which cmhub does not read; " \
               f"download a new export: {HOW_TO_DOWNLOAD}"
    if any(_FACEBOOK.search(name) for name in archive.names):
        return "this looks like a Facebook export: use 'cmhub import facebook'"
    return "has no your_instagram_activity/content/posts_1.json (nor the older your_instagram_activity/media/" \
           f"posts_1.json or content/posts_1.json): is it Instagram's export in JSON format? {HOW_TO_DOWNLOAD}"
