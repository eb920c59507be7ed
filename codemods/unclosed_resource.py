"""unclosed-resource: a file, connection, response body, rows, ticker or cancel func never released."""

from __future__ import annotations

import itertools
import re
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from tree_sitter import Node

from gofixer.codemod import Codemod, Match
from gofixer.goscope import result_types
from gofixer.model import Applicability, Edit, Finding, Fix
from gofixer.parsing import (
    FUNCTION_TYPES,
    INTEGER_TYPES,
    WORD_BYTES,
    Package,
    SourceFile,
    ancestors,
    declaration_of,
    enclosing_function,
    enclosing_loop,
    has_ancestor,
    identifiers_named,
    in_statement_list,
    statements,
    unparen,
    walk_types,
    with_parens,
    word_pattern,
)


@dataclass(frozen=True)
class Kind:
    """One way to acquire a resource and the call that releases it."""

    what: str  # for messages: "file", "response body", ...
    release: str  # Go suffix after the variable: ".Close()", ".Body.Close()", ".Stop()", "()"
    result: int = 0  # which result of the call is the resource (1 for a cancel func)
    nil_safe: bool = False  # releasing a nil value does not panic (*os.File.Close returns ErrInvalid)
    # The field that carries the resource (resp.Body); reading any other field (resp.StatusCode, t.C)
    # is a plain use of the value, not a hand-over.
    owner_field: bytes | None = None


FILE = Kind("file", ".Close()", nil_safe=True)
CONN = Kind("connection", ".Close()")
LISTENER = Kind("listener", ".Close()")
BODY = Kind("response body", ".Body.Close()", owner_field=b"Body")
DB = Kind("database handle", ".Close()")
ROWS = Kind("rows", ".Close()")
TICKER = Kind("ticker", ".Stop()")
CANCEL = Kind("cancel function", "()", result=1)

# (import path, function) -> kind, for package-level functions matched by import path.
FUNCTIONS: dict[tuple[str, str], Kind] = {
    ("os", "Open"): FILE,
    ("os", "Create"): FILE,
    ("os", "OpenFile"): FILE,
    ("net", "Dial"): CONN,
    ("net", "DialTimeout"): CONN,
    ("net", "Listen"): LISTENER,
    ("net/http", "Get"): BODY,
    ("net/http", "Post"): BODY,
    ("net/http", "Head"): BODY,
    ("net/http", "PostForm"): BODY,
    ("database/sql", "Open"): DB,
    ("time", "NewTicker"): TICKER,
    ("context", "WithCancel"): CANCEL,
    ("context", "WithTimeout"): CANCEL,
    ("context", "WithDeadline"): CANCEL,
}
PACKAGES = {path: path.rsplit("/", 1)[-1] for path, _ in FUNCTIONS}

# In an error-free tree (the engine analyses no other), a callee's name is followed by its call's `(`, or
# by the `[` of its type arguments, with only whitespace and comments between (a non-ASCII byte is let
# through too, should the grammar take it for a space): other occurrences (`case "Get":`, `// Open
# opens`, the method value `os.Open`) are dropped in C. The repetition is possessive (`*+`): what it
# skips is taken whole, never given back. Else, where no `(` follows, `re` would try every way of cutting
# a run of comments into pieces (a box drawing in comments took a tenth of a second per name).
_CALLED = rb"(?=(?:[\s\x80-\xff]|/\*(?s:.*?)\*/|//[^\n]*)*+[(\[])"


def _calls_of(names: Iterable[str]) -> tuple[re.Pattern[bytes], ...]:
    """Regexes finding the calls of functions or methods so named, by the name (see `_CALLED`).

    One regex per initial letter, each starting with a literal, which `re` searches at about 0.3 ns a
    byte: one alternation of all the names costs 4-5 ns a byte (it is tried at every such capital).
    """
    return tuple(
        re.compile(b"(?:" + b"|".join(n.encode() for n in group) + b")" + _CALLED)
        for _, group in itertools.groupby(sorted(names), key=lambda n: n[0])
    )


# Import path -> the regexes finding a call of one of its functions.
FUNCTION_CALLS = {path: _calls_of(func for p, func in FUNCTIONS if p == path) for path in PACKAGES}

# Methods matched on a receiver whose type gofixer can see: (receiver type, method) -> kind.
METHODS: dict[tuple[str, str], Kind] = {
    ("http.Client", "Do"): BODY,
    ("http.Client", "Get"): BODY,
    ("http.Client", "Post"): BODY,
    ("http.Client", "Head"): BODY,
    ("http.Client", "PostForm"): BODY,
    ("sql.DB", "Query"): ROWS,
    ("sql.DB", "QueryContext"): ROWS,
    ("sql.Tx", "Query"): ROWS,
    ("sql.Tx", "QueryContext"): ROWS,
    ("sql.Conn", "QueryContext"): ROWS,
}
METHOD_NAMES = frozenset(m for _, m in METHODS)
TYPE_PACKAGES = ("net/http", "database/sql")  # the packages every receiver type of METHODS is spelled with
_TYPE_PACKAGES = frozenset(TYPE_PACKAGES)
# An import path of PACKAGES (TYPE_PACKAGES among them) as spelled in source, the path quoted with `"` or
# with a backquote (`SourceFile.imports` reads a path so, escapes left uninterpreted): one regex per
# quote, each starting with it, which `re` searches several times faster than the alternation of both.
_PATHS = b"|".join(re.escape(p.encode()) for p in sorted(PACKAGES, key=len, reverse=True))
_QUOTED_PATH, _RAW_PATH = re.compile(b'"(' + _PATHS + b')"'), re.compile(b"`(" + _PATHS + b")`")
_NO_PATHS: frozenset[str] = frozenset()  # what most files' headers spell
# A line starting with a top-level declaration's keyword, if the tree agrees (not in a comment or string).
_DECLARATION_LINE = re.compile(rb"\n(func|type|var|const)(?![0-9A-Za-z_])")
_DECLARATIONS = frozenset(
    {"function_declaration", "method_declaration", "type_declaration", "var_declaration", "const_declaration"}
)

# Calls that use a resource and are done with it when they return: passing the value to them is not an
# escape (unless the call runs in its own goroutine).
CONSUMERS: frozenset[tuple[str, str]] = frozenset(
    {
        ("io", "Copy"),
        ("io", "CopyN"),
        ("io", "CopyBuffer"),
        ("io", "ReadAll"),
        ("io", "ReadFull"),
        ("io", "WriteString"),
        ("fmt", "Fprint"),
        ("fmt", "Fprintf"),
        ("fmt", "Fprintln"),
        ("fmt", "Fscan"),
        ("fmt", "Fscanf"),
        ("fmt", "Fscanln"),
    }
)
# Calls that return a wrapper keeping the resource: the resource escapes exactly when the wrapper does.
WRAPPERS: frozenset[tuple[str, str]] = frozenset(
    {
        ("bufio", "NewReader"),
        ("bufio", "NewReaderSize"),
        ("bufio", "NewScanner"),
        ("bufio", "NewWriter"),
        ("bufio", "NewWriterSize"),
        ("encoding/json", "NewDecoder"),
        ("encoding/json", "NewEncoder"),
    }
)
MAX_FLOW_DEPTH = 4  # wrappers of wrappers, aliases of aliases: deeper than this counts as an escape
RELEASE_METHODS = frozenset({b"Close", b"Stop"})
TERMINATORS = frozenset({"return_statement", "continue_statement", "break_statement", "goto_statement"})
EXIT_CALLS = frozenset(
    {
        b"panic",
        b"log.Fatal",
        b"log.Fatalf",
        b"log.Fatalln",
        b"os.Exit",
        b"log.Panic",
        b"log.Panicf",
        b"t.Fatal",
        b"t.Fatalf",
        b"t.FailNow",
        b"t.Skip",
        b"b.Fatal",
        b"b.Fatalf",
    }
)


def _result_names(f: SourceFile, func: Node) -> set[bytes]:
    result = func.child_by_field_name("result")
    if result is None or result.type != "parameter_list":
        return set()
    return {
        f.text(n)
        for decl in result.named_children
        if decl.type == "parameter_declaration"
        for n in decl.children_by_field_name("name")
    }


# Every function or method name `_kind` can recognise: any other call never acquires a resource.
CALL_NAMES = sorted({func for _, func in FUNCTIONS} | METHOD_NAMES)
_NAMES = " ".join(f'"{n}"' for n in CALL_NAMES)
_CALLEES = (
    f"(identifier) @fn (#any-of? @fn {_NAMES})",
    f"(selector_expression field: (field_identifier) @name) @fn (#any-of? @name {_NAMES})",
)
_QUERY = "\n".join(
    pattern
    for callee in _CALLEES
    for pattern in (
        f"(short_var_declaration left: (expression_list) @lhs"
        f" right: (expression_list . (call_expression function: {callee}) @call .)) @stmt",
        f"(assignment_statement left: (expression_list) @lhs"
        f" right: (expression_list . (call_expression function: {callee}) @call .)) @stmt",
        f"(var_spec name: (identifier) value: (expression_list . (call_expression function: {callee}) @call .)) @stmt",
        f"(expression_statement (call_expression function: {callee}) @call) @stmt",
    )
)


@dataclass(frozen=True)
class _Gate:
    """What `UnclosedResource.skip_file` knows of one package."""

    package: weakref.ref[Package]
    binds: bool  # some file binds net/http or database/sql to a name: any file may hold a method call
    spelled: dict[int, frozenset[str]]  # id(file) -> the paths of PACKAGES its header spells

    def spelled_by(self, f: SourceFile) -> frozenset[str]:
        """The paths of PACKAGES ``f`` spells in its header (`_spelled_paths`), read once per package."""
        spelled = self.spelled.get(id(f))
        return spelled if spelled is not None else _spelled_paths(f)


def _spelled_paths(f: SourceFile) -> frozenset[str]:
    """The import paths of PACKAGES spelled in ``f`` before `_header_end`: every one ``f`` imports (a
    path spelled in a comment there too). Most files spell none, and are known not to import any
    without building `imports`."""
    data, end = f.data, _header_end(f)
    found = _QUOTED_PATH.findall(data, 0, end) + _RAW_PATH.findall(data, 0, end)
    return frozenset(path.decode() for path in found) if found else _NO_PATHS


def _header_end(f: SourceFile) -> int:
    """An offset at or past the end of ``f``'s import declarations: the start of the first line that
    opens a top-level declaration, or the end of the file.

    Go puts the imports before every other declaration (`SourceFile.imports` reads none after one), so
    every path the file imports is spelled before it. Cheaper than reading the tree's top-level nodes
    one at a time (every line of a long leading comment is one) to the last import: a regex finds the
    line, and the keyword is code when no block comment or raw string can hold it (no `/*` nor
    backquote before it: a line comment or an interpreted string ends with its line), which is no part
    of the package clause or an import; else the tree confirms that it starts a declaration of the file.
    """
    data, root = f.data, f.root
    for m in _DECLARATION_LINE.finditer(data):
        at = m.start(1)
        if data.find(b"/*", 0, at) < 0 and data.find(b"`", 0, at) < 0 and not root.has_error:
            return at
        keyword = root.descendant_for_byte_range(at, m.end(1))
        decl = keyword.parent if keyword is not None else None
        if decl is not None and decl.type in _DECLARATIONS and decl.start_byte == at and decl.parent == root:
            return at
    return len(data)


class UnclosedResource(Codemod):
    """
    ## What it does
    Finds resources acquired in a function and never released there: files (`os.Open`, `os.Create`,
    `os.OpenFile`), connections and listeners (`net.Dial`, `net.DialTimeout`, `net.Listen`), HTTP
    response bodies (`http.Get`/`Post`/`Head`/`PostForm`, `(*http.Client).Do`/`Get`/...), database
    handles and rows (`sql.Open`, `(*sql.DB).Query`/`QueryContext`, the same on `*sql.Tx` and
    `*sql.Conn`), tickers (`time.NewTicker`) and the cancel functions of
    `context.WithCancel`/`WithTimeout`/`WithDeadline`. A method's receiver type is read from its
    declaration: a variable or parameter, or a struct field (`s.db.Query(q)`, `s.client.Get(u)`) when
    every struct field of that name in the package is declared with the same such type.

    A resource is not reported when it is closed anywhere in the function, or when it escapes: returned
    (a named result counts), stored in a field, map, slice, global or a variable of an enclosing
    function, sent on a channel, passed to a function that may take it over, or captured by a closure
    (`_ = x` only silences the compiler). Helpers that are done with it when they return (`io.Copy`,
    `io.ReadAll`, `fmt.Fprintf`, ...) only borrow it, unless run with `go`. Wrappers that keep it
    (`bufio.NewReader`/`NewScanner`/`NewWriter`, `json.NewDecoder`/`NewEncoder`) take it along: it
    escapes when the wrapper does (returned, stored, sent, captured or passed on, also through a
    variable holding the wrapper), while calling the wrapper's methods is a plain use. Packages are
    matched by import path, so renamed imports (`import stdos "os"`) are found, and a local name that
    shadows the package is not mistaken for it.

    Nor is what only looks like a leak:
    - a ticker, when the package's go.mod says `go 1.23` or later: since Go 1.23 an unreferenced ticker
      is garbage collected even if it is never stopped (every program built with such a package has a
      main module at 1.23 or later);
    - in a test, a call made to see it fail, whose success already fails the test: the resource is
      discarded (`_`) or only touched in the failing branch, and the error check right after it fails
      the test (`t.Fatal`, `t.Errorf`, `panic`, ...) when the error is nil (`err == nil`,
      `!errors.Is(err, X)`, `!os.IsNotExist(err)`, a header calling `err.Error()`), or a single-result
      `err.(T)` follows unconditionally, or an `Example` prints only in its `err != nil` branch. The
      same shape outside a test (`_, err := os.Open(p); return err == nil`) leaks on success and is
      reported;
    - in a test, an acquisition that is the last statement of a function guarded by a deferred
      `recover()` (its own, or a package function's that the closure is handed to): it is made to see
      it panic;
    - a context whose parent this function derived with `context.With...` and cancels (`defer
      cancel()`, `pcancel(cause)`, `go pcancel(cause)`), both made in the same loop iteration or outside
      any loop: cancelling the parent releases the child. `go vet`'s lostcancel still reports these;
      children made in a loop under a parent cancelled after it pile up, and are reported;
    - anything in a `//go:build ignore` file: a generator run by hand, which exits right after.

    ## Why is this bad?
    The garbage collector frees memory, not operating-system resources. An unclosed file or connection
    holds a descriptor until a finalizer happens to run (if ever); an unclosed response body keeps the
    connection out of the pool; a ticker that is never stopped keeps firing; a context that is never
    cancelled keeps its timer and its children alive until the parent is done.

    ## Example
    ```go
    func readConfig() {
        file, _ := os.Open("example.txt")
        fmt.Println(file.Name())
    }
    ```
    Use instead:
    ```go
    func readConfig() {
        file, _ := os.Open("example.txt")
        defer file.Close()
        fmt.Println(file.Name())
    }
    ```

    ## Fix safety
    The fix inserts `defer x.Close()` (`x.Body.Close()`, `x.Stop()`, `cancel()`) right after the error
    check that guards the acquisition, or right after the acquisition when the error is discarded; a
    value that may be nil there (a response, a connection) is guarded with `if x != nil`, so the fix
    never introduces a nil dereference. A discarded cancel function gets a name no other identifier of
    the function uses. Inside a loop the release goes at the end of the iteration instead of a `defer`,
    and only when nothing leaves the iteration early after the acquisition and the variable is not
    read after the loop; otherwise the finding is reported without a fix. A resource whose error is
    handled some other way than an `if err != nil` right after it, one acquired in an `if`/`switch`
    header, one reached through a dot import, and a resource that is dropped or assigned to `_` are
    reported without a fix. So is a cancel function whose context outlives the function: returned,
    stored, sent, captured by a closure, handed to a goroutine, or carried out by a value made from it
    (a child context, a request, rows) that is returned or stored; a synchronous call taking the
    context is a plain use, and returning a plain value made with it (an `error`, a number, a string)
    does not count. Cancelling such a context on return would cut it short. Every finding without a
    fix ends with the reason: `(no fix: ...)`. The fix is safe: it only releases a resource the
    function provably no longer uses once it returns.
    """

    name = "unclosed-resource"
    summary = "A file, connection, response body, rows, ticker or cancel func is never released."
    # No package prefilter: nearly every package spells `os` somewhere, so searching its files for the
    # words cost more than the file gate (`skip_file`) spends on the few packages it would have dropped.
    # Only calls of a function or method `_kind` can recognise reach Python: the name is checked in C.
    query = _QUERY
    # The callee's name: at most four levels below the statement (name, selector, call, list, statement).
    anchors = tuple((pattern, 4) for pattern in _calls_of(CALL_NAMES))
    roots = frozenset({"short_var_declaration", "assignment_statement", "var_spec", "expression_statement"})
    # The last package `skip_file` was asked about, with what the gate knows of it.
    _gate: ClassVar[_Gate | None] = None

    @classmethod
    def skip_file(cls, f: SourceFile, package: Package) -> bool:
        """No call in ``f`` can be recognised by `_kind`.

        A method is recognised only on a receiver type spelled with a name that ``f`` binds to net/http
        or database/sql, or, for a struct field, that the file declaring it binds: when some file of
        the package binds one, any file may hold such a call (`s.client.Do(r)`) and is kept. Otherwise
        only package functions are: called through a name ``f`` binds to the import path (a dot import
        too), by the function's name, so ``f``'s bytes hold such a call (FUNCTION_CALLS). And nothing
        is reported in a `//go:build ignore` file.

        The import paths are first looked for in the file's header (`_spelled_paths`), and `imports` is
        built only for a file that both spells a path there and calls one of that package's functions.
        """
        gate = cls._package_gate(package)
        if not gate.binds:
            spelled = gate.spelled_by(f)
            data = f.data
            # Every path f imports is spelled (none other matters): a call alone does not keep it.
            if not any(any(c.search(data) for c in FUNCTION_CALLS[p]) and p in f.imports for p in spelled):
                return True
        return f.build_ignored  # `run` reports nothing in such a file

    @classmethod
    def _package_gate(cls, package: Package) -> _Gate:
        """The paths each file of ``package`` spells in its header, and whether some file binds net/http
        or database/sql to a name (as `_type_names`): the headers are read once for both."""
        last = cls._gate
        if last is not None and last.package() is package:
            return last
        spelled = {id(sf): _spelled_paths(sf) for sf in package.files}
        binds = any(
            n not in (".", "_")
            for sf in package.files
            for p in TYPE_PACKAGES
            if p in spelled[id(sf)]
            for n in sf.imports.get(p, ())
        )
        gate = cls._gate = _Gate(weakref.ref(package), binds, spelled)
        return gate

    def __init__(self) -> None:
        self._locals = _Declared()
        self._recovering: dict[str, frozenset[bytes]] = {}  # package dir -> functions that defer a recover
        self._fields: dict[
            bytes, str | None
        ] = {}  # struct field name -> its recognised type, for the package
        self._recognised: frozenset[bytes] | None = None  # fields declared with a recognised type somewhere
        self._names: dict[
            str, tuple[set[str], set[str]]
        ] = {}  # file path -> its net/http, database/sql names
        # (scope node id, name) -> the declarations in the scope that may declare the name, for the package
        self._declarations: dict[tuple[int, bytes], list[Node]] = {}
        self._var_specs: list[tuple[SourceFile, Node]] | None = None  # the package-level var specs
        # (name, net/http names, database/sql names) -> the type of the package variable so named
        self._var_types: dict[tuple[bytes, frozenset[str], frozenset[str]], str | None] = {}

    def run(self, package: Package, matches: list[Match]) -> Iterable[Finding]:
        for m in matches:
            stmt, call, fn = m.node("stmt"), m.node("call"), m.node("fn")
            if stmt is None or call is None or fn is None:
                continue
            if m.file.build_ignored:  # a `//go:build ignore` file: a generator run by hand
                continue
            found = self._check(m.file, package, stmt, call, fn, m.node("lhs"))
            if found is not None:
                yield found

    # -- matching --------------------------------------------------------------------------------

    def _kind(self, f: SourceFile, package: Package, call: Node, fn: Node) -> tuple[Kind, bool] | None:
        """The resource kind the call acquires, and whether the fix may be offered (not a dot import)."""
        if fn.type == "identifier":
            name = f.decode(fn)
            for (path, func), kind in FUNCTIONS.items():
                if func == name and f.dot_imports(path):
                    return kind, False
            return None
        operand, field = fn.child_by_field_name("operand"), fn.child_by_field_name("field")
        if operand is None or field is None:
            return None
        method = f.decode(field)
        if operand.type == "identifier":
            local = f.decode(operand)
            pkg_path = next((p for p in PACKAGES if local in f.imports.get(p, [])), None)
            if pkg_path is not None:
                pkg_kind = FUNCTIONS.get((pkg_path, method))
                if pkg_kind is None and method not in METHOD_NAMES:
                    return None  # shadowed or not: no function of the package, no method recognised
                if not self._locals.shadowed(f, call, local.encode()):
                    return (pkg_kind, True) if pkg_kind is not None else None
        if method not in METHOD_NAMES:
            return None
        # Every recognised receiver type is spelled with a name the file (or, for a struct field, the
        # file declaring it) binds to net/http or database/sql: without one, nothing to look up.
        http_names, sql_names = self._type_names(package, f)
        recv = None
        if http_names or sql_names:
            recv = _receiver_type(
                f,
                operand,
                call,
                self._declarations,
                lambda name: self._package_var_type(package, name, http_names, sql_names),
                http_names,
                sql_names,
            )
        if recv is None and operand.type == "selector_expression":
            recv = self._field_type(package, operand)
        if recv is not None and (recv, method) in METHODS:
            return METHODS[(recv, method)], True
        return None

    def _type_names(self, package: Package, f: SourceFile) -> tuple[set[str], set[str]]:
        """The names ``f`` binds to net/http and to database/sql (dot and blank imports left out)."""
        names = self._names.get(f.path)
        if names is None:
            if not _TYPE_PACKAGES.intersection(self._package_gate(package).spelled_by(f)):
                names = (set(), set())  # an imported path is spelled in the file's header
            else:
                names = (
                    {n for n in f.imports.get("net/http", []) if n not in (".", "_")},
                    {n for n in f.imports.get("database/sql", []) if n not in (".", "_")},
                )
            self._names[f.path] = names
        return names

    def _package_var_type(
        self, package: Package, name: bytes, http_names: set[str], sql_names: set[str]
    ) -> str | None:
        """The recognised type of the package-level variable ``name`` (`var c = &http.Client{}`), read
        with the names of the file asking."""
        key = (name, frozenset(http_names), frozenset(sql_names))
        if key not in self._var_types:
            self._var_types[key] = next(
                (
                    t
                    for sf, decl in self._package_var_specs(package)
                    if name in sf.text(decl)
                    for t in [_declared_type(sf, decl, name, http_names, sql_names)]
                    if t is not None
                ),
                None,
            )
        return self._var_types[key]

    def _package_var_specs(self, package: Package) -> list[tuple[SourceFile, Node]]:
        if self._var_specs is None:
            self._var_specs = [
                (sf, spec)
                for sf in package.files
                for top in sf.root.named_children
                if top.type == "var_declaration"
                for spec in walk_types(top, frozenset({"var_spec"}))
            ]
        return self._var_specs

    def _field_type(self, package: Package, operand: Node) -> str | None:
        """The type of `x.field` (any x) from the package's struct declarations of a field so named.

        Only when every struct field of that name in the package has the same recognised type; a field
        declared with any other type makes the name ambiguous.
        """
        field = operand.child_by_field_name("field")
        return self._field_type_named(package, field.text or b"") if field is not None else None

    def _field_type_named(self, package: Package, name: bytes) -> str | None:
        if name in self._fields:
            return self._fields[name]
        if self._recognised is None:
            self._recognised = self._recognised_fields(package)
        typ = None
        if name in self._recognised:  # else no field so named has a recognised type
            types = {
                t
                for sf, decl in _field_declarations(package, name)
                for t in self._field_types(package, sf, decl, name)
            }
            typ = next(iter(types)) if len(types) == 1 else None
        self._fields[name] = typ
        return typ

    def _recognised_fields(self, package: Package) -> frozenset[bytes]:
        """The names of the package's struct fields declared with a recognised type (`c *http.Client`).

        Such a type is spelled `h.Client`, `s.DB`, `s.Tx` or `s.Conn` (h, s: the names the declaring file
        binds to net/http, database/sql): the declarations are found from those bytes, not by a walk.
        """
        found: set[bytes] = set()
        for sf in package.files:
            http_names, sql_names = self._type_names(package, sf)
            needles = [f"{h}.Client".encode() for h in http_names]
            needles += [f"{s}.{typ}".encode() for s in sql_names for typ in ("DB", "Tx", "Conn")]
            seen: set[int] = set()
            for needle in needles:
                for decl in _declarations_around(sf, needle):
                    if decl.id in seen:
                        continue
                    seen.add(decl.id)
                    typ, names = _field_declaration(sf, decl, http_names, sql_names)
                    if typ is not None:
                        found.update(names)
        return frozenset(found)

    def _field_types(self, package: Package, sf: SourceFile, decl: Node, name: bytes) -> list[str | None]:
        """The type a field declaration gives ``name`` (as `_field_declaration` reads it), if it declares it."""
        typ, names = _field_declaration(sf, decl, *self._type_names(package, sf))
        return [typ] if name in names else []

    def _check(
        self, f: SourceFile, package: Package, stmt: Node, call: Node, fn: Node, lhs: Node | None
    ) -> Finding | None:
        found = self._kind(f, package, call, fn)
        if found is None:
            return None
        kind, fixable = found
        if kind is TICKER and package.go_version is not None and package.go_version >= TIMERS_COLLECTED:
            return None  # an unreferenced ticker is garbage collected, stopped or not
        func = enclosing_function(stmt)
        if func is None:
            return None  # a package-level var: lives as long as the program
        body = func.child_by_field_name("body")
        if body is None:
            return None
        if f.is_test and _expected_to_panic(f, package, stmt, func, body, self._recovering):
            return None
        names = _lhs_names(f, stmt, lhs)
        if stmt.type == "expression_statement":
            names = []  # result dropped on the floor
        if names is None:
            return None  # assigned to a field, index or pointer: it escapes
        if stmt.type == "assignment_statement" and stmt.child_by_field_name("operator") is not None:
            op = stmt.child_by_field_name("operator")
            if op is not None and f.text(op) != b"=":
                return None
        var = names[kind.result] if kind.result < len(names) else None
        err_var = names[-1] if len(names) > 1 and kind is not CANCEL else None
        if stmt.type == "expression_statement" and kind is CANCEL:
            return None  # cannot happen in valid Go (two results dropped), keep it simple
        if kind is CANCEL and self._parent_cancelled_here(f, call, stmt, body):
            return None
        if (
            f.is_test
            and var is not None
            and err_var not in (None, "_")
            and _expects_failure(f, body, stmt, var, err_var)
        ):
            return None
        discarded = f"the {kind.what} returned by {f.decode(fn)} is discarded and never released"
        if var is None:
            return self.finding(
                f, call, f"{discarded} (no fix: the result is dropped, nothing is left to release)"
            )
        scope = _Scope(f, func, body, self._locals, frozenset(_result_names(f, func)))
        # A context that outlives the function must not be cancelled when it returns.
        ctx_escape = None
        if kind is CANCEL and names[0] != "_":
            ctx = names[0].encode()
            if ctx in scope.results or (stmt.type == "assignment_statement" and not scope.declares(ctx)):
                ctx_escape = "assigned to a variable that outlives this call"
            else:
                ctx_escape = _context_escape(scope, ctx, stmt)
        if var == "_":
            if kind is CANCEL and stmt.type == "short_var_declaration":
                return self._discarded_cancel(f, stmt, body, lhs, fixable, ctx_escape)
            return self.finding(f, call, f"{discarded} (no fix: {BLANK_CANCEL if kind is CANCEL else BLANK})")
        if stmt.type == "assignment_statement" and not scope.declares(var.encode()):
            return None  # a variable of an enclosing function or of the package: it outlives this call
        if var.encode() in scope.results:
            return None  # a named result: the caller receives it, even through a bare `return`
        if _released_or_escapes(scope, var.encode(), stmt, kind):
            return None
        message = f"{kind.what} `{var}` from {f.decode(fn)} is never released (missing {_release(var, kind)})"
        if not fixable:
            return self.finding(f, call, f"{message} (no fix: {DOT_IMPORT})")
        if ctx_escape is not None:
            return self.finding(f, call, f"{message} (no fix: {_escaping_context(ctx_escape)})")
        later = names[0].encode() if kind is CANCEL and names[0] != "_" else None
        fix = self._fix(f, body, stmt, var, err_var, kind, later)
        if isinstance(fix, str):
            return self.finding(f, call, f"{message} (no fix: {fix})")
        return self.finding(f, call, message, fix)

    def _parent_cancelled_here(self, f: SourceFile, call: Node, stmt: Node, body: Node) -> bool:
        """Is the new context's parent a context this function derived earlier and cancels?

        `parent, pcancel := context.WithCancel(ctx)` ... `pcancel()` (deferred, run in a goroutine or
        called with a cause): cancelling the parent cancels the child, stops its timer and unlinks it,
        so the child lives no longer than the parent does. Only when both are made in the same loop
        iteration (or outside any loop): children made in a loop under a parent cancelled after it pile
        up until then, and are still reported.
        """
        args = call.child_by_field_name("arguments")
        parent = args.named_children[0] if args is not None and args.named_children else None
        if parent is None or parent.type != "identifier":
            return False
        name = f.text(parent)
        # The declarations before ``stmt`` whose first target is ``name``: found from that identifier.
        for ident in identifiers_named(f, body, name):
            if ident.start_byte >= stmt.start_byte:
                break
            left = ident.parent
            decl = left.parent if left is not None else None
            if (
                left is None
                or decl is None
                or decl.type not in _DERIVATIONS
                or decl.child_by_field_name("left") != left
            ):
                continue
            if decl.end_byte > stmt.start_byte or enclosing_function(decl) != enclosing_function(stmt):
                continue
            right = decl.child_by_field_name("right")
            if right is None or len(right.named_children) != 1:
                continue
            targets = [f.text(c) for c in left.named_children]
            made = right.named_children[0]
            if (
                len(targets) != 2
                or targets[0] != name
                or targets[1] == b"_"
                or made.type != "call_expression"
            ):
                continue
            if not _derives_context(f, made):
                continue
            if enclosing_loop(decl, body) != enclosing_loop(stmt, body):
                continue
            # A call of the cancel function, by its name.
            for use in identifiers_named(f, body, targets[1]):
                called = use.parent
                if (
                    called is not None
                    and called.type == "call_expression"
                    and called.child_by_field_name("function") == use
                ):
                    return True
        return False

    # -- fixing ----------------------------------------------------------------------------------

    def _fix(
        self,
        f: SourceFile,
        body: Node,
        stmt: Node,
        var: str,
        err_var: str | None,
        kind: Kind,
        context: bytes | None,
    ) -> Fix | str:
        """The fix, or why there is none. ``context``: the context a cancel function belongs to."""
        if stmt.type == "var_spec" and stmt.parent is not None and stmt.parent.named_child_count == 1:
            stmt = stmt.parent  # `var f, err = os.Open(p)`: the declaration is the statement
        if stmt.parent is None or not in_statement_list(stmt):
            return IN_HEADER  # e.g. the init statement of an `if`: the variable's scope is that `if`
        anchor, guarded = stmt, False
        nxt = stmt.next_named_sibling
        while nxt is not None and nxt.type == "comment":
            nxt = nxt.next_named_sibling
        if err_var not in (None, "_"):
            if nxt is not None and _is_err_check(f, nxt, err_var):
                anchor, guarded = nxt, _terminates(f, nxt)
            else:
                return f"`{err_var}` is not checked by an `if {err_var} != nil` right after the call"
        nil_possible = err_var == "_" or (err_var is not None and not guarded)
        release = _release(var, kind)
        needs_guard = nil_possible and not kind.nil_safe
        loop = enclosing_loop(stmt, body)
        indent = f.indent_at(stmt.start_byte)
        if loop is None:
            line = b"defer " + release.encode()
            if needs_guard:
                line = b"if " + var.encode() + b" != nil {\n" + indent + b"\t" + line + b"\n" + indent + b"}"
            at = f.line_end(anchor.end_byte)
            desc = f"Insert `defer {release}`"
            return Fix(desc, (Edit(f.path, at, at, indent + line + b"\n"),), (), Applicability.SAFE)
        # Inside a loop: release at the end of the iteration, if nothing leaves it early.
        loop_body = loop.child_by_field_name("body")
        if loop_body is None or stmt.parent.parent != loop_body:
            return "acquired in a block nested in a loop, where to release it is not obvious"
        if _leaves_early(stmt.parent, anchor):
            return (
                "a release at the end of the loop iteration would be skipped by the "
                "`continue`/`break`/`return` after the call"
            )
        for name in (var.encode(), context):
            if name is not None and any(u.start_byte >= loop.end_byte for u in _uses(f, body, name, stmt)):
                # the value outlives the iteration (assigned to a variable declared outside)
                return f"`{name.decode()}` is still used after the loop"
        line = release.encode()
        if needs_guard:
            line = b"if " + var.encode() + b" != nil {\n" + indent + b"\t" + line + b"\n" + indent + b"}"
        last = stmt.parent.named_children[-1]
        at = f.line_end(last.end_byte)
        desc = f"Call `{release}` at the end of the loop iteration"
        return Fix(desc, (Edit(f.path, at, at, indent + line + b"\n"),), (), Applicability.SAFE)

    def _discarded_cancel(
        self, f: SourceFile, stmt: Node, body: Node, lhs: Node | None, fixable: bool, ctx_escape: str | None
    ) -> Finding | None:
        call = stmt.child_by_field_name("right")
        target = call if call is not None else stmt
        msg = "the cancel function is discarded: the context's resources leak until its parent is done"
        if lhs is None:
            return None
        blank = [c for c in lhs.named_children if f.text(c) == b"_"]
        if len(blank) != 1:
            return None
        if not in_statement_list(stmt):
            return self.finding(f, target, f"{msg} (no fix: {IN_HEADER})")
        if not fixable:
            return self.finding(f, target, f"{msg} (no fix: {DOT_IMPORT})")
        if ctx_escape is not None:
            return self.finding(f, target, f"{msg} (no fix: {_escaping_context(ctx_escape)})")
        if enclosing_loop(stmt, body) is not None:
            reason = (
                "in a loop, a deferred cancel would keep every iteration's context until the function returns"
            )
            return self.finding(f, target, f"{msg} (no fix: {reason})")
        func = body.parent if body.parent is not None else body  # parameters and body
        used = {f.text(n) for n in walk_types(func, frozenset({"identifier"}))}
        name = next(
            (n for n in ("cancel", "cancelCtx", "cancel2", "cancel3") if n.encode() not in used), None
        )
        if name is None:
            return self.finding(f, target, f"{msg} (no fix: no free name for the cancel function)")
        edits = [Edit(f.path, blank[0].start_byte, blank[0].end_byte, name.encode())]
        at = f.line_end(stmt.end_byte)
        edits.append(Edit(f.path, at, at, f.indent_at(stmt.start_byte) + b"defer " + name.encode() + b"()\n"))
        fix = Fix(f"Name the cancel function `{name}` and defer it", tuple(edits))
        return self.finding(f, target, msg, fix)


_DERIVATIONS = frozenset({"short_var_declaration", "assignment_statement"})  # `parent, pcancel := ...`
DOT_IMPORT = "the call is reached through a dot import"
BLANK = "it is assigned to `_`, nothing is left to release"
BLANK_CANCEL = "only a `:=` declaration gets its cancel function named"
IN_HEADER = "acquired in an `if`/`switch` header, whose scope ends with the statement"


def _escaping_context(how: str) -> str:
    return f"the context is {how}: cancelling it when this function returns would cut it short"


def _field_declaration(
    sf: SourceFile, decl: Node, http_names: set[str], sql_names: set[str]
) -> tuple[str | None, list[bytes]]:
    """A struct field declaration's recognised type ("http.Client", "sql.DB", ...) or None, and the
    names it declares. Embedded fields count under their type's name (`*sql.DB` is field `DB`)."""
    type_node = decl.child_by_field_name("type")
    if type_node is None:
        return None, []
    text = sf.text(type_node)
    typ = _type_name(text, http_names, sql_names) if http_names or sql_names else None
    names = [sf.text(n) for n in decl.children_by_field_name("name")]
    if not names:  # embedded: `*sql.DB` is the field `DB`
        names = [text.lstrip(b"*").rsplit(b".", 1)[-1]]
    return typ, names


def _declarations_around(sf: SourceFile, needle: bytes) -> Iterator[Node]:
    """The field declarations holding an occurrence of ``needle`` (every one, overlapping ones too).

    A declaration's names and type are spelled in its own bytes (an embedded field's name ends its
    type), so every declaration that declares a name, or spells a type, holds an occurrence of it.
    """
    if not needle:
        return
    data, root = sf.data, sf.root
    at = data.find(needle)
    while at >= 0:
        node: Node | None = root.descendant_for_byte_range(at, at + len(needle))
        while node is not None:
            if node.type == "field_declaration":
                yield node
            node = node.parent
        at = data.find(needle, at + 1)


def _field_declarations(package: Package, name: bytes) -> Iterator[tuple[SourceFile, Node]]:
    """Every struct field declaration of the package that may declare ``name`` (each once)."""
    for sf in package.files:
        seen: set[int] = set()
        for decl in _declarations_around(sf, name):
            if decl.id not in seen:
                seen.add(decl.id)
                yield sf, decl


# -- findings that are not leaks ----------------------------------------------------------------------

TIMERS_COLLECTED = (1, 23)  # Go 1.23: unreferenced timers and tickers are collected even if never stopped
CONTEXT_CONSTRUCTORS = frozenset(
    {
        b"WithCancel",
        b"WithCancelCause",
        b"WithTimeout",
        b"WithTimeoutCause",
        b"WithDeadline",
        b"WithDeadlineCause",
    }
)
# Methods of testing.T/B/F (and log functions) that fail the test or stop it.
FAILURE_METHODS = frozenset(
    {b"Fatal", b"Fatalf", b"Error", b"Errorf", b"Fail", b"FailNow", b"Panic", b"Panicf"}
)
# Predicates that are false for a nil error: `!errors.Is(err, ErrX)` holds when the call succeeded.
FALSE_ON_NIL = frozenset(
    {b"errors.Is", b"errors.As", b"os.IsExist", b"os.IsNotExist", b"os.IsPermission", b"os.IsTimeout"}
)
PRINTS = (b"fmt.Print", b"fmt.Fprint", b"log.Print", b"println", b"print")
BRANCHING = frozenset(
    {
        "if_statement",
        "for_statement",
        "expression_switch_statement",
        "type_switch_statement",
        "select_statement",
        "func_literal",
        "binary_expression",
    }
)


def _derives_context(f: SourceFile, call: Node) -> bool:
    fn = call.child_by_field_name("function")
    if fn is None:
        return False
    if fn.type == "identifier":
        return f.text(fn) in CONTEXT_CONSTRUCTORS and f.dot_imports("context")
    operand, field = fn.child_by_field_name("operand"), fn.child_by_field_name("field")
    return (
        operand is not None
        and field is not None
        and f.text(field) in CONTEXT_CONSTRUCTORS
        and f.decode(operand) in f.imports.get("context", [])
    )


def _statement(stmt: Node) -> Node:
    """The statement holding an acquisition: a lone `var` spec stands for its declaration."""
    if stmt.type == "var_spec" and stmt.parent is not None and stmt.parent.named_child_count == 1:
        return stmt.parent
    return stmt


def _expected_to_panic(
    f: SourceFile, package: Package, stmt: Node, func: Node, body: Node, cache: dict[str, frozenset[bytes]]
) -> bool:
    """In a test, is the acquisition the last statement of a function run under a deferred recover?

    `defer func() { if recover() == nil { t.Error(...) } }(); time.NewTicker(-1)`, or
    `recoveredValue(func() { _, _ = context.WithCancel(nil) })` where the package's `recoveredValue`
    defers a recover: nothing follows the call that could use the resource, so the only reason to make
    it is to see it panic. An acquisition followed by other statements is still reported: it leaks
    when a later statement is the one that panics.
    """
    statement = _statement(stmt)
    block = statement.parent
    if block is None or block.type != "statement_list" or block.parent is None or block.parent != body:
        return False
    if [c for c in block.named_children if c.type != "comment"][-1] != statement:
        return False
    if any(_defers_recover(f, d) for d in block.named_children if d.type == "defer_statement"):
        return True
    if func.type != "func_literal" or func.parent is None or func.parent.type != "argument_list":
        return False
    caller = func.parent.parent
    callee = caller.child_by_field_name("function") if caller is not None else None
    if callee is None or callee.type != "identifier":
        return False
    recovering = cache.get(package.dir)
    if recovering is None:
        recovering = cache[package.dir] = frozenset(
            name
            for sf in package.files
            for decl in sf.root.named_children
            if decl.type == "function_declaration"
            for name in _recovering_name(sf, decl)
        )
    return f.text(callee) in recovering


def _recovering_name(f: SourceFile, decl: Node) -> list[bytes]:
    name, body = decl.child_by_field_name("name"), decl.child_by_field_name("body")
    if name is None or body is None:
        return []
    defers = [d for d in statements(body) if d.type == "defer_statement"]
    return [f.text(name)] if any(_defers_recover(f, d) for d in defers) else []


def _defers_recover(f: SourceFile, defer: Node) -> bool:
    """`defer func() { ... recover() ... }()`: only a function the defer calls can stop a panic."""
    call = defer.named_children[0] if defer.named_children else None
    lit = (
        call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
    )
    if lit is None or lit.type != "func_literal":
        return False
    for c in walk_types(lit, frozenset({"call_expression"})):
        fn = c.child_by_field_name("function")
        if fn is not None and f.text(fn) == b"recover" and not has_ancestor(c, "func_literal", lit):
            return True
    return False


def _expects_failure(f: SourceFile, body: Node, stmt: Node, var: str, err_var: str) -> bool:
    """In a test, is the call made to see it fail, so that its success already fails the test?

    - the error check right after it (or in the `if` that holds it) takes a branch that fails the test
      (`t.Fatal`, `t.Errorf`, `panic`, ...) when the error is nil: `err == nil`, `!errors.Is(err, X)`,
      `!os.IsNotExist(err)`, or a header that calls `err.Error()`, which panics on nil;
    - later in the same block, unconditionally and with no way out before it, a single-result type
      assertion `err.(T)` panics on nil;
    - in an `Example` with `// Output:`, the `if err != nil` branch prints all the example prints: on
      success its output is empty and the example fails.
    The resource must be discarded (`_`) or only touched inside that failing branch. A discarded
    resource whose failure the test does not assert (`if err != nil { t.Fatal(err) }`) is still reported.
    """
    statement = _statement(stmt)
    err = err_var.encode()
    check: Node | None = None
    if statement.parent is not None and statement.parent.type == "if_statement":
        if statement.parent.child_by_field_name("initializer") == statement:
            check = statement.parent
    else:
        check = statement.next_named_sibling
        while check is not None and check.type == "comment":
            check = check.next_named_sibling
    if check is not None and check.type == "if_statement":
        cond = check.child_by_field_name("condition")
        then = check.child_by_field_name("consequence")
        init = check.child_by_field_name("initializer")
        if cond is not None and then is not None:
            header = [n for n in (init, cond) if n is not None]
            fails_on_success = _true_when_nil(f, cond, err) or any(
                _calls_error_method(f, n, err) for n in header
            )
            if fails_on_success and _fails_test(f, then):
                return var == "_" or all(
                    then.start_byte <= u.start_byte < then.end_byte
                    for u in _uses(f, body, var.encode(), stmt)
                )
            if var == "_" and _example_prints_only_on_failure(f, check, cond, then, err):
                return True
    if var != "_" or statement.parent is None:
        return False
    for a in walk_types(statement.parent, frozenset({"type_assertion_expression"})):
        operand = a.child_by_field_name("operand")
        if a.start_byte < statement.end_byte or operand is None or f.text(operand) != err:
            continue
        if _single_result(a) and _unconditional(a, statement.parent) and not _leaves_before(statement, a):
            return True
    return False


def _leaves_before(statement: Node, node: Node) -> bool:
    """Can the function leave between ``statement`` and ``node``, a later node of the same block?"""
    for sibling in statement.parent.named_children if statement.parent is not None else []:
        if statement.end_byte <= sibling.start_byte and sibling.start_byte <= node.start_byte:
            for t in walk_types(sibling, TERMINATORS):
                if t.start_byte < node.start_byte and not has_ancestor(t, "func_literal", sibling):
                    return True
    return False


def _true_when_nil(f: SourceFile, cond: Node, err: bytes) -> bool:
    """Is the condition certainly true when ``err`` is nil?"""
    cond = unparen(cond)
    if cond.type == "binary_expression":
        left, right, op = (cond.child_by_field_name(n) for n in ("left", "right", "operator"))
        if left is None or right is None or op is None:
            return False
        if op.text == b"||":
            return _true_when_nil(f, left, err) or _true_when_nil(f, right, err)
        if op.text == b"&&":
            return _true_when_nil(f, left, err) and _true_when_nil(f, right, err)
        sides = {f.text(left), f.text(right)}
        return op.text == b"==" and sides == {err, b"nil"}
    if cond.type == "unary_expression":
        op, operand = cond.child_by_field_name("operator"), cond.child_by_field_name("operand")
        if op is None or op.text != b"!" or operand is None or operand.type != "call_expression":
            return False
        fn, args = operand.child_by_field_name("function"), operand.child_by_field_name("arguments")
        if fn is None or args is None or not args.named_children or f.text(args.named_children[0]) != err:
            return False
        return f.text(fn) in FALSE_ON_NIL and b"nil" not in (f.text(a) for a in args.named_children[1:])
    return False


def _calls_error_method(f: SourceFile, node: Node, err: bytes) -> bool:
    """Does evaluating ``node`` always call `err.Error()` (which panics on a nil error)?"""
    for c in walk_types(node, frozenset({"call_expression"})):
        fn = c.child_by_field_name("function")
        if fn is not None and f.text(fn) == err + b".Error" and _unconditional(c, node):
            return True
    return False


def _fails_test(f: SourceFile, block: Node) -> bool:
    """Does the block fail the test: `t.Fatal(...)`, `t.Errorf(...)`, `t.FailNow()`, `panic(...)`, `log.Fatal(...)`?"""
    for c in walk_types(block, frozenset({"call_expression"})):
        if has_ancestor(c, "func_literal", block):
            continue
        fn, args = c.child_by_field_name("function"), c.child_by_field_name("arguments")
        if fn is None or args is None:
            continue
        if fn.type == "identifier" and f.text(fn) == b"panic":
            return True
        field = fn.child_by_field_name("field") if fn.type == "selector_expression" else None
        operand = fn.child_by_field_name("operand") if fn.type == "selector_expression" else None
        if (
            field is None
            or operand is None
            or operand.type != "identifier"
            or field.text not in FAILURE_METHODS
        ):
            continue
        # `err.Error()` is not a report: a test's Error/Errorf always has something to say.
        if field.text in (b"Fail", b"FailNow") or args.named_children:
            return True
    return False


def _example_prints_only_on_failure(f: SourceFile, check: Node, cond: Node, then: Node, err: bytes) -> bool:
    func = enclosing_function(check)
    if func is None or func.type != "function_declaration" or check.child_by_field_name("alternative"):
        return False
    name = func.child_by_field_name("name")
    if name is None or not f.text(name).startswith(b"Example"):
        return False
    if f.text(cond).replace(b" ", b"") != err + b"!=nil":
        return False
    output = any(
        re.match(rb"//\s*(Unordered output|Output):\s*\S", f.text(c)) or _output_continues(f, c)
        for c in walk_types(func, frozenset({"comment"}))
    )
    if not output:
        return False
    printing = 0
    for c in walk_types(func, frozenset({"call_expression"})):
        fn = c.child_by_field_name("function")
        if fn is not None and f.text(fn).startswith(PRINTS):
            if not then.start_byte <= c.start_byte < then.end_byte:
                return False
            printing += 1
    return printing > 0


def _output_continues(f: SourceFile, comment: Node) -> bool:
    """`// Output:` alone on its line, followed by a comment line with the expected output."""
    if not re.match(rb"//\s*(Unordered output|Output):\s*$", f.text(comment)):
        return False
    nxt = comment.next_sibling
    return nxt is not None and nxt.type == "comment" and f.text(nxt).strip() != b"//"


def _single_result(assertion: Node) -> bool:
    """`err.(T)` used for one value: it panics when err is nil (`v, ok := err.(T)` does not)."""
    parent = assertion.parent
    if parent is not None and parent.type == "expression_list":
        holder = parent.parent
        if holder is not None and holder.type in (
            "short_var_declaration",
            "assignment_statement",
            "var_spec",
        ):
            left = holder.child_by_field_name("left") or holder
            return len(parent.named_children) != 1 or len(left.named_children) < 2
    return True


def _unconditional(node: Node, stop: Node) -> bool:
    """Is ``node`` evaluated whenever ``stop`` is (no branch, loop, closure or && / || between them)?"""
    p = node.parent
    while p is not None and p != stop:
        if p.type in BRANCHING:
            if p.type != "binary_expression":
                return False
            op = p.child_by_field_name("operator")
            right = p.child_by_field_name("right")
            if (
                op is not None
                and op.text in (b"&&", b"||")
                and right is not None
                and right.start_byte <= node.start_byte
            ):
                return False
        p = p.parent
    return True


# -- helpers ------------------------------------------------------------------------------------------


def _release(var: str, kind: Kind) -> str:
    return var + kind.release


def _lhs_names(f: SourceFile, stmt: Node, lhs: Node | None) -> list[str] | None:
    """Identifiers assigned, in order; None when something other than a plain identifier is assigned."""
    if stmt.type == "var_spec":
        return [f.decode(n) for n in stmt.children_by_field_name("name")]
    if lhs is None:
        return []
    names = []
    for child in lhs.named_children:
        if child.type != "identifier":
            return None
        names.append(f.decode(child))
    return names


def _receiver_type(
    f: SourceFile,
    operand: Node,
    call: Node,
    declarations: dict[tuple[int, bytes], list[Node]],
    package_var_type: Callable[[bytes], str | None],
    http_names: set[str],
    sql_names: set[str],
) -> str | None:
    """The type ("http.Client", "sql.DB", ...) of a method call's receiver, when it is visible in source.

    ``declarations`` caches, for each scope (parameters, body) of the package and name, the declarations
    in it that may declare the name;
    ``package_var_type`` gives the type of a package-level variable, read from its `var` spec;
    ``http_names``, ``sql_names``: the names ``f`` binds to net/http and database/sql.
    """
    if not http_names and not sql_names:
        return None  # every type recognised below is spelled with one of these package names
    text = f.text(operand)
    for h in http_names:
        if text == f"{h}.DefaultClient".encode():
            return "http.Client"
    if operand.type != "identifier":
        return None
    name = text
    func = enclosing_function(call)
    while func is not None:
        params = func.child_by_field_name("parameters")
        scopes = [params] if params is not None else []
        body = func.child_by_field_name("body")
        if body is not None:
            scopes.append(body)
        for scope in scopes:
            decls = declarations.get((scope.id, name))
            if decls is None:
                decls = declarations[(scope.id, name)] = _declarations_of(f, scope, name)
            for decl in decls:
                if decl.start_byte > call.start_byte or name not in f.text(decl):
                    continue
                t = _declared_type(f, decl, name, http_names, sql_names)
                if t is not None:
                    return t
        func = enclosing_function(func)
    return package_var_type(name)  # package-level `var` declarations only


RECEIVER_DECLARATIONS = frozenset({"parameter_declaration", "var_spec", "short_var_declaration"})


def _occurrences(data: bytes, name: bytes, start: int, end: int) -> Iterator[int]:
    """Where ``name`` occurs in ``data[start:end]`` as a whole token (overlapping occurrences too).

    Every identifier (any token) so spelled is found: the lexer would have made an ASCII letter, digit
    or `_` next to it part of it. Others (in comments, strings) are found too: check the tree.
    """
    if not name:
        return
    pattern = word_pattern(name)
    m = pattern.search(data, start, end)
    while m is not None:
        at = m.start()
        if at == 0 or data[at - 1] not in WORD_BYTES:
            yield at
        m = pattern.search(data, at + 1, end)


def _declarations_of(f: SourceFile, scope: Node, name: bytes) -> list[Node]:
    """The nodes of RECEIVER_DECLARATIONS in ``scope`` that may declare ``name``, in source order.

    As `walk_types(scope, RECEIVER_DECLARATIONS)` would list them, less those that cannot declare it:
    a declaration declares a name with a node so spelled, its child or grandchild (`left`'s child).
    """
    found: dict[int, Node] = {}
    size = len(name)
    for at in _occurrences(f.data, name, scope.start_byte, scope.end_byte):
        node: Node | None = scope.descendant_for_byte_range(at, at + size)
        # Up through the nodes spelled exactly `name`, then two levels more.
        while node is not None and node.start_byte == at and node.end_byte == at + size and node != scope:
            node = node.parent
        for _ in range(2):
            if node is None or node == scope:
                break
            if node.type in RECEIVER_DECLARATIONS:
                found.setdefault(node.id, node)
            node = node.parent
    decls = list(found.values())
    decls.sort(key=lambda n: (n.start_byte, -n.end_byte))
    return decls


def _declared_type(
    f: SourceFile, decl: Node, name: bytes, http_names: set[str], sql_names: set[str]
) -> str | None:
    if decl.type == "short_var_declaration":
        left, right = decl.child_by_field_name("left"), decl.child_by_field_name("right")
        if left is None or right is None:
            return None
        idents = [f.text(c) for c in left.named_children]
        values = right.named_children
    else:
        idents = [f.text(c) for c in decl.children_by_field_name("name")]
        type_node = decl.child_by_field_name("type")
        if name in idents and type_node is not None:
            return _type_name(f.text(type_node), http_names, sql_names)
        value = decl.child_by_field_name("value")
        values = value.named_children if value is not None else []
    if name not in idents:
        return None
    i = idents.index(name)
    if len(values) == 1 and len(idents) > 1:
        value = values[0]
        if i == 0 and value.type == "call_expression":
            fn = f.text(value.child_by_field_name("function") or value)
            if any(fn == f"{s}.Open".encode() for s in sql_names):
                return "sql.DB"
        return None
    if i >= len(values):
        return None
    value = values[i]
    text = f.text(value).lstrip(b"&")
    for h in http_names:
        if text.startswith(f"{h}.Client{{".encode()):
            return "http.Client"
    return None


def _type_name(text: bytes, http_names: set[str], sql_names: set[str]) -> str | None:
    t = text.lstrip(b"*")
    for h in http_names:
        if t == f"{h}.Client".encode():
            return "http.Client"
    for s in sql_names:
        for typ in ("DB", "Tx", "Conn"):
            if t == f"{s}.{typ}".encode():
                return f"sql.{typ}"
    return None


def _is_err_check(f: SourceFile, node: Node, err_var: str) -> bool:
    if node.type != "if_statement" or node.child_by_field_name("initializer") is not None:
        return False
    cond = node.child_by_field_name("condition")
    return cond is not None and f.text(cond).replace(b" ", b"") == f"{err_var}!=nil".encode()


def _terminates(f: SourceFile, if_stmt: Node) -> bool:
    """Does the `then` block of an error check always leave (return, continue, panic, log.Fatal, ...)?"""
    if if_stmt.child_by_field_name("alternative") is not None:
        return False
    block = if_stmt.child_by_field_name("consequence")
    if block is None:
        return False
    stmts = statements(block)
    if not stmts:
        return False
    last = stmts[-1]
    if last.type in TERMINATORS:
        return True
    if last.type == "expression_statement":
        call = last.named_children[0] if last.named_children else None
        if call is not None and call.type == "call_expression":
            fn = call.child_by_field_name("function")
            return fn is not None and f.text(fn) in EXIT_CALLS
    return False


def _leaves_early(stmts: Node, anchor: Node) -> bool:
    """Is there a break/continue/return/goto in the statements after ``anchor`` (closures excluded)?"""
    after = False
    for child in stmts.named_children:
        if child == anchor:
            after = True
            continue
        if not after:
            continue
        for node in walk_types(child, TERMINATORS | {"func_literal"}):
            if node.type in TERMINATORS and not has_ancestor(node, "func_literal", child):
                return True
    return False


@dataclass(frozen=True)
class _Scope:
    """The function a resource is acquired in, as the flow helpers below need it."""

    f: SourceFile
    func: Node
    body: Node
    names: _Declared  # which names the function declares anywhere (parameters included)
    results: frozenset[bytes]  # named results: whatever they hold goes to the caller

    def declares(self, name: bytes) -> bool:
        return self.names.declares(self.f, self.func, name)


class _Declared:
    """Whether a function declares a name anywhere in it (as `LocalNames.declared_in` has it), found
    from the name's occurrences in the function's bytes rather than a walk of all its declarations."""

    def __init__(self) -> None:
        self._known: dict[tuple[int, bytes], bool] = {}

    def declares(self, f: SourceFile, func: Node, name: bytes) -> bool:
        key = (func.id, name)
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = any(
                declaration_of(ident) is not None for ident in identifiers_named(f, func, name)
            )
        return found

    def shadowed(self, f: SourceFile, at: Node, name: bytes) -> bool:
        """Is ``name`` declared in any function enclosing ``at`` (`LocalNames.shadowed`)? The outermost
        one holds all the others' declarations: the file's top-level declaration holding ``at``, when it
        is a function (found in C), else the outermost func literal above ``at`` (in a `var`, say)."""
        outermost = f.root.child_with_descendant(at)
        if outermost is None or outermost.type not in FUNCTION_TYPES:
            outermost = None
            for parent in ancestors(at):
                if parent.type in FUNCTION_TYPES:
                    outermost = parent
        return outermost is not None and self.declares(f, outermost, name)


def _released_or_escapes(scope: _Scope, var: bytes, stmt: Node, kind: Kind) -> bool:
    """True when ``var`` is released, or handed to somebody else who may release it, after ``stmt``."""
    for ident in _uses(scope.f, scope.body, var, stmt):
        if _in_closure(scope, ident):
            return True  # captured by a closure: a deferred func may close it, a goroutine may own it
        how, node = _value_of(ident, kind.owner_field)
        if how == "release" or (how == "value" and _escapes(scope, node, 0)):
            return True
    return False


def _in_closure(scope: _Scope, node: Node) -> bool:
    """Is ``node`` inside a func literal of the function's body? Such a literal starts with `func`,
    spelled in the body before ``node``: without one there (most bodies), no climb up the tree."""
    if scope.f.data.find(b"func", scope.body.start_byte, node.start_byte) < 0:
        return False
    return has_ancestor(node, "func_literal", scope.body)


def _uses(f: SourceFile, body: Node, var: bytes, stmt: Node) -> Iterator[Node]:
    """The identifiers ``var`` in ``body`` after ``stmt``, in source order."""
    return iter(identifiers_named(f, body, var, stmt.end_byte))


def _value_of(ident: Node, owner_field: bytes | None) -> tuple[str, Node]:
    """Classify one use of a value by climbing selectors from it (``ident`` may be any expression).

    ("release", n): `x.Close()`, `x.Body.Close()`, `x.Stop()` or `cancel()`, or the method value
    `x.Close` handed to someone who can call it;
    ("use", n): another method call on it, `x.Name()`, or a field other than ``owner_field``;
    ("value", n): the value itself (or its owning field, `resp.Body`) flows somewhere: n is the
    outermost expression.
    """
    node = ident
    while node.parent is not None and node.parent.type == "selector_expression":
        parent = node.parent
        if parent.child_by_field_name("operand") != node:
            break
        grand = parent.parent
        field = parent.child_by_field_name("field")
        name = field.text if field is not None else None
        if (
            grand is not None
            and grand.type == "call_expression"
            and grand.child_by_field_name("function") == parent
        ):
            return ("release" if name in RELEASE_METHODS else "use"), parent
        if name in RELEASE_METHODS:
            return "release", parent  # `x.Close` as a method value: whoever receives it may release
        if node == ident and name != owner_field:
            return "use", parent  # resp.StatusCode, t.C: the field's value is not the resource
        node = parent
    outer = node.parent
    if (
        outer is not None
        and outer.type == "call_expression"
        and outer.child_by_field_name("function") == node
    ):
        return ("release" if node == ident else "use"), node
    return "value", node


def _escapes(scope: _Scope, value: Node, depth: int) -> bool:
    """Does the resource (or a wrapper holding it) leave the function's hands through ``value``?"""
    parent = value.parent
    if parent is None:
        return False
    t = parent.type
    if t in (
        "return_statement",
        "send_statement",
        "go_statement",
        "composite_literal",
        "keyed_element",
        "literal_element",
    ):
        return True
    if t == "unary_expression":  # `&x` may hand it over; `<-x`, `!x` only read it
        op = parent.child_by_field_name("operator")
        return op is not None and op.text == b"&"
    if t == "expression_list":
        grand = parent.parent
        if grand is None:
            return False
        if grand.type == "return_statement":
            return True
        if grand.type in ("assignment_statement", "short_var_declaration", "var_spec"):
            # assigned to something else (`_ = x` only silences the compiler)
            return _assigned_name(scope, value) not in (None, False)
        return False
    if t == "argument_list":
        call = parent.parent
        if call is None:
            return True
        borrower = _borrower(scope.f, call)
        if borrower == "consumes":
            return call.parent is not None and call.parent.type == "go_statement"
        if borrower == "wraps":
            return _wrapper_escapes(scope, call, depth)
        return True
    return t in ("assignment_statement", "short_var_declaration", "index_expression")


def _borrower(f: SourceFile, call: Node) -> str | None:
    """ "consumes" for a call done with its argument when it returns (io.Copy), "wraps" for one whose
    result keeps it (bufio.NewReader), None for any other call."""
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "selector_expression":
        return None
    op, field = fn.child_by_field_name("operand"), fn.child_by_field_name("field")
    if op is None or field is None or op.type != "identifier":
        return None
    local, name = f.decode(op), f.decode(field)
    for path, func in CONSUMERS:
        if func == name and local in f.imports.get(path, []):
            return "consumes"
    for path, func in WRAPPERS:
        if func == name and local in f.imports.get(path, []):
            return "wraps"
    return None


def _wrapper_escapes(scope: _Scope, call: Node, depth: int) -> bool:
    """Does the wrapper made by ``call`` (bufio.NewScanner(f)) escape, taking the resource with it?

    `bufio.NewReader(f).ReadString(...)` and `sc.Scan()` only use it; returning, storing, sending,
    capturing it or passing it to another function hands it over, also through a local alias
    (`sc := bufio.NewScanner(f)` ... `return sc`).
    """
    if depth >= MAX_FLOW_DEPTH:
        return True
    how, node = _value_of(call, None)
    if how != "value":
        return how == "release"
    target = _assigned_name(scope, node)
    if target is None:
        return _escapes(scope, node, depth + 1)
    if isinstance(target, bool):
        return target
    name, stmt = target
    for ident in _uses(scope.f, scope.body, name, stmt):
        if _in_closure(scope, ident):
            return True
        how, use = _value_of(ident, None)
        if how == "release" or (how == "value" and _escapes(scope, use, depth + 1)):
            return True
    return False


def _assigned_name(scope: _Scope, value: Node) -> tuple[bytes, Node] | bool | None:
    """Where ``value`` goes when it is the right-hand side of an assignment or declaration.

    None: it is not; False: into `_`; True: somewhere that outlives the function or cannot be followed
    (a field, an index, a named result, a variable of an enclosing function or the package); otherwise
    (the local variable, the statement) to follow. Of a multi-value call, the first result counts.
    """
    parent = value.parent
    if parent is None or parent.type != "expression_list":
        return None
    stmt = parent.parent
    if stmt is None or stmt.type not in ("short_var_declaration", "assignment_statement", "var_spec"):
        return None
    if (stmt.child_by_field_name("right") or stmt.child_by_field_name("value")) != parent:
        return None
    if stmt.type == "var_spec":
        targets = stmt.children_by_field_name("name")
    else:
        left = stmt.child_by_field_name("left")
        targets = left.named_children if left is not None else []
    values = parent.named_children
    i = next((n for n, v in enumerate(values) if v == value), 0) if len(values) > 1 else 0
    if i >= len(targets) or targets[i].type != "identifier":
        return True
    name = scope.f.text(targets[i])
    if name == b"_":
        return False
    if stmt.type == "assignment_statement":
        op = stmt.child_by_field_name("operator")
        if op is None or op.text != b"=" or not scope.declares(name):
            return True
    if name in scope.results:
        return True
    return name, stmt


# Result types that cannot hold a context (nor anything derived from one): returning them is not an escape.
PLAIN_TYPES = INTEGER_TYPES | {
    b"error",
    b"bool",
    b"string",
    b"[]byte",
    b"float32",
    b"float64",
    b"time.Duration",
    b"time.Time",
}


def _context_escape(scope: _Scope, ctx: bytes, stmt: Node, depth: int = 0) -> str | None:
    """How the context ``ctx``, made by ``stmt``, outlives the function, or None when it does not.

    Cancelling it on return would then cut short whoever still holds it. Calling its methods and passing
    it to a synchronous call are plain uses, unless what the call returns escapes in turn (it may hold
    the context: `http.NewRequestWithContext`, `context.WithValue`, `db.QueryContext`): returning a
    plain value such as an `error`, an `int` or a `string` does not count.
    """
    for ident in _uses(scope.f, scope.body, ctx, stmt):
        if _in_closure(scope, ident):
            return "captured by a closure"
        how, node = _value_of(ident, None)
        call = node.parent
        if how == "use" and call is not None and call.child_by_field_name("function") == node:
            node, depth = call, depth + 1  # what a method returns may hold the context: `ctx.Done()`
        elif how != "value":
            continue
        if depth > MAX_FLOW_DEPTH:
            return "passed on"
        why = _context_value_escape(scope, node, depth)
        if why is not None:
            return why
    return None


def _context_value_escape(scope: _Scope, value: Node, depth: int) -> str | None:
    f = scope.f
    value = with_parens(value)
    parent = value.parent
    if parent is None:
        return None
    t = parent.type
    if t == "return_statement" or (
        t == "expression_list" and parent.parent is not None and parent.parent.type == "return_statement"
    ):
        return None if _returns_plain(scope, value) else "returned"
    if t == "send_statement":
        return "sent on a channel"
    if t in ("composite_literal", "keyed_element", "literal_element", "index_expression"):
        return "stored"
    if t == "unary_expression":
        op = parent.child_by_field_name("operator")
        return "stored" if op is not None and op.text == b"&" else None
    if t == "expression_list":
        target = _assigned_name(scope, value)
        if target is None or target is False:
            return None
        if target is True:
            return "stored"
        if depth >= MAX_FLOW_DEPTH:
            return "passed on"
        name, stmt = target
        return _context_escape(scope, name, stmt, depth + 1)
    if t == "argument_list":
        call = parent.parent
        if call is None:
            return "passed on"
        if call.parent is not None and call.parent.type == "go_statement":
            return "handed to a goroutine"
        fn = call.child_by_field_name("function")
        name = f.text(fn) if fn is not None else b""
        if name == b"append":
            return "stored"
        if name.endswith(b".AfterFunc"):
            return "handed to context.AfterFunc"
        if depth >= MAX_FLOW_DEPTH:
            return "passed on"
        how, node = _value_of(call, None)
        return _context_value_escape(scope, node, depth + 1) if how == "value" else None
    if t in ("assignment_statement", "short_var_declaration", "var_spec"):
        return "stored"
    return None


def _returns_plain(scope: _Scope, value: Node) -> bool:
    """Is ``value``, returned, bound to results of plain types only (an `error`, an `int`, ...)?"""
    _, types = result_types(scope.func)
    parent = value.parent
    if parent is not None and parent.type == "expression_list":
        values = parent.named_children
        if len(values) > 1:
            i = next((n for n, v in enumerate(values) if v == value), -1)
            types = types[i : i + 1] if 0 <= i < len(types) else []
    return bool(types) and all(scope.f.text(t) in PLAIN_TYPES for t in types)
