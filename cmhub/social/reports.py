"""Keeping the reports: ``cmhub report`` writes into social/reports/, which every build rewrites whole.

The build's social/ step yields the reports already there (``kept_reports``), so a build keeps them
byte for byte instead of deleting them as files it did not make.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cmhub.output.files import OutputFile

REPORTS = "reports"
"""The folder of social/ that holds the reports."""
SUFFIXES = (".html", ".csv", ".json")


def kept_reports(social_output: Path) -> Iterator[OutputFile]:
    """Yield the report files already in social/reports/, to be kept as they are."""
    folder = social_output / REPORTS
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.is_symlink() and path.suffix in SUFFIXES and not path.name.startswith("."):
            yield OutputFile(f"{REPORTS}/{path.name}", source=path, link=True)
