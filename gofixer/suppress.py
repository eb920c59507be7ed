"""Suppression comments: `//gofixer:ignore RULE[,RULE] reason` and golangci-lint's `//nolint` forms.

A comment after code covers its own line. A comment on a line of its own covers the next line and, when a
statement or declaration starts there, all of it (golangci-lint does the same with `//nolint`), so a
comment above a function covers the function. Comments directly above in the same comment block count
too: `//nolint` may sit anywhere in a function's doc comment.

`//nolint` and `//nolint:all` cover every linter, gofixer's rules included; `//nolint:gofixer` covers
gofixer's rules only; a gofixer rule id may be named as a linter (`//nolint:unclosed-resource`). The
golangci-lint linters that look for the same leaks cover the matching `unclosed-resource` findings:
`bodyclose` the response bodies, `sqlclosecheck` and `rowserrcheck` the `sql.Rows`.

Suppressed findings are neither reported nor fixed: the engine filters them in `detect()`. With
`--strict`, a `//gofixer:ignore` or `//nolint:gofixer` that suppresses nothing among the rules that ran is
reported as an `unused-suppression` finding (other `//nolint` comments may be there for other linters).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tree_sitter import Node

from gofixer.model import Finding, Span
from gofixer.parsing import Package, SourceFile, captures

if TYPE_CHECKING:
    from gofixer.engine import Options

MARKERS = (b"nolint", b"gofixer:ignore")
UNUSED = "unused-suppression"
UNUSED_SUMMARY = "A suppression comment that suppresses nothing (reported by `check --strict`)."

# golangci-lint linter -> the unclosed-resource kinds (the `what` of its messages) it overlaps.
NOLINT_RESOURCE_KINDS: dict[str, frozenset[str]] = {
    "bodyclose": frozenset({"response body"}),
    "sqlclosecheck": frozenset({"rows"}),
    "rowserrcheck": frozenset({"rows"}),
}
NOLINT_EVERYTHING = frozenset({"all", "gofixer"})

_NAMES = r"[\w-]+(?:\s*,\s*[\w-]+)*"
_GOFIXER = re.compile(rf"^gofixer:ignore(?:\s+(?P<rules>{_NAMES}))?(?:\s.*)?$")
_NOLINT = re.compile(rf"^nolint(?::\s*(?P<linters>{_NAMES}))?(?:\s.*)?$", re.I)

UNUSED_DOC = """
## What it does
With `gofixer check --strict`, reports a `//gofixer:ignore` or `//nolint:gofixer` comment that suppresses
no finding of the rules that ran, and a `//gofixer:ignore` that names a rule gofixer does not have.

## Why is this bad?
A suppression outlives the code it was written for. Once the leak is fixed, or the code moved, the comment
only hides the next real leak that lands on that line.

## Example
```go
f, err := os.Open(name) //gofixer:ignore unclosed-resource closed by the caller
if err != nil {
    return err
}
defer f.Close()
```
Use instead:
```go
f, err := os.Open(name)
if err != nil {
    return err
}
defer f.Close()
```

## Fix safety
There is no fix: delete the comment by hand. Other `//nolint` comments are never reported, since they may
be there for other golangci-lint linters.
"""


def unused_doc() -> str:
    return inspect.cleandoc(UNUSED_DOC)


@dataclass(frozen=True)
class Suppression:
    path: str
    span: Span  # of the comment
    first: int  # first line covered (1-based)
    last: int  # last line covered
    kind: str  # "gofixer" or "nolint"
    names: tuple[str, ...]  # rule ids (gofixer) or linters (nolint); () for a bare //nolint
    text: str

    def covers(self, finding: Finding) -> bool:
        if finding.path != self.path or not self.first <= finding.span.line <= self.last:
            return False
        if self.kind == "gofixer":
            return finding.rule in self.names
        if not self.names or NOLINT_EVERYTHING & set(self.names) or finding.rule in self.names:
            return True
        kind = resource_kind(finding)
        return kind is not None and any(kind in NOLINT_RESOURCE_KINDS.get(n, ()) for n in self.names)

    @property
    def directive(self) -> str:
        if self.kind == "gofixer":
            return "//gofixer:ignore " + ",".join(self.names)
        return "//nolint" + (":" + ",".join(self.names) if self.names else "")

    def judged(self, rules_run: Iterable[str]) -> list[str]:
        """The rules whose findings decide whether this suppression is used ([]: not ours to judge)."""
        ran = set(rules_run)
        if self.kind == "gofixer":
            return [n for n in self.names if n in ran]
        if "gofixer" in self.names:
            return sorted(ran)
        return []


def resource_kind(finding: Finding) -> str | None:
    """The kind of resource an unclosed-resource finding is about: "response body", "rows", ..."""
    if finding.rule != "unclosed-resource":
        return None
    from codemods.unclosed_resource import BODY, CANCEL, CONN, DB, FILE, LISTENER, ROWS, TICKER

    message = finding.message.removeprefix("the ")
    for kind in (BODY, ROWS, FILE, CONN, LISTENER, DB, TICKER, CANCEL):
        if message.startswith(kind.what + " "):
            return kind.what
    return None


def parse_comment(text: str) -> tuple[str, tuple[str, ...]] | None:
    """("gofixer" | "nolint", names) for a suppression comment, None for any other comment."""
    if text.startswith("//"):
        body = text[2:]
    elif text.startswith("/*"):
        body = text[2:].removesuffix("*/")
    else:
        return None
    body = body.strip()
    m = _GOFIXER.match(body)
    if m:
        rules = m.group("rules") or ""
        return "gofixer", tuple(r.strip() for r in rules.split(",") if r.strip())
    m = _NOLINT.match(body)
    if m:
        linters = m.group("linters") or ""
        return "nolint", tuple(n.strip().lower() for n in linters.split(",") if n.strip())
    return None


def suppressions(file: SourceFile) -> list[Suppression]:
    if not any(marker in file.data for marker in MARKERS):
        return []
    out: list[Suppression] = []
    for node in captures("(comment) @c", file.root).get("c", []):
        text = file.decode(node)
        parsed = parse_comment(text)
        if parsed is None:
            continue
        kind, names = parsed
        row = node.start_point.row
        before = file.line_text(row)[: node.start_point.column]
        last = row + 1
        if not before.strip():  # on a line of its own: the next line, or the node starting there
            last = _covered_through(node, row) + 1
        out.append(Suppression(file.path, file.span(node), row + 1, last, kind, names, text))
    return out


def _covered_through(comment: Node, row: int) -> int:
    """Last row covered by a standalone comment at ``row``: through the node starting on the next line."""
    nxt = comment.next_sibling
    expect = comment.end_point.row + 1
    while nxt is not None and nxt.start_point.row == expect:
        if nxt.type == "statement_list" and nxt.child_count:
            nxt = nxt.children[0]  # a block's comment precedes the list holding its statements
        elif nxt.type == "comment":
            expect = nxt.end_point.row + 1
            nxt = nxt.next_sibling
        else:
            break
    if nxt is not None and nxt.start_point.row == expect:
        return max(nxt.end_point.row, expect)
    return expect


def filter_findings(package: Package, findings: list[Finding], options: Options | None) -> list[Finding]:
    """Drop suppressed findings (suppression comments, per-file-ignores); with --strict add unused ones."""
    ignores = options.per_file_ignores if options is not None else None
    if ignores is not None:
        findings = [f for f in findings if not ignores.ignored(f.rule, f.path)]
    strict = options is not None and options.strict
    if not findings and not strict:
        return findings
    kept: list[Finding] = []
    unused: list[Finding] = []
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        by_file.setdefault(f.path, []).append(f)
    for sf in package.files:
        if sf.path not in by_file and not strict:
            continue
        sups = suppressions(sf)
        used: set[int] = set()
        for f in by_file.get(sf.path, []):
            hits = [i for i, s in enumerate(sups) if s.covers(f)]
            used.update(hits)
            if not hits:
                kept.append(f)
        if strict and options is not None:
            unused.extend(_unused(sf, sups, used, options.rules))
    own = {sf.path for sf in package.files}
    kept.extend(f for f in findings if f.path not in own)
    return kept + unused


def _unused(sf: SourceFile, sups: list[Suppression], used: set[int], rules: Iterable[str]) -> list[Finding]:
    from gofixer.codemod import registry

    known = set(registry())
    out: list[Finding] = []
    for i, s in enumerate(sups):
        anchor = sf.line_text(s.span.line - 1).strip().decode("utf-8", "replace")
        unknown = [n for n in s.names if s.kind == "gofixer" and n not in known]
        if s.kind == "gofixer" and not s.names:
            message = "`//gofixer:ignore` names no rule: write `//gofixer:ignore RULE[,RULE] reason`"
        elif unknown:
            message = f"`//gofixer:ignore` names unknown rule {unknown[0]!r}"
        elif i not in used and s.judged(rules):
            message = f"`{s.directive}` suppresses nothing"
        else:
            continue
        out.append(Finding(UNUSED, sf.path, s.span, message, None, anchor))
    return out
