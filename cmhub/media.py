"""Teaser pictures: the cover cropped to each network's size, or a text card; cached on disk."""

from __future__ import annotations

import hashlib
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cmhub import __version__
from cmhub.cache import seal_file, trusted_file
from cmhub.errors import CmhubError, error
from cmhub.models import Article

FONT = Path(__file__).parent / "fonts" / "DejaVuSans-Bold.ttf"
CACHE_FOLDER = ".cmhub-cache"
_BACKGROUND = (38, 70, 83)
_FOREGROUND = (250, 246, 238)
_ACCENT = (233, 196, 106)


@dataclass(frozen=True)
class Picture:
    """A teaser picture made (or found) in the cache."""

    file: Path
    width: int
    height: int
    generated: bool


class MediaMaker:
    """Makes teaser pictures once; unchanged inputs reuse the cached file."""

    def __init__(self, root: Path, site_title: str):
        self.root = root
        self.folder = root / CACHE_FOLDER / "media"
        self.site_title = site_title
        self._made: dict[tuple[object, ...], Picture] = {}
        """Pictures already found in this build: many teasers share a cover, or a card at one size."""

    def picture(self, article: Article, size: tuple[int, int]) -> Picture:
        """Return the article's picture at ``size``: its cover cropped, else a text card."""
        image = article.image
        wanted = (image.source, size) if image is not None and image.source is not None else (article.title, size)
        found = self._made.get(wanted)
        if found is None:
            found = self._made[wanted] = self._picture(article, size)
        return found

    def _picture(self, article: Article, size: tuple[int, int]) -> Picture:
        image = article.image
        if image is not None and image.source is not None:
            stat = image.source.stat()
            key = f"crop|{image.source.as_posix()}|{stat.st_size}|{stat.st_mtime_ns}|{size}|{__version__}"
            target = self._path(key)
            if not trusted_file(target):  # missing, damaged or not ours: made again
                self._crop(image.source, size, target)
            return Picture(target, *size, generated=False)
        key = f"card|{article.title}|{self.site_title}|{size}|{__version__}"
        target = self._path(key)
        if not trusted_file(target):  # missing, damaged or not ours: made again
            self._card(article.title, size, target)
        return Picture(target, *size, generated=True)

    def _path(self, key: str) -> Path:
        return self.folder / (hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + ".jpg")

    def _crop(self, source: Path, size: tuple[int, int], target: Path) -> None:
        from PIL import Image as PILImage  # only here: pictures come from the cache in most builds
        from PIL import ImageOps

        try:
            with PILImage.open(source) as picture:
                picture = ImageOps.exif_transpose(picture).convert("RGB")
                fitted = ImageOps.fit(picture, size, method=PILImage.Resampling.LANCZOS, centering=(0.5, 0.5))
        except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError) as exc:  # the picture is broken
            shown = source.relative_to(self.root).as_posix() if source.is_relative_to(self.root) else str(source)
            reason = "not a format it knows" if isinstance(exc, PILImage.UnidentifiedImageError) else str(exc)
            raise CmhubError([error(shown, None, f"cannot be read as a picture ({reason}); replace it with a PNG, "
                                    "JPEG or WebP file")]) from exc
        self._save(fitted, target)

    def _card(self, title: str, size: tuple[int, int], target: Path) -> None:
        from PIL import Image as PILImage
        from PIL import ImageDraw, ImageFont

        width, height = size
        card = PILImage.new("RGB", size, _BACKGROUND)
        draw = ImageDraw.Draw(card)
        margin = width // 12
        font_size = width // 14
        font = ImageFont.truetype(str(FONT), font_size)
        chars = max(8, int((width - 2 * margin) / (font_size * 0.58)))
        lines = textwrap.wrap(title, chars)[:6]
        y = (height - len(lines) * int(font_size * 1.25)) // 2
        draw.rectangle([margin, y - font_size, margin + width // 8, y - font_size + 10], fill=_ACCENT)
        for line in lines:
            draw.text((margin, y), line, font=font, fill=_FOREGROUND)
            y += int(font_size * 1.25)
        small = ImageFont.truetype(str(FONT), max(14, font_size // 2))
        draw.text((margin, height - margin - font_size // 2), self.site_title, font=small, fill=_ACCENT)
        self._save(card, target)

    @staticmethod
    def _save(picture: Any, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}")
        picture.save(temporary, "JPEG", quality=85, optimize=True)
        os.replace(temporary, target)
        seal_file(target)
