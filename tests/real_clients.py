"""The networks' own code, run by Node.js from tests/clients/ (installed by tests/clients/install).

A test that needs them fails when the environment variable CI is set and they are missing, and skips
with the reason otherwise (round rule: real clients in tests).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

CLIENTS = Path(__file__).parent / "clients"


def missing() -> str:
    """Return why the clients cannot run here, or '' when they can."""
    if shutil.which("node") is None:
        return "node is not installed"
    for package in ("twitter-text", "@atproto/api"):
        if not (CLIENTS / "node_modules" / package / "package.json").is_file():
            return f"{package} is not installed: run tests/clients/install"
    return ""


def need_clients() -> None:
    """Fail (in CI) or skip (elsewhere) when the clients are missing."""
    reason = missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"real clients needed in CI: {reason}")
        pytest.skip(reason)


def measure(**lists: list[str]) -> dict[str, Any]:
    """Measure texts with twitter-text and @atproto/api (see tests/clients/measure.js)."""
    need_clients()
    done = subprocess.run(["node", str(CLIENTS / "measure.js")], input=json.dumps(lists), capture_output=True,
                          text=True, check=True, timeout=300)
    return json.loads(done.stdout)
