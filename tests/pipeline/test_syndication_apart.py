"""The teasers and social/ made by a forked process while the pages render (cmhub/pipeline/syndication.py):
the same bytes as when made in one process; a mistake or a bug met there is reported as if met here, and
both output folders, the ledgers and the caches are left as they were."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmhub.cli.verbs import main
from cmhub.core.errors import CmhubError, error
from cmhub.pipeline import syndication
from tests.conftest import NOW, tree_digest


def _build(runner: CliRunner, root: Path):  # noqa: ANN202 - click's Result
    return runner.invoke(main, ["build", "-C", str(root), "--now", NOW, "-q"])


@pytest.fixture
def built(basic_site: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample hub with two networks, built once, then edited (the next build has work to do),
    with the step made apart as on this project's 2-core machines."""
    monkeypatch.setattr(syndication, "worker_count", lambda: 2)
    monkeypatch.setattr(syndication, "APART_FROM", 1)  # the sample hub is small
    with (basic_site / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write('networks:\n  x: "@voix"\n  mastodon: "@voix@piaille.example"\n')
    assert _build(runner, basic_site).exit_code == 0
    article = basic_site / "content" / "troisieme.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    return basic_site


def _state(root: Path) -> dict[str, object]:
    """The outputs and ledgers a failed build must leave as they were."""
    return {"site": tree_digest(root / "site"), "social": tree_digest(root / "social"),
            "plan": (root / "plan.lock").read_bytes(), "permalinks": (root / "permalinks.lock").read_bytes()}


def test_the_step_made_apart_equals_the_step_made_here(built: Path, runner: CliRunner,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    twin = built.parent / "twin"
    shutil.copytree(built, twin, symlinks=True)
    forks = []
    apart = syndication.SyndicationApart
    monkeypatch.setattr(syndication, "SyndicationApart", lambda *args: forks.append(1) or apart(*args))
    assert _build(runner, built).exit_code == 0
    assert forks == [1]
    monkeypatch.setattr(syndication, "worker_count", lambda: 1)  # one core: everything in this process
    assert _build(runner, twin).exit_code == 0
    assert forks == [1]
    for name in ("site", "social"):
        assert tree_digest(built / name) == tree_digest(twin / name), name
    assert (built / "plan.lock").read_bytes() == (twin / "plan.lock").read_bytes()

    # the teaser cache the child saved serves the next build (this process left it as the child saved it)
    from cmhub.social.teasers import TeaserWriter

    made: list[str] = []
    article_teasers = TeaserWriter._article_teasers
    monkeypatch.setattr(TeaserWriter, "_article_teasers",
                        lambda self, article, networks: made.append(article.source) or article_teasers(
                            self, article, networks))
    other = built / "content" / "premier-article.md"
    other.write_text(other.read_text(encoding="utf-8") + "\nUne autre phrase.\n", encoding="utf-8")
    assert _build(runner, built).exit_code == 0  # one core still: the teasers are made in this process
    assert made == ["content/premier-article.md"]


def test_a_teaser_too_long_made_apart_fails_the_build_and_keeps_everything(built: Path, runner: CliRunner) -> None:
    article = built / "content" / "troisieme.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("---\n", "---\nsyndicate:\n  x:\n    text: \"" + "Trop long. " * 40 + "\"\n", 1),
                       encoding="utf-8")
    before = _state(built)
    result = _build(runner, built)
    assert result.exit_code == 1, result.output
    assert "content/troisieme.md:" in result.output and "Traceback" not in result.output
    assert _state(built) == before
    assert not list((built / ".cmhub-cache" / "trees").glob("*.new-*"))  # no half-made tree left


def _failing(failure: BaseException):  # noqa: ANN202 - a stand-in for export_files
    def exports(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise failure
        yield  # a generator, as export_files is

    return exports


def test_a_mistake_met_while_social_is_staged_apart_is_reported_and_keeps_everything(
        built: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    from cmhub.social import step

    monkeypatch.setattr(step, "export_files", _failing(
        CmhubError([error("content/troisieme.md", 4, "a teaser the exports refuse")])))
    before = _state(built)
    result = _build(runner, built)
    assert result.exit_code == 1
    assert "content/troisieme.md:4: a teaser the exports refuse" in result.output
    assert "Traceback" not in result.output
    assert _state(built) == before


def test_a_bug_met_apart_shows_the_child_s_traceback_and_keeps_everything(
        built: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    from cmhub.social import step

    monkeypatch.setattr(step, "export_files", _failing(ZeroDivisionError("a bug of ours")))
    before = _state(built)
    result = _build(runner, built)
    assert result.exit_code != 0
    assert isinstance(result.exception, RuntimeError)
    assert "Traceback (most recent call last)" in str(result.exception)
    assert "ZeroDivisionError: a bug of ours" in str(result.exception)  # the child's own traceback
    assert _state(built) == before


def test_a_strict_build_that_fails_throws_the_child_s_work_away(built: Path, runner: CliRunner) -> None:
    """--strict reads every page (and so the child's files for site/) before writing anything: its
    warnings fail the build, and social/'s tree, staged by the child meanwhile, is thrown away."""
    before = _state(built)
    result = runner.invoke(main, ["build", "-C", str(built), "--now", NOW, "-q", "--strict"])
    assert result.exit_code == 1
    assert "warnings and broken links are errors in strict mode" in result.output
    assert "Traceback" not in result.output
    assert _state(built) == before
    assert not list((built / ".cmhub-cache" / "trees").glob("*.new-*"))
    assert _build(runner, built).exit_code == 0  # and the next build is an ordinary one
    assert "Une phrase de plus." in (built / "site" / "troisieme" / "index.html").read_text(encoding="utf-8")


def test_cmhub_serve_makes_the_step_apart_and_keeps_what_the_child_added_to_its_teaser_cache(
        basic_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A preview writes no social/, and yet `cmhub serve` has the teasers made by a forked process while
    the pages render: the same preview, the child waited for, and its new teaser cache entries kept by
    the server (which saves that cache when it stops)."""
    import os

    from cmhub.commands.serve import Previewer
    from cmhub.incremental.cache import open_render_cache

    made = _served_apart(basic_site, tmp_path, monkeypatch,
                         'networks:\n  x: "@voix"\n  mastodon: "@voix@piaille.example"\n')
    served = Previewer(basic_site, lambda message: None)
    try:
        served.rebuild()
        assert served.state.folder is not None and not served.state.error, served.state.error
        assert len(made) == 1 and not made[0].stages
        rows = {k for k in served.teasers.entries if k in served.teasers.added}
        assert rows, "the teasers the child made are not in the server's cache"
        edited = basic_site / "content" / "troisieme.md"
        edited.write_text(edited.read_text(encoding="utf-8").replace("---\n", "---\nsummary: Un autre résumé.\n", 1),
                          encoding="utf-8")
        served.rebuild()
        assert len(made) == 2 and not served.state.error, served.state.error
        for each in made:  # every child was waited for
            with pytest.raises(ChildProcessError):
                os.waitpid(each.forked.pid, os.WNOHANG)
        monkeypatch.setattr(syndication, "worker_count", lambda: 1)  # a fresh server, all in one process
        fresh = Previewer(basic_site, lambda message: None)
        try:
            fresh.rebuild()
            assert len(made) == 2 and fresh.state.folder is not None
            assert tree_digest(served.state.folder) == tree_digest(fresh.state.folder)
        finally:
            fresh.teasers.path = None  # leave the cache as the first server saves it
            fresh.close()
    finally:
        served.close()
    kept = open_render_cache(basic_site, name="teasers")
    assert rows <= set(kept.stored)  # saved by the server when it stopped


def test_cmhub_serve_waits_for_the_child_of_a_build_that_fails_while_its_folder_is_written(
        basic_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from cmhub.commands import serve
    from cmhub.commands.serve import Previewer

    made = _served_apart(basic_site, tmp_path, monkeypatch, 'networks:\n  x: "@voix"\n')

    def full(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - as when the disk is full
        raise CmhubError([error("preview", None, "cannot be written: No space left on device")])

    monkeypatch.setattr(serve, "write_folder", full)
    served = Previewer(basic_site, lambda message: None)
    try:
        served.rebuild()
        assert "No space left" in served.state.error and served.state.folder is None
        assert len(made) == 1
        with pytest.raises(ChildProcessError):
            os.waitpid(made[0].forked.pid, os.WNOHANG)
    finally:
        served.close()


def _served_apart(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, networks: str) -> list:
    """Have `cmhub serve`'s builds make the step apart (two cores, a hub above APART_FROM), with
    ``networks`` added to site.yml; return the list of each SyndicationApart made, as they are made."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(syndication, "worker_count", lambda: 2)
    monkeypatch.setattr(syndication, "APART_FROM", 1)
    with (root / "site.yml").open("a", encoding="utf-8") as handle:
        handle.write(networks)
    made: list = []
    apart = syndication.SyndicationApart
    monkeypatch.setattr(syndication, "SyndicationApart", lambda *args: made.append(apart(*args)) or made[-1])
    return made
