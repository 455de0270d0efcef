"""One `cmhub publish` (or `cmhub interactions`) at a time in a hub: an exclusive lock on a file.

The operating system releases the lock when the process ends, however it ends, so a crashed run never
blocks the next one. In CI the workflow's concurrency group serialises runs as well.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from cmhub.core.errors import CmhubError, error

LOCK_FILE = ".cmhub-cache/publish.lock"


@contextlib.contextmanager
def publishing_lock(root: Path) -> Iterator[None]:
    """Hold the hub's publishing lock; raise CmhubError at once when another run holds it."""
    path = root / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(handle):
            raise CmhubError([error(LOCK_FILE, None, "another cmhub publish or cmhub interactions is running in "
                                                     "this hub; nothing was done (run it again when it ends)")])
        yield
    finally:
        os.close(handle)  # closing the file releases the lock


def _try_lock(handle: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True
