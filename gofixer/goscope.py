"""What syntax alone can tell about names in a Go package: declarations, call sites, values in scope.

Codemods that change a signature need to find every call of a function, know whether the function is
also used as a value (then its signature is part of some type and must not change), and find what is
already in scope at a point (a context, a channel). No type checker is at hand, so every helper here
answers conservatively: when it cannot be sure, it says so (None, or a reference counted as a value use),
and the caller gives up instead of guessing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from tree_sitter import Node

from gofixer.parsing import (
    FUNCTION_TYPES,
    LOCAL_DECLARATIONS,
    WORD_BYTES,
    Package,
    SourceFile,
    ancestors,
    declared_names,
    walk_types,
    word_pattern,
)

DECLARATION_TYPES = frozenset({"function_declaration", "method_declaration"})
PARAMETER_TYPES = frozenset({"parameter_declaration", "variadic_parameter_declaration"})


def is_exported(name: str) -> bool:
    return name[:1].isupper()


def declared_function(node: Node) -> Node | None:
    """The function or method declaration holding ``node`` (through any func literals), or None."""
    for parent in ancestors(node):
        if parent.type in DECLARATION_TYPES:
            return parent
    return None


def enclosing_functions(node: Node) -> Iterator[Node]:
    """Func literals and the declaration around ``node``, innermost first."""
    for parent in ancestors(node):
        if parent.type in FUNCTION_TYPES:
            yield parent
            if parent.type in DECLARATION_TYPES:
                return


def function_name(f: SourceFile, decl: Node) -> str:
    name = decl.child_by_field_name("name")
    return f.decode(name) if name is not None else ""


def base_type_name(f: SourceFile, type_node: Node | None) -> str | None:
    """`T` for `T`, `*T`, `T[K]`, `*T[K]`; None for anything else (qualified, func, map, ...)."""
    node = type_node
    while node is not None and node.type in ("pointer_type", "generic_type", "parenthesized_type"):
        if node.type == "generic_type":
            node = node.child_by_field_name("type")
        else:
            node = node.named_children[0] if node.named_children else None
    if node is not None and node.type == "type_identifier":
        return f.decode(node)
    return None


def receiver(f: SourceFile, decl: Node) -> tuple[str | None, str | None]:
    """(receiver variable name, receiver base type name) of a method declaration."""
    recv = decl.child_by_field_name("receiver")
    if recv is None:
        return None, None
    for param in recv.named_children:
        if param.type == "parameter_declaration":
            name = param.child_by_field_name("name")
            return (f.decode(name) if name is not None else None), base_type_name(
                f, param.child_by_field_name("type")
            )
    return None, None


@dataclass(frozen=True)
class Param:
    name: str | None  # None for an unnamed parameter
    type: Node
    declaration: Node  # the parameter_declaration (several names may share it)
    index: int  # position among all parameters, counting each name


def parameters(f: SourceFile, func: Node) -> list[Param]:
    plist = func.child_by_field_name("parameters")
    out: list[Param] = []
    if plist is None:
        return out
    for decl in plist.named_children:
        if decl.type not in PARAMETER_TYPES:
            continue
        type_node = decl.child_by_field_name("type")
        if type_node is None:
            continue
        names = decl.children_by_field_name("name")
        if not names:
            out.append(Param(None, type_node, decl, len(out)))
        for name in names:
            out.append(Param(f.decode(name), type_node, decl, len(out)))
    return out


def result_types(func: Node) -> tuple[bool, list[Node]]:
    """(named?, result type nodes) of a function: `(n int, err error)` -> (True, [...])."""
    result = func.child_by_field_name("result")
    if result is None:
        return False, []
    if result.type != "parameter_list":
        return False, [result]
    types: list[Node] = []
    named = False
    for decl in result.named_children:
        if decl.type != "parameter_declaration":
            continue
        type_node = decl.child_by_field_name("type")
        names = decl.children_by_field_name("name")
        named = named or bool(names)
        if type_node is not None:
            types.extend([type_node] * max(1, len(names)))
    return named, types


def identifiers(node: Node) -> Iterator[Node]:
    yield from walk_types(node, frozenset({"identifier"}))


def uses_name(f: SourceFile, node: Node, name: str) -> bool:
    """Does identifier ``name`` occur anywhere under ``node``?"""
    data = name.encode()
    return any(f.text(i) == data for i in identifiers(node))


def preceding_statements(at: Node, stop: Node) -> Iterator[Node]:
    """Statements that run before ``at`` in the blocks enclosing it, up to ``stop``, nearest first."""
    node: Node | None = at
    while node is not None and node != stop:
        parent = node.parent
        if parent is not None and parent.type == "statement_list":
            sibling = node.prev_named_sibling
            while sibling is not None:
                yield sibling
                sibling = sibling.prev_named_sibling
        node = parent


def declared_positions(f: SourceFile, stmt: Node) -> list[tuple[str, int, Node]]:
    """Names a `:=` or `var` statement declares: (name, position on the left-hand side, the statement or spec)."""
    out: list[tuple[str, int, Node]] = []
    if stmt.type == "short_var_declaration":
        specs = [stmt]
    elif stmt.type == "var_declaration":
        specs = list(walk_types(stmt, frozenset({"var_spec"})))
    else:
        specs = []
    for spec in specs:
        for i, ident in enumerate(declared_names(spec)):
            out.append((f.decode(ident), i, spec))
    return out


class LocalNames:
    """The names declared anywhere in each function of one package, computed once per function.

    Parameters, `:=`, `var`, `const`, range variables and nested closures all count: cheaper than real
    scoping, and a name found here can only make a caller give up, never invent a finding.
    """

    def __init__(self) -> None:
        self._by_function: dict[int, frozenset[bytes]] = {}

    def declared_in(self, f: SourceFile, func: Node) -> frozenset[bytes]:
        found = self._by_function.get(func.id)
        if found is None:
            decls = walk_types(func, LOCAL_DECLARATIONS)
            found = self._by_function[func.id] = frozenset(
                f.text(n) for d in decls for n in declared_names(d)
            )
        return found

    def shadowed(self, f: SourceFile, at: Node, name: bytes) -> bool:
        """Is ``name`` declared in any function enclosing ``at``?"""
        return any(
            parent.type in FUNCTION_TYPES and name in self.declared_in(f, parent) for parent in ancestors(at)
        )


def call_args(call: Node) -> Node | None:
    """The argument list of a call, or of `f[T](x)` (which tree-sitter reads as a type conversion)."""
    if call.type == "call_expression":
        return call.child_by_field_name("arguments")
    return call


def open_paren(call: Node) -> tuple[int, bool] | None:
    """Offset just after the `(` of a call's arguments, and whether the argument list is empty."""
    args = call_args(call)
    if args is None:
        return None
    for child in args.children:
        if child.type == "(":
            nxt = child.next_sibling
            return child.end_byte, nxt is not None and nxt.type == ")"
    return None


def argument_nodes(call: Node) -> list[Node]:
    if call.type == "call_expression":
        args = call.child_by_field_name("arguments")
        return [a for a in args.named_children if a.type != "comment"] if args is not None else []
    operand = call.child_by_field_name("operand")
    return [operand] if operand is not None else []


# The leaves a name can be: what `mentions` finds when a name cannot be searched for as bytes.
_NAME_LEAVES = frozenset({"identifier", "field_identifier", "type_identifier"})


@dataclass
class Mentions:
    """Everything the package does with one name, read from that name's occurrences."""

    # Mentions that are not a call nor a declaration's own name: values, shadowing locals, method values.
    value_uses: list[tuple[SourceFile, Node]] = field(default_factory=list)
    selector_values: list[tuple[SourceFile, Node]] = field(default_factory=list)
    # Calls of the name: `f(...)` and `f[T](...)` for a function, `x.m(...)` for a method.
    function_calls: list[tuple[SourceFile, Node]] = field(default_factory=list)
    method_calls: list[tuple[SourceFile, Node]] = field(default_factory=list)
    fields: list[Node] = field(default_factory=list)  # type nodes of struct fields so named
    interface_method: bool = False


Declarations = dict[str, list[tuple[SourceFile, Node]]]
FileDeclarations = tuple[
    dict[bytes, list[tuple[SourceFile, Node]]], dict[bytes, list[tuple[SourceFile, Node]]]
]


class PackageIndex:
    """Who declares, calls and mentions what in one package, each part computed on demand.

    Declarations are read from the top level of the files that hold the name. What the package does with
    a name (calls, uses as a value, fields, interface methods) is read from that name's occurrences in
    the files' bytes, each classified from the leaf's parents: no walk of whole files, and only for the
    names asked about.
    """

    def __init__(self, package: Package) -> None:
        self.package = package
        self._declared: dict[str, FileDeclarations] = {}  # file path -> its declarations
        self._tables: tuple[Declarations, Declarations] | None = None
        self._mentions: dict[str, Mentions] = {}
        self._closed: set[str] | None = None
        self._holding: dict[bytes, list[SourceFile]] = {}

    # -- declarations ------------------------------------------------------------------------------

    def functions_named(self, name: str) -> list[tuple[SourceFile, Node]]:
        """The function declarations of ``name``."""
        return self._named(name, 0)

    def methods_named(self, name: str) -> list[tuple[SourceFile, Node]]:
        """The method declarations of ``name``."""
        return self._named(name, 1)

    def _named(self, name: str, kind: int) -> list[tuple[SourceFile, Node]]:
        if self._tables is not None or not name or "\ufffd" in name:
            return self._all_declarations()[kind].get(name, [])
        data = name.encode()  # a file declares the name only if its bytes hold it
        out: list[tuple[SourceFile, Node]] = []
        for f in self.files_with(data):
            out.extend(self._file_declarations(f)[kind].get(data, []))
        return out

    def files_with(self, data: bytes) -> list[SourceFile]:
        """The files whose bytes hold ``data``."""
        found = self._holding.get(data)
        if found is None:
            found = self._holding[data] = [f for f in self.package.files if data in f.data]
        return found

    def _all_declarations(self) -> tuple[Declarations, Declarations]:
        if self._tables is None:
            tables: tuple[Declarations, Declarations] = (defaultdict(list), defaultdict(list))
            for f in self.package.files:
                for node in self._declaration_nodes(f):
                    kind = 0 if node.type == "function_declaration" else 1
                    tables[kind][function_name(f, node)].append((f, node))
            self._tables = dict(tables[0]), dict(tables[1])
        return self._tables

    @staticmethod
    def _declaration_nodes(f: SourceFile) -> Iterator[Node]:
        """The function and method declarations of a file, in source order."""
        root = f.root
        # Declarations are top-level; a tree with errors may have put some anywhere.
        for node in walk_types(root, DECLARATION_TYPES) if root.has_error else root.children:
            if node.type in DECLARATION_TYPES:
                yield node

    def _file_declarations(self, f: SourceFile) -> FileDeclarations:
        """A file's function and method declarations by the bytes of their names."""
        found = self._declared.get(f.path)
        if found is None:
            found = self._declared[f.path] = (defaultdict(list), defaultdict(list))
            data = f.data
            for node in self._declaration_nodes(f):
                name = node.child_by_field_name("name")
                key = data[name.start_byte : name.end_byte] if name is not None else b""
                found[0 if node.type == "function_declaration" else 1][key].append((f, node))
        return found

    # -- one name ----------------------------------------------------------------------------------

    def occurrences(
        self, name: str, files: list[SourceFile] | None = None, start: int = 0, end: int | None = None
    ) -> Iterator[tuple[SourceFile, Node]]:
        """The leaves (identifiers, keywords...) whose text is ``name``, file by file in source order;
        only those starting in [start, end) of each file when given."""
        data = name.encode()
        if not name or "\ufffd" in name:  # not searchable as bytes: compare every name's text
            for f in self.package.files if files is None else files:
                for leaf in walk_types(f.root, _NAME_LEAVES):
                    if (
                        f.decode(leaf) == name
                        and start <= leaf.start_byte
                        and (end is None or leaf.start_byte < end)
                    ):
                        yield f, leaf
            return
        pattern = word_pattern(data)
        size = len(data)
        for f in self.files_with(data) if files is None else files:
            text = f.data
            if files is not None and data not in text:
                continue
            root = f.root
            exact = not root.has_error  # a broken tree may glue tokens together: check every hit
            for m in pattern.finditer(text, start):
                at = m.start()
                if end is not None and at >= end:
                    break
                if exact and at and text[at - 1] in WORD_BYTES:
                    continue
                node = root.descendant_for_byte_range(at, at + size)
                if node is not None and node.start_byte == at and node.end_byte == at + size:
                    yield f, node

    def mentions(self, name: str) -> Mentions:
        found = self._mentions.get(name)
        if found is None:
            found = self._mentions[name] = self._classify(self.occurrences(name))
        return found

    @staticmethod
    def _classify(occurrences: Iterable[tuple[SourceFile, Node]]) -> Mentions:
        out = Mentions()
        method_calls: dict[str, list[tuple[SourceFile, Node]]] = defaultdict(list)
        for f, node in occurrences:
            t = node.type
            parent = node.parent
            if parent is None:
                continue
            ptype = parent.type
            if t == "identifier":
                if ptype == "function_declaration" and parent.child_by_field_name("name") == node:
                    continue
                if ptype == "call_expression" and parent.child_by_field_name("function") == node:
                    out.function_calls.append((f, parent))
                    continue
                if ptype == "index_expression" and parent.child_by_field_name("operand") == node:
                    grand = parent.parent
                    if grand is not None and grand.child_by_field_name("function") == parent:
                        if grand.type == "call_expression":  # f[T](x, y): an explicitly instantiated generic
                            out.function_calls.append((f, grand))
                        continue
                out.value_uses.append((f, node))
            elif t == "field_identifier":
                if ptype == "selector_expression":
                    if parent.child_by_field_name("field") != node:
                        continue
                    grand = parent.parent
                    if (
                        grand is not None
                        and grand.type == "call_expression"
                        and grand.child_by_field_name("function") == parent
                    ):
                        method_calls[f.path].append((f, grand))
                    else:
                        out.selector_values.append((f, parent))
                elif ptype == "field_declaration":
                    type_node = parent.child_by_field_name("type")
                    if type_node is not None and node in parent.children_by_field_name("name"):
                        out.fields.append(type_node)
                elif ptype == "method_elem" and parent.child_by_field_name("name") == node:
                    out.interface_method = True
            elif t == "type_identifier" and ptype == "generic_type":
                grand = parent.parent
                if (
                    parent.child_by_field_name("type") == node
                    and grand is not None
                    and grand.type == "type_conversion_expression"
                    and grand.child_by_field_name("type") == parent
                ):
                    out.function_calls.append((f, grand))
        # A method call starts at its operand, not at the name: put each file's calls in source order.
        for calls in method_calls.values():
            calls.sort(key=lambda c: (c[1].start_byte, -c[1].end_byte))
            out.method_calls.extend(calls)
        return out

    def function_calls(self, name: str) -> list[tuple[SourceFile, Node]]:
        """`f(...)`, `f[T](...)` for ``name`` "f"."""
        return self.mentions(name).function_calls

    def method_calls(self, name: str) -> list[tuple[SourceFile, Node]]:
        """`x.m(...)` for ``name`` "m"."""
        return self.mentions(name).method_calls

    def value_uses(self, name: str) -> list[tuple[SourceFile, Node]]:
        return self.mentions(name).value_uses

    def value_uses_within(self, f: SourceFile, node: Node, name: str) -> list[tuple[SourceFile, Node]]:
        """The value uses of ``name`` that start inside ``node`` of file ``f``."""
        found = self._mentions.get(name)
        if found is not None:
            return [
                (df, n)
                for df, n in found.value_uses
                if df.path == f.path and node.start_byte <= n.start_byte < node.end_byte
            ]
        return self._classify(self.occurrences(name, [f], node.start_byte, node.end_byte)).value_uses

    def field_types(self, name: str) -> list[Node]:
        return self.mentions(name).fields

    def is_interface_method(self, name: str) -> bool:
        return self.mentions(name).interface_method

    def is_value(self, name: str) -> bool:
        """Is the package-level function ``name`` mentioned other than by calling it?"""
        return bool(self.mentions(name).value_uses)

    def is_method_value(self, name: str) -> bool:
        return bool(self.mentions(name).selector_values)

    def is_closed(self, name: str) -> bool:
        """Is ``name`` the last name of the argument of some `close(x)`?"""
        if self._closed is None:
            closed: set[str] = set()
            for f, call in self.function_calls("close"):
                fn = call.child_by_field_name("function")
                if fn is None or fn.type != "identifier":
                    continue  # `close[T](x)` is somebody's generic function
                args = argument_nodes(call)
                if len(args) == 1:
                    last = last_name(f, args[0])
                    if last is not None:
                        closed.add(last)
            self._closed = closed
        return name in self._closed


def last_name(f: SourceFile, expr: Node) -> str | None:
    """`ch` for `ch`, `s.ch`, `(s.ch)`, `*p`; None for calls and other expressions."""
    node = expr
    while node.type in ("parenthesized_expression", "unary_expression") and node.named_children:
        node = node.named_children[-1]
    if node.type == "identifier":
        return f.decode(node)
    if node.type == "selector_expression":
        sel = node.child_by_field_name("field")
        return f.decode(sel) if sel is not None else None
    return None
