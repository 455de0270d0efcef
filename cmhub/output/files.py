"""Output files: what a build hands the writer, one file of an output folder each."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class OutputFile:
    """One file of the output, as bytes, or copied from a source file (or both: bytes already written to a
    file that never changes, linked when it can be, the bytes written otherwise)."""

    path: str
    """Path relative to the output folder, '/'-separated."""
    data: bytes | None = None
    source: Path | None = None
    link: bool = False
    """The source never changes once made (a cache file): hard-link it instead of copying (or writing ``data``)."""
    key: str = ""
    """A digest of everything the file's bytes depend on, when known before making them."""
    reuse: bool = False
    """The previous output holds this file with the same ``key``: keep it instead of writing it."""
    origin: tuple[str, int | None] | None = None
    """The project file (and line) that asked for this output (an alias), named if it clashes with another."""
