"""The README's tour runs on the shipped examples: one finding per rule, a diff git applies, fix converges."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import GO_MOD, install_plugin, write_files

ROOT = Path(__file__).resolve().parent.parent
GOFIXER = [sys.executable, "-m", "gofixer.cli"]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GOFIXER, *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_readme_tour_on_the_shipped_examples(tmp_path: Path) -> None:
    work = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", work)
    readme = (ROOT / "README.md").read_text()

    check = _run(["check", "."], work)
    assert check.returncode == 1, check.stderr
    rules = {m.group(1) for m in re.finditer(r"^\S+:\d+:\d+: (\S+) ", check.stdout, re.M)}
    assert rules == {
        "unclosed-resource",
        "goroutine-no-exit",
        "goroutine-blocked-send",
        "subslice-retention",
        "unbounded-global",
    }
    for line in check.stdout.splitlines():  # the README shows exactly what check prints
        assert line in readme, line

    diff = _run(["diff", "--unsafe-fixes", "."], work)
    assert diff.returncode == 1, diff.stderr
    assert diff.stdout in readme
    subprocess.run(["git", "init", "-q", "."], cwd=work, check=True)
    applied = subprocess.run(
        ["git", "apply", "--check", "-"], input=diff.stdout, cwd=work, text=True, capture_output=True
    )
    assert applied.returncode == 0, applied.stderr

    fixed = _run(["fix", "--unsafe-fixes", "."], work)
    assert fixed.returncode == 1, fixed.stderr  # unbounded-global is report-only: it stays
    assert "unbounded-global" in fixed.stdout
    again = _run(["diff", "--unsafe-fixes", "."], work)
    assert again.returncode == 0 and again.stdout == "", "a second fix must change nothing"


def test_the_codemod_guide_example_plugs_in_and_runs(tmp_path: Path) -> None:
    """docs/codemods.md's example, installed as a package through its entry point, finds what it says,
    honours a suppression comment, and its anchors lose no match of its query."""
    guide = (ROOT / "docs" / "codemods.md").read_text()
    code = re.search(r"````python\n(.*?)````\n", guide, re.S)
    entry = re.search(r'\[project.entry-points."gofixer.codemods"\]\n(\S+) = "(\S+)"', guide)
    assert code is not None and entry is not None
    rule = entry.group(1)
    env = install_plugin(tmp_path, rule, entry.group(2), code.group(1))
    lib = (
        "package lib\n\n// Must panics on errors: panic(err).\n"
        "func Must(err error) {\n\tif err != nil {\n\t\tpanic(err)\n\t}\n}\n\n"
        'func Quiet() {\n\tpanic("x") //gofixer:ignore acme-no-panic a test helper\n}\n'
    )
    work = write_files(tmp_path / "m", {"go.mod": GO_MOD, "lib.go": lib})
    cmd = [sys.executable, "-m", "gofixer.cli", "check", "--no-cache", "--select", rule, "."]
    res = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, check=False)
    assert res.returncode == 1, res.stderr
    assert res.stdout.splitlines()[0] == (
        f"lib.go:6:3: {rule} panic called (no fix: return an error instead)"
    )
    assert "lib.go:11" not in res.stdout  # suppressed
    explain = subprocess.run(
        [sys.executable, "-m", "gofixer.cli", "explain", rule], env=env, capture_output=True, text=True
    )
    assert "## Why is this bad?" in explain.stdout
