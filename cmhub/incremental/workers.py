"""Work spread over forked processes, its results streamed back in order: the same bytes as in one process."""

from __future__ import annotations

import collections
import contextlib
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from cmhub.core.errors import CmhubError, error
from cmhub.output.files import OutputFile

Make = Callable[[Any], Iterable[OutputFile]]
"""Makes the files of one item of work; in a worker, nothing it changes comes back."""

_shared: list[tuple[Sequence[Any], Make]] = []
"""In forked worker processes: the items and the function of each batch of work (inherited, never pickled)."""


def _run_slice(work: tuple[int, int, int]) -> list[tuple[str, bytes]]:
    batch, start, end = work
    items, make = _shared[batch]
    return [(f.path, f.data or b"") for item in items[start:end] for f in make(item)]


@contextlib.contextmanager
def forked_pool(count: int, **options: Any) -> Iterator[ProcessPoolExecutor]:
    """Yield a pool of ``count`` forked processes, which inherit everything the parent holds.

    What exists at the fork is frozen out of the garbage collector meanwhile: a worker's collections
    would otherwise touch every inherited object, copying the memory pages they live on (~5 % of a
    cold build's time).
    """
    gc.freeze()
    try:
        with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"), **options) as pool:
            yield pool
    finally:
        gc.unfreeze()


JOBS_VARIABLE = "CMHUB_JOBS"
"""At most this many processes work at once (1: everything in one process, the least memory)."""


def worker_count() -> int:
    """Return how many processes to fork: one per core this process may run on (taskset, cpusets),
    at most CMHUB_JOBS when set; none where forking is not possible.

    Raises CmhubError when CMHUB_JOBS is not a whole number of 1 or more.
    """
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        count = os.cpu_count() or 1
    wanted = os.environ.get(JOBS_VARIABLE, "").strip()
    if wanted:
        if not wanted.isdigit() or int(wanted) < 1:
            raise CmhubError([error(JOBS_VARIABLE, None, f"must be a whole number of processes, 1 or more "
                                    f"(1: one process, the least memory); it is {wanted!r}")])
        count = min(count, int(wanted))
    return count if count >= 2 and "fork" in multiprocessing.get_all_start_methods() else 1


def forks_memory_allows(count: int, root: Path = Path("/")) -> int:
    """Return how many of ``count`` forked processes the memory left can hold, each counted as a whole copy
    of this process: what a fork may come to hold once it has touched what it inherited (at 100,000
    articles, ~4.7 GiB each). ``count`` where the system does not say (not Linux).

    The memory left is the kernel's estimate (MemAvailable), or less when the process runs in a control
    group with a limit (a container, a CI job): its limit less what the group already uses. ``root`` is
    where /proc and /sys are (tests give another).
    """
    try:
        statm = (root / "proc/self/statm").read_text(encoding="ascii").split()
        resident = int(statm[1]) * os.sysconf("SC_PAGE_SIZE")
        left = _available_memory(root)
    except (OSError, ValueError, IndexError):
        return count
    if left is None:
        return count
    return max(0, min(count, left // max(resident, 1)))


def _available_memory(root: Path) -> int | None:
    """Return the bytes of memory this process's forks may still take (see forks_memory_allows)."""
    found = None
    for line in (root / "proc/meminfo").read_text(encoding="ascii").splitlines():
        if line.startswith("MemAvailable:"):
            found = int(line.split()[1]) * 1024
    for limit_name, usage_name in (("sys/fs/cgroup/memory.max", "sys/fs/cgroup/memory.current"),  # cgroup v2
                                   ("sys/fs/cgroup/memory/memory.limit_in_bytes",  # cgroup v1
                                    "sys/fs/cgroup/memory/memory.usage_in_bytes")):
        try:
            limit = (root / limit_name).read_text(encoding="ascii").strip()
            usage = int((root / usage_name).read_text(encoding="ascii").strip())
        except OSError:
            continue
        if limit.isdigit() and int(limit) < 2**60:  # "max", or v1's huge number: no limit
            left = max(0, int(limit) - usage)
            found = left if found is None else min(found, left)
    return found


_END = None
"""What the stream gives, instead of a file, once a batch is complete."""


class WorkerPool:
    """Batches of work from several parts of a build, made by one pool of forked processes.

    Each part adds its batch (``add``) and gets an iterator over the batch's files; the processes
    are forked when the first file of a batch is asked for, and inherit every batch added until
    then: pages and feeds, planned one after the other, keep the same processes busy without a
    second start, and without a pause while the build goes from one to the other. The files come
    back as they are made, in order, so that the writer stores them without holding them all.
    """

    def __init__(self) -> None:
        self._batches: list[tuple[Sequence[Any], Make, bool]] = []
        self._stream: Iterator[tuple[int, OutputFile | None]] | None = None
        self._waiting: dict[int, collections.deque[OutputFile | None]] = collections.defaultdict(collections.deque)

    def add(self, items: Sequence[Any], make: Make, parallel_from: int) -> Iterator[OutputFile]:
        """Add a batch; return an iterator over the files ``make(item)`` makes for each item, in order.

        A batch of fewer than ``parallel_from`` items is made in this process as it is read (for
        little work, starting processes costs more than it saves).
        """
        if self._stream is not None:
            raise RuntimeError("work added to a workers whose processes have started")
        self._batches.append((items, make, len(items) >= max(parallel_from, 1) and worker_count() > 1))
        return self._files(len(self._batches) - 1)

    def _files(self, batch: int) -> Iterator[OutputFile]:
        items, make, forked = self._batches[batch]
        if not forked:
            for item in items:
                yield from make(item)
            return
        if self._stream is None:
            self._stream = self._made()
        waiting = self._waiting[batch]
        while True:
            if waiting:
                found = waiting.popleft()
            else:
                owner, found = next(self._stream)
                if owner != batch:  # a batch read out of order: kept until its turn
                    self._waiting[owner].append(found)
                    continue
            if found is _END:
                return
            yield found

    def _made(self) -> Iterator[tuple[int, OutputFile | None]]:
        """Yield (batch, file) for the forked batches in order, and (batch, _END) as each ends."""
        count = forks_memory_allows(worker_count())
        forked = [index for index, (_, _, fork) in enumerate(self._batches) if fork]
        if count == 0:  # no room for a copy of this process: made here, in order
            for batch in forked:
                items, make, _ = self._batches[batch]
                yield from ((batch, made) for item in items for made in make(item))
                yield batch, _END
            return
        slices = []
        for batch in forked:
            total = len(self._batches[batch][0])
            size = min(200, -(-total // (count * 4)))
            slices += [(batch, start, min(start + size, total)) for start in range(0, total, size)]
        _shared[:] = [(items, make) for items, make, _ in self._batches]
        try:
            with forked_pool(count) as pool:
                # a few slices in flight at a time: made files never pile up ahead of the writer
                pending: collections.deque = collections.deque()
                for position, work in enumerate(slices):
                    pending.append((position, pool.submit(_run_slice, work)))
                    if len(pending) > 4 * count:
                        yield from _received(slices, *pending.popleft())
                while pending:
                    yield from _received(slices, *pending.popleft())
        finally:
            _shared.clear()
        yield forked[-1], _END  # the last batch ends once the processes have


def _received(slices: list[tuple[int, int, int]], position: int,
              future: Any) -> Iterator[tuple[int, OutputFile | None]]:
    """Yield the files of the slice at ``position`` once made, and the end of its batch if it is the last."""
    batch = slices[position][0]
    for path, data in future.result():
        yield batch, OutputFile(path, data)
    if position + 1 < len(slices) and slices[position + 1][0] != batch:
        yield batch, _END
