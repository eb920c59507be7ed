"""unbounded-global: a package-level slice or map that the package only ever grows."""

from __future__ import annotations

import functools
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tree_sitter import Node

from gofixer.codemod import Codemod, Match
from gofixer.goscope import LocalNames, declared_function, function_name, receiver
from gofixer.model import Finding
from gofixer.parsing import (
    LOCAL_DECLARATIONS,
    WORD_BYTES,
    Package,
    SourceFile,
    declaration_of,
    declared_names,
    enclosing_function,
    find_go_mod,
    is_field_key,
    unparen,
    walk_types,
    with_parens,
)

# A function whose name says it registers something: it is called at start-up, a bounded number of times.
REGISTRATION_PREFIXES = ("register", "mustregister", "publish", "handle", "define", "declare", "install")
# Calls that take a function to run once or while parsing flags: `once.Do(f)`, `fs.Var(flagFunc(f), ...)`.
HOOK_CALLS = frozenset({b"Do", b"Var", b"Func", b"BoolFunc", b"TextVar"})
_HOOK_WORD = re.compile(rb"\b(?:" + b"|".join(sorted(HOOK_CALLS)) + rb")\b")
COMPARISONS = frozenset({b"<", b"<=", b">", b">=", b"=="})
SCRATCH_ELEMENTS = frozenset({b"[]byte", b"*bytes.Buffer", b"bytes.Buffer", b"[]uint8"})
# Go's home for commands (`cmd/compile`, `cmd/link`, `cmd/go`) and the packages private to them.
COMMAND_DIRECTORY = "cmd"


@dataclass
class Container:
    """A package-level slice or map, or a slice or map field of a package-level struct."""

    var: bytes  # the global's name
    member: bytes | None  # the field holding the container, for a struct-typed global
    kind: str  # "slice" or "map"
    spec: Node  # the declaring var_spec's name node (where the finding goes)
    file: SourceFile
    element: bytes | None = None  # element (slice) or value (map) type, for the sync.Pool hint
    key: bytes | None = None  # map key type
    growers: dict[str, list[bool]] = field(default_factory=dict)  # function -> per grow site: in a sync.Once?
    grow_keys: list[Node] = field(default_factory=list)  # map keys inserted
    bounded: bool = False  # something deletes, truncates, resets, reallocates or caps it
    reason: str = ""

    @property
    def label(self) -> str:
        if self.member is None:
            return f"`{self.var.decode()}`"
        return f"`{self.var.decode()}.{self.member.decode()}`"


class UnboundedGlobal(Codemod):
    """
    ## What it does
    Finds package-level slices and maps — and slice or map fields of package-level structs — that the
    functions of the package only ever grow (`x = append(x, ...)`, `m[k] = v`), while nothing in the
    package deletes from them, truncates, resets or reallocates them (`delete`, `clear`, `x = x[:0]`,
    `x = nil`, `m = make(...)`), or caps their size (`if len(x) >= max`). Report only: the message names
    the functions that grow it.

    To stay precise, a global is not reported when:
    - it is only grown at start-up: in `init`, in a package-level initializer, in a function called only
      from those, inside a `sync.Once`, or in a registration-style function (`Register...`,
      `MustRegister...`, `Publish...`, `Handle...`, `Define...`, `Declare...`, `Install...`). Registries
      filled this way hold one entry per registration, not per request;
    - a map is only inserted into under constant keys — written in place, or a parameter of an
      unexported function that every call in the package gives a constant — or is keyed by
      `reflect.Type` (bounded by the program's types);
    - its length is compared with a bound in an `if`, directly or through a local variable
      (`n := len(m) + 1; if n > max { ... }`);
    - its address is taken, a map is passed to a function or stored elsewhere, or a method is called on
      it: something else may shrink it;
    - any code in the package touches a field of the same name in a shrinking way (a method may reset
      the field of a struct-typed global).
    Test files are ignored: their globals live as long as one test binary. So are `//go:build ignore`
    files (generators run by hand) and packages whose import path has a `cmd` element (`cmd/link/...`,
    `example.com/tool/cmd/run`; the import path comes from the nearest go.mod's `module` line, so where
    the project is checked out does not matter). That is where Go code keeps its commands and the
    packages private to them (the Go toolchain's compiler, linker and `go` command): a one-shot
    command's tables grow for one run by design and are freed when it exits. A long-running service
    whose code lives under `cmd/` is therefore not checked; keep its caches in a package outside `cmd/`
    to have them checked.

    ## Why is this bad?
    A package-level variable lives as long as the program. A slice that is only appended to, or a map
    that is only inserted into, grows with every call and is never collected: a cache without eviction,
    a log of every request, a list of every connection ever made. The garbage collector cannot help,
    since everything stays reachable.

    ## Example
    ```go
    var globalSlice = make([]int, 0)

    func appendToGlobal() {
        for i := 0; i < 100000; i++ {
            globalSlice = append(globalSlice, i)
        }
    }
    ```
    Use instead: bound it, or reset it when its contents are no longer needed:
    ```go
    func clearGlobalSlice() {
        globalSlice = nil
    }
    ```
    A cache needs an eviction policy (a size cap, LRU, expiry); scratch buffers belong in a `sync.Pool`.

    ## Fix safety
    There is no automatic fix: how large the global may grow and what to evict depend on the program.
    """

    name = "unbounded-global"
    summary = "A package-level slice or map is only ever appended to or inserted into."
    prefilter = (b"var",)
    # The package's top-level `var` declarations, and its top-level `type` declarations (which the
    # variables' named and struct types resolve through): one pass over each file's top level.
    query = """
    (source_file (var_declaration) @var)
    (source_file (type_declaration) @type)
    """

    @classmethod
    def candidates(cls, f: SourceFile) -> list[Node] | None:
        # The patterns start at the file's root; matching them there alone reads only the top level.
        return [f.root]

    @classmethod
    def skip_file(cls, f: SourceFile, package: Package) -> bool:
        """A test file, or any file of a command package: never checked. A `//go:build ignore` file is
        not checked either, but `run` drops it, and only when its declarations matter: reading every
        file's build constraints here costs more than matching the top level of the few such files."""
        return f.is_test or _is_command_package(package.dir)

    def run(self, package: Package, matches: list[Match]) -> Iterable[Finding]:
        if _is_command_package(package.dir):
            return
        # The query's top-level `var` declarations, file by file in source order.
        var_decls = [(m.file, m.captures["var"][0]) for m in matches if m.pattern == 0]
        if not var_decls:
            return
        type_decls = [(m.file, m.captures["type"][0]) for m in matches if m.pattern == 1]
        # Containers are found from every declaration, then those of files not checked are dropped: only
        # the declaring files' build constraints are read.
        containers = [c for c in _containers(var_decls, type_decls) if _checked(c.file)]
        if not containers:
            return
        usage = _Usage([f for f in package.files if not f.is_test], containers)
        usage.scan()
        for c in containers:
            if c.bounded or not c.growers:
                continue
            if usage.startup_only(c) or usage.bounded_keys(c):
                continue
            yield self._finding(c)

    def _finding(self, c: Container) -> Finding:
        verb = "appended to" if c.kind == "slice" else "inserted into"
        names = sorted(c.growers)
        where = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        what = f"package-level {c.kind} {c.label}"
        if c.member is not None:
            what = f"{c.kind} {c.label} (a field of a package-level variable)"
        hint = "cap its size, reset it periodically, or evict old entries"
        if c.element in SCRATCH_ELEMENTS:
            hint += "; for scratch buffers, use a sync.Pool"
        message = (
            f"{what} only grows: it is {verb} in {where} and nothing in the package deletes from, "
            f"truncates, resets or bounds it; {hint}"
        )
        return self.finding(c.file, c.spec, message)


def _checked(f: SourceFile) -> bool:
    """Is a file of the package checked: neither a test file nor a `//go:build ignore` file? (Its
    build constraints are read once, when first asked about: `SourceFile.build_ignored`.)"""
    return not (f.is_test or f.build_ignored)


@functools.lru_cache(maxsize=4096)
def _is_command_package(directory: str) -> bool:
    """Does the package's import path have a `cmd` element (`cmd/link/internal/ld`, `x.org/tool/cmd/run`)?

    The import path, not the directory on disk: a project checked out under some `.../cmd/...` directory
    is not a command. GOROOT/src/cmd is its own module, `module cmd`. Outside any module there is no
    import path, and the package is checked.
    """
    path = _import_path(directory)
    return path is not None and COMMAND_DIRECTORY in path.split("/")


def _import_path(directory: str) -> str | None:
    mod = find_go_mod(directory)
    if mod is None:
        return None
    module = _module_path(mod)
    if module is None:
        return None
    root = os.path.dirname(mod)
    if directory.startswith(root + "/") and os.path.normpath(directory) == directory:
        # An absolute, normalised directory below the module's root, as the engine's are: the rest of
        # the string is the path below the root (pathlib, which normalises any spelling, costs 10x).
        return f"{module}/{directory[len(root) + 1 :]}"
    rel = Path(directory).relative_to(Path(mod).parent).as_posix()
    return module if rel == "." else f"{module}/{rel}"


@functools.cache
def _module_path(go_mod: str) -> str | None:
    try:
        text = Path(go_mod).read_text("utf-8", "replace")
    except OSError:
        return None
    m = re.search(r"^module\s+\"?([^\s\"]+)", text, re.M)
    return m.group(1) if m else None


# -- what the package declares ------------------------------------------------------------------------


def _containers(
    var_decls: list[tuple[SourceFile, Node]], type_decls: list[tuple[SourceFile, Node]]
) -> list[Container]:
    """The containers the top-level ``var_decls`` declare, in order; their types resolve through the
    top-level ``type_decls`` of the checked files."""
    types = _Types(type_decls)
    out: list[Container] = []
    for f, top in var_decls:
        for spec in _specs(f, top, "var_spec", "var_spec_list", b"var"):
            names = spec.children_by_field_name("name")
            value = spec.child_by_field_name("value")
            values = value.named_children if value is not None else []
            t = spec.child_by_field_name("type")
            for i, name_node in enumerate(names):
                name = f.text(name_node)
                if name == b"_":
                    continue
                v = values[i] if len(values) == len(names) else None
                type_node = t if t is not None else (_type_of_value(v) if v is not None else None)
                if type_node is None:
                    continue
                out.extend(_containers_of(f, name, name_node, type_node, types))
    return out


def _specs(f: SourceFile, top: Node, kind: str, list_kind: str, keyword: bytes) -> list[Node]:
    """The ``kind`` nodes under the declaration ``top``, nested ones included, in source order.

    With no syntax error, a declaration nests another only in a statement of a function literal, which
    spells `func`; with one ``keyword`` in its text (its own) or no `func`, it nests none: its specs are
    its children (or its list's), read without walking the initializers. (The keyword alone sent a
    third of the package's type declarations, whose comments say "type", to the walk.)
    """
    start, end = top.start_byte, top.end_byte
    if top.has_error or (f.data.count(keyword, start, end) != 1 and f.data.find(b"func", start, end) >= 0):
        return list(walk_types(top, frozenset({kind})))
    out = []
    for child in top.named_children:
        if child.type == kind:
            out.append(child)
        elif child.type == list_kind:
            out.extend(c for c in child.named_children if c.type == kind)
    return out


def _type_of_value(value: Node) -> Node | None:
    """The type a package-level initializer spells out: `make(T, ...)`, `T{...}`, `&T{...}`."""
    while value.type in ("parenthesized_expression", "unary_expression") and value.named_children:
        if value.type == "unary_expression" and (value.text or b"")[:1] != b"&":
            return None
        value = value.named_children[-1]
    if value.type == "composite_literal":
        return value.child_by_field_name("type")
    if value.type == "call_expression":
        fn, args = value.child_by_field_name("function"), value.child_by_field_name("arguments")
        if fn is not None and args is not None and fn.text == b"make" and args.named_children:
            return args.named_children[0]
    return None


def _containers_of(f: SourceFile, name: bytes, name_node: Node, t: Node, types: _Types) -> list[Container]:
    while t.type == "pointer_type" and t.named_children:
        t = t.named_children[0]
    resolved = _resolve(t, types)
    kind = _KINDS.get(resolved.type)
    if kind is not None:
        return [Container(name, None, kind, name_node, f, _element(resolved), _key(resolved))]
    if resolved.type != "struct_type":
        return []
    out = []
    for decl in walk_types(resolved, frozenset({"field_declaration"})):
        ft = decl.child_by_field_name("type")
        if ft is None:
            continue
        field_type = _resolve(ft, types)
        fkind = _KINDS.get(field_type.type)
        if fkind is None:
            continue
        for fname in decl.children_by_field_name("name"):
            out.append(
                # The field's own text: the struct may be declared in another file than the variable.
                Container(
                    name, fname.text or b"", fkind, name_node, f, _element(field_type), _key(field_type)
                )
            )
    return out


def _resolve(t: Node, types: _Types) -> Node:
    seen = 0
    while t.type == "type_identifier" and seen < 5:
        underlying = types.get(t.text or b"")
        if underlying is None:
            break
        t = underlying
        seen += 1
    return t


# A resolved type's node type -> the kind of container it makes.
_KINDS = {"slice_type": "slice", "map_type": "map"}


def _element(t: Node) -> bytes | None:
    el = t.child_by_field_name("element") or t.child_by_field_name("value")
    return el.text if el is not None else None


def _key(t: Node) -> bytes | None:
    k = t.child_by_field_name("key") if t.type == "map_type" else None
    return k.text if k is not None else None


class _Types:
    """Package-level type names -> their underlying type node (not aliases of other packages' types),
    from the top-level ``type_decls`` of the checked files: the last declaration of a name wins.

    Read on the first look-up (most variables are slices or maps spelled out, which need none): each
    spec's name then; its type, and a file's build constraints, only when the name is looked up.
    """

    def __init__(self, type_decls: list[tuple[SourceFile, Node]]) -> None:
        self._type_decls = type_decls
        self._by_name: dict[bytes, list[tuple[SourceFile, Node]]] | None = None  # name -> (file, type_spec)
        self._found: dict[bytes, Node | None] = {}

    def get(self, name: bytes) -> Node | None:
        if name in self._found:
            return self._found[name]
        by_name = self._by_name
        if by_name is None:
            by_name = self._by_name = defaultdict(list)
            for f, top in self._type_decls:
                for spec in _specs(f, top, "type_spec", "type_spec_list", b"type"):
                    name_node = spec.child_by_field_name("name")
                    if name_node is not None:
                        by_name[f.text(name_node)].append((f, spec))
        found = None
        for f, spec in reversed(by_name.get(name, ())):
            t = spec.child_by_field_name("type")
            if t is not None and spec.child_by_field_name("type_parameters") is None and _checked(f):
                found = t
                break
        self._found[name] = found
        return found


# -- how the package uses them -------------------------------------------------------------------------


@dataclass
class _Usage:
    # The package's files that may be checked (`_checked` tells which are: a file's build constraints
    # are read only once the file is found to spell a name looked for).
    files: list[SourceFile]
    containers: list[Container]
    _locals: LocalNames = field(default_factory=LocalNames)
    # name -> every `identifier` node spelling it, file by file in source order (built on demand)
    _idents: dict[bytes, list[tuple[SourceFile, Node]]] = field(default_factory=dict)
    _callers: dict[str, set[str]] = field(default_factory=dict)  # function -> its callers' names
    _hooked: dict[str, bool] = field(default_factory=dict)  # function -> handed to once.Do or a flag set?
    _may_hook: dict[int, bool] = field(default_factory=dict)  # id(file) -> does it spell a hook's name?

    def scan(self) -> None:
        """Classify every use of each container's name, then of each field's name, for struct fields.

        Only the nodes spelling those names are visited: each file's bytes are searched for the names
        as words, and the identifier there is looked up in the tree. A field's name is only looked
        for when the global's own uses grow it and do not bound it: elsewhere it can only bound it.
        """
        by_var: dict[bytes, list[Container]] = defaultdict(list)
        slices = any(c.kind == "slice" for c in self.containers)
        appended = _appended_words(self.files) if slices else None
        for c in self.containers:
            if c.kind == "slice" and appended is not None and c.var not in appended:
                continue  # no `append(` call starts with its name: nothing grows it
            by_var[c.var].append(c)
        self._visit(by_var, "identifier")
        by_field: dict[bytes, list[Container]] = defaultdict(list)
        for c in self.containers:
            if c.member is not None and c.growers and not c.bounded:
                by_field[c.member].append(c)
        if by_field:
            self._visit(by_field, "field_identifier")

    def _visit(self, by_name: dict[bytes, list[Container]], kind: str) -> None:
        """Classify the uses of the names ``by_name`` maps to their containers.

        A bounded container stays bounded whatever else is found (its growers are no longer needed):
        a name is no longer looked for once all its containers are bounded. The order of the files
        only changes when that happens, not what is found; the files declaring the containers come
        first, as a global is often reset next to its declaration.
        """
        names = list(by_name)
        declaring = {id(c.file) for cs in by_name.values() for c in cs}
        files = [f for f in self.files if id(f) in declaring] + [
            f for f in self.files if id(f) not in declaring
        ]
        for f in files:
            data = f.data
            hits = [n for name in names if name in data for n in _spelled(f, name) if n.type == kind]
            if not hits or not _checked(f):
                continue
            if len(names) > 1 and len(hits) > 1:
                hits.sort(key=_start_byte)
            local = _declared_in_functions(f, hits) if kind == "identifier" else None
            for ident in hits:
                text = f.text(ident)
                if kind == "field_identifier":
                    self._field_elsewhere(f, ident, by_name[text])
                elif (
                    (local is not None and text not in local) or not self._locals.shadowed(f, ident, text)
                ) and not _is_declaration(ident):
                    self._use(f, ident, by_name[text])
            names = [name for name in names if not all(c.bounded for c in by_name[name])]
            if not names:
                return

    def _identifiers(self, name: bytes) -> list[tuple[SourceFile, Node]]:
        """Every `identifier` node of the package spelling ``name``, in source order."""
        found = self._idents.get(name)
        if found is None:
            found = self._idents[name] = [
                (f, n)
                for f in self.files
                if name in f.data and _checked(f)
                for n in _spelled(f, name)
                if n.type == "identifier"
            ]
        return found

    def callers(self, func: str) -> set[str]:
        """The functions calling ``func`` by name ("" for a package-level initializer)."""
        found = self._callers.get(func)
        if found is None:
            found = self._callers[func] = set()
            for f, ident in self._identifiers(func.encode()):
                parent = ident.parent
                if parent is not None and parent.type == "call_expression":
                    found.add(_function_name(f, ident))
        return found

    def hooked(self, func: str) -> bool:
        """Is ``func`` handed (maybe converted) to once.Do or a flag set, anywhere in the package?"""
        found = self._hooked.get(func)
        if found is None:
            found = False
            for f, ident in self._identifiers(func.encode()):
                parent = ident.parent
                if parent is not None and parent.type == "call_expression":
                    continue
                if self._file_may_hook(f) and _hooked(f, ident):
                    found = True
                    break
            self._hooked[func] = found
        return found

    def _file_may_hook(self, f: SourceFile) -> bool:
        # `_hooked` needs a call whose field is a hook's name: none when no such word is in the file.
        found = self._may_hook.get(id(f))
        if found is None:
            found = self._may_hook[id(f)] = _HOOK_WORD.search(f.data) is not None
        return found

    def calls(self, name: bytes) -> list[Node]:
        """The calls of ``name`` (as the called function itself)."""
        out = []
        for _, ident in self._identifiers(name):
            parent = ident.parent
            if (
                parent is not None
                and parent.type == "call_expression"
                and parent.child_by_field_name("function") == ident
            ):
                out.append(parent)
        return out

    def mentions(self, name: bytes) -> int:
        """How many identifiers of the package spell ``name``."""
        return len(self._identifiers(name))

    def _use(self, f: SourceFile, ident: Node, candidates: list[Container]) -> None:
        """One use of a global's name: classify it for the container(s) it reaches."""
        parent = ident.parent
        if (
            parent is not None
            and parent.type == "selector_expression"
            and parent.child_by_field_name("operand") == with_parens(ident)
        ):
            fld = parent.child_by_field_name("field")
            for c in candidates:
                if c.member is None:
                    _bound(c, "a method or field of it is used")
                elif fld is not None and f.text(fld) == c.member:
                    self._classify(f, parent, c)
            return
        for c in candidates:
            if c.member is None:
                self._classify(f, ident, c)
            elif _escapes(f, with_parens(ident)):
                _bound(c, "the struct itself is passed on")

    def _field_elsewhere(self, f: SourceFile, fld: Node, candidates: list[Container]) -> None:
        """`anything.field` shrunk anywhere (a method on the struct, say) counts for the global's field."""
        sel = fld.parent
        if sel is None or sel.type != "selector_expression" or sel.child_by_field_name("field") != fld:
            return
        operand = sel.child_by_field_name("operand")
        for c in candidates:
            if operand is not None and operand.type == "identifier" and f.text(operand) == c.var:
                continue  # the global itself: classified by _use
            probe = Container(c.var, c.member, c.kind, c.spec, c.file)
            self._classify(f, sel, probe)
            if probe.bounded:
                _bound(c, probe.reason)

    def _classify(self, f: SourceFile, expr: Node, c: Container) -> None:
        node = with_parens(expr)
        parent = node.parent
        if parent is None:
            return
        text = f.text(expr)
        if parent.type == "expression_list" and parent.parent is not None:
            stmt = parent.parent
            left = stmt.child_by_field_name("left")
            right = stmt.child_by_field_name("right")
            if stmt.type == "assignment_statement" and left == parent:
                op = stmt.child_by_field_name("operator")
                values = right.named_children if right is not None else []
                if (
                    op is not None
                    and f.text(op) == b"="
                    and len(values) == len(parent.named_children)
                    and _is_self_append(f, values[parent.named_children.index(node)], text)
                ):
                    self._grow(f, node, c)
                else:
                    _bound(c, "it is reassigned")
                return
            if c.kind == "map" and stmt.type in ("assignment_statement", "short_var_declaration", "var_spec"):
                _bound(c, "it is copied to another variable")  # an alias may delete from it
                return
            if c.kind == "map" and stmt.type == "return_statement":
                _bound(c, "it is returned")
                return
            return
        if parent.type == "index_expression" and parent.child_by_field_name("operand") == node:
            holder = with_parens(parent).parent
            if c.kind == "map" and holder is not None and _is_assigned(holder):
                self._grow(f, parent, c)
                index = parent.child_by_field_name("index")
                if index is not None:
                    c.grow_keys.append(index)
            return
        if parent.type == "unary_expression" and f.text(parent)[:1] == b"&":
            _bound(c, "its address is taken")
            return
        if parent.type == "argument_list":
            call = parent.parent
            fn = call.child_by_field_name("function") if call is not None else None
            name = f.text(fn) if fn is not None else b""
            if name in (b"delete", b"clear"):
                _bound(c, f"{name.decode()} is called on it")
            elif name in (b"len", b"cap"):
                if call is not None and (_is_cap_check(f, call) or _is_cap_check_via_local(f, call)):
                    _bound(c, "its length is checked")
            elif c.kind == "map" and name not in (b"append", b"copy"):
                _bound(c, "it is passed to a function")
            return
        if parent.type in ("composite_literal", "literal_element", "send_statement") and c.kind == "map":
            _bound(c, "it is passed on")

    def _grow(self, f: SourceFile, site: Node, c: Container) -> None:
        func = _function_name(f, site)
        c.growers.setdefault(func, []).append(_inside_once(f, site))

    def startup_only(self, c: Container) -> bool:
        """Is every growth of ``c`` part of start-up (init, initializers, registration, sync.Once)?"""
        return all(self._startup(func, 0) or all(in_once) for func, in_once in c.growers.items())

    def bounded_keys(self, c: Container) -> bool:
        """A map filled only under constant keys, or keyed by reflect.Type, holds a bounded number of entries."""
        if c.kind != "map":
            return False
        if c.key is not None and c.key.endswith(b"reflect.Type"):
            return True
        return bool(c.grow_keys) and all(_constant(k) or self._constant_argument(k) for k in c.grow_keys)

    def _constant_argument(self, key: Node) -> bool:
        """Is ``key`` a parameter of an unexported function that every call in the package gives a constant?"""
        func = enclosing_function(key)
        if key.type != "identifier" or func is None or func.type != "function_declaration":
            return False
        name_node, params = func.child_by_field_name("name"), func.child_by_field_name("parameters")
        name = (name_node.text if name_node is not None else None) or b""
        param = key.text or b""
        if not name[:1].islower() or params is None:
            return False
        position = _parameter_position(params, param)
        body = func.child_by_field_name("body")
        calls = self.calls(name) if position is not None else []
        # Every mention of the function is a call (it is never used as a value), the parameter is its
        # only declaration of that name and is never assigned to.
        if position is None or not calls or self.mentions(name) != len(calls) + 1:
            return False
        if body is None or _declares_or_assigns(body, param):
            return False
        for call in calls:
            args = call.child_by_field_name("arguments")
            values = args.named_children if args is not None else []
            if len(values) <= position or not _constant(values[position]):
                return False
        return True

    def _startup(self, func: str, depth: int) -> bool:
        bare = func.rsplit(".", 1)[-1]
        lower = bare.lower()
        if (
            func == ""
            or lower.startswith(REGISTRATION_PREFIXES)
            or "register" in lower
            or lower.startswith("init")
            or lower.endswith("init")
            or self.hooked(bare)
        ):
            return True
        if depth > 3 or "." in func or bare[:1].isupper():
            return False  # a method or an exported function: anybody may call it at any time
        callers = self.callers(bare)
        return bool(callers) and all(self._startup(c, depth + 1) for c in callers)


def _constant(node: Node) -> bool:
    return node.type in ("interpreted_string_literal", "raw_string_literal", "int_literal", "rune_literal")


def _bound(c: Container, reason: str) -> None:
    if not c.bounded:
        c.bounded, c.reason = True, reason


# -- small helpers ---------------------------------------------------------------------------------------

_NAME_TYPES = frozenset({"identifier", "field_identifier"})


def _spelled(f: SourceFile, name: bytes) -> list[Node]:
    """The `identifier` and `field_identifier` nodes of ``f`` whose text is ``name``, in source order.

    A search of the file's bytes, then a look-up of the leaf at each hit: no walk of the whole tree.
    """
    data = f.data
    size, width = len(data), len(name)
    if not width:
        # A field name read from another file's bytes may be empty (see _containers_of); only a MISSING
        # node spells nothing, and only a tree with errors has one.
        tree = f.root
        if not tree.has_error:
            return []
        return [n for n in walk_types(tree, _NAME_TYPES) if n.start_byte == n.end_byte]
    root: Node | None = None
    out: list[Node] = []
    i = data.find(name)
    while i >= 0:
        end = i + width
        if (i == 0 or data[i - 1] not in WORD_BYTES) and (end == size or data[end] not in WORD_BYTES):
            if root is None:
                root = f.root
            node = root.descendant_for_byte_range(i, end)
            if (
                node is not None
                and node.type in _NAME_TYPES
                and node.start_byte == i
                and node.end_byte == end
            ):
                out.append(node)
        i = data.find(name, end)
    return out


_SPACE_BYTES = frozenset(b" \t\n\r\v\f")
_OPEN, _SLASH, _BRACKET = ord("("), ord("/"), ord("[")


def _appended_words(files: list[SourceFile]) -> set[bytes] | None:
    """The names the first argument of some `append(...)` of the checked ``files`` starts with
    (None: can't tell).

    A slice grows only through `x = append(x, ...)` or `g.f = append(g.f, ...)`: a global whose name
    no first argument starts with is never grown. A byte scan, no tree: a comment or a non-ASCII byte
    where the scan needs a plain token gives up (None), so the set never misses a name.
    """
    words: set[bytes] = set()
    for f in files:
        data = f.data
        size = len(data)
        i = data.find(b"append")
        if i >= 0 and not _checked(f):
            continue
        while i >= 0:
            j = i + 6
            i = data.find(b"append", j)
            if (j - 7 >= 0 and data[j - 7] in WORD_BYTES) or (j < size and data[j] in WORD_BYTES):
                continue  # part of a longer name
            while j < size and data[j] in _SPACE_BYTES:
                j += 1
            if j == size:
                continue
            if data[j] != _OPEN:
                if data[j] in (_SLASH, _BRACKET) or data[j] >= 0x80:
                    return None
                continue
            j += 1
            while j < size and (data[j] in _SPACE_BYTES or data[j] == _OPEN):
                j += 1
            if j == size:
                continue
            if data[j] == _SLASH or data[j] >= 0x80:
                return None
            k = j
            while k < size and data[k] in WORD_BYTES:
                k += 1
            if k < size and data[k] >= 0x80:
                return None
            if k > j:
                words.add(data[j:k])
    return words


def _declared_in_functions(f: SourceFile, hits: list[Node]) -> set[bytes] | None:
    """The names among ``hits`` some function of ``f`` may declare (None: can't tell, a tree with errors).

    A function declares a name with an identifier spelling it, a child or grandchild of the declaring
    node (see `declared_names`): in a tree without errors, one of the identifiers ``_spelled`` finds.
    A name no such hit declares inside a function is shadowed nowhere in ``f``.
    """
    if f.root.has_error:
        return None
    out: set[bytes] = set()
    for ident in hits:
        if declaration_of(ident) is not None and enclosing_function(ident) is not None:
            out.add(f.text(ident))
    return out


def _start_byte(node: Node) -> int:
    return node.start_byte


def _is_declaration(ident: Node) -> bool:
    """A name a `var` declares, or a field key: not a use of a global."""
    decl = declaration_of(ident)
    return (decl is not None and decl.type == "var_spec") or is_field_key(ident)


def _function_name(f: SourceFile, node: Node) -> str:
    """The named function around ``node`` ("" at package level); methods as `Type.Method`."""
    decl = declared_function(node)
    if decl is None:
        return ""
    name = function_name(f, decl)
    _, recv_type = receiver(f, decl)
    return f"{recv_type}.{name}" if recv_type is not None else name


def _is_self_append(f: SourceFile, value: Node, target: bytes) -> bool:
    value = unparen(value)
    if value.type != "call_expression":
        return False
    fn, args = value.child_by_field_name("function"), value.child_by_field_name("arguments")
    if fn is None or args is None or f.text(fn) != b"append" or not args.named_children:
        return False
    return f.text(args.named_children[0]) == target


def _is_assigned(holder: Node) -> bool:
    """Is the index expression ``holder`` holds written: `m[k] = v`, `m[k] += v`, `m[k]++`?"""
    if holder.type in ("inc_statement", "dec_statement"):
        return True
    if holder.type == "expression_list" and holder.parent is not None:
        stmt = holder.parent
        return stmt.type == "assignment_statement" and stmt.child_by_field_name("left") == holder
    return False


def _is_cap_check(f: SourceFile, call: Node) -> bool:
    """`len(x)` compared with something in an `if` condition (not a loop bound, not `> 0`)."""
    node = with_parens(call)
    cmp = node.parent
    if cmp is None or cmp.type != "binary_expression":
        return False
    op = cmp.child_by_field_name("operator")
    if op is None or f.text(op) not in COMPARISONS:
        return False
    other = (
        cmp.child_by_field_name("right")
        if cmp.child_by_field_name("left") == node
        else cmp.child_by_field_name("left")
    )
    if other is not None and f.text(other) in (b"0", b"1"):
        return False
    p = cmp.parent
    while p is not None and p.type in ("binary_expression", "parenthesized_expression", "unary_expression"):
        p = p.parent
    return p is not None and p.type in ("if_statement", "expression_case", "expression_switch_statement")


def _is_cap_check_via_local(f: SourceFile, call: Node) -> bool:
    """`n := len(x) + 1` (or `n = ...`), then `n` compared with a bound in an `if` of the same function."""
    node = with_parens(call)
    while node.parent is not None and node.parent.type in ("binary_expression", "parenthesized_expression"):
        node = node.parent
    values = node.parent
    stmt = values.parent if values is not None and values.type == "expression_list" else None
    if stmt is None or stmt.type not in ("short_var_declaration", "assignment_statement"):
        return False
    left, right = stmt.child_by_field_name("left"), stmt.child_by_field_name("right")
    if left is None or values is None or right != values:
        return False
    if len(left.named_children) != 1 or len(values.named_children) != 1:
        return False
    target = left.named_children[0]
    if target.type != "identifier":
        return False
    func = enclosing_function(stmt)
    if func is None:
        return False
    return any(
        f.text(use) == f.text(target) and use.start_byte > stmt.end_byte and _is_cap_check(f, use)
        for use in walk_types(func, frozenset({"identifier"}))
    )


def _parameter_position(params: Node, name: bytes) -> int | None:
    """The index of the argument that parameter ``name`` receives (None: no such plain parameter)."""
    position = 0
    for decl in params.named_children:
        names = decl.children_by_field_name("name")
        if decl.type != "parameter_declaration":
            return None if any(n.text == name for n in names) else position
        for n in names or [decl]:
            if n.text == name:
                return position
            position += 1
    return None


def _declares_or_assigns(body: Node, name: bytes) -> bool:
    """Does ``body`` declare another variable called ``name``, or assign to ``name``?"""
    for decl in walk_types(body, LOCAL_DECLARATIONS):
        if any(n.text == name for n in declared_names(decl)):
            return True
    for stmt in walk_types(body, frozenset({"assignment_statement", "inc_statement", "dec_statement"})):
        left = stmt.child_by_field_name("left")
        targets = left.named_children if left is not None else stmt.named_children
        if any(t.type == "identifier" and t.text == name for t in targets):
            return True
    return False


def _escapes(f: SourceFile, node: Node) -> bool:
    parent = node.parent
    if parent is None:
        return False
    if parent.type == "unary_expression" and f.text(parent)[:1] == b"&":
        return True
    return parent.type in ("argument_list", "expression_list", "literal_element", "send_statement")


def _hooked(f: SourceFile, ident: Node) -> bool:
    """Is the function ``ident`` handed (maybe converted) to `x.Do(...)` or a flag set's `Var`/`Func`?"""
    p = ident.parent
    for _ in range(4):
        if p is None:
            return False
        if p.type == "argument_list":
            call = p.parent
            fn = call.child_by_field_name("function") if call is not None else None
            if fn is not None and fn.type == "selector_expression":
                fld = fn.child_by_field_name("field")
                if fld is not None and f.text(fld) in HOOK_CALLS:
                    return True
        p = p.parent
    return False


def _inside_once(f: SourceFile, node: Node) -> bool:
    """Inside `func() { ... }` passed to a `.Do(...)` call (sync.Once)."""
    p = node.parent
    while p is not None:
        if p.type == "func_literal":
            args = p.parent
            call = args.parent if args is not None and args.type == "argument_list" else None
            fn = call.child_by_field_name("function") if call is not None else None
            if fn is not None and fn.type == "selector_expression":
                fld = fn.child_by_field_name("field")
                if fld is not None and f.text(fld) == b"Do":
                    return True
        p = p.parent
    return False
