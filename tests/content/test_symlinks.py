"""Symbolic links publish nothing from outside (issue #21.4).

Links in content/ and theme/static/ to files outside them, to folders, broken ones and loops are
left out with a warning naming them; never a traceback, never a byte of their target in site/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from tests.conftest import NOW, SITES


@pytest.fixture
def hub(tmp_path: Path) -> Path:
    root = tmp_path / "hub"
    shutil.copytree(SITES / "basic", root, ignore=shutil.ignore_patterns("expected"))
    secret = tmp_path / "elsewhere"
    secret.mkdir()
    (secret / "credentials.txt").write_text("zq-secret-password\n", encoding="utf-8")
    (secret / "article.md").write_text("---\ntitle: zq outside article\ndate: 2026-01-01\n---\nzq outside body\n",
                                       encoding="utf-8")
    content = root / "content"
    (content / "passwd.txt").symlink_to("/etc/passwd")
    (content / "credentials.txt").symlink_to(secret / "credentials.txt")
    (content / "outside.md").symlink_to(secret / "article.md")
    (content / "elsewhere").symlink_to(secret, target_is_directory=True)
    (content / "etc").symlink_to("/etc", target_is_directory=True)
    (content / "dangling.png").symlink_to(content / "missing.png")
    (content / "loop.png").symlink_to(content / "loop.png")
    (content / "ping.png").symlink_to(content / "pong.png")
    (content / "pong.png").symlink_to(content / "ping.png")
    (content / "logo-again.png").symlink_to(content / "images" / "logo.png")  # inside: fine
    static = root / "theme" / "static"
    static.mkdir(parents=True)
    (static / "leak.css").symlink_to("/etc/passwd")
    (static / "shared").symlink_to(secret, target_is_directory=True)
    return root


def build(root: Path, *extra: str):  # noqa: ANN201 - click's Result
    return CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW, *extra])


def test_links_out_of_the_published_folders_are_left_out_with_a_warning(hub: Path) -> None:
    result = build(hub)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    warnings = [line for line in result.stderr.splitlines() if "warning: is a" in line]
    assert sorted(w.split(":")[0] for w in warnings) == [
        "content/credentials.txt", "content/dangling.png", "content/elsewhere", "content/etc", "content/loop.png",
        "content/outside.md", "content/passwd.txt", "content/ping.png", "content/pong.png", "theme/static/leak.css",
        "theme/static/shared"]
    assert "content/passwd.txt: warning: is a link to a file outside content/ (copy the file into content/ " \
           "instead); it is not published" in result.stderr
    site = hub / "site"
    passwd = Path("/etc/passwd").read_bytes()
    for path in site.rglob("*"):
        assert not path.is_symlink(), path
        if path.is_file():
            data = path.read_bytes()
            assert b"zq-secret-password" not in data and b"zq outside" not in data, path
            assert passwd not in data, path
    assert not (site / "passwd.txt").exists() and not (site / "static" / "leak.css").exists()
    assert (site / "logo-again.png").read_bytes() == (hub / "content" / "images" / "logo.png").read_bytes()


def test_strict_makes_those_links_errors(hub: Path) -> None:
    result = build(hub, "--strict")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "content/passwd.txt: warning: is a link to a file outside content/" in result.stderr
    assert not (hub / "site").exists()


def test_an_article_pointing_at_a_link_out_is_an_error_at_its_line(hub: Path) -> None:
    article = hub / "content" / "troisieme.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("---\n", "---\nimage: passwd.txt\nimage_alt: x\n", 1), encoding="utf-8")
    result = build(hub)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "content/troisieme.md:2: image 'passwd.txt' not found" in result.stderr


def test_the_content_folder_itself_may_be_a_link(tmp_path: Path) -> None:
    root = tmp_path / "hub"
    shutil.copytree(SITES / "basic", root, ignore=shutil.ignore_patterns("expected"))
    shutil.move(root / "content", tmp_path / "real-content")
    os.symlink(tmp_path / "real-content", root / "content")
    result = build(root)
    assert result.exit_code == 0, result.output
    assert (root / "site" / "a-propos.pdf").is_file()
