"""The sample hub's whole output, byte for byte, against the reviewed tree in expected/.

Refresh after an intended change with `python -m pytest tests/site/test_golden.py --update-golden`
and review the diff of tests/sites/basic/expected/ like code.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

from click.testing import CliRunner

from cmhub.cli.verbs import main
from tests.conftest import NOW, SITES

EXPECTED = SITES / "basic" / "expected"


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_sample_hub_matches_golden_tree(basic_site: Path, runner: CliRunner, update_golden: bool) -> None:
    result = runner.invoke(main, ["build", "-C", str(basic_site), "--now", NOW])
    assert result.exit_code == 0, result.output
    actual = files_of(basic_site / "site")
    if update_golden:
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(basic_site / "site", EXPECTED)
    expected = files_of(EXPECTED)
    assert sorted(actual) == sorted(expected)
    for name, data in actual.items():
        if data != expected[name]:
            diff = difflib.unified_diff(expected[name].decode(errors="replace").splitlines(),
                                        data.decode(errors="replace").splitlines(), name, name, lineterm="")
            raise AssertionError("\n".join(list(diff)[:60]))
