"""Adding imports the way a Go developer would: into the existing block, sorted, in the right group."""

from __future__ import annotations

from tree_sitter import Node

from gofixer.model import Edit
from gofixer.parsing import SourceFile


def is_std(import_path: str) -> bool:
    return "." not in import_path.split("/", 1)[0]


def _spec_path(f: SourceFile, spec: Node) -> str:
    node = spec.child_by_field_name("path")
    return f.decode(node).strip('"`') if node is not None else ""


def _groups(f: SourceFile, spec_list: Node) -> list[list[Node]]:
    """The specs of a grouped import declaration, split where a blank line separates them."""
    groups: list[list[Node]] = []
    last_row = -2
    for spec in spec_list.named_children:
        if spec.type != "import_spec":
            continue
        row = spec.start_point.row
        if not groups or (row > last_row + 1 and _blank_between(f, last_row, row)):
            groups.append([])
        groups[-1].append(spec)
        last_row = spec.end_point.row
    return groups


def _blank_between(f: SourceFile, row_a: int, row_b: int) -> bool:
    return any(not f.line_text(r).strip() for r in range(row_a + 1, row_b))


def import_edits(f: SourceFile, import_paths: set[str]) -> list[Edit]:
    """Edits that make ``f`` import each of ``import_paths`` it does not import yet."""
    wanted = sorted(p for p in import_paths if f.local_name(p) is None)
    if not wanted:
        return []
    decls = [c for c in f.root.named_children if c.type == "import_declaration"]
    grouped = [d for d in decls if any(c.type == "import_spec_list" for c in d.named_children)]
    if grouped:
        spec_list = next(c for c in grouped[0].named_children if c.type == "import_spec_list")
        return _into_group(f, spec_list, wanted)
    if len(decls) == 1:
        # `import "fmt"` -> a grouped block holding both, sorted
        decl = decls[0]
        spec = decl.named_children[0]
        lines = sorted([(_spec_path(f, spec), f.text(spec)), *((p, _quote(p)) for p in wanted)])
        body = b"".join(b"\t" + text + b"\n" for _, text in lines)
        return [Edit(f.path, decl.start_byte, decl.end_byte, b"import (\n" + body + b")")]
    if decls:
        at = decls[-1].end_byte
        return [Edit(f.path, at, at, b"".join(b"\nimport " + _quote(p) for p in wanted))]
    pkg = next((c for c in f.root.named_children if c.type == "package_clause"), None)
    at = pkg.end_byte if pkg is not None else 0
    if len(wanted) == 1:
        block = b"\n\nimport " + _quote(wanted[0])
    else:
        block = b"\n\nimport (\n" + b"".join(b"\t" + _quote(p) + b"\n" for p in wanted) + b")"
    return [Edit(f.path, at, at, block)]


def _quote(path: str) -> bytes:
    return b'"' + path.encode() + b'"'


def _into_group(f: SourceFile, spec_list: Node, wanted: list[str]) -> list[Edit]:
    groups = _groups(f, spec_list)
    edits: list[Edit] = []
    if not groups:  # `import ()`
        at = spec_list.start_byte + 1
        return [Edit(f.path, at, at, b"\n" + b"".join(b"\t" + _quote(p) + b"\n" for p in wanted))]
    for path in wanted:
        group = _pick_group(f, groups, path)
        target = None
        for spec in group:
            if _spec_path(f, spec) > path:
                target = spec
                break
        if target is not None:
            at = f.line_starts[target.start_point.row]
            indent = f.indent_at(target.start_byte)
            edits.append(Edit(f.path, at, at, indent + _quote(path) + b"\n"))
        else:
            last = group[-1]
            at = f.line_end(last.end_byte)
            indent = f.indent_at(last.start_byte)
            edits.append(Edit(f.path, at, at, indent + _quote(path) + b"\n"))
    # Two paths inserted at the same spot must come out in sorted order: merge them into one edit.
    merged: dict[int, Edit] = {}
    for e in edits:
        prev = merged.get(e.start)
        merged[e.start] = e if prev is None else Edit(e.path, e.start, e.end, prev.text + e.text)
    return sorted(merged.values())


def _pick_group(f: SourceFile, groups: list[list[Node]], path: str) -> list[Node]:
    """Standard-library imports join the first all-std group; others the last group without std ones."""
    std = is_std(path)
    for group in groups if std else reversed(groups):
        if all(is_std(_spec_path(f, s)) == std for s in group):
            return group
    return groups[0] if std else groups[-1]
