"""The writer: refuses folders that are not its own, and swaps a whole new output in, or nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from cmhub.core.errors import CmhubError
from cmhub.output.files import OutputFile
from cmhub.output.writer import MARKER, WriteReport, check_output_folder, write_folder
from tests.conftest import tree_digest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A hub folder with content/ and theme/ holding one file each."""
    root = tmp_path / "hub"
    (root / "content").mkdir(parents=True)
    (root / "theme").mkdir()
    (root / "content" / "a.md").write_text("---\ntitle: A\n---\n", encoding="utf-8")
    (root / "theme" / "base.html").write_text("<html></html>", encoding="utf-8")
    (root / "site.yml").write_text("title: T\n", encoding="utf-8")
    return root


def snapshot(folder: Path) -> tuple[dict[str, str], list[str]]:
    """Return the bytes digest of every file under folder, and every entry (folders too)."""
    return tree_digest(folder), sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def check(project: Path, folder: Path) -> None:
    check_output_folder(folder, project, [project / "content", project / "theme"])


def refusal(project: Path, folder: Path) -> str:
    """Return the single message check_output_folder gives for folder."""
    with pytest.raises(CmhubError) as caught:
        check(project, folder)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.severity) == ("site.yml", None, "error")
    return problem.message


# check_output_folder


@pytest.mark.parametrize(
    ("relative", "message"),
    [
        (".", "output folder '.' would replace '.': choose a folder of its own, such as 'site'"),
        ("content", "output folder 'content' would replace 'content': choose a folder of its own, such as 'site'"),
        ("theme", "output folder 'theme' would replace 'theme': choose a folder of its own, such as 'site'"),
        ("content/../theme", "output folder 'theme' would replace 'theme': choose a folder of its own, "
                             "such as 'site'"),
        ("content/site", "output folder 'content/site' is inside 'content': choose a folder of its own, "
                         "such as 'site'"),
        ("theme/static/out", "output folder 'theme/static/out' is inside 'theme': choose a folder of its own, "
                             "such as 'site'"),
    ],
    ids=["project-root", "content", "theme", "theme-via-dotdot", "inside-content", "deep-inside-theme"],
)
def test_check_refuses_project_folders(project: Path, relative: str, message: str) -> None:
    before = tree_digest(project)
    assert refusal(project, project / relative) == message
    assert tree_digest(project) == before


def test_check_refuses_a_parent_of_the_root(project: Path) -> None:
    parent = project.parent
    assert refusal(project, parent) == (
        f"output folder '{parent.resolve()}' would replace '.': choose a folder of its own, such as 'site'")


def test_check_refuses_a_foreign_non_empty_folder_and_deletes_nothing(project: Path) -> None:
    folder = project / "public"
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "rapport.pdf").write_bytes(b"%PDF-1.7 precious")
    (folder / "index.html").write_text("à garder", encoding="utf-8")
    before = tree_digest(project)
    assert refusal(project, folder) == (
        "output folder 'public' exists and was not made by cmhub; empty it, remove it, or choose another "
        "folder (nothing was deleted)")
    assert tree_digest(project) == before
    assert (folder / "docs" / "rapport.pdf").read_bytes() == b"%PDF-1.7 precious"


def test_check_refuses_a_folder_with_only_hidden_files(project: Path) -> None:
    folder = project / "public"
    folder.mkdir()
    (folder / ".git").write_text("gitdir: elsewhere", encoding="utf-8")
    assert "was not made by cmhub" in refusal(project, folder)
    assert (folder / ".git").exists()


def test_check_refuses_a_marker_that_is_a_folder(project: Path) -> None:
    folder = project / "public"
    (folder / MARKER).mkdir(parents=True)
    assert "was not made by cmhub" in refusal(project, folder)


def test_check_refuses_a_file(project: Path) -> None:
    (project / "site").write_text("pas un dossier", encoding="utf-8")
    assert refusal(project, project / "site") == "output folder 'site' is a file, not a folder"


@pytest.mark.parametrize("setup", ["missing", "empty", "marked"])
def test_check_accepts_a_folder_of_its_own(project: Path, setup: str) -> None:
    folder = project / "site"
    if setup != "missing":
        folder.mkdir()
    if setup == "marked":
        (folder / MARKER).write_text("cmhub", encoding="utf-8")
        (folder / "index.html").write_text("old", encoding="utf-8")
    check(project, folder)


def test_check_accepts_a_folder_outside_the_project(project: Path, tmp_path: Path) -> None:
    check(project, tmp_path / "elsewhere" / "site")


# write_folder


def test_write_folder_writes_bytes_and_copies_sources(project: Path) -> None:
    picture = project / "content" / "logo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n")
    folder = project / "site"
    report = write_folder([
        OutputFile("index.html", data="<h1>Été</h1>".encode()),
        OutputFile("images/logo.png", source=picture),
        OutputFile("tags/x/page/2/index.html", data=b""),
    ], folder)
    assert report == WriteReport(folder.resolve(), 3)
    assert (folder / "index.html").read_bytes() == "<h1>Été</h1>".encode()
    assert (folder / "images" / "logo.png").read_bytes() == b"\x89PNG\r\n\x1a\n"
    assert (folder / "tags" / "x" / "page" / "2" / "index.html").read_bytes() == b""
    assert picture.exists()


def test_bytes_already_in_a_file_are_linked_and_written_when_the_file_is_gone(project: Path) -> None:
    made = project / "made.html"
    made.write_bytes(b"<p>page</p>")
    folder = project / "site"
    write_folder([OutputFile("linked.html", b"<p>page</p>", source=made, link=True),
                  OutputFile("written.html", b"<p>other</p>", source=project / "gone.html", link=True)], folder)
    assert (folder / "linked.html").stat().st_ino == made.stat().st_ino  # its bytes were not written again
    assert (folder / "written.html").read_bytes() == b"<p>other</p>"  # no file to link: its bytes


def test_write_folder_leaves_a_marker_that_check_accepts(project: Path) -> None:
    folder = project / "site"
    write_folder([OutputFile("index.html", data=b"x")], folder)
    assert (folder / MARKER).is_file()
    check(project, folder)


def test_write_folder_replaces_previous_content_whole(project: Path) -> None:
    folder = project / "site"
    write_folder([OutputFile("index.html", data=b"v1"), OutputFile("ancien/index.html", data=b"old")], folder)
    write_folder([OutputFile("index.html", data=b"v2"), OutputFile("nouveau/index.html", data=b"new")], folder)
    assert sorted(tree_digest(folder)) == [MARKER, "index.html", "nouveau/index.html"]
    assert (folder / "index.html").read_bytes() == b"v2"
    assert not (folder / "ancien").exists()


def test_write_folder_leaves_nothing_beside_the_folder(project: Path) -> None:
    folder = project / "site"
    write_folder([OutputFile("index.html", data=b"v1")], folder)
    write_folder([OutputFile("index.html", data=b"v2")], folder)
    assert sorted(p.name for p in project.iterdir()) == ["content", "site", "site.yml", "theme"]


def test_write_folder_creates_missing_parents(tmp_path: Path) -> None:
    folder = tmp_path / "deep" / "er" / "site"
    write_folder([OutputFile("feed.xml", data=b"<rss/>")], folder)
    assert (folder / "feed.xml").read_bytes() == b"<rss/>"


@pytest.fixture(params=["swap", "in-place"])
def manifest(request: pytest.FixtureRequest, tmp_path: Path) -> Path | None:
    """No manifest: the whole folder is swapped; a manifest: the previous output is updated in place."""
    return None if request.param == "swap" else tmp_path / "cache" / "site.manifest.json"


def _previous_site(project: Path, manifest: Path | None = None) -> Path:
    folder = project / "site"
    write_folder([OutputFile("index.html", data=b"previous"), OutputFile("a/index.html", data=b"A")], folder,
                 manifest)
    return folder


def test_failure_midway_keeps_previous_folder_byte_identical(project: Path, manifest: Path | None) -> None:
    folder = _previous_site(project, manifest)
    before = snapshot(folder)
    entries_before = sorted(p.name for p in project.iterdir())

    def files() -> Iterator[OutputFile]:
        yield OutputFile("index.html", data=b"new")
        yield OutputFile("b/index.html", data=b"B")
        raise RuntimeError("template exploded")

    with pytest.raises(RuntimeError, match="template exploded"):
        write_folder(files(), folder, manifest)
    assert snapshot(folder) == before
    assert sorted(p.name for p in project.iterdir()) == entries_before


def test_missing_source_keeps_previous_folder(project: Path, manifest: Path | None) -> None:
    folder = _previous_site(project, manifest)
    before = snapshot(folder)
    with pytest.raises(FileNotFoundError):
        write_folder([OutputFile("index.html", data=b"new"),
                      OutputFile("images/gone.png", source=project / "content" / "gone.png")], folder,
                     manifest)
    assert snapshot(folder) == before
    assert sorted(p.name for p in project.iterdir()) == ["content", "site", "site.yml", "theme"]


def test_two_outputs_with_the_same_path_are_a_user_error(project: Path, manifest: Path | None) -> None:
    folder = _previous_site(project, manifest)
    before = snapshot(folder)
    with pytest.raises(CmhubError) as caught:
        write_folder([OutputFile("about/index.html", data=b"page"),
                      OutputFile("feed.xml", data=b"<rss/>"),
                      OutputFile("about/index.html", data=b"copied from content/")], folder, manifest)
    assert [str(p) for p in caught.value.problems] == [
        "about/index.html: two outputs want this same path; a file under content/ may clash with a generated page"
    ]
    assert snapshot(folder) == before
    assert sorted(p.name for p in project.iterdir()) == ["content", "site", "site.yml", "theme"]


@pytest.mark.parametrize("path", ["../evil.html", "/etc/evil", "a\\b.html", MARKER, ""],
                         ids=["parent", "absolute", "backslash", "marker", "empty"])
def test_unsafe_output_path_is_our_bug_and_writes_nothing(project: Path, path: str,
                                                         manifest: Path | None) -> None:
    folder = _previous_site(project, manifest)
    before = snapshot(folder)
    with pytest.raises(ValueError, match="unsafe output path"):
        write_folder([OutputFile(path, data=b"x")], folder, manifest)
    assert snapshot(folder) == before
    assert not (project / "evil.html").exists()


def test_output_without_data_or_source_is_our_bug(project: Path) -> None:
    with pytest.raises(ValueError, match="has neither data nor source"):
        write_folder([OutputFile("index.html")], project / "site")
    assert not (project / "site").exists()
    assert sorted(p.name for p in project.iterdir()) == ["content", "site.yml", "theme"]


# in-place update (a manifest of the previous write is known)


def test_in_place_update_touches_only_what_changed(project: Path, tmp_path: Path) -> None:
    folder, manifest = project / "site", tmp_path / "site.manifest.json"
    write_folder([OutputFile("index.html", data=b"v1"), OutputFile("same/index.html", data=b"same"),
                  OutputFile("old/deep/index.html", data=b"old"), OutputFile("edited.html", data=b"ours")],
                 folder, manifest)
    same = (folder / "same" / "index.html").stat()
    (folder / "stray.txt").write_text("left by hand", encoding="utf-8")
    (folder / "same" / "stray.txt").write_text("left by hand, deeper", encoding="utf-8")
    (folder / "stray-folder" / "inside").mkdir(parents=True)
    (folder / "stray-folder" / "inside" / "x.html").write_text("a whole folder", encoding="utf-8")
    (folder / "edited.html").write_bytes(b"changed by hand")
    report = write_folder([OutputFile("index.html", data=b"v2"), OutputFile("same/index.html", data=b"same"),
                           OutputFile("edited.html", data=b"ours"), OutputFile("new/index.html", data=b"new")],
                          folder, manifest)
    assert report.files == 4
    assert tree_digest(folder) == tree_digest_of({MARKER: None, "index.html": b"v2", "same/index.html": b"same",
                                                  "edited.html": b"ours", "new/index.html": b"new"}, folder)
    kept = (folder / "same" / "index.html").stat()
    assert (kept.st_ino, kept.st_mtime_ns) == (same.st_ino, same.st_mtime_ns)
    assert not (folder / "old").exists()
    assert sorted(p.name for p in folder.parent.iterdir()) == ["content", "site", "site.yml", "theme"]


def tree_digest_of(files: dict[str, bytes | None], folder: Path) -> dict[str, str]:
    """Return what tree_digest gives for a folder holding ``files`` (None: the file as it is in ``folder``)."""
    return {path: hashlib.sha256(data if data is not None else (folder / path).read_bytes()).hexdigest()
            for path, data in sorted(files.items())}


def test_in_place_update_turns_a_file_into_a_folder_and_back(project: Path, tmp_path: Path) -> None:
    folder, manifest = project / "site", tmp_path / "site.manifest.json"
    write_folder([OutputFile("a", data=b"file"), OutputFile("b/index.html", data=b"page")], folder, manifest)
    write_folder([OutputFile("a/index.html", data=b"page"), OutputFile("b", data=b"file")], folder, manifest)
    assert (folder / "a" / "index.html").read_bytes() == b"page"
    assert (folder / "b").read_bytes() == b"file"


@pytest.mark.parametrize("stop", ["linking", "swapping", "manifest"])
def test_a_write_cut_short_leaves_the_old_tree_or_the_new_one(project: Path, tmp_path: Path, stop: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A write stopped while it makes its tree, at the swap or just after it: old or new, never a mix."""
    folder, manifest = project / "site", tmp_path / "site.manifest.json"
    write_folder([OutputFile(f"p{i}/index.html", data=b"v1") for i in range(4)], folder, manifest)
    write_folder([OutputFile(f"p{i}/index.html", data=b"v1") for i in range(4)], folder, manifest)  # a spare

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt  # the build is stopped (Ctrl-C) at that moment

    target = {"linking": "cmhub.output.staging.os.link", "swapping": "cmhub.output.writer.exchange",
              "manifest": "cmhub.output.writer.os.replace"}[stop]
    monkeypatch.setattr(target, interrupted)
    new = [OutputFile(f"p{i}/index.html", data=b"v2" if i % 2 else b"v1") for i in range(4)]
    try:
        write_folder(new, folder, manifest)
    except KeyboardInterrupt:
        pass
    monkeypatch.undo()
    pages = [(folder / f"p{i}" / "index.html").read_bytes() for i in range(4)]
    assert pages in ([b"v1"] * 4, [b"v1", b"v2", b"v1", b"v2"])
    write_folder(new, folder, manifest)
    assert [(folder / f"p{i}" / "index.html").read_bytes() for i in range(4)] == [b"v1", b"v2", b"v1", b"v2"]
    assert sorted(p.name for p in folder.parent.iterdir()) == ["content", "site", "site.yml", "theme"]
    assert [p.name for p in (tmp_path / "trees").iterdir()] == [p.name for p in (tmp_path / "trees").glob("*.spare")]


def test_the_manifest_a_write_just_made_is_not_read_back_but_equals_what_reading_gives(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cmhub.output import manifest as manifests

    folder, manifest = project / "site", tmp_path / "site.manifest.json"
    write_folder([OutputFile("index.html", data=b"v1"), OutputFile("a/index.html", data=b"a")], folder, manifest)
    assert str(manifest) in manifests._KEPT
    kept = manifests.read_manifest(manifest, folder.resolve())
    monkeypatch.setattr(manifests, "_KEPT", {})
    read = manifests.read_manifest(manifest, folder.resolve())
    assert kept is not None and kept == read and set(kept.files) == {"index.html", "a/index.html"}
    kept.files.clear()  # what a reader is given is its own copy
    monkeypatch.undo()
    assert manifests.read_manifest(manifest, folder.resolve()) == read


def test_a_manifest_written_over_since_is_read_again(project: Path, tmp_path: Path) -> None:
    from cmhub.output.manifest import read_manifest

    folder, manifest = project / "site", tmp_path / "site.manifest.json"
    write_folder([OutputFile("index.html", data=b"v1")], folder, manifest)
    (project / "x").mkdir()
    # the same folder under another name: a manifest names the folder it describes, and is kept for that name
    assert read_manifest(manifest, project.resolve() / "x" / ".." / "site") is None
    assert read_manifest(manifest, folder.resolve()) is not None
    manifest.write_bytes(manifest.read_bytes().replace(b'"index.html"', b'"../out.html"'))  # seal no longer matches
    assert read_manifest(manifest, folder.resolve()) is None


def test_the_previous_output_looks_at_each_file_once_a_build(project: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from cmhub.output import previous as previous_module
    from cmhub.output.previous import PreviousOutput

    folder, manifest = project / "site", tmp_path / "site.manifest.json"
    write_folder([OutputFile("a/index.html", data=b"page", key="k1")], folder, manifest)
    looked: list[str] = []
    real = previous_module.same_file
    monkeypatch.setattr(previous_module, "same_file", lambda path, known: (looked.append(path), real(path, known))[1])
    build = PreviousOutput(folder, manifest)
    assert build.holds("a/index.html", "k1") and build.holds("a/index.html", "k1")
    assert not build.holds("a/index.html", "k2")
    assert len(looked) == 1  # the pages' plan and the search stage ask of it: one lstat
    assert build.intact("a/index.html") is not None and len(looked) == 2  # read back: looked at as it is read
    (folder / "a" / "index.html").write_bytes(b"changed by hand")
    assert build.holds("a/index.html", "k1")  # what this build saw (nothing changes it while it holds the lock)
    assert build.intact("a/index.html") is None
    assert not PreviousOutput(folder, manifest).holds("a/index.html", "k1")  # the next build looks again
