"""A folder's identity, (device, inode): a folder replaced since, by a link or a copy, has another.

A module of its own, and light: the "nothing changed" check asks for it without loading the manifests'.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def tree_of(folder: Path | str) -> tuple[int, int] | None:
    """Return (device, inode) of a real folder (not a link to one), or None."""
    try:
        info = os.lstat(folder)
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISDIR(info.st_mode) else None
