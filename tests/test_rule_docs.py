"""Rule documentation: every codemod's docstring has the four sections, `gofixer explain` prints it, and
docs/rules.md is generated from the same docstrings (the script's --check fails when it is stale)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from gofixer.cli import main
from gofixer.codemod import registry
from gofixer.output import SECTIONS, doc_sections
from gofixer.suppress import UNUSED, unused_doc

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "gen_rule_docs.py"
DOCS = {name: cm.doc() for name, cm in registry().items()} | {UNUSED: unused_doc()}


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_rule_docs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("rule", sorted(DOCS))
def test_docstring_has_the_four_sections(rule: str) -> None:
    doc = DOCS[rule]
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule), "rule ids are kebab-case"
    sections = doc_sections(doc)
    assert list(sections) == list(SECTIONS), f"{rule}: sections must be exactly {SECTIONS}, in order"
    assert doc.startswith("## What it does\n"), f"{rule}: nothing may come before `## What it does`"
    for title, body in sections.items():
        assert len(body.split()) >= 5, f"{rule}: section {title!r} says too little"
    example = sections["Example"]
    assert re.search(r"^```go\n.+?^```$", example, re.M | re.S), f"{rule}: the example shows Go code"
    if rule in registry():
        assert registry()[rule].summary, f"{rule}: a one-line summary for `gofixer rules`"


@pytest.mark.parametrize("rule", sorted(DOCS))
def test_explain_prints_the_docstring(rule: str) -> None:
    res = CliRunner().invoke(main, ["explain", rule], catch_exceptions=False)
    assert res.exit_code == 0
    assert res.stdout == f"# {rule}\n\n{DOCS[rule]}\n"


def test_rules_md_is_generated_from_the_docstrings() -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    text = (ROOT / "docs" / "rules.md").read_text()
    for rule, doc in DOCS.items():
        assert f"\n## {rule}\n" in text
        assert f"| [`{rule}`](#{rule}) |" in text
        for title, body in doc_sections(doc).items():
            assert re.search(rf"\n### {re.escape(title)}\n\n?{re.escape(body)}\n", text), (rule, title)


def test_check_fails_on_a_stale_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    script = load_script()
    stale = tmp_path / "rules.md"
    stale.write_text(script.render().replace("## What it does", "## What it did", 1))
    monkeypatch.setattr(script, "TARGET", stale)
    monkeypatch.setattr(script, "ROOT", tmp_path)
    assert script.main(["--check"]) == 1
    assert "rules.md is out of date" in capsys.readouterr().err
    assert script.main([]) == 0  # regenerates it
    assert stale.read_text() == script.render()
    assert script.main(["--check"]) == 0
