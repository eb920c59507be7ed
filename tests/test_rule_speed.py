"""The cheap ways unclosed-resource and goroutine-blocked-send find their candidates stay exact.

Their anchors, and unclosed-resource's file gate, look for a callee's name followed by its call's `(`
(goroutine-blocked-send: `make(` followed by a channel type) instead of every occurrence of the name.
Go allows whitespace and comments in between: these sources spell calls that way, where the regexes must
still find them. tests/test_anchors.py compares anchors and query on real code.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


def test_unclosed_resource_keeps_a_file_that_imports_os_with_a_raw_string_path() -> None:
    source = b"package p\n\nimport stdos `os`\n\nfunc F(p string) {\n\tf, _ := stdos.Open(p)\n\tprintln(f.Name())\n}\n"
    f = SourceFile.parse("p.go", source)
    package = Package(".", "p", [f])
    cm = registry()["unclosed-resource"]
    assert not cm.skip_file(f, package)
    assert [x.span.line for x in detect(package, [cm])] == [6]


def test_unclosed_resource_skips_a_file_that_only_spells_an_import_path_after_its_imports() -> None:
    source = b'package p\n\nimport "fmt"\n\nvar p = "os"\n\nfunc F() { fmt.Println(os.Open(p)) }\n'
    f = SourceFile.parse("p.go", source)
    assert registry()["unclosed-resource"].skip_file(f, Package(".", "p", [f]))


def test_a_comment_drawing_after_a_callee_name_is_read_in_linear_time(tmp_path: Path) -> None:
    """The gap the call regexes skip (whitespace, comments) is taken whole: where no `(` follows, `re`
    once tried every way of cutting a run of comment lines into pieces, and a box drawing after the
    word `make` or `Open` in a comment made a check run for ever (2^lines tries). It must end."""
    drawing = "".join("// ─── │ ───\n" for _ in range(60))
    source = (
        'package p\n\nimport "os"\n\n// We make\n'
        + drawing
        + "// and Open\n"
        + drawing
        + "func F(p string) {\n\tc := make(chan int)\n\tgo func() { c <- 1 }()\n"
        + "\tf, _ := os.Open(p)\n\tprintln(f.Name())\n}\n"
    )
    (tmp_path / "p.go").write_text(source)
    cmd = [sys.executable, "-m", "gofixer.cli", "check", "--no-cache", "--format", "json", str(tmp_path)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert {f["rule"] for f in json.loads(done.stdout)} >= {"unclosed-resource"}
