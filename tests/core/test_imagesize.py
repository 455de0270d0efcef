"""Cover sizes read from the files' first bytes are the sizes Pillow reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from cmhub.core.imagesize import image_size

FORMATS = [
    ("png", "RGB", {}), ("png", "RGBA", {}), ("gif", "P", {}), ("jpeg", "RGB", {}),
    ("jpeg", "RGB", {"progressive": True}), ("jpeg", "L", {"exif": Image.Exif()}),
    ("webp", "RGB", {"lossless": False}), ("webp", "RGB", {"lossless": True}), ("webp", "RGBA", {"lossless": False}),
    ("bmp", "RGB", {}), ("tiff", "RGB", {}),
]


@pytest.mark.parametrize(("kind", "mode", "options"), FORMATS,
                         ids=[f"{k}-{m}-{'-'.join(o) or 'plain'}" for k, m, o in FORMATS])
@pytest.mark.parametrize("size", [(1, 1), (1201, 799), (16383, 3)], ids=["tiny", "odd", "wide"])
def test_size_is_the_one_pillow_reads(tmp_path: Path, kind: str, mode: str, options: dict,
                                      size: tuple[int, int]) -> None:
    if kind == "webp" and max(size) > 16383:
        pytest.skip("WebP pictures are at most 16383 pixels wide")
    path = tmp_path / f"picture.{kind}"
    Image.new(mode, size).save(path, kind.upper(), **options)
    with Image.open(path) as picture:
        assert image_size(path) == picture.size == size


def test_jpeg_with_a_large_exif_block_before_its_frame(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x010E] = "x" * 40_000  # ImageDescription: pushes the frame header 40 KB into the file
    path = tmp_path / "exif.jpg"
    Image.new("RGB", (640, 480)).save(path, "JPEG", exif=exif)
    assert image_size(path) == (640, 480)


@pytest.mark.parametrize("data", [b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"\xff\xd8\xff\xe0\x00", b"GIF8",
                                  b"not a picture at all"],
                         ids=["empty", "png-cut", "jpeg-cut", "jpeg-cut-in-segment", "gif-cut", "text"])
def test_a_broken_file_has_no_size(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "broken.img"
    path.write_bytes(data)
    assert image_size(path) == (None, None)
