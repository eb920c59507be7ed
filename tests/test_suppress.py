"""Suppression comments through the real CLI: every form, where each one reaches, that a suppressed finding
is neither reported nor fixed, and `--strict` reporting the suppressions that suppress nothing.

The Go file says what it expects: a line ending in `// want` must be reported, every other leak is
suppressed. Leaked variables are named `w…` where wanted and `s…` where suppressed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gofixer.cli import main
from gofixer.suppress import parse_comment

RULE = "unclosed-resource"

FORMS = """package forms

import (
\t"database/sql"
\t"fmt"
\t"net/http"
\t"os"
)

func SameLine() {
\ts1, _ := os.Open("a") //gofixer:ignore unclosed-resource closed by the finalizer test
\tfmt.Println(s1.Name())
}

func LineAbove() {
\t//gofixer:ignore unclosed-resource handed to a background closer
\ts2, _ := os.Open("a")
\tfmt.Println(s2.Name())
}

func TwoRules() {
\ts3, _ := os.Open("a") //gofixer:ignore unbounded-global,unclosed-resource both on purpose
\tfmt.Println(s3.Name())
}

func OtherRule() {
\tw1, _ := os.Open("a") //gofixer:ignore unbounded-global wrong rule // want
\tfmt.Println(w1.Name())
}

func TwoLinesAbove() {
\t//gofixer:ignore unclosed-resource too far away

\tw2, _ := os.Open("a") // want
\tfmt.Println(w2.Name())
}

func BareNolint() {
\ts4, _ := os.Open("a") //nolint
\tfmt.Println(s4.Name())
}

func NolintAll() {
\ts5, _ := os.Open("a") //nolint:all
\tfmt.Println(s5.Name())
}

// WholeFunction is covered by the nolint in its doc comment.
//
//nolint:gofixer // legacy code, tracked in an issue
func WholeFunction() {
\ts6, _ := os.Open("a")
\tfmt.Println(s6.Name())
\ts7, _ := os.Open("b")
\tfmt.Println(s7.Name())
}

func AfterWholeFunction() {
\tw3, _ := os.Open("a") // want
\tfmt.Println(w3.Name())
}

func Statement(paths []string) {
\t//nolint:gofixer
\tif len(paths) > 0 {
\t\ts8, _ := os.Open(paths[0])
\t\tfmt.Println(s8.Name())
\t}
\tw4, _ := os.Open("c") // want
\tfmt.Println(w4.Name())
}

func BodyClose(url string) {
\ts9, _ := http.Get(url) //nolint:bodyclose // the caller drains it
\tfmt.Println(s9.StatusCode)
}

func BodyCloseOnAFile() {
\tw5, _ := os.Open("a") //nolint:bodyclose // want
\tfmt.Println(w5.Name())
}

func SQLCloseCheck(db *sql.DB) {
\ts10, _ := db.Query("select 1") //nolint:sqlclosecheck
\tfmt.Println(s10.Next())
}

func RowsErrCheck(db *sql.DB) {
\ts11, _ := db.Query("select 1") //nolint:errcheck,rowserrcheck
\tfmt.Println(s11.Next())
}

func SQLCloseCheckOnABody(url string) {
\tw6, _ := http.Get(url) //nolint:sqlclosecheck // want
\tfmt.Println(w6.StatusCode)
}

func OtherLinter() {
\tw7, _ := os.Open("a") //nolint:errcheck // want
\tfmt.Println(w7.Name())
}

func RuleAsLinter() {
\ts12, _ := os.Open("a") //nolint:unclosed-resource
\tfmt.Println(s12.Name())
}
"""

UNUSED = """package unused

import (
\t"fmt"
\t"os"
)

func Clean(path string) error {
\t//gofixer:ignore unclosed-resource left over from an old leak // want
\tf, err := os.Open(path)
\tif err != nil {
\t\treturn err
\t}
\tdefer f.Close()
\tfmt.Println(f.Name()) //nolint:gofixer // want
\tfmt.Println(f.Name()) //nolint:bodyclose,errcheck other linters: never judged
\tfmt.Println(f.Name()) //nolint
\treturn nil
}

func Used() {
\tg, _ := os.Open("a") //gofixer:ignore unclosed-resource used: not reported
\tfmt.Println(g.Name())
}

func Typo() {
\tfmt.Println("x") //gofixer:ignore unclosed-resorce // want
}

func NoRule() {
\tfmt.Println("x") //gofixer:ignore // want
}
"""


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "go.mod").write_text("module example.com/sup\n\ngo 1.27\n")
    for name, text in (("forms", FORMS), ("unused", UNUSED)):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{name}.go").write_text(text)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def wanted_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if line.endswith("// want")]


def reported(res: Result, path: str, rule: str) -> list[int]:
    return sorted(i["line"] for i in json.loads(res.stdout) if i["path"] == path and i["rule"] == rule)


def test_every_form_suppresses_exactly_what_it_covers(module: Path) -> None:
    res = run("check", "--select", RULE, "--format", "json", "forms")
    assert res.exit_code == 1, res.stderr
    assert reported(res, "forms/forms.go", RULE) == wanted_lines(FORMS)


def test_a_suppressed_finding_is_not_fixed(module: Path) -> None:
    res = run("fix", "--select", RULE, "forms")
    assert res.exit_code == 0, res.stdout + res.stderr
    fixed = (module / "forms" / "forms.go").read_text()
    names = re.findall(r"^\t+([sw]\d+), _ :=", FORMS, re.M)
    assert {n for n in names if n.startswith("w")} == {f"w{i}" for i in range(1, 8)}
    for name in names:
        released = re.search(rf"defer {name}(\.Body)?\.Close\(\)", fixed) is not None
        assert released == name.startswith("w"), name
    # What fix left alone, check still does not report.
    res = run("check", "--select", RULE, "forms")
    assert (res.exit_code, res.stdout) == (0, "")


def test_strict_reports_suppressions_that_suppress_nothing(module: Path) -> None:
    res = run("check", "--select", RULE, "--format", "json", "unused")
    assert (res.exit_code, json.loads(res.stdout)) == (0, [])

    res = run("check", "--select", RULE, "--strict", "--format", "json", "unused")
    assert res.exit_code == 1
    assert reported(res, "unused/unused.go", "unused-suppression") == wanted_lines(UNUSED)
    messages = {i["line"]: i["message"] for i in json.loads(res.stdout)}
    lines = wanted_lines(UNUSED)
    assert messages[lines[0]] == "`//gofixer:ignore unclosed-resource` suppresses nothing"
    assert messages[lines[1]] == "`//nolint:gofixer` suppresses nothing"
    assert messages[lines[2]] == "`//gofixer:ignore` names unknown rule 'unclosed-resorce'"
    assert messages[lines[3]].startswith("`//gofixer:ignore` names no rule")


def test_strict_judges_only_the_rules_that_ran(module: Path) -> None:
    # With unclosed-resource not running, nobody can tell whether its suppressions are used.
    res = run("check", "--ignore", RULE, "--strict", "--format", "json", "unused")
    lines = reported(res, "unused/unused.go", "unused-suppression")
    wanted = wanted_lines(UNUSED)
    assert lines == [wanted[1], wanted[2], wanted[3]]  # //nolint:gofixer covers every rule that ran


def test_strict_in_text_and_explain(module: Path) -> None:
    res = run("check", "--select", RULE, "--strict", "unused")
    first = wanted_lines(UNUSED)[0]
    assert f"unused/unused.go:{first}:2: unused-suppression " in res.stdout
    res = run("explain", "unused-suppression")
    assert res.exit_code == 0
    assert res.stdout.startswith("# unused-suppression\n\n## What it does\n")


@pytest.mark.parametrize(
    ("comment", "parsed"),
    [
        ("//gofixer:ignore unclosed-resource reason", ("gofixer", ("unclosed-resource",))),
        ("//gofixer:ignore a-b , c-d reason words", ("gofixer", ("a-b", "c-d"))),
        ("//gofixer:ignore", ("gofixer", ())),
        ("// gofixer:ignore unclosed-resource", ("gofixer", ("unclosed-resource",))),
        ("//nolint", ("nolint", ())),
        ("//nolint // why", ("nolint", ())),
        ("//nolint:bodyclose,SQLCloseCheck // why", ("nolint", ("bodyclose", "sqlclosecheck"))),
        ("/* nolint:gofixer */", ("nolint", ("gofixer",))),
        ("//nolintfoo", None),
        ("//gofixer:ignored unclosed-resource", None),
        ("// an ordinary comment mentioning nolint", None),
    ],
)
def test_comment_syntax(comment: str, parsed: tuple[str, tuple[str, ...]] | None) -> None:
    assert parse_comment(comment) == parsed
