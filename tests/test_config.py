"""Configuration through the real CLI: where the file is found, what each key does, command-line flags over
the file, `gofixer config`, and a one-line error naming the file and the key for every malformed file."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gofixer.cli import main
from gofixer.codemod import registry
from gofixer.config import Globs

RULE = "unclosed-resource"

LEAK = """package {pkg}

import (
\t"fmt"
\t"os"
)

func Show(path string) {{
\tf, _ := os.Open(path)
\tfmt.Println(f.Name())
}}
"""

# A subslice kept in a field while the function goes on using the whole buffer: only an unsafe fix.
UNSAFE = """package keep

import "io"

type Peer struct {
\tr     io.Reader
\thello []byte
\ttotal int
}

func (p *Peer) greet() error {
\tbuf := make([]byte, 64*1024)
\tn, err := p.r.Read(buf)
\tif err != nil {
\t\treturn err
\t}
\tp.hello = buf[:n]
\tfor _, b := range buf {
\t\tp.total += int(b)
\t}
\treturn nil
}
"""


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    write(
        root,
        {
            "go.mod": "module example.com/repo\n\ngo 1.27\n",
            "app/app.go": LEAK.format(pkg="app"),
            "app/app_test.go": LEAK.format(pkg="app"),
            "gen/gen.go": LEAK.format(pkg="gen"),
            "legacy/old/old.go": LEAK.format(pkg="old"),
            "mocks/store_mock.go": LEAK.format(pkg="mocks"),
            "keep/keep.go": UNSAFE,
        },
    )
    monkeypatch.chdir(root)
    return root


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def paths_of(res: Result) -> set[str]:
    return {i["path"] for i in json.loads(res.stdout)}


def effective(*args: str) -> dict[str, object]:
    res = run("config", *args)
    assert res.exit_code == 0, res.stderr
    return tomllib.loads(res.stdout)


def test_default_jobs_are_the_cores_this_process_may_use(repo: Path) -> None:
    """Not the machine's core count: a container or `taskset` may allow fewer."""
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(allowed)})
    try:
        assert effective()["jobs"] == 1
    finally:
        os.sched_setaffinity(0, allowed)


ALL_LEAKS = {"app/app.go", "app/app_test.go", "gen/gen.go", "legacy/old/old.go", "mocks/store_mock.go"}


def test_defaults_without_a_file(repo: Path) -> None:
    conf = effective()
    assert conf == {
        "select": list(registry()),
        "ignore": [],
        "exclude": [],
        "unsafe-fixes": False,
        "jobs": len(os.sched_getaffinity(0)),
        "verify": True,
        "per-file-ignores": {},
    }
    assert "# configuration file: none found (defaults)" in run("config").stdout
    res = run("check", "--select", RULE, "--format", "json", ".")
    assert paths_of(res) == ALL_LEAKS


def test_exclude_and_per_file_ignores(repo: Path) -> None:
    write(
        repo,
        {
            ".gofixer.toml": """
exclude = ["gen", "*_mock.go"]

[per-file-ignores]
"*_test.go" = ["unclosed-resource"]
"legacy/**" = ["unclosed-resource", "subslice-retention"]
""",
        },
    )
    res = run("check", "--select", RULE, "--format", "json", ".")
    assert res.exit_code == 1
    assert paths_of(res) == {"app/app.go"}

    # A per-file-ignored finding is not fixed either; an excluded file is not even read.
    res = run("fix", "--select", RULE, "--no-verify", ".")
    assert res.stdout.splitlines() == ["app/app.go: fixed 1 finding", "Fixed 1 finding in 1 file."]
    for rel in ALL_LEAKS - {"app/app.go"}:
        assert "Close" not in (repo / rel).read_text(), rel

    res = run("check", "--select", RULE, "--verbose", ".")
    assert "mocks/store_mock.go: skipped: excluded" in res.stderr

    # Files named on the command line are excluded too (pre-commit passes file names).
    res = run("check", "--select", RULE, "mocks/store_mock.go")
    assert (res.exit_code, res.stdout) == (0, "")


def test_found_from_the_scanned_path_upward(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(repo, {".gofixer.toml": 'ignore = ["unclosed-resource"]\n'})
    monkeypatch.chdir(tmp_path)  # outside the repository: the file is found from the path, not the cwd
    res = run("check", "--format", "json", "repo/app")
    assert json.loads(res.stdout) == []
    assert effective("repo/app")["ignore"] == [RULE]
    assert effective()["ignore"] == []  # from tmp_path upward there is none


def test_pyproject_table(repo: Path) -> None:
    write(repo, {"pyproject.toml": '[project]\nname = "x"\n\n[tool.gofixer]\nexclude = ["legacy/"]\n'})
    assert effective()["exclude"] == ["legacy/"]
    assert "legacy/old/old.go" not in paths_of(run("check", "--select", RULE, "--format", "json", "."))

    # In one directory .gofixer.toml wins; a pyproject.toml without [tool.gofixer] is passed over.
    write(repo, {".gofixer.toml": 'exclude = ["gen"]\n'})
    assert effective()["exclude"] == ["gen"]
    write(repo, {"app/pyproject.toml": '[project]\nname = "app"\n'})
    assert effective("app")["exclude"] == ["gen"]


def test_flags_override_the_file(repo: Path) -> None:
    write(
        repo,
        {
            ".gofixer.toml": """
select = ["subslice-retention"]
unsafe-fixes = true
jobs = 1
verify = false
exclude = ["gen"]
""",
        },
    )
    conf = effective()
    assert (conf["select"], conf["unsafe-fixes"], conf["jobs"], conf["verify"]) == (
        ["subslice-retention"],
        True,
        1,
        False,
    )
    res = run("check", ".")
    assert res.stdout.startswith("keep/keep.go:17:")
    assert res.stdout.splitlines()[0].endswith(" [*]")  # unsafe fixes on: the fix is applicable

    conf = effective("--select", RULE, "--no-unsafe-fixes", "-j", "3", "--verify", "--exclude", "legacy")
    assert (conf["select"], conf["unsafe-fixes"], conf["jobs"], conf["verify"], conf["exclude"]) == (
        [RULE],
        False,
        3,
        True,
        ["legacy"],
    )
    res = run("check", "--no-unsafe-fixes", ".")
    assert res.stdout.splitlines()[0].endswith(" [unsafe fix]")
    res = run("check", "--select", RULE, "--exclude", "legacy", "--format", "json", ".")
    assert paths_of(res) == ALL_LEAKS - {"legacy/old/old.go"}  # gen/ is back: --exclude replaced the list

    # --isolated ignores the file; --config names one explicitly.
    assert effective("--isolated")["select"] == list(registry())
    write(repo, {"other.toml": 'ignore = ["unbounded-global"]\n'})
    res = run("config", "--config", "other.toml")
    assert tomllib.loads(res.stdout)["ignore"] == ["unbounded-global"]
    assert "# configuration file: other.toml" in res.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('selct = ["unclosed-resource"]\n', "'selct' (did you mean 'select'?)"),
        ("colour = true\n", "unknown key 'colour' (known keys: select, ignore,"),
        (
            'select = "unclosed-resource"\n',
            "'select': expected a list of rule ids, got \"unclosed-resource\"",
        ),
        ('ignore = ["no-such-rule"]\n', "'ignore': unknown rule 'no-such-rule' (known: "),
        ("jobs = 0\n", "'jobs': expected a whole number of worker processes >= 1, got 0"),
        ("jobs = true\n", "'jobs': expected a whole number of worker processes >= 1, got true"),
        ('unsafe-fixes = "yes"\n', "'unsafe-fixes': expected true or false, got \"yes\""),
        ("verify = 1\n", "'verify': expected true or false, got 1"),
        ('exclude = "gen"\n', "'exclude': expected a list of glob patterns, got \"gen\""),
        ('per-file-ignores = ["x"]\n', "'per-file-ignores': expected a table of glob = [rule ids]"),
        ('[per-file-ignores]\n"*.go" = ["nope"]\n', "'per-file-ignores.*.go': unknown rule 'nope'"),
        ("select = [\n", "invalid TOML: "),
    ],
)
def test_malformed_file_is_one_line_naming_file_and_key(repo: Path, text: str, message: str) -> None:
    write(repo, {".gofixer.toml": text})
    before = (repo / "app" / "app.go").read_text()
    for command in ("check", "diff", "fix", "config"):
        res = run(command, ".")
        assert res.exit_code == 2, (command, res.stdout)
        assert res.stdout == ""
        assert res.stderr.count("\n") == 1, res.stderr
        assert res.stderr.startswith("gofixer: error: .gofixer.toml: "), res.stderr
        assert message in res.stderr
    assert (repo / "app" / "app.go").read_text() == before


def test_malformed_pyproject_table(repo: Path) -> None:
    write(repo, {"pyproject.toml": "[tool.gofixer]\nverify = 'no'\n"})
    res = run("check", ".")
    assert res.exit_code == 2
    assert res.stderr == "gofixer: error: pyproject.toml: 'verify': expected true or false, got \"no\"\n"


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("*_test.go", "a/b/x_test.go", True),
        ("*_test.go", "x_test.go", True),
        ("*_test.go", "a/x_test.go/y.go", True),  # a directory of that name covers what is under it
        ("*_test.go", "a/x.go", False),
        ("gen", "gen/x.go", True),
        ("gen", "a/gen/x.go", True),
        ("gen", "a/generated/x.go", False),
        ("/gen", "a/gen/x.go", False),
        ("a/gen", "a/gen/x.go", True),
        ("a/gen", "b/a/gen/x.go", False),
        ("legacy/**", "legacy/old/old.go", True),
        ("legacy/**/*.go", "legacy/x.go", True),
        ("**/mock_*.go", "a/b/mock_store.go", True),
        ("cmd/*/main.go", "cmd/tool/main.go", True),
        ("cmd/*/main.go", "cmd/a/b/main.go", False),
        ("x?.go", "xy.go", True),
        ("[ab].go", "b.go", True),
        ("[!ab].go", "b.go", False),
    ],
)
def test_glob(tmp_path: Path, pattern: str, path: str, matches: bool) -> None:
    globs = Globs(str(tmp_path), (pattern,))
    assert globs.match(str(tmp_path / path)) is matches
