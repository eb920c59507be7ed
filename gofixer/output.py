"""How findings leave gofixer: text (with the source line and a caret), JSON, SARIF 2.1.0, GitHub annotations.

Every format is a pure function of the findings (and the files on disk they point into), so the CLI only
picks one and prints it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from gofixer import __version__
from gofixer.diff import display_path
from gofixer.model import Applicability, Edit, FileError, Finding, plural
from gofixer.parsing import Encoding, SourceFile

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SECTIONS = ("What it does", "Why is this bad?", "Example", "Fix safety")
TAB_WIDTH = 4


def color_wanted(mode: str, isatty: bool) -> bool:
    """--color auto: only on a terminal and when NO_COLOR (https://no-color.org) is unset or empty."""
    if mode == "always":
        return True
    if mode == "never":
        return False
    return isatty and not os.environ.get("NO_COLOR")


@dataclass(frozen=True)
class Style:
    color: bool = False

    def paint(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color and text else text

    def bold(self, text: str) -> str:
        return self.paint(text, "1")

    def rule(self, text: str) -> str:
        return self.paint(text, "1;31")

    def caret(self, text: str) -> str:
        return self.paint(text, "1;31")

    def gutter(self, text: str) -> str:
        return self.paint(text, "1;34")

    def fix(self, text: str) -> str:
        return self.paint(text, "36")


@dataclass
class Sources:
    """The files findings point into, read once, normalised the way the engine parses them."""

    _files: dict[str, SourceFile | None] = field(default_factory=dict)

    def get(self, path: str) -> SourceFile | None:
        if path not in self._files:
            try:
                raw = Path(path).read_bytes()
            except OSError:
                self._files[path] = None
            else:
                encoding, data = Encoding.detect(raw)
                self._files[path] = SourceFile.parse(path, data, encoding)
        return self._files[path]


# -- text -------------------------------------------------------------------------------------------


def fix_mark(f: Finding, unsafe_fixes: bool) -> str:
    if f.fix is None:
        return ""
    return " [*]" if f.fix.applicability == Applicability.SAFE or unsafe_fixes else " [unsafe fix]"


def finding_line(f: Finding, unsafe_fixes: bool, style: Style = Style()) -> str:
    """`path:line:col: rule message [*]`: the stable first line of a finding."""
    where = style.bold(f"{display_path(f.path)}:{f.span.line}:{f.span.column}:")
    return f"{where} {style.rule(f.rule)} {f.message}{style.fix(fix_mark(f, unsafe_fixes))}"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def source_lines(f: Finding, sources: Sources, style: Style = Style()) -> list[str]:
    """The finding's first source line with a caret under its span, each line indented (like ruff's)."""
    sf = sources.get(f.path)
    if sf is None or f.span.line > len(sf.line_starts):
        return []
    raw = sf.line_text(f.span.line - 1)
    start = min(f.span.column - 1, len(raw))
    end = f.span.end_column - 1 if f.span.end_line == f.span.line else len(raw.rstrip())
    end = max(start + 1, min(end, len(raw)))
    text = raw.decode("utf-8", "replace").expandtabs(TAB_WIDTH).rstrip()
    lead = _width(raw[:start].decode("utf-8", "replace").expandtabs(TAB_WIDTH))
    # The caret spans the display width of the bytes under the span (tabs inside it count as one).
    under = max(1, _width(raw[start:end].decode("utf-8", "replace").replace("\t", " ")))
    number = str(f.span.line)
    pad = " " * (len(number) + 1)
    out = [
        style.gutter(f"{pad} |"),
        style.gutter(f" {number} |") + (" " + text if text else ""),
        style.gutter(f"{pad} |") + " " + " " * lead + style.caret("^" * under),
    ]
    if f.fix is not None:
        unsafe = " (unsafe)" if f.fix.applicability < Applicability.SAFE else ""
        out.append(style.gutter(f"{pad} =") + " " + style.fix(f"fix{unsafe}: {f.fix.description}"))
    return out


def text_report(
    findings: Iterable[Finding],
    unsafe_fixes: bool,
    show_source: bool,
    style: Style = Style(),
    sources: Sources | None = None,
) -> Iterator[str]:
    sources = sources or Sources()
    for f in findings:
        yield finding_line(f, unsafe_fixes, style)
        if show_source:
            yield from source_lines(f, sources, style)
            yield ""


def summary(findings: list[Finding], unsafe_fixes: bool) -> str:
    n = len(findings)
    safe = sum(1 for f in findings if f.fix is not None and f.fix.applicability == Applicability.SAFE)
    unsafe = sum(1 for f in findings if f.fix is not None and f.fix.applicability == Applicability.UNSAFE)
    parts = [f"Found {plural(n, 'finding')}"]
    fixable = safe + (unsafe if unsafe_fixes else 0)
    if fixable:
        parts.append(f"{fixable} fixable with `gofixer fix`")
    if unsafe and not unsafe_fixes:
        parts.append(f"{unsafe} more with `--unsafe-fixes`")
    return parts[0] + (" (" + "; ".join(parts[1:]) + ")" if len(parts) > 1 else "") + "."


# -- JSON -------------------------------------------------------------------------------------------


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "path": display_path(f.path),
        "line": f.span.line,
        "column": f.span.column,
        "end_line": f.span.end_line,
        "end_column": f.span.end_column,
        "message": f.message,
        "fix": None
        if f.fix is None
        else {"applicability": str(f.fix.applicability), "description": f.fix.description},
    }


def json_report(findings: Iterable[Finding]) -> str:
    return json.dumps([finding_json(f) for f in findings], indent=2)


# -- GitHub workflow commands -------------------------------------------------------------------------


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(level: str, path: str, message: str, title: str | None = None, **where: int) -> str:
    props = [f"file={_escape_property(display_path(path).replace(os.sep, '/'))}"]
    props.extend(f"{k}={v}" for k, v in where.items() if v)
    if title:
        props.append(f"title={_escape_property(title)}")
    return f"::{level} {','.join(props)}::{_escape_data(message)}"


def github_report(findings: Iterable[Finding], errors: Iterable[FileError] = ()) -> Iterator[str]:
    """`::warning file=...,line=...,col=...,endLine=...,endColumn=...,title=RULE::message` per finding.

    GitHub takes columns only for a span on one line; a longer span is annotated by lines alone.
    """
    for err in errors:
        yield github_annotation("error", err.path, err.message, "gofixer", line=err.line, col=err.column)
    for f in findings:
        s = f.span
        if s.line == s.end_line:
            where = {"line": s.line, "col": s.column, "endLine": s.end_line, "endColumn": s.end_column}
        else:
            where = {"line": s.line, "endLine": s.end_line}
        yield github_annotation("warning", f.path, f.message, f.rule, **where)


# -- rule documentation --------------------------------------------------------------------------------


def doc_sections(doc: str) -> dict[str, str]:
    """The `## Title` sections of a rule's docstring, by title, in order, with their bodies stripped."""
    out: dict[str, str] = {}
    title: str | None = None
    body: list[str] = []
    in_code = False
    for line in doc.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        if not in_code and line.startswith("## "):
            if title is not None:
                out[title] = "\n".join(body).strip()
            title, body = line[3:].strip(), []
        elif title is not None:
            body.append(line)
    if title is not None:
        out[title] = "\n".join(body).strip()
    return out


def docs_url() -> str | None:
    """Where docs/rules.md is published: $GOFIXER_DOCS_URL, the package's Documentation URL, or the
    source tree's copy (an editable install)."""
    env = os.environ.get("GOFIXER_DOCS_URL", "")
    if env:
        return env
    from importlib.metadata import PackageNotFoundError, metadata  # SARIF alone needs it: not at start-up

    try:
        entries: list[str] = metadata("gofixer").get_all("Project-URL") or []
        for entry in entries:
            label, _, url = entry.partition(",")
            if label.strip().lower() == "documentation" and url.strip():
                return url.strip()
    except PackageNotFoundError:
        pass
    local = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
    return local.as_uri() if local.is_file() else None


# -- SARIF 2.1.0 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleDoc:
    id: str
    summary: str
    doc: str


def _pascal(rule: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[-_]", rule))


def _artifact(path: str) -> dict[str, Any]:
    rel = display_path(path).replace(os.sep, "/")
    if rel.startswith("../"):
        return {"uri": Path(path).resolve().as_uri()}
    return {"uri": quote(rel), "uriBaseId": "%SRCROOT%"}


def _utf16(text: bytes) -> int:
    return len(text.decode("utf-8", "replace").encode("utf-16-le")) // 2


def _point(sf: SourceFile, offset: int) -> tuple[int, int]:
    """1-based line and UTF-16 column (SARIF's default columnKind) of a byte offset."""
    row = sf.line_of(offset)
    return row + 1, _utf16(sf.data[sf.line_starts[row] : offset]) + 1


def _region(sf: SourceFile | None, line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
    """A region from the engine's 1-based byte columns, in UTF-16 columns when the file can be read."""

    def col(row: int, byte_col: int) -> int:
        if sf is None or row > len(sf.line_starts):
            return byte_col
        return _utf16(sf.line_text(row - 1)[: byte_col - 1]) + 1

    return {
        "startLine": line,
        "startColumn": col(line, column),
        "endLine": end_line,
        "endColumn": col(end_line, end_column),
    }


def _replacements(sf: SourceFile, edits: list[Edit]) -> list[dict[str, Any]]:
    out = []
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        (l1, c1), (l2, c2) = _point(sf, e.start), _point(sf, e.end)
        out.append(
            {
                "deletedRegion": {"startLine": l1, "startColumn": c1, "endLine": l2, "endColumn": c2},
                "insertedContent": {"text": e.text.decode("utf-8", "surrogateescape")},
            }
        )
    return out


def _sarif_fix(f: Finding, sources: Sources) -> dict[str, Any] | None:
    """The finding's fix as SARIF `fixes[0]`: its edits (and import additions) as replacements."""
    from gofixer.imports import import_edits

    if f.fix is None:
        return None
    by_file: dict[str, list[Edit]] = {}
    for e in f.fix.edits:
        by_file.setdefault(e.path, []).append(e)
    wanted: dict[str, set[str]] = {}
    for imp in f.fix.imports:
        wanted.setdefault(imp.path, set()).add(imp.import_path)
    changes = []
    for path in sorted(set(by_file) | set(wanted)):
        sf = sources.get(path)
        if sf is None:
            return None
        edits = by_file.get(path, []) + (import_edits(sf, wanted[path]) if path in wanted else [])
        changes.append({"artifactLocation": _artifact(path), "replacements": _replacements(sf, edits)})
    unsafe = " (unsafe: review it)" if f.fix.applicability < Applicability.SAFE else ""
    return {"description": {"text": f.fix.description + unsafe}, "artifactChanges": changes}


def _fingerprint(f: Finding) -> str:
    key = "\0".join((f.rule, display_path(f.path).replace(os.sep, "/"), f.message, f.anchor))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def sarif_rule(rule: RuleDoc, base_url: str | None) -> dict[str, Any]:
    sections = doc_sections(rule.doc)
    out: dict[str, Any] = {
        "id": rule.id,
        "name": _pascal(rule.id),
        "shortDescription": {"text": rule.summary or rule.id},
        "fullDescription": {"text": sections.get("What it does", rule.summary or rule.id)},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "defaultConfiguration": {"level": "warning"},
    }
    if base_url:
        out["helpUri"] = f"{base_url}#{rule.id}"
    return out


def sarif_report(
    findings: list[Finding],
    rules: list[RuleDoc],
    errors: Iterable[FileError] = (),
    warnings: Iterable[FileError] = (),
    base_url: str | None = None,
    sources: Sources | None = None,
) -> dict[str, Any]:
    sources = sources or Sources()
    index = {r.id: i for i, r in enumerate(rules)}
    results = []
    for f in findings:
        sf = sources.get(f.path)
        s = f.span
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "level": "warning",
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _artifact(f.path),
                        "region": _region(sf, s.line, s.column, s.end_line, s.end_column),
                    }
                }
            ],
            "partialFingerprints": {"gofixer/v1": _fingerprint(f)},
        }
        if f.rule in index:
            result["ruleIndex"] = index[f.rule]
        fix = _sarif_fix(f, sources)
        if fix is not None:
            result["fixes"] = [fix]
            result["properties"] = {"applicability": str(f.fix.applicability if f.fix else "")}
        results.append(result)
    notes = []
    for level, items in (("error", errors), ("warning", warnings)):
        for item in items:
            note: dict[str, Any] = {"level": level, "message": {"text": item.message}}
            loc: dict[str, Any] = {"artifactLocation": _artifact(item.path)}
            if item.line:
                loc["region"] = {"startLine": item.line, "startColumn": max(item.column, 1)}
            note["locations"] = [{"physicalLocation": loc}]
            notes.append(note)
    driver: dict[str, Any] = {
        "name": "gofixer",
        "version": __version__,
        "rules": [sarif_rule(r, base_url) for r in rules],
    }
    if base_url:
        driver["informationUri"] = base_url
    cwd = Path.cwd().resolve().as_uri().rstrip("/") + "/"
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": cwd}},
                "columnKind": "utf16CodeUnits",
                "invocations": [
                    {
                        "executionSuccessful": not any(n["level"] == "error" for n in notes),
                        "toolExecutionNotifications": notes,
                    }
                ],
                "results": results,
            }
        ],
    }
