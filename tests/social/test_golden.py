"""The social test hub's team folder, byte for byte, against the reviewed tree in expected/.

What `cmhub build` makes for the team: social/ (teasers.json and .csv, the Publer files, review pages,
the calendar as .ics, .csv, .json and .html, the batches) and plan.lock. Text files are kept as they
are, so a change reads as a diff; the pictures (several MB of JPEG) are kept as their SHA-256 digests
in expected/pictures.sha256, which guards their bytes as well.

Refresh after an intended change with `python -m pytest tests/social/test_golden.py --update-golden`
and review the diff of tests/sites/social/expected/ like code.
"""

from __future__ import annotations

import difflib
import hashlib
import shutil
from pathlib import Path

from click.testing import CliRunner

from cmhub.cli import main
from tests.conftest import NOW, SITES

EXPECTED = SITES / "social" / "expected"
PICTURES = "pictures.sha256"
BINARY = (".jpg", ".jpeg", ".png", ".webp", ".gif")


def team_outputs(project: Path) -> dict[str, bytes]:
    """Return social/ and plan.lock as {path: bytes}, the pictures folded into one list of digests."""
    found: dict[str, bytes] = {}
    digests = []
    for path in sorted((project / "social").rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(project).as_posix()
        if path.suffix.lower() in BINARY:
            digests.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {name}\n")
        else:
            found[name] = path.read_bytes()
    found["plan.lock"] = (project / "plan.lock").read_bytes()
    found[PICTURES] = "".join(digests).encode()
    return found


def expected_outputs() -> dict[str, bytes]:
    return {p.relative_to(EXPECTED).as_posix(): p.read_bytes() for p in sorted(EXPECTED.rglob("*")) if p.is_file()}


def test_social_hub_matches_golden_tree(tmp_path: Path, runner: CliRunner, update_golden: bool) -> None:
    project = tmp_path / "social"
    shutil.copytree(SITES / "social", project, ignore=shutil.ignore_patterns("expected"))
    result = runner.invoke(main, ["build", "-C", str(project), "--now", NOW])
    assert result.exit_code == 0, result.output
    actual = team_outputs(project)
    if update_golden:
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for name, data in actual.items():
            (EXPECTED / name).parent.mkdir(parents=True, exist_ok=True)
            (EXPECTED / name).write_bytes(data)
    expected = expected_outputs()
    assert sorted(actual) == sorted(expected)
    for name, data in actual.items():
        if data != expected[name]:
            diff = difflib.unified_diff(expected[name].decode(errors="replace").splitlines(),
                                        data.decode(errors="replace").splitlines(), name, name, lineterm="")
            raise AssertionError("\n".join(list(diff)[:60]))
