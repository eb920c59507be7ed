"""gofixer: find and fix memory and resource leaks in Go source code."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("gofixer")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
