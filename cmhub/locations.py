"""Where cmhub's own files are."""

from __future__ import annotations

from pathlib import Path


def builtin_theme_dir() -> Path:
    """Return the built-in theme folder: inside the installed package, or the source tree's theme/."""
    package = Path(__file__).resolve().parent
    installed = package / "theme"
    return installed if installed.is_dir() else package.parent / "theme"
