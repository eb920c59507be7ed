"""The small value types every part of gofixer speaks: Edit, Fix, Finding, and the error record."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Applicability(enum.IntEnum):
    """How sure a fix is, ordered like ruff's: a higher value is safer to apply."""

    UNSAFE = 1
    SAFE = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Edit:
    """Replace bytes ``[start, end)`` of the file at ``path`` with ``text``."""

    path: str
    start: int
    end: int
    text: bytes

    def overlaps(self, other: Edit) -> bool:
        if self.path != other.path:
            return False
        if self.start == self.end == other.start == other.end:
            return True  # two insertions at the same spot: their order would be arbitrary
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class AddImport:
    """Ask the engine to make sure ``path`` imports the Go package ``import_path``."""

    path: str
    import_path: str


@dataclass(frozen=True)
class Fix:
    description: str
    edits: tuple[Edit, ...]
    imports: tuple[AddImport, ...] = ()
    applicability: Applicability = Applicability.SAFE

    def files(self) -> set[str]:
        return {e.path for e in self.edits} | {i.path for i in self.imports}


@dataclass(frozen=True)
class Span:
    """1-based line and column (in bytes, like the Go tools) of a range in a file."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Finding:
    rule: str
    path: str
    span: Span
    message: str
    fix: Fix | None = None
    # The text of the finding's first line, stripped: identifies a finding across passes and runs.
    anchor: str = field(default="", compare=False)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.rule, self.path, self.message, self.anchor)


@dataclass(frozen=True)
class FileError:
    """Something about one input that stopped gofixer from handling it; the run goes on with the others."""

    path: str
    message: str
    line: int = 0
    column: int = 0

    def render(self, display_path: str, severity: str = "error") -> str:
        where = f"{display_path}:{self.line}:{self.column}" if self.line else display_path
        return f"{where}: {severity}: {self.message}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 file`, `2 files`, `2 fixes`: counts in messages read as English."""
    if n == 1:
        return f"{n} {word}"
    return f"{n} {many or (word + 'es' if word.endswith(('s', 'x', 'sh', 'ch')) else word + 's')}"
