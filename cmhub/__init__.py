"""cmhub: a static blog and content hub for community managers."""

__version__ = "0.1.0"
"""The one place the version is written (pyproject.toml reads it from here)."""
