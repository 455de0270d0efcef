"""Fixtures of the import tests: an empty hub in Europe/Paris, and the CLI."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cmhub.cli.verbs import main
from tests.imports.exports import HUB_SITE_YML


@pytest.fixture
def hub(tmp_path: Path) -> Path:
    """An empty hub (French, Europe/Paris, one author), with a content/ folder."""
    root = tmp_path / "hub"
    (root / "content").mkdir(parents=True)
    (root / "site.yml").write_text(HUB_SITE_YML, encoding="utf-8")
    return root


def cmhub(*args: str | Path) -> Result:
    """Run cmhub in this process; stdout and stderr are kept apart."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Return every file under folder with the SHA-256 of its bytes and its modification time."""
    return {p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def front_and_body(path: Path) -> tuple[str, str]:
    """Return an article's front matter and body texts."""
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return front, body
