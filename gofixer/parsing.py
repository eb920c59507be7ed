"""Parsing Go with tree-sitter: the parsed file and package types codemods receive, and small node helpers.

Everything works in bytes and byte offsets; text is decoded only for messages.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import tree_sitter_go
from tree_sitter import Language, Node, Parser, Query, QueryCursor, Tree

from gofixer.model import Span

GO = Language(tree_sitter_go.language())

BOM = b"\xef\xbb\xbf"
_GENERATED = re.compile(rb"^// Code generated .* DO NOT EDIT\.\r?$", re.M)
_BUILD_CONSTRAINT = re.compile(rb"^//go:build[ \t]+(.*?)[ \t]*$", re.M)
_PLUS_BUILD = re.compile(rb"^// \+build[ \t]+(.*?)[ \t]*$", re.M)
_PACKAGE_CLAUSE = re.compile(rb"^package[ \t]", re.M)

Captures = dict[str, list[Node]]
# What may stand before or between a file's import declarations.
_BEFORE_IMPORTS = frozenset({"comment", "package_clause", ";", "\n"})


@functools.cache
def parser() -> Parser:
    return Parser(GO)


@functools.cache
def query(source: str) -> Query:
    """Compile a query once per process."""
    return Query(GO, source)


def matches(source: str, node: Node) -> list[tuple[int, Captures]]:
    return QueryCursor(query(source)).matches(node)


def captures(source: str, node: Node) -> Captures:
    return QueryCursor(query(source)).captures(node)


def is_generated(data: bytes) -> bool:
    """Go's convention: a line `// Code generated ... DO NOT EDIT.` before the package clause."""
    head_end = data.find(b"\npackage ")
    head = data if head_end < 0 else data[: head_end + 1]
    return _GENERATED.search(head) is not None


def is_build_ignored(data: bytes) -> bool:
    """A file kept out of every build by an `ignore` build tag (`//go:build ignore`, `// +build ignore`).

    By convention such a file is a generator or a tool run by hand with `go run`, not part of its
    package: it exits right after doing its job. Only a constraint that requires `ignore` counts
    (`ignore`, `ignore && linux`); `ignore || linux` may still be built.
    """
    clause = _PACKAGE_CLAUSE.search(data)
    head = data if clause is None else data[: clause.start()]
    for m in _BUILD_CONSTRAINT.finditer(head):
        expr = m.group(1)
        if b"||" not in expr and b"(" not in expr and b"ignore" in (t.strip() for t in expr.split(b"&&")):
            return True
    for m in _PLUS_BUILD.finditer(head):  # space-separated options are ORed, comma-separated terms ANDed
        if all(b"ignore" in opt.split(b",") for opt in m.group(1).split()):
            return True
    return False


@dataclass(frozen=True)
class Encoding:
    """How a file's bytes were normalised before parsing, so the output can be restored byte-exactly."""

    bom: bool = False
    crlf: bool = False

    @staticmethod
    def detect(raw: bytes) -> tuple[Encoding, bytes]:
        bom = raw.startswith(BOM)
        data = raw[len(BOM) :] if bom else raw
        crlf = False
        if b"\r" in data and b"\r\n" in data:  # rare: count only then (a one-byte search is the fastest)
            lf = data.count(b"\n")
            crlf = data.count(b"\r\n") == lf
        if crlf:
            data = data.replace(b"\r\n", b"\n")
        return Encoding(bom, crlf), data

    def restore(self, data: bytes) -> bytes:
        if self.crlf:
            data = data.replace(b"\n", b"\r\n")
        return BOM + data if self.bom else data


@dataclass
class SourceFile:
    path: str  # absolute, symlinks resolved
    data: bytes  # normalised: no BOM, LF line endings
    tree: Tree
    encoding: Encoding = field(default_factory=Encoding)
    _line_starts: list[int] | None = field(default=None, repr=False)
    _imports: dict[str, list[str]] | None = field(default=None, repr=False)
    _build_ignored: bool | None = field(default=None, repr=False)

    @staticmethod
    def parse(path: str, data: bytes, encoding: Encoding | None = None) -> SourceFile:
        return SourceFile(path, data, parser().parse(data), encoding or Encoding())

    @property
    def root(self) -> Node:
        return self.tree.root_node

    @property
    def package_name(self) -> str:
        root = self.root
        for i in range(root.named_child_count):  # one child at a time: it comes after the leading comments
            child = root.named_child(i)
            if child is not None and child.type == "package_clause":
                for sub in child.named_children:
                    return self.text(sub).decode("utf-8", "replace")
        return ""

    @property
    def build_ignored(self) -> bool:
        """Kept out of every build by an `ignore` build tag (see `is_build_ignored`); read once."""
        if self._build_ignored is None:
            self._build_ignored = is_build_ignored(self.data)
        return self._build_ignored

    @property
    def is_test(self) -> bool:
        return self.path.endswith("_test.go")

    def text(self, node: Node) -> bytes:
        return self.data[node.start_byte : node.end_byte]

    def decode(self, node: Node) -> str:
        return self.text(node).decode("utf-8", "replace")

    # -- positions ---------------------------------------------------------------------------------

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            starts.extend(m.end() for m in re.finditer(rb"\n", self.data))
            self._line_starts = starts
        return self._line_starts

    def span(self, node: Node) -> Span:
        s, e = node.start_point, node.end_point
        return Span(s.row + 1, s.column + 1, e.row + 1, e.column + 1)

    def line_of(self, offset: int) -> int:
        """0-based row of a byte offset."""
        import bisect

        return bisect.bisect_right(self.line_starts, offset) - 1

    def line_text(self, row: int) -> bytes:
        starts = self.line_starts
        start = starts[row]
        end = starts[row + 1] - 1 if row + 1 < len(starts) else len(self.data)
        return self.data[start:end]

    def indent_at(self, offset: int) -> bytes:
        """The leading whitespace of the line holding ``offset``."""
        line = self.line_text(self.line_of(offset))
        return line[: len(line) - len(line.lstrip(b" \t"))]

    def line_end(self, offset: int) -> int:
        """Offset just past the newline ending the line that holds ``offset`` (or the end of file)."""
        nl = self.data.find(b"\n", offset)
        return len(self.data) if nl < 0 else nl + 1

    # -- imports -----------------------------------------------------------------------------------

    @property
    def imports(self) -> dict[str, list[str]]:
        """Import path -> local names it is bound to ("." for a dot import, "_" for a blank import)."""
        if self._imports is None:
            found: dict[str, list[str]] = {}
            for spec in self._import_specs():
                path_node = spec.child_by_field_name("path")
                if path_node is None:
                    continue
                path = self.decode(path_node).strip('"`')
                name_node = spec.child_by_field_name("name")
                name = self.decode(name_node) if name_node is not None else path.rsplit("/", 1)[-1]
                found.setdefault(path, []).append(name)
            self._imports = found
        return self._imports

    def _import_specs(self) -> Iterator[Node]:
        # Go puts every import declaration right after the package clause, before any other
        # declaration: read the file's first children one at a time and stop at the first other one.
        root = self.root
        for i in range(root.child_count):
            decl = root.child(i)
            if decl is None:
                break
            kind = decl.type
            if kind != "import_declaration":
                if kind in _BEFORE_IMPORTS:
                    continue
                break
            for child in decl.named_children:
                if child.type == "import_spec":
                    yield child
                elif child.type == "import_spec_list":
                    yield from (c for c in child.named_children if c.type == "import_spec")

    def local_name(self, import_path: str) -> str | None:
        """The identifier code in this file uses for ``import_path``, or None when it is not usable by name."""
        for name in self.imports.get(import_path, []):
            if name not in (".", "_"):
                return name
        return None

    def dot_imports(self, import_path: str) -> bool:
        return "." in self.imports.get(import_path, [])

    def names_for(self, import_paths: dict[str, str]) -> dict[str, str]:
        """Map local package names to the key given for each import path (e.g. {"stdos": "os"})."""
        out: dict[str, str] = {}
        for path, key in import_paths.items():
            for name in self.imports.get(path, []):
                if name not in (".", "_"):
                    out[name] = key
        return out


@dataclass
class Package:
    """The Go files of one directory that share a package clause: what a codemod sees."""

    dir: str
    name: str
    files: list[SourceFile]
    go_version: tuple[int, int] | None = None  # from the enclosing go.mod's `go` line

    def file(self, path: str) -> SourceFile:
        for f in self.files:
            if f.path == path:
                return f
        raise KeyError(path)


def walk_types(node: Node, types: frozenset[str]) -> Iterator[Node]:
    """Descendants of ``node`` (itself included) whose type is in ``types``, in source order.

    For the subtrees codemods inspect after a query matched. The walk itself runs in C: a query made of
    the wanted node types, compiled once per set of types.
    """
    found = QueryCursor(_types_query(types)).captures(node).get("n", [])
    if len(found) > 1:
        found.sort(key=lambda n: (n.start_byte, -n.end_byte))
    return iter(found)


@functools.cache
def _types_query(types: frozenset[str]) -> Query:
    return Query(GO, "[" + " ".join(f"({t})" for t in sorted(types)) + "] @n")


def ancestors(node: Node, stop: Node | None = None) -> Iterator[Node]:
    """Ancestors of ``node``, nearest first, up to but excluding ``stop`` (all of them when None)."""
    parent = node.parent
    while parent is not None and (stop is None or parent != stop):
        yield parent
        parent = parent.parent


def enclosing(node: Node, types: frozenset[str], stop: Node | None = None) -> Node | None:
    """The nearest ancestor of ``node`` whose type is in ``types``, looking no further than below ``stop``."""
    for parent in ancestors(node, stop):
        if parent.type in types:
            return parent
    return None


def has_ancestor(node: Node, typ: str, stop: Node | None) -> bool:
    """Is there an ancestor of type ``typ`` between ``node`` and ``stop`` (``stop`` excluded)?"""
    return any(parent.type == typ for parent in ancestors(node, stop))


# Go's predeclared integer types, as source text.
INTEGER_TYPES = frozenset(
    {
        b"int", b"int8", b"int16", b"int32", b"int64",
        b"uint", b"uint8", b"uint16", b"uint32", b"uint64", b"uintptr",
        b"byte", b"rune",
    }
)  # fmt: skip

FUNCTION_TYPES = frozenset({"function_declaration", "method_declaration", "func_literal"})


def enclosing_function(node: Node) -> Node | None:
    """The innermost function declaration, method declaration or func literal around ``node``."""
    return enclosing(node, FUNCTION_TYPES)


def enclosing_loop(node: Node, stop: Node | None = None) -> Node | None:
    """The innermost `for` statement around ``node``, looking no further than below ``stop``."""
    return enclosing(node, _LOOP_TYPES, stop)


_LOOP_TYPES = frozenset({"for_statement"})


def unparen(node: Node) -> Node:
    """``node`` with the parentheses around it stripped: `x` for `((x))`."""
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    return node


def with_parens(node: Node) -> Node:
    """The outermost parenthesized expression wrapping ``node``, or ``node`` itself: `((x))` for `x`."""
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    return node


def in_statement_list(node: Node) -> bool:
    """Is ``node`` a statement of a block (where a statement can be inserted before or after it)?"""
    return node.parent is not None and node.parent.type == "statement_list"


def statements(block: Node | None) -> list[Node]:
    """The statements of a block, comments left out."""
    if block is None:
        return []
    for child in block.named_children:
        if child.type == "statement_list":
            return [c for c in child.named_children if c.type != "comment"]
    return []


def is_field_key(ident: Node) -> bool:
    """Is ``ident`` the key of a keyed element (`{Name: v}`): a field name, not a use of a variable?"""
    parent = ident.parent
    if parent is None or parent.type != "literal_element" or parent.parent is None:
        return False
    keyed = parent.parent
    return keyed.type == "keyed_element" and keyed.child_by_field_name("key") == parent


def short_text(f: SourceFile, node: Node, width: int = 40) -> str:
    """The source of ``node`` for a message, cut to ``width`` characters."""
    text = f.decode(node)
    return text if len(text) <= width else text[: width - 3] + "..."


def first_error(node: Node) -> Node | None:
    """The first ERROR or MISSING node under ``node``, for a syntax-error message."""
    if not node.has_error:
        return None
    for child in node.children:
        if child.is_error or child.is_missing:
            return child
        if child.has_error:
            return first_error(child) or child
    return node


# ASCII bytes that may continue a Go identifier: a name found next to one is part of a longer word.
WORD_BYTES = frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")


@functools.lru_cache(maxsize=1024)
def word_pattern(name: bytes) -> re.Pattern[bytes]:
    """``name`` not followed by an identifier byte. Literal first, which `re` searches fastest: the
    byte before a hit is for the caller to test (`WORD_BYTES`)."""
    return re.compile(re.escape(name) + rb"(?![0-9A-Za-z_])")


def identifiers_named(f: SourceFile, node: Node, name: bytes, start: int = 0) -> list[Node]:
    """The identifiers spelled ``name`` under ``node`` that start at ``start`` or later, in source order.

    Found from the name's occurrences in the bytes (a literal-first regex), then the tree: cheaper than
    walking every identifier. An identifier is a leaf, so it is the smallest node spanning its bytes. In a
    tree with syntax errors, which may glue tokens together, every identifier is walked instead.
    """
    lo = max(start, node.start_byte)
    if not name or f.root.has_error:
        return [i for i in walk_types(node, _IDENTIFIER) if i.start_byte >= lo and f.text(i) == name]
    data, size = f.data, len(name)
    descend = node.descendant_for_byte_range
    out = []
    # Names are made of identifier bytes, so a valid occurrence never starts inside another match.
    for m in word_pattern(name).finditer(data, lo, node.end_byte):
        at = m.start()
        if at and data[at - 1] in WORD_BYTES:
            continue  # the end of a longer name
        ident = descend(at, at + size)
        if (
            ident is not None
            and ident.type == "identifier"
            and ident.start_byte == at
            and ident.end_byte == at + size
        ):
            out.append(ident)
    return out


_IDENTIFIER = frozenset({"identifier"})


def module_go_version(directory: str) -> tuple[int, int] | None:
    """The `go` line of the go.mod governing ``directory``, if any."""
    mod = find_go_mod(directory)
    if mod is None:
        return None
    try:
        st = os.stat(mod)
    except OSError:
        return None
    return _go_line(mod, st.st_mtime_ns, st.st_size)  # a go.mod edited since is read again


@functools.lru_cache(maxsize=256)
def _go_line(mod: str, mtime_ns: int, size: int) -> tuple[int, int] | None:
    try:
        text = Path(mod).read_text("utf-8", "replace")
    except OSError:
        return None
    m = re.search(r"^go\s+(\d+)\.(\d+)", text, re.M)
    return (int(m.group(1)), int(m.group(2))) if m else None


def find_go_mod(directory: str) -> str | None:
    """The go.mod of ``directory`` or of its nearest ancestor with one (asked once per directory)."""
    return _find_go_mod(os.path.abspath(directory))


@functools.lru_cache(maxsize=4096)
def _find_go_mod(directory: str) -> str | None:
    mod = os.path.join(directory, "go.mod")
    if os.path.isfile(mod):
        return mod
    parent = os.path.dirname(directory)
    return None if parent == directory else _find_go_mod(parent)


# Nodes that declare names inside a function: parameters, `:=`, `var`, `const`, `range ... :=`,
# `case v := <-ch`, `switch v := x.(type)`.
LOCAL_DECLARATIONS = frozenset(
    {
        "parameter_declaration",
        "variadic_parameter_declaration",
        "short_var_declaration",
        "var_spec",
        "const_spec",
        "range_clause",
        "receive_statement",
        "type_switch_statement",
    }
)


def declared_names(decl: Node) -> list[Node]:
    """The identifiers a node of LOCAL_DECLARATIONS declares (none for `range`/receive with `=`)."""
    if decl.type in ("parameter_declaration", "variadic_parameter_declaration", "var_spec", "const_spec"):
        return decl.children_by_field_name("name")
    if decl.type in ("short_var_declaration", "range_clause", "receive_statement"):
        if decl.type != "short_var_declaration" and not any(c.type == ":=" for c in decl.children):
            return []
        left = decl.child_by_field_name("left")
        return [c for c in left.named_children if c.type == "identifier"] if left is not None else []
    if decl.type == "type_switch_statement":
        alias = decl.child_by_field_name("alias")
        return [c for c in alias.named_children if c.type == "identifier"] if alias is not None else []
    return []


def declaration_of(ident: Node) -> Node | None:
    """The node of LOCAL_DECLARATIONS that declares ``ident`` (see declared_names), or None for a use."""
    parent = ident.parent
    for decl in (parent, parent.parent if parent is not None else None):
        if decl is not None and decl.type in LOCAL_DECLARATIONS and ident in declared_names(decl):
            return decl
    return None
