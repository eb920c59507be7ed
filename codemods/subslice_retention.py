"""subslice-retention: a small subslice (or substring) outlives the function and pins a large array."""

from __future__ import annotations

import enum
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from tree_sitter import Node

from gofixer.codemod import Codemod, Match
from gofixer.model import AddImport, Applicability, Edit, Finding, Fix
from gofixer.parsing import (
    FUNCTION_TYPES,
    LOCAL_DECLARATIONS,
    WORD_BYTES,
    Package,
    SourceFile,
    declaration_of,
    declared_names,
    enclosing_function,
    has_ancestor,
    in_statement_list,
    is_field_key,
    short_text,
    unparen,
    walk_types,
    with_parens,
)

KIB = 1024

# Bytes per element of the basic types; anything else counts as one byte, so sizes are never overestimated.
ELEM_SIZES: dict[bytes, int] = {
    b"byte": 1,
    b"uint8": 1,
    b"int8": 1,
    b"bool": 1,
    b"int16": 2,
    b"uint16": 2,
    b"int32": 4,
    b"uint32": 4,
    b"rune": 4,
    b"float32": 4,
    b"int": 8,
    b"uint": 8,
    b"int64": 8,
    b"uint64": 8,
    b"uintptr": 8,
    b"float64": 8,
    b"complex64": 8,
    b"complex128": 16,
    b"string": 16,
}

# Functions that return everything they read: the result is as large as the input.
READ_ALL: dict[tuple[str, str], str] = {
    ("io", "ReadAll"): "io.ReadAll",
    ("io/ioutil", "ReadAll"): "ioutil.ReadAll",
    ("os", "ReadFile"): "os.ReadFile",
    ("io/ioutil", "ReadFile"): "ioutil.ReadFile",
}
BUFFER_TYPES: dict[tuple[str, str], str] = {
    ("bytes", "Buffer"): "bytes.Buffer",
    ("strings", "Builder"): "strings.Builder",
}
BUFFER_CONSTRUCTORS = frozenset({("bytes", "NewBuffer"), ("bytes", "NewBufferString")})
SPLITTERS = frozenset({"Split", "SplitN", "SplitAfter", "SplitAfterN", "Fields"})

ASSIGNMENTS = frozenset({"assignment_statement", "short_var_declaration", "var_spec", "range_clause"})
CANDIDATES = frozenset({"slice_expression", "index_expression"})
# What may change a variable without assigning it: `x++`, `x--`, `&x` (with other unary operators).
UPDATES = frozenset({"inc_statement", "dec_statement", "unary_expression"})
_WALKED = LOCAL_DECLARATIONS | ASSIGNMENTS | CANDIDATES | UPDATES


class Size(enum.IntEnum):
    """How sure we are that the backing array is large, from least to most."""

    SMALL = 0  # constant and under 1 KiB: never worth a finding
    UNKNOWN = 1  # `make` with a length known only at run time
    UNBOUNDED = 2  # all of an input (io.ReadAll, os.ReadFile, a buffer), or grown by append in a loop
    LARGE = 3  # constant and at least 1 KiB


@dataclass(frozen=True)
class Origin:
    """Where a local slice or string got its backing array."""

    size: Size
    what: str  # for messages: "make([]int, 1000000)", "os.ReadFile", ...
    type_text: bytes | None = None  # the slice type, e.g. b"[]int"; None for strings or when unknown
    is_string: bool = False
    length: int | None = None  # the constant number of elements, when known


@dataclass(frozen=True)
class Sink:
    """How a value leaves the function for good."""

    how: str  # "returned", "stored in field `f`", ...
    stmt: Node  # the statement doing it
    result_index: int = -1  # for a return: which result


@dataclass
class Var:
    """A local variable declared exactly once in the function."""

    name: bytes
    decl: Node
    values: list[Node | None] = field(default_factory=list)  # None: assigned something we cannot see
    origin: Origin | None = None
    addressed: bool = False  # `&x` appears: anything may change it (fine for a bytes.Buffer)
    alias_of: Var | None = None  # `sub := big[a:b]`
    alias_expr: Node | None = None
    parts_of: Var | None = None  # `parts := strings.Split(big, ",")`
    part_of: Var | None = None  # `for _, p := range parts`


class SubsliceRetention(Codemod):
    """
    ## What it does
    Finds a small subslice or substring that leaves its function — returned, stored in a field, a map,
    a slice element or a package-level variable, or sent on a channel — while it still points into a
    large backing array that the function allocated or read: a `make`, a composite literal, a slice
    grown with `append`, `io.ReadAll`, `os.ReadFile`, `bytes.Buffer.Bytes`, a buffer filled by a read;
    or a part of a large string made from such a source (`s[:n]`, the parts of `strings.Split`).

    To stay precise (it runs over whole code bases, the standard library included), a subslice is only
    reported when the array is surely larger than what is kept:
    - the array has a constant size of at least 1 KiB (`make([]byte, 64<<10)`), and the subslice does not
      keep most of it; or
    - the array holds a whole input or was grown by `append` in a loop, and the subslice has an upper bound
      (`data[:n]`, `data[i:j]`; a suffix `data[i:]` usually keeps most of an input).

    Never reported: a subslice of a parameter (the caller owns the array), of an array or of a small
    constant-size literal or `make` (under 1 KiB), of a `make` whose size is computed at run time (such
    buffers are sized for what they hold), a subslice that does not escape, one that is already
    copied (`copy`, `append([]T(nil), s...)`, `string(b[:n])`, `strings.Clone`), a near-full subslice
    (`b[:len(b)-1]`), a subslice of an array that escapes whole anyway, parts cut in a loop from one
    array made before the loop (together they usually are the whole array: a text split into lines, a
    table cut into entries), and a closure handing out parts of its enclosing function's array.

    ## Why is this bad?
    A subslice shares the backing array of the slice it was cut from, and a substring shares the bytes of
    its string. As long as the small part is reachable, the garbage collector keeps the whole array: ten
    integers returned from a million-element `make` hold 8 MB.

    ## Example
    ```go
    func leakSlice() []int {
        largeArray := make([]int, 1000000)
        slice := largeArray[:10]
        return slice
    }
    ```
    Use instead:
    ```go
    func fixedSlice() []int {
        largeArray := make([]int, 1000000)
        slice := make([]int, 10)
        copy(slice, largeArray[:10])
        return slice
    }
    ```

    ## Fix safety
    A slice is copied with `make` and `copy` into a slice of the type taken from the array's declaration,
    its `make` or literal, or the function's result type; when none is known, or a bound of the
    subslice has a side effect (it would be evaluated twice), the finding has no fix. Nor is there one when
    a builtin or package the fix calls (`make`, `copy`, `len`, `strings`, `string`) is redeclared in the
    function or the package.
    A local that only holds the subslice is given the copy where it is declared; a subslice used directly
    is copied into a new local (a name no other fix in the function picks) just before the statement. When
    an operand of that statement before the subslice can run code (`return fill(buf), buf[:10]`), the copy
    would run first and miss its writes: no fix. A string is cloned with `strings.Clone` when go.mod says
    `go 1.20` or later, otherwise with `string([]byte(s))`.
    Cloning a string never changes behaviour: the fix is safe. Copying a slice changes behaviour when
    writes to the array and to the copy are no longer seen through the other, so the fix is marked unsafe
    when the function goes on using the array after the subslice left (a reused read buffer, say), also
    through another name that may point into it (`view := buf`, `p := &buf[0]`, a closure) or by passing
    it to a call; when an operand after the subslice in the same statement can run code; and when another
    part of the same array escapes too (each copied part would stop sharing memory with the others).
    The other fixes are safe. The copy's capacity equals its length: only code inspecting `cap` can tell
    the difference.
    """

    name = "subslice-retention"
    summary = "A small subslice or substring escapes and keeps a large backing array alive."
    prefilter = (b":",)
    # A slice expression's `[` (its child), or the method name of a Split call (two levels below it). A
    # slice expression's `:` lies between its `[` and its `]`: a `[` followed by a `]` with no `:` between
    # them (`a[i]`, `[]T`, `[4]T`, `F[T]`, `m[k+1]`) is none, unless what lies between can hold a `]` of
    # something else: a `[`, a string or rune literal, a comment (or `/`), a line break.
    # One literal per regex: `re` searches those far faster than an alternation.
    anchors = (
        (re.compile(rb"\[(?![^\[\]:\n/\"'`]*\])"), 1),
        (re.compile(rb"Split"), 2),
        (re.compile(rb"Fields"), 2),
    )
    roots = frozenset({"slice_expression", "call_expression"})

    query = """
    (slice_expression operand: (identifier)) @slice
    (slice_expression operand: (parenthesized_expression)) @paren_slice
    (call_expression
      function: (selector_expression field: (field_identifier) @splitter (#any-of? @splitter
        "Split" "SplitN" "SplitAfter" "SplitAfterN" "Fields"))) @split
    """

    @classmethod
    def candidates(cls, f: SourceFile) -> list[Node] | None:
        """The nodes the query can match at, found from the anchors' hits, in source order.

        `anchored_candidates` would climb from every hit to every node of a type in ``roots`` within
        its depth; the patterns start only at a slice expression whose `[` (an unnamed child: the
        smallest named node holding it is the slice expression) the first anchor hits, and at a call
        whose function is a selector naming a method a Split anchor hits (the name's grandparent).
        Only those are looked at.
        """
        data = f.data
        root = f.root
        found: dict[int, Node] = {}
        (brackets, _), *splitters = cls.anchors
        holding = root.named_descendant_for_byte_range
        for m in brackets.finditer(data):
            start = m.start()
            node = holding(start, start + 1)
            if node is not None and node.type == "slice_expression":
                found[node.id] = node
        descend = root.descendant_for_byte_range
        for regex, _ in splitters:
            for m in regex.finditer(data):
                node = descend(*m.span())
                if node is None or node.type != "field_identifier":
                    continue
                selector = node.parent
                call = (
                    selector.parent
                    if selector is not None and selector.type == "selector_expression"
                    else None
                )
                if call is not None and call.type == "call_expression":
                    found[call.id] = call
        candidates = list(found.values())
        if len(candidates) > 1:
            candidates.sort(key=lambda n: (n.start_byte, -n.end_byte))
        return candidates

    def run(self, package: Package, matches: list[Match]) -> Iterable[Finding]:
        info = _PackageInfo(package)
        # The matches by outermost function, in the order of their first match.
        groups: dict[tuple[str, int], tuple[SourceFile, Node, list[Node]]] = {}
        # Slices of an operand in parentheses, by function: they alone get no function analysed.
        paren_slices: dict[tuple[str, int], list[Node]] = {}
        # The top-level function of the last match, and its bytes: the matches of a file come in source
        # order, mostly several in one function, and finding the top-level node holding one descends
        # from the root.
        last: tuple[SourceFile, Node, int, int] | None = None
        for m in matches:
            node = m.node("slice") or m.node("split")
            paren_slice = None
            if node is None:
                paren_slice = m.node("paren_slice")
                operand = paren_slice.child_by_field_name("operand") if paren_slice is not None else None
                if paren_slice is None or operand is None or unparen(operand).type != "identifier":
                    continue
                node = paren_slice
            f = m.file
            if last is not None and last[0] is f and last[2] <= node.start_byte < last[3]:
                func: Node | None = last[1]
            else:
                top = f.root.child_with_descendant(node)
                if top is not None and top.type in ("function_declaration", "method_declaration"):
                    func = top  # a top-level function is the outermost one
                    last = (f, top, top.start_byte, top.end_byte)
                else:
                    func = _outermost_function(node)
            if func is None:
                continue
            key = (f.path, func.start_byte)
            if paren_slice is not None:
                paren_slices.setdefault(key, []).append(paren_slice)
                continue
            group = groups.get(key)
            if group is None:
                groups[key] = (f, func, [node])
            else:
                group[2].append(node)
        for key, (f, func, nodes) in groups.items():
            # First without the package's constants: finding one reads every file of the package.
            large = _may_hold_large(f, func, info, False)
            if large is False:
                continue  # no finding is about anything but a large array, and none is made here
            if not _may_escape(f, func, nodes + paren_slices.get(key, []), info):
                continue  # nor about one that does not leave the function
            if large is None and not _may_hold_large(f, func, info):
                continue  # a size needed a package-level constant: only now looked up
            yield from _Function(self, package, f, func, info).findings()


# -- one function -----------------------------------------------------------------------------------


class _Function:
    """The analysis of one top-level function (closures included: they share its variables)."""

    def __init__(
        self,
        codemod: SubsliceRetention,
        package: Package,
        f: SourceFile,
        func: Node,
        info: _PackageInfo,
    ) -> None:
        self.codemod = codemod
        self.package = package
        self.f = f
        self.func = func
        self.info = info
        self.chosen: set[bytes] = set()  # names the fixes of this function already declare
        self.local_consts: dict[bytes, Node] = {}
        self._consts: _Consts | None = None
        self.declared: Counter[bytes] = Counter()
        self.params: set[bytes] = set()
        self.vars: dict[bytes, Var] = {}
        # One walk of the function for every kind of node the analysis looks at but identifiers, each
        # list in source order (the same nodes, in the same order, as one walk per kind). Identifiers,
        # many more, are walked only when `findings` gets past its first check (`idents`).
        self.declarations: list[Node] = []
        self.assignments: list[Node] = []
        self.parts: list[Node] = []  # slice and index expressions
        self.updates: list[Node] = []
        for node in walk_types(func, _WALKED):
            t = node.type
            if t in UPDATES:
                self.updates.append(node)
                continue
            if t in LOCAL_DECLARATIONS:
                self.declarations.append(node)
            if t in ASSIGNMENTS:
                self.assignments.append(node)
            if t in CANDIDATES:
                self.parts.append(node)
        self._collect_declarations()
        self._collect_assignments()
        self._classify()

    @functools.cached_property
    def idents(self) -> list[Node]:
        """Every identifier of the function, in source order."""
        return list(walk_types(self.func, frozenset({"identifier"})))

    @functools.cached_property
    def candidates(self) -> list[Node]:
        """Slice and index expressions, identifiers: what may escape, in source order."""
        found = self.parts + self.idents
        found.sort(key=lambda n: (n.start_byte, -n.end_byte))
        return found

    @property
    def globals(self) -> set[bytes]:
        """Every package-level variable."""
        return self.info.globals

    @property
    def consts(self) -> _Consts:
        """The package's constants, and this function's (which shadow them)."""
        if self._consts is None:
            self._consts = _Consts(self.info, self.local_consts)
        return self._consts

    # -- what is declared and assigned where --------------------------------------------------------

    def _collect_declarations(self) -> None:
        f = self.f
        candidates: dict[bytes, Node] = {}
        for decl in self.declarations:
            names = declared_names(decl)
            for n in names:
                name = f.text(n)
                self.declared[name] += 1
                if decl.type in ("parameter_declaration", "variadic_parameter_declaration"):
                    self.params.add(name)
                elif decl.type == "const_spec":
                    value = decl.child_by_field_name("value")
                    if value is not None and len(value.named_children) == len(names):
                        self.local_consts[name] = value.named_children[names.index(n)]
                elif decl.type in ("short_var_declaration", "var_spec", "range_clause"):
                    candidates[name] = decl
        for name, decl in candidates.items():
            if self.declared[name] == 1 and name != b"_":
                self.vars[name] = Var(name, decl)

    def _collect_assignments(self) -> None:
        f = self.f
        for stmt in self.assignments:
            if stmt.type == "range_clause":
                self._range_assignment(stmt)
                continue
            if stmt.type == "var_spec":
                lefts = stmt.children_by_field_name("name")
                value = stmt.child_by_field_name("value")
                rights = value.named_children if value is not None else []
            else:
                left, right = stmt.child_by_field_name("left"), stmt.child_by_field_name("right")
                if left is None or right is None:
                    continue
                lefts, rights = left.named_children, right.named_children
                op = stmt.child_by_field_name("operator")
                if stmt.type == "assignment_statement" and (op is None or f.text(op) != b"="):
                    for target in lefts:
                        self._assign(target, None)
                    continue
            for i, target in enumerate(lefts):
                if stmt.type == "var_spec" and not rights:
                    self._assign(target, stmt)  # `var x []T`: the zero value
                elif len(rights) == len(lefts):
                    self._assign(target, rights[i])
                elif len(rights) == 1 and i == 0:
                    self._assign(target, rights[0])  # `data, err := os.ReadFile(...)`
                else:
                    self._assign(target, None)
        # `&x` lets anything change x; `x++` and friends are not slices or strings. The identifiers
        # concerned are the children of those nodes (asking every identifier for its parent costs more).
        for node in self.updates:
            if node.type == "unary_expression":
                if f.text(node)[:1] != b"&":
                    continue
                for ident in node.named_children:
                    if ident.type == "identifier":
                        var = self.vars.get(f.text(ident))
                        if var is not None:
                            var.addressed = True
                continue
            for ident in node.named_children:
                if ident.type == "identifier":
                    self._assign(ident, None)

    def _range_assignment(self, clause: Node) -> None:
        left, right = clause.child_by_field_name("left"), clause.child_by_field_name("right")
        if left is None:
            return
        for i, target in enumerate(left.named_children):
            # The value variable of a range over split parts is itself a part; mark it by the clause.
            self._assign(target, clause if i == 1 and right is not None else None)

    def _assign(self, target: Node, value: Node | None) -> None:
        if target.type != "identifier":
            return
        var = self.vars.get(self.f.text(target))
        if var is not None:
            var.values.append(value)

    # -- where backing arrays come from ---------------------------------------------------------------

    def _classify(self) -> None:
        # Sources first, then aliases of them (in source order, so an alias of an alias resolves).
        for var in self.vars.values():
            var.origin = self._origin_of(var)
        for var in sorted(self.vars.values(), key=lambda v: v.decl.start_byte):
            if var.origin is not None or var.addressed or len(var.values) != 1 or var.values[0] is None:
                continue
            value = var.values[0]
            if value.type == "range_clause":
                right = value.child_by_field_name("right")
                parts = self._parts_source(right) if right is not None else None
                if parts is not None:
                    var.part_of = parts
                continue
            value = unparen(value)
            if value.type == "slice_expression":
                base = self._tracked(value.child_by_field_name("operand"))
                if base is not None and base is not var:
                    var.alias_of = base.alias_of or base
                    var.alias_expr = value
            elif value.type == "call_expression":
                parts = self._split_of(value)
                if parts is not None:
                    var.parts_of = parts

    def _tracked(self, node: Node | None) -> Var | None:
        """The variable with a large origin (or an alias of one) that ``node`` names."""
        if node is None:
            return None
        node = unparen(node)
        if node.type != "identifier":
            return None
        var = self.vars.get(self.f.text(node))
        if var is None or (var.origin is None and var.alias_of is None):
            return None
        return var

    def _parts_source(self, node: Node) -> Var | None:
        """The large string whose parts a range expression yields: `parts`, or `strings.Split(s, ...)`."""
        node = unparen(node)
        if node.type == "identifier":
            var = self.vars.get(self.f.text(node))
            return var.parts_of if var is not None else None
        if node.type == "call_expression":
            return self._split_of(node)
        return None

    def _split_of(self, call: Node) -> Var | None:
        fn = call.child_by_field_name("function")
        if fn is None or fn.type != "selector_expression":
            return None
        pkg = self._package_of(fn)
        fld = fn.child_by_field_name("field")
        args = call.child_by_field_name("arguments")
        if pkg != "strings" or fld is None or args is None or not args.named_children:
            return None
        if self.f.decode(fld) not in SPLITTERS:
            return None
        var = self._tracked(args.named_children[0])
        if var is None or var.alias_of is not None or var.origin is None or not var.origin.is_string:
            return None
        return var

    def _origin_of(self, var: Var) -> Origin | None:
        if not var.values or var.addressed or any(v is None for v in var.values):
            return None
        origins: list[Origin] = []
        declared_type: bytes | None = None
        grows = False
        for value in var.values:
            assert value is not None
            if value.type == "var_spec":  # `var x []T`: starts empty
                t = value.child_by_field_name("type")
                if t is None or t.type != "slice_type":
                    return None
                declared_type = self.f.text(t)
                continue
            if value.type == "range_clause":
                return None
            value = unparen(value)
            if value.type == "nil":
                continue
            if value.type == "slice_expression" and self._names(value.child_by_field_name("operand"), var):
                continue  # `buf = buf[:n]`: the same array
            if value.type == "call_expression" and self._is_self_append(value, var):
                grows = grows or self._grows_unbounded(value)
                continue
            origin = self._source(value)
            if origin is None:
                return None
            origins.append(origin)
        if var.decl.type == "var_spec":
            t = var.decl.child_by_field_name("type")
            if t is not None and t.type == "slice_type":
                declared_type = self.f.text(t)
        if not origins and declared_type is None:
            return None
        if grows:
            origins = [
                Origin(Size.UNBOUNDED, "a slice grown with append", o.type_text)
                if o.size < Size.UNBOUNDED
                else o
                for o in origins
            ] or [Origin(Size.UNBOUNDED, "a slice grown with append", declared_type)]
        if not origins:
            return None
        weakest = min(origins, key=lambda o: o.size)
        type_text = weakest.type_text or declared_type
        if type_text is None:
            type_text = next((o.type_text for o in origins if o.type_text), None)
        if any(o.is_string != weakest.is_string for o in origins):
            return None
        return Origin(weakest.size, weakest.what, type_text, weakest.is_string, weakest.length)

    def _names(self, node: Node | None, var: Var) -> bool:
        return node is not None and unparen(node).type == "identifier" and self.f.text(node) == var.name

    def _is_self_append(self, call: Node, var: Var) -> bool:
        fn, args = call.child_by_field_name("function"), call.child_by_field_name("arguments")
        if fn is None or args is None or self.f.text(fn) != b"append" or not args.named_children:
            return False
        return self._names(args.named_children[0], var)

    def _grows_unbounded(self, append_call: Node) -> bool:
        """An append inside a loop, or one that spreads a slice of unknown length."""
        args = append_call.child_by_field_name("arguments")
        if args is not None and any(a.type == "variadic_argument" for a in args.named_children):
            return True
        p = append_call.parent
        while p is not None and p != self.func:
            if p.type == "for_statement":
                return True
            p = p.parent
        return False

    def _source(self, value: Node) -> Origin | None:
        f = self.f
        if value.type == "composite_literal":
            return _literal_origin(f, value, self._const)
        if value.type != "call_expression":
            return None
        fn, args = value.child_by_field_name("function"), value.child_by_field_name("arguments")
        if fn is None or args is None:
            return None
        argv = args.named_children
        if fn.type == "identifier":
            name = f.text(fn)
            if name not in (b"make", b"append", b"string") or self._shadowed(name):
                return None  # a local or package-level `make`, `append` or `string`: not the builtin
            if name == b"make" and len(argv) >= 2 and argv[0].type != "map_type":
                return _make_origin(self.f, argv, self._const)
            if name == b"append" and argv and self._fresh_empty(argv[0]):
                return self._fresh_append(argv)
            if name == b"string" and len(argv) == 1:
                inner = self._tracked(argv[0])
                if inner is None or inner.origin is None or inner.origin.is_string:
                    return None
                o = inner.origin
                return Origin(o.size, f"string({f.decode(argv[0])})", None, True, o.length)
            return None
        if fn.type != "selector_expression":
            return None
        operand, fld = fn.child_by_field_name("operand"), fn.child_by_field_name("field")
        if operand is None or fld is None:
            return None
        method = f.decode(fld)
        pkg = self._package_of(fn)
        if pkg is not None:
            what = READ_ALL.get((pkg, method))
            if what is not None:
                return Origin(Size.UNBOUNDED, f"read by {what}", b"[]byte")
            if (pkg, method) == ("strings", "Repeat") and len(argv) == 2:
                count = self._const(argv[1])
                lit = argv[0]
                if count is None or lit.type not in ("interpreted_string_literal", "raw_string_literal"):
                    return None
                n = count * max(0, len(f.text(lit)) - 2)
                size = Size.LARGE if n >= KIB else Size.SMALL
                return Origin(size, f"strings.Repeat of {n} bytes", None, True, n)
            return None
        if method in ("Bytes", "String") and not argv and operand.type == "identifier":
            buf = self._buffer_type(operand)
            if buf is None or (buf == "strings.Builder" and method == "Bytes"):
                return None
            if method == "Bytes":
                return Origin(Size.UNBOUNDED, f"{buf}.Bytes", b"[]byte")
            return Origin(Size.UNBOUNDED, f"{buf}.String", None, True)
        return None

    def _fresh_append(self, argv: list[Node]) -> Origin | None:
        """`append([]T(nil), ...)`: as large as what it appends."""
        f = self.f
        t = unparen(argv[0]).child_by_field_name("type") or unparen(argv[0])
        type_text = _slice_type_text(f, t)
        spread = argv[-1] if argv[-1].type == "variadic_argument" else None
        if spread is None:
            return Origin(Size.SMALL, "a slice built with append", type_text)
        inner = unparen(spread.named_children[0]) if spread.named_children else None
        if inner is None:
            return None
        source = self._tracked(inner)
        if source is not None and source.alias_of is None and source.origin is not None:
            origin = source.origin
        else:
            origin = self._source(inner) or Origin(Size.UNKNOWN, "")
        return Origin(origin.size, "a slice built with append", type_text, length=origin.length)

    def _fresh_empty(self, node: Node) -> bool:
        """`[]T(nil)` or `[]T{}`: append to it allocates a new array."""
        node = unparen(node)
        if node.type == "composite_literal":
            body = node.child_by_field_name("body")
            t = node.child_by_field_name("type")
            return t is not None and t.type == "slice_type" and body is not None and not body.named_children
        if node.type in ("call_expression", "type_conversion_expression"):
            fn = node.child_by_field_name("function") or node.child_by_field_name("type")
            args = node.child_by_field_name("arguments") or node.child_by_field_name("operand")
            if fn is None or args is None or fn.type not in ("slice_type", "parenthesized_type"):
                return False
            inner = args.named_children if args.type == "argument_list" else [args]
            return len(inner) == 1 and inner[0].type == "nil"
        return False

    def _buffer_type(self, operand: Node) -> str | None:
        """ "bytes.Buffer" or "strings.Builder" when ``operand`` is a local one of those."""
        var = self.vars.get(self.f.text(operand))
        if var is None or len(var.values) != 1 or var.values[0] is None:
            return None
        value = var.values[0]
        f = self.f
        if value.type == "var_spec":
            t = value.child_by_field_name("type")
            if t is not None and t.type == "qualified_type":
                return self._qualified(t, BUFFER_TYPES)
            return None
        value = unparen(value)
        if value.type == "unary_expression" and f.text(value)[:1] == b"&":
            operand_node = value.child_by_field_name("operand")
            if operand_node is not None and operand_node.type == "composite_literal":
                t = operand_node.child_by_field_name("type")
                body = operand_node.child_by_field_name("body")
                if t is not None and t.type == "qualified_type" and body is not None:
                    return self._qualified(t, BUFFER_TYPES) if not body.named_children else None
            return None
        if value.type == "call_expression":
            fn, args = value.child_by_field_name("function"), value.child_by_field_name("arguments")
            if fn is None or args is None:
                return None
            if f.text(fn) == b"new" and len(args.named_children) == 1:
                t = args.named_children[0]
                return self._qualified(t, BUFFER_TYPES) if t.type == "qualified_type" else None
            if fn.type == "selector_expression":
                fld = fn.child_by_field_name("field")
                pkg = self._package_of(fn)
                if pkg is not None and fld is not None and (pkg, f.decode(fld)) in BUFFER_CONSTRUCTORS:
                    return "bytes.Buffer"
        return None

    def _qualified(self, t: Node, table: dict[tuple[str, str], str]) -> str | None:
        pkg_node, name_node = t.child_by_field_name("package"), t.child_by_field_name("name")
        if pkg_node is None or name_node is None:
            return None
        local = self.f.decode(pkg_node)
        for (path, name), what in table.items():
            if name == self.f.decode(name_node) and local in self.f.imports.get(path, []):
                return what
        return None

    def _package_of(self, selector: Node) -> str | None:
        """The import path a `pkg.Name` selector refers to, unless `pkg` is a local name here."""
        operand = selector.child_by_field_name("operand")
        if operand is None or operand.type != "identifier":
            return None
        local = self.f.decode(operand)
        if operand.text in self.declared:
            return None
        for path, names in self.f.imports.items():
            if local in names:
                return path
        return None

    def _const(self, node: Node) -> int | None:
        return _eval_const(self.f, node, self.consts, 0)

    # -- where values go -----------------------------------------------------------------------------

    def findings(self) -> Iterator[Finding]:
        reported: set[int] = set()
        if not any(
            var.origin is not None and var.origin.size >= Size.UNBOUNDED for var in self.vars.values()
        ):
            return  # every finding is about a large array with a known origin, or an alias or part of one
        # A bare identifier is only reported when it names an alias or a split part (see `_check`).
        named = {
            name for name, var in self.vars.items() if var.alias_of is not None or var.part_of is not None
        }
        text = self.f.text
        for node in self.candidates:
            if node.type == "identifier" and text(node) not in named:
                continue
            found = self._check(node)
            if found is None:
                continue
            at, base, sink, alias = found
            if alias is not None:
                if id(alias) in reported:
                    continue
                reported.add(id(alias))
            if self._escapes_whole(base, sink) or not self._made_for(base, at, sink):
                continue
            yield self._report(at, base, sink, alias)

    def _check(self, node: Node) -> tuple[Node, Var, Sink, Var | None] | None:
        """(the expression to report, the variable owning the array, where it goes, the alias if any)."""
        f = self.f
        if node.type == "slice_expression":
            var = self._tracked(node.child_by_field_name("operand"))
            if var is None or self._is_alias_definition(node):
                return None  # an alias is judged through its own uses
            base = var.alias_of or var
            if not self._retains(base, node, var):
                return None
            sink = self._sink(node)
            return (node, base, sink, None) if sink is not None else None
        if node.type == "index_expression":
            operand = node.child_by_field_name("operand")
            if operand is None or operand.type != "identifier":
                return None
            holder = self.vars.get(f.text(operand))
            if holder is None or holder.parts_of is None or len(holder.values) != 1:
                return None
            base = holder.parts_of
            if base.origin is None or base.origin.size < Size.UNBOUNDED:
                return None
            sink = self._sink(node)
            return (node, base, sink, None) if sink is not None else None
        # A bare identifier: an alias or a split part leaving the function.
        var = self.vars.get(f.text(node))
        if var is None or _is_declaration_name(node) or not (var.alias_of or var.part_of):
            return None
        if var.part_of is not None:
            base = var.part_of
            if base.origin is None or base.origin.size < Size.UNBOUNDED:
                return None
            sink = self._sink(node)
            return (node, base, sink, None) if sink is not None else None
        root, expr = var.alias_of, var.alias_expr
        if root is None or expr is None:
            return None
        source_var = self._tracked(expr.child_by_field_name("operand"))
        if source_var is None or not self._retains(root, expr, source_var):
            return None
        sink = self._sink(node)
        return (expr, root, sink, var) if sink is not None else None

    def _made_for(self, base: Var, at: Node, sink: Sink) -> bool:
        """Is the array made in the same loop iteration and closure call that lets the part go?

        Parts cut in a loop from one array made before it usually add up to all of it (a string split
        into fields, a table partitioned into entries): copying each would cost more than it frees. A
        closure returning part of its enclosing function's array does not own that array either.
        """
        p = at.parent
        while p is not None and p != self.func:
            if (
                p.type == "for_statement"
                and sink.how == "returned"
                and not has_ancestor(sink.stmt, "func_literal", p)
            ):
                p = p.parent
                continue  # a return leaves the loop: only one part escapes
            if p.type in ("for_statement", "func_literal") and not (
                p.start_byte <= base.decl.start_byte < p.end_byte
            ):
                return False
            p = p.parent
        return True

    def _is_alias_definition(self, node: Node) -> bool:
        outer = with_parens(node)
        parent = outer.parent
        if parent is None or parent.type != "expression_list":
            return False
        grand = parent.parent
        if grand is None or grand.type not in ("short_var_declaration", "var_spec", "assignment_statement"):
            return False
        return any(var.alias_expr == node for var in self.vars.values() if var.alias_expr is not None)

    def _retains(self, base: Var, sub: Node, operand_var: Var) -> bool:
        """Is ``sub`` (a slice expression) surely much smaller than the array of ``base``?"""
        origin = base.origin
        if origin is None or origin.size <= Size.UNKNOWN:
            return False  # small, or sized at run time for what it holds (`make([]byte, n)`)
        f = self.f
        start, end = sub.child_by_field_name("start"), sub.child_by_field_name("end")
        lo = 0 if start is None else self._const(start)
        hi = None if end is None else self._const(end)
        name = operand_var.name
        if end is not None and _is_len_of(f, end, name):
            return False  # up to the end (minus a little): keeps nearly everything
        if end is None and (start is None or (lo is not None and lo < 64)):
            return False
        if lo is not None and hi is not None:
            kept = hi - lo
            # Keeping more than half of a known array is not worth a copy.
            return not (origin.length is not None and operand_var is base and kept * 2 > origin.length)
        if origin.size == Size.LARGE:
            if end is None and lo is not None and origin.length is not None:
                return (origin.length - lo) * 2 <= origin.length
            return True
        if origin.size == Size.UNBOUNDED:
            return end is not None
        return False

    def _escapes_whole(self, base: Var, sink: Sink) -> bool:
        """Does the array itself leave the function somewhere? Then copying a part saves nothing.

        Returning the whole array on another path does not count when the part is returned too: a call
        returns one or the other (returning both from one statement does count).
        """
        for ident in self.idents:
            if self.f.text(ident) != base.name or _is_declaration_name(ident):
                continue
            if _captured_by_go(ident, self.func):
                return True
            whole = self._sink(ident)
            if whole is None:
                continue
            if (
                whole.how == "returned"
                and sink.how == "returned"
                and enclosing_function(whole.stmt) == enclosing_function(sink.stmt)
                and whole.stmt != sink.stmt
            ):
                continue
            return True
        return False

    def _escape_count(self, base: Var) -> int:
        """How many parts of the array of ``base`` may leave the function in one call.

        Every subslice of it with a sink counts (reported or not: a near-full one shares the array too),
        and every alias with a sink once; parts returned by different return statements of one function
        count once, since a call returns only one of them.
        """
        others = 0
        returns: Counter[tuple[int, int]] = Counter()
        aliases: set[bytes] = set()
        for node in walk_types(self.func, frozenset({"slice_expression", "identifier"})):
            if node.type == "slice_expression":
                var = self._tracked(node.child_by_field_name("operand"))
                if var is None or (var.alias_of or var) is not base or self._is_alias_definition(node):
                    continue
            else:
                var = self.vars.get(self.f.text(node))
                if var is None or var.alias_of is not base or _is_declaration_name(node):
                    continue
            sink = self._sink(node)
            if sink is None:
                continue
            if node.type == "identifier":
                aliases.add(var.name)
            elif sink.how == "returned":
                fn = enclosing_function(sink.stmt)
                returns[(fn.id if fn is not None else -1, sink.stmt.id)] += 1
            else:
                others += 1
        per_function: dict[int, int] = {}
        for (fn_id, _), n in returns.items():
            per_function[fn_id] = max(per_function.get(fn_id, 0), n)
        return others + len(aliases) + sum(per_function.values())

    def _sink(self, node: Node) -> Sink | None:
        f = self.f
        outer = with_parens(node)
        parent = outer.parent
        if parent is None:
            return None
        if parent.type == "expression_list":
            grand = parent.parent
            index = parent.named_children.index(outer)
            if grand is not None and grand.type == "return_statement":
                return Sink("returned", grand, index)
            if grand is not None and grand.type == "assignment_statement":
                return self._assignment_sink(grand, parent, index)
            return None
        if parent.type == "send_statement" and parent.child_by_field_name("value") == outer:
            return Sink("sent on a channel", parent)
        if parent.type == "argument_list":
            call = parent.parent
            fn = call.child_by_field_name("function") if call is not None else None
            if call is None or fn is None or f.text(fn) != b"append" or parent.named_children[0] == outer:
                return None
            found = _assignment_of(with_parens(call), "right")
            if found is None:
                return None
            stmt, holder, index = found
            sink = self._assignment_sink(stmt, holder, index)
            left = stmt.child_by_field_name("left")
            if sink is None or left is None or index >= len(left.named_children):
                return None
            if f.text(left.named_children[index]) != f.text(parent.named_children[0]):
                return None  # `x.list = append(x.list, part)`, not `y = append(x.list, part)`
            return Sink(sink.how.replace("stored in", "appended to"), stmt)
        if parent.type == "literal_element":
            comp = _literal_holding(f, parent)
            if comp is None:
                return None
            inner = self._sink(comp)
            if inner is None:
                return None
            return Sink(f"put in a composite literal that is {inner.how}", inner.stmt, inner.result_index)
        if parent.type == "index_expression" and parent.child_by_field_name("index") == outer:
            # A map key: `m[part] = v`.
            found = _assignment_of(parent, "left")
            if found is None:
                return None
            stmt = found[0]
            m = parent.child_by_field_name("operand")
            if m is None or not self._long_lived(m):
                return None
            return Sink(f"used as a key of `{short_text(f, m)}`", stmt)
        if parent.type == "unary_expression" and f.text(parent)[:1] == b"&":
            return None
        return None

    def _assignment_sink(self, stmt: Node, right: Node, index: int) -> Sink | None:
        f = self.f
        target = _assigned_target(f, stmt, right, index)
        if target is None:
            return None
        if target.type == "selector_expression":
            fld = target.child_by_field_name("field")
            if fld is None or not self._long_lived(target):
                return None
            return Sink(f"stored in field `{f.decode(fld)}`", stmt)
        if target.type == "index_expression":
            if not self._long_lived(target):
                return None
            return Sink(f"stored in `{short_text(f, target)}`", stmt)
        if target.type == "identifier":
            name = f.text(target)
            if name == b"_" or name in self.declared or name not in self.globals:
                return None
            return Sink(f"stored in the package-level variable `{f.decode(target)}`", stmt)
        return None

    def _long_lived(self, target: Node) -> bool:
        """Does the value a field, index or map expression stores into outlive the function?"""
        root = target
        while root.type in (
            "selector_expression",
            "index_expression",
            "parenthesized_expression",
            "unary_expression",
        ):
            nxt = root.child_by_field_name("operand") or (
                root.named_children[0] if root.named_children else None
            )
            if nxt is None:
                return False
            root = nxt
        if root.type != "identifier":
            return root.type == "call_expression"  # `get().field = x`: somebody else's object
        name = self.f.text(root)
        if name not in self.declared or name in self.params:
            return True  # a package-level variable, a parameter or a receiver
        # A local: long-lived when the function returns it (`x := &T{}; x.f = sub; return x`).
        for ident in self.idents:
            if self.f.text(ident) == name and has_ancestor(ident, "return_statement", self.func):
                return True
        return False

    # -- reporting and fixing -------------------------------------------------------------------------

    def _report(self, node: Node, base: Var, sink: Sink, alias: Var | None) -> Finding:
        f = self.f
        origin = base.origin
        assert origin is not None
        expr = f.decode(node)
        subject = f"`{alias.name.decode()}` (= `{expr}`)" if alias is not None else f"`{expr}`"
        if origin.is_string:
            verb = "substring" if node.type == "slice_expression" or alias is not None else "part"
            message = (
                f"{verb} {subject} is {sink.how} but keeps all of `{base.name.decode()}` "
                f"({origin.what}) alive; clone it"
            )
        else:
            message = (
                f"subslice {subject} is {sink.how} but keeps the whole backing array of "
                f"`{base.name.decode()}` ({origin.what}) alive; copy it"
            )
        fix = self._fix(node, base, sink, alias)
        return self.codemod.finding(f, node, message, fix)

    def _fix(self, node: Node, base: Var, sink: Sink, alias: Var | None) -> Fix | None:
        origin = base.origin
        assert origin is not None
        if origin.is_string:
            return self._clone_fix(node)
        return self._copy_fix(node, base, sink, alias)

    def _clone_fix(self, node: Node) -> Fix | None:
        f = self.f
        version = self.package.go_version
        imports: tuple[AddImport, ...] = ()
        if version is not None and version >= (1, 20):
            local = f.local_name("strings")
            if local is None:
                if self._shadowed(b"strings"):
                    return None
                local = "strings"
                imports = (AddImport(f.path, "strings"),)
            elif local.encode() in self.declared:
                return None
            before, after, how = f"{local}.Clone(".encode(), b")", f"{local}.Clone"
        else:
            if self._shadowed(b"string") or self._shadowed(b"byte"):
                return None
            before, after, how = b"string([]byte(", b"))", "string([]byte(...))"
        edits = (
            Edit(f.path, node.start_byte, node.start_byte, before),
            Edit(f.path, node.end_byte, node.end_byte, after),
        )
        return Fix(f"Clone the string with {how}", edits, imports, Applicability.SAFE)

    def _copy_fix(self, node: Node, base: Var, sink: Sink, alias: Var | None) -> Fix | None:
        f = self.f
        if node.type != "slice_expression":
            return None
        length = self._length_expr(node)
        if length is None:
            return None
        type_text = self._slice_type(base, sink, alias)
        if type_text is None:
            return None
        needed = {b"make", b"copy"} | ({b"len"} if b"len(" in length else set())
        needed |= {f.text(i) for i in walk_types(node, frozenset({"identifier"}))} & PURE_CALLS
        if self._builtins(needed) != needed:
            return None  # `make`, `copy` or `len` is not the builtin here
        sub = f.text(node)
        # A copy hoisted above the statement runs before every other operand of it: when one of them that
        # comes first can run code (`return fill(buf), buf[:10]`), the copy would miss what it writes.
        effects = [] if alias is not None else self._effects(sink.stmt, node)
        if any(e.start_byte < node.start_byte for e in effects):
            return None
        # Safe only when nothing can tell the copy from the shared array: the function no longer uses the
        # array (nor anything that may point into it) once the part escaped, no other part of it escapes
        # (they would stop sharing memory), and no later operand of the statement can write into it.
        safe = (
            not self._used_later(base, alias, sink.stmt if alias is None else _statement_of(node), node)
            and self._escape_count(base) <= 1
            and not effects
        )
        applicability = Applicability.SAFE if safe else Applicability.UNSAFE
        make = b"make(" + type_text + b", " + length + b")"
        if alias is not None:
            stmt = _statement_of(node)
            if stmt is None or not in_statement_list(stmt) or with_parens(node).parent is None:
                return None
            if stmt.type == "var_declaration" and len(list(walk_types(stmt, frozenset({"var_spec"})))) != 1:
                return None
            if f.data[stmt.end_byte : f.line_end(stmt.end_byte)].strip(b" \t\n").startswith(b";"):
                return None
            if _assigns_any(f, stmt, {f.text(i) for i in walk_types(node, NAME_NODES)}):
                return None  # `n, head := 5, buf[:n]`: the copy after the statement would see the new `n`
            at = f.line_end(stmt.end_byte)
            copy_line = f.indent_at(stmt.start_byte) + b"copy(" + alias.name + b", " + sub + b")\n"
            edits = (Edit(f.path, node.start_byte, node.end_byte, make), Edit(f.path, at, at, copy_line))
            desc = f"Copy `{sub.decode()}` into a new slice made for `{alias.name.decode()}`"
            return Fix(desc, edits, (), applicability)
        stmt = sink.stmt
        if not in_statement_list(stmt):
            return None
        name = self._fresh_name(sink)
        if name is None:
            return None
        indent = f.indent_at(stmt.start_byte)
        lines = name + b" := " + make + b"\n" + indent + b"copy(" + name + b", " + sub + b")\n" + indent
        edits = (
            Edit(f.path, stmt.start_byte, stmt.start_byte, lines),
            Edit(f.path, node.start_byte, node.end_byte, name),
        )
        return Fix(f"Copy `{sub.decode()}` into a new slice `{name.decode()}`", edits, (), applicability)

    def _length_expr(self, sub: Node) -> bytes | None:
        """The length of a slice expression, as Go source that reads well; None when it has side effects."""
        f = self.f
        operand = sub.child_by_field_name("operand")
        start, end = sub.child_by_field_name("start"), sub.child_by_field_name("end")
        if operand is None or not all(_pure(f, n) for n in (start, end) if n is not None):
            return None
        lo = 0 if start is None else self._const(start)
        hi = None if end is None else self._const(end)
        if lo is not None and hi is not None:
            if start is None or (start.type == "int_literal" and lo == 0):
                return f.text(end) if end is not None else None
            if start.type == "int_literal" and end is not None and end.type == "int_literal":
                return str(hi - lo).encode()
        hi_text = f.text(end) if end is not None else b"len(" + f.text(operand) + b")"
        if start is None or lo == 0:
            return hi_text
        lo_text = f.text(start)
        if start.type == "binary_expression":
            lo_text = b"(" + lo_text + b")"
        return hi_text + b"-" + lo_text

    def _slice_type(self, base: Var, sink: Sink, alias: Var | None) -> bytes | None:
        if alias is not None and alias.decl.type == "var_spec":
            t = alias.decl.child_by_field_name("type")
            if t is not None and t.type == "slice_type":
                return self.f.text(t)
        assert base.origin is not None
        if base.origin.type_text is not None:
            return base.origin.type_text
        if sink.how == "returned" and sink.result_index >= 0:
            return self._result_type(sink.stmt, sink.result_index)
        return None

    def _result_type(self, ret: Node, index: int) -> bytes | None:
        p = enclosing_function(ret)
        if p is None:
            return None
        result = p.child_by_field_name("result")
        if result is None:
            return None
        types: list[Node] = []
        if result.type == "parameter_list":
            for decl in result.named_children:
                t = decl.child_by_field_name("type")
                if t is not None:
                    types.extend([t] * max(1, len(decl.children_by_field_name("name"))))
        else:
            types = [result]
        if index >= len(types) or types[index].type != "slice_type":
            return None
        return self.f.text(types[index])

    def _used_later(self, base: Var, alias: Var | None, stmt: Node | None, sub: Node) -> bool:
        """Does the function still use the array after ``stmt`` (or again in a later loop iteration)?

        Uses through anything that may point into the array count: `view := buf`, `p := &buf[0]`,
        `r := bytes.NewReader(buf)`, a closure mentioning it.
        """
        if stmt is None:
            return True
        names = self._aliases(base, alias, sub)
        loop = stmt.parent
        while loop is not None and loop != self.func and loop.type != "for_statement":
            loop = loop.parent
        home = enclosing_function(stmt)
        for ident in self.idents:
            if self.f.text(ident) not in names or _is_declaration_name(ident):
                continue
            if has_ancestor(ident, "defer_statement", self.func):
                return True
            closure = enclosing_function(ident)
            if (
                closure is not None
                and closure.type == "func_literal"
                and not (closure.start_byte <= stmt.start_byte < closure.end_byte)
            ):
                return True  # a closure may run at any time
            if stmt.type == "return_statement" and closure == home:
                continue  # nothing of the function runs after its return (but deferred calls)
            if ident.start_byte >= stmt.end_byte:
                return True
            if (
                loop is not None
                and loop.type == "for_statement"
                and loop.start_byte <= ident.start_byte < loop.end_byte
                and base.decl.start_byte < loop.start_byte
                and not (stmt.start_byte <= ident.start_byte < stmt.end_byte)
            ):
                return True
        return False

    def _aliases(self, base: Var, alias: Var | None, sub: Node) -> set[bytes]:
        """Names of locals that may point into the array of ``base`` (its own name included).

        A local assigned a value that mentions one of them (other than through `len`, `cap`, `copy` or by
        reading an element) may share the array; ``sub`` itself, the part being copied, does not count.
        """
        f = self.f
        names = {base.name} | {v.name for v in self.vars.values() if v.alias_of is base and v is not alias}
        flows: list[tuple[set[bytes], Node]] = []
        for stmt in walk_types(
            self.func, frozenset({"short_var_declaration", "assignment_statement", "var_spec"})
        ):
            if stmt.type == "var_spec":
                lefts = stmt.children_by_field_name("name")
                value = stmt.child_by_field_name("value")
                rights = value.named_children if value is not None else []
            else:
                left, right = stmt.child_by_field_name("left"), stmt.child_by_field_name("right")
                if left is None or right is None:
                    continue
                lefts, rights = left.named_children, right.named_children
            for i, r in enumerate(rights):
                if r.start_byte <= sub.start_byte and sub.end_byte <= r.end_byte:
                    continue
                targets = [lefts[i]] if len(lefts) == len(rights) else lefts
                roots = {f.text(t) for t in (_root_name(t) for t in targets) if t is not None} - {b"_"}
                if roots:
                    flows.append((roots, r))
        changed = True
        while changed:
            changed = False
            for roots, value in flows:
                if not roots <= names and _may_point_into(f, value, names):
                    names |= roots
                    changed = True
        return names

    def _effects(self, stmt: Node, sub: Node) -> list[Node]:
        """The calls (but of builtins like `len` or `append`) and receives in ``stmt`` outside ``sub``."""
        f = self.f
        pure = self._builtins(PURE_CALLS | {b"append"})
        out: list[Node] = []
        for n in walk_types(stmt, frozenset({"call_expression", "unary_expression"})):
            if sub.start_byte <= n.start_byte and n.end_byte <= sub.end_byte:
                continue
            if n.type == "unary_expression":
                if f.text(n)[:2] == b"<-":
                    out.append(n)
                continue
            fn = n.child_by_field_name("function")
            if fn is None or f.text(fn) not in pure:
                out.append(n)
        return out

    def _builtins(self, names: Iterable[bytes]) -> frozenset[bytes]:
        """Those of ``names`` that still mean the builtin here."""
        return frozenset(n for n in names if not self._shadowed(n))

    def _shadowed(self, name: bytes) -> bool:
        """Is the builtin or package ``name`` hidden by a local or package-level declaration?"""
        return name in self.declared or self.info.declares(name)

    def _fresh_name(self, sink: Sink) -> bytes | None:
        used = {self.f.text(n) for n in walk_types(self.func, NAME_NODES)} | self.chosen
        candidates: list[bytes] = []
        if sink.how.startswith("stored in field `"):
            fld = sink.how.split("`")[1].encode()
            candidates.append(fld[:1].lower() + fld[1:])
        candidates += [b"out", b"kept", b"clone"] + [b"out%d" % i for i in range(2, 10)]
        for c in candidates:
            if c not in used and c not in GO_RESERVED and c.decode("ascii", "replace").isidentifier():
                self.chosen.add(c)
                return c
        return None


NAME_NODES = frozenset({"identifier", "type_identifier", "package_identifier"})
GO_RESERVED = frozenset(
    (
        b"break case chan const continue default defer else fallthrough for func go goto if import "
        b"interface map package range return select struct switch type var "
        b"append cap clear close complex copy delete imag len make max min new panic print println real "
        b"recover bool byte error int string rune any comparable true false nil iota"
    ).split()
)


# -- a cheap first look at a function ---------------------------------------------------------------

# Where a large array can come from (see `_Function._source` and `_Function._origin_of`), found in the
# bytes of a function: all of an input (`ReadAll`, `ReadFile`), a buffer's contents, an append that
# grows a slice (in a loop, or spreading a slice), `strings.Repeat` of a constant, a slice literal or a
# `make` of constant size. A slice type is `[` and `]` with only blanks and comments between them.
# One regex per kind, each starting with a literal (`re` searches those far faster than an alternation),
# in the order `_may_hold_large` tries them: those that need no constant first.
_READ_ALL_WORDS = re.compile(rb"Read(?:All|File)")
_BUFFER_WORDS = re.compile(rb"Bu(?:ffer|ilder)")
_APPEND = re.compile(rb"append")
_REPEAT = re.compile(rb"Repeat")
_SLICE_TYPE = re.compile(rb"\[(?:\s|/\*(?:[^*]|\*(?!/))*\*/|//[^\n]*\n)*\]")
_MAKE = re.compile(rb"make")


def _may_hold_large(
    f: SourceFile, func: Node, info: _PackageInfo, package_consts: bool = True
) -> bool | None:
    """Can a variable of ``func`` get a large or unbounded backing array (`Size.UNBOUNDED` or more)?

    Every finding is about such an array, and all of them start from one of a few sources: when the
    function has none, it has no finding. Each source found is judged as `_Function._source` would,
    or more loosely; sizes are computed with the function's own constants first (they may shadow
    package-level ones), read as `_Function` reads them. The sources that need no constant are looked
    for first, and the function's constants are read only when a size needs one.

    Without ``package_consts``, the answer is None (not known) as soon as a size needs a package-level
    constant: those are found by reading every file of the package, worth doing only for the few
    functions `_may_escape` lets through. True and False are the answers the full look gives.
    """
    data = f.data
    start, end = func.start_byte, func.end_byte
    if _READ_ALL_WORDS.search(data, start, end) is not None:
        return True  # io.ReadAll, os.ReadFile, ...: all of an input
    if _BUFFER_WORDS.search(data, start, end) is not None:
        # `b.Bytes()` or `b.String()` of a local bytes.Buffer or strings.Builder.
        text = data[start:end]
        if b"Bytes" in text or b"String" in text:
            return True
    descend = func.descendant_for_byte_range
    # An append grows a slice without bound when it spreads a slice or runs in a loop.
    for m in _APPEND.finditer(data, start, end):
        argv = _builtin_arguments(data, descend(m.start(), m.end()), b"append")
        if not argv or argv[0].type != "identifier":
            continue
        if any(a.type == "variadic_argument" for a in argv) or _in_loop(func, argv[0]):
            return True

    consts: _Consts | None = None

    def const(node: Node) -> int | None:
        nonlocal consts
        if consts is None:
            local = _local_consts(f, func) if data.find(b"const", start, end) >= 0 else {}
            consts = _Consts(info if package_consts else None, local)
        return _eval_const(f, node, consts, 0)

    try:
        return _holds_large(f, func, const)
    except _NeedsPackageConst:
        return None


def _holds_large(f: SourceFile, func: Node, const: Callable[[Node], int | None]) -> bool:
    """The part of `_may_hold_large` that may need constants: `strings.Repeat`, slice literals, `make`."""
    data = f.data
    start, end = func.start_byte, func.end_byte
    descend = func.descendant_for_byte_range
    for m in _REPEAT.finditer(data, start, end):
        node = descend(m.start(), m.end())
        if node is None or node.type != "field_identifier" or f.text(node) != b"Repeat":
            continue
        parent = node.parent
        call = parent.parent if parent is not None else None
        if (
            parent is None
            or parent.type != "selector_expression"
            or call is None
            or call.type != "call_expression"
        ):
            continue
        args = call.child_by_field_name("arguments")
        if call.child_by_field_name("function") != parent or args is None:
            continue
        argv = args.named_children
        if len(argv) != 2 or argv[0].type not in ("interpreted_string_literal", "raw_string_literal"):
            continue
        count = const(argv[1])
        if count is not None and count * max(0, len(f.text(argv[0])) - 2) >= KIB:
            return True
    for m in _SLICE_TYPE.finditer(data, start, end):
        node = descend(m.start(), m.end())
        parent = node.parent if node is not None else None
        if (
            node is not None
            and node.type == "slice_type"
            and parent is not None
            and parent.type == "composite_literal"
            and parent.child_by_field_name("type") == node
        ):
            origin = _literal_origin(f, parent, const)
            if origin is not None and origin.size >= Size.UNBOUNDED:
                return True
    for m in _MAKE.finditer(data, start, end):
        made = _builtin_arguments(data, descend(m.start(), m.end()), b"make")
        if (
            made is not None
            and len(made) >= 2
            and made[0].type != "map_type"
            and _make_is_large(f, made, const)
        ):
            return True
    return False


def _in_loop(func: Node, node: Node) -> bool:
    """`has_ancestor(node, "for_statement", func)`, for a ``node`` inside ``func``, without climbing.

    Each parent is found by a descent from the root: the nodes between are found instead by one step
    down from ``func`` at a time (the steps such a descent takes).
    """
    step = func.child_with_descendant(node)
    while step is not None and step != node:
        if step.type == "for_statement":
            return True
        step = step.child_with_descendant(node)
    return False


def _builtin_arguments(data: bytes, node: Node | None, name: bytes) -> list[Node] | None:
    """The arguments of the call when ``node`` is the identifier ``name`` called as a function: a call
    of the builtin (or of a local function so named: no matter); None when it is not."""
    if node is None or node.type != "identifier" or data[node.start_byte : node.end_byte] != name:
        return None
    call = node.parent
    if call is None or call.type != "call_expression" or call.child_by_field_name("function") != node:
        return None
    args = call.child_by_field_name("arguments")
    return args.named_children if args is not None else None


def _may_escape(f: SourceFile, func: Node, nodes: list[Node], info: _PackageInfo) -> bool:
    """Can a part of an array leave ``func``, given the query's matches there (``nodes``)?

    A finding is about a subslice of a local (a match, its operand maybe in parentheses), a local
    holding one (a match is its value), or a part of a split (a match is the split call): by index
    (`parts[i]`) or as the value of a range over the parts. It is where `_Function._sink` finds a
    sink: this looks for such places, more loosely than `_sink` does.
    """
    data = f.data
    start, end = func.start_byte, func.end_byte
    slices = [n for n in nodes if n.type == "slice_expression"]
    bare: list[bytes] = []  # locals holding a subslice or a part: found bare in a sink
    holders: list[bytes] = []  # locals holding the parts of a split: by index in a sink, or ranged over
    # What is cut or split must be a local variable (`_Function.vars`): declared by `:=`, `var` or range.
    local_vars: dict[bytes, bool] = {}

    def local_var(operand: Node | None) -> bool:
        if operand is None:
            return False
        operand = unparen(operand)
        if operand.type != "identifier":
            return False
        name = f.text(operand)
        found = local_vars.get(name)
        if found is None:
            found = local_vars[name] = _declares(f, func, name, _VAR_DECLARATIONS)
        return found

    for sub in slices:
        outer, parent = _outer_and_parent(sub)
        # Most parts are passed to a call or indexed: neither a sink nor a value assigned to a name, they
        # need no look at what their operand is.
        if not _may_leave(f, parent) or not local_var(sub.child_by_field_name("operand")):
            continue
        if _sink_position(f, func, outer, parent, info):
            return True
        bare += _assigned_names(f, parent)
    for call in nodes:
        if call.type == "slice_expression":
            continue
        args = call.child_by_field_name("arguments")
        if args is None or not args.named_children or not local_var(args.named_children[0]):
            continue
        outer, parent = _outer_and_parent(call)
        if (
            parent is not None
            and parent.type == "range_clause"
            and parent.child_by_field_name("right") == outer
        ):
            bare += _range_names(f, parent)
        else:
            holders += _assigned_names(f, parent)
    todo = [(name, False) for name in bare] + [(name, True) for name in holders]
    done: set[tuple[bytes, bool]] = set()
    while todo:
        item = todo.pop()
        if item in done:
            continue
        done.add(item)
        name, holder = item
        size = len(name)
        at = data.find(name, start, end)
        while at >= 0:
            ident = None
            # A name bare in a sink ends its expression: only blanks, then `,`, `)`, `}`, `]`, `;`, `{`,
            # `:`, a line break or a comment (or the end) may follow it.
            if (
                _ENDS_EXPRESSION.match(data, at + size) is not None
                if not holder
                else data[at + size : at + size + 1] not in _NAME_BYTES  # else a longer name
            ):
                ident = func.descendant_for_byte_range(at, at + size)
            at = data.find(name, at + 1, end)
            if (
                ident is None
                or ident.type != "identifier"
                or ident.end_byte - ident.start_byte != size
                or f.text(ident) != name
            ):
                continue
            outer, parent = _outer_and_parent(ident)
            if not holder:
                if _sink_position(f, func, outer, parent, info):
                    return True
                continue
            if parent is None:
                continue
            if parent.type == "index_expression" and parent.child_by_field_name("operand") == ident:
                if _sink_position(f, func, *_outer_and_parent(parent), info):
                    return True
            elif parent.type == "range_clause" and parent.child_by_field_name("right") == outer:
                todo += [(n, False) for n in _range_names(f, parent)]
    return False


# `parsing.WORD_BYTES` as one-byte strings, for `data[i : i + 1]` tests (empty past the end).
_NAME_BYTES = frozenset(bytes([c]) for c in WORD_BYTES)
_ENDS_EXPRESSION = re.compile(rb"[ \t\f\v\r]*(?:[,)}\];\n/{:]|\Z)")


_VAR_DECLARATIONS = frozenset({"short_var_declaration", "var_spec", "range_clause"})


def _declares(f: SourceFile, func: Node, name: bytes, kinds: frozenset[str] = LOCAL_DECLARATIONS) -> bool:
    """Is ``name`` in `_Function.declared` of ``func``: does a local declaration there name it?

    With ``kinds``, a declaration of one of those kinds (`_Function.vars` holds only such names).
    """
    data = f.data
    end = func.end_byte
    at = data.find(name, func.start_byte, end)
    while at >= 0:
        node = (
            func.descendant_for_byte_range(at, at + len(name))
            if data[at + len(name) : at + len(name) + 1] not in _NAME_BYTES  # else a longer name
            else None
        )
        if (
            node is not None
            and node.type == "identifier"
            and node.start_byte == at
            and node.end_byte == at + len(name)
        ):
            decl = declaration_of(node)
            if decl is not None and decl.type in kinds:
                return True
        at = data.find(name, at + 1, end)
    return False


def _assigned_names(f: SourceFile, parent: Node | None) -> list[bytes]:
    """The names a `:=`, `=` or `var` assigns, when a value of it has the ``parent`` (that of its
    outermost parentheses)."""
    if parent is None or parent.type != "expression_list":
        return []
    grand = parent.parent
    if grand is None:
        return []
    if grand.type == "var_spec":
        lefts = grand.children_by_field_name("name")
    elif grand.type in ("short_var_declaration", "assignment_statement"):
        left = grand.child_by_field_name("left")
        lefts = left.named_children if left is not None else []
    else:
        return []
    return [f.text(n) for n in lefts if n.type == "identifier"]


def _range_names(f: SourceFile, clause: Node) -> list[bytes]:
    left = clause.child_by_field_name("left")
    return [f.text(n) for n in left.named_children if n.type == "identifier"] if left is not None else []


def _literal_holding(f: SourceFile, element: Node) -> Node | None:
    """The composite literal (or `&` of it) a value ``element`` is in; None when it is a key."""
    lit = element.parent
    if lit is not None and lit.type == "keyed_element":
        if lit.child_by_field_name("key") == element:
            return None
        lit = lit.parent
    comp = lit.parent if lit is not None else None
    if comp is None or comp.type != "composite_literal":
        return None
    address = with_parens(comp).parent
    if address is not None and address.type == "unary_expression" and f.text(address)[:1] == b"&":
        return address
    return comp


def _sink_position(f: SourceFile, func: Node, outer: Node, parent: Node | None, info: _PackageInfo) -> bool:
    """Might `_Function._sink` find a sink for a node whose outermost parentheses are ``outer``, whose
    parent is ``parent``?"""
    if parent is None:
        return False
    t = parent.type
    if t == "expression_list":
        grand = parent.parent
        if grand is None:
            return False
        if grand.type == "return_statement":
            return True
        if grand.type == "assignment_statement":
            return _assignment_sink_position(f, func, grand, parent, parent.named_children.index(outer), info)
        return False
    if t == "send_statement":
        return parent.child_by_field_name("value") == outer
    if t == "argument_list":
        call = parent.parent
        fn = call.child_by_field_name("function") if call is not None else None
        if call is None or fn is None or f.text(fn) != b"append" or parent.named_children[0] == outer:
            return False
        found = _assignment_of(with_parens(call), "right")
        return found is not None and _assignment_sink_position(f, func, *found, info)
    if t == "literal_element":
        comp = _literal_holding(f, parent)
        return comp is not None and _sink_position(f, func, *_outer_and_parent(comp), info)
    if t == "index_expression" and parent.child_by_field_name("index") == outer:
        return _assignment_of(parent, "left") is not None  # a map key: `m[part] = v`
    return False


# Where `_sink_position` may find a sink, or `_assigned_names` a name, by the type of the parent.
_LEAVING_PARENTS = frozenset({"expression_list", "send_statement", "literal_element", "index_expression"})


def _may_leave(f: SourceFile, parent: Node | None) -> bool:
    """Might `_sink_position` be true, or `_assigned_names` not empty, for a value whose outermost
    parentheses have the ``parent``? Only that (and the function a call argument is passed to) is
    looked at."""
    if parent is None:
        return False
    if parent.type == "argument_list":
        call = parent.parent
        fn = call.child_by_field_name("function") if call is not None else None
        return fn is not None and f.text(fn) == b"append"
    return parent.type in _LEAVING_PARENTS


def _assigned_target(f: SourceFile, stmt: Node, right: Node, index: int) -> Node | None:
    """What a plain `=` assigns the ``index``-th value of its right side ``right`` to (parentheses
    removed); None for another operator or when the two sides do not pair up."""
    op = stmt.child_by_field_name("operator")
    left = stmt.child_by_field_name("left")
    if op is None or f.text(op) != b"=" or left is None or right != stmt.child_by_field_name("right"):
        return None
    if len(left.named_children) != len(right.named_children):
        return None
    return unparen(left.named_children[index])


def _assignment_sink_position(
    f: SourceFile, func: Node, stmt: Node, right: Node, index: int, info: _PackageInfo
) -> bool:
    """Might `_Function._assignment_sink` find a sink?"""
    target = _assigned_target(f, stmt, right, index)
    if target is None:
        return False
    if target.type == "identifier":
        name = f.text(target)
        return name != b"_" and not _declares(f, func, name) and name in info.globals
    return target.type in ("selector_expression", "index_expression")


def _local_consts(f: SourceFile, func: Node) -> dict[bytes, Node]:
    """The constants ``func`` declares, as `_Function.local_consts` has them (the later one wins)."""
    specs: list[Node] = []
    for m in re.finditer(rb"const", f.data[func.start_byte : func.end_byte]):
        at = func.start_byte + m.start()
        node = func.descendant_for_byte_range(at, at + 5)
        decl = node.parent if node is not None and node.type == "const" else None
        if decl is not None and decl.type == "const_declaration":
            specs.extend(c for c in decl.named_children if c.type == "const_spec")
    specs.sort(key=lambda n: n.start_byte)
    out: dict[bytes, Node] = {}
    for spec in specs:
        names = spec.children_by_field_name("name")
        value = spec.child_by_field_name("value")
        if value is not None and len(value.named_children) == len(names):
            for n, v in zip(names, value.named_children, strict=False):
                out[f.text(n)] = v
    return out


def _literal_origin(f: SourceFile, value: Node, const: Callable[[Node], int | None]) -> Origin | None:
    """The origin of a composite literal: a slice of as many elements as it lists."""
    t = value.child_by_field_name("type")
    body = value.child_by_field_name("body")
    if t is None or t.type != "slice_type" or body is None:
        return None
    n = _literal_length(body, const)
    if n is None:
        return None
    size = Size.LARGE if n * _elem_size(f, t) >= KIB else Size.SMALL
    return Origin(size, f"a composite literal of {n} elements", f.text(t), length=n)


def _make_length(
    f: SourceFile, argv: list[Node], const: Callable[[Node], int | None]
) -> tuple[int | None, int] | None:
    """The constant length (or capacity, the larger) and element size of `make(argv...)`; None when it
    makes no slice."""
    t = argv[0]
    if t.type not in ("slice_type", "type_identifier", "qualified_type", "generic_type"):
        return None
    elem = _elem_size(f, t) if t.type == "slice_type" else 1
    n = const(argv[1])
    if len(argv) > 2:
        c = const(argv[2])
        n = None if n is None or c is None else max(n, c)
    return n, elem


def _make_origin(f: SourceFile, argv: list[Node], const: Callable[[Node], int | None]) -> Origin | None:
    """The origin of `make(argv...)`."""
    sized = _make_length(f, argv, const)
    if sized is None:
        return None
    n, elem = sized
    t = argv[0]
    what = f"make({f.decode(t)}, {', '.join(f.decode(a) for a in argv[1:])})"
    if n is None:
        return Origin(Size.UNKNOWN, what, f.text(t))
    return Origin(Size.LARGE if n * elem >= KIB else Size.SMALL, what, f.text(t), length=n)


def _make_is_large(f: SourceFile, argv: list[Node], const: Callable[[Node], int | None]) -> bool:
    """Is the origin of `make(argv...)` (`_make_origin`) of `Size.LARGE`? Without its description."""
    sized = _make_length(f, argv, const)
    return sized is not None and sized[0] is not None and sized[0] * sized[1] >= KIB


# -- small helpers ------------------------------------------------------------------------------------


def _outer_and_parent(node: Node) -> tuple[Node, Node | None]:
    """`with_parens(node)` and its parent, each node asked for its parent once: tree-sitter finds a
    parent by descending from the root, which costs more than anything else asked of a node."""
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        node = parent
        parent = node.parent
    return node, parent


def _outermost_function(node: Node) -> Node | None:
    found = None
    p = node.parent
    while p is not None:
        if p.type in FUNCTION_TYPES:
            found = p
        p = p.parent
    return found


def _is_declaration_name(ident: Node) -> bool:
    """A name a `var`, `const`, parameter or `:=` declares, or a field key: not a use of a variable."""
    decl = declaration_of(ident)
    if decl is not None and decl.type in (
        "var_spec",
        "const_spec",
        "parameter_declaration",
        "short_var_declaration",
    ):
        return True
    return is_field_key(ident)


def _assignment_of(node: Node, side: str) -> tuple[Node, Node, int] | None:
    """(statement, expression list, position) when ``node`` is on the ``side`` of an assignment."""
    holder = node.parent
    if holder is None or holder.type != "expression_list" or holder.parent is None:
        return None
    stmt = holder.parent
    if stmt.type != "assignment_statement" or stmt.child_by_field_name(side) != holder:
        return None
    return stmt, holder, holder.named_children.index(node)


def _root_name(target: Node) -> Node | None:
    """The variable an assignment target writes into: `w` for `w`, `w.b`, `w.list[i]`, `*w`."""
    node = unparen(target)
    while node.type in ("selector_expression", "index_expression", "unary_expression"):
        nxt = node.child_by_field_name("operand")
        if nxt is None:
            return None
        node = unparen(nxt)
    return node if node.type == "identifier" else None


def _may_point_into(f: SourceFile, value: Node, names: set[bytes]) -> bool:
    """May ``value`` hold a pointer into an array one of ``names`` points into?"""
    for ident in walk_types(value, frozenset({"identifier"})):
        if f.text(ident) not in names or is_field_key(ident):
            continue
        if has_ancestor(ident, "func_literal", value) or value.type == "func_literal":
            return True  # a closure can do anything with it
        parent = ident.parent
        if parent is not None and parent.type == "argument_list":
            call = parent.parent
            fn = call.child_by_field_name("function") if call is not None else None
            if fn is not None and f.text(fn) in (b"len", b"cap", b"copy"):
                continue
        if (
            parent is not None
            and parent.type == "index_expression"
            and parent.child_by_field_name("operand") == ident
        ):
            # An element is a value, unless its address is taken: `&buf[i]`, `&buf[i].f`.
            p: Node | None = parent
            while p is not None and p != value.parent:
                if p.type == "unary_expression" and f.text(p)[:1] == b"&":
                    return True
                p = p.parent
            continue
        return True
    return False


def _assigns_any(f: SourceFile, stmt: Node, names: set[bytes]) -> bool:
    """Does ``stmt`` (a `:=`, `=` or `var`) assign or declare one of ``names``?"""
    for decl in walk_types(stmt, frozenset({"short_var_declaration", "assignment_statement", "var_spec"})):
        if decl.type == "var_spec":
            targets = decl.children_by_field_name("name")
        else:
            left = decl.child_by_field_name("left")
            targets = left.named_children if left is not None else []
        if any(f.text(t) in names for t in targets):
            return True
    return False


def _captured_by_go(ident: Node, func: Node) -> bool:
    return has_ancestor(ident, "go_statement", func)


def _statement_of(node: Node) -> Node | None:
    p: Node | None = node
    while p is not None and p.parent is not None and not in_statement_list(p):
        if p.type in FUNCTION_TYPES:
            return None
        p = p.parent
    return p if p is not None and p.parent is not None else None


def _is_len_of(f: SourceFile, node: Node, name: bytes) -> bool:
    """`len(x)`, `cap(x)`, or `len(x) - k` for a constant-looking k."""
    node = unparen(node)
    if node.type == "binary_expression":
        op = node.child_by_field_name("operator")
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if op is None or left is None or right is None or f.text(op) != b"-":
            return False
        return right.type == "int_literal" and _is_len_of(f, left, name)
    if node.type != "call_expression":
        return False
    fn, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
    if fn is None or args is None or f.text(fn) not in (b"len", b"cap") or len(args.named_children) != 1:
        return False
    return f.text(args.named_children[0]) == name


PURE_CALLS = frozenset({b"len", b"cap", b"min", b"max"})


def _pure(f: SourceFile, node: Node) -> bool:
    """Can the expression be evaluated twice without a side effect?"""
    for n in walk_types(node, frozenset({"call_expression", "unary_expression", "func_literal"})):
        if n.type == "func_literal":
            return False
        if n.type == "unary_expression" and f.text(n)[:2] == b"<-":
            return False
        if n.type == "call_expression":
            fn = n.child_by_field_name("function")
            if fn is None or f.text(fn) not in PURE_CALLS:
                return False
    return True


def _elem_size(f: SourceFile, slice_type: Node) -> int:
    elem = slice_type.child_by_field_name("element")
    if elem is None:
        return 1
    if elem.type in ("pointer_type", "slice_type", "map_type", "channel_type", "function_type"):
        return 8
    if elem.type == "interface_type":
        return 16
    return ELEM_SIZES.get(f.text(elem), 1)


def _slice_type_text(f: SourceFile, node: Node) -> bytes | None:
    return f.text(node) if node.type == "slice_type" else None


def _literal_length(body: Node, const: Callable[[Node], int | None]) -> int | None:
    n = 0
    highest = 0
    for el in body.named_children:
        if el.type == "comment":
            continue
        if el.type == "keyed_element":
            key = el.child_by_field_name("key")
            k = const(unparen(key.named_children[0])) if key is not None and key.named_children else None
            if k is None:
                return None
            n = k + 1
        else:
            n += 1
        highest = max(highest, n)
    return highest


def _text(node: Node) -> bytes:
    """The source of a node of any file of the package (constants may live in another file)."""
    return node.text or b""


def _eval_const(f: SourceFile, node: Node, consts: _Consts, depth: int) -> int | None:
    """The value of a constant integer expression, or None."""
    if depth > 8:
        return None
    node = unparen(node)
    if node.type == "int_literal":
        try:
            return int(_text(node).decode().replace("_", ""), 0)
        except ValueError:
            text = _text(node).decode().replace("_", "")
            return int(text, 8) if text.isdigit() else None
    if node.type == "identifier":
        value = consts.get(_text(node))
        return _eval_const(f, value, consts, depth + 1) if value is not None else None
    if node.type == "unary_expression":
        operand = node.child_by_field_name("operand")
        v = _eval_const(f, operand, consts, depth + 1) if operand is not None else None
        op = _text(node)[:1]
        if v is None or op not in (b"-", b"+"):
            return None
        return -v if op == b"-" else v
    if node.type == "binary_expression":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        op_node = node.child_by_field_name("operator")
        if left is None or right is None or op_node is None:
            return None
        a = _eval_const(f, left, consts, depth + 1)
        b = _eval_const(f, right, consts, depth + 1)
        if a is None or b is None:
            return None
        op = _text(op_node)
        if op == b"+":
            return a + b
        if op == b"-":
            return a - b
        if op == b"*":
            return a * b
        if op == b"/" and b:
            return int(a / b)
        if op == b"%" and b:
            return a % b
        if op == b"<<" and 0 <= b < 64:
            return a << b
        if op == b">>" and 0 <= b < 64:
            return a >> b
    return None


class _PackageInfo:
    """What the package declares at top level, each computed once per package and only when needed."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self._declares: dict[bytes, bool] = {}
        self._const: dict[bytes, Node | None] = {}

    def const(self, name: bytes) -> Node | None:
        """The value of the package-level constant ``name`` (see `_package_const`), or None."""
        if name in self._const:
            return self._const[name]
        found = self._const[name] = _package_const(self.const_declarations, name)
        return found

    @functools.cached_property
    def const_declarations(self) -> list[tuple[SourceFile, Node]]:
        return [
            (sf, top)
            for sf in self.package.files
            for top in _top_declarations(sf, b"const", "const_declaration")
        ]

    @functools.cached_property
    def globals(self) -> set[bytes]:
        return _package_vars(self.package)

    def declares(self, name: bytes) -> bool:
        """Does the package declare ``name`` at top level (a function, type, variable, constant)?"""
        found = self._declares.get(name)
        if found is None:
            found = self._declares[name] = _package_declares(self.package, name)
        return found


def _package_const(declarations: list[tuple[SourceFile, Node]], name: bytes) -> Node | None:
    """The value a package-level constant ``name`` is given, from the top-level const ``declarations``.

    That of the last spec naming it that has as many values as names (good enough for buffer sizes).
    The specs are children of a declaration, but in a function literal of a value (rare). Only the places
    where ``name`` appears in the declarations are looked at in the tree.
    """
    found = None
    size = len(name)
    for sf, top in declarations:
        data = sf.data
        end = top.end_byte
        nested = data.find(b"func", top.start_byte, end) >= 0
        at = data.find(name, top.start_byte, end)
        while at >= 0:
            if data[at + size : at + size + 1] in _NAME_BYTES:  # a longer name
                at = data.find(name, at + 1, end)
                continue
            node = top.descendant_for_byte_range(at, at + size)
            spec = node.parent if node is not None else None
            if (
                node is not None
                and spec is not None
                and node.start_byte == at
                and node.end_byte == at + size
                and spec.type == "const_spec"
                and (nested or spec.parent == top)
            ):
                names = spec.children_by_field_name("name")
                value = spec.child_by_field_name("value")
                if value is not None and len(value.named_children) == len(names) and node in names:
                    found = value.named_children[names.index(node)]
            at = data.find(name, at + 1, end)
    return found


class _NeedsPackageConst(Exception):
    """A value needs the package's constants, and a `_Consts` without them was asked for one."""


class _Consts:
    """The constants a function sees: its own, then the package's (looked up one name at a time).

    Without the package (``info`` None), a name that is not the function's own raises
    `_NeedsPackageConst`: whether the package declares it is not known.
    """

    __slots__ = ("info", "local")

    def __init__(self, info: _PackageInfo | None, local: dict[bytes, Node]) -> None:
        self.info = info
        self.local = local

    def get(self, name: bytes) -> Node | None:
        value = self.local.get(name)
        if value is not None:
            return value
        if self.info is None:
            raise _NeedsPackageConst
        return self.info.const(name)


def _package_declares(package: Package, name: bytes) -> bool:
    """Is ``name`` declared at the top level of the package: a function, type, variable or constant?

    That is the name of a top-level function, or one a var, const or type spec anywhere in a top-level
    var, const or type declaration names. Only the places where the name follows what may precede a
    declared name (a keyword, `(`, `,`, `;`, a comment or a line break) are looked at in the tree.
    """
    word = re.compile(re.escape(name) + rb"(?![0-9A-Za-z_\x80-\xff])")
    for sf in package.files:
        data = sf.data
        for m in word.finditer(data):
            i = m.start()
            before = data[max(0, i - 16) : i].rstrip(b" \t")
            if not (
                before == b""
                or before[-1:] in _BEFORE_DECLARED
                or before.endswith((b"func", b"var", b"const", b"type"))
            ):
                continue
            node = sf.root.descendant_for_byte_range(i, m.end())
            if node is None or node.start_byte != i or node.end_byte != m.end():
                continue
            spec = node.parent
            if spec is None:
                continue
            if spec.type == "function_declaration":
                if spec.child_by_field_name("name") == node and spec.parent == sf.root:
                    return True
                continue
            if spec.type not in _SPECS or node not in spec.children_by_field_name("name"):
                continue
            top = spec.parent
            while top is not None and top.parent is not None and top.parent != sf.root:
                top = top.parent
            if top is not None and top.type in _TOP_DECLARATIONS and top.parent == sf.root:
                return True
    return False


_BEFORE_DECLARED = frozenset({b"\n", b"\r", b",", b"(", b";", b"/", b"\f", b"\v"})
_SPECS = frozenset({"var_spec", "const_spec", "type_spec", "type_alias"})
_TOP_DECLARATIONS = frozenset({"var_declaration", "const_declaration", "type_declaration"})


def _package_vars(package: Package) -> set[bytes]:
    out: set[bytes] = set()
    for sf in package.files:
        for top in _top_declarations(sf, b"var", "var_declaration"):
            if top.has_error or sf.data.find(b"func", top.start_byte, top.end_byte) >= 0:
                specs: Iterable[Node] = walk_types(top, frozenset({"var_spec"}))
            else:  # `var x T` or `var ( ... )`: the specs are children, or children of the list
                specs = [
                    spec
                    for child in top.named_children
                    for spec in (child.named_children if child.type == "var_spec_list" else (child,))
                    if spec.type == "var_spec"
                ]
            for spec in specs:
                out.update(sf.text(n) for n in spec.children_by_field_name("name"))
    return out


def _top_declarations(sf: SourceFile, keyword: bytes, kind: str) -> Iterator[Node]:
    """The top-level declarations of ``kind`` in ``sf``, in source order, found from their keyword.

    Such a declaration starts with its keyword: a top-level node of that kind starting at a hit.
    """
    child_at = sf.root.first_child_for_byte
    # A keyword followed by a name character would be part of a longer name.
    for m in re.finditer(re.escape(keyword) + rb"(?![0-9A-Za-z_])", sf.data):
        top = child_at(m.start())
        if top is not None and top.start_byte == m.start() and top.type == kind:
            yield top
