"""Anchored matching finds exactly what the full-tree query finds.

A codemod with `anchors` (or its own `candidates`) has its query run only on the nodes around the
anchors' regex hits, not over the whole file. That is only sound if it loses no match: this compares
both ways, match for match and in the same order, over every testdata file, the examples and packages of
the Go standard library chosen for the constructs the rules look for.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tree_sitter import QueryCursor

from gofixer import gotool
from gofixer.codemod import Codemod, anchored_candidates, matches_at, registry
from gofixer.parsing import Captures, SourceFile, query

ROOT = Path(__file__).resolve().parent.parent
STDLIB_DIRS = ("net/http", "os/exec", "go/types", "bytes", "strings", "context", "sync", "expvar")

Key = tuple[int, tuple[tuple[str, tuple[tuple[int, int, str], ...]], ...]]


def _key(pattern: int, caps: Captures) -> Key:
    nodes = ((name, tuple((n.start_byte, n.end_byte, n.type) for n in ns)) for name, ns in caps.items())
    return pattern, tuple(sorted(nodes))


def _full(cm: type[Codemod], f: SourceFile) -> list[Key]:
    return [_key(p, c) for p, c in QueryCursor(query(cm.query)).matches(f.root)]


def _anchored(cm: type[Codemod], f: SourceFile) -> list[Key]:
    nodes = cm.candidates(f)
    assert nodes is not None, f"{cm.name} has no anchors"
    return [_key(p, c) for p, c in matches_at(cm.query, nodes)]


def _files() -> list[SourceFile]:
    paths = sorted((ROOT / "testdata").rglob("*.go*")) + sorted((ROOT / "examples").rglob("*.go"))
    goroot = gotool.go_env().get("GOROOT")
    if goroot:
        for d in STDLIB_DIRS:
            paths.extend(sorted((Path(goroot) / "src" / d).glob("*.go")))
    return [SourceFile.parse(str(p), p.read_bytes()) for p in paths if p.is_file()]


FILES = _files()


@pytest.mark.parametrize("name", list(registry()))
def test_anchored_matches_equal_full_query_matches(name: str) -> None:
    cm = registry()[name]
    total = 0
    for f in FILES:
        full = _full(cm, f)
        assert _anchored(cm, f) == full, f.path
        total += len(full)
    assert total > 20, "the sample should exercise the rule's query"


def test_a_wrong_anchor_is_caught() -> None:
    """The comparison has teeth: an anchor that misses the `go` keyword loses goroutine matches."""
    real = registry()["goroutine-no-exit"]

    class Broken(real):  # type: ignore[valid-type,misc]
        anchors = ((re.compile(rb"\bgo func"), 1),)  # misses `go worker(ch)`

    lost = sum(len(_full(Broken, f)) - len(_anchored(Broken, f)) for f in FILES)
    assert lost > 0


def test_a_root_found_late_in_one_climb_does_not_stop_a_longer_climb() -> None:
    """`x` reaches the call `g(x)` two levels up, where its depth of 3 nearly runs out; `g(` reaches
    the same call at once and can climb on to `f(...)`: both calls are candidates."""
    f = SourceFile.parse("p.go", b"package p\n\nvar v = f(g(x))\n")
    anchors = ((re.compile(rb"x\b"), 3), (re.compile(rb"g\("), 3))
    found = anchored_candidates(f, anchors, frozenset({"call_expression"}))
    assert [f.text(n) for n in found] == [b"f(g(x))", b"g(x)"]
