"""Parts of the bench beside its scenarios: a busy core (``--load``) and the cost of each feature (``--features``).

``busy_core()`` runs one CPU-bound process (a Python loop, nothing else) while the scenarios run a
second time, as a CI runner shared with other work would: a tool that keeps both cores busy loses more
than a one-process one.

``feature_variants`` lists the settings that turn a feature of cmhub off, each a change of site.yml:
the cost of a feature is the time of the full build minus the time of the build without it, measured
in the same pass. Pictures of the site and translations have no such switch (the corpus has no
translation: their cost there is the check of every article's ``translation_of``).
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Callable, Iterator

BUSY_LOOP = "while True:\n    pass\n"


@contextlib.contextmanager
def busy_core() -> Iterator[None]:
    """Keep one core busy with a CPU-bound process for as long as the block runs."""
    process = subprocess.Popen([sys.executable, "-c", BUSY_LOOP], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        process.kill()
        process.wait()


def without_search(text: str) -> str:
    """Return site.yml with the search index turned off."""
    return text.rstrip("\n") + "\nsearch: false\n"


def without_networks(text: str) -> str:
    """Return site.yml without networks: no teasers, their pictures, the calendar or the plan ledger."""
    return text.split("\nnetworks:", 1)[0] + "\n"


FEATURES: dict[str, tuple[str, Callable[[str], str]]] = {
    "no-search": ("search index (Pagefind)", without_search),
    "no-networks": ("teasers, their pictures, the calendar and plan.lock", without_networks),
}
"""Each variant of the corpus's site.yml: what it turns off, and how."""


Cost = tuple[str, int, str, float | None, float | None, float | None, float | None]
"""One line of the section on features: label, size, machine, and the medians (see feature_lines)."""


def feature_lines(costs: list[Cost]) -> list[str]:
    """Return the report's section on features from (label, size, load, full cold, variant cold, full edit,
    variant edit) medians."""
    lines = ["## Cost of each feature", "",
             "Cold build (`--no-cache`) and rebuild after editing one article, with the corpus's site.yml "
             "and with the feature turned off, in the same pass; the cost is the difference of the medians "
             "(noise on this machine: ~10 %). Pictures of the site (covers resized for srcset) have no "
             "switch and are inside every figure; the corpus has no translations (checking them is inside "
             "every figure).", "",
             "| feature | size | machine | cold: full / without (s) | cold cost | edit: full / without (s) "
             "| edit cost |",
             "|---|---:|---|---:|---:|---:|---:|"]

    def pair(full: float | None, variant: float | None) -> tuple[str, str]:
        if full is None or variant is None:
            return "not measured", ""
        return f"{full:.2f} / {variant:.2f}", f"{full - variant:+.2f} s ({(full - variant) / full:+.0%})"

    for label, size, load, cold_full, cold_variant, edit_full, edit_variant in costs:
        cold, cold_cost = pair(cold_full, cold_variant)
        edit, edit_cost = pair(edit_full, edit_variant)
        lines.append(f"| {label} | {size:,} | {load} | {cold} | {cold_cost} | {edit} | {edit_cost} |")
    return lines
