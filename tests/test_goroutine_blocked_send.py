"""goroutine-blocked-send: how safe each fix is, and when there is none (the goldens cannot tell)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gofixer.cli import main

RULE = "goroutine-blocked-send"
CASES = Path(__file__).resolve().parent.parent / "testdata" / RULE


def _findings(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[int, dict[str, Any]]:
    """The rule's findings on ``case``, by line."""
    (tmp_path / "go.mod").write_text("module example.com/cases\n\ngo 1.27\n")
    (tmp_path / case).write_bytes((CASES / case).read_bytes())
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(
        main,
        ["check", "--no-cache", "--isolated", "--select", RULE, "--format", "json", "."],
        catch_exceptions=False,
    )
    return {d["line"]: d for d in json.loads(res.stdout)}


def _applicability(d: dict[str, Any]) -> str | None:
    return d["fix"]["applicability"] if d["fix"] is not None else None


def test_deferred_calls_are_work_after_the_send(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`defer wg.Done()` runs after the send: buffered, it would run before the receiver receives."""
    found = _findings("deferred_work.go", tmp_path, monkeypatch)
    assert sorted(found) == [11, 28]
    assert _applicability(found[11]) == "unsafe"
    assert _applicability(found[28]) == "safe"  # only `defer close(ch)`


def test_a_goto_back_over_the_go_statement_leaves_the_count_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = _findings("goto_loop.go", tmp_path, monkeypatch)
    assert sorted(found) == [7, 26, 48]
    for line in (7, 26):
        assert found[line]["fix"] is None
        assert found[line]["message"].endswith(
            "(no fix: a goto can run the `go` statement again: how many goroutines send is unknown)"
        )
    assert _applicability(found[48]) == "safe"  # a forward goto runs it at most once


def test_a_go_statement_in_a_closure_called_twice_gets_no_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rule stays away from a channel whose sender a closure starts: it could run any number of times."""
    assert _findings("closure_started.go", tmp_path, monkeypatch) == {}


def test_a_package_declared_max_is_not_taken_for_the_builtin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The capacity `max(n, 0)` needs the builtin: with a package-level `max`, the fix buffers `n` and is
    unsafe (n may be negative). A `max` in a comment, a string or a longer name does not count."""
    found = _findings("counted_loop.go", tmp_path, monkeypatch)
    assert _applicability(found[7]) == "safe"
    assert found[7]["fix"]["description"] == "Buffer `results` with capacity max(n, 0)"
    (tmp_path / "other.go").write_text(
        'package countedloop\n\n// max is not declared here.\nvar maximum, s = 1, "max"\n'
    )
    found = _findings("counted_loop.go", tmp_path, monkeypatch)
    assert found[7]["fix"]["description"] == "Buffer `results` with capacity max(n, 0)"
    (tmp_path / "other.go").write_text("package countedloop\n\nfunc max(a, b int) int { return a + b }\n")
    found = _findings("counted_loop.go", tmp_path, monkeypatch)
    assert _applicability(found[7]) == "unsafe"
    assert found[7]["fix"]["description"] == "Buffer `results` with capacity n"
