"""The engine's own guarantees: type-check verification, import insertion, passes, formatting policy."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gofixer import gotool
from gofixer.cli import main
from gofixer.engine import apply_edits
from gofixer.imports import import_edits
from gofixer.parsing import SourceFile
from tests.conftest import GO_MOD, install_plugin

ROOT = Path(__file__).resolve().parent.parent


def _cli(args: list[str], cwd: Path) -> tuple[int, str, str]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        res = CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)
    return res.exit_code, res.stdout, res.stderr


def test_fix_that_breaks_another_package_is_dropped_by_type_check(tmp_path: Path) -> None:
    """Changing an exported signature breaks an external test package the codemod never rewrites:
    go vet -overlay sees it, the fix is dropped with a warning, and no file changes."""
    (tmp_path / "go.mod").write_text(GO_MOD)
    pkg = tmp_path / "exported"
    pkg.mkdir()
    shutil.copy(ROOT / "testdata/goroutine-no-exit/exported_spawner.go", pkg / "spawner.go")
    (pkg / "spawner_ext_test.go").write_text(
        'package exported_test\n\nimport (\n\t"testing"\n\n\t"example.com/m/exported"\n)\n\n'
        'func TestListen(t *testing.T) {\n\texported.Listen("x")\n}\n'
    )
    before = {p.name: p.read_bytes() for p in pkg.iterdir()}
    code, out, err = _cli(["fix", "--select", "goroutine-no-exit", "--unsafe-fixes", "."], tmp_path)
    after = {p.name: p.read_bytes() for p in pkg.iterdir()}
    assert after == before, "a fix that does not type-check must leave every file untouched"
    assert "fix dropped: it does not type-check" in err
    assert "not enough arguments in call to exported.Listen" in err
    assert code == 1, (out, err)  # the finding stays, unfixed: not an error of the run
    assert "[*]" not in out and "[unsafe fix]" not in out  # the dropped fix is no longer offered

    # Without verification the same fix goes through (and would break the external test package).
    code, out, err = _cli(
        ["fix", "--select", "goroutine-no-exit", "--unsafe-fixes", "--no-verify", "."], tmp_path
    )
    assert (pkg / "spawner.go").read_bytes() != before["spawner.go"]
    go = gotool.find_tool("go")
    assert go is not None
    import subprocess

    vet = subprocess.run(
        [go, "vet", "./..."], cwd=tmp_path, capture_output=True, text=True, env=gotool.go_env(), check=False
    )
    assert vet.returncode != 0 and "not enough arguments" in vet.stderr


def _imports_after(src: str, paths: set[str]) -> str:
    f = SourceFile.parse("/x.go", src.encode())
    return apply_edits(f.data, import_edits(f, paths)).decode()


@pytest.mark.parametrize(
    ("src", "paths", "expected"),
    [
        (  # grouped block: sorted into place
            'package p\n\nimport (\n\t"fmt"\n\t"os"\n)\n',
            {"context"},
            'package p\n\nimport (\n\t"context"\n\t"fmt"\n\t"os"\n)\n',
        ),
        (  # std lib joins the std group, not the third-party one
            'package p\n\nimport (\n\t"fmt"\n\n\t"example.com/x"\n)\n',
            {"strings"},
            'package p\n\nimport (\n\t"fmt"\n\t"strings"\n\n\t"example.com/x"\n)\n',
        ),
        (  # a single import becomes a grouped block
            'package p\n\nimport "fmt"\n',
            {"context"},
            'package p\n\nimport (\n\t"context"\n\t"fmt"\n)\n',
        ),
        (  # no imports at all
            "package p\n\nfunc f() {}\n",
            {"context"},
            'package p\n\nimport "context"\n\nfunc f() {}\n',
        ),
        (  # already imported under another name: nothing to add
            'package p\n\nimport stdctx "context"\n',
            {"context"},
            'package p\n\nimport stdctx "context"\n',
        ),
        (  # two at once, at the same spot, stay sorted
            'package p\n\nimport (\n\t"os"\n)\n',
            {"strings", "context"},
            'package p\n\nimport (\n\t"context"\n\t"os"\n\t"strings"\n)\n',
        ),
    ],
)
def test_import_insertion(src: str, paths: set[str], expected: str) -> None:
    out = _imports_after(src, paths)
    assert out == expected
    assert gotool.gofmt(out.encode()).decode() == out


def test_fix_keeps_untouched_lines_of_a_file_that_was_not_gofmt_clean(tmp_path: Path) -> None:
    """Never reformat code the fix did not touch: a badly formatted file stays badly formatted."""
    (tmp_path / "go.mod").write_text(GO_MOD)
    src = (
        'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\n'
        "func main() {\n"
        '\tfile, _ := os.Open("example.txt")\n'
        "\tfmt.Println(   file.Name()  )\n"
        "}\n"
        "func   ugly( ) {  }\n"
    )
    (tmp_path / "main.go").write_text(src)
    code, _, err = _cli(["fix", "."], tmp_path)
    assert code == 0, err
    out = (tmp_path / "main.go").read_text()
    assert out == src.replace(
        '\tfile, _ := os.Open("example.txt")\n',
        '\tfile, _ := os.Open("example.txt")\n\tdefer file.Close()\n',
    )


def test_a_codemod_from_another_package_plugs_in_through_the_entry_point_group(tmp_path: Path) -> None:
    """An organisation ships its own codemod as a package: installed, it is listed and runs."""
    import subprocess
    import sys

    site = tmp_path / "site"
    (site / "acme_rules").mkdir(parents=True)
    (site / "acme_rules" / "__init__.py").write_text(
        '"""A third-party codemod."""\n'
        "from gofixer.codemod import Codemod\n\n\n"
        "class NoPanic(Codemod):\n"
        '    """\n    ## What it does\n    Flags panic calls.\n\n    ## Why is this bad?\n    Crashes.\n\n'
        '    ## Example\n    ```go\n    panic("x")\n    ```\n\n    ## Fix safety\n    No fix.\n    """\n\n'
        '    name = "acme-no-panic"\n'
        '    summary = "panic() called."\n'
        '    query = "(call_expression function: (identifier) @fn (#eq? @fn \\"panic\\")) @call"\n\n'
        "    def run(self, package, matches):\n"
        "        for m in matches:\n"
        '            yield self.finding(m.file, m.node("call"), "panic called")\n'
    )
    dist = site / "acme_rules-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[gofixer.codemods]\nacme-no-panic = acme_rules:NoPanic\n")
    (tmp_path / "main.go").write_text('package main\n\nfunc main() {\n\tpanic("boom")\n}\n')
    env = {**os.environ, "PYTHONPATH": str(site)}
    cmd = [sys.executable, "-m", "gofixer.cli"]
    rules = subprocess.run([*cmd, "rules"], capture_output=True, text=True, env=env, check=True)
    assert "acme-no-panic" in rules.stdout and "unclosed-resource" in rules.stdout
    check = subprocess.run(
        [*cmd, "check", "--select", "acme-no-panic", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=tmp_path,
    )
    assert check.returncode == 1, check.stderr
    assert "main.go:4:2: acme-no-panic panic called" in check.stdout


def test_a_vet_warning_already_in_the_file_does_not_block_its_fixes(tmp_path: Path) -> None:
    """Verification judges the change: a problem the file had before the fix is not the fix's fault."""
    (tmp_path / "go.mod").write_text(GO_MOD)
    src = (
        'package a\n\nimport (\n\t"fmt"\n\t"os"\n)\n\n'
        'func Name() string {\n\tf, _ := os.Open("x")\n\treturn f.Name()\n}\n\n'
        'func Log2(n string) {\n\tfmt.Printf("%d\\n", n)\n}\n'
    )
    (tmp_path / "a.go").write_text(src)
    code, out, err = _cli(["fix", "."], tmp_path)
    assert "fix dropped" not in err, err
    assert code == 0, (out, err)
    assert "defer f.Close()" in (tmp_path / "a.go").read_text()


def test_an_exported_signature_change_is_checked_against_the_modules_importers(tmp_path: Path) -> None:
    """An unsafe fix that adds a ctx parameter to an exported function would break another package of
    the module that calls it: the importers are type-checked too, and the fix is dropped."""
    (tmp_path / "go.mod").write_text(GO_MOD)
    (tmp_path / "a.go").write_text(
        'package m\n\nimport "fmt"\n\n// Listen prints what arrives on ch.\nfunc Listen(ch chan int) {\n'
        "\tgo func() {\n\t\tfor {\n\t\t\tv := <-ch\n\t\t\tfmt.Println(v)\n\t\t}\n\t}()\n}\n"
    )
    (tmp_path / "use").mkdir()
    (tmp_path / "use" / "u.go").write_text(
        'package use\n\nimport "example.com/m"\n\n// Start listens.\nfunc Start() {\n\tm.Listen(make(chan int))\n}\n'
    )
    before = (tmp_path / "a.go").read_bytes()
    code, out, err = _cli(["fix", "--unsafe-fixes", "."], tmp_path)
    assert (tmp_path / "a.go").read_bytes() == before, out
    assert "fix dropped: it does not type-check" in err and "use/u.go" in err, err
    assert code == 1
    go = gotool.find_tool("go")
    assert go is not None
    import subprocess

    build = subprocess.run(
        [go, "build", "./..."], cwd=tmp_path, capture_output=True, text=True, env=gotool.go_env(), check=False
    )
    assert build.returncode == 0, build.stderr


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "import not_a_module_anywhere\n",
            "gofixer: error: cannot load codemod entry point 'acme-broken' (acme_broken:Rule): "
            "ModuleNotFoundError: No module named 'not_a_module_anywhere'",
        ),
        (
            "class Rule:\n    pass\n",
            "gofixer: error: codemod entry point 'acme-broken' (acme_broken:Rule) "
            "is not a gofixer Codemod subclass with a name",
        ),
    ],
)
def test_a_broken_codemod_plugin_is_one_line_and_exit_2(tmp_path: Path, source: str, expected: str) -> None:
    import subprocess
    import sys

    env = install_plugin(tmp_path, "acme-broken", "acme_broken:Rule", source)
    (tmp_path / "main.go").write_text("package main\n\nfunc main() {}\n")
    for args in (["check", "."], ["rules"]):
        proc = subprocess.run(
            [sys.executable, "-m", "gofixer.cli", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            check=False,
        )
        assert (proc.returncode, proc.stderr, proc.stdout) == (2, expected + "\n", "")
