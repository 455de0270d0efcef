"""Putting a new output folder in place at once, and what must hold before and around it.

- ``exchange(new, folder)`` swaps two folders in one step, so that a reader of ``folder`` (a web
  server, rsync, an upload) sees the old tree or the new one, never a mix and never nothing: on
  Linux ``renameat2(RENAME_EXCHANGE)``, on macOS ``renamex_np(RENAME_SWAP)``. Where neither exists
  (or the file system refuses it), the old folder is renamed away and the new one renamed in: two
  renames, with a moment of a few microseconds without the folder.
- ``build_lock(root)`` keeps two builds of one project from running at once.
- ``check_writable(folder, ...)`` checks, before anything is written, that the folder can be
  replaced: its parent writable, not read-only, not full, the folder not a mount point.
- ``halt(point)``, for tests only: when the environment variable ``CMHUB_TEST_HALT`` is
  ``<point>`` or ``<point>:<n>``, the process kills itself (SIGKILL) the n-th time it reaches
  that point (n = 1 by default). Points: ``staging`` (after each file written into the new
  tree), ``before-exchange``, ``after-exchange``, ``after-manifest``, ``spare`` (after each
  change made to the spare tree once the new one is in place).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import platform
import re
import shutil
import signal
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

from cmhub.core.errors import CmhubError, error

_HALTS: dict[str, int] = {}


def halt(point: str) -> None:
    """Kill this process at a named point when a test asks for it (see the module's documentation)."""
    wanted = os.environ.get("CMHUB_TEST_HALT")
    if not wanted:
        return
    name, _, count = wanted.partition(":")
    if name != point:
        return
    _HALTS[point] = _HALTS.get(point, 0) + 1
    if _HALTS[point] >= int(count or 1):
        os.kill(os.getpid(), signal.SIGKILL)


def _swapper():  # noqa: ANN202 - a ctypes function, or None
    """Return the C function that swaps two paths atomically, and how to call it; None if there is none."""
    libc_name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
    except OSError:
        return None
    if sys.platform.startswith("linux"):
        function = getattr(libc, "renameat2", None)
        if function is not None:
            function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
            return lambda a, b: function(-100, a, -100, b, 2)  # AT_FDCWD, RENAME_EXCHANGE
        number = {"x86_64": 316, "aarch64": 276}.get(platform.machine())  # older C libraries: the syscall
        if number is None:
            return None
        syscall = libc.syscall
        return lambda a, b: syscall(number, -100, ctypes.c_char_p(a), -100, ctypes.c_char_p(b), 2)
    if sys.platform == "darwin":
        function = getattr(libc, "renamex_np", None)
        if function is not None:
            function.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
            return lambda a, b: function(a, b, 2)  # RENAME_SWAP
    return None


_SWAP = _swapper()


def exchange(new: Path, folder: Path) -> None:
    """Put the folder ``new`` in place of ``folder`` (which must exist); ``new`` then holds the old tree.

    Raises OSError when the file system refuses both ways.
    """
    if _SWAP is not None:
        if _SWAP(os.fsencode(new), os.fsencode(folder)) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise OSError(code, os.strerror(code), str(new))
    # no atomic swap here: two renames, with a moment without the folder
    aside = new.with_name(new.name + ".old")
    os.rename(folder, aside)
    try:
        os.rename(new, folder)
    except OSError:
        os.rename(aside, folder)
        raise
    os.rename(aside, new)


@contextlib.contextmanager
def build_lock(cache: Path) -> Iterator[None]:
    """Hold the lock of a project's builds (a file in its cache folder) while the block runs.

    Raises CmhubError when another build of the project holds it. A project where the lock
    cannot even be made (a read-only folder) is built without it.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not a POSIX system
        yield
        return
    path = cache / "build.lock"
    try:
        cache.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK, 0o644)
    except OSError:
        yield
        return
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise CmhubError([error(_shown(path), None, "is not a file; delete it")])
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            who = f" (process {holder})" if holder.isdigit() else ""
            raise CmhubError([error(_shown(path), None, f"another cmhub build of this project is running{who}; "
                                    "wait for it to end, then build again")]) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _shown(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def leftovers(workspace: Path, prefix: str) -> list[Path]:
    """Return the staging trees a stopped build left in ``workspace`` for an output named ``prefix``."""
    pattern = re.compile(rf"^{re.escape(prefix)}\.(?:new|old)-\d+(?:\.old)?$")
    try:
        with os.scandir(workspace) as entries:
            return sorted(Path(e.path) for e in entries if pattern.match(e.name))
    except OSError:
        return []


def remove_tree(path: Path) -> None:
    """Delete a tree cmhub made (a link is removed itself, never followed)."""
    if path.is_symlink() or not path.is_dir():
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return
    shutil.rmtree(path)


def check_writable(folder: Path, who: str, shown: str) -> None:
    """Raise CmhubError (naming ``who``, the setting at fault) when ``folder`` cannot be replaced as a whole."""
    parent = folder.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CmhubError([error(who, None, f"output folder '{shown}' cannot be made: {_reason(exc)}")]) from exc
    if not os.access(parent, os.W_OK | os.X_OK):
        read_only = _read_only(parent)
        why = "is on a read-only file system" if read_only else "is not writable (permission denied)"
        raise CmhubError([error(who, None, f"output folder '{shown}': the folder that holds it {why}")])
    if os.path.isdir(folder) and not os.path.islink(folder) and os.path.ismount(folder):
        raise CmhubError([error(who, None, f"output folder '{shown}' is a mount point: cmhub replaces the whole "
                                "folder at the end of a build, which a mount point does not allow; mount the "
                                "folder above it, or set the output to a folder inside the mount")])
    try:
        space = os.statvfs(parent)
    except (OSError, AttributeError):
        return
    if space.f_bavail * space.f_frsize < 1 << 20:
        raise CmhubError([error(who, None, f"output folder '{shown}': no space left on the device "
                                "(less than 1 MiB free); nothing was changed")])


def _read_only(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def os_problem(exc: OSError, who: str, shown: str) -> CmhubError:
    """Return the message for a system error met while writing an output folder."""
    known = {errno.ENOSPC: "no space left on the device", errno.EDQUOT: "disk quota exceeded",
             errno.EROFS: "read-only file system", errno.EACCES: "permission denied",
             errno.EPERM: "operation not permitted", errno.EXDEV: "it lies on another file system than its "
                                                                  "working folder",
             errno.ENAMETOOLONG: "a file name is too long", errno.EMLINK: "too many links"}
    why = known.get(exc.errno or 0, _reason(exc))
    return CmhubError([error(who, None, f"output folder '{shown}' could not be written: {why}; "
                             "the previous output is unchanged")])
