"""A failed or killed build never leaves a mixed site (issue #21.2).

Builds are killed (SIGKILL, through the test-only CMHUB_TEST_HALT hook of cmhub.output.exchange) at every
step of putting the output in place, and system errors (a full disk, a read-only file system,
another file system, no permission) are injected into it: site/ and social/ are then each the old
tree or the new one, byte for byte, and the next build leaves no working tree behind.
"""

from __future__ import annotations

import builtins
import errno
import fcntl
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from tests.conftest import NOW, SITES, tree_digest

NETWORKS = 'networks:\n  x: "@voix"\n  mastodon: "@voix@piaille.example"\n'
EDITED = "content/premier-article.md"


def make_hub(folder: Path, edited: bool = False) -> Path:
    shutil.copytree(SITES / "basic", folder, ignore=shutil.ignore_patterns("expected"))
    with (folder / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write(NETWORKS)
    if edited:
        edit(folder)
    return folder


def edit(root: Path) -> None:
    """Change one article (its page, the lists and feeds it is in, its teasers) and add another."""
    article = root / EDITED
    article.write_text(article.read_text(encoding="utf-8") + "\nUne phrase ajoutée après coup.\n",
                       encoding="utf-8")
    (root / "content" / "nouveau.md").write_text(
        "---\ntitle: Un nouvel article\ndate: 2026-11-20T10:00:00\ntags: [bénévolat, nouveauté]\n---\n"
        "Un texte tout neuf.\n", encoding="utf-8")


def build(root: Path, *extra: str) -> str:
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW, *extra])
    assert result.exit_code == 0, result.output
    return result.output


def outputs(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    return tree_digest(root / "site"), tree_digest(root / "social")


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    """The old and the new outputs, each made by a cold build."""
    old = make_hub(tmp_path_factory.mktemp("old") / "hub")
    build(old, "--no-cache")
    new = make_hub(tmp_path_factory.mktemp("new") / "hub")
    build(new, "--no-cache")
    edit(new)
    build(new, "--no-cache")
    return {"old": outputs(old), "new": outputs(new)}


def built_hub(tmp_path: Path, spare: bool) -> Path:
    """A hub built once (no spare tree yet) or twice (its output has a spare), then edited."""
    root = make_hub(tmp_path / "hub")
    build(root)
    if spare:
        (root / "content" / "troisieme.md").touch()
        build(root)
        assert list((root / ".cmhub-cache" / "trees").glob("site-*.spare"))
    edit(root)
    return root


def leftovers(root: Path) -> list[str]:
    """Working trees a build left (the spares are kept on purpose), and anything beside the outputs."""
    trees = root / ".cmhub-cache" / "trees"
    found = [p.name for p in trees.iterdir() if not p.name.endswith(".spare")] if trees.exists() else []
    found += [p.name for p in root.iterdir() if p.name.startswith((".site", ".social", ".permalinks"))]
    return found


def assert_old_or_new(root: Path, trees: dict[str, tuple]) -> None:
    site, social = outputs(root)
    assert site in (trees["old"][0], trees["new"][0]), "site/ is a mix of two builds"
    assert social in (trees["old"][1], trees["new"][1]), "social/ is a mix of two builds"


KILLS = [("staging", 1), ("staging", 4), ("before-exchange", 1), ("before-exchange", 2), ("after-exchange", 1),
         ("after-manifest", 1), ("after-exchange", 2), ("spare", 1), ("spare", 3)]


@pytest.mark.parametrize("spare", [True, False], ids=["with-spare", "first-swap"])
@pytest.mark.parametrize(("point", "count"), [pytest.param(*kill, marks=() if kill[0] in
                                              ("staging", "after-exchange") and kill[1] == 1 else pytest.mark.slow)
                                              for kill in KILLS])
def test_a_build_killed_at_any_step_leaves_the_old_tree_or_the_new_one(tmp_path: Path, trees: dict[str, tuple],
                                                                       spare: bool, point: str, count: int) -> None:
    root = built_hub(tmp_path, spare)
    env = {**os.environ, "CMHUB_TEST_HALT": f"{point}:{count}"}
    done = subprocess.run([sys.executable, "-m", "cmhub", "build", "-C", str(root), "--now", NOW, "-q"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == -9, done.stderr  # killed at that step
    assert_old_or_new(root, trees)
    build(root)
    assert outputs(root) == trees["new"]
    assert leftovers(root) == []


def _fail_on(monkeypatch: pytest.MonkeyPatch, root: Path, where: str, function: str, code: int,
             after: int = 0) -> None:
    """Make ``where.function`` raise OSError(code) from its ``after``-th call on a path of the outputs, of
    their working trees or of their manifests (``where`` is a module, or ``module.os`` for the os module as
    that module uses it)."""
    module = importlib.import_module(where.removesuffix(".os"))
    owner = module.os if where.endswith(".os") else module
    real = getattr(owner, function, None) or getattr(builtins, function)
    watched = tuple(str(root / name) for name in ("site", "social", ".cmhub-cache/trees", ".cmhub-cache/.site",
                                                  ".cmhub-cache/.social"))
    calls = []

    def failing(*args: object, **kwargs: object) -> object:
        if any(str(a).startswith(watched) for a in args[:2]):
            calls.append(args)
            if len(calls) > after:
                raise OSError(code, os.strerror(code), str(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, function, failing, raising=False)


INJECTED = [
    ("cmhub.output.staging", "open", errno.ENOSPC, 3, "no space left on the device"),
    ("cmhub.output.writer", "exchange", errno.EXDEV, 0, "another file system"),
    ("cmhub.output.writer", "exchange", errno.EROFS, 0, "read-only file system"),
    ("cmhub.output.writer", "write_sealed", errno.ENOSPC, 0, "no space left on the device"),
    ("cmhub.output.staging", "open", errno.EACCES, 0, "permission denied"),
    ("cmhub.output.writer.os", "mkdir", errno.EROFS, 0, "read-only file system"),
]


@pytest.mark.parametrize(("where", "function", "code", "after", "reason"), INJECTED,
                         ids=[f"{w.split('.')[-1]}.{f}-{errno.errorcode[c]}" for w, f, c, _, _ in INJECTED])
@pytest.mark.parametrize("spare", [True, False], ids=["with-spare", "first-swap"])
def test_a_system_error_while_writing_is_a_message_and_changes_nothing(
        tmp_path: Path, trees: dict[str, tuple], monkeypatch: pytest.MonkeyPatch, spare: bool,
        where: str, function: str, code: int, after: int, reason: str) -> None:
    root = built_hub(tmp_path, spare)
    before = outputs(root)
    ledger = (root / "permalinks.lock").read_bytes()
    _fail_on(monkeypatch, root, where, function, code, after)
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "output folder '" in result.stderr and reason in result.stderr, result.stderr
    assert result.stderr.strip().endswith("nothing was written")
    assert outputs(root) == before
    assert (root / "permalinks.lock").read_bytes() == ledger
    build(root)
    assert outputs(root) == trees["new"]
    assert leftovers(root) == []


@pytest.mark.parametrize("code", [errno.EXDEV, errno.EPERM, errno.EMLINK])
@pytest.mark.parametrize("spare", [True, False], ids=["with-spare", "first-swap"])
def test_without_hard_links_files_are_copied(tmp_path: Path, trees: dict[str, tuple],
                                             monkeypatch: pytest.MonkeyPatch, spare: bool, code: int) -> None:
    root = built_hub(tmp_path, spare)
    _fail_on(monkeypatch, root, "cmhub.output.staging.os", "link", code)
    build(root)
    monkeypatch.undo()
    assert outputs(root) == trees["new"]
    build(root)
    assert outputs(root) == trees["new"]
    assert leftovers(root) == []


@pytest.mark.parametrize(("patch", "message"), [
    ("access", "output folder 'site': the folder that holds it is not writable (permission denied)"),
    ("statvfs", "output folder 'site': no space left on the device (less than 1 MiB free); nothing was changed"),
    ("ismount", "output folder 'site' is a mount point: cmhub replaces the whole folder at the end of a build"),
])
def test_the_commit_is_checked_before_anything_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           patch: str, message: str) -> None:
    root = built_hub(tmp_path, spare=True)
    before = outputs(root)
    site = str(root / "site")
    if patch == "access":
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda p, mode: real_access(p, mode)
                            and not (str(p) == str(root) and mode & os.W_OK))
    elif patch == "statvfs":
        real = os.statvfs
        full = os.statvfs_result((4096, 4096, 100, 0, 0, 100, 0, 0, 0, 255))
        monkeypatch.setattr(os, "statvfs", lambda p: full if str(p) == str(root) else real(p))
    else:
        real_ismount = os.path.ismount
        monkeypatch.setattr(os.path, "ismount", lambda p: str(p) == site or real_ismount(p))
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])
    monkeypatch.undo()
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"site.yml: {message}" in result.stderr, result.stderr
    assert outputs(root) == before
    assert leftovers(root) == []


def test_the_first_tree_is_renamed_in_place_and_a_failure_there_changes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_hub(tmp_path / "hub")
    _fail_on(monkeypatch, root, "cmhub.output.writer.os", "rename", errno.EACCES)
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])
    monkeypatch.undo()
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "site.yml: output folder 'site' could not be written: permission denied; the previous output is " \
           "unchanged" in result.stderr
    assert not (root / "site").exists() and not (root / "social").exists()
    assert not (root / "permalinks.lock").exists()
    build(root)
    assert leftovers(root) == []


def test_a_second_build_of_the_same_project_waits_for_none_and_says_why(tmp_path: Path) -> None:
    root = built_hub(tmp_path, spare=False)
    before = outputs(root)
    with open(root / ".cmhub-cache" / "build.lock", "r+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another build holds the lock
        held.seek(0)
        held.truncate()
        held.write("4242\n")
        held.flush()
        result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert ".cmhub-cache/build.lock: another cmhub build of this project is running (process 4242); " \
           "wait for it to end, then build again" in result.stderr
    assert outputs(root) == before


def test_working_trees_a_stopped_build_left_are_deleted(tmp_path: Path, trees: dict[str, tuple]) -> None:
    root = built_hub(tmp_path, spare=True)
    trees_folder = root / ".cmhub-cache" / "trees"
    spare = next(trees_folder.glob("site-*.spare"))
    stale = trees_folder / spare.name.replace(".spare", ".new-99999")
    shutil.copytree(root / "site", stale)
    (trees_folder / spare.name.replace(".spare", ".new-88888.old")).mkdir()
    build(root)
    assert outputs(root) == trees["new"]
    assert leftovers(root) == []


def test_a_content_folder_named_like_a_generated_file_is_a_message(tmp_path: Path) -> None:
    root = built_hub(tmp_path, spare=True)
    before = outputs(root)
    (root / "content" / "feed.xml").mkdir()
    (root / "content" / "feed.xml" / "notes.txt").write_text("notes", encoding="utf-8")
    (root / "content" / "tags" / "facebook").mkdir(parents=True)
    (root / "content" / "tags" / "facebook" / "index.html").write_text("<p>mine</p>", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "content/" in result.stderr.splitlines()[0], result.stderr
    assert "rename or move it" in result.stderr
    assert outputs(root) == before
    assert leftovers(root) == []


@pytest.mark.parametrize("cache", [[], ["--no-cache"]], ids=["cached", "no-cache"])
def test_a_build_that_fails_while_writing_leaves_no_temporary_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    cache: list[str]) -> None:
    root = built_hub(tmp_path, spare=True)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    (root / "content" / "feed.xml").mkdir()  # refused by the writer, once the search stage has begun
    (root / "content" / "feed.xml" / "notes.txt").write_text("notes", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--now", NOW, *cache])
    assert result.exit_code == 1 and "rename or move it" in result.stderr, result.output
    assert sorted(p.name for p in temporary.iterdir()) == []
