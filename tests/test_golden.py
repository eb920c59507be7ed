"""Every testdata case of every rule: wanted findings, golden fixes, gofmt, go vet, convergence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gofixer.codemod import registry
from tests.golden import TESTDATA, RuleRun, cases, gofmt_unclean, rules_with_testdata, run_rule

RULES = rules_with_testdata()
CASES = [(rule, case.name) for rule in RULES for case in cases(rule)]


class _LazyRuns(dict[str, RuleRun]):
    """Runs a rule over its cases the first time one of them is tested (so `-k rule` stays fast)."""

    def __init__(self, tmp: Path) -> None:
        super().__init__()
        self.tmp = tmp

    def __missing__(self, rule: str) -> RuleRun:
        self[rule] = run_rule(rule, self.tmp)
        return self[rule]


@pytest.fixture(scope="session")
def rule_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, RuleRun]:
    return _LazyRuns(tmp_path_factory.mktemp("golden"))


def test_every_rule_has_testdata() -> None:
    assert set(registry()) <= set(RULES), "each codemod needs a testdata/<rule>/ folder"


def test_testdata_is_gofmt_clean() -> None:
    files = [p for p in TESTDATA.rglob("*") if p.is_file() and p.name.endswith((".go", ".go.golden"))]
    assert files
    assert gofmt_unclean(files) == []


@pytest.mark.parametrize(("rule", "name"), CASES, ids=[f"{r}/{n}" for r, n in CASES])
def test_case(rule: str, name: str, rule_runs: dict[str, RuleRun], request: pytest.FixtureRequest) -> None:
    case = next(c for c in cases(rule) if c.name == name)
    run = rule_runs[rule]
    found = run.findings.get(name, [])
    # 1. every finding is wanted, every want is found
    wants = case.wants
    unexpected = []
    matched: set[tuple[str, int, str]] = set()
    for f in found:
        fname = str(f["path"]).split("/", 1)[1]
        key = (fname, int(f["line"]))  # type: ignore[call-overload]
        text = f"{f['rule']} {f['message']}"
        ok = False
        for pattern in wants.get(key, []):
            if re.search(pattern, text):
                matched.add((*key, pattern))
                ok = True
        if not ok:
            unexpected.append(f"{fname}:{f['line']}: {text}")
    missing = [f"{k[0]}:{k[1]}: want {p!r}" for k, ps in wants.items() for p in ps if (*k, p) not in matched]
    assert not unexpected, f"unexpected findings: {unexpected}"
    assert not missing, f"missing findings: {missing}"

    # 2. the fix gives exactly the golden (or changes nothing when there is none)
    fixed = run.fixed[name]
    if request.config.getoption("--update-golden"):
        for fname, path in case.golden_paths().items():
            if fixed[fname] != case.inputs[fname]:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(fixed[fname])
            elif path.exists():
                path.unlink()
        return
    if case.expected is None:
        assert fixed == case.inputs, "no golden file, yet the fix changed the case"
    else:
        expected = {f: case.expected.get(f, case.inputs[f]) for f in case.inputs}
        for fname in case.inputs:
            assert fixed[fname].decode() == expected[fname].decode(), f"{fname} differs from its golden"
        assert fixed != case.inputs, "a golden that equals its input proves nothing"
        # 3. the fixed package passes go vet
        assert name not in run.vet_failed_packages, run.vet_output
    # 4. convergence: fixing again changes nothing
    assert run.refixed[name] == fixed


def test_rule_cases_are_enough() -> None:
    """Each rule has both positive (wanted) and negative (no want) cases."""
    for rule in RULES:
        cs = cases(rule)
        assert any(c.wants for c in cs), rule
        assert any(not c.wants for c in cs), rule
