"""The README's tour runs on the shipped examples: one finding per rule, a diff git applies, fix converges."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

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
