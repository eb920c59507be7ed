"""unclosed-resource: a file, connection, response body, rows, ticker or cancel func never released."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tree_sitter import Node

from gofixer.codemod import Codemod, Match
from gofixer.model import Applicability, Edit, Finding, Fix
from gofixer.parsing import (
    FUNCTION_TYPES,
    LOCAL_DECLARATIONS,
    Package,
    SourceFile,
    declared_names,
    walk_types,
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

# Calls that use a resource without taking it over: passing the value to them is not an escape.
BORROWERS: frozenset[tuple[str, str]] = frozenset(
    {
        ("io", "Copy"),
        ("io", "CopyN"),
        ("io", "CopyBuffer"),
        ("io", "ReadAll"),
        ("io", "ReadFull"),
        ("io", "WriteString"),
        ("bufio", "NewReader"),
        ("bufio", "NewReaderSize"),
        ("bufio", "NewScanner"),
        ("bufio", "NewWriter"),
        ("bufio", "NewWriterSize"),
        ("encoding/json", "NewDecoder"),
        ("encoding/json", "NewEncoder"),
        ("fmt", "Fprint"),
        ("fmt", "Fprintf"),
        ("fmt", "Fprintln"),
        ("fmt", "Fscan"),
        ("fmt", "Fscanf"),
        ("fmt", "Fscanln"),
    }
)
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


def _declared_names(f: SourceFile, func: Node, cache: dict[int, frozenset[bytes]]) -> frozenset[bytes]:
    """Every identifier declared in ``func`` (its parameters and body, nested closures included)."""
    found = cache.get(func.id)
    if found is None:
        decls = walk_types(func, LOCAL_DECLARATIONS)
        found = cache[func.id] = frozenset(f.text(n) for d in decls for n in declared_names(d))
    return found


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


class UnclosedResource(Codemod):
    """
    ## What it does
    Finds resources acquired in a function and never released there: files (`os.Open`, `os.Create`,
    `os.OpenFile`), connections and listeners (`net.Dial`, `net.DialTimeout`, `net.Listen`), HTTP
    response bodies (`http.Get`/`Post`/`Head`/`PostForm`, `(*http.Client).Do`/`Get`/...), database
    handles and rows (`sql.Open`, `(*sql.DB).Query`/`QueryContext`), tickers (`time.NewTicker`) and the
    cancel functions of `context.WithCancel`/`WithTimeout`/`WithDeadline`.

    A resource is not reported when it is closed anywhere in the function, or when it escapes: returned
    (a named result counts), stored in a field, map, slice, global or a variable of an enclosing
    function, sent on a channel, passed to a function that may take it over (reading helpers such as
    `io.Copy`, `io.ReadAll`, `bufio.NewReader` or `fmt.Fprintf` only borrow it), or captured by a
    closure. Packages are matched by import path, so renamed imports (`import stdos "os"`) are found,
    and a local name that shadows the package is not mistaken for it.

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
    header, and one reached through a dot import are reported without a fix. The fix is safe: it only releases a
    resource the function provably no longer uses once it returns.
    """

    name = "unclosed-resource"
    summary = "A file, connection, response body, rows, ticker or cancel func is never released."
    prefilter = (b"os", b"net", b"http", b"sql", b"time", b"context")
    query = """
    (short_var_declaration
      left: (expression_list) @lhs
      right: (expression_list . (call_expression function: [(selector_expression) (identifier)] @fn) @call .)
    ) @stmt
    (assignment_statement
      left: (expression_list) @lhs
      right: (expression_list . (call_expression function: [(selector_expression) (identifier)] @fn) @call .)
    ) @stmt
    (var_spec
      name: (identifier)
      value: (expression_list . (call_expression function: [(selector_expression) (identifier)] @fn) @call .)
    ) @stmt
    (expression_statement (call_expression function: [(selector_expression) (identifier)] @fn) @call) @stmt
    """

    def __init__(self) -> None:
        self._declared: dict[int, frozenset[bytes]] = {}

    def run(self, package: Package, matches: list[Match]) -> Iterable[Finding]:
        for m in matches:
            stmt, call, fn = m.node("stmt"), m.node("call"), m.node("fn")
            if stmt is None or call is None or fn is None:
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
            if pkg_path is not None and not self._shadowed(f, call, local):
                pkg_kind = FUNCTIONS.get((pkg_path, method))
                return (pkg_kind, True) if pkg_kind is not None else None
        if method in METHOD_NAMES:
            recv = _receiver_type(f, package, operand, call)
            if recv is not None and (recv, method) in METHODS:
                return METHODS[(recv, method)], True
        return None

    def _check(
        self, f: SourceFile, package: Package, stmt: Node, call: Node, fn: Node, lhs: Node | None
    ) -> Finding | None:
        found = self._kind(f, package, call, fn)
        if found is None:
            return None
        kind, fixable = found
        func = _enclosing_function(stmt)
        if func is None:
            return None  # a package-level var: lives as long as the program
        body = func.child_by_field_name("body")
        if body is None:
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
        if var is None:
            return self.finding(
                f, call, f"the {kind.what} returned by {f.decode(fn)} is discarded and never released"
            )
        if var == "_":
            if kind is CANCEL and fixable and stmt.type == "short_var_declaration":
                return self._discarded_cancel(f, stmt, body, lhs)
            return self.finding(
                f, call, f"the {kind.what} returned by {f.decode(fn)} is discarded and never released"
            )
        if stmt.type == "assignment_statement" and var.encode() not in _declared_names(
            f, func, self._declared
        ):
            return None  # a variable of an enclosing function or of the package: it outlives this call
        if var.encode() in _result_names(f, func):
            return None  # a named result: the caller receives it, even through a bare `return`
        if _released_or_escapes(f, body, var.encode(), stmt, kind):
            return None
        message = f"{kind.what} `{var}` from {f.decode(fn)} is never released (missing {_release(var, kind)})"
        fix = self._fix(f, body, stmt, var, err_var, kind) if fixable else None
        return self.finding(f, call, message, fix)

    def _shadowed(self, f: SourceFile, at: Node, local: str) -> bool:
        """Is the package name ``local`` redeclared in a function enclosing ``at``?

        Any declaration of the name anywhere in such a function counts (parameters, `:=`, `var`,
        range variables): cheaper than real scoping, and it can only hide a finding, never invent one.
        """
        func = _enclosing_function(at)
        while func is not None:
            if local.encode() in _declared_names(f, func, self._declared):
                return True
            func = _enclosing_function(func)
        return False

    # -- fixing ----------------------------------------------------------------------------------

    def _fix(
        self, f: SourceFile, body: Node, stmt: Node, var: str, err_var: str | None, kind: Kind
    ) -> Fix | None:
        if stmt.type == "var_spec" and stmt.parent is not None and stmt.parent.named_child_count == 1:
            stmt = stmt.parent  # `var f, err = os.Open(p)`: the declaration is the statement
        if stmt.parent is None or stmt.parent.type != "statement_list":
            return None  # e.g. the init statement of an `if`: the variable's scope is that `if`
        anchor, guarded = stmt, False
        nxt = stmt.next_named_sibling
        while nxt is not None and nxt.type == "comment":
            nxt = nxt.next_named_sibling
        if err_var not in (None, "_"):
            if nxt is not None and _is_err_check(f, nxt, err_var):
                anchor, guarded = nxt, _terminates(f, nxt)
            else:
                return None  # the error is handled later or elsewhere: where to release is not obvious
        nil_possible = err_var == "_" or (err_var is not None and not guarded)
        release = _release(var, kind)
        needs_guard = nil_possible and not kind.nil_safe
        loop = _enclosing_loop(stmt, body)
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
            return None
        if _leaves_early(stmt.parent, anchor):
            return None
        if any(ident.start_byte >= loop.end_byte for ident in _uses(f, body, var.encode(), stmt)):
            return None  # the value outlives the iteration (assigned to a variable declared outside)
        line = release.encode()
        if needs_guard:
            line = b"if " + var.encode() + b" != nil {\n" + indent + b"\t" + line + b"\n" + indent + b"}"
        last = stmt.parent.named_children[-1]
        at = f.line_end(last.end_byte)
        desc = f"Call `{release}` at the end of the loop iteration"
        return Fix(desc, (Edit(f.path, at, at, indent + line + b"\n"),), (), Applicability.SAFE)

    def _discarded_cancel(self, f: SourceFile, stmt: Node, body: Node, lhs: Node | None) -> Finding | None:
        if lhs is None or stmt.parent is None or stmt.parent.type != "statement_list":
            return None
        blank = [c for c in lhs.named_children if f.text(c) == b"_"]
        if len(blank) != 1:
            return None
        func = body.parent if body.parent is not None else body  # parameters and body
        used = {f.text(n) for n in walk_types(func, frozenset({"identifier"}))}
        name = next(
            (n for n in ("cancel", "cancelCtx", "cancel2", "cancel3") if n.encode() not in used), None
        )
        if name is None:
            return None
        call = stmt.child_by_field_name("right")
        target = call if call is not None else stmt
        msg = "the cancel function is discarded: the context's resources leak until its parent is done"
        edits = [Edit(f.path, blank[0].start_byte, blank[0].end_byte, name.encode())]
        if _enclosing_loop(stmt, body) is None:
            at = f.line_end(stmt.end_byte)
            edits.append(
                Edit(f.path, at, at, f.indent_at(stmt.start_byte) + b"defer " + name.encode() + b"()\n")
            )
            fix = Fix(f"Name the cancel function `{name}` and defer it", tuple(edits))
            return self.finding(f, target, msg, fix)
        return self.finding(f, target, msg)


# -- helpers ------------------------------------------------------------------------------------------


def _release(var: str, kind: Kind) -> str:
    return var + kind.release


def _enclosing_function(node: Node) -> Node | None:
    p = node.parent
    while p is not None:
        if p.type in FUNCTION_TYPES:
            return p
        p = p.parent
    return None


def _enclosing_loop(stmt: Node, body: Node) -> Node | None:
    p = stmt.parent
    while p is not None and p != body:
        if p.type == "for_statement":
            return p
        p = p.parent
    return None


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


def _receiver_type(f: SourceFile, package: Package, operand: Node, call: Node) -> str | None:
    """The type ("http.Client", "sql.DB", ...) of a method call's receiver, when it is visible in source."""
    http_names = {n for n in f.imports.get("net/http", []) if n not in (".", "_")}
    sql_names = {n for n in f.imports.get("database/sql", []) if n not in (".", "_")}
    text = f.text(operand)
    for h in http_names:
        if text == f"{h}.DefaultClient".encode():
            return "http.Client"
    if operand.type != "identifier":
        return None
    name = text
    func = _enclosing_function(call)
    while func is not None:
        params = func.child_by_field_name("parameters")
        scopes = [params] if params is not None else []
        body = func.child_by_field_name("body")
        if body is not None:
            scopes.append(body)
        for scope in scopes:
            for decl in walk_types(
                scope, frozenset({"parameter_declaration", "var_spec", "short_var_declaration"})
            ):
                if decl.start_byte > call.start_byte:
                    continue
                t = _declared_type(f, decl, name, http_names, sql_names)
                if t is not None:
                    return t
        func = _enclosing_function(func)
    for sf in package.files:
        for top in sf.root.named_children:  # package-level `var` declarations only
            if top.type != "var_declaration" or name not in sf.text(top):
                continue
            for decl in walk_types(top, frozenset({"var_spec"})):
                t = _declared_type(sf, decl, name, http_names, sql_names)
                if t is not None:
                    return t
    return None


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
    stmts = [c for c in block.named_children if c.type == "statement_list"]
    if not stmts or not stmts[0].named_children:
        return False
    last = [c for c in stmts[0].named_children if c.type != "comment"][-1]
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
            if node.type in TERMINATORS and not _inside(node, "func_literal", child):
                return True
    return False


def _inside(node: Node, typ: str, stop: Node) -> bool:
    p = node.parent
    while p is not None and p != stop:
        if p.type == typ:
            return True
        p = p.parent
    return False


def _released_or_escapes(f: SourceFile, body: Node, var: bytes, stmt: Node, kind: Kind) -> bool:
    """True when ``var`` is released, or handed to somebody else who may release it, after ``stmt``."""
    for ident in _uses(f, body, var, stmt):
        if _inside(ident, "func_literal", body):
            return True  # captured by a closure: a deferred func may close it, a goroutine may own it
        how, node = _value_of(ident, kind)
        if how == "release" or (how == "value" and _escapes(f, node)):
            return True
    return False


def _uses(f: SourceFile, body: Node, var: bytes, stmt: Node) -> Iterator[Node]:
    for ident in walk_types(body, frozenset({"identifier"})):
        if ident.start_byte >= stmt.end_byte and f.text(ident) == var:
            yield ident


def _value_of(ident: Node, kind: Kind) -> tuple[str, Node]:
    """Classify one use of the variable by climbing selectors from it.

    ("release", n): `x.Close()`, `x.Body.Close()`, `x.Stop()` or `cancel()`, or the method value
    `x.Close` handed to someone who can call it;
    ("use", n): another method call on it, `x.Name()`, or a field that does not carry the resource;
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
        if node == ident and name != kind.owner_field:
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


def _escapes(f: SourceFile, value: Node) -> bool:
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
            right = grand.child_by_field_name("right") or grand.child_by_field_name("value")
            return right == parent  # assigned to something else
        return False
    if t == "argument_list":
        call = parent.parent
        fn = call.child_by_field_name("function") if call is not None else None
        if fn is not None and fn.type == "selector_expression":
            op, field = fn.child_by_field_name("operand"), fn.child_by_field_name("field")
            if op is not None and field is not None and op.type == "identifier":
                local = f.decode(op)
                for path, func in BORROWERS:
                    if func == f.decode(field) and local in f.imports.get(path, []):
                        return False
        return True
    return t in ("assignment_statement", "short_var_declaration", "index_expression")
