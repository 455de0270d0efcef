"""After each kind of edit, a build through the cache writes the same site/ as a cold ``--no-cache`` build,
byte for byte: pages, feeds, resized pictures and the search index in shards."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.site.search import shards
from tests.conftest import NOW, tree_digest


def build(runner: CliRunner, root: Path, *extra: str) -> None:
    result = runner.invoke(main, ["build", "-C", str(root), "--now", NOW, "-q", *extra])
    assert result.exit_code == 0, result.output


def png(width: int, height: int, shade: int) -> bytes:
    """Return a plain grey PNG (big enough for resized copies)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + bytes([shade]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "body": lambda c: rewrite(c / "troisieme.md", "en photos", "en photos et en dessins"),
    "title": lambda c: rewrite(c / "troisieme.md", "title: L’été des bénévoles", "title: L’été des voisins"),
    "date, to another shard": lambda c: rewrite(c / "troisieme.md", "date: 2026-08-15", "date: 2026-10-15"),
    "tags": lambda c: rewrite(c / "troisieme.md", "tags: [bénévolat]", "tags: [bénévolat, été]"),
    "unpublished": lambda c: rewrite(c / "troisieme.md", "---\ntitle: L’été", "---\ndraft: true\ntitle: L’été"),
    "new article": lambda c: (c / "nouveau.md").write_text(
        "---\ntitle: \"Nouveau : un article\"\ndate: 2026-08-20\nimage: images/nouvelle.png\n---\nDu neuf.\n",
        encoding="utf-8"),
    "article deleted": lambda c: (c / "troisieme.md").unlink(),
    "cover picture changed": lambda c: (c / "images" / "couverture.png").write_bytes(png(1400, 900, 90)),
}


@pytest.mark.parametrize("kind", list(EDITS))
def test_an_incremental_build_after_each_kind_of_edit_equals_a_cold_one(basic_site: Path, runner: CliRunner,
                                                                        monkeypatch: pytest.MonkeyPatch,
                                                                        tmp_path: Path, kind: str) -> None:
    monkeypatch.setattr(shards, "SHARD_PAGES", 1)  # shards of a few days: an edit meets several
    content = basic_site / "content"
    (content / "images" / "nouvelle.png").write_bytes(png(1300, 800, 200))
    build(runner, basic_site)
    build(runner, basic_site)  # a second build through the cache, as a writer's session goes
    EDITS[kind](content)
    if kind == "article deleted":  # a published URL leaves only on purpose
        result = runner.invoke(main, ["retire", "/troisieme/", "-C", str(basic_site), "--now", NOW])
        assert result.exit_code == 0, result.output
    build(runner, basic_site)
    cold = tmp_path / "cold"
    build(runner, basic_site, "--no-cache", "--output", str(cold))
    assert tree_digest(basic_site / "site") == tree_digest(cold)
    assert len(list((basic_site / "site" / "pagefind").glob("*/pagefind-entry.json"))) >= 1  # really in shards
