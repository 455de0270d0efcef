"""cmhub: a static blog and content hub for community managers."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cmhub")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
