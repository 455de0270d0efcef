"""`cmhub serve`: a preview build (drafts and scheduled shown) served on localhost, rebuilt on save.

The preview is for this machine only and leaves no folder behind (see cmhub.commands.localserver).
A rebuild costs what the edit changed: the build caches stay decoded in memory between rebuilds, and
so do the texts and articles read (cmhub.content.memo); the preview folder is written as a build
writes site/, keeping every page whose inputs did not change.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from cmhub.commands.localserver import (
    WORKDIR_PREFIX,
    loopback_hosts,
    open_server,
    remove_abandoned_workdirs,
    stopped_by_sigterm,
)
from cmhub.content.memo import ReadMemo
from cmhub.content.statuses import Status, file_status
from cmhub.core.dates import build_now
from cmhub.core.errors import CmhubError
from cmhub.incremental.cache import open_render_cache
from cmhub.ledgers.permalinks_lock import LEDGER_NAME, Ledger
from cmhub.ledgers.permalinks_reading import load_ledger
from cmhub.output.previous import PreviousOutput
from cmhub.output.writer import Target, prepare_spare, write_folder
from cmhub.pipeline.project import Ledgers, Project, Reuse
from cmhub.settings.config import load_config
from cmhub.settings.request import BuildRequest, Preview

if TYPE_CHECKING:
    from cmhub.content.model import Site

POLL_SECONDS = 0.25
STATE_PATH = "/__cmhub/state"
_RELOAD_SCRIPT = """<script>
(function () {
  var seen = null;
  function poll() {
    fetch("STATE_PATH").then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.version !== seen) { location.reload(); }
      seen = s.version;
    }).catch(function () {}).finally(function () { setTimeout(poll, 400); });
  }
  poll();
})();
</script>""".replace("STATE_PATH", STATE_PATH)


@dataclass
class ServeState:
    """What the server knows of the latest build (shared between the watcher and requests)."""

    version: int = 0
    """Changes whenever what is served changes (the pages' script then reloads them)."""
    error: str = ""
    folder: Path | None = None
    builds: int = 0
    """The builds finished, good or not."""
    first: dict[str, bytes] = field(default_factory=dict)
    """The page of an article just saved, made alone and served in place of the folder's (by its path in the
    folder) until the whole preview is built again (Previewer.show_first)."""


def snapshot(paths: list[Path]) -> dict[str, tuple[int, int]]:
    """Return (mtime, size) of every file under the watched paths."""
    seen: dict[str, tuple[int, int]] = {}
    for base in paths:
        if base.is_file():
            stat = base.stat()
            seen[str(base)] = (stat.st_mtime_ns, stat.st_size)
        elif base.is_dir():
            for folder, dirs, names in os.walk(base):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in names:
                    path = os.path.join(folder, name)
                    try:
                        stat = os.stat(path)
                    except FileNotFoundError:
                        continue
                    seen[path] = (stat.st_mtime_ns, stat.st_size)
    return seen


class Previewer:
    """Builds the preview into a private temporary folder, again whenever a watched file changes."""

    def __init__(self, root: Path, log: Callable[[str], None]):
        self.root = root
        self.log = log
        self.state = ServeState()
        self.lock = threading.Lock()
        remove_abandoned_workdirs(Path(tempfile.gettempdir()))
        self.workdir = Path(tempfile.mkdtemp(prefix=f"{WORKDIR_PREFIX}{os.getpid()}-"))
        self.cache = open_render_cache(root)
        self.teasers = open_render_cache(root, name="teasers")
        self.memo = ReadMemo()
        self.folder = self.workdir / "site"
        """The preview, replaced as a whole by each good build (a reader sees the old tree or the new)."""
        self._ledger: tuple[Status, Ledger] | None = None
        """permalinks.lock as last read, with its file's status then."""
        self.manifest = self.workdir / "site.manifest.json"
        """What the preview folder holds, each file with the key of its inputs (cmhub.output.manifest)."""
        self.site: Site | None = None
        """The site of the last good build, which the page of an article just saved is made in (show_first)."""

    def rebuild(self) -> None:
        """Build once; on a user mistake keep the last good site and remember the error."""
        from cmhub.pipeline.story import build

        started = time.perf_counter()
        try:
            config = load_config(self.root)
            project = Project(config, build_now(None, config.tz, {}),  # the clock, whatever SOURCE_DATE_EPOCH says
                              BuildRequest(preview=Preview(drafts=True, future=True)))
            previous = PreviousOutput(self.folder, self.manifest)
            result = build(project, Ledgers(self.ledger(config.root)),
                           Reuse(bodies=self.cache, teasers=self.teasers, site=previous.holds, memo=self.memo,
                                 syndicate_apart=True))
            try:
                write_folder(result.files, self.folder, self.manifest, previous, self.workdir / "trees")
            except BaseException as exc:  # the teasers made apart, if they were, are thrown away (and waited for)
                result.syndication.discard(interrupted=not isinstance(exc, Exception))
                raise
        except CmhubError as exc:
            self._failed("\n".join(str(p) for p in exc.problems))
            return
        except Exception:  # our own bug: show it, keep serving the last good build  # noqa: BLE001
            self._failed(traceback.format_exc())
            return
        with self.lock:
            self.state.folder, self.state.error, self.state.first = self.folder, "", {}
            self.state.version += 1
            self.state.builds += 1
        self.site = result.site
        self.log(f"rebuilt in {time.perf_counter() - started:.2f} s: {result.summary()}")

    def _failed(self, message: str) -> None:
        """Keep serving the last good build (without a page shown first), with ``message``."""
        with self.lock:
            self.state.error, self.state.first = message, {}
            self.state.version += 1
            self.state.builds += 1
        self.log(message)

    def show_first(self, path: Path) -> bool:
        """Serve at once the page of the article file ``path``, saved since the last good build, made alone in
        that build's site (cmhub.content.reader.reread); the whole preview is to be built next, which
        makes every page the save changed, this one included. Return whether it is served: not when the save
        moves the article among the others or has a mistake (the whole build then says which), nor after a
        failed build, nor with the Material engine."""
        from cmhub.content.reader import reread
        from cmhub.pipeline.project import compiled_templates
        from cmhub.site.builtin.engine import article_page
        from cmhub.theming.loader import load_theme

        site = self.site
        if site is None or self.state.error or site.config.engine != "builtin":
            return False
        started = time.perf_counter()
        try:
            found = reread(site, path, self.cache)
            if found is None:
                return False
            site, article = found
            page = article_page(site, load_theme(site.config.theme, site.config.root, compiled_templates(self.cache)),
                                article.source)
        except CmhubError:  # the whole build says it
            return False
        except Exception:  # our own bug: said, and the whole build goes on  # noqa: BLE001
            self.log(traceback.format_exc())
            return False
        if page is None or page.data is None:
            return False
        with self.lock:
            self.state.first = {page.path: page.data}
            self.state.version += 1
        self.log(f"showing {article.source} in {time.perf_counter() - started:.2f} s; building the rest")
        return True

    def ledger(self, root: Path) -> Ledger:
        """Return permalinks.lock as read, read again only when its file's status changed (at 10,000
        articles reading it is ~0.2 s of each rebuild; a preview never writes it)."""
        try:
            status = file_status(root / LEDGER_NAME)
        except OSError:  # none yet, or unreadable: load_ledger says which
            return load_ledger(root)[0]
        if self._ledger is None or self._ledger[0] != status:
            self._ledger = (status, load_ledger(root)[0])
        return self._ledger[1]

    def prepare(self) -> None:
        """Make the spare tree of the preview folder once the first build is served, so that the first
        edit costs what the later ones do (cmhub.output.writer.prepare_spare); a save made meanwhile is
        built next."""
        if self.state.folder is not None:
            prepare_spare(Target(self.folder.resolve(), self.manifest, self.workdir / "trees"))

    def watched(self) -> list[Path]:
        """Return the paths whose changes trigger a rebuild."""
        try:
            config = load_config(self.root)
            return [self.root / "site.yml", config.content, config.theme]
        except CmhubError:
            return [self.root / "site.yml", self.root / "content", self.root / "theme"]

    def watch(self, stop: threading.Event, before: dict[str, tuple[int, int]] | None = None) -> None:
        """Rebuild whenever a watched file changes, until ``stop`` is set.

        ``before`` is what the files were when the build being served started: a file saved while it ran
        is then built at once (taken here instead, such a save would wait for the next one).
        """
        before = snapshot(self.watched()) if before is None else before
        # the spare copy is made meanwhile (1.6 s at 10,000 articles): a page shown first need not wait for it
        preparing = threading.Thread(target=self.prepare, name="cmhub-prepare", daemon=True)
        preparing.start()
        try:
            while not stop.wait(POLL_SECONDS):
                now = snapshot(self.watched())
                if now != before:
                    saved = [name for name, seen in now.items() if before.get(name, seen) != seen]
                    if len(saved) == 1 and now.keys() == before.keys() and saved[0].endswith(".md"):
                        self.show_first(Path(saved[0]))  # one article saved: its page first
                    before = now
                    preparing.join()  # the whole build changes that copy
                    self.rebuild()
        finally:
            preparing.join()

    def close(self) -> None:
        """Keep the build caches for next time and remove the temporary folder."""
        self.cache.save()
        self.teasers.save()
        shutil.rmtree(self.workdir, ignore_errors=True)


class _Handler(SimpleHTTPRequestHandler):
    """Serves the latest preview build, with a live-reload script and the error, if any."""

    previewer: Previewer
    base_path: str
    hosts: frozenset[str] = frozenset()

    def parse_request(self) -> bool:
        """Refuse a request not addressed to this machine (421), or whose path holds a control character (400)."""
        if not super().parse_request():
            return False
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in self.hosts:
            self.send_error(421, "cmhub serve answers only requests to this machine "
                                 f"(http://127.0.0.1:{self.server.server_address[1]}/)")
            return False
        if any(ord(c) < 32 or ord(c) == 127 for c in unquote(self.path)):
            self.send_error(400, "control character in the path")
            return False
        return True

    def translate_path(self, path: str) -> str:
        folder = self.previewer.state.folder or self.previewer.workdir
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if clean.startswith(self.base_path):
            clean = "/" + clean[len(self.base_path):]
        self.directory = str(folder)
        return super().translate_path(clean)

    def do_GET(self) -> None:  # noqa: N802 - http.server's API
        if self.path.startswith(STATE_PATH):
            state = self.previewer.state
            body = json.dumps({"version": state.version, "error": state.error}).encode()
            self._send(200, "application/json", body)
            return
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            target = target / "index.html"
        state = self.previewer.state
        first = state.first.get(target.relative_to(state.folder).as_posix()) \
            if state.first and state.folder is not None and target.is_relative_to(state.folder) else None
        if first is not None:
            self._send(200, "text/html; charset=utf-8", self._decorate(first))
        elif target.suffix == ".html" and target.is_file():
            page = target.read_bytes()
            self._send(200, "text/html; charset=utf-8", self._decorate(page))
        elif not target.exists() and self.previewer.state.folder is None:
            body = self._decorate(b"<!doctype html><title>cmhub</title><body></body>")
            self._send(503, "text/html; charset=utf-8", body)
        else:
            super().do_GET()

    def _decorate(self, page: bytes) -> bytes:
        error = self.previewer.state.error
        extra = _RELOAD_SCRIPT.encode()
        if error:
            box = ('<pre role="alert" style="position:fixed;inset:auto 0 0 0;z-index:99;margin:0;padding:1rem;'
                   'max-height:50vh;overflow:auto;background:#7a1f0f;color:#fff;white-space:pre-wrap;'
                   f'font:14px/1.4 monospace">cmhub: the last build failed\n\n{html.escape(error)}</pre>')
            extra = box.encode() + extra
        if b"</body>" in page:
            return page.replace(b"</body>", extra + b"</body>", 1)
        return page + extra

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's API
        pass


def serve(root: Path, port: int, log: Callable[[str], None]) -> None:
    """Build, serve on http://127.0.0.1:<port>/ and rebuild on every change, until interrupted.

    Raises CmhubError (before making anything) when the port cannot be used.
    """
    server = open_server(port)
    with stopped_by_sigterm():
        previewer = None
        stop = threading.Event()
        try:
            previewer = Previewer(root.resolve(), log)
            seen = snapshot(previewer.watched())  # before the build: a save during it is built next
            previewer.rebuild()
            try:
                base_path = load_config(root).base_path
            except CmhubError:
                base_path = "/"
            handler = type("Handler", (_Handler,), {"previewer": previewer, "base_path": base_path,
                                                    "hosts": loopback_hosts(server.server_port)})
            server.RequestHandlerClass = partial(handler, directory=str(previewer.workdir))
            watcher = threading.Thread(target=previewer.watch, args=(stop, seen), daemon=True)
            watcher.start()
            log(f"serving the preview (drafts and scheduled shown) on http://127.0.0.1:{server.server_port}"
                f"{base_path} ; Ctrl-C to stop")
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            server.server_close()
            if previewer is not None:
                previewer.close()
