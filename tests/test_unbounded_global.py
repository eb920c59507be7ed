"""unbounded-global's command exemption follows the import path, not the directory on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gofixer.cli import main
from gofixer.parsing import is_build_ignored
from tests.conftest import GO_MOD, write_files

RULE = "unbounded-global"
GROWING = """package {name}

var seen []string

func Remember(s string) {{
	seen = append(seen, s)
}}
"""


def _module(root: Path, module: str, packages: dict[str, str]) -> None:
    root.mkdir(parents=True)
    (root / "go.mod").write_text(f"module {module}\n\ngo 1.27\n")
    for rel, name in packages.items():
        d = root / rel
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{name}.go").write_text(GROWING.format(name=name))


def _reported(root: Path, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    monkeypatch.chdir(root)
    res = CliRunner().invoke(
        main, ["check", "--select", RULE, "--format", "json", "."], catch_exceptions=False
    )
    assert res.exit_code in (0, 1), res.stderr
    return {str(item["path"]) for item in json.loads(res.stdout)}


def test_checkout_under_a_cmd_directory_is_still_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "home" / "cmd" / "service"  # the absolute path has a cmd element
    _module(root, "example.com/service", {"cache": "cache", "cmd/serve": "main"})
    assert _reported(root, monkeypatch) == {"cache/cache.go"}


def test_import_path_starting_with_cmd_is_exempt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GOROOT/src/cmd is laid out like this: its own go.mod says `module cmd`.
    root = tmp_path / "src" / "cmd"
    _module(root, "cmd", {"link/internal/ld": "ld"})
    outside = tmp_path / "src" / "other"
    _module(outside, "other", {"ld": "ld"})
    assert _reported(root, monkeypatch) == set()
    assert _reported(outside, monkeypatch) == {"ld/ld.go"}


def test_build_ignored_generator_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "mod"
    _module(root, "example.com/mod", {"gen": "gen", "lib": "lib"})
    gen = root / "gen" / "gen.go"
    gen.write_text("//go:build ignore\n\n" + gen.read_text())
    assert _reported(root, monkeypatch) == {"lib/lib.go"}


@pytest.mark.parametrize(
    ("header", "ignored"),
    [
        ("//go:build ignore\n", True),
        ("//go:build ignore && linux\n", True),
        ("// +build ignore\n", True),
        ("//go:build ignore || linux\n", False),
        ("//go:build !ignore\n", False),
        ("//go:build ignored\n", False),
        ("// A comment about //go:build ignore\n", False),
    ],
)
def test_build_ignored_constraint(header: str, ignored: bool) -> None:
    assert is_build_ignored(f"{header}\npackage p\n".encode()) is ignored
    assert not is_build_ignored(f"package p\n\n{header}".encode())  # after the package clause: a comment


def test_a_field_of_a_struct_declared_in_another_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fields' names are read from the file declaring the struct, not from the variable's file."""
    types = (
        "package registry\n\n// The struct's bytes sit far from where the variable's file has them.\n"
        "// Padding padding padding padding padding padding padding padding padding padding.\n\n"
        "type table struct {\n\tbyName map[string]int\n\torder  []string\n}\n"
    )
    state = (
        "package registry\n\nvar state table\n\n// Add records a name.\nfunc Add(name string) {\n"
        "\tstate.byName[name] = len(state.order)\n\tstate.order = append(state.order, name)\n}\n"
    )
    root = write_files(tmp_path / "m", {"go.mod": GO_MOD, "types.go": types, "state.go": state})
    monkeypatch.chdir(root)
    res = CliRunner().invoke(
        main, ["check", "--select", RULE, "--format", "json", "."], catch_exceptions=False
    )
    messages = [item["message"] for item in json.loads(res.stdout)]
    assert [m.split(" only grows")[0] for m in messages] == [
        "map `state.byName` (a field of a package-level variable)",
        "slice `state.order` (a field of a package-level variable)",
    ]
