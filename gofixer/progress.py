"""A progress bar on stderr for long runs: it appears only after a couple of seconds, only on a terminal,
never in CI, and disappears when the run ends so the report below it stays clean.

`engine.scan` calls `start` with the work it discovered and `advance` with each directory's result.
"""

from __future__ import annotations

import os
import sys
import threading
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gofixer.engine import DirResult

DELAY = 2.0  # seconds: shorter runs never show a bar


def wanted(stream: IO[str]) -> bool:
    """A bar only helps a person watching a terminal: not in a pipe, a dumb terminal or CI."""
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class ProgressBar:
    """Counts Go files done; draws with rich once ``delay`` seconds have passed, if ``enabled``."""

    def __init__(
        self,
        label: str = "checking",
        stream: IO[str] | None = None,
        delay: float = DELAY,
        enabled: bool | None = None,
    ) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = wanted(self.stream) if enabled is None else enabled
        self.delay = delay
        self.total = 0
        self.done = 0
        self._sizes: dict[str, int] = {}
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._bar: Any = None  # rich.progress.Progress, imported only when a bar is drawn
        self._task: Any = None
        self._closed = False

    @property
    def shown(self) -> bool:
        return self._bar is not None

    def start(self, by_dir: dict[str, list[str]]) -> None:
        self._sizes = {d: len(files) for d, files in by_dir.items()}
        self.total = sum(self._sizes.values())
        if self.enabled and self.total:
            self._timer = threading.Timer(self.delay, self._show)
            self._timer.daemon = True
            self._timer.start()

    def advance(self, result: DirResult) -> None:
        with self._lock:
            self.done += self._sizes.get(result.directory, 0)
            if self._bar is not None:
                self._bar.update(self._task, completed=self.done)

    def _show(self) -> None:
        with self._lock:
            if self._closed or self._bar is not None:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._bar = Progress(
                TextColumn(self.label),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("files"),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self._task = self._bar.add_task("files", total=self.total, completed=self.done)
            self._bar.start()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._timer is not None:
                self._timer.cancel()
            if self._bar is not None:
                self._bar.stop()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
