"""The local side of `cmhub serve`: a server on this machine only, and no folder left behind.

The preview holds drafts: the server listens on 127.0.0.1 and its handler answers only requests
whose Host is a loopback name with its port (DNS rebinding cannot reach it). SIGTERM and SIGHUP
stop it as Ctrl-C does, so its temporary folder is removed; a folder left by a killed server is
removed by the next one.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cmhub.core.errors import CmhubError, error

WORKDIR_PREFIX = "cmhub-serve-"


def remove_abandoned_workdirs(folder: Path) -> None:
    """Remove the temporary folders of cmhub servers of this user that were killed (their process is gone)."""
    for path in folder.glob(f"{WORKDIR_PREFIX}*-*"):
        pid = path.name[len(WORKDIR_PREFIX):].split("-", 1)[0]
        try:
            if not pid.isdigit() or path.stat().st_uid != os.getuid() or not path.is_dir():
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:  # not ours to judge: a process we may not signal is alive
            continue


def loopback_hosts(port: int) -> frozenset[str]:
    """Return the Host headers a request to this machine's server on ``port`` may carry."""
    names = ("127.0.0.1", "localhost", "[::1]")
    return frozenset({f"{name}:{port}" for name in names} | (set(names) if port == 80 else set()))


def open_server(port: int) -> ThreadingHTTPServer:
    """Return a server listening on 127.0.0.1:``port`` (its handler set later).

    Raises CmhubError when the port is taken or cannot be used.
    """
    try:
        return ThreadingHTTPServer(("127.0.0.1", port), SimpleHTTPRequestHandler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            message = (f"port {port} on 127.0.0.1 is already in use (another 'cmhub serve'?): stop it, or "
                       f"choose another port: cmhub serve --port {port + 1}")
        else:
            message = f"cannot listen on 127.0.0.1:{port}: {exc.strerror}; choose another port with --port"
        raise CmhubError([error("--port", None, message)]) from exc


@contextmanager
def stopped_by_sigterm() -> Iterator[None]:
    """Turn SIGTERM (and SIGHUP) into KeyboardInterrupt while serving, so that cleanup runs."""
    fired = []

    def interrupt(signum: int, frame: object) -> None:
        if not fired:  # once: a second signal must not cut the cleanup short
            fired.append(signum)
            raise KeyboardInterrupt

    wanted = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, interrupt) for s in wanted}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
