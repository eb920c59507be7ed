"""unclosed-resource's shortcuts stay exact: sources spelled the tricky way, whose findings they must keep.

tests/test_rule_speed.py covers the call regexes; these cover the file gate's reading of the imports and
the byte-level checks made before looking at the tree.
"""

from __future__ import annotations

from codemods.unclosed_resource import _header_end
from gofixer.codemod import registry
from gofixer.engine import detect
from gofixer.parsing import Package, SourceFile


def _lines(files: dict[str, str]) -> list[str]:
    package = Package(".", "p", [SourceFile.parse(name, source.encode()) for name, source in files.items()])
    return [f"{x.path}:{x.span.line}" for x in detect(package, [registry()["unclosed-resource"]])]


# A line opening with a declaration's keyword before the imports, in a block comment: not where they end.
COMMENTED_FUNC = """/*
func example() {}
*/
package p

import "os"

func F(p string) {
	f, _ := os.Open(p)
	println(f.Name())
}
"""


# The same in a raw string: no import path the compiler takes, but the grammar does.
RAW_STRING_FUNC = """package p

import (
	_ `x
func example() {}
`
	"os"
)

func F(p string) {
	f, _ := os.Open(p)
	println(f.Name())
}
"""


def _imports_end(f: SourceFile) -> int:
    """Where the file's last import declaration ends, read from the tree's top-level nodes."""
    return max((n.end_byte for n in f.root.children if n.type == "import_declaration"), default=0)


def test_the_header_reaches_past_a_declaration_keyword_in_a_comment_or_raw_string() -> None:
    for source, line in ((COMMENTED_FUNC, 9), (RAW_STRING_FUNC, 11)):
        f = SourceFile.parse("p.go", source.encode())
        assert not f.root.has_error
        assert _header_end(f) == source.index("func F") >= _imports_end(f) > 0
        assert _lines({"p.go": source}) == [f"p.go:{line}"]


# `os` shadowed in a func literal of a package-level `var` (no function declaration holds it), and a
# resource captured by a closure, which may release it.
SHADOWED_AND_CAPTURED = """package p

import "os"

type opener struct{}

func (opener) Open(p string) (*os.File, error) { return nil, nil }

var local = func(p string) {
	os := opener{}
	f, _ := os.Open(p)
	_ = f
}

var leaks = func(p string) {
	f, _ := os.Open(p)
	_ = f
}

func captured(p string) {
	f, _ := os.Open(p)
	defer func() { println(f.Name()) }()
}
"""


def test_a_package_name_shadowed_in_a_var_func_literal_and_a_captured_resource() -> None:
    assert _lines({"p.go": SHADOWED_AND_CAPTURED}) == ["p.go:16"]
