"""Bad input: hostile or broken archives, malformed files, failures while writing. Each gives
'file:line: message' or 'file: message', exit 1, no traceback, and nothing half-written."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

import pytest

from cmhub.imports import archive
from tests.imports.conftest import cmhub, snapshot
from tests.imports.exports import INSTAGRAM_LAYOUTS, instagram_media, meta_json, write_instagram, zip_tree

POSTS = INSTAGRAM_LAYOUTS["2024"]


def _hostile_zip(tmp_path: Path, extra: zipfile.ZipInfo, data: bytes = b"pwned") -> Path:
    target = zip_tree(write_instagram(tmp_path / "export"), tmp_path / "hostile.zip")
    with zipfile.ZipFile(target, "a") as bundle:
        bundle.writestr(extra, data)
    return target


def _nothing_written(hub: Path, tmp_path: Path, before: dict[str, tuple[str, int]]) -> None:
    assert snapshot(hub) == before
    assert not (tmp_path / "evil.txt").exists() and not (hub / "evil.txt").exists()
    assert not list(tmp_path.rglob(".cmhub-import-*"))


@pytest.mark.parametrize("name", ["../../evil.txt", "media/../../evil.txt", "/tmp/evil.txt", "C:/evil.txt",
                                  "..\\..\\evil.txt"])
def test_a_zip_whose_entries_escape_the_folder_writes_nothing(hub: Path, tmp_path: Path, name: str) -> None:
    export = _hostile_zip(tmp_path, zipfile.ZipInfo(name))
    before = snapshot(hub)
    result = cmhub("import", "instagram", export, "-C", hub)
    assert result.exit_code == 1
    assert f"{export}: entry '{name}'" in result.stderr and "refusing this archive" in result.stderr
    assert "Traceback" not in result.output
    _nothing_written(hub, tmp_path, before)


def test_a_symbolic_link_in_a_zip_is_refused(hub: Path, tmp_path: Path) -> None:
    link = zipfile.ZipInfo("media/posts/201907/link.jpg")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    export = _hostile_zip(tmp_path, link, b"/etc/passwd")
    before = snapshot(hub)
    result = cmhub("import", "instagram", export, "-C", hub)
    assert result.exit_code == 1 and "is a symbolic link" in result.stderr
    _nothing_written(hub, tmp_path, before)


def test_a_symbolic_link_in_a_folder_export_is_not_followed(hub: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the web")
    export = write_instagram(tmp_path / "export")
    picture = export / "media/posts/201907/17900000000000001.jpg"
    picture.unlink()
    os.symlink(secret, picture)
    result = cmhub("import", "instagram", export, "-C", hub)
    assert result.exit_code == 1
    assert "17900000000000001.jpg: is a symbolic link" in result.stderr
    assert not (hub / "imports.lock").exists() and not list((hub / "content").rglob("*.jpg"))


def test_a_zip_bomb_is_refused(hub: Path, tmp_path: Path) -> None:
    export = tmp_path / "bomb.zip"
    with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(POSTS, b"[" + b" " * (8 * 1024 * 1024) + b"]")
    result = cmhub("import", "instagram", export, "-C", hub)
    assert result.exit_code == 1
    assert f"{export}/{POSTS}: expands" in result.stderr and "zip bomb" in result.stderr


def test_a_file_too_large_is_refused(hub: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_DATA_BYTES", 1000)
    export = write_instagram(tmp_path / "export")
    result = cmhub("import", "instagram", export, "-C", hub)
    assert result.exit_code == 1
    assert f"{export}/{POSTS}: is too large" in result.stderr


def test_malformed_json_is_reported_at_its_line(hub: Path, tmp_path: Path) -> None:
    export = write_instagram(tmp_path / "export")
    text = (export / POSTS).read_text().splitlines()
    text[6] = text[6].rstrip(",")  # a missing comma on line 7
    (export / POSTS).write_text("\n".join(text))
    result = cmhub("import", "instagram", export, "-C", hub)
    assert result.exit_code == 1
    assert f"{export}/{POSTS}:8: is not valid JSON: Expecting ',' delimiter" in result.stderr


def test_a_media_path_climbing_out_of_the_export_is_refused(hub: Path, tmp_path: Path) -> None:
    posts = [{"media": [{"uri": "../../secret.txt", "creation_timestamp": 1561933800, "title": "x"}]}]
    export = write_instagram(tmp_path / "export", posts=posts, media={})
    result = cmhub("import", "instagram", export, "-C", hub)
    assert result.exit_code == 1
    assert f"{export}/{POSTS}:5: '../../secret.txt' is not a path inside the export" in result.stderr


def test_neither_a_zip_nor_a_folder(hub: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "export.zip"
    bogus.write_text("not a zip")
    result = cmhub("import", "instagram", bogus, "-C", hub)
    assert result.exit_code == 1
    assert f"{bogus}: is neither a folder nor a readable zip file" in result.stderr
    missing = cmhub("import", "instagram", tmp_path / "nowhere.zip", "-C", hub)
    assert missing.exit_code == 1 and "nowhere.zip: not found" in missing.stderr


def test_a_failure_while_copying_leaves_nothing_behind(hub: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    export = write_instagram(tmp_path / "export")
    copied = []
    real_copy = archive.Archive.copy

    def failing_copy(self, name, target, limit=None):
        copied.append(name)
        if len(copied) == 4:
            raise OSError(28, "No space left on device", str(target))
        return real_copy(self, name, target, limit)

    monkeypatch.setattr(archive.Archive, "copy", failing_copy)
    before = snapshot(hub)
    result = cmhub("import", "instagram", export, "-C", hub)
    assert result.exit_code == 1, result.output
    assert "cannot be written: No space left on device" in result.stderr
    assert snapshot(hub) == before


def test_a_damaged_import_record_is_reported(hub: Path, tmp_path: Path) -> None:
    (hub / "imports.lock").write_text("# record\ninstagram\tbroken line\n")
    result = cmhub("import", "instagram", write_instagram(tmp_path / "export"), "-C", hub)
    assert result.exit_code == 1
    assert "imports.lock:2: damaged line" in result.stderr


def test_an_entry_that_is_not_a_post_list(hub: Path, tmp_path: Path) -> None:
    export = write_instagram(tmp_path / "export", media=instagram_media())
    (export / POSTS).write_text(meta_json({"posts": "none"}))
    result = cmhub("import", "instagram", export, "-C", hub)
    assert result.exit_code == 1 and f"{POSTS}:1: expected a list of posts" in result.stderr
