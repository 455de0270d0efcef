"""The garbage collector's pace for a cmhub process."""

from __future__ import annotations

import gc

PACE = (50_000, 20, 100)
"""A build makes objects by the hundred thousand and few reference cycles: the default pace (a collection
every 700 allocations) costs ~5 % of a rebuild, and ~30 ms of loading cmhub's modules alone. Memory stays
the same."""


def slow_collector() -> None:
    """Set the collector's pace for a build (the command line does it first of all)."""
    gc.set_threshold(*PACE)
