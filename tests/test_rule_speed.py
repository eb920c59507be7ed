"""The cheap ways unclosed-resource and goroutine-blocked-send find their candidates stay exact.

Their anchors, and unclosed-resource's file gate, look for a callee's name followed by its call's `(`
(goroutine-blocked-send: `make(` followed by a channel type) instead of every occurrence of the name.
Go allows whitespace and comments in between: these sources spell calls that way, where the regexes must
still find them. tests/test_anchors.py compares anchors and query on real code.
"""

from __future__ import annotations

from tree_sitter import QueryCursor

from gofixer.codemod import Codemod, matches_at, registry
from gofixer.engine import detect
from gofixer.parsing import Captures, Package, SourceFile, query

RESOURCES = """package p

import (
	"context"
	"os"
)

func spaced(p string) {
	f, _ := os.Open /* why not */ (p)
	println(f.Name())
}

func split(p string) {
	f, _ := os.
		OpenFile(p, os.O_RDONLY, 0)
	println(f.Name())
}

func commented() {
	ctx, _ := context.WithCancel( // a comment before the argument is no business of the anchor
		context.Background())
	_ = ctx
}
"""

CHANNELS = """package p

import "time"

func spaced() int {
	ch := make /* unbuffered */ (chan int)
	go func() { ch <- 1 }()
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Second):
		return 0
	}
}

func split() {
	var ch = make(
		<-chan int)
	_ = ch
	other := new(chan int)
	_ = other
}
"""


Key = tuple[int, list[tuple[str, int]]]


def _full(cm: type[Codemod], f: SourceFile) -> list[Key]:
    return _keys(QueryCursor(query(cm.query)).matches(f.root))


def _anchored(cm: type[Codemod], f: SourceFile) -> list[Key]:
    nodes = cm.candidates(f)
    assert nodes is not None
    return _keys(matches_at(cm.query, nodes))


def _keys(found: list[tuple[int, Captures]]) -> list[Key]:
    return [(p, sorted((name, n.start_byte) for name, ns in caps.items() for n in ns)) for p, caps in found]


def test_calls_spelled_with_comments_and_spaces_are_candidates() -> None:
    for rule, source, count in (
        ("unclosed-resource", RESOURCES, 3),
        ("goroutine-blocked-send", CHANNELS, 2),  # not `new(chan int)`: the query names `make`
    ):
        cm = registry()[rule]
        f = SourceFile.parse("p.go", source.encode())
        assert _anchored(cm, f) == _full(cm, f)
        assert len(_full(cm, f)) == count, rule


def test_unclosed_resource_keeps_a_file_whose_only_calls_are_spelled_apart() -> None:
    f = SourceFile.parse("p.go", RESOURCES.encode())
    package = Package(".", "p", [f])
    cm = registry()["unclosed-resource"]
    assert not cm.skip_file(f, package)
    found = detect(package, [cm])
    assert [x.span.line for x in found] == [9, 14, 20]


def test_unclosed_resource_skips_a_file_that_names_a_function_without_calling_it() -> None:
    source = b'package p\n\nimport "os"\n\n// Open opens nothing here.\nvar open = os.Open\n'
    f = SourceFile.parse("p.go", source)
    assert registry()["unclosed-resource"].skip_file(f, Package(".", "p", [f]))


def test_goroutine_blocked_send_analyses_a_channel_made_with_a_comment_before_its_type() -> None:
    """The package prefilter once wanted the text `make(chan` and dropped this package unseen."""
    f = SourceFile.parse("p.go", CHANNELS.encode())
    found = detect(Package(".", "p", [f]), [registry()["goroutine-blocked-send"]])
    assert [(x.rule, x.span.line) for x in found] == [("goroutine-blocked-send", 6)]
