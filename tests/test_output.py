"""Output formats through the real CLI: SARIF validated against the OASIS 2.1.0 schema (its fixes applied
and compared with what `gofixer fix` writes), GitHub workflow annotations, text with the source line and a
caret, colour only on a terminal (a real pseudo-terminal) and never with NO_COLOR, --quiet, --verbose."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import jsonschema
import pytest
from click.testing import CliRunner, Result

from gofixer import gotool
from gofixer.cli import main
from gofixer.codemod import registry

GOFIXER = Path(sys.executable).parent / "gofixer"
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
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


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "m"
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    monkeypatch.chdir(root)
    return root


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)


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
