"""Run the command line as ``python -m cmhub``."""

from cmhub.cli import entry

entry()
