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
import os
import pkgutil
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.machinery import PathFinder
from typing import ClassVar

from tree_sitter import Node, QueryCursor

from gofixer.model import Finding, Fix
from gofixer.parsing import Captures, Package, SourceFile, query

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
    #: Where the query can match. Each anchor is a bytes regex and a depth: every node that a pattern
    #: of the query matches at its root has a type in ``roots`` and lies at most ``depth`` parents
    #: above the smallest node holding some match of one of the anchors. With anchors set, the engine
    #: does not run the query over whole files (a full walk costs a quarter of the parse): it finds the
    #: anchors with the regexes (in C; start them with a literal, which `re` searches fastest), climbs
    #: from each to the candidate roots, and runs the query on those nodes only. Without anchors the
    #: query runs over every file, combined with the other such codemods' queries. A test checks, for
    #: every built-in codemod, that both ways find the same matches.
    anchors: ClassVar[tuple[tuple[re.Pattern[bytes], int], ...]] = ()
    roots: ClassVar[frozenset[str]] = frozenset()

    def run(self, package: Package, matches: list[Match]) -> Iterable[Finding]:
        raise NotImplementedError

    @classmethod
    def skip_file(cls, f: SourceFile, package: Package) -> bool:
        """True when no match in ``f`` can lead to a finding, whatever the query matches there: the
        engine then does not look for matches in ``f`` at all (a per-file `prefilter`). Must be exact:
        skipping a file that could yield a finding loses it."""
        return False

    @classmethod
    def candidates(cls, f: SourceFile) -> list[Node] | None:
        """The nodes of ``f`` the query can match at (patterns start at them), or None for all of them.

        By default, the nodes found from ``anchors``; a codemod may know a cheaper way.
        """
        if not (cls.anchors and cls.roots):
            return None
        return anchored_candidates(f, cls.anchors, cls.roots)

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


class PluginError(Exception):
    """A codemod from the `gofixer.codemods` entry-point group cannot be used; ``str()`` says why."""


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
    if not _may_have_plugins():
        return dict(sorted(found.items()))
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        where = f"codemod entry point {ep.name!r} ({ep.value})"
        try:
            cls = ep.load()
        except Exception as exc:  # a broken plugin: one line naming it, not a traceback
            raise PluginError(f"cannot load {where}: {type(exc).__name__}: {exc}") from exc
        if not (isinstance(cls, type) and issubclass(cls, Codemod)) or not cls.name:
            raise PluginError(f"{where} is not a gofixer Codemod subclass with a name")
        found.setdefault(cls.name, cls)
    return dict(sorted(found.items()))


def _may_have_plugins() -> bool:
    """Can `importlib.metadata` find an entry point of our group? False only when surely not.

    Importing importlib.metadata (it imports the email package) is a tenth of a check's start-up, and
    almost no installation has a plugin. A distribution declares its entry points in the
    `entry_points.txt` of its `.dist-info` or `.egg-info` directory on sys.path, which names the group
    in a `[gofixer.codemods]` header: when none does, there is none. Anything else that could provide
    distributions (a zip file on sys.path, a meta-path finder of its own) makes this say "maybe".
    """
    if any(finder is not PathFinder and hasattr(finder, "find_distributions") for finder in sys.meta_path):
        return True
    header = f"[{ENTRY_POINT_GROUP}]".encode()
    for entry in sys.path:
        where = entry or "."
        try:
            with os.scandir(where) as it:
                metadata = [e.path for e in it if e.name.lower().endswith((".dist-info", ".egg-info"))]
        except NotADirectoryError:
            return True  # a zip file: let importlib.metadata read it
        except OSError:
            continue  # missing or unreadable: importlib.metadata finds nothing there either
        for directory in metadata:
            try:
                with open(os.path.join(directory, "entry_points.txt"), "rb") as fh:
                    if header in fh.read():
                        return True
            except OSError:
                continue
    return False


def select(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None) -> list[type[Codemod]]:
    """The codemods chosen by --select / --ignore; an unknown rule id raises KeyError naming it."""
    reg = registry()
    chosen = list(select) if select else list(reg)
    for name in [*chosen, *(ignore or [])]:
        if name not in reg:
            raise KeyError(name)
    ignored = set(ignore or [])
    return [reg[n] for n in reg if n in chosen and n not in ignored]


def iter_matches(codemods: list[type[Codemod]], package: Package) -> Iterator[tuple[int, Match]]:
    """Yield (codemod index, match) for every match of the codemods' queries in the package's files.

    A codemod that knows its candidate nodes (see `Codemod.anchors`) runs its query on those alone;
    the others share ONE combined query over each whole file.
    """
    with_query = [i for i, cm in enumerate(codemods) if cm.query]
    for f in package.files:
        rest = []
        for idx in with_query:
            cm = codemods[idx]
            if cm.skip_file(f, package):
                continue
            nodes = cm.candidates(f)
            if nodes is None:
                rest.append(idx)
                continue
            for pattern, caps in matches_at(cm.query, nodes):
                yield idx, Match(f, pattern, caps)
        if rest:
            for local_idx, pattern, caps in _combined_matches(tuple(codemods[i] for i in rest), f):
                yield rest[local_idx], Match(f, pattern, caps)


def anchored_candidates(
    f: SourceFile,
    anchors: tuple[tuple[re.Pattern[bytes], int], ...],
    roots: frozenset[str],
) -> list[Node]:
    """The nodes of a type in ``roots`` at most ``depth`` parents above an anchor, in source order."""
    descend = f.root.descendant_for_byte_range
    data = f.data
    # A root already found -> how many more levels the climb that found it could go above it.
    seen: dict[int, int] = {}
    candidates = []
    for regex, depth in anchors:
        for m in regex.finditer(data):
            node: Node | None = descend(*m.span())
            left = depth
            while node is not None and left >= 0:
                if node.type in roots:
                    before = seen.get(node.id)
                    if before is not None and before >= left:
                        break  # an earlier climb passed here and went at least as far up
                    if before is None:
                        candidates.append(node)
                    seen[node.id] = left
                node = node.parent
                left -= 1
    if len(candidates) > 1:
        candidates.sort(key=lambda n: (n.start_byte, -n.end_byte))
    return candidates


def matches_at(source: str, nodes: list[Node]) -> list[tuple[int, Captures]]:
    """The matches of query ``source`` whose patterns start at one of ``nodes``, in that order."""
    if not nodes:
        return []
    matches = _rooted_cursor(source).matches
    out: list[tuple[int, Captures]] = []
    for node in nodes:
        out.extend(matches(node))
    return out


@functools.cache
def _rooted_cursor(source: str) -> QueryCursor:
    """One cursor per query and process, limited to matches starting at the node it is given (each
    `matches` call starts afresh, so one cursor serves every call)."""
    cursor = QueryCursor(query(source))
    cursor.set_max_start_depth(0)
    return cursor


def _combined_matches(
    codemods: tuple[type[Codemod], ...], f: SourceFile
) -> Iterator[tuple[int, int, Captures]]:
    combined, bounds = combined_query(codemods)
    q = query(combined)
    owner = _owners(combined, tuple(bounds))
    for pattern, caps in QueryCursor(q).matches(f.root):
        idx, local = owner[pattern]
        yield idx, local, caps


@functools.cache
def _owners(combined: str, bounds: tuple[int, ...]) -> list[tuple[int, int]]:
    """Pattern index in the combined query -> (codemod index, the pattern's index in its own query)."""
    q = query(combined)
    owner: list[tuple[int, int]] = []
    counts = [0] * len(bounds)
    for i in range(q.pattern_count):
        start = q.start_byte_for_pattern(i)
        idx = max(j for j, b in enumerate(bounds) if b <= start)
        owner.append((idx, counts[idx]))
        counts[idx] += 1
    return owner


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
