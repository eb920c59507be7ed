"""subslice-retention: which fixes are safe, which unsafe, and which are withheld.

The golden files show what `fix --unsafe-fixes` writes but not whether a fix needed the flag; these tests
run `check --format json` over testdata cases and assert each finding's fix applicability by line.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gofixer.cli import main
from tests.golden import TESTDATA

RULE = "subslice-retention"


def _applicability(tmp_path: Path, case: str) -> dict[int, str | None]:
    """Line -> "safe", "unsafe" or None (no fix) for every finding of the rule in one testdata case."""
    d = tmp_path / "mod"
    (d / case).mkdir(parents=True)
    (d / "go.mod").write_text("module example.com/cases\n\ngo 1.27\n")
    single = TESTDATA / RULE / f"{case}.go"
    sources = [single] if single.exists() else sorted((TESTDATA / RULE / case / "input").glob("*.go"))
    assert sources, case
    for src in sources:
        shutil.copy(src, d / case / src.name)
    old = os.getcwd()
    os.chdir(d)
    try:
        res = CliRunner().invoke(
            main,
            ["check", "--no-cache", "--isolated", "--select", RULE, "--format", "json", "."],
            catch_exceptions=False,
        )
    finally:
        os.chdir(old)
    assert res.exit_code == 1, res.output
    out: dict[int, str | None] = {}
    for f in json.loads(res.stdout):
        assert f["rule"] == RULE
        out[f["line"]] = f["fix"]["applicability"] if f["fix"] is not None else None
    return out


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        # An operand before the part can write into the array: a copy hoisted above it would be stale.
        ("operand_runs_first", {13: None, 23: None, 28: None}),
        # An operand after the part writes into the array it shares: the copy changes what is returned.
        ("operand_runs_after", {14: "unsafe"}),
        # The array is used through another name (or passed on) after the part is stored.
        ("alias_written_later", {12: "unsafe", 19: "unsafe", 26: "unsafe", 33: "unsafe", 40: "unsafe"}),
        # Two parts of one array escape together: copying one (or each) ends their sharing. Parts
        # returned on different paths never leave together: those fixes are safe.
        ("escapes_twice", {9: "unsafe", 10: "unsafe", 16: "unsafe", 24: "safe", 26: "safe"}),
        # `copy`, `make`, `len` or `strings` is not the builtin or package where the fix would call it.
        ("shadowed_builtin", {13: None, 20: None, 27: None, 35: None}),
        ("shadowed_package_copy", {8: None}),
        # Reference cases: nothing uses the buffer after its part is returned; the buffer is read again.
        ("read_buffer_returned", {12: "safe"}),
        ("buffer_reused_later", {17: "unsafe"}),
    ],
)
def test_fix_applicability(tmp_path: Path, case: str, expected: dict[int, str | None]) -> None:
    assert _applicability(tmp_path, case) == expected


def test_the_cheap_first_looks_lose_no_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    """`_may_hold_large` and `_may_escape` skip the full analysis of most functions. Over the testdata,
    the examples and std-lib packages that slice and split a lot, turning both off changes nothing."""
    import codemods.subslice_retention as rule
    from gofixer import gotool
    from gofixer.discover import discover
    from gofixer.engine import Options, process_directory

    roots = [str(TESTDATA / RULE), str(TESTDATA.parent / "examples")]
    goroot = gotool.go_env().get("GOROOT")
    if goroot:
        for pkg in ("bytes", "strings", "bufio", "net/http", "encoding/json", "go/scanner", "crypto/tls"):
            roots.append(os.path.join(goroot, "src", pkg))
    found = discover(roots)
    options = Options(rules=(RULE,), verify=False)

    def findings() -> list[tuple[str, int, int, str]]:
        out = []
        for directory, files in sorted(found.by_dir.items()):
            result = process_directory(directory, files, options)
            assert not result.errors, result.errors
            out += [(f.path, f.span.line, f.span.column, f.message) for f in result.findings]
        return sorted(out)

    fast = findings()
    assert len(fast) >= 30  # the testdata's findings, at least
    monkeypatch.setattr(rule, "_may_hold_large", lambda *args: True)
    monkeypatch.setattr(rule, "_may_escape", lambda *args: True)
    assert findings() == fast
