"""The shortcuts that make goroutine-no-exit and unbounded-global cheaper find what the long way finds.

goroutine-no-exit first looks for the function a `go` statement names in the statement's own file (its
bytes, then the tree at the few occurrences a declared name can be) and drops the goroutine there when
that declaration has no forever loop; otherwise it reads the package's declarations of the name the same
way, file by file. unbounded-global reads a declaration's specs from its children unless a function
literal inside it may nest other declarations.
"""

from __future__ import annotations

import pytest

from codemods.goroutine_no_exit import _declared_in
from gofixer.codemod import registry
from gofixer.engine import detect
from gofixer.parsing import Package, SourceFile

# A function and a method of the same name in the go statement's file: only the method loops forever.
SAME_NAME = """package p

type S struct{ ch chan int }

func loop() {}

func (s *S) loop() {
	for {
		select {
		case v := <-s.ch:
			println(v)
		}
	}
}

func start() {
	s := &S{ch: make(chan int)}
	go s.loop()
}
"""

# Every way a declared name may follow `func` or a receiver: spaces, a block comment, a line comment.
SPELLINGS = """package p

type S struct{}

func worker() { worker() }

func /* one */ commented() { _ = commented }

func // two
lined() { lined() }

func (s *S)	method() { s.method() }

func (s *S) /* three */
spaced() {}

var _ = worker
"""


def _detect(rule: str, source: str) -> list[tuple[str, int]]:
    f = SourceFile.parse("p.go", source.encode())
    assert not f.root.has_error
    return [(x.rule, x.span.line) for x in detect(Package(".", "p", [f]), [registry()[rule]])]


def test_goroutine_no_exit_looks_up_the_method_not_the_function_of_the_same_name() -> None:
    """Were the function `loop`, which has no loop, taken for the method, the leak would be dropped."""
    assert _detect("goroutine-no-exit", SAME_NAME) == [("goroutine-no-exit", 18)]


@pytest.mark.parametrize(
    ("name", "kind", "line"),
    [
        (b"worker", "function_declaration", 5),
        (b"commented", "function_declaration", 7),
        (b"lined", "function_declaration", 9),
        (b"method", "method_declaration", 12),
        (b"spaced", "method_declaration", 14),
    ],
)
def test_goroutine_no_exit_finds_a_declaration_however_its_name_is_spelled(
    name: bytes, kind: str, line: int
) -> None:
    f = SourceFile.parse("p.go", SPELLINGS.encode())
    assert not f.root.has_error
    decl = _declared_in(f, name, kind)
    assert decl is not None and decl.type == kind and decl.start_point.row + 1 == line
    other = "method_declaration" if kind == "function_declaration" else "function_declaration"
    assert _declared_in(f, name, other) is None


# Type declarations spelling `type` more than once: their specs are read from their children, or, with a
# function literal inside, from a walk.
TYPES = """package p

// table is the type of the entries: a type with no bound.
type (
	// table holds a type's entries.
	table map[string]int
	hooks map[string]func()
)

var entries table

var (
	// the type of handlers is a var's type
	handlers hooks
)

func Add(k string) {
	entries[k] = 1
	handlers[k] = func() { type local int; var x local; _ = x }
}
"""


def test_unbounded_global_reads_the_specs_of_declarations_that_spell_their_keyword_twice() -> None:
    assert _detect("unbounded-global", TYPES) == [("unbounded-global", 10), ("unbounded-global", 14)]


STARTER = """package p

func start() {
	ch := make(chan int)
	go worker(ch)
	ch <- 1
}
"""

WORKER = """//go:build {tag}

package p

func
worker(ch chan int) {{
	for {{
		select {{
		case v := <-ch:
			println(v)
		}}
	}}
}}
"""


@pytest.mark.parametrize(("tags", "found"), [(("linux",), [("a.go", 5)]), (("linux", "windows"), [])])
def test_goroutine_no_exit_finds_the_function_in_another_file_and_gives_up_on_two(
    tags: tuple[str, ...], found: list[tuple[str, int]]
) -> None:
    """A single declaration elsewhere is the goroutine's function; two (one per platform) are not."""
    files = [SourceFile.parse("a.go", STARTER.encode())]
    files += [SourceFile.parse(f"w_{tag}.go", WORKER.format(tag=tag).encode()) for tag in tags]
    assert not any(f.root.has_error for f in files)
    rule = registry()["goroutine-no-exit"]
    assert [(x.path, x.span.line) for x in detect(Package(".", "p", files), [rule])] == found
