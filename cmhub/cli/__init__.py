"""The command line (click): parse options, call one use case, print its result, choose the exit code.

``cmhub.cli:entry`` is the console script (pyproject.toml) and ``main`` the click group: both are
named here so that the script's name does not change with the modules behind it.
"""

from cmhub.cli.verbs import entry, main

__all__ = ["entry", "main"]
