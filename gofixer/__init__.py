"""gofixer: find and fix memory and resource leaks in Go source code."""

# The single place the version is written: pyproject.toml reads it from here (setuptools' `attr:`), so
# start-up does not import importlib.metadata (a tenth of a check's start) to learn it.
__version__ = "0.1.0"
