"""Where cmhub's own files are."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
"""The cmhub package folder."""
FONTS = PACKAGE / "fonts"
"""The fonts cmhub draws text cards with (shipped in the package)."""


def builtin_theme_dir() -> Path:
    """Return the built-in theme folder: inside the installed package, or the source tree's theme/."""
    installed = PACKAGE / "theme"
    return installed if installed.is_dir() else PACKAGE.parent / "theme"
