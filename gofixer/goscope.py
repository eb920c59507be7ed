"""What syntax alone can tell about names in a Go package: declarations, call sites, values in scope.

Codemods that change a signature need to find every call of a function, know whether the function is
also used as a value (then its signature is part of some type and must not change), and find what is
already in scope at a point (a context, a channel). No type checker is at hand, so every helper here
answers conservatively: when it cannot be sure, it says so (None, or a reference counted as a value use),
and the caller gives up instead of guessing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from tree_sitter import Node

from gofixer.parsing import (
    FUNCTION_TYPES,
    LOCAL_DECLARATIONS,
    Package,
    SourceFile,
    ancestors,
    declared_names,
    walk_types,
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


@dataclass
class PackageIndex:
    """Who declares, calls and mentions what in one package, built once per package on demand."""

    package: Package
    functions: dict[str, list[tuple[SourceFile, Node]]] = field(default_factory=lambda: defaultdict(list))
    methods: dict[str, list[tuple[SourceFile, Node]]] = field(default_factory=lambda: defaultdict(list))
    interface_methods: set[str] = field(default_factory=set)
    fields: dict[str, list[Node]] = field(default_factory=lambda: defaultdict(list))  # name -> type nodes
    # Calls by the callee's last name: `f(...)` and `f[T](...)` under "f", `x.m(...)` under "m".
    function_calls: dict[str, list[tuple[SourceFile, Node]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    method_calls: dict[str, list[tuple[SourceFile, Node]]] = field(default_factory=lambda: defaultdict(list))
    # Mentions that are not a call nor a declaration's own name: values, shadowing locals, method values.
    value_uses: dict[str, list[tuple[SourceFile, Node]]] = field(default_factory=lambda: defaultdict(list))
    selector_values: dict[str, list[tuple[SourceFile, Node]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    closed: set[str] = field(default_factory=set)  # last names of every `close(x)` argument

    @staticmethod
    def build(package: Package) -> PackageIndex:
        index = PackageIndex(package)
        kinds = frozenset(
            {
                "function_declaration",
                "method_declaration",
                "method_elem",
                "field_declaration",
                "call_expression",
                "type_conversion_expression",
                "identifier",
                "selector_expression",
            }
        )
        for f in package.files:
            for node in walk_types(f.root, kinds):
                index._add(f, node)
        return index

    def _add(self, f: SourceFile, node: Node) -> None:
        t = node.type
        if t == "identifier":  # by far the most frequent kind: tested first
            parent = node.parent
            if parent is None:
                return
            ptype = parent.type
            if ptype == "function_declaration" and parent.child_by_field_name("name") == node:
                return
            if ptype == "call_expression" and parent.child_by_field_name("function") == node:
                return
            if ptype == "index_expression" and parent.child_by_field_name("operand") == node:
                grand = parent.parent
                if grand is not None and grand.child_by_field_name("function") == parent:
                    return
            self.value_uses[f.decode(node)].append((f, node))
            return
        if t == "function_declaration":
            self.functions[function_name(f, node)].append((f, node))
        elif t == "method_declaration":
            self.methods[function_name(f, node)].append((f, node))
        elif t == "method_elem":
            elem = node.child_by_field_name("name")
            if elem is not None:
                self.interface_methods.add(f.decode(elem))
        elif t == "field_declaration":
            type_node = node.child_by_field_name("type")
            if type_node is not None:
                for field_name in node.children_by_field_name("name"):
                    self.fields[f.decode(field_name)].append(type_node)
        elif t == "call_expression":
            fn = node.child_by_field_name("function")
            if fn is None:
                return
            if fn.type == "identifier":
                name = f.decode(fn)
                self.function_calls[name].append((f, node))
                if name == "close":
                    args = argument_nodes(node)
                    if len(args) == 1:
                        last = last_name(f, args[0])
                        if last is not None:
                            self.closed.add(last)
            elif fn.type == "selector_expression":
                sel = fn.child_by_field_name("field")
                if sel is not None:
                    self.method_calls[f.decode(sel)].append((f, node))
            elif fn.type == "index_expression":  # f[T](x, y): an explicitly instantiated generic
                operand = fn.child_by_field_name("operand")
                if operand is not None and operand.type == "identifier":
                    self.function_calls[f.decode(operand)].append((f, node))
        elif t == "type_conversion_expression":
            typ = node.child_by_field_name("type")
            if typ is not None and typ.type == "generic_type":
                inner = typ.child_by_field_name("type")
                if inner is not None and inner.type == "type_identifier":
                    self.function_calls[f.decode(inner)].append((f, node))
        elif t == "selector_expression":
            parent = node.parent
            if (
                parent is not None
                and parent.type == "call_expression"
                and parent.child_by_field_name("function") == node
            ):
                return
            sel = node.child_by_field_name("field")
            if sel is not None:
                self.selector_values[f.decode(sel)].append((f, node))

    def is_value(self, name: str) -> bool:
        """Is the package-level function ``name`` mentioned other than by calling it?"""
        return bool(self.value_uses.get(name))

    def is_method_value(self, name: str) -> bool:
        return bool(self.selector_values.get(name))


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
