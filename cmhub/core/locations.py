"""Where cmhub's own files are."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
"""The cmhub package folder."""
FONTS = PACKAGE / "fonts"
"""The fonts cmhub draws text cards with (shipped in the package)."""
CONFIG_NAME = "site.yml"
"""The file that makes a folder a hub."""
CACHE_FOLDER = ".cmhub-cache"
"""The hub's folder of what builds keep for the next ones (never published)."""


def builtin_theme_dir() -> Path:
    """Return the built-in theme folder: inside the installed package, or the source tree's theme/."""
    installed = PACKAGE / "theme"
    return installed if installed.is_dir() else PACKAGE.parent / "theme"


def find_project(start: Path) -> Path:
    """Return the hub that ``start`` is in: the nearest folder, ``start`` or above, holding site.yml.

    The search stops at the top of a Git repository (a folder holding .git), as Git's does;
    when no hub is found, ``start`` itself is returned (loading it then says what is missing).
    """
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
        if (folder / ".git").exists():
            break
    return start
