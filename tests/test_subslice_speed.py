"""subslice-retention's shortcuts stay exact: each case is spelled so that a shortcut that dropped it
would lose its finding."""

from __future__ import annotations

from gofixer.codemod import registry
from gofixer.engine import detect
from gofixer.parsing import Package, SourceFile

RULE = "subslice-retention"


def _findings(*sources: bytes) -> list[tuple[str, int, str]]:
    files = [SourceFile.parse(f"/p/f{i}.go", src) for i, src in enumerate(sources)]
    found = detect(Package("/p", "p", files, (1, 22)), [registry()[RULE]])
    return [(f.path, f.span.line, f.message) for f in found]


def test_a_size_from_a_package_constant_of_another_file_is_still_large() -> None:
    """The first look at a function leaves package constants out; a size that needs one is decided
    after the escape check, with them."""
    found = _findings(
        b"package p\n\nvar last []byte\n\nfunc f() {\n\tbuf := make([]byte, chunk)\n\tlast = buf[:10]\n}\n",
        b"package p\n\nconst (\n\tsmall = 8\n\tchunk = small << 10\n)\n",
    )
    assert [(path, line) for path, line, _ in found] == [("/p/f0.go", 7)]
    assert "make([]byte, chunk)" in found[0][2]


def test_a_local_constant_still_shadows_the_package_one() -> None:
    """The function's own constants are read in the first look: one that shadows a large package
    constant keeps the array small, one that shadows a small one makes it large."""
    package_consts = b"package p\n\nconst n = 1 << 20\nconst m = 4\n"
    small = b"package p\n\nfunc f() []int {\n\tconst n = 4\n\tbuf := make([]int, n)\n\treturn buf[:2]\n}\n"
    large = (
        b"package p\n\nfunc f() []int {\n\tconst m = 1 << 20\n\tbuf := make([]int, m)\n\treturn buf[:2]\n}\n"
    )
    assert _findings(small, package_consts) == []
    assert [line for _, line, _ in _findings(large, package_consts)] == [6]


def test_an_array_whose_address_is_taken_is_not_judged() -> None:
    """`&buf` (found from the `&` expressions, not from every identifier's parent) lets anything change
    `buf`: no finding, while the same function without it has one."""
    template = (
        b"package p\n\nvar keep [][]byte\n\nfunc f(g func(*[]byte)) {\n\tbuf := make([]byte, 1<<20)\n"
        b"%s\tkeep = append(keep, buf[:10])\n}\n"
    )
    assert [line for _, line, _ in _findings(template % b"")] == [7]
    assert _findings(template % b"\tg(&buf)\n") == []
    assert [line for _, line, _ in _findings(template % b"\tg(&(buf))\n")] == [8]  # not `&` of the name
