"""An article's cover picture: found under content/, its size read (and kept in the build cache), checked."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from cmhub.content.frontmatter import Header
from cmhub.content.model import Image
from cmhub.content.statuses import file_status
from cmhub.core.errors import Problem, error
from cmhub.core.imagesize import image_size, image_type
from cmhub.core.limits import MAX_PICTURE_PIXELS
from cmhub.incremental.cache import RenderCache
from cmhub.settings.config import SiteConfig


def cover(config: SiteConfig, header: Header, source_dir: str, files: dict[str, Path],
          problems: list[Problem], cache: RenderCache) -> Image | None:
    """Return an article's cover (``image:``), looked for beside the article, then under content/
    (``files``, by their path there); append to ``problems`` why it cannot be used, if so."""
    if not header.image:
        return None
    alt = (header.image_alt or "").strip()
    if header.image.startswith(("http://", "https://")):
        return Image(path=header.image, alt=alt)
    wanted = header.image.lstrip("/")
    candidates = [str(PurePosixPath(source_dir, wanted)) if source_dir else wanted, wanted]
    for candidate in candidates:
        normal = os.path.normpath(candidate).replace(os.sep, "/")
        if normal in files:
            width, height = _image_size(files[normal], cache)
            if not (width and height) and image_type(normal) != "image/svg+xml":
                problems.append(error(header.source, header.lines.get("image"), f"image '{header.image}' cannot "
                                      "be read as a picture (damaged, or not a PNG, JPEG, GIF, WebP or AVIF file): "
                                      "replace the file, or remove 'image:'"))
                return None
            if width and height and width * height > MAX_PICTURE_PIXELS:
                problems.append(error(header.source, header.lines.get("image"), f"image '{header.image}' is "
                                      f"{width}×{height} pixels; a cover may have at most "
                                      f"{MAX_PICTURE_PIXELS // 1_000_000} megapixels (resize it)"))
                return None
            return Image(path=normal, alt=alt, width=width, height=height, source=files[normal])
    problems.append(error(header.source, header.lines.get("image"),
                          f"image '{header.image}' not found (looked beside the article and under content/)"))
    return None


def _image_size(path: Path, cache: RenderCache) -> tuple[int | None, int | None]:
    """Return a picture's size, kept in the cache by the file's status (read again when it changes)."""
    try:
        key = f"size|{path}|{file_status(path)}"
    except OSError:
        return None, None
    size = cache.get(key)
    if size is None:
        size = image_size(path)
        cache.put(key, size)
    return size
