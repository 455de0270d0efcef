"""Pictures for pages: smaller copies of covers and body images for ``srcset``, and every ``<img>`` sized.

A 5 MB photo should not go to every card. Each JPEG, PNG or WebP picture that a shown article uses
(its cover, or an ``<img>`` of its body that points at a file of the site) gets copies at the widths of
``WIDTHS`` below its own, under ``_img/`` (``images/cover.jpg`` -> ``_img/images/cover-800w.jpg``);
pages name them in ``srcset`` and give every ``<img>`` its width and height. The copies are made with
Pillow once and kept in ``.cmhub-cache/pictures/`` (keyed by the file's size and date and cmhub's
version); the same picture always gives the same bytes.

Which copies a picture gets follows from its type and size alone (``variants``): views name them
without opening a file; ``picture_files`` makes them when the output is written.
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from cmhub.content.model import Site
from cmhub.core.imagesize import image_size, image_type
from cmhub.core.locations import CACHE_FOLDER
from cmhub.incremental.reuse import digest, digest_of
from cmhub.incremental.vouched import seal_file, trusted_file
from cmhub.markdown.renderer import IMG_SRC, IMG_TAG
from cmhub.output.atomic import atomic_save
from cmhub.output.files import OutputFile

WIDTHS = (480, 800, 1200, 1600)
"""Widths of the copies, in pixels: a phone's card, a card or column at 2x, a cover at 2x."""
FALLBACK_WIDTH = 800
"""The copy named in ``src``, for browsers that ignore ``srcset`` (the widest not above it)."""
ORIGINAL_UP_TO = 2000
"""A picture up to this wide is offered in ``srcset`` beside its copies (for wide screens at 2x)."""
FOLDER = "_img/"
_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


@dataclass(frozen=True)
class Variant:
    """One smaller copy of a picture."""

    path: str
    """Site path of the copy ("_img/images/cover-800w.jpg")."""
    width: int
    height: int


def variants(path: str, width: int | None, height: int | None) -> tuple[Variant, ...]:
    """Return the copies that the picture at site path ``path`` gets: one per width of WIDTHS below its own.

    None for a picture of another type (GIF, SVG) or of unknown size.
    """
    if image_type(path) not in _FORMATS or not width or not height:
        return ()
    stem, dot, extension = path.rpartition(".")
    return tuple(Variant(f"{FOLDER}{stem}-{w}w{dot}{extension}", w, max(1, round(height * w / width)))
                 for w in WIDTHS if w < width)


@dataclass(frozen=True)
class Sized:
    """How a page shows one picture: ``src``, its size, and ``srcset`` (empty without copies)."""

    src: str
    width: int | None
    height: int | None
    srcset: str = ""


def sized(href: str, base_path: str, width: int | None, height: int | None, path: str) -> Sized:
    """Return the ``src``, size and ``srcset`` of the picture at site path ``path`` (root-relative ``href``).

    With copies, ``src`` is the widest copy up to FALLBACK_WIDTH and ``srcset`` lists the copies, and the
    picture itself up to ORIGINAL_UP_TO pixels wide: a larger one (a 4,000-pixel photo) is never sent to a page.
    """
    made = variants(path, width, height)
    if not made:
        return Sized(href, width, height)
    fallback = [v for v in made if v.width <= FALLBACK_WIDTH][-1]
    candidates = [f"{base_path}{v.path} {v.width}w" for v in made]
    if width is not None and width <= ORIGINAL_UP_TO:
        candidates.append(f"{href} {width}w")
    return Sized(base_path + fallback.path, fallback.width, fallback.height, ", ".join(candidates))


def picture_status(path: Path) -> tuple[int, int] | None:
    """Return a picture file's size and date (what a page's key holds of a picture it sizes), None if absent."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


class BodyPictures:
    """Sizes the ``<img>`` of article bodies that show files of the site; knows each file's size once."""

    def __init__(self, site: Site):
        self.base_path = site.config.base_path
        self.sources: Mapping[str, Path] = {a.path: a.source for a in site.assets if image_type(a.path)}
        self._sizes: dict[str, tuple[int | None, int | None]] = {}
        self._known: dict[str, tuple[int, int]] | None = None

    def digest(self, shown: Iterable[str]) -> str:
        """Return a digest of what the ``<img>`` of a body (its article's ``pictures``) show of the site's
        pictures (each one's size and date, or that it is not one): the pages showing that body change with
        them, and only those ('' for a body that shows none)."""
        if not shown:
            return ""
        statuses = self._statuses()
        return digest_of((src, path, statuses.get(path) if path is not None else None)
                         for src in shown for path in (self._path(src),))

    def _statuses(self) -> dict[str, tuple[int, int]]:
        """Return each site picture's size and date, taken once (the first body asking takes them all)."""
        if self._known is not None:
            return self._known
        found = {path: status for path, source in self.sources.items() if (status := picture_status(source))}
        self._known = found
        return found

    def size(self, path: str) -> tuple[int | None, int | None]:
        """Return (width, height) of the site's picture at ``path``."""
        found = self._sizes.get(path)
        if found is None:
            found = self._sizes[path] = image_size(self.sources[path])
        return found

    def used(self, sources: Iterable[str]) -> Iterator[str]:
        """Yield the site paths of the site's pictures among the addresses of a body's ``<img>`` (as
        ``img_sources`` found them: an article's ``pictures``)."""
        for src in sources:
            path = self._path(src)
            if path is not None:
                yield path

    def rewrite(self, body: str, sizes: str) -> str:
        """Return ``body`` with width, height, ``srcset``, ``sizes`` and lazy loading on each ``<img>`` of
        a site picture (attributes the author wrote are kept)."""
        if "<img" not in body:
            return body

        def fix(match: re.Match[str]) -> str:
            tag = match.group(0)
            src = IMG_SRC.search(tag)
            path = self._path(src.group(1)) if src is not None else None
            if path is None:
                return tag
            width, height = self.size(path)
            shown = sized(self.base_path + path, self.base_path, width, height, path)
            extra = ""
            if shown.src != self.base_path + path:
                tag = IMG_SRC.sub(lambda _: f' src="{html.escape(shown.src)}"', tag, count=1)
            if shown.srcset and " srcset=" not in tag:
                extra += f' srcset="{html.escape(shown.srcset)}" sizes="{sizes}"'
            if shown.width and shown.height and " width=" not in tag and " height=" not in tag:
                extra += f' width="{shown.width}" height="{shown.height}"'
            if " loading=" not in tag:
                extra += ' loading="lazy" decoding="async"'
            end = -2 if tag.endswith("/>") else -1
            return tag[:end].rstrip() + extra + tag[end:]

        return IMG_TAG.sub(fix, body)

    def _path(self, written: str) -> str | None:
        """Return the site path of the site's picture at an ``<img>``'s address as written, else None."""
        src = html.unescape(written)
        if not src.startswith(self.base_path):
            return None
        path = src[len(self.base_path):]
        return path if path in self.sources else None


class PictureMaker:
    """Makes the copies of pictures with Pillow, once: they are kept in ``.cmhub-cache/pictures/``, named
    after their inputs (a copy whose size cannot be read there is made again)."""

    def __init__(self, root: Path):
        self.folder = root / CACHE_FOLDER / "pictures"

    def copy(self, source: Path, variant: Variant) -> Path:
        """Return the cached file of ``variant`` of the picture ``source``, made first if needed."""
        stat = source.stat()
        made_from = digest(source.as_posix(), stat.st_size, stat.st_mtime_ns, variant.width, variant.height)
        target = self.folder / (made_from[:32] + variant.path[variant.path.rfind("."):])
        if not trusted_file(target):  # missing, damaged or not made here: made again (cmhub.incremental.cache)
            atomic_save(target, lambda into: self._make(source, variant, into))
            seal_file(target)
        return target

    @staticmethod
    def _make(source: Path, variant: Variant, into: Path) -> None:
        """Write the copy of ``source`` that ``variant`` describes into ``into``."""
        from PIL import Image, ImageOps  # only here: copies come from the cache in most builds

        with Image.open(source) as picture:
            if getattr(picture, "is_animated", False):  # a still copy would lose the animation: keep it whole
                shutil.copyfile(source, into)
                return
            kind = _FORMATS[image_type(variant.path)]
            icc = picture.info.get("icc_profile")
            picture = ImageOps.exif_transpose(picture)
            if picture.mode not in ("RGB", "RGBA", "L", "LA"):
                picture = picture.convert("RGBA" if "A" in picture.getbands() or "transparency" in picture.info
                                          else "RGB")
            if kind == "JPEG" and picture.mode in ("RGBA", "LA"):
                picture = picture.convert("RGB")
            picture = picture.resize((variant.width, variant.height), Image.Resampling.LANCZOS)
            options: dict[str, object] = {"icc_profile": icc} if icc else {}
            if kind == "JPEG":
                options.update(quality=82, optimize=True, progressive=True)
            elif kind == "PNG":
                options.update(optimize=True)
            else:
                options.update(quality=80, method=4)
            picture.save(into, kind, **options)


def picture_files(site: Site, maker: PictureMaker | None = None) -> Iterator[OutputFile]:
    """Yield the copies of every picture that the shown articles use (covers and body images)."""
    maker = maker or PictureMaker(site.config.root)
    body = BodyPictures(site)
    wanted: dict[str, tuple[Path, int | None, int | None]] = {}
    for article in (*site.shown, *site.shown_pages):
        image = article.image
        if image is not None and image.source is not None:
            wanted.setdefault(image.path, (image.source, image.width, image.height))
        for path in body.used(article.pictures):
            if path not in wanted:
                wanted[path] = (body.sources[path], *body.size(path))
    for path, (source, width, height) in sorted(wanted.items()):
        for variant in variants(path, width, height):
            yield OutputFile(variant.path, source=maker.copy(source, variant), link=True)
