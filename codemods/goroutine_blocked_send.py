"""goroutine-blocked-send: a goroutine sends on an unbuffered channel whose receiver may already be gone."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from tree_sitter import Node

from gofixer.codemod import Codemod, Match
from gofixer.model import Applicability, Edit, Finding, Fix
from gofixer.parsing import (
    FUNCTION_TYPES,
    INTEGER_TYPES,
    Package,
    SourceFile,
    ancestors,
    declaration_of,
    enclosing,
    enclosing_function,
    enclosing_loop,
    has_ancestor,
    identifiers_named,
    short_text,
    walk_types,
)

# The cases of a select other than the one receiving from the channel.
CASES = frozenset({"communication_case", "default_case"})
SWITCH_CASES = frozenset({"expression_case", "type_case", "default_case", "communication_case"})
SWITCHES = frozenset({"expression_switch_statement", "type_switch_statement", "select_statement"})
BREAKABLE = frozenset({"for_statement", *SWITCHES})
PARAMETERS = frozenset({"parameter_declaration", "variadic_parameter_declaration"})

# Node types a capacity expression may be built from: evaluating it early has no side effects.
PURE = frozenset(
    {
        "identifier",
        "selector_expression",
        "field_identifier",
        "int_literal",
        "binary_expression",
        "parenthesized_expression",
        "call_expression",
        "argument_list",
    }
)


class _Unknown(Exception):
    """How many values are sent cannot be told from the code."""


@dataclass(frozen=True)
class Capacity:
    """An upper bound on the values sent: a constant plus Go expressions, and whether it is certain."""

    const: int = 0
    exprs: tuple[str, ...] = ()
    certain: bool = True

    def __add__(self, other: Capacity) -> Capacity:
        return Capacity(self.const + other.const, self.exprs + other.exprs, self.certain and other.certain)

    def times(self, k: int) -> Capacity:
        exprs = tuple(e if k == 1 else f"{k}*{_paren(e)}" for e in self.exprs)
        return Capacity(self.const * k, exprs, self.certain)

    @property
    def symbolic(self) -> bool:
        return bool(self.exprs)

    def render(self) -> str:
        parts = list(self.exprs)
        if self.const or not parts:
            parts.append(str(self.const))
        return " + ".join(parts)


@dataclass
class Sender:
    go: Node  # the go statement
    body: Node  # the func literal's body
    sends: list[Node] = field(default_factory=list)


@dataclass(frozen=True)
class Receive:
    node: Node  # the `<-ch` expression, or the `for ... range ch` statement
    case: Node | None  # the select case whose communication it is
    loop: Node | None  # the innermost loop around it, inside the channel's scope


@dataclass
class Channel:
    file: SourceFile
    name: bytes
    stmt: Node  # the declaring statement, a child of `scope`
    scope: Node  # the statement_list that declares the channel
    func: Node  # the function declaring it
    call: Node  # make(chan T) or make(chan T, 0)
    senders: list[Sender] = field(default_factory=list)
    receives: list[Receive] = field(default_factory=list)


# `make(chan T)`, `make(<-chan T)`: in an error-free tree (the engine analyses no other) only whitespace
# and comments come between `make`, `(` and the channel type (a non-ASCII byte is let through too,
# should the grammar take it for a space). Every other `make` (of a slice or map, the word in a comment)
# is dropped in C. The repetition is possessive (`*+`): what it skips is never given back, so a run of
# comments is not cut into pieces every possible way when no `(` follows.
_GAP = rb"(?:[\s\x80-\xff]|/\*(?s:.*?)\*/|//[^\n]*)*+"
_MAKE_CHAN = re.compile(rb"make(?=" + _GAP + rb"\(" + _GAP + rb"(?:chan\b|<-))")
_SEND = re.compile(rb"<-")
_CHAN = re.compile(rb"chan")


class GoroutineBlockedSend(Codemod):
    """
    ## What it does
    Finds the "forgotten sender": a function makes an unbuffered channel (`make(chan T)` or
    `make(chan T, 0)`), starts a goroutine that sends on it, and then may leave without receiving:

    - a `select` around the receive has another case (`time.After`, `ctx.Done()`, another channel, a
      timer, `default`) that returns, or after which nothing receives from the channel;
    - a `return` comes between the `go` statement and the receive;
    - several goroutines send (a loop starts them, or several `go` statements) but fewer values are
      received, or the loop receiving them can stop early.

    Only channels that stay inside the function are considered: the channel is used for nothing but
    sends and `close` in goroutines started by the function, and receives in the function itself. A
    sender that selects on its send (with `ctx.Done()`, a done channel or `default`) can give up by
    itself and is not reported, nor is a receiver that always receives. A select case that waits on a
    local channel which only a sending goroutine closes or sends on, below all its sends and outside
    any loop (`close(ok)` after the error path's `errCh <- err; return`), does not count as a way out:
    once it is taken, that goroutine has no send pending.

    ## Why is this bad?
    A send on an unbuffered channel blocks until someone receives. Once the receiver has returned,
    nobody ever will: the goroutine blocks forever, and everything it references (its stack, the
    value it tried to send, the closure's variables) is never freed. A request handler with a timeout
    leaks one goroutine per timed-out request until the process runs out of memory.

    ## Example
    ```go
    func fetch(timeout time.Duration) (string, error) {
        ch := make(chan string)
        go func() {
            ch <- slowCall()
        }()
        select {
        case s := <-ch:
            return s, nil
        case <-time.After(timeout):
            return "", errors.New("timeout")
        }
    }
    ```
    Use instead:
    ```go
    func fetch(timeout time.Duration) (string, error) {
        ch := make(chan string, 1)
        ...
    ```
    The sender can always complete its send; the value is garbage collected with the channel.

    ## Fix safety
    The fix gives the channel room for every value that can be sent: 1 for one goroutine sending once,
    `len(items)` for goroutines started by a `range` over a slice, map, array or string, the bound of a
    counting loop (`n`, `n+1` for `<=`; wrapped in `max(n, 0)` unless it is a length, since a negative
    capacity panics), the sum for several `go` statements. When a goroutine sends in a loop, or the
    number of goroutines cannot be told (nested loops, `for cond`, a range over a call or a channel, a
    `goto` back to before the `go` statement), or the bound is not in scope where the channel is made,
    the finding has no fix and its message ends with why: `(no fix: ...)`.

    The fix is safe when the count is certain and every send is the goroutine's last action. It is
    unsafe when the ranged-over value's type cannot be read from the code (a variable set from a call,
    a field of a type from another package: `len(x)` is assumed, and the type-check rejects the fix if
    `x` has no length), or when a goroutine does more work after its send, deferred calls included
    (`defer wg.Done()`): with a buffer, that work no longer waits for the receiver. Types of
    parameters, local variables, and fields of struct types declared in the package are read from
    their declarations.
    """

    name = "goroutine-blocked-send"
    summary = "A goroutine sends on an unbuffered channel whose receiver can leave without receiving."
    prefilter = (b"chan",)  # every channel type spells it, `make /* c */ (chan T)` and `make(<-chan T)` too
    # The `make` of `ch := make(chan T)` / `var ch = make(chan T)`: three levels below the declaration.
    anchors = ((_MAKE_CHAN, 3),)
    roots = frozenset({"short_var_declaration", "var_spec"})
    query = """
    (short_var_declaration
      left: (expression_list . (identifier) @name .)
      right: (expression_list . (call_expression
        function: (identifier) @make (#eq? @make "make")
        arguments: (argument_list . (channel_type))) @call .)) @decl
    (var_spec
      name: (identifier) @name
      value: (expression_list . (call_expression
        function: (identifier) @make (#eq? @make "make")
        arguments: (argument_list . (channel_type))) @call .)) @decl
    """

    @classmethod
    def skip_file(cls, f: SourceFile, package: Package) -> bool:
        # A finding needs a channel made here (`chan`) and a goroutine of the same function sending on it
        # (`<-`): both in this file. `re` finds a short literal some two times faster than `in`.
        data = f.data
        return _SEND.search(data) is None or _CHAN.search(data) is None

    def run(self, package: Package, matches: list[Match]) -> Iterable[Finding]:
        for m in matches:
            decl, name, call = m.node("decl"), m.node("name"), m.node("call")
            if decl is None or name is None or call is None:
                continue
            found = self._check(m.file, package, decl, name, call)
            if found is not None:
                yield found

    # -- matching --------------------------------------------------------------------------------

    def _check(self, f: SourceFile, package: Package, decl: Node, name: Node, call: Node) -> Finding | None:
        if decl.type == "var_spec" and len(decl.children_by_field_name("name")) != 1:
            return None
        stmt = decl
        while stmt.parent is not None and stmt.parent.type in ("var_declaration", "var_spec_list"):
            stmt = stmt.parent
        if stmt.parent is None or stmt.parent.type != "statement_list":
            return None  # package level, or the init statement of an if/for/switch
        func = enclosing_function(stmt)
        if func is None or func.child_by_field_name("body") is None:
            return None
        if not _unbuffered(f, call):
            return None
        # A sending goroutine's go statement lies in the channel's scope, after its declaration.
        if f.data.find(b"go", stmt.end_byte, stmt.parent.end_byte) < 0:
            return None
        ch = Channel(f, f.text(name), stmt, stmt.parent, func, call)
        if not _collect_uses(ch, name):
            return None
        if not ch.senders or not ch.receives:
            return None
        capacity, unknown = _capacity(ch, package)
        reason = _leak(ch, capacity)
        if reason is None:
            return None
        var = ch.name.decode()
        message = (
            f"a goroutine's send on unbuffered channel `{var}` blocks forever when the receiver "
            f"leaves first ({reason})"
        )
        if capacity is None:
            return self.finding(f, call, f"{message} (no fix: {unknown})")
        return self.finding(f, call, message, _fix(ch, capacity))


# -- collecting the channel's uses ----------------------------------------------------------------------


def _unbuffered(f: SourceFile, call: Node) -> bool:
    args = call.child_by_field_name("arguments")
    if args is None:
        return False
    values = [a for a in args.named_children if a.type != "comment"]
    if len(values) == 1:
        return True
    return len(values) == 2 and values[1].type == "int_literal" and f.text(values[1]) == b"0"


def _collect_uses(ch: Channel, name: Node) -> bool:
    """Sort every use of the channel into sends and receives; False when it is used any other way."""
    f = ch.file
    senders: dict[int, Sender] = {}
    for ident in identifiers_named(f, ch.func, ch.name):
        if ident == name:
            continue
        if not (ch.stmt.end_byte <= ident.start_byte < ch.scope.end_byte):
            return False  # another variable of the same name: keep away
        owner = enclosing_function(ident)
        if owner == ch.func:
            receive = _receive(ch, ident)
            if receive is None:
                return False
            ch.receives.append(receive)
            continue
        go = _goroutine(ch, owner)
        if go is None or owner is None:
            return False
        parent = ident.parent
        if (
            parent is not None
            and parent.type == "send_statement"
            and parent.child_by_field_name("channel") == ident
        ):
            if has_ancestor(parent, "select_statement", owner):
                return False  # the sender can give up by itself
            body = owner.child_by_field_name("body")
            if body is None:
                return False
            senders.setdefault(go.id, Sender(go, body)).sends.append(parent)
        elif not _is_close(f, ident):
            return False
    ch.senders = sorted(senders.values(), key=lambda s: s.go.start_byte)
    return True


def _receive(ch: Channel, ident: Node) -> Receive | None:
    parent = ident.parent
    if parent is None:
        return None
    if parent.type == "unary_expression" and parent.child_by_field_name("operand") == ident:
        op = parent.child_by_field_name("operator")
        if op is None or op.type != "<-":
            return None
        return Receive(parent, _select_case(parent), enclosing_loop(parent, ch.scope))
    if parent.type == "range_clause" and parent.child_by_field_name("right") == ident:
        loop = parent.parent
        if loop is None:
            return None
        return Receive(loop, None, loop)
    return None


def _select_case(recv: Node) -> Node | None:
    """The select case whose communication is this receive (`case <-ch:`, `case v := <-ch:`)."""
    node = recv
    parent = node.parent
    if (
        parent is not None
        and parent.type == "receive_statement"
        and parent.child_by_field_name("right") == node
    ):
        node, parent = parent, parent.parent
    if (
        parent is not None
        and parent.type == "communication_case"
        and parent.child_by_field_name("communication") == node
    ):
        return parent
    return None


def _goroutine(ch: Channel, owner: Node | None) -> Node | None:
    """The go statement running ``owner`` directly, when ``owner`` is a func literal of the channel's function."""
    if owner is None or owner.type != "func_literal":
        return None
    call = owner.parent
    if call is None or call.type != "call_expression" or call.child_by_field_name("function") != owner:
        return None
    go = call.parent
    if go is None or go.type != "go_statement" or enclosing_function(go) != ch.func:
        return None
    return go


def _is_close(f: SourceFile, ident: Node) -> bool:
    args = ident.parent
    call = args.parent if args is not None else None
    if args is None or call is None or args.type != "argument_list" or call.type != "call_expression":
        return False
    fn = call.child_by_field_name("function")
    return fn is not None and f.text(fn) == b"close" and len(args.named_children) == 1


# -- when can the receiver leave without receiving? ---------------------------------------------------


def _leak(ch: Channel, capacity: Capacity | None) -> str | None:
    f = ch.file
    receives = sorted(ch.receives, key=lambda r: r.node.start_byte)
    last = receives[-1].node
    for r in receives:
        if r.case is None or r.case.parent is None:
            continue
        select = r.case.parent
        others = [
            c
            for c in select.named_children
            if c.type in CASES and c != r.case and not _drains(c, receives) and not _after_sends(ch, c)
        ]
        if not others:
            continue
        line = select.start_point.row + 1
        leaves = [c for c in others if _exits(c, c, loop=None)]
        if leaves:
            return f"the select on line {line} can return through `{_case_name(f, leaves[0])}`"
        if r.loop is None and last.start_byte < select.end_byte:
            what = _case_name(f, others[0])
            return f"the select on line {line} can take `{what}` and nothing receives afterwards"
        if r.loop is not None and _counted(r.loop) and last.start_byte < r.loop.end_byte:
            what = _case_name(f, others[0])
            return (
                f"the loop on line {r.loop.start_point.row + 1} can run out while the select "
                f"takes `{what}`, and nothing receives afterwards"
            )
    first_go = ch.senders[0].go
    first = receives[0].node
    go_list = first_go.parent
    for ret in walk_types(ch.func, frozenset({"return_statement"})):
        if (
            first_go.end_byte <= ret.start_byte
            and ret.end_byte <= first.start_byte  # `return <-ch` receives
            and enclosing_function(ret) == ch.func
            and go_list is not None
            and go_list.start_byte <= ret.start_byte < go_list.end_byte
        ):
            return f"the return on line {ret.start_point.row + 1} comes before the receive"
    started_in_loop = any(enclosing_loop(s.go, ch.scope) is not None for s in ch.senders)
    loops = [r.loop for r in receives if r.loop is not None]
    if not loops:
        # Fewer receives than sends. With an unknown count, only goroutines started in a loop are
        # surely several: a goroutine sending in a loop may well send once.
        if capacity is None or capacity.symbolic:
            if started_in_loop:
                return f"goroutines started in a loop send, but only {_count(len(receives))} received"
        elif capacity.const > len(receives):
            return f"up to {capacity.const} values are sent, but only {_count(len(receives))} received"
        return None
    if capacity is not None and not capacity.symbolic and capacity.const <= 1:
        return None
    for loop in loops:
        body = loop.child_by_field_name("body")
        if body is not None and _exits(body, loop, loop, counted=True):
            return f"the loop receiving on line {loop.start_point.row + 1} can stop early"
    return None


def _after_sends(ch: Channel, case: Node) -> bool:
    """Does ``case`` wait on a local channel that only a sender signals, after its sends or instead of them?

    A goroutine that closes (or sends on) `done` below all its sends on the channel, outside any loop,
    has no send pending once `case <-done:` is taken: it either sent already or returned without sending.
    """
    f = ch.file
    comm = case.child_by_field_name("communication")
    if comm is not None and comm.type == "receive_statement":
        comm = comm.child_by_field_name("right")
    operand = (
        comm.child_by_field_name("operand") if comm is not None and comm.type == "unary_expression" else None
    )
    if operand is None or operand.type != "identifier" or f.text(operand) == ch.name:
        return False
    name = f.text(operand)
    bodies = {s.body.id: s for s in ch.senders}
    signals = 0
    for ident in identifiers_named(f, ch.func, name):
        owner = enclosing_function(ident)
        if owner == ch.func and (_declares(ident) or _receive(ch, ident) is not None):
            continue
        body = owner.child_by_field_name("body") if owner is not None else None
        sender = bodies.get(body.id) if body is not None else None
        parent = ident.parent
        signal = parent is not None and (
            _is_close(f, ident)
            or (parent.type == "send_statement" and parent.child_by_field_name("channel") == ident)
        )
        if sender is None or body is None or not signal or parent is None:
            return False
        if has_ancestor(parent, "for_statement", body):
            return False
        if any(
            send.start_byte > parent.start_byte or has_ancestor(send, "for_statement", body)
            for send in sender.sends
        ):
            return False
        signals += 1
    return signals > 0


def _counted(loop: Node) -> bool:
    """A `for i := 0; i < n; i++` or `for range x` loop: it ends by itself after some iterations."""
    clause = next((c for c in loop.named_children if c.type in ("for_clause", "range_clause")), None)
    if clause is None:
        return False
    if clause.type == "range_clause":
        return True
    return (
        clause.child_by_field_name("condition") is not None
        and clause.child_by_field_name("update") is not None
    )


def _drains(case: Node, receives: list[Receive]) -> bool:
    """Does this select case receive from the channel itself (draining it before leaving)?"""
    return any(case.start_byte <= r.node.start_byte < case.end_byte for r in receives)


def _exits(node: Node, stop: Node, loop: Node | None, counted: bool = False) -> bool:
    """Does ``node`` hold a return, a goto, a labelled break, or a plain break out of ``loop``?

    With ``counted``, an exit guarded by a counter the loop increments or decrements (`if active == 0`)
    is taken to wait for every sender, and does not count.
    """
    for n in walk_types(
        node, frozenset({"return_statement", "goto_statement", "break_statement", "func_literal"})
    ):
        if n.type == "func_literal" or has_ancestor(n, "func_literal", stop):
            continue
        leaves = (
            n.type in ("return_statement", "goto_statement")
            or n.named_child_count > 0  # break LABEL
            or (loop is not None and enclosing(n, BREAKABLE) == loop)
        )
        if leaves and not (counted and loop is not None and _counter_guard(n, loop)):
            return True
    return False


def _counter_guard(exit_: Node, loop: Node) -> bool:
    body = loop.child_by_field_name("body")
    if body is None:
        return False
    counters = set()
    for n in walk_types(body, frozenset({"inc_statement", "dec_statement", "assignment_statement"})):
        if n.type == "assignment_statement":
            op = n.child_by_field_name("operator")
            if op is None or op.type not in ("+=", "-="):
                continue
            target = n.child_by_field_name("left")
        else:
            target = n.named_children[0] if n.named_children else None
        if target is not None:
            counters.add(target.text)
    for a in ancestors(exit_, loop):
        cond = a.child_by_field_name("condition") if a.type == "if_statement" else None
        if cond is not None and any(i.text in counters for i in walk_types(cond, frozenset({"identifier"}))):
            return True
    return False


def _case_name(f: SourceFile, case: Node) -> str:
    if case.type == "default_case":
        return "default"
    comm = case.child_by_field_name("communication")
    return "case " + (short_text(f, comm) if comm is not None else "case")


def _count(n: int) -> str:
    return "one value is" if n == 1 else f"{n} values are"


# -- the fix --------------------------------------------------------------------------------------------


UNKNOWN = "how many values are sent is unknown"
GOTO = "a goto can run the `go` statement again: how many goroutines send is unknown"


def _capacity(ch: Channel, package: Package) -> tuple[Capacity | None, str]:
    """The capacity that lets every send complete, or None and why it cannot be told."""
    total = Capacity()
    for s in ch.senders:
        try:
            sends = _bound(s.body, ch)
        except _Unknown:
            return None, UNKNOWN
        if sends == 0:
            continue
        if _jumped_back_over(ch, s.go):
            return None, GOTO
        goroutines = _goroutines(ch, s.go, package)
        if goroutines is None:
            return None, UNKNOWN
        total = total + goroutines.times(sends)
    if total.const == 0 and not total.exprs:
        return None, UNKNOWN
    return total, ""


def _fix(ch: Channel, capacity: Capacity) -> Fix:
    f = ch.file
    args = ch.call.child_by_field_name("arguments")
    assert args is not None
    values = [a for a in args.named_children if a.type != "comment"]
    text = capacity.render().encode()
    if len(values) == 2:
        edit = Edit(f.path, values[1].start_byte, values[1].end_byte, text)
    else:
        edit = Edit(f.path, values[0].end_byte, values[0].end_byte, b", " + text)
    tail = all(_is_tail(send, s.body, ch) for s in ch.senders for send in s.sends)
    safe = capacity.certain and tail
    return Fix(
        f"Buffer `{ch.name.decode()}` with capacity {capacity.render()}",
        (edit,),
        (),
        Applicability.SAFE if safe else Applicability.UNSAFE,
    )


@dataclass(frozen=True)
class Paths:
    """The most sends on the paths through a statement, by how each path ends (None: no such path)."""

    leave: int | None = None  # returns from the goroutine
    through: int | None = 0  # falls through to the next statement (or the next loop iteration)
    broke: int | None = None  # hits a plain `break`

    def __or__(self, other: Paths) -> Paths:  # one path or the other
        return Paths(
            _most(self.leave, other.leave), _most(self.through, other.through), _most(self.broke, other.broke)
        )


def _bound(body: Node, ch: Channel) -> int:
    """The most values one run of a goroutine body can send on the channel; _Unknown if unbounded."""
    p = _paths(body, ch)
    return max(p.leave or 0, p.through or 0, p.broke or 0)


def _paths(node: Node, ch: Channel) -> Paths:
    t = node.type
    if t == "send_statement":
        target = node.child_by_field_name("channel")
        ours = target is not None and target.type == "identifier" and ch.file.text(target) == ch.name
        return Paths(through=1 if ours else 0)
    if t == "return_statement":
        return Paths(leave=0, through=None)
    if t in ("goto_statement", "break_statement", "continue_statement") and node.named_child_count:
        raise _Unknown  # jumps to a label
    if t == "goto_statement":
        raise _Unknown
    if t == "break_statement":
        return Paths(through=None, broke=0)
    if t == "for_statement":
        return _loop_paths(node, ch)
    if t in ("block", "statement_list"):
        return _sequence(node, ch)
    if t == "labeled_statement":
        inner = [c for c in node.named_children if c.type != "label_name"]
        return _paths(inner[0], ch) if inner else Paths()
    if t == "if_statement":
        cons = node.child_by_field_name("consequence")
        alt = node.child_by_field_name("alternative")
        return (_paths(cons, ch) if cons is not None else Paths()) | (
            _paths(alt, ch) if alt is not None else Paths()
        )
    if t in SWITCHES:
        cases = [c for c in node.named_children if c.type in SWITCH_CASES]
        result = Paths(through=None)
        for case in cases:
            p = _sequence(case, ch)
            result = result | Paths(p.leave, _most(p.through, p.broke))  # break leaves the switch
        if t != "select_statement" and not any(c.type == "default_case" for c in cases):
            result = result | Paths()
        return result
    if t != "func_literal" and _sends_in(node, ch):
        raise _Unknown  # a send somewhere this walk does not model
    return Paths()


def _loop_paths(loop: Node, ch: Channel) -> Paths:
    forever = not any(c.type in ("for_clause", "range_clause") or c.is_named for c in loop.children[1:-1])
    clause = next((c for c in loop.named_children if c.type == "for_clause"), None)
    if clause is not None and clause.child_by_field_name("condition") is None:
        forever = True
    if not _sends_in(loop, ch):
        return Paths(leave=0 if _exits(loop, loop, None) else None, through=None if forever else 0)
    body = loop.child_by_field_name("body")
    p = _sequence(body, ch) if body is not None else Paths()
    if p.through:
        raise _Unknown  # sends, then goes round again
    through = p.broke if forever else _most(p.broke, 0)
    return Paths(leave=p.leave, through=through)


def _sequence(node: Node, ch: Channel) -> Paths:
    leave: int | None = None
    broke: int | None = None
    through = 0
    for child in node.named_children:
        if child.type in ("comment", "expression_list", "type_list") or child.type.endswith("_identifier"):
            continue  # case values
        p = _sequence(child, ch) if child.type == "statement_list" else _paths(child, ch)
        if p.leave is not None:
            leave = _most(leave, through + p.leave)
        if p.broke is not None:
            broke = _most(broke, through + p.broke)
        if p.through is None:
            return Paths(leave, None, broke)
        through += p.through
        if child.type == "continue_statement":
            break
    return Paths(leave, through, broke)


def _most(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _sends_in(node: Node, ch: Channel) -> bool:
    for s in walk_types(node, frozenset({"send_statement"})):
        target = s.child_by_field_name("channel")
        if target is not None and ch.file.text(target) == ch.name:
            return True
    return False


def _is_tail(send: Node, body: Node, ch: Channel) -> bool:
    """Does the goroutine do nothing after this send but return (or close the channel)?

    Calls the goroutine defers run when it returns, after the send: they are work after it too.
    """
    func = body.parent
    for d in walk_types(body, frozenset({"defer_statement"})):
        if enclosing_function(d) == func and not _closes(d, ch):
            return False
    node = send
    while node != body:
        parent = node.parent
        if parent is None:
            return False
        if parent.type == "statement_list":
            following = parent.named_children
            for sib in following[following.index(node) + 1 :]:
                if sib.type == "comment" or _closes(sib, ch):
                    continue
                return sib.type == "return_statement" and not sib.named_children
        node = parent
    return True


def _closes(stmt: Node, ch: Channel) -> bool:
    """Is ``stmt`` `close(ch)` or `defer close(ch)`?"""
    if stmt.type not in ("expression_statement", "defer_statement") or not stmt.named_children:
        return False
    return ch.file.text(stmt.named_children[0]).replace(b" ", b"") == b"close(" + ch.name + b")"


# -- how many goroutines does a go statement start? -----------------------------------------------------


def _jumped_back_over(ch: Channel, go: Node) -> bool:
    """Can a `goto` back to a label at or before ``go`` run it again?

    Any backward goto whose label comes before the end of the go statement counts: even one written
    before ``go`` can be reached after it when a loop encloses both.
    """
    f = ch.file
    func = enclosing_function(go)
    if func is None:
        return True
    if f.data.find(b"goto", func.start_byte, func.end_byte) < 0:
        return False  # no goto statement: the walks below would find none
    labels = {
        f.text(name): stmt.start_byte
        for stmt in walk_types(func, frozenset({"labeled_statement"}))
        if enclosing_function(stmt) == func
        for name in stmt.named_children[:1]
        if name.type == "label_name"
    }
    for jump in walk_types(func, frozenset({"goto_statement"})):
        if enclosing_function(jump) != func or not jump.named_children:
            continue
        at = labels.get(f.text(jump.named_children[0]))
        if at is None or (at < go.end_byte and jump.start_byte > at):
            return True
    return False


def _goroutines(ch: Channel, go: Node, package: Package) -> Capacity | None:
    loops = [a for a in ancestors(go, ch.scope) if a.type == "for_statement"]
    if not loops:
        return Capacity(1)
    if len(loops) > 1:
        return None
    return _iterations(ch, loops[0], package)


def _iterations(ch: Channel, loop: Node, package: Package) -> Capacity | None:
    """How many times ``loop`` runs, as an expression valid where the channel is made."""
    f = ch.file
    clause = next((c for c in loop.named_children if c.type in ("for_clause", "range_clause")), None)
    if clause is None:
        return None
    if clause.type == "range_clause":
        right = clause.child_by_field_name("right")
        if right is None:
            return None
        if right.type == "int_literal":
            value = _int(f, right)
            return None if value is None else Capacity(value)
        if not _pure(f, right) or not _stable(ch, right, loop.start_byte):
            return None
        text = f.decode(right)
        if right.type == "call_expression":  # range len(x): already an int
            return Capacity(0, (text,)) if _is_len(f, right) else None
        kind = _kind(ch, right, package)
        if kind == "len":
            return Capacity(0, (f"len({text})",))
        if kind == "int":
            return _non_negative(ch, text, package)
        if kind is None:
            return Capacity(0, (f"len({text})",), certain=False)
        return None  # a channel or an iterator function: unknown count
    init = clause.child_by_field_name("initializer")
    cond = clause.child_by_field_name("condition")
    update = clause.child_by_field_name("update")
    if init is None or cond is None or update is None or init.type != "short_var_declaration":
        return None
    left, right = init.child_by_field_name("left"), init.child_by_field_name("right")
    if left is None or right is None or len(left.named_children) != 1 or len(right.named_children) != 1:
        return None
    var, start_node = f.text(left.named_children[0]), right.named_children[0]
    start = _int(f, start_node) if start_node.type == "int_literal" else None
    if start is None or cond.type != "binary_expression":
        return None
    op = cond.child_by_field_name("operator")
    lhs, bound = cond.child_by_field_name("left"), cond.child_by_field_name("right")
    if op is None or lhs is None or bound is None or f.text(lhs) != var or op.type not in ("<", "<="):
        return None
    if f.text(update).replace(b" ", b"") not in (var + b"++", var + b"+=1"):
        return None
    if not _pure(f, bound) or not _stable(ch, bound, loop.end_byte):
        return None
    extra = (1 if op.type == "<=" else 0) - start
    if bound.type == "int_literal":
        value = _int(f, bound)
        return None if value is None else Capacity(max(value + extra, 0))
    text = f.decode(bound)
    if _is_len(f, bound) and extra >= 0:
        return Capacity(extra, (text,))
    expr = text if extra == 0 else f"{_paren(text)}{extra:+d}"
    return _non_negative(ch, expr, package)


def _non_negative(ch: Channel, expr: str, package: Package) -> Capacity:
    """``expr`` as a capacity: max(expr, 0) where the builtin is available, since make panics below 0."""
    if package.go_version is not None and package.go_version < (1, 21):
        return Capacity(0, (expr,), certain=False)
    for sf in package.files:
        if b"max" not in sf.data:
            continue
        # Every `max` word, looked up in the tree: cheaper than walking all identifiers of the file.
        for m in _MAX.finditer(sf.data):
            ident = sf.root.descendant_for_byte_range(m.start(), m.end())
            if (
                ident is not None
                and ident.type == "identifier"
                and sf.text(ident) == b"max"
                and _declares(ident)
            ):
                return Capacity(0, (expr,), certain=False)
    return Capacity(0, (f"max({expr}, 0)",))


_MAX = re.compile(rb"max\b")


def _int(f: SourceFile, node: Node) -> int | None:
    try:
        return int(f.decode(node).replace("_", ""), 0)
    except ValueError:
        return None


def _is_len(f: SourceFile, node: Node) -> bool:
    if node.type != "call_expression":
        return False
    fn = node.child_by_field_name("function")
    return fn is not None and f.text(fn) in (b"len", b"cap")


def _paren(text: str) -> str:
    return text if text.replace(".", "").replace("_", "").isalnum() or text.endswith(")") else f"({text})"


def _pure(f: SourceFile, expr: Node) -> bool:
    """Built from names, fields, literals, arithmetic and len/cap only: safe to evaluate early."""
    for n in walk_types(expr, frozenset({"call_expression"})):
        if not _is_len(f, n):
            return False
    stack = [expr]
    while stack:
        n = stack.pop()
        if n.type not in PURE and n.is_named:
            return False
        stack.extend(n.named_children)
    return True


def _stable(ch: Channel, expr: Node, until: int) -> bool:
    """Every name in ``expr`` is in scope at the channel's make and not assigned from there to ``until``."""
    f = ch.file
    names = {f.text(n) for n in walk_types(expr, frozenset({"identifier"})) if _is_operand(n)}
    for ident in walk_types(ch.func, frozenset({"identifier"})):
        if f.text(ident) not in names:
            continue
        if _declares(ident) and ident.start_byte >= ch.stmt.start_byte and ident.start_byte < until:
            return False
        if ch.stmt.end_byte <= ident.start_byte < until and _assigned(ident):
            return False
    return True


def _is_operand(ident: Node) -> bool:
    parent = ident.parent
    return not (
        parent is not None
        and parent.type == "selector_expression"
        and parent.child_by_field_name("field") == ident
    )


def _declares(ident: Node) -> bool:
    """Is ``ident`` a name being declared: a function's, or a local's other than a type switch's alias?"""
    parent = ident.parent
    if parent is not None and parent.type == "function_declaration":
        return True
    decl = declaration_of(ident)
    return decl is not None and decl.type != "type_switch_statement"


def _assigned(ident: Node) -> bool:
    parent = ident.parent
    if parent is None:
        return False
    if parent.type in ("inc_statement", "dec_statement"):
        return True
    if parent.type == "unary_expression":
        op = parent.child_by_field_name("operator")
        return op is not None and op.type == "&"
    if parent.type == "expression_list" and parent.parent is not None:
        grand = parent.parent
        if grand.type in (
            "assignment_statement",
            "short_var_declaration",
            "range_clause",
            "receive_statement",
        ):
            return grand.child_by_field_name("left") == parent
    return False


def _kind(ch: Channel, expr: Node, package: Package) -> str | None:
    """ "len" for a slice, array, map or string; "int" for an integer; "other"; None when not visible."""
    if expr.type == "selector_expression":
        return _field_kind(ch, expr, package)
    if expr.type != "identifier":
        return None
    declared = _declaration(ch, ch.file.text(expr))
    if declared is None or declared.parent is None:
        return None
    parent = declared.parent
    if parent.type in PARAMETERS or parent.type == "var_spec":
        typ = parent.child_by_field_name("type")
        if typ is not None:
            return _type_kind(package, typ)
        if parent.type != "var_spec":
            return None
        names = parent.children_by_field_name("name")
        values = parent.child_by_field_name("value")
    elif parent.type == "expression_list" and parent.parent is not None:
        names = parent.named_children
        values = parent.parent.child_by_field_name("right")
    else:
        return None
    if values is None or len(values.named_children) != len(names):
        return None
    return _value_kind(ch, values.named_children[names.index(declared)], package)


def _field_kind(ch: Channel, expr: Node, package: Package) -> str | None:
    """The kind of `v.field` when v is a parameter or receiver of a struct type declared in the package."""
    operand, fld = expr.child_by_field_name("operand"), expr.child_by_field_name("field")
    if operand is None or fld is None or operand.type != "identifier":
        return None
    declared = _declaration(ch, ch.file.text(operand))
    if declared is None or declared.parent is None or declared.parent.type not in PARAMETERS:
        return None
    typ = declared.parent.child_by_field_name("type")
    if typ is not None and typ.type == "pointer_type" and typ.named_children:
        typ = typ.named_children[0]
    if typ is None or typ.type != "type_identifier":
        return None
    found = _type_spec(package, typ.text or b"")
    if found is None or found[1].type != "struct_type":
        return None
    sf, struct = found
    for decl in walk_types(struct, frozenset({"field_declaration"})):
        if any(sf.text(n) == fld.text for n in decl.children_by_field_name("name")):
            field_type = decl.child_by_field_name("type")
            return _type_kind(package, field_type) if field_type is not None else None
    return None


def _type_spec(package: Package, name: bytes) -> tuple[SourceFile, Node] | None:
    """The file and underlying type of the package-level, non-generic type ``name``."""
    for sf in package.files:
        for spec in walk_types(sf.root, frozenset({"type_spec"})):
            spec_name = spec.child_by_field_name("name")
            typ = spec.child_by_field_name("type")
            if spec_name is None or typ is None or sf.text(spec_name) != name:
                continue
            if spec.child_by_field_name("type_parameters") is not None or spec.parent is None:
                return None
            if spec.parent.type != "type_declaration" or spec.parent.parent != sf.root:
                continue  # a type local to some function
            return sf, typ
    return None


def _declaration(ch: Channel, name: bytes) -> Node | None:
    """The declaration of ``name`` in scope where the channel is made, if a function declares it."""
    f = ch.file
    best: Node | None = None
    outer = [a for a in ancestors(ch.stmt) if a.type in FUNCTION_TYPES]
    for func in outer:
        for ident in walk_types(func, frozenset({"identifier"})):
            if f.text(ident) != name or not _declares(ident) or ident.start_byte >= ch.stmt.start_byte:
                continue
            scope = func if ident.parent is not None and ident.parent.type in PARAMETERS else ident.parent
            while scope is not None and scope.type not in (
                "statement_list",
                "func_literal",
                "function_declaration",
                "method_declaration",
            ):
                scope = scope.parent
            if scope is None or not (scope.start_byte <= ch.stmt.start_byte < scope.end_byte):
                continue
            if best is None or ident.start_byte > best.start_byte:
                best = ident
        if best is not None:
            return best
    return None


def _value_kind(ch: Channel, value: Node, package: Package) -> str | None:
    f = ch.file
    if value.type == "composite_literal":
        typ = value.child_by_field_name("type")
        return _type_kind(package, typ) if typ is not None else None
    if value.type == "call_expression":
        fn = value.child_by_field_name("function")
        args = value.child_by_field_name("arguments")
        if fn is not None and args is not None and f.text(fn) == b"make" and args.named_children:
            return _type_kind(package, args.named_children[0])
        return "int" if _is_len(f, value) else None
    if value.type == "selector_expression":
        return _field_kind(ch, value, package)
    if value.type == "int_literal":
        return "int"
    if value.type in ("interpreted_string_literal", "raw_string_literal"):
        return "len"
    return None


def _type_kind(package: Package, typ: Node, depth: int = 0) -> str | None:
    if typ.type in ("slice_type", "array_type", "map_type", "implicit_length_array_type"):
        return "len"
    if typ.type == "type_identifier":
        text = typ.text or b""
        if text in INTEGER_TYPES:
            return "int"
        if text == b"string":
            return "len"
        found = _type_spec(package, text) if depth < 3 else None
        return _type_kind(package, found[1], depth + 1) if found is not None else None
    if typ.type in ("channel_type", "function_type"):
        return "other"
    return None
