"""Reusing what the previous output holds: one key per output file, one way to tell it is still good.

Every output that can be kept from one build to the next (pages, feeds, the calendar, teasers.json and
the review pages, the search bundle) is made from inputs whose digest is its *key*. The writer keeps,
in the folder's manifest, the key each file was made with; a file whose key did not change, and whose
bytes are still those written, is handed to the writer as a *reuse marker* instead of being made again.

Every key is made by ``digest`` (cmhub/incremental/keys.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeAlias

from cmhub.core.frozen import replaced
from cmhub.incremental.keys import digest, digest_of
from cmhub.output.files import OutputFile

__all__ = ["ReuseCheck", "all_held", "carrying", "digest", "digest_of", "keyed", "reuse_markers", "reuse_nothing",
           "reuse_or_make"]

ReuseCheck: TypeAlias = Callable[[str, str], bool] | None
"""``reuse(path, key)``: whether the previous output holds ``path``, made from inputs with ``key``,
untouched (the file is then not made again). None: there is no previous output to reuse and no
manifest to remember keys in (``--no-cache``), so keys are not even worked out."""


def reuse_nothing(path: str, key: str) -> bool:
    """Say that nothing is held (``--strict``: every page is made and checked, its key still remembered)."""
    return False


def all_held(reuse: ReuseCheck, paths: Iterable[str], key: str) -> bool:
    """Tell whether the previous output holds every one of ``paths``, made with ``key``."""
    return reuse is not None and all(reuse(path, key) for path in paths)


def reuse_markers(paths: Iterable[str], key: str) -> Iterator[OutputFile]:
    """Yield the markers that keep ``paths`` as the previous output holds them."""
    return (OutputFile(path, key=key, reuse=True) for path in paths)


def keyed(file: OutputFile, key: str) -> OutputFile:
    """Return ``file``, made now, carrying ``key`` for the manifest (as it is without a key)."""
    return replaced(file, key=key) if key else file


def carrying(key: str, files: Iterable[OutputFile]) -> Iterator[OutputFile]:
    """Yield ``files`` made now, each carrying ``key``."""
    return (keyed(file, key) for file in files)


def reuse_or_make(reuse: ReuseCheck, paths: Sequence[str], key: str,
                  make: Callable[[], Iterable[OutputFile]]) -> Iterator[OutputFile]:
    """Yield the files at ``paths``: kept when the previous output holds them all with ``key``, else
    made now by ``make()`` (which yields them in that order) and carrying ``key``."""
    if all_held(reuse, paths, key):
        yield from reuse_markers(paths, key)
    else:
        yield from carrying(key, make())
