"""goroutine-no-exit: a goroutine that loops forever receiving, with nothing that can ever stop it."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from tree_sitter import Node

from gofixer import goscope
from gofixer.codemod import Codemod, Match
from gofixer.goscope import PackageIndex, declared_function, function_name, is_exported, last_name
from gofixer.model import AddImport, Applicability, Edit, Finding, Fix
from gofixer.parsing import (
    Package,
    SourceFile,
    ancestors,
    enclosing_function,
    in_statement_list,
    statements,
    walk_types,
    word_pattern,
)

# A case on a channel named like this is somebody's way to stop the loop: leave the loop alone.
STOP_NAME = re.compile(
    r"stop|quit|done|exit|clos|cancel|shutdown|die|dying|kill|term|finish|abort|halt|ctx|context|teardown",
    re.I,
)
# Calls after which the goroutine does not come back to the loop.
EXIT_CALL = re.compile(
    r"^(panic|(.*\.)?(Exit|Goexit|Fatal|Fatalf|Fatalln|Panic|Panicf|Panicln|FailNow|SkipNow))$"
)
BREAKABLE = frozenset(
    {"for_statement", "expression_switch_statement", "type_switch_statement", "select_statement"}
)
# Method names other packages' interfaces expect with a fixed signature: never give them a parameter.
WELL_KNOWN_METHODS = frozenset(
    {
        "String",
        "Error",
        "Read",
        "Write",
        "Close",
        "ServeHTTP",
        "Len",
        "Less",
        "Swap",
        "Lock",
        "Unlock",
        "Run",
        "Serve",
        "Format",
        "GoString",
        "Unwrap",
        "Is",
        "As",
        "MarshalJSON",
        "UnmarshalJSON",
    }
)
CONTEXT_RESULT0 = frozenset(
    {"WithCancel", "WithTimeout", "WithDeadline", "WithCancelCause", "WithTimeoutCause", "WithDeadlineCause"}
)
CONTEXT_SINGLE = frozenset({"Background", "TODO", "WithValue", "WithoutCancel"})
ZERO_NUMERIC = re.compile(r"^(u?int(8|16|32|64)?|uintptr|float(32|64)|complex(64|128)|byte|rune)$")
NIL_TYPES = frozenset(
    {"pointer_type", "slice_type", "map_type", "channel_type", "function_type", "interface_type"}
)

Kind = Literal["select", "receive", "range"]
CTX_COPY_NAMES = ("loopCtx", "goCtx", "workerCtx", "stopCtx")


@dataclass(frozen=True)
class Loop:
    """A forever-receiving loop at the top level of a goroutine's function."""

    kind: Kind
    statement: Node  # the for_statement, or the labeled_statement around it
    loop: Node  # the for_statement
    label: str | None
    channels: tuple[Node, ...]  # the channel expressions it receives from
    select: Node | None = None  # kind "select"
    receive: Node | None = None  # kind "receive": the receiving statement
    sends: tuple[Node, ...] = ()  # send statements in the loop: they may block forever too


@dataclass(frozen=True)
class Goroutine:
    go_file: SourceFile
    go: Node  # the go_statement
    call: Node  # its call_expression
    file: SourceFile  # the file of the function the goroutine runs
    func: Node  # func_literal, function_declaration or method_declaration
    named: bool  # `go worker(...)` / `go s.loop()` rather than `go func() {...}()`


@dataclass(frozen=True)
class Birth:
    """Where a goroutine's channel comes from, seen from one function on the way up to a context.

    "below": made during a call this function makes; "here": made by ``node`` in this function;
    "param"/"receiver": handed in by the caller (parameter ``index``, the receiver); "unknown": anywhere.
    """

    kind: Literal["below", "here", "param", "receiver", "unknown"]
    node: Node | None = None
    index: int = -1


UNKNOWN = Birth("unknown")
BELOW = Birth("below")


@dataclass(frozen=True)
class CtxFound:
    """A context already in scope: `ctx`, `r.Context()`."""

    text: str  # the expression that yields it
    base: str  # the variable it reads: `ctx`, `r`
    scope: Node  # the function declaring that variable
    declaration: Node | None  # the `:=` statement or var spec declaring it; None for a parameter


class NoFix(Exception):
    """The fix cannot be planned with confidence: report the leak without one."""


class GoroutineNoExit(Codemod):
    """
    ## What it does
    Finds `go` statements whose goroutine — a function literal, a function of the package, or a method —
    loops forever receiving and has no way out:

    - `for { select { case v := <-ch: ... } }` where every case receives and no case returns, breaks
      out of the loop, or waits on a stop/quit/done channel or on `ctx.Done()`;
    - `for { v := <-ch; ... }` with no `return` or `break` out of the loop;
    - `for v := range ch` where nothing in the package closes `ch` (and `ch` is a channel made in the
      package that is only sent on and received from, never handed to anyone else).

    Loops that receive from timers (`time.After`, `ticker.C`), from a call's result or from a
    package-level channel, that have a `default` case or a sending case, and goroutines started from
    `init` or `sync.Once` are left alone: they are either not blocked on an unreachable channel or are
    services meant to live as long as the program.

    When the fix hands `context.TODO()` to a function at an API boundary, a follow-up finding marks the
    call: a `context.TODO()` passed to a function whose goroutine stops only when that context is done.

    ## Why is this bad?
    A goroutine blocked on a channel nobody will ever send on or close is never collected: its stack and
    everything it references stay alive for the life of the process. Started once per request or per
    call, such goroutines pile up until the program runs out of memory. Go 1.27's
    `goroutineleak` profile reports exactly these goroutines.

    ## Example
    ```go
    func leakyGoroutine() {
        ch := make(chan int)
        go func() {
            for {
                select {
                case data := <-ch:
                    fmt.Println("Received:", data)
                }
            }
        }()
    }
    ```
    Use instead:
    ```go
    func leakyGoroutine(ctx context.Context) {
        ch := make(chan int)
        go func() {
            for {
                select {
                case <-ctx.Done():
                    return
                case data := <-ch:
                    fmt.Println("Received:", data)
                }
            }
        }()
    }
    ```

    ## Fix safety
    The loop gets `case <-ctx.Done(): return` as its first case; a bare receive or a `range` loop
    becomes a `select` that also stops when the channel is closed (a `range` loop with code after it
    breaks out of the loop instead of returning, so that code still runs; a bare receive loop used to
    spin on a closed channel, and now returns). A send in the loop, which can block forever just the
    same, becomes a `select` between the send and `ctx.Done()`.

    The context is one already in scope (a `context.Context` parameter or variable, `r.Context()` of
    an `*http.Request`, `t.Context()` of a test); a `_` or unnamed `context.Context` parameter is named
    `ctx` and used. Otherwise the function that starts the goroutine gets a `ctx context.Context` first
    parameter and every call of it in the package passes one: `main` creates
    `ctx, cancel := context.WithCancel(context.Background())` with `defer cancel()`, unexported callers
    get the parameter in turn, and exported functions, interface methods and functions used as values
    pass `context.TODO()` (reported as a follow-up).

    A context in scope is reused only when the goroutine's channel is made while that context lives
    (after it is declared, in its block or in a call made from there). A goroutine that outlives the
    call, on a channel from outside it (a struct field, a parameter, a variable made before a
    per-iteration context), may serve later callers too: the caller's context could stop it while
    others still send, so the leak is reported without a fix. When the function assigns its context
    variable again (`ctx, cancel := context.WithTimeout(ctx, d)` after the `go` statement), the
    goroutine would read it while it changes: the fix copies it first (`loopCtx := ctx`). Files kept
    out of the build by `//go:build ignore` are neither checked nor rewritten.

    The fix is unsafe when it changes the signature of an exported function or method, which breaks
    callers outside the package; otherwise it is safe: nothing changes until the context is done.
    Callers in other packages of the same directory (an external `_test` package) are not rewritten;
    gofixer's type check drops a fix that would break them. When the context cannot be threaded with
    certainty (the starting function is used as a value, implements an interface, is declared on
    several types, or already uses the name `ctx`), the leak is reported without a fix, with the reason.
    """

    name = "goroutine-no-exit"
    summary = "A goroutine loops forever receiving from a channel and nothing can ever stop it."
    # No package prefilter: searching every file for `go ` cost three times what the anchor's own search
    # costs in the packages it dropped (over the std lib, 0.016 s against 0.005 s).
    # The anchor is the `go` keyword, a child of its go statement. The engine only analyses error-free
    # trees, where a statement starts the file or follows a separator: whitespace (Unicode's too: any
    # non-ASCII byte), NUL, `{`, `;`, `:`, or a comment's `*/`. The look-behinds, tried only where the
    # literal is found, drop other hits (`//go:build`, `"go/ast"`, `x.go`, `cgo`) before the tree is asked.
    # The `\b` comes first: it drops the `go` of `got`, `goroutine`, `good` in one byte's test (the
    # regex over the std lib: 0.035 s -> 0.030 s).
    anchors = ((re.compile(rb"go\b(?:(?<=[\s\0{;:\x80-\xff]go)|(?<=\*/go)|(?<=\Ago))"), 1),)
    roots = frozenset({"go_statement"})
    query = """
    (go_statement (call_expression function: (_) @fn) @call) @go
    """

    def run(self, package: Package, matches: list[Match]) -> Iterable[Finding]:
        analysis = Analysis(package)
        for m in matches:
            if m.file.build_ignored:
                continue  # a generator run by hand with `go run`: it exits right after its job
            go, call, fn = m.node("go"), m.node("call"), m.node("fn")
            if go is None or call is None or fn is None:
                continue
            found = analysis.leak(m.file, go, call, fn)
            if found is None:
                continue
            g, loop = found
            fix = analysis.fix(g, loop)
            if isinstance(fix, Fix):
                yield self.finding(m.file, go, _message(g, loop), fix)
            else:
                yield self.finding(m.file, go, f"{_message(g, loop)} (no fix: {fix})")
        for f, node, callee in analysis.followups():
            yield self.finding(
                f,
                node,
                f"follow-up: context.TODO() passed to `{callee}`, whose goroutine stops only when this "
                "context is cancelled, which never happens: pass a context the caller cancels",
            )


def _message(g: Goroutine, loop: Loop) -> str:
    ch = g.file.decode(loop.channels[0])
    if loop.kind == "range":
        return (
            f"goroutine never exits: it ranges over `{ch}`, which nothing closes, and nothing else stops it"
        )
    return (
        f"goroutine never exits: it loops forever receiving from `{ch}` with no return, break, "
        "quit channel or ctx.Done() case"
    )


# -- analysis ---------------------------------------------------------------------------------------


@dataclass
class Analysis:
    package: Package
    _index: PackageIndex | None = None
    # Package-level variables asked about: name -> (file's root, declaring spec, position) of the first
    # declaration, or None.
    _globals: dict[str, tuple[Node, Node, int] | None] | None = None

    @property
    def index(self) -> PackageIndex:
        if self._index is None:
            self._index = PackageIndex(self.package)
        return self._index

    # -- which goroutine ---------------------------------------------------------------------------

    def leak(self, f: SourceFile, go: Node, call: Node, fn: Node) -> tuple[Goroutine, Loop] | None:
        if _started_once(f, go):
            return None
        if self._loopless_here(f, go, call, fn):
            return None
        g = self.goroutine(f, go, call, fn)
        if g is None:
            return None
        loop = self.forever_loop(g)
        if loop is None:
            return None
        return g, loop

    def _loopless_here(self, f: SourceFile, go: Node, call: Node, fn: Node) -> bool:
        """Does the go statement's own file declare the function or method it names, without a forever
        loop? Then the goroutine does not leak: that declaration is either the package's only one of
        the name, the one `goroutine` would find, or one of several, and `goroutine` gives up.

        Asked first because it is cheap: the name is looked for in one file's bytes, where `goroutine`
        searches every file of the package (most functions run by `go` loop on no channel, and live
        next to the go statement).
        """
        name: Node | None = fn
        kind = "function_declaration"
        if fn.type == "selector_expression":
            operand = fn.child_by_field_name("operand")
            if (
                operand is not None
                and operand.type == "identifier"
                and f.decode(operand) in _package_names(f)
            ):
                return False  # `go pkg.F()`: `goroutine` drops it without a look-up
            name, kind = fn.child_by_field_name("field"), "method_declaration"
        elif fn.type != "identifier":
            return False
        if name is None:
            return False
        decl = _declared_in(f, f.text(name), kind)
        return decl is not None and self.forever_loop(Goroutine(f, go, call, f, decl, True)) is None

    def goroutine(self, f: SourceFile, go: Node, call: Node, fn: Node) -> Goroutine | None:
        if fn.type == "func_literal":
            return Goroutine(f, go, call, f, fn, False)
        if fn.type == "identifier":
            name = f.decode(fn)
            # A local or parameter of that name (`go fn()`, `fn` a func value) is asked about first: it
            # is looked for in the go statement's function, the declarations in every file.
            if self._shadowed(f, go, name):
                return None
            decls = self._declarations(name, "function_declaration")
            if len(decls) != 1:
                return None
            df, decl = decls[0]
            return Goroutine(f, go, call, df, decl, True)
        if fn.type == "selector_expression":
            operand, sel = fn.child_by_field_name("operand"), fn.child_by_field_name("field")
            if operand is None or sel is None:
                return None
            # A function of an imported package, asked first: the methods' look-ups search the package.
            if operand.type == "identifier" and f.decode(operand) in _package_names(f):
                return None
            method = f.decode(sel)
            decls = self._declarations(method, "method_declaration")
            if len(decls) != 1 or self.index.field_types(method):
                return None
            df, decl = decls[0]
            _, recv_type = goscope.receiver(df, decl)
            known = self.type_of(f, operand)
            if known is not None and known != recv_type:
                return None
            if known is None and is_exported(method):
                return None  # might be a method of a type from another package
            return Goroutine(f, go, call, df, decl, True)
        return None

    def _declarations(self, name: str, kind: str) -> list[tuple[SourceFile, Node]]:
        """The package's function (or method) declarations of ``name``: those of
        `PackageIndex.functions_named` (`methods_named`), read from the name's occurrences in the files
        holding it rather than from each such file's whole top level."""
        data = name.encode()
        if not data or "\ufffd" in name:  # not searchable as bytes: the index compares decoded names
            named = self.index.functions_named if kind == "function_declaration" else self.index.methods_named
            return named(name)
        return [(sf, decl) for sf in self.index.files_with(data) for decl in _declarations_in(sf, data, kind)]

    def _shadowed(self, f: SourceFile, at: Node, name: str) -> bool:
        decl = declared_function(at)
        return decl is not None and bool(self.index.value_uses_within(f, decl, name))

    def type_of(self, f: SourceFile, expr: Node) -> str | None:
        """The base type name of an identifier, when its declaration says it plainly."""
        if expr.type != "identifier":
            return None
        name = f.decode(expr)
        for fn in goscope.enclosing_functions(expr):
            if fn.type == "method_declaration":
                recv_name, recv_type = goscope.receiver(f, fn)
                if recv_name == name:
                    return recv_type
            for p in goscope.parameters(f, fn):
                if p.name == name:
                    return goscope.base_type_name(f, p.type)
            for stmt in goscope.preceding_statements(expr, fn):
                for declared, i, node in goscope.declared_positions(f, stmt):
                    if declared == name:
                        return self._declared_type(f, node, i)
        return None

    def _declared_type(self, f: SourceFile, node: Node, i: int) -> str | None:
        type_node = node.child_by_field_name("type")
        if type_node is not None:
            return goscope.base_type_name(f, type_node)
        right = node.child_by_field_name("right") or node.child_by_field_name("value")
        if right is None or len(right.named_children) <= i:
            return None
        value = right.named_children[i]
        if value.type == "unary_expression" and value.named_children:
            value = value.named_children[-1]
        if value.type == "composite_literal":
            return goscope.base_type_name(f, value.child_by_field_name("type"))
        if value.type == "call_expression":
            callee = value.child_by_field_name("function")
            args = goscope.argument_nodes(value)
            if callee is not None and f.text(callee) == b"new" and args:
                return goscope.base_type_name(f, args[0])
            if callee is not None and callee.type == "identifier":
                decls = self.index.functions_named(f.decode(callee))
                if len(decls) == 1:
                    _, results = goscope.result_types(decls[0][1])
                    if results:
                        return goscope.base_type_name(decls[0][0], results[0])
        return None

    # -- which loop ------------------------------------------------------------------------------

    def forever_loop(self, g: Goroutine) -> Loop | None:
        stmts = statements(g.func.child_by_field_name("body"))
        for stmt in stmts:
            loop, label = stmt, None
            if stmt.type == "labeled_statement":
                label_node = stmt.child_by_field_name("label")
                label = g.file.decode(label_node) if label_node is not None else None
                inner = [c for c in stmt.named_children if c.type == "for_statement"]
                if not inner:
                    continue
                loop = inner[0]
            if loop.type != "for_statement":
                continue
            found = self._loop(g, stmt, loop, label)
            if found is not None:
                return found
        return None

    def _loop(self, g: Goroutine, stmt: Node, loop: Node, label: str | None) -> Loop | None:
        f = g.file
        body = loop.child_by_field_name("body")
        if body is None:
            return None
        clauses = [c for c in loop.named_children if c != body and c.type != "comment"]
        found: Loop | None = None
        allowed: set[tuple[int, int]] = set()  # the receives the loop is built on
        if len(clauses) == 1 and clauses[0].type == "range_clause":
            right = clauses[0].child_by_field_name("right")
            if right is None or not _plain_channel(f, right):
                return None
            found = Loop("range", stmt, loop, label, (right,))
        elif not clauses:
            parts = statements(body)
            selects = [s for s in parts if s.type == "select_statement"]
            receives = [s for s in parts if _receive_of(s) is not None]
            if len(selects) == 1 and not receives:
                channels = _select_channels(selects[0])
                if not channels or not all(_plain_channel(f, c) for c in channels):
                    return None
                allowed = {(c.parent.start_byte, c.parent.end_byte) for c in channels if c.parent is not None}
                found = Loop("select", stmt, loop, label, tuple(channels), select=selects[0])
            elif len(receives) == 1 and not selects:
                recv = _receive_of(receives[0])
                if recv is None or recv.parent is None:
                    return None
                ch = recv.child_by_field_name("operand")
                if ch is None or not _plain_channel(f, ch):
                    return None
                allowed = {(recv.start_byte, recv.end_byte)}
                found = Loop("receive", stmt, loop, label, (ch,), receive=receives[0])
        if found is None or any(self._global_channel(f, ch) for ch in found.channels):
            return None
        if _other_channel_ops(body, allowed) or self._has_exit(f, loop, body, label):
            return None
        found = dataclasses.replace(found, sends=tuple(_walk(body, frozenset({"send_statement"}))))
        if found.kind == "range" and not self._never_closed(g, found.channels[0], 0):
            return None
        return found

    def _global_channel(self, f: SourceFile, expr: Node) -> bool:
        """A package-level channel (or one gofixer cannot place): anyone may still send on it, so a
        goroutine waiting on it is a service that lives as long as the program, not a leak."""
        if expr.type == "identifier":
            where = self._declaration(f, expr)
            return where is None or where[0] == "global"
        operand = expr.child_by_field_name("operand")
        return operand is not None and operand.type == "identifier" and f.decode(operand) in _package_names(f)

    def _has_exit(self, f: SourceFile, loop: Node, body: Node, label: str | None) -> bool:
        kinds = frozenset({"return_statement", "goto_statement", "break_statement", "call_expression"})
        for node in _walk(body, kinds):
            if node.type in ("return_statement", "goto_statement"):
                return True
            if node.type == "break_statement":
                target = node.named_children[0] if node.named_children else None
                if target is not None:
                    if f.decode(target) == label:
                        return True
                    continue
                breakable = next((a for a in ancestors(node, loop) if a.type in BREAKABLE), loop)
                if breakable == loop:
                    return True
            elif node.type == "call_expression":
                callee = node.child_by_field_name("function")
                if callee is not None and EXIT_CALL.match(f.decode(callee)):
                    return True
        return False

    # -- is a ranged channel ever closed? -----------------------------------------------------------

    def _never_closed(self, g: Goroutine, expr: Node, depth: int) -> bool:
        """Sure that nothing closes the channel ``expr`` (in ``g.file`` or ``g.go_file``) ranges over."""
        f = g.file if _inside(expr, g.func) else g.go_file
        name = last_name(f, expr)
        if name is None or self.index.is_closed(name) or depth > 3:
            return False
        if expr.type == "selector_expression":
            return self._field_never_closed(name)
        if expr.type != "identifier":
            return False
        where = self._declaration(f, expr)
        if where is None:
            return False
        kind, scope, node, i = where
        if kind == "param":
            if scope == g.func and g.func.type == "func_literal" and not g.named:
                args = goscope.argument_nodes(g.call)
                return i < len(args) and self._never_closed(g, args[i], depth + 1)
            if scope == g.func and g.named:
                sites = self._call_sites(g.file, g.func)
                if sites is None:
                    return False
                for sf, call in sites:
                    args = goscope.argument_nodes(call)
                    if i >= len(args) or sf != g.go_file or call != g.call:
                        return False  # called elsewhere too: its channels come from who knows where
                    if not self._never_closed(g, args[i], depth + 1):
                        return False
                return True
            return False  # a parameter of the starting function: the caller owns the channel
        if kind == "global":
            return False
        # a local: a channel made here, used only to send, receive, range and measure
        if not _is_chan_decl(f, node, i):
            return False
        for ident in goscope.identifiers(scope):
            if f.decode(ident) == name and not _plain_use(f, ident, node, g.call):
                return False
        return True

    def _declaration(self, f: SourceFile, ident: Node) -> tuple[str, Node, Node, int] | None:
        """Where an identifier is declared: ("param" | "local" | "global", scope, declaring node, index)."""
        name = f.decode(ident)
        for fn in goscope.enclosing_functions(ident):
            for stmt in goscope.preceding_statements(ident, fn):
                for declared, i, node in goscope.declared_positions(f, stmt):
                    if declared == name:
                        return "local", fn, node, i
            for p in goscope.parameters(f, fn):
                if p.name == name:
                    return "param", fn, p.declaration, p.index
        found = self._global(name)
        return None if found is None else ("global", *found)

    def _global(self, name: str) -> tuple[Node, Node, int] | None:
        """The first package-level var declaration of ``name``: looked for only in the files whose bytes
        hold the name (all files when it is not searchable as bytes)."""
        if self._globals is None:
            self._globals = {}
        if name in self._globals:
            return self._globals[name]
        searchable = bool(name) and "\ufffd" not in name
        files = self.index.files_with(name.encode()) if searchable else self.package.files
        found = None
        for sf in files:
            for decl in sf.root.named_children:
                if decl.type == "var_declaration":
                    for declared, i, node in goscope.declared_positions(sf, decl):
                        if declared == name:
                            found = (sf.root, node, i)
                            break
                    if found is not None:
                        break
            if found is not None:
                break
        self._globals[name] = found
        return found

    def _field_never_closed(self, name: str) -> bool:
        types = self.index.field_types(name)
        if is_exported(name) or not types or any(t.type != "channel_type" for t in types):
            return False
        # Every store into the field must be a fresh channel: otherwise it aliases one closed elsewhere.
        for f in self.package.files:
            for node in walk_types(f.root, frozenset({"keyed_element", "assignment_statement"})):
                if node.type == "keyed_element":
                    key, value = node.child_by_field_name("key"), node.child_by_field_name("value")
                    if key is None or value is None or f.decode(key) != name:
                        continue
                    if value.type == "literal_element" and value.named_children:
                        value = value.named_children[0]
                    if not _is_make_chan(f, value):
                        return False
                else:
                    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
                    if left is None or right is None:
                        continue
                    for i, target in enumerate(left.named_children):
                        if target.type == "selector_expression" and last_name(f, target) == name:
                            values = right.named_children
                            if i >= len(values) or not _is_make_chan(f, values[i]):
                                return False
        return True

    def _call_sites(self, f: SourceFile, decl: Node) -> list[tuple[SourceFile, Node]] | None:
        name = function_name(f, decl)
        table = self.index.function_calls if decl.type == "function_declaration" else self.index.method_calls
        # A `//go:build ignore` file is not part of the package's build: its calls are left alone.
        return [(sf, call) for sf, call in table(name) if not sf.build_ignored]

    # -- where does a channel come from? ------------------------------------------------------------

    def birth(self, f: SourceFile, expr: Node, depth: int = 0) -> Birth:
        """Where the channel ``expr`` (or the variable holding it: `s` of `s.reqs`) comes from, seen from
        the function declaration around ``expr``."""
        node = expr
        while node.type in ("selector_expression", "parenthesized_expression", "index_expression"):
            inner = node.child_by_field_name("operand")
            if inner is None and node.named_children:
                inner = node.named_children[0]
            if inner is None:
                return UNKNOWN
            node = inner
        if _creates(f, node):
            return Birth("here", node)
        if node.type != "identifier" or depth > 4:
            return UNKNOWN
        name = f.decode(node)
        for fn in goscope.enclosing_functions(node):
            for stmt in goscope.preceding_statements(node, fn):
                for declared, i, decl in goscope.declared_positions(f, stmt):
                    if declared != name:
                        continue
                    value = _declared_value(decl, i)
                    if value is None or _creates(f, value):
                        return Birth("here", decl)
                    if value.type in ("identifier", "selector_expression"):
                        return self.birth(f, value, depth + 1)
                    return UNKNOWN
            for p in goscope.parameters(f, fn):
                if p.name != name:
                    continue
                if fn.type != "func_literal":
                    return Birth("param", index=p.index)
                call = fn.parent  # a literal called on the spot: `go func(ch chan int) {...}(jobs)`
                if (
                    call is not None
                    and call.type == "call_expression"
                    and call.child_by_field_name("function") == fn
                ):
                    args = goscope.argument_nodes(call)
                    if p.index < len(args):
                        return self.birth(f, args[p.index], depth + 1)
                return UNKNOWN
            if fn.type == "method_declaration" and goscope.receiver(f, fn)[0] == name:
                return Birth("receiver")
        return UNKNOWN

    def lift(self, b: Birth, f: SourceFile, call: Node) -> Birth:
        """``b`` seen from the function making ``call``: a channel made in the callee is made "below"."""
        if b.kind in ("here", "below"):
            return BELOW
        if b.kind == "param":
            args = goscope.argument_nodes(call)
            return self.birth(f, args[b.index]) if b.index < len(args) else UNKNOWN
        if b.kind == "receiver":
            callee = call.child_by_field_name("function")
            operand = callee.child_by_field_name("operand") if callee is not None else None
            return self.birth(f, operand) if operand is not None else UNKNOWN
        return UNKNOWN

    # -- the fix -----------------------------------------------------------------------------------

    def fix(self, g: Goroutine, loop: Loop) -> Fix | str:
        """The fix, or why there is none."""
        planner = Planner(self, g, origin_calls={(g.go_file.path, g.call.start_byte)})
        try:
            births = tuple(self.birth(g.file, ch) for ch in loop.channels)
            ctx = planner.ctx_at(g.file, loop.loop, True, births)
            planner.rewrite_loop(g, loop, ctx)
        except NoFix as exc:
            return str(exc)
        return planner.result()

    # -- follow-ups ------------------------------------------------------------------------------

    def followups(self) -> Iterator[tuple[SourceFile, Node, str]]:
        """`context.TODO()` handed to a function whose goroutine only stops when that context is done."""
        if not any(_TODO_CALL.search(f.data) for f in self.package.files):
            return
        called = self._todo_callees()
        if not called:
            return
        stoppers = self._stoppers(called)
        if not stoppers:
            return
        sites = [
            (f, call, name)
            for calls in (self.index.function_calls, self.index.method_calls)
            for name in sorted(stoppers)
            for f, call in calls(name)
        ]
        for f, call, name in sorted(sites, key=lambda s: (s[0].path, s[1].start_byte)):
            ctx_pkg = f.local_name("context")
            args = goscope.argument_nodes(call)
            if ctx_pkg is not None and args and f.text(args[0]) == f"{ctx_pkg}.TODO()".encode():
                yield f, args[0], name

    def _todo_callees(self) -> set[str]:
        """Every name in the callee of a call with an argument spelled `context.TODO()` (the package's
        name for context): a superset of the names whose calls `followups` reports."""
        names: set[str] = set()
        for f in self.package.files:
            ctx_pkg = f.local_name("context") if _TODO_CALL.search(f.data) else None
            if ctx_pkg is None:
                continue
            todo = f"{ctx_pkg}.TODO()".encode()
            data, size = f.data, len(todo)
            at = data.find(todo)
            while at >= 0:
                # The nodes spelling exactly these bytes, the argument among them.
                node: Node | None = f.root.descendant_for_byte_range(at, at + size)
                while node is not None and node.start_byte == at and node.end_byte == at + size:
                    parent = node.parent
                    callee: Node | None = None
                    if parent is not None and parent.type == "argument_list" and parent.parent is not None:
                        callee = parent.parent.child_by_field_name("function")
                    elif parent is not None and parent.type == "type_conversion_expression":
                        callee = parent.child_by_field_name("type")
                    if callee is not None:
                        names.update(f.decode(n) for n in walk_types(callee, _CALLEE_NAMES))
                    node = parent
                at = data.find(todo, at + 1)
        return names

    def _stoppers(self, wanted: set[str]) -> set[str]:
        """Which of ``wanted`` name functions whose first parameter, a context, is what stops a
        goroutine they start (themselves, or a function they hand that context to, and so on)."""
        params: dict[str, tuple[SourceFile, Node, str] | None] = {}

        def param(name: str) -> tuple[SourceFile, Node, str] | None:
            """The function or method ``name``, the only one of its kind, whose first parameter is a named
            context; when both a function and a method qualify, the method (as the rule always had it)."""
            if name not in params:
                found = None
                for decls in (self.index.functions_named(name), self.index.methods_named(name)):
                    if len(decls) != 1:
                        continue
                    f, decl = decls[0]
                    ctx_pkg = f.local_name("context")
                    ps = goscope.parameters(f, decl)
                    if ctx_pkg and ps and ps[0].name and f.decode(ps[0].type) == f"{ctx_pkg}.Context":
                        found = (f, decl, ps[0].name)
                params[name] = found
            return params[name]

        started: set[str | None] | None = None

        def stops(name: str) -> bool:
            """Does the function itself wait on its context's Done() in a goroutine?"""
            nonlocal started
            entry = param(name)
            if entry is None:
                return False
            f, decl, ctx = entry
            done = f"{ctx}.Done()".encode()
            if done not in f.text(decl):
                return False
            if any(done in f.text(go) for go in walk_types(decl, frozenset({"go_statement"}))):
                return True
            if started is None:
                started = {
                    last_name(sf, fn)
                    for sf in self.package.files
                    for go in walk_types(sf.root, frozenset({"go_statement"}))
                    for fn in [_go_callee(go)]
                    if fn is not None
                }
            return name in started

        def hands_to(name: str) -> Iterator[str]:
            """The functions with a context parameter that ``name`` calls with its own context."""
            entry = param(name)
            if entry is None:
                return
            f, decl, ctx = entry
            for call in walk_types(decl, frozenset({"call_expression"})):
                callee = call.child_by_field_name("function")
                if callee is None or not any(f.decode(a) == ctx for a in goscope.argument_nodes(call)):
                    continue
                target = last_name(f, callee)
                if target is not None and param(target) is not None:
                    yield target

        # A stopper stops by itself or reaches, through such calls, a function that does.
        out: set[str] = set()
        for name in wanted:
            if param(name) is None:
                continue
            seen, stack = {name}, [name]
            while stack:
                current = stack.pop()
                if stops(current):
                    out.add(name)
                    break
                for target in hands_to(current):
                    if target not in seen:
                        seen.add(target)
                        stack.append(target)
        return out


# -- planning a fix ---------------------------------------------------------------------------------


@dataclass
class Planner:
    """Collects the edits that thread a context from where one exists to the goroutine's loop."""

    analysis: Analysis
    goroutine: Goroutine
    origin_calls: set[tuple[str, int]]
    edits: dict[tuple[str, int, int], Edit] = field(default_factory=dict)
    imports: set[str] = field(default_factory=set)
    ctx_of: dict[tuple[str, int], str] = field(default_factory=dict)  # function -> its new ctx name
    boundaries: list[str] = field(default_factory=list)
    unsafe: bool = False

    @property
    def package(self) -> Package:
        return self.analysis.package

    @property
    def index(self) -> PackageIndex:
        return self.analysis.index

    def add(self, f: SourceFile, start: int, end: int, text: str) -> None:
        key = (f.path, start, end)
        if key in self.edits:
            raise NoFix("two edits would land on one spot")
        self.edits[key] = Edit(f.path, start, end, text.encode())

    def result(self) -> Fix:
        desc = "Stop the goroutine when a context is done"
        if self.boundaries:
            desc += "; context.TODO() passed where " + ", ".join(sorted(set(self.boundaries)))
        return Fix(
            desc,
            tuple(sorted(self.edits.values())),
            tuple(AddImport(p, "context") for p in sorted(self.imports)),
            Applicability.UNSAFE if self.unsafe else Applicability.SAFE,
        )

    def context_pkg(self, f: SourceFile) -> str:
        local = f.local_name("context")
        if local is not None:
            return local
        if f.dot_imports("context") or goscope.uses_name(f, f.root, "context"):
            raise NoFix("`context` names something else in this file")
        self.imports.add(f.path)
        return "context"

    # -- finding or making a context ---------------------------------------------------------------

    def ctx_at(self, f: SourceFile, at: Node, origin: bool, births: tuple[Birth, ...]) -> str:
        """A context for ``at``; ``births``: where the goroutine's channels come from, seen from there."""
        found = self.lexical_ctx(f, at)
        if found is not None:
            return self.reuse(f, at, origin, births, found)
        decl = declared_function(at)
        if decl is None:
            if origin:
                raise NoFix("the goroutine is started outside any function")
            return self.todo(f, "a package-level initializer calls a function that now needs a context")
        key = (f.path, decl.start_byte)
        if key in self.ctx_of:
            return self.ctx_of[key]
        name = function_name(f, decl)
        if decl.type == "function_declaration" and name == "main" and self.package.name == "main":
            return self.main_ctx(f, decl)
        if self.name_blank_ctx(f, decl, births):
            return self.ctx_of[key]
        reason = self.boundary(f, decl, origin)
        if reason is not None:
            if origin:
                raise NoFix(f"`{name}` {reason}")
            return self.todo(f, f"`{name}` {reason}")
        if is_exported(name):
            self.unsafe = True
        self.add_param(f, decl, births)
        return self.ctx_of[key]

    def reuse(self, f: SourceFile, at: Node, origin: bool, births: tuple[Birth, ...], found: CtxFound) -> str:
        """``found``, a context in scope, if the goroutine may stop with it."""
        # A context the goroutine's own function receives was handed to it on purpose by its starter.
        if not (origin and found.scope == self.goroutine.func):
            for b in births:
                if not _lives_within(b, found):
                    raise NoFix(
                        f"the goroutine outlives the call that has `{found.text}`, and its channel comes "
                        "from outside that call (a field, a parameter, a shared variable): the caller's "
                        "context may end while others still send"
                    )
        if found.scope == enclosing_function(at) or not _written(f, found):
            return found.text
        # The goroutine's closure would read a variable the function assigns again: a data race.
        go = self.goroutine.go
        if (
            not origin
            or self.goroutine.named
            or not in_statement_list(go)
            or f.path != self.goroutine.go_file.path
        ):
            raise NoFix(f"`{found.base}` is assigned again while a closure would read it")
        fresh = next((n for n in CTX_COPY_NAMES if not goscope.uses_name(f, f.root, n)), None)
        if fresh is None:
            raise NoFix("no free name for a copy of the context")
        self.add(
            f, go.start_byte, go.start_byte, f"{fresh} := {found.text}\n{f.indent_at(go.start_byte).decode()}"
        )
        return fresh

    def name_blank_ctx(self, f: SourceFile, decl: Node, births: tuple[Birth, ...]) -> bool:
        """Name a `_` (or unnamed) context parameter `ctx` rather than adding a second one."""
        ctx_pkg = f.local_name("context")
        params = goscope.parameters(f, decl)
        blank = next(
            (
                p
                for p in params
                if p.name in (None, "_") and ctx_pkg and f.decode(p.type) == f"{ctx_pkg}.Context"
            ),
            None,
        )
        if blank is None or goscope.uses_name(f, decl, "ctx"):
            return False
        if not all(_lives_within(b, CtxFound("ctx", "ctx", decl, None)) for b in births):
            raise NoFix(
                f"`{function_name(f, decl)}` takes a context it ignores, but its goroutine outlives the call "
                "and its channel comes from outside it: the caller's context may end while others still send"
            )
        if blank.name == "_":
            name = blank.declaration.child_by_field_name("name")
            assert name is not None
            self.add(f, name.start_byte, name.end_byte, "ctx")
        else:  # Go does not mix named and unnamed parameters: the others become `_`
            for p in params:
                at = p.declaration.start_byte
                self.add(f, at, at, "ctx " if p is blank else "_ ")
        self.ctx_of[(f.path, decl.start_byte)] = "ctx"
        return True

    def todo(self, f: SourceFile, why: str) -> str:
        self.boundaries.append(why)
        return f"{self.context_pkg(f)}.TODO()"

    def lexical_ctx(self, f: SourceFile, at: Node) -> CtxFound | None:
        ctx_pkg = f.local_name("context")
        http = f.local_name("net/http")
        testing = f.local_name("testing")
        version = self.package.go_version or (0, 0)
        for fn in goscope.enclosing_functions(at):
            for stmt in goscope.preceding_statements(at, fn):
                for name, i, node in goscope.declared_positions(f, stmt):
                    if name != "_" and _is_context_value(f, node, i, ctx_pkg):
                        return CtxFound(name, name, fn, node)
            for p in goscope.parameters(f, fn):
                if p.name is None or p.name == "_":
                    continue
                t = f.decode(p.type)
                if ctx_pkg is not None and t == f"{ctx_pkg}.Context":
                    return CtxFound(p.name, p.name, fn, None)
                if http is not None and t == f"*{http}.Request":
                    return CtxFound(f"{p.name}.Context()", p.name, fn, None)
                if testing is not None and version >= (1, 24) and t in {f"*{testing}.{k}" for k in "TBF"}:
                    return CtxFound(f"{p.name}.Context()", p.name, fn, None)
        return None

    def boundary(self, f: SourceFile, decl: Node, origin: bool) -> str | None:
        """Why ``decl`` must keep its signature, or None when it may take a ctx parameter."""
        name = function_name(f, decl)
        if goscope.uses_name(f, decl, "ctx"):
            return "already uses the name ctx"
        if decl.type == "function_declaration":
            if name == "init":
                return "is init"
            if len(self.index.functions_named(name)) != 1:
                return "is declared more than once"
            if self.index.is_value(name):
                return "is used as a value"
            if is_exported(name) and not origin:
                return "is exported"
            return None
        if self.index.is_interface_method(name) or name in WELL_KNOWN_METHODS:
            return "is an interface method"
        if self.index.is_method_value(name) or self.index.field_types(name):
            return "is used as a value"
        if len(self.index.methods_named(name)) != 1:
            return "is declared on several types"
        if is_exported(name):
            if not origin:
                return "is exported"
            _, recv_type = goscope.receiver(f, decl)
            for sf, call in self.index.method_calls(name):
                callee = call.child_by_field_name("function")
                operand = callee.child_by_field_name("operand") if callee is not None else None
                if operand is None or self.analysis.type_of(sf, operand) != recv_type:
                    return "is called on values gofixer cannot type"
        return None

    def main_ctx(self, f: SourceFile, decl: Node) -> str:
        body = decl.child_by_field_name("body")
        if body is None or goscope.uses_name(f, decl, "ctx") or goscope.uses_name(f, decl, "cancel"):
            raise NoFix("`main` already uses the name ctx or cancel")
        p = self.context_pkg(f)
        text = f"\n\tctx, cancel := {p}.WithCancel({p}.Background())\n\tdefer cancel()"
        rest = f.data[body.start_byte + 1 : f.line_end(body.start_byte)].strip()
        if rest and not rest.startswith(b"//"):
            text += "\n\t"  # a one-line body: its statements go on a line of their own
        self.add(f, body.start_byte + 1, body.start_byte + 1, text)
        self.ctx_of[(f.path, decl.start_byte)] = "ctx"
        return "ctx"

    def add_param(self, f: SourceFile, decl: Node, births: tuple[Birth, ...]) -> None:
        self.ctx_of[(f.path, decl.start_byte)] = "ctx"
        plist = decl.child_by_field_name("parameters")
        if plist is None:
            raise NoFix("a function without a parameter list")
        params = goscope.parameters(f, decl)
        text = f"ctx {self.context_pkg(f)}.Context"
        at = plist.start_byte + 1
        unnamed = [p for p in params if p.name is None]
        if params:
            text += ", "
        for p in unnamed:  # Go does not mix named and unnamed parameters
            if p.declaration.start_byte == at:
                text += "_ "
            else:
                self.add(f, p.declaration.start_byte, p.declaration.start_byte, "_ ")
        self.add(f, at, at, text)
        sites = self.analysis._call_sites(f, decl)
        for sf, call in sites or []:
            spot = goscope.open_paren(call)
            if spot is None:
                raise NoFix("a call without an argument list")
            pos, empty = spot
            origin = (sf.path, call.start_byte) in self.origin_calls
            lifted = tuple(self.analysis.lift(b, sf, call) for b in births)
            ctx = self.ctx_at(sf, call, origin, lifted)
            self.add(sf, pos, pos, ctx if empty else ctx + ", ")

    # -- rewriting the loop ------------------------------------------------------------------------

    def rewrite_loop(self, g: Goroutine, loop: Loop, ctx: str) -> None:
        f = g.file
        exit_stmt = self.exit_statement(g, loop)
        done = f"case <-{ctx}.Done():"
        for send in loop.sends:  # a send nobody receives blocks as surely as a receive
            if not in_statement_list(send):
                raise NoFix("a send outside a statement list")
            i = f.indent_at(send.start_byte).decode()
            text = f"select {{\n{i}{done}\n{i}\t{exit_stmt}\n{i}case {f.decode(send)}:\n{i}}}"
            self.add(f, send.start_byte, send.end_byte, text)
        if loop.kind == "select":
            assert loop.select is not None
            first = next(c for c in loop.select.named_children if c.type == "communication_case")
            start = f.line_starts[f.line_of(first.start_byte)]
            indent = f.indent_at(first.start_byte).decode()
            if f.data[start : first.start_byte].strip():
                self.add(f, first.start_byte, first.start_byte, f"{done}\n{exit_stmt}\n")
            else:
                self.add(f, start, start, f"{indent}{done}\n{indent}\t{exit_stmt}\n")
            return
        ch = f.decode(loop.channels[0])
        ok = _fresh(f, g.func, ("ok", "open", "more", "alive"))
        body = loop.loop.child_by_field_name("body")
        assert body is not None
        if loop.kind == "range":
            clause = next(c for c in loop.loop.named_children if c.type == "range_clause")
            left = clause.child_by_field_name("left")
            if left is not None and b":=" not in f.data[left.end_byte : clause.end_byte]:
                raise NoFix("the loop assigns to variables declared outside it")
            value = f.decode(left.named_children[0]) if left is not None and left.named_children else "_"
            i = f.indent_at(loop.loop.start_byte).decode()
            head = (
                f"for {{\n{i}\tselect {{\n{i}\t{done}\n{i}\t\t{exit_stmt}\n"
                f"{i}\tcase {value}, {ok} := <-{ch}:\n{i}\t\tif !{ok} {{\n{i}\t\t\t{exit_stmt}\n{i}\t\t}}"
            )
            if f.data[body.start_byte + 1 : body.start_byte + 2] != b"\n":
                head += "\n"  # a one-line loop body: its statements must not follow the `}` directly
            self.add(f, loop.loop.start_byte, body.start_byte + 1, head)
            self._close_select(f, body, i)
            if loop.label is None and exit_stmt.startswith("break "):
                label = exit_stmt.removeprefix("break ")
                self.add(f, loop.loop.start_byte, loop.loop.start_byte, f"{label}:\n{i}")
            return
        recv_stmt = loop.receive
        assert recv_stmt is not None
        if recv_stmt.type == "short_var_declaration":
            left = recv_stmt.child_by_field_name("left")
            if left is None or len(left.named_children) != 1:
                raise NoFix("the receive already has an ok flag")
            value = f.decode(left.named_children[0])
        elif recv_stmt.type == "expression_statement":
            value = "_"
        else:
            raise NoFix("the receive assigns to variables declared outside the loop")
        i = f.indent_at(recv_stmt.start_byte).decode()
        text = (
            f"select {{\n{i}{done}\n{i}\t{exit_stmt}\n{i}case {value}, {ok} := <-{ch}:\n"
            f"{i}\tif !{ok} {{\n{i}\t\t{exit_stmt}\n{i}\t}}"
        )
        self.add(f, recv_stmt.start_byte, recv_stmt.end_byte, text)
        self._close_select(f, body, f.indent_at(loop.loop.start_byte).decode())

    def _close_select(self, f: SourceFile, body: Node, indent: str) -> None:
        close = body.end_byte - 1
        start = f.line_starts[f.line_of(close)]
        if f.data[start:close].strip():
            self.add(f, close, close, "}\n")
        else:
            self.add(f, start, start, f"{indent}\t}}\n")

    def exit_statement(self, g: Goroutine, loop: Loop) -> str:
        """`return` (with zero values) when nothing follows the loop; else a break out of it."""
        stmts = statements(g.func.child_by_field_name("body"))
        after = stmts[stmts.index(loop.statement) + 1 :] if loop.statement in stmts else []
        if loop.kind == "range" and after:
            if loop.label is not None:
                return f"break {loop.label}"
            used = {g.file.decode(n) for n in walk_types(g.func, frozenset({"label_name"}))}
            label = next(n for n in ("loop", "recvLoop", "consume", "drain") if n not in used)
            return f"break {label}"
        named, results = goscope.result_types(g.func)
        if named or not results:
            return "return"
        return "return " + ", ".join(_zero(g.file, t) for t in results)


# -- small syntax helpers ---------------------------------------------------------------------------


def _walk(node: Node, types: frozenset[str]) -> Iterator[Node]:
    """Like walk_types, but does not enter func literals: their returns and breaks are their own."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type in types:
            yield n
        if n.type == "func_literal" and n != node:
            continue
        stack.extend(reversed(n.children))


def _declared_in(f: SourceFile, name: bytes, kind: str) -> Node | None:
    """The first ``kind`` node (a function or method declaration) of ``f`` whose name is ``name``."""
    return next(_declarations_in(f, name, kind), None)


def _declarations_in(f: SourceFile, name: bytes, kind: str) -> Iterator[Node]:
    """The ``kind`` nodes (function or method declarations) of ``f`` whose name is ``name``, in order.

    Found from the name's occurrences as a word in the file's bytes, not from a walk of the file's top
    level. A declared name follows `func` or a method receiver's `)`, with only whitespace or comments
    between: the regex keeps the occurrences right after whitespace, `)`, `/` or a non-ASCII byte
    (tree-sitter's whitespace includes Unicode's), and the tree is asked only about those whose last
    byte before (whitespace skipped) is a `c`, a `)`, a comment's `/`, a non-ASCII byte, or is on a line
    holding `//` (the end of a line comment). Calls and uses of the name, almost all of its
    occurrences, are dropped without a look at the tree (in a tree with syntax errors, which may glue
    tokens together, every occurrence is looked at).
    """
    data = f.data
    size = len(name)
    if not size:
        return
    exact = not f.root.has_error
    for m in (_declared_name_pattern(name) if exact else word_pattern(name)).finditer(data):
        at = m.start()
        before = at - 1
        while before >= 0 and data[before] in _SPACE_BYTES:
            before -= 1
        if (
            exact
            and before >= 0
            and data[before] < 0x80
            and data[before] not in _BEFORE_DECLARED_NAME
            and (
                data.find(b"\n", before, at) < 0
                or data.find(b"//", data.rfind(b"\n", 0, before) + 1, before) < 0
            )
        ):
            continue
        node = f.root.descendant_for_byte_range(at, at + size)
        parent = node.parent if node is not None else None
        if (
            node is not None
            and parent is not None
            and parent.type == kind
            and node.start_byte == at
            and node.end_byte == at + size
            and parent.child_by_field_name("name") == node
        ):
            yield parent


@functools.lru_cache(maxsize=1024)
def _declared_name_pattern(name: bytes) -> re.Pattern[bytes]:
    """``name`` as a word right after whitespace, a `)`, a comment's `/` or a non-ASCII byte: where a
    declared name can be in an error-free tree (`x.name`, `(name`, `!name`... are dropped in C)."""
    word = re.escape(name)
    return re.compile(word + rb"(?![0-9A-Za-z_])(?<=[\s)/\x80-\xff]" + word + rb")")


_SPACE_BYTES = frozenset(b" \t\n\r\v\f")
# The last byte before a declared function's name: `func`'s `c`, a receiver's `)`, a comment's `/`.
_BEFORE_DECLARED_NAME = frozenset(b"c)/")


def _inside(node: Node, outer: Node) -> bool:
    return outer.start_byte <= node.start_byte and node.end_byte <= outer.end_byte and node.id != outer.id


_CALLEE_NAMES = frozenset({"identifier", "field_identifier", "type_identifier"})
# What every `context.TODO()` spells, searched literal first (`re` finds it faster than `in` would).
_TODO_CALL = re.compile(rb"TODO\(\)")


def _package_names(f: SourceFile) -> set[str]:
    return {n for names in f.imports.values() for n in names}


def _started_once(f: SourceFile, go: Node) -> bool:
    """A goroutine started from init or inside a sync.Once is meant to live as long as the program."""
    decl = declared_function(go)
    if decl is not None and decl.type == "function_declaration" and function_name(f, decl) == "init":
        return True
    # The `Do` of an enclosing call comes before the go statement: without one, no ancestor to look at.
    if f.data.find(b"Do", decl.start_byte if decl is not None else 0, go.start_byte) < 0:
        return False
    for parent in ancestors(go, decl):
        if parent.type == "call_expression":
            callee = parent.child_by_field_name("function")
            if callee is not None and callee.type == "selector_expression":
                sel = callee.child_by_field_name("field")
                if sel is not None and f.text(sel) == b"Do":
                    return True
    return False


def _receive_of(stmt: Node) -> Node | None:
    """The `<-ch` of a statement `<-ch`, `v := <-ch` or `v = <-ch`."""
    value: Node | None = None
    if stmt.type == "expression_statement" and stmt.named_children:
        value = stmt.named_children[0]
    elif stmt.type in ("short_var_declaration", "assignment_statement"):
        right = stmt.child_by_field_name("right")
        if right is not None and len(right.named_children) == 1:
            value = right.named_children[0]
    if value is not None and _is_receive(value):
        return value
    return None


def _is_receive(node: Node) -> bool:
    op = node.child_by_field_name("operator") if node.type == "unary_expression" else None
    return op is not None and op.type == "<-"


def _select_channels(select: Node) -> list[Node]:
    """The channels of a select whose cases all receive; empty when a case sends or is a default."""
    channels: list[Node] = []
    for case in select.named_children:
        if case.type == "comment":
            continue
        if case.type != "communication_case":
            return []
        comm = case.child_by_field_name("communication")
        if comm is None or comm.type != "receive_statement":
            return []
        right = comm.child_by_field_name("right")
        if right is None or not _is_receive(right):
            return []
        operand = right.child_by_field_name("operand")
        if operand is None:
            return []
        channels.append(operand)
    return channels


def _plain_channel(f: SourceFile, expr: Node) -> bool:
    """A channel named by a variable or a field, and not a stop signal, a timer or a call result."""
    if expr.type == "identifier":
        return not STOP_NAME.search(f.decode(expr))
    if expr.type == "selector_expression":
        operand, sel = expr.child_by_field_name("operand"), expr.child_by_field_name("field")
        if operand is None or sel is None or operand.type not in ("identifier", "selector_expression"):
            return False
        name = f.decode(sel)
        return name != "C" and not STOP_NAME.search(name) and not STOP_NAME.search(f.decode(operand))
    return False


def _other_channel_ops(body: Node, allowed: set[tuple[int, int]]) -> bool:
    """Does the loop select or receive anywhere but where it was matched (closures excluded)?"""
    for node in _walk(body, frozenset({"select_statement", "unary_expression"})):
        if node.type == "select_statement":
            if node.parent is not None and node.parent.parent == body and allowed:
                continue  # the loop's own select
            return True
        if _is_receive(node) and (node.start_byte, node.end_byte) not in allowed:
            return True
    return False


def _is_make_chan(f: SourceFile, value: Node) -> bool:
    if value.type != "call_expression":
        return False
    callee = value.child_by_field_name("function")
    args = goscope.argument_nodes(value)
    return callee is not None and f.text(callee) == b"make" and bool(args) and args[0].type == "channel_type"


def _is_chan_decl(f: SourceFile, node: Node, i: int) -> bool:
    type_node = node.child_by_field_name("type")
    if type_node is not None:
        return type_node.type == "channel_type"
    right = node.child_by_field_name("right") or node.child_by_field_name("value")
    return right is not None and i < len(right.named_children) and _is_make_chan(f, right.named_children[i])


def _plain_use(f: SourceFile, ident: Node, decl: Node | None, go_call: Node | None) -> bool:
    """A use of a channel variable that cannot close it nor hand it to someone who might."""
    parent = ident.parent
    if parent is None:
        return False
    if decl is not None and _inside(ident, decl):
        return True
    if parent.type == "send_statement" and parent.child_by_field_name("channel") == ident:
        return True
    if parent.type == "unary_expression" and _is_receive(parent):
        return True
    if parent.type == "range_clause" and parent.child_by_field_name("right") == ident:
        return True
    if parent.type == "argument_list" and parent.parent is not None:
        call = parent.parent
        callee = call.child_by_field_name("function")
        if callee is not None and f.text(callee) in (b"len", b"cap"):
            return True
        if go_call is not None and call == go_call:
            return True
    return False


def _is_context_value(f: SourceFile, node: Node, i: int, ctx_pkg: str | None) -> bool:
    """Is the ``i``-th name declared by ``node`` (a `:=` statement or a var spec) a context.Context?"""
    type_node = node.child_by_field_name("type")
    if type_node is not None:
        return ctx_pkg is not None and f.decode(type_node) == f"{ctx_pkg}.Context"
    left = node.child_by_field_name("left")
    names = len(left.named_children) if left is not None else len(node.children_by_field_name("name"))
    right = node.child_by_field_name("right") or node.child_by_field_name("value")
    if right is None:
        return False
    values = right.named_children
    if len(values) == names:
        value, index = values[i], 0
    elif len(values) == 1:
        value, index = values[0], i
    else:
        return False
    if value.type != "call_expression":
        return False
    callee = value.child_by_field_name("function")
    if callee is None or callee.type != "selector_expression":
        return False
    operand, sel = callee.child_by_field_name("operand"), callee.child_by_field_name("field")
    if operand is None or sel is None:
        return False
    method = f.decode(sel)
    pkg = f.decode(operand)
    if pkg == ctx_pkg and operand.type == "identifier":
        if method in CONTEXT_SINGLE:
            return index == 0 and names == 1
        return method in CONTEXT_RESULT0 and index == 0
    if method == "NotifyContext" and pkg == f.local_name("os/signal"):
        return index == 0
    return method == "Context" and not goscope.argument_nodes(value) and index == 0 and names == 1


def _creates(f: SourceFile, value: Node) -> bool:
    """Does the expression make a new value: `make(...)`, `new(T)`, `T{...}`, `&T{...}`?"""
    if value.type == "unary_expression" and value.named_children:
        value = value.named_children[-1]
    if value.type == "composite_literal":
        return True
    if value.type != "call_expression":
        return False
    callee = value.child_by_field_name("function")
    return callee is not None and f.text(callee) in (b"make", b"new")


def _declared_value(node: Node, i: int) -> Node | None:
    """The value given to the ``i``-th name of a `:=` statement or var spec (None: its zero value)."""
    right = node.child_by_field_name("right") or node.child_by_field_name("value")
    if right is None:
        return None
    values = right.named_children
    if len(values) <= i:  # `a, b := f()`: made by a call
        return values[0] if values else None
    return values[i]


def _lives_within(b: Birth, ctx: CtxFound) -> bool:
    """Is a channel born as ``b`` made while ``ctx`` lives, so that it cannot outlive ``ctx``'s scope?"""
    if b.kind == "below":
        return True
    if b.kind != "here" or b.node is None:
        return False
    node = b.node
    if ctx.declaration is None:  # a parameter: anything the function makes
        return ctx.scope.start_byte <= node.start_byte < ctx.scope.end_byte
    stmt = ctx.declaration
    while stmt.parent is not None and stmt.parent.type != "statement_list":
        stmt = stmt.parent
    block = stmt.parent
    return block is not None and stmt.start_byte <= node.start_byte < block.end_byte


def _written(f: SourceFile, ctx: CtxFound) -> bool:
    """Is the variable ``ctx`` reads assigned (or its address taken) anywhere but where it is declared?"""
    name = ctx.base.encode()
    for ident in goscope.identifiers(ctx.scope):
        parent = ident.parent
        if f.text(ident) != name or parent is None:
            continue
        if parent.type == "unary_expression" and f.text(parent).lstrip().startswith(b"&"):
            return True
        owner = parent.parent
        if (
            parent.type == "expression_list"
            and owner is not None
            and owner.child_by_field_name("left") == parent
            and owner != ctx.declaration
        ):
            return True
    return False


def _fresh(f: SourceFile, scope: Node, names: tuple[str, ...]) -> str:
    for name in names:
        if not goscope.uses_name(f, scope, name):
            return name
    raise NoFix("no free name for the ok flag")


def _zero(f: SourceFile, type_node: Node) -> str:
    text = f.decode(type_node)
    if type_node.type == "type_identifier":
        if ZERO_NUMERIC.match(text):
            return "0"
        if text == "string":
            return '""'
        if text == "bool":
            return "false"
        if text in ("error", "any"):
            return "nil"
    if type_node.type in NIL_TYPES:
        return "nil"
    return f"*new({text})"


def _go_callee(go: Node) -> Node | None:
    call = next((c for c in go.named_children if c.type == "call_expression"), None)
    return call.child_by_field_name("function") if call is not None else None
