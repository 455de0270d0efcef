"""The command line (click): parse options, call one use case, print its result, choose the exit code.

``cmhub.cli:entry`` is the console script (pyproject.toml) and ``main`` the click group: both are
named here so that the script's name does not change with the modules behind it. ``main`` is loaded
on first use: `cmhub build` with nothing changed is answered without click (cli/quick.py).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from cmhub.core.collector import slow_collector

__all__ = ["entry", "main"]


def entry() -> None:
    """The ``cmhub`` command (and ``python -m cmhub``): a plain `cmhub build` with nothing changed is
    answered at once; anything else runs through click (cli/verbs.py, which ends the process)."""
    slow_collector()  # before the modules load: their classes and tables are objects too
    from cmhub.cli.quick import answer

    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show '’' or a narrow no-break space
        reconfigure = getattr(stream, "reconfigure", None)  # (Latin-1, say) shows '?' in their place
        if reconfigure is not None:
            reconfigure(errors="replace")
    if answer(sys.argv[1:]):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)  # as verbs.entry ends: nothing is left to take down
    from cmhub.cli.verbs import entry as run_command

    run_command()


def __getattr__(name: str) -> Any:
    if name == "main":
        from cmhub.cli.verbs import main

        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
