"""Teaser pictures: the cover cropped to each network's size, or a text card; cached on disk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cmhub.content.model import Article
from cmhub.core.errors import Problem, error
from cmhub.core.locations import CACHE_FOLDER, FONTS
from cmhub.incremental.reuse import digest
from cmhub.incremental.vouched import seal_file, trusted_file
from cmhub.output.atomic import atomic_save

FONT = FONTS / "DejaVuSans-Bold.ttf"
_BACKGROUND = (38, 70, 83)
_FOREGROUND = (250, 246, 238)
_ACCENT = (233, 196, 106)


class UnreadablePicture(Exception):
    """Pillow cannot read a cover's bytes (broken, of an unknown kind, or too large to open)."""


def _wrapped(text: str, font: Any, width: int) -> list[str]:
    """Return the text in lines no wider than ``width`` pixels, broken at breaking spaces only (so a
    French colon after a no-break space stays on its line); a word wider than a line is split."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for character in word:  # a word wider than the line (a title without spaces)
            if line and font.getlength(line + character) > width:
                lines.append(line)
                line = ""
            line += character
    if line:
        lines.append(line)
    return lines


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
        self.problems: dict[tuple[str, Path], Problem] = {}
        """An error for each article's picture that Pillow could not read, by article and picture."""

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
            target = self._path("crop", image.source.as_posix(), stat.st_size, stat.st_mtime_ns, size)
            if not trusted_file(target):  # missing, damaged or not ours: made again
                try:
                    self._crop(image.source, size, target)
                except UnreadablePicture as failure:  # the card stands in; the build says why
                    reason = "not a picture format Pillow knows" if "cannot identify" in str(failure) else failure
                    shown = image.source.relative_to(self.root).as_posix() \
                        if image.source.is_relative_to(self.root) else image.path
                    self.problems[article.source, image.source] = error(
                        article.source, article.lines.get("image") or article.lines.get("syndicate"),
                        f"picture '{shown}' cannot be read ({reason}): replace it with a PNG, JPEG or WebP file")
                    return self._made_card(article, size)
            return Picture(target, *size, generated=False)
        return self._made_card(article, size)

    def _made_card(self, article: Article, size: tuple[int, int]) -> Picture:
        target = self._path("card", article.title, self.site_title, size)
        if not trusted_file(target):  # missing, damaged or not ours: made again
            self._card(article.title, size, target)
        return Picture(target, *size, generated=True)

    def site_card(self, title: str, description: str, size: tuple[int, int]) -> Picture:
        """Return the hub's own card at ``size``: its description (else title) large, its title below."""
        target = self._path("site", title, description, size)
        if not trusted_file(target):  # missing, damaged or not ours: made again
            self._card(description or title, size, target, footer=title)
        return Picture(target, *size, generated=True)

    def _path(self, *made_from: object) -> Path:
        """Return where the picture made from ``made_from`` is kept in the cache."""
        return self.folder / (digest(*made_from)[:32] + ".jpg")

    def _crop(self, source: Path, size: tuple[int, int], target: Path) -> None:
        from PIL import Image as PILImage  # only here: pictures come from the cache in most builds
        from PIL import ImageOps

        try:
            with PILImage.open(source) as picture:
                picture = ImageOps.exif_transpose(picture).convert("RGB")
                fitted = ImageOps.fit(picture, size, method=PILImage.Resampling.LANCZOS, centering=(0.5, 0.5))
        except (PILImage.UnidentifiedImageError, PILImage.DecompressionBombError, SyntaxError) as exc:
            raise UnreadablePicture(str(exc)) from exc
        except OSError as exc:
            if exc.errno is not None:  # the disk, not the picture
                raise
            raise UnreadablePicture(str(exc)) from exc
        self._save(fitted, target)

    def _card(self, title: str, size: tuple[int, int], target: Path, footer: str | None = None) -> None:
        from PIL import Image as PILImage
        from PIL import ImageDraw, ImageFont

        width, height = size
        card = PILImage.new("RGB", size, _BACKGROUND)
        draw = ImageDraw.Draw(card)
        margin = width // 12
        small_size = max(14, width // 28)
        small = ImageFont.truetype(str(FONT), small_size)
        footer_top = height - margin - small_size
        top = margin + 24  # below the accent bar
        font_size = width // 14
        while True:  # the largest type whose lines fit between the bar and the footer
            font = ImageFont.truetype(str(FONT), font_size)
            lines = _wrapped(title, font, width - 2 * margin)
            step = int(font_size * 1.25)
            if len(lines) * step <= footer_top - top - step // 2 or font_size <= 20:
                break
            font_size -= 4
        lines = lines[: max(1, (footer_top - top) // step)]
        y = top + (footer_top - top - step // 2 - len(lines) * step) // 2
        draw.rectangle([margin, y - 24, margin + width // 8, y - 14], fill=_ACCENT)
        for line in lines:
            draw.text((margin, y), line, font=font, fill=_FOREGROUND)
            y += step
        draw.text((margin, footer_top), self.site_title if footer is None else footer, font=small, fill=_ACCENT)
        self._save(card, target)

    @staticmethod
    def _save(picture: Any, target: Path) -> None:
        atomic_save(target, lambda temporary: picture.save(temporary, "JPEG", quality=85, optimize=True))
        seal_file(target)
