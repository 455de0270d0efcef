"""Work spread over forked processes, its results streamed back in order: the same bytes as in one process."""

from __future__ import annotations

import collections
import contextlib
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from cmhub.models import OutputFile

_shared: dict[str, Any] = {}
"""In forked worker processes: the items and the function of the work at hand (inherited, never pickled)."""


def _run_slice(bounds: tuple[int, int]) -> list[tuple[str, bytes]]:
    make: Callable[[Any], Iterable[OutputFile]] = _shared["make"]
    return [(f.path, f.data or b"") for item in _shared["items"][bounds[0]:bounds[1]] for f in make(item)]


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


def made_in_order(items: Sequence[Any], make: Callable[[Any], Iterable[OutputFile]],
                  parallel_from: int) -> Iterator[OutputFile]:
    """Yield the files ``make(item)`` makes for each item, in order, from forked processes when there
    are at least ``parallel_from`` items (below that, starting processes costs more than it saves).

    Files are yielded as they come, so the writer can store them without holding them all in memory.
    ``make`` must make files with bytes (``data``); nothing it changes in a worker comes back.
    """
    count = os.cpu_count() or 1
    if len(items) < parallel_from or count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for item in items:
            yield from make(item)
        return
    size = min(200, -(-len(items) // (count * 4)))
    slices = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    _shared.update(items=items, make=make)
    try:
        with forked_pool(count) as pool:
            # a few slices in flight at a time: made files never pile up ahead of the writer
            pending: collections.deque = collections.deque()
            for bounds in slices:
                pending.append(pool.submit(_run_slice, bounds))
                if len(pending) > 2 * count:
                    yield from (OutputFile(path, data) for path, data in pending.popleft().result())
            while pending:
                yield from (OutputFile(path, data) for path, data in pending.popleft().result())
    finally:
        _shared.clear()
