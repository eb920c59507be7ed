"""unclosed-resource beyond its testdata: its documentation tells the truth, and it survives real code.

The testdata cases (tests/test_golden.py) pin findings and fixes; here the rule's own docs example is run
through the CLI, and `gofixer check` (every rule) runs over a sample of the Go standard library shipped with
the toolchain, which must finish without an internal error. scripts/crash_check.py does the whole tree.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from gofixer import gotool
from gofixer.cli import main
from gofixer.codemod import registry

RULE = "unclosed-resource"


def _go_blocks(doc: str) -> list[str]:
    return re.findall(r"```go\n(.*?)```", doc, re.S)


def test_docs_example_is_reported_and_fixed_as_documented(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = registry()[RULE].doc()
    example = doc.split("## Example", 1)[1].split("## Fix safety", 1)[0]
    before, after = _go_blocks(example)
    header = 'package docs\n\nimport (\n\t"fmt"\n\t"os"\n)\n\n'
    (tmp_path / "go.mod").write_text("module example.com/docs\n\ngo 1.27\n")
    source = tmp_path / "docs.go"
    source.write_text(header + before.replace("    ", "\t"))
    monkeypatch.chdir(tmp_path)

    res = CliRunner().invoke(main, ["check", "--select", RULE, "."], catch_exceptions=False)
    assert res.exit_code == 1
    assert "docs.go:9:13: unclosed-resource file `file` from os.Open is never released" in res.stdout

    res = CliRunner().invoke(main, ["fix", "--select", RULE, "."], catch_exceptions=False)
    assert res.exit_code == 0, res.stderr
    assert source.read_text() == header + after.replace("    ", "\t")


def _stdlib_sample() -> list[Path]:
    """About 150 files from several packages, most of them users of the resources the rule knows."""
    root = gotool.go_env().get("GOROOT")
    if not root:
        pytest.skip("no Go toolchain")
    src = Path(root) / "src"
    picks = {
        "net/http": 60,
        "database/sql": 11,
        "os": 25,
        "context": 7,
        "time": 15,
        "bufio": 7,
        "io": 8,
        "net": 20,
    }
    files: list[Path] = []
    for pkg, n in picks.items():
        files.extend(sorted((src / pkg).glob("*.go"))[:n])
    return files


def test_check_over_a_stdlib_sample_has_no_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    files = _stdlib_sample()
    assert len(files) >= 140
    monkeypatch.chdir(files[0].parents[2])
    res = CliRunner().invoke(main, ["check", "--jobs", "1", *map(str, files)], catch_exceptions=False)
    assert "internal error" not in res.stderr, res.stderr
    assert "Traceback" not in res.stderr + res.stdout
    assert res.exit_code in (0, 1), res.stderr
    # It did look at them: the sample holds code the rule has things to say about.
    assert re.search(r"^net/http/\S+\.go:\d+:\d+: ", res.stdout, re.M), res.stdout[:2000]


TICKER = """package ticker

import (
	"fmt"
	"time"
)

func countdown(n int) {
	t := time.NewTicker(10 * time.Millisecond)
	for i := n; i > 0; i-- {
		<-t.C
		fmt.Println(i)
	}
}
"""


@pytest.mark.parametrize(("go", "leaks"), [("1.22", True), ("1.23", False), ("1.27", False)])
def test_unstopped_ticker_is_a_leak_only_before_go_1_23(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, go: str, leaks: bool
) -> None:
    (tmp_path / "go.mod").write_text(f"module example.com/ticker\n\ngo {go}\n")
    source = tmp_path / "ticker.go"
    source.write_text(TICKER)
    monkeypatch.chdir(tmp_path)

    res = CliRunner().invoke(main, ["check", "--select", RULE, "."], catch_exceptions=False)
    assert res.exit_code == (1 if leaks else 0), res.stdout + res.stderr
    reported = "ticker.go:9:7: unclosed-resource ticker `t` from time.NewTicker is never released"
    assert (reported in res.stdout) is leaks

    res = CliRunner().invoke(main, ["fix", "--select", RULE, "."], catch_exceptions=False)
    assert res.exit_code == 0, res.stderr
    stopped = TICKER.replace("Millisecond)\n", "Millisecond)\n\tdefer t.Stop()\n")
    assert stopped != TICKER
    assert source.read_text() == (stopped if leaks else TICKER)


def test_a_finding_says_why_exactly_when_it_has_no_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    """Over the rule's testdata: every finding without a fix ends with "(no fix: <reason>)", and no
    finding with a fix carries one."""
    testdata = Path(__file__).resolve().parent.parent / "testdata" / RULE
    monkeypatch.chdir(testdata)
    res = CliRunner().invoke(
        main,
        ["check", "--no-cache", "--isolated", "--select", RULE, "--format", "json", "."],
        catch_exceptions=False,
    )
    findings = json.loads(res.stdout)
    without = [d for d in findings if d["fix"] is None]
    with_fix = [d for d in findings if d["fix"] is not None]
    assert len(without) >= 20 and len(with_fix) >= 20, (len(without), len(with_fix))
    for d in without:
        assert re.search(r" \(no fix: [^()]*(\([^()]*\)[^()]*)*\)$", d["message"]), d
    for d in with_fix:
        assert "no fix" not in d["message"], d


# Each case: files of one package (name -> source), and the findings `check` reports, as "file:line".
# The files that report import nothing the rule knows by name, or reach it by a dot import or a raw-string
# import path: the per-file prefilter (`skip_file`) must keep them.
SPREAD_OUT = {
    "http field": (
        {
            "types.go": 'package p\n\nimport "net/http"\n\ntype S struct {\n\tclient *http.Client\n}\n',
            "use.go": (
                'package p\n\nimport "fmt"\n\nfunc (s *S) Fetch(u string) {\n'
                "\tresp, err := s.client.Get(u)\n\tif err != nil {\n\t\treturn\n\t}\n"
                "\tfmt.Println(resp.StatusCode)\n}\n"
            ),
        },
        ["use.go:6"],
    ),
    "embedded sql field, declared in a test file": (
        {
            "db_test.go": 'package p\n\nimport sqlx "database/sql"\n\ntype Store struct {\n\t*sqlx.DB\n}\n',
            "query.go": (
                "package p\n\nfunc (s *Store) Names() {\n"
                '\trows, err := s.DB.Query("SELECT name FROM t")\n\tif err != nil {\n\t\treturn\n\t}\n'
                "\t_ = rows.Err()\n}\n"
            ),
        },
        ["query.go:4"],
    ),
    "sql field, no import elsewhere": (
        {
            "store.go": 'package p\n\nimport (\n\t"database/sql"\n)\n\ntype Store struct {\n\tdb *sql.DB\n}\n',
            "query.go": (
                "package p\n\nfunc (s *Store) Names() int {\n"
                '\trows, err := s.db.Query("SELECT name FROM t")\n\tif err != nil {\n\t\treturn 0\n\t}\n'
                "\tn := 0\n\tfor rows.Next() {\n\t\tn++\n\t}\n\treturn n\n}\n"
            ),
        },
        ["query.go:4"],
    ),
    "dot import and raw-string import path": (
        {
            "dot.go": 'package p\n\nimport . "os"\n\nfunc Size(p string) {\n\tf, _ := Open(p)\n\t_ = f.Name()\n}\n',
            "raw.go": (
                "package p\n\nimport stdtime `time`\n\nfunc Tick() {\n"
                "\tt := stdtime.NewTicker(stdtime.Second)\n\t<-t.C\n}\n"
            ),
            "none.go": "package p\n\nfunc helper(p string) int { return len(p) }\n",
        },
        ["dot.go:6", "raw.go:6"],
    ),
    "blank and dot imports of net/http bind no type name": (
        {
            "blank.go": 'package p\n\nimport _ "net/http"\n\ntype C struct{ c *http.Client }\n',
            "dot.go": 'package p\n\nimport . "net/http"\n\ntype D struct{ c *Client }\n',
            "use.go": (
                "package p\n\nfunc (x *C) Fetch(u string) {\n\tresp, _ := x.c.Get(u)\n\t_ = resp\n}\n"
            ),
        },
        [],
    ),
}


@pytest.mark.parametrize("case", list(SPREAD_OUT))
def test_files_that_import_nothing_known_are_still_checked_when_they_can_leak(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    files, expected = SPREAD_OUT[case]
    (tmp_path / "go.mod").write_text("module example.com/p\n\ngo 1.22\n")
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(
        main,
        ["check", "--no-cache", "--isolated", "--select", RULE, "--format", "json", "."],
        catch_exceptions=False,
    )
    assert res.exit_code in (0, 1), res.stderr
    found = sorted(f"{d['path']}:{d['line']}" for d in json.loads(res.stdout))
    assert found == expected, res.stdout
