"""A WordPress post's content as plain HTML: shortcodes expanded, paragraphs made, uploads located.

WordPress stores a classic-editor post without its paragraphs (``wpautop`` adds them when it shows
the post) and with shortcodes; a block-editor post has its HTML, between ``<!-- wp:... -->``
comments that html_to_markdown drops. ``[caption]`` becomes a figure (picture, alt, caption),
``[gallery]`` the pictures it names, ``[embed]`` and ``[youtube]`` a link, ``[video]`` and
``[audio]`` a link to their file. Other shortcodes (plugins') are left as text and reported.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from cmhub.core.errors import CmhubError, error
from cmhub.imports.archive import MAX_MEDIA_BYTES, MiB
from cmhub.imports.model import Located

_CAPTION = re.compile(r"\[caption\b([^\]]*)\](.*?)\[/caption\]", re.DOTALL | re.IGNORECASE)
_PICTURE = re.compile(r"(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?", re.IGNORECASE)
_GALLERY = re.compile(r"\[gallery\b([^\]]*)\]", re.IGNORECASE)
_EMBED = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]|\[youtube[= ]\s*([^\]\s]+)\s*\]", re.DOTALL | re.IGNORECASE)
_MEDIA = re.compile(r"\[(video|audio)\b([^\]]*)\](?:.*?\[/\1\])?", re.DOTALL | re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_SHORTCODE = re.compile(r"\[([a-zA-Z][\w-]*)(\s+[\w-]+\s*=[^\]]*)\]|\[/([a-zA-Z][\w-]*)\]")
_BLOCK_START = re.compile(r"^\s*<(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|figure|hr|dl|form|address|section"
                          r"|article|aside|header|footer|nav|iframe|script|style|video|audio|!--)[\s>/]",
                          re.IGNORECASE)
_PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL | re.IGNORECASE)
_SIZED = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")


def prepare(content: str, attachments: Mapping[str, tuple[str, str]]) -> tuple[str, list[str]]:
    """Return a post's content as HTML for html_to_markdown, and the unknown shortcodes met in it.

    ``attachments`` maps an attachment id to its URL and alt text (for [gallery ids="..."]).
    """
    content = _CAPTION.sub(_caption, content)
    content = _GALLERY.sub(lambda m: _gallery(m, attachments), content)
    content = _EMBED.sub(lambda m: "\n\n" + html.escape((m.group(1) or m.group(2) or "").strip()) + "\n\n", content)
    content = _MEDIA.sub(_media, content)
    unknown = sorted({m.group(1) or m.group(3) for m in _SHORTCODE.finditer(content)})
    if "<!-- wp:" not in content:
        content = autop(content)
    return content, unknown


def autop(text: str) -> str:
    """Return classic-editor text with its paragraphs: blank lines part them, a line break is a <br>."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group())
        return f"\x00{len(kept) - 1}\x00"

    chunks = re.split(r"\n[ \t]*\n", _PRE.sub(keep, text.replace("\r\n", "\n")))
    out = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        if _BLOCK_START.match(chunk) or chunk.strip().startswith("\x00"):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.strip().replace("\n", "<br>\n") + "</p>")
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], "\n\n".join(out))


def _attributes(text: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or "" for m in _ATTRIBUTE.finditer(text)}


def _caption(match: re.Match[str]) -> str:
    inner = match.group(2)
    picture = _PICTURE.search(inner)
    caption = _attributes(match.group(1)).get("caption", "") or _PICTURE.sub("", inner).strip()
    image = picture.group() if picture else ""
    return f"\n\n<figure>{image}<figcaption>{caption}</figcaption></figure>\n\n"


def _gallery(match: re.Match[str], attachments: Mapping[str, tuple[str, str]]) -> str:
    ids = [i.strip() for i in _attributes(match.group(1)).get("ids", "").split(",") if i.strip()]
    figures = []
    for number in ids:
        if number in attachments:
            url, alt = attachments[number]
            figures.append(f'<figure><img src="{html.escape(url)}" alt="{html.escape(alt)}"></figure>')
    return "\n\n" + "\n\n".join(figures) + "\n\n" if figures else match.group()


def _media(match: re.Match[str]) -> str:
    found = _attributes(match.group(2))
    src = next((found[k] for k in ("src", "mp4", "m4v", "webm", "mp3", "ogg", "wav") if found.get(k)), "")
    return f'\n\n<{match.group(1).lower()} src="{html.escape(src)}"></{match.group(1).lower()}>\n\n' if src else ""


class Uploads:
    """The media of a WordPress site: its wp-content/uploads folder given with --uploads, if any.

    A picture named in a post is looked for under the folder by the part of its URL after
    '/wp-content/uploads/' (or after the host, for *.files.wordpress.com); a resized copy
    (photo-300x200.jpg) is replaced by its original when the folder has it.
    """

    def __init__(self, folder: Path | None, display: str):
        self.folder = folder.resolve() if folder is not None else None
        self.display = display

    def locate(self, reference: str) -> Located:
        """Return the upload a URL names, or why it cannot be copied."""
        relative = _upload_path(reference)
        if relative is None:
            return Located()
        if self.folder is None:
            return Located(remote=True)
        for candidate in (_SIZED.sub("", relative), relative):
            path = self.folder / candidate
            if os.path.realpath(path).startswith(str(self.folder) + os.sep) and path.is_file() \
                    and not path.is_symlink():
                return Located(candidate)
        return Located(missing=f"picture '{reference}' is not in {self.display}/ (looked for {relative})")

    def copy(self, key: str, target: Path) -> None:
        """Copy an upload to a new file."""
        assert self.folder is not None
        source = self.folder / key
        if source.stat().st_size > MAX_MEDIA_BYTES:
            raise CmhubError([error(f"{self.display}/{key}", None, f"is too large (cmhub copies at most "
                                                                    f"{MAX_MEDIA_BYTES // MiB} MiB)")])
        with source.open("rb") as reader, target.open("xb") as writer:
            shutil.copyfileobj(reader, writer)


def _upload_path(url: str) -> str | None:
    """Return the path of an upload under wp-content/uploads/ from its URL, or None when it is not one."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    path = unquote(parts.path)
    if "/wp-content/uploads/" in path:
        relative = path.split("/wp-content/uploads/", 1)[1]
    elif (parts.hostname or "").endswith(".files.wordpress.com"):
        relative = path.lstrip("/")
    else:
        return None
    normal = posixpath.normpath(relative)
    if not relative or normal.startswith(("..", "/")) or "\\" in relative or "\x00" in relative:
        return None
    return normal
