"""Work done by a forked process while this one goes on, its result sent back: the same as if done here.

``cmhub build`` makes two things that do not read each other: the site, and the teasers with the team's
folder social/. On a machine with two cores and ``fork``, the second is made by a child process
(cmhub/pipeline/syndication.py), which inherits everything the build made so far (the site read, the
caches, the previous manifests) and sends back only what the build needs of it (pickled, over a pipe):
the staged tree of social/, plan.lock's new entries, the warnings, and the few files it adds to site/.

What the child raises comes back as it was: a user's mistake (CmhubError) is raised again here with
its problems; a bug of ours is raised here as a RuntimeError carrying the child's traceback.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import traceback
from collections.abc import Callable
from typing import Any

from cmhub.core.errors import CmhubError
from cmhub.incremental.workers import worker_count


class Forked:
    """``work()`` running in a forked process (see the module's docstring); ``result()`` waits for it."""

    def __init__(self, work: Callable[[], Any]):
        reading, writing = os.pipe()
        gc.freeze()  # the child's collections would touch every inherited object, copying its pages
        try:
            pid = os.fork()
        finally:
            gc.unfreeze()
        if pid == 0:  # the child: work, send the result (or why there is none), and leave at once
            os.close(reading)
            _run_child(work, writing)
        os.close(writing)
        self.pid, self._reading = pid, reading
        self._found: tuple[str, Any] | None = None

    def result(self) -> Any:
        """Wait for the child; return what ``work()`` returned, or raise what it raised."""
        if self._found is None:
            self._found = self._receive()
        kind, value = self._found
        if kind == "error":
            raise CmhubError(value)
        if kind != "done":
            raise RuntimeError(f"a process working for this build failed:\n{value}")
        return value

    def stop(self) -> None:
        """End the child at once (this process is being interrupted)."""
        if self._found is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._close()
            self._found = ("bug", "stopped")

    def _receive(self) -> tuple[str, Any]:
        chunks = []
        try:
            while chunk := os.read(self._reading, 1 << 20):
                chunks.append(chunk)
        finally:
            self._close()
        try:
            return pickle.loads(b"".join(chunks))  # noqa: S301 - written by our own child, over a pipe
        except Exception:  # noqa: BLE001 - the child died before it could say why
            return "bug", "it ended without a result (killed, or out of memory?)"

    def _close(self) -> None:
        os.close(self._reading)
        os.waitpid(self.pid, 0)


def fork_if_it_helps(work: Callable[[], Any]) -> Forked | None:
    """Start ``work()`` in a forked process; None where that would not help (one core, no fork)."""
    return Forked(work) if worker_count() > 1 else None


def _run_child(work: Callable[[], Any], writing: int) -> None:
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the child with the build
        try:
            found: tuple[str, Any] = ("done", work())
        except CmhubError as exc:
            found = ("error", list(exc.problems))
        except BaseException:  # noqa: BLE001 - our bug, sent to the parent with its traceback
            found = ("bug", traceback.format_exc())
        try:
            data = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - what was made cannot be sent: our bug as well
            data = pickle.dumps(("bug", traceback.format_exc()))
        view = memoryview(data)
        while view:
            view = view[os.write(writing, view):]
    finally:
        os._exit(0)  # never run the parent's exit handlers, nor flush its buffers a second time
