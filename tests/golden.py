"""The analysistest-style harness: testdata/<rule>/<case>.go with `// want "regexp"` comments.

- `<case>.go`               input; every line with a `// want "re"` comment must get a finding whose
                            "rule message" matches re, and every finding must be wanted.
- `<case>.go.golden`        the whole file after `gofixer fix --unsafe-fixes`; no golden = no fix applied.
- `<case>/input/*.go` and `<case>/expected/*.go`: the same for a package of several files.

All cases of a rule are laid out as packages of one temporary Go module, so one `check`, one `fix` and
one `go vet ./...` serve them all.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from gofixer import gotool
from gofixer.cli import main

ROOT = Path(__file__).resolve().parent.parent
TESTDATA = ROOT / "testdata"
WANT = re.compile(r'// want ((?:"(?:[^"\\]|\\.)*"\s*)+)')
GO_MOD = "module example.com/cases\n\ngo 1.27\n"


@dataclass
class Case:
    rule: str
    name: str
    inputs: dict[str, bytes]  # file name -> content
    expected: dict[str, bytes] | None  # file name -> content after fix; None = no fix offered

    @property
    def wants(self) -> dict[tuple[str, int], list[str]]:
        out: dict[tuple[str, int], list[str]] = {}
        for fname, data in self.inputs.items():
            for i, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
                m = WANT.search(line)
                if m:
                    out[(fname, i)] = [json.loads(s) for s in re.findall(r'"(?:[^"\\]|\\.)*"', m.group(1))]
        return out

    def golden_paths(self) -> dict[str, Path]:
        base = TESTDATA / self.rule
        if (base / self.name / "input").is_dir():
            return {f: base / self.name / "expected" / f for f in self.inputs}
        return {f: base / (f + ".golden") for f in self.inputs}


def cases(rule: str) -> list[Case]:
    base = TESTDATA / rule
    out: list[Case] = []
    for entry in sorted(base.iterdir()):
        if entry.is_file() and entry.suffix == ".go":
            golden = entry.with_name(entry.name + ".golden")
            out.append(
                Case(
                    rule,
                    entry.stem,
                    {entry.name: entry.read_bytes()},
                    {entry.name: golden.read_bytes()} if golden.exists() else None,
                )
            )
        elif entry.is_dir() and (entry / "input").is_dir():
            inputs = {p.name: p.read_bytes() for p in sorted((entry / "input").glob("*.go"))}
            exp_dir = entry / "expected"
            expected = (
                {p.name: p.read_bytes() for p in sorted(exp_dir.glob("*.go"))} if exp_dir.is_dir() else None
            )
            out.append(Case(rule, entry.name, inputs, expected))
    return out


def rules_with_testdata() -> list[str]:
    return sorted(p.name for p in TESTDATA.iterdir() if p.is_dir() and any(p.iterdir()))


@dataclass
class RuleRun:
    """The results of running one rule over all its cases at once."""

    rule: str
    module: Path
    findings: dict[str, list[dict[str, object]]] = field(default_factory=dict)  # case -> findings
    fixed: dict[str, dict[str, bytes]] = field(default_factory=dict)  # case -> file -> content
    refixed: dict[str, dict[str, bytes]] = field(default_factory=dict)  # after a second fix
    vet_output: str = ""
    vet_failed_packages: set[str] = field(default_factory=set)
    check_exit: int = 0
    fix_output: str = ""


def _lay_out(module: Path, all_cases: list[Case], use_expected: bool = False) -> None:
    if module.exists():
        shutil.rmtree(module)
    module.mkdir(parents=True)
    (module / "go.mod").write_text(GO_MOD)
    for case in all_cases:
        d = module / case.name
        d.mkdir()
        files = case.expected if use_expected and case.expected is not None else case.inputs
        for fname, data in files.items():
            (d / fname).write_bytes(data)


def _invoke(args: list[str], cwd: Path) -> tuple[int, str]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        res = CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)
    return res.exit_code, res.stdout


def run_rule(rule: str, tmp: Path) -> RuleRun:
    all_cases = cases(rule)
    module = tmp / rule
    _lay_out(module, all_cases)
    run = RuleRun(rule, module)
    code, out = _invoke(["check", "--select", rule, "--format", "json", "."], module)
    run.check_exit = code
    for item in json.loads(out):
        case_name = str(item["path"]).split("/", 1)[0]
        run.findings.setdefault(case_name, []).append(item)
    code, out = _invoke(["fix", "--select", rule, "--unsafe-fixes", "--no-verify", "."], module)
    run.fix_output = out
    for case in all_cases:
        run.fixed[case.name] = {f: (module / case.name / f).read_bytes() for f in case.inputs}
    go = gotool.find_tool("go")
    assert go is not None, "the Go toolchain is a test dependency (pip install -e '.[dev]')"
    proc = subprocess.run(
        [go, "vet", "./..."], cwd=module, capture_output=True, text=True, env=gotool.go_env(), check=False
    )
    run.vet_output = proc.stdout + proc.stderr
    for line in run.vet_output.splitlines():
        m = re.match(r"^(?:# example\.com/cases/|vet: \./|\./)([^/\s:]+)", line)
        if m:
            run.vet_failed_packages.add(m.group(1))
    # Convergence: a second fix over the fixed tree changes nothing.
    _invoke(["fix", "--select", rule, "--unsafe-fixes", "--no-verify", "."], module)
    for case in all_cases:
        run.refixed[case.name] = {f: (module / case.name / f).read_bytes() for f in case.inputs}
    return run


def gofmt_unclean(paths: list[Path]) -> list[str]:
    gofmt = gotool.gofmt_path()
    bad = []
    for p in paths:
        data = p.read_bytes()
        out = subprocess.run([gofmt], input=data, capture_output=True, check=False).stdout
        if out != data:
            bad.append(str(p.relative_to(ROOT)))
    return bad
