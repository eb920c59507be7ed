"""The command line as users drive it: exit codes, text and JSON output, diffs `git apply` takes, fix
convergence, atomic writes, rule selection, `rules`, `explain`, `--version`, and the installed script."""

from __future__ import annotations

import importlib.metadata
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from gofixer.codemod import registry
from gofixer.diff import check as check_diff
from gofixer.write import ConcurrentChange, atomic_write
from tests.conftest import run

RULE = "unclosed-resource"
GOFIXER = Path(sys.executable).parent / "gofixer"

FILES = {
    "go.mod": b"module example.com/cli\n\ngo 1.27\n",
    "store/open.go": b"""package store

import (
\t"fmt"
\t"os"
)

func Show(path string) error {
\tf, err := os.Open(path)
\tif err != nil {
\t\treturn err
\t}
\tfmt.Println(f.Name())
\treturn nil
}
""",
    "store/fetch.go": b"""package store

import "net/http"

func Status(url string) int {
\tresp, _ := http.Get(url)
\tif resp == nil {
\t\treturn 0
\t}
\treturn resp.StatusCode
}
""",
    "clean/clean.go": b"""package clean

import "os"

func Size(path string) (int64, error) {
\tf, err := os.Open(path)
\tif err != nil {
\t\treturn 0, err
\t}
\tdefer f.Close()
\tinfo, err := f.Stat()
\tif err != nil {
\t\treturn 0, err
\t}
\treturn info.Size(), nil
}
""",
}
# A leak in a loop left early by `continue`: reported, never fixed.
REPORT_ONLY = b"""package loops

import "os"

func NonEmpty(paths []string) int {
\tn := 0
\tfor _, p := range paths {
\t\tf, err := os.Open(p)
\t\tif err != nil {
\t\t\tcontinue
\t\t}
\t\tif info, err := f.Stat(); err != nil || info.Size() == 0 {
\t\t\tcontinue
\t\t}
\t\tn++
\t}
\treturn n
}
"""
FIXED_OPEN = FILES["store/open.go"].replace(b"\t}\n\tfmt", b"\t}\n\tdefer f.Close()\n\tfmt")
FIXED_FETCH = FILES["store/fetch.go"].replace(
    b"http.Get(url)\n", b"http.Get(url)\n\tif resp != nil {\n\t\tdefer resp.Body.Close()\n\t}\n"
)


def read(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# -- check ------------------------------------------------------------------------------------------


def test_check_exit_codes_and_text(module: Path) -> None:
    res = run("check", "--select", RULE, "clean")
    assert (res.exit_code, res.stdout, res.stderr) == (0, "", "")

    res = run("check", "--select", RULE, ".")
    assert res.exit_code == 1
    assert res.stdout.splitlines() == [
        "store/fetch.go:6:13: unclosed-resource response body `resp` from http.Get is never released "
        "(missing resp.Body.Close()) [*]",
        "store/open.go:9:12: unclosed-resource file `f` from os.Open is never released "
        "(missing f.Close()) [*]",
        "Found 2 findings (2 fixable with `gofixer fix`).",
    ]
    assert read(module) == FILES  # check writes nothing

    res = run("check", "--select", RULE, "no/such/dir")
    assert res.exit_code == 2
    assert res.stderr == "no/such/dir: error: no such file or directory\n"


def test_check_json(module: Path) -> None:
    (module / "loops").mkdir()
    (module / "loops" / "loops.go").write_bytes(REPORT_ONLY)
    res = run("check", "--select", RULE, "--format", "json", ".")
    assert res.exit_code == 1
    items = json.loads(res.stdout)
    assert [(i["path"], i["line"]) for i in items] == [
        ("loops/loops.go", 8),
        ("store/fetch.go", 6),
        ("store/open.go", 9),
    ]
    keys = {"rule", "path", "line", "column", "end_line", "end_column", "message", "fix"}
    assert all(set(i) == keys for i in items)
    loop, fetch, opened = items
    assert loop["fix"] is None
    assert opened == {
        "rule": RULE,
        "path": "store/open.go",
        "line": 9,
        "column": 12,
        "end_line": 9,
        "end_column": 25,  # the call `os.Open(path)`, end exclusive
        "message": "file `f` from os.Open is never released (missing f.Close())",
        "fix": {"applicability": "safe", "description": "Insert `defer f.Close()`"},
    }
    assert fetch["fix"] == {"applicability": "safe", "description": "Insert `defer resp.Body.Close()`"}
    # Columns are 1-based byte columns: the span is exactly the call's text.
    line = FILES["store/open.go"].splitlines()[opened["line"] - 1]
    assert line[opened["column"] - 1 : opened["end_column"] - 1] == b"os.Open(path)"

    res = run("check", "--select", RULE, "--format", "json", "clean")
    assert (res.exit_code, json.loads(res.stdout)) == (0, [])


# -- diff -------------------------------------------------------------------------------------------


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_SYSTEM=os.devnull)
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_diff_is_a_patch_git_applies(module: Path, tmp_path: Path) -> None:
    assert _git(module, "init", "-q").returncode == 0
    assert _git(module, "add", ".").returncode == 0
    assert _git(module, "commit", "-q", "-m", "leaky").returncode == 0

    before = read(module)
    res = run("diff", "--select", RULE, ".")
    assert res.exit_code == 1
    assert read(module) == before  # a dry run: nothing written
    assert "\x1b[" not in res.stdout  # no colour when stdout is not a terminal
    stats = check_diff(res.stdout_bytes)  # unidiff parses it back
    assert (stats.files, stats.hunks, stats.added, stats.removed) == (2, 2, 4, 0)
    assert res.stderr == "Would fix 2 findings in 2 files (2 hunks, +4 -0).\n"
    assert res.stdout.startswith("--- a/store/fetch.go\n+++ b/store/fetch.go\n")

    patch = tmp_path / "fix.patch"
    patch.write_bytes(res.stdout_bytes)
    applied = _git(module, "apply", "--check", str(patch))
    assert applied.returncode == 0, applied.stderr
    assert _git(module, "apply", str(patch)).returncode == 0
    assert (module / "store" / "open.go").read_bytes() == FIXED_OPEN
    assert (module / "store" / "fetch.go").read_bytes() == FIXED_FETCH

    # What `diff` shows is what `fix` does: nothing is left to change after applying it.
    res = run("diff", "--select", RULE, ".")
    assert (res.exit_code, res.stdout) == (0, "")


def test_diff_from_a_subdirectory_applies_at_the_repo_root(module: Path) -> None:
    """Paths are relative to the current directory: run from the root, `git apply` takes them."""
    assert _git(module, "init", "-q").returncode == 0
    res = run("diff", "--select", RULE, str(module / "store" / "open.go"))
    assert res.exit_code == 1
    assert res.stdout.startswith("--- a/store/open.go\n+++ b/store/open.go\n")
    proc = subprocess.run(
        ["git", "apply", "--check", "-"], cwd=module, input=res.stdout_bytes, capture_output=True, check=False
    )
    assert proc.returncode == 0, proc.stderr


# -- fix --------------------------------------------------------------------------------------------


def test_fix_then_fix_again_changes_nothing(module: Path) -> None:
    (module / "loops").mkdir()
    (module / "loops" / "loops.go").write_bytes(REPORT_ONLY)
    res = run("fix", "--select", RULE, ".")
    assert res.exit_code == 1  # the loop leak is left unfixed
    assert res.stdout.splitlines() == [
        "store/fetch.go: fixed 1 finding",
        "store/open.go: fixed 1 finding",
        "Fixed 2 findings in 2 files.",
        "loops/loops.go:8:13: unclosed-resource file `f` from os.Open is never released (missing f.Close())"
        " (no fix: a release at the end of the loop iteration would be skipped by the"
        " `continue`/`break`/`return` after the call)",
        "1 finding left unfixed.",
    ]
    first = read(module)
    assert first["store/open.go"] == FIXED_OPEN
    assert first["store/fetch.go"] == FIXED_FETCH
    assert first["loops/loops.go"] == REPORT_ONLY
    assert first["clean/clean.go"] == FILES["clean/clean.go"]

    res = run("fix", "--select", RULE, ".")
    assert res.exit_code == 1
    assert "Fixed" not in res.stdout
    assert read(module) == first

    (module / "loops" / "loops.go").unlink()
    res = run("fix", "--select", RULE, ".")
    assert (res.exit_code, res.stdout) == (0, "")


def test_fix_keeps_the_file_mode(module: Path) -> None:
    target = module / "store" / "open.go"
    target.chmod(0o751)
    res = run("fix", "--select", RULE, "store/open.go")
    assert res.exit_code == 0, res.stderr
    assert target.read_bytes() == FIXED_OPEN
    assert stat.S_IMODE(target.stat().st_mode) == 0o751
    assert sorted(p.name for p in target.parent.iterdir()) == ["fetch.go", "open.go"]  # no temp left


def test_atomic_write_keeps_mode_and_replaces_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.go"
    path.write_bytes(b"old\n")
    path.chmod(0o604)
    inode = path.stat().st_ino
    atomic_write(str(path), b"old\n", b"new\n")
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o604
    assert path.stat().st_ino != inode  # replaced by rename, never truncated in place
    assert [p.name for p in tmp_path.iterdir()] == ["a.go"]


def test_atomic_write_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "a.go"
    path.write_bytes(b"what gofixer read\n")
    path.write_bytes(b"what an editor saved meanwhile\n")
    with pytest.raises(ConcurrentChange, match="changed on disk"):
        atomic_write(str(path), b"what gofixer read\n", b"the fix\n")
    assert path.read_bytes() == b"what an editor saved meanwhile\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.go"]


def test_fix_reports_a_write_it_could_not_do(module: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file changes between reading and writing: the CLI says so, exits 2, keeps the new content."""
    import gofixer.cli as cli

    def edited_meanwhile(path: str, expected: bytes, data: bytes) -> None:
        Path(path).write_bytes(b"// edited by someone else\n" + expected)
        atomic_write(path, expected, data)

    monkeypatch.setattr(cli, "atomic_write", edited_meanwhile)
    res = run("fix", "--select", RULE, "store/open.go")
    assert res.exit_code == 2
    assert res.stderr == (
        "store/open.go: error: cannot write: file changed on disk since gofixer read it; not overwritten\n"
    )
    assert (module / "store" / "open.go").read_bytes() == b"// edited by someone else\n" + FILES[
        "store/open.go"
    ]


# -- rule selection and the informational commands -----------------------------------------------------


def test_select_and_ignore(module: Path) -> None:
    res = run("check", "--select", f" {RULE} ,", "--format", "json", ".")
    assert {i["rule"] for i in json.loads(res.stdout)} == {RULE}
    res = run("check", "--ignore", RULE, "--format", "json", ".")
    assert res.exit_code in (0, 1)
    assert RULE not in {i["rule"] for i in json.loads(res.stdout)}
    others = [name for name in registry() if name != RULE]
    res = run("check", "--select", ",".join(others), "--format", "json", "store")
    assert RULE not in {i["rule"] for i in json.loads(res.stdout)}
    res = run("fix", "--ignore", RULE, "store")
    assert read(module)["store/open.go"] == FILES["store/open.go"]


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_rule(module: Path, option: str) -> None:
    for command in ("check", "diff", "fix"):
        res = run(command, option, f"{RULE},no-such-rule", ".")
        assert res.exit_code == 2
        assert "unknown rule 'no-such-rule' (known: " in res.stderr
        assert RULE in res.stderr
    assert read(module) == FILES


def test_version() -> None:
    res = run("--version")
    assert res.exit_code == 0
    assert res.stdout == f"gofixer, version {importlib.metadata.version('gofixer')}\n"


def test_rules_lists_every_rule_with_its_summary() -> None:
    res = run("rules")
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert len(lines) == len(registry())
    for line, (name, cm) in zip(lines, registry().items(), strict=True):
        assert line.split()[0] == name
        assert line.endswith(cm.summary)


def test_explain() -> None:
    for name in registry():
        res = run("explain", name)
        assert res.exit_code == 0
        assert res.stdout.startswith(f"# {name}\n\n## What it does\n")
        for section in ("## Why is this bad?", "## Example", "## Fix safety"):
            assert f"\n{section}\n" in res.stdout, (name, section)
    res = run("explain", RULE)
    assert "defer file.Close()" in res.stdout  # the example shows the fix
    res = run("explain", "no-such-rule")
    assert res.exit_code == 2
    assert "unknown rule 'no-such-rule'" in res.stderr


# -- the installed script ---------------------------------------------------------------------------


def test_installed_script_in_a_real_process(module: Path) -> None:
    assert GOFIXER.exists(), "pip install -e '.[dev]' installs the gofixer script"
    proc = subprocess.run(
        [str(GOFIXER), "check", "--select", RULE, "--format", "json", "."],
        cwd=module,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    in_process = run("check", "--select", RULE, "--format", "json", ".")
    assert json.loads(proc.stdout) == json.loads(in_process.stdout)

    proc = subprocess.run(
        [str(GOFIXER), "fix", "--select", RULE, "store"],
        cwd=module,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.endswith("Fixed 2 findings in 2 files.\n")
    assert (module / "store" / "open.go").read_bytes() == FIXED_OPEN
