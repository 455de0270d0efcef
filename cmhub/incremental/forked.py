"""Work done by a forked process while this one goes on, its result sent back: the same as if done here.

``cmhub build`` makes two things that do not read each other: the site, and the teasers with the team's
folder social/. On a machine with two cores and ``fork``, the second is made by a child process
(cmhub/pipeline/syndication.py), which inherits everything the build made so far (the site read, the
caches, the previous manifests) and sends back only what the build needs of it (pickled): the staged
tree of social/, plan.lock's new entries, the warnings, and the few files it adds to site/.

Each part is written to an unnamed temporary file both processes hold, and only its place in that file
goes through the pipe. A part sent through the pipe itself would stop the child until this process
reads it: at 10,000 articles plan.lock's entries are ten times what a pipe holds, and this process
asks for them only once its pages are made, so the child waited there (~0.5 s) instead of staging social/.

What the child raises comes back as it was: a user's mistake (CmhubError) is raised again here with
its problems; a bug of ours is raised here as a RuntimeError carrying the child's traceback.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import tempfile
import traceback
from collections.abc import Callable
from typing import Any

from cmhub.core.errors import CmhubError


class Forked:
    """``work(send)`` running in a forked process (see the module's docstring): what it passes to ``send``
    as it goes, then what it returns, are the parts ``part(0)``, ``part(1)``... of its result."""

    def __init__(self, work: Callable[[Callable[[Any], None]], Any]):
        try:
            parts = tempfile.TemporaryFile(prefix="cmhub-parts-")  # closed (and so deleted) with this object
        except OSError:  # no temporary folder to write in: the parts go through the pipe
            parts = None
        reading, writing = os.pipe()
        gc.freeze()  # the child's collections would touch every inherited object, copying its pages
        try:
            pid = os.fork()
        except BaseException:
            gc.unfreeze()
            raise
        if pid == 0:  # the child: work, send each part (or why there is none), and leave at once (frozen)
            os.close(reading)
            _run_child(work, writing, parts.fileno() if parts is not None else None)
        gc.unfreeze()
        os.close(writing)
        self.pid, self._reading, self._parts_file = pid, reading, parts
        self._parts: list[Any] = []
        self._end: tuple[str, Any] | None = None
        """How the child ended: ('done', None), or ('error', problems), ('bug', traceback)."""

    def part(self, index: int) -> Any:
        """Wait for the part at ``index``; return it, or raise what the child raised before it."""
        while len(self._parts) <= index and self._end is None:
            kind, value = self._receive()
            if kind in ("part", "last"):
                self._parts.append(value)
            if kind != "part":  # the child is done: it is waited for now
                self._end = ("done", None) if kind == "last" else (kind, value)
                self._close()
        if index < len(self._parts):
            return self._parts[index]
        kind, value = self._end or ("bug", "no such part")
        if kind == "error":
            raise CmhubError(value)
        raise RuntimeError(f"a process working for this build failed:\n{value}")

    def stop(self) -> None:
        """End the child at once (this process is being interrupted)."""
        if self._end is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._close()
            self._end = ("bug", "stopped")

    def _receive(self) -> tuple[str, Any]:
        """Read the child's next message; ('bug', ...) when it ended without one."""
        head = self._read(16)
        data = b""
        if len(head) == 16:
            offset, size = int.from_bytes(head[:8], "big"), int.from_bytes(head[8:], "big")
            if offset == _IN_PIPE or self._parts_file is None:
                data = self._read(size)
            else:
                data = _pread(self._parts_file.fileno(), size, offset)
        try:
            return pickle.loads(data)  # noqa: S301 - written by our own child (its file of parts, or the pipe)
        except Exception:  # noqa: BLE001 - the child died before it could say why
            return "bug", "it ended without a result (killed, or out of memory?)"

    def _read(self, size: int) -> bytes:
        chunks, left = [], size
        while left:
            chunk = os.read(self._reading, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _close(self) -> None:
        """Stop reading the child and wait for its end (it holds what the build holds, its lock included)."""
        os.close(self._reading)
        os.waitpid(self.pid, 0)
        if self._parts_file is not None:
            self._parts_file.close()


_IN_PIPE = (1 << 64) - 1
"""The place of a part that follows its heading in the pipe (the file of parts could not take it)."""


def _pread(fd: int, size: int, offset: int) -> bytes:
    """Return ``size`` bytes of a file from ``offset`` (fewer when the file is shorter)."""
    chunks, left = [], size
    while left:
        chunk = os.pread(fd, min(left, 1 << 24), offset + size - left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _run_child(work: Callable[[Callable[[Any], None]], Any], writing: int, parts: int | None) -> None:
    end = 0  # where the next part goes in the file of parts

    def send(kind: str, value: Any) -> None:
        nonlocal end
        try:
            data = pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - what was made cannot be sent: our bug as well
            data = pickle.dumps(("bug", traceback.format_exc()))
        offset = _IN_PIPE
        if parts is not None:
            try:
                view = memoryview(data)
                while view:
                    view = view[os.pwrite(parts, view, end + len(data) - len(view)):]
                offset, end = end, end + len(data)
            except OSError:  # a full temporary folder: through the pipe, then
                offset = _IN_PIPE
        message = offset.to_bytes(8, "big") + len(data).to_bytes(8, "big") + (data if offset == _IN_PIPE else b"")
        view = memoryview(message)
        while view:
            view = view[os.write(writing, view):]

    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the child with the build
        try:
            send("last", work(lambda value: send("part", value)))
        except CmhubError as exc:
            send("error", list(exc.problems))
        except BaseException:  # noqa: BLE001 - our bug, sent to the parent with its traceback
            send("bug", traceback.format_exc())
    finally:
        os._exit(0)  # never run the parent's exit handlers, nor flush its buffers a second time
