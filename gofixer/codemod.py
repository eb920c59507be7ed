"""What a codemod is, and the registry that finds them through the `gofixer.codemods` entry-point group.

A codemod is one class in one module: its rule id, its documentation (the class docstring, in the
sections *What it does / Why is this bad? / Example / Fix safety*), its tree-sitter query, a cheap byte
prefilter, and `run`, which receives a parsed package plus the query's matches and yields findings.
It never touches the file system: the engine owns all I/O.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import ClassVar

from tree_sitter import Node

from gofixer.model import Finding, Fix
from gofixer.parsing import Captures, Package, SourceFile

ENTRY_POINT_GROUP = "gofixer.codemods"


@dataclass(frozen=True)
class Match:
    """One match of a codemod's query: the file, the pattern's index within the codemod's own query."""

    file: SourceFile
    pattern: int
    captures: Captures

    def node(self, name: str) -> Node | None:
        nodes = self.captures.get(name)
        return nodes[0] if nodes else None


class Codemod:
    """Base class of every codemod. Subclasses set the class attributes and implement `run`."""

    #: Rule id, kebab-case, e.g. "unclosed-resource".
    name: ClassVar[str] = ""
    #: One-line summary shown by `gofixer rules`.
    summary: ClassVar[str] = ""
    #: Tree-sitter query (one or more patterns). The engine runs all selected codemods' queries as one.
    query: ClassVar[str] = ""
    #: A package is only matched when one of its files contains one of these byte strings.
    prefilter: ClassVar[tuple[bytes, ...]] = ()

    def run(self, package: Package, matches: list[Match]) -> Iterable[Finding]:
        raise NotImplementedError

    # -- helpers for subclasses ----------------------------------------------------------------------

    def finding(self, file: SourceFile, node: Node, message: str, fix: Fix | None = None) -> Finding:
        anchor = file.line_text(node.start_point.row).strip().decode("utf-8", "replace")
        return Finding(self.name, file.path, file.span(node), message, fix, anchor)

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def wants(cls, package: Package) -> bool:
        if not cls.prefilter:
            return True
        return any(token in f.data for f in package.files for token in cls.prefilter)


@functools.cache
def registry() -> dict[str, type[Codemod]]:
    """Every codemod by rule id, sorted: the built-in modules of `codemods/`, then entry points."""
    found: dict[str, type[Codemod]] = {}
    import codemods

    for info in pkgutil.iter_modules(codemods.__path__, "codemods."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Codemod)
                and value.__module__ == module.__name__
                and value.name
            ):
                found[value.name] = value
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        cls = ep.load()
        if not (isinstance(cls, type) and issubclass(cls, Codemod)) or not cls.name:
            raise TypeError(f"entry point {ep.name!r} in {ENTRY_POINT_GROUP} is not a gofixer Codemod")
        found.setdefault(cls.name, cls)
    return dict(sorted(found.items()))


def select(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None) -> list[type[Codemod]]:
    """The codemods chosen by --select / --ignore; an unknown rule id raises KeyError naming it."""
    reg = registry()
    chosen = list(select) if select else list(reg)
    for name in [*chosen, *(ignore or [])]:
        if name not in reg:
            raise KeyError(name)
    ignored = set(ignore or [])
    return [reg[n] for n in reg if n in chosen and n not in ignored]


def iter_matches(codemods: list[type[Codemod]], files: list[SourceFile]) -> Iterator[tuple[int, Match]]:
    """Run all codemods' queries as ONE combined query over each file; yield (codemod index, match)."""
    from gofixer.parsing import query

    combined, bounds = combined_query(tuple(codemods))
    if not combined:
        return
    from tree_sitter import QueryCursor

    q = query(combined)
    starts = [q.start_byte_for_pattern(i) for i in range(q.pattern_count)]
    owner: list[tuple[int, int]] = []  # pattern index -> (codemod index, local pattern index)
    counts = [0] * len(codemods)
    for start in starts:
        idx = max(i for i, b in enumerate(bounds) if b <= start)
        owner.append((idx, counts[idx]))
        counts[idx] += 1
    for f in files:
        for pattern, caps in QueryCursor(q).matches(f.root):
            idx, local = owner[pattern]
            yield idx, Match(f, local, caps)


@functools.cache
def combined_query(codemods: tuple[type[Codemod], ...]) -> tuple[str, list[int]]:
    parts: list[str] = []
    bounds: list[int] = []
    offset = 0
    for cm in codemods:
        bounds.append(offset)
        text = cm.query.strip() + "\n"
        parts.append(text)
        offset += len(text.encode())
    return "".join(parts), bounds
