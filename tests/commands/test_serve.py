"""`cmhub serve` as a process: this machine only, a clear message on a busy port, no folder left behind."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from cmhub.commands.localserver import remove_abandoned_workdirs
from cmhub.commands.serve import Previewer
from tests.commands.test_authoring import _free_port, _get, _safe, _wait_for


def _start(site: Path, port: int, temporary: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "cmhub", "serve", "-C", str(site), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "TMPDIR": str(temporary)})


def _status(port: int, path: str, host: str | None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.putrequest("GET", path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@pytest.fixture
def temporary(tmp_path: Path) -> Path:
    """A private temporary folder for the server (TMPDIR), to see what it leaves."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


def test_serve_answers_only_requests_to_this_machine_and_stops_cleanly_on_sigterm(basic_site: Path,
                                                                                  temporary: Path) -> None:
    port = _free_port()
    server = _start(basic_site, port, temporary)
    try:
        assert _wait_for(lambda: _safe(lambda: _get(f"http://127.0.0.1:{port}/")[0] == 200), 60), "no server"
        assert [p.name.startswith("cmhub-serve-") for p in temporary.iterdir()] == [True]
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
            assert _status(port, "/secret-brouillon/", host) == 200, host
        # a page on another site whose name now points to 127.0.0.1 (DNS rebinding) reads nothing
        for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1:{port + 1}", "127.0.0.1", "", None):
            assert _status(port, "/secret-brouillon/", host) in (400, 421), host
        assert _status(port, "/%00", f"127.0.0.1:{port}") == 400
        assert _status(port, "/troisieme/%00.html", f"127.0.0.1:{port}") == 400
        assert _status(port, "/", f"127.0.0.1:{port}") == 200  # the handler survived
    finally:
        server.send_signal(signal.SIGTERM)
        log = server.communicate(timeout=15)[1]
    assert server.returncode == 0, log
    assert "Traceback" not in log and "null" not in log
    assert list(temporary.iterdir()) == []


def test_serve_on_a_busy_port_says_so_and_leaves_nothing(basic_site: Path, temporary: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "cmhub", "serve", "-C", str(basic_site), "--port", str(port)],
                              capture_output=True, text=True, timeout=60, env={**os.environ, "TMPDIR": str(temporary)})
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        f"--port: port {port} on 127.0.0.1 is already in use (another 'cmhub serve'?): stop it, or choose another "
        f"port: cmhub serve --port {port + 1}")
    assert "Traceback" not in done.stderr
    assert list(temporary.iterdir()) == []


def test_a_folder_left_by_a_killed_server_is_removed_by_the_next(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / f"cmhub-serve-{dead.pid}-x1y2").mkdir()
    (tmp_path / f"cmhub-serve-{dead.pid}-x1y2" / "site-1").mkdir()
    (tmp_path / f"cmhub-serve-{os.getpid()}-a1b2").mkdir()  # a live server's folder
    (tmp_path / "cmhub-serve-notes").mkdir()  # not a server's folder
    remove_abandoned_workdirs(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"cmhub-serve-{os.getpid()}-a1b2", "cmhub-serve-notes"]


def test_a_rebuild_keeps_what_the_edit_did_not_change_and_equals_a_fresh_preview(
        basic_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server rewrites only what an edit changed (the other files keep their inode), and what it
    serves is byte for byte what a fresh server would build from the same files."""
    import tempfile

    from cmhub.commands.serve import Previewer
    from tests.conftest import tree_digest

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    previewer = Previewer(basic_site, lambda message: None)
    try:
        previewer.rebuild()
        folder = previewer.state.folder
        assert folder is not None and not previewer.state.error
        pages = sorted(folder.rglob("index.html"))
        before = {page.relative_to(folder).as_posix(): page.stat().st_ino for page in pages}
        edited = basic_site / "content" / "troisieme.md"  # a published article
        edited.write_text(edited.read_text(encoding="utf-8") + "\nA sentence added in the editor.\n",
                          encoding="utf-8")
        previewer.rebuild()
        assert previewer.state.folder == folder and not previewer.state.error
        after = {page.relative_to(folder).as_posix(): page.stat().st_ino for page in sorted(folder.rglob("index.html"))}
        changed = [path for path in before if after.get(path) != before[path]]
        assert any("A sentence added in the editor." in (folder / path).read_text(encoding="utf-8") for path in changed)
        assert len(changed) < len(before) / 2, f"most pages were written again: {changed}"
        fresh = Previewer(basic_site, lambda message: None)
        try:
            fresh.rebuild()
            assert fresh.state.folder is not None
            assert tree_digest(folder) == tree_digest(fresh.state.folder)
        finally:
            fresh.close()
    finally:
        previewer.close()


def test_a_save_made_while_the_first_build_runs_is_built_without_another_save(
        basic_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The watcher compares with the files as the served build read them: an edit saved during the
    first build (when the user starts the server and goes on writing) is rebuilt on its own. Before,
    the watcher took its first look after that build, and such an edit waited for the next save."""
    import tempfile
    import threading

    from cmhub.commands.serve import Previewer, snapshot

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    previewer = Previewer(basic_site, lambda message: None)
    stop = threading.Event()
    watcher = threading.Thread(target=previewer.watch, args=(stop,), daemon=True)
    try:
        seen = snapshot(previewer.watched())
        previewer.rebuild()
        edited = basic_site / "content" / "troisieme.md"  # saved as if during that build
        edited.write_text(edited.read_text(encoding="utf-8") + "\nSaved during the first build.\n", encoding="utf-8")
        watcher = threading.Thread(target=previewer.watch, args=(stop, seen), daemon=True)
        watcher.start()
        assert _wait_for(lambda: previewer.state.builds >= 2, 60), "the edit was not built"
        assert previewer.state.folder is not None and not previewer.state.error
        assert any("Saved during the first build." in page.read_text(encoding="utf-8")
                   for page in previewer.state.folder.rglob("index.html"))
    finally:
        stop.set()
        if watcher.is_alive():
            watcher.join(timeout=60)
        previewer.close()


def test_the_first_edit_after_the_server_starts_changes_a_spare_tree_as_the_later_ones_do(
        basic_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first build makes the preview folder from nothing, with no old tree to keep as the spare: the
    server makes that spare before it watches, so that the first edit changes only what it changes; the
    preview is still what a fresh server builds."""
    import tempfile

    from cmhub.commands.serve import Previewer
    from cmhub.output import writer
    from tests.conftest import tree_digest

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    makers = []
    maker = writer._maker
    monkeypatch.setattr(writer, "_maker", lambda *args: makers.append(maker(*args)) or makers[-1])
    previewer = Previewer(basic_site, lambda message: None)
    try:
        previewer.rebuild()
        assert [m.recycling for m in makers] == [False]
        previewer.prepare()
        edited = basic_site / "content" / "troisieme.md"
        edited.write_text(edited.read_text(encoding="utf-8") + "\nEdited once the server runs.\n", encoding="utf-8")
        previewer.rebuild()
        assert not previewer.state.error, previewer.state.error
        assert [m.recycling for m in makers] == [False, True]  # the spare the server made, changed
        fresh = Previewer(basic_site, lambda message: None)
        try:
            fresh.rebuild()
            assert tree_digest(previewer.state.folder) == tree_digest(fresh.state.folder)
        finally:
            fresh.close()
        target = writer.Target(previewer.folder.resolve(), previewer.manifest, previewer.workdir / "trees")
        assert writer.prepare_spare(target)  # the spare each write keeps since
        writer.forget_spare(previewer.manifest)
        page = next(previewer.state.folder.rglob("index.html"))
        page.unlink()
        page.write_text("changed by someone", encoding="utf-8")  # a file that is no longer the one written
        assert not writer.prepare_spare(target)
        assert [p.name for p in target.place()[0].iterdir()] == []  # no half-made copy left
    finally:
        previewer.close()


def test_the_server_reads_permalinks_lock_again_only_when_it_changed(basic_site: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from click.testing import CliRunner

    from cmhub.cli.verbs import main
    from cmhub.commands.serve import Previewer
    from tests.conftest import NOW

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    previewer = Previewer(basic_site, lambda message: None)
    try:
        assert previewer.ledger(basic_site).entries == {}  # none yet
        runner = CliRunner()
        assert runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW, "-q"]).exit_code == 0
        first = previewer.ledger(basic_site)
        assert first.entries and previewer.ledger(basic_site) is first  # the same file: not read again
        url = "/" + next(iter(first.entries.values())).path
        assert runner.invoke(main, ["retire", "-C", str(basic_site), url]).exit_code == 0
        again = previewer.ledger(basic_site)
        assert again is not first and url.strip("/") in {p.strip("/") for p in again.retired}
    finally:
        previewer.close()


def _previewer(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Previewer:
    import tempfile

    from cmhub.commands.serve import Previewer

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return Previewer(site, lambda message: None)


def _watcher(previewer: Previewer, monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Thread]:
    """Return the stop switch and the (not yet started) watcher thread of ``previewer``, polling every 0.05 s
    and comparing with the files as they are now."""
    from cmhub.commands import serve

    monkeypatch.setattr(serve, "POLL_SECONDS", 0.05)
    stop = threading.Event()
    return stop, threading.Thread(target=previewer.watch, args=(stop, serve.snapshot(previewer.watched())),
                                  daemon=True)


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_an_article_saved_is_served_first_alone_then_with_the_whole_preview(
        basic_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page of the article saved is made alone in the last build's site and served at once, in place
    of the old one; the whole build that follows writes that very page (same bytes) and serves the rest."""
    import functools
    import http.server
    import threading
    import urllib.request

    from cmhub.commands.serve import _Handler

    previewer = _previewer(basic_site, tmp_path, monkeypatch)
    server = None
    try:
        previewer.rebuild()
        folder = previewer.state.folder
        assert folder is not None
        handler = type("Handler", (_Handler,), {"previewer": previewer, "base_path": "/",
                                                "hosts": frozenset({"127.0.0.1"})})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory="."))
        threading.Thread(target=server.serve_forever, daemon=True).start()

        def served(path: str) -> str:
            request = urllib.request.Request(f"http://127.0.0.1:{server.server_address[1]}{path}",
                                             headers={"Host": "127.0.0.1"})
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.read().decode("utf-8")

        _append(basic_site / "content" / "troisieme.md", "\nUne phrase montrée d’abord.\n")
        version, builds = previewer.state.version, previewer.state.builds
        assert previewer.show_first(basic_site / "content" / "troisieme.md")
        assert previewer.state.version == version + 1 and previewer.state.builds == builds  # reloads; not built
        assert list(previewer.state.first) == ["troisieme/index.html"]
        first = previewer.state.first["troisieme/index.html"]
        assert "Une phrase montrée d’abord." in served("/troisieme/")
        assert "Une phrase montrée d’abord." not in (folder / "troisieme" / "index.html").read_text(encoding="utf-8")
        assert "Une phrase montrée d’abord." not in served("/")  # the lists wait for the whole build
        previewer.rebuild()
        assert previewer.state.first == {} and previewer.state.builds == builds + 1
        assert (folder / "troisieme" / "index.html").read_bytes() == first
        assert "Une phrase montrée d’abord." in served("/troisieme/")
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        previewer.close()


@pytest.mark.parametrize(("change", "why"), [
    (lambda text: text.replace("date: 2026-08-15T10:00", "date: 2026-08-14T10:00"), "a new date: among others"),
    (lambda text: text.replace("title:", "slug: ailleurs\ntitle:", 1), "a new URL"),
    (lambda text: text.replace("title:", "draft: true\ntitle:", 1), "another state"),
    (lambda text: text.replace("title:", "title: [unclosed\nx:", 1), "a mistake: the whole build says it"),
    (lambda text: text + "\n[lien](absente.md)\n", "a link to no article: an error the whole build reports"),
])
def test_a_save_that_moves_the_article_or_has_a_mistake_waits_for_the_whole_build(
        basic_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: object, why: str) -> None:
    previewer = _previewer(basic_site, tmp_path, monkeypatch)
    try:
        previewer.rebuild()
        article = basic_site / "content" / "troisieme.md"
        text = article.read_text(encoding="utf-8")
        changed = change(text)  # type: ignore[operator]
        assert changed != text, f"the sample no longer has what the case changes ({why})"
        article.write_text(changed, encoding="utf-8")
        version = previewer.state.version
        assert not previewer.show_first(article), why
        assert previewer.state.first == {} and previewer.state.version == version
    finally:
        previewer.close()


def test_nothing_is_served_first_for_a_new_file_or_after_a_failed_build(
        basic_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    previewer = _previewer(basic_site, tmp_path, monkeypatch)
    try:
        assert not previewer.show_first(basic_site / "content" / "troisieme.md")  # no build yet
        previewer.rebuild()
        new = basic_site / "content" / "nouveau.md"
        new.write_text((basic_site / "content" / "troisieme.md").read_text(encoding="utf-8"), encoding="utf-8")
        assert not previewer.show_first(new)  # not in the last build's site
        new.unlink()
        settings = basic_site / "site.yml"
        good = settings.read_text(encoding="utf-8")
        settings.write_text(good + "\nnot: [valid\n", encoding="utf-8")
        previewer.rebuild()
        assert previewer.state.error
        settings.write_text(good, encoding="utf-8")
        _append(basic_site / "content" / "troisieme.md", "\nAprès l’erreur.\n")
        assert not previewer.show_first(basic_site / "content" / "troisieme.md")  # the error stays shown
    finally:
        previewer.close()


def test_the_watcher_shows_first_only_one_article_saved(basic_site: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    previewer = _previewer(basic_site, tmp_path, monkeypatch)
    asked: list[Path] = []
    monkeypatch.setattr(previewer, "show_first", lambda path: asked.append(path) or False)
    stop, watcher = _watcher(previewer, monkeypatch)
    try:
        previewer.rebuild()
        watcher.start()
        builds = previewer.state.builds
        _append(basic_site / "content" / "troisieme.md", "\nUne phrase.\n")
        assert _wait_for(lambda: previewer.state.builds > builds, 60)
        assert asked == [basic_site / "content" / "troisieme.md"]
        builds = previewer.state.builds
        _append(basic_site / "site.yml", "\n# un commentaire\n")  # not an article: the whole build only
        assert _wait_for(lambda: previewer.state.builds > builds, 60)
        builds = previewer.state.builds
        (basic_site / "content" / "nouveau.md").write_text("---\ntitle: Nouveau\ndate: 2026-11-01T10:00:00+01:00\n"
                                                         "---\nTexte.\n", encoding="utf-8")
        assert _wait_for(lambda: previewer.state.builds > builds, 60)  # a file added: the whole build only
        assert asked == [basic_site / "content" / "troisieme.md"]
    finally:
        stop.set()
        watcher.join(timeout=60)
        previewer.close()


@pytest.mark.parametrize("hub", ["basic", "bilingual"])
def test_every_page_shown_first_is_the_page_the_whole_build_writes(hub: str, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Each article and page of the sample hubs (translations, pages, drafts and scheduled ones shown),
    saved with a sentence more, is shown first with the very bytes the whole build then writes."""
    import shutil

    from tests.conftest import SITES

    site = tmp_path / hub
    shutil.copytree(SITES / hub, site, ignore=shutil.ignore_patterns("expected"))
    previewer = _previewer(site, tmp_path, monkeypatch)
    try:
        previewer.rebuild()
        assert previewer.state.folder is not None and not previewer.state.error, previewer.state.error
        shown = 0
        for article in sorted((site / "content").rglob("*.md")):
            _append(article, "\nUne phrase de plus.\n")
            if not previewer.show_first(article):
                continue  # not in the preview (an expired article, say)
            shown += 1
            (path, first), = previewer.state.first.items()
            previewer.rebuild()
            assert not previewer.state.error, previewer.state.error
            assert (previewer.state.folder / path).read_bytes() == first, article.name
        assert shown >= 4
    finally:
        previewer.close()


def test_the_page_is_shown_first_while_the_spare_copy_is_still_being_made(basic_site: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the first build is served, the server makes the copy the next build changes (1.6 s at 10,000
    articles): a save meanwhile has its page shown at once; the whole build waits for the copy."""
    previewer = _previewer(basic_site, tmp_path, monkeypatch)
    started, release = threading.Event(), threading.Event()
    prepare = previewer.prepare

    def slow_prepare() -> None:
        started.set()
        release.wait(60)
        prepare()

    monkeypatch.setattr(previewer, "prepare", slow_prepare)
    stop, watcher = _watcher(previewer, monkeypatch)
    try:
        previewer.rebuild()
        watcher.start()
        assert started.wait(30)
        builds = previewer.state.builds
        _append(basic_site / "content" / "troisieme.md", "\nÉcrite pendant la copie.\n")
        assert _wait_for(lambda: bool(previewer.state.first), 30), "the page was not shown during the copy"
        assert "Écrite pendant la copie." in previewer.state.first["troisieme/index.html"].decode("utf-8")
        assert previewer.state.builds == builds  # the whole build waits for the copy
        release.set()
        assert _wait_for(lambda: previewer.state.builds > builds, 60)
        page = previewer.state.folder / "troisieme" / "index.html"
        assert "Écrite pendant la copie." in page.read_text(encoding="utf-8") and previewer.state.first == {}
    finally:
        release.set()
        stop.set()
        watcher.join(timeout=60)
        previewer.close()
