"""The cheap ways goroutine-no-exit and unbounded-global find their work stay exact.

goroutine-no-exit's anchor checks in its regex that the `go` it finds can start a statement, and the rule
has no package prefilter. unbounded-global resolves types through its query's top-level type declarations,
reads a file's build constraints only when one of the file's declarations or uses matters, and derives an
import path from the directory's string when the directory is spelled plainly. tests/test_anchors.py
compares anchors and query on real code.
"""

from __future__ import annotations

from pathlib import Path

from tree_sitter import QueryCursor

from gofixer.codemod import matches_at, registry
from gofixer.engine import detect
from gofixer.parsing import Package, SourceFile, query

# Every way a statement can follow what comes before it, and `go`s that start no statement.
STARTS = """//go:build linux

package p

import "go/ast"

var _ ast.Node

func worker(ch chan int) {
	for {
		println(<-ch)
	}
}

func starts(ch chan int) {
	go worker(ch)
	{go worker(ch)}
	if true { go worker(ch) }
	x := 1; go worker(ch)
	/* a comment */go worker(ch)
L:go worker(ch)
	go	worker(ch)
	go
		worker(ch)
	go(worker)(ch)
	_ = x // cgo, x.go
	goto L
}
"""

# The only go statement is spelled with a tab: no `go ` anywhere in the package.
TAB_ONLY = """package p

func leaky() {
	ch := make(chan int)
	go	func() {
		for {
			select {
			case data := <-ch:
				println(data)
			}
		}
	}()
	ch <- 1
}
"""

GROWING = """package p

type list []string

var seen list

func Remember(s string) {
	seen = append(seen, s)
}
"""

# A generator run by hand: its type would hide the slice, its reset would bound it, were it checked.
IGNORED = """//go:build ignore

package p

type list struct{}

func reset() {
	seen = nil
}
"""


def test_goroutine_no_exit_anchor_finds_a_go_statement_after_every_separator() -> None:
    cm = registry()["goroutine-no-exit"]
    f = SourceFile.parse("p.go", STARTS.encode())
    assert not f.root.has_error
    full = list(QueryCursor(query(cm.query)).matches(f.root))
    nodes = cm.candidates(f)
    assert nodes is not None
    anchored = matches_at(cm.query, nodes)
    assert [c["go"][0].start_byte for _, c in anchored] == [c["go"][0].start_byte for _, c in full]
    assert len(full) == 9


def test_goroutine_no_exit_analyses_a_package_whose_go_statements_are_spelled_without_a_space() -> None:
    assert b"go " not in TAB_ONLY.encode()
    f = SourceFile.parse("p.go", TAB_ONLY.encode())
    found = detect(Package(".", "p", [f]), [registry()["goroutine-no-exit"]])
    assert [(x.rule, x.span.line) for x in found] == [("goroutine-no-exit", 5)]


def test_unbounded_global_ignores_the_types_and_uses_of_a_build_ignored_file(tmp_path: Path) -> None:
    """The ignored file comes last: were it read, its `list` would win, and its reset would count."""
    files = [
        SourceFile.parse(str(tmp_path / "a.go"), GROWING.encode()),
        SourceFile.parse(str(tmp_path / "z_gen.go"), IGNORED.encode()),
    ]
    found = detect(Package(str(tmp_path), "p", files), [registry()["unbounded-global"]])
    assert [(Path(x.path).name, x.span.line) for x in found] == [("a.go", 5)]


def test_unbounded_global_import_path_does_not_depend_on_how_the_directory_is_spelled(
    tmp_path: Path,
) -> None:
    from codemods.unbounded_global import _import_path

    (tmp_path / "go.mod").write_text("module example.com/m\n")
    (tmp_path / "cmd" / "run").mkdir(parents=True)
    root = str(tmp_path)
    for spelling in (f"{root}/cmd/run", f"{root}/cmd/./run", f"{root}//cmd/run", f"{root}/cmd/run/"):
        assert _import_path(spelling) == "example.com/m/cmd/run", spelling
    assert _import_path(root) == "example.com/m"
