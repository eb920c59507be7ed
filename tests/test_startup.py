"""Start-up stays cheap: no importlib.metadata unless a plugin may be installed, and then it is used.

`gofixer.codemod._may_have_plugins` looks for the entry-point group's header in the `entry_points.txt`
files on sys.path before asking importlib.metadata, whose import is a tenth of a check's start-up. It
must never say "no" where importlib.metadata would find a plugin.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from gofixer.codemod import ENTRY_POINT_GROUP, _may_have_plugins


def _dist(site: Path, dirname: str, entry_points_txt: str) -> None:
    dist = site / dirname
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dirname.split('-')[0]}\nVersion: 1.0\n")
    (dist / "PKG-INFO").write_text(f"Metadata-Version: 2.1\nName: {dirname.split('-')[0]}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(entry_points_txt)


def test_no_plugin_when_no_entry_points_file_names_the_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _dist(tmp_path, "other-1.0.dist-info", "[console_scripts]\nother = other:main\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path), str(tmp_path / "missing")])
    assert not _may_have_plugins()
    assert not list(entry_points(group=ENTRY_POINT_GROUP))


@pytest.mark.parametrize(
    ("dirname", "text"),
    [
        ("acme-1.0.dist-info", "[gofixer.codemods]\nacme = acme:Rule\n"),
        ("Acme-1.0.DIST-INFO", "[gofixer.codemods]\nacme = acme:Rule\n"),  # importlib.metadata ignores case
        ("acme.egg-info", "[gofixer.codemods]\nacme = acme:Rule\n"),
        ("acme-1.0.dist-info", "[console_scripts]\nx = y:z\n\n  [gofixer.codemods]  \nacme = acme:Rule\n"),
    ],
)
def test_a_plugin_importlib_metadata_finds_is_never_ruled_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dirname: str, text: str
) -> None:
    _dist(tmp_path, dirname, text)
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    assert [ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)] == ["acme"]
    assert _may_have_plugins()


def test_a_zip_file_on_sys_path_is_left_to_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("acme-1.0.dist-info/entry_points.txt", "[gofixer.codemods]\nacme = acme:Rule\n")
    monkeypatch.setattr(sys, "path", [str(archive)])
    assert _may_have_plugins()


def test_a_check_without_plugins_does_not_import_importlib_metadata(tmp_path: Path) -> None:
    (tmp_path / "a.go").write_text("package a\n\nfunc F() {}\n")
    code = (
        "import sys\n"
        "from gofixer.cli import main\n"
        f"sys.argv = ['gofixer', 'check', '--no-cache', {str(tmp_path)!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
        "assert 'importlib.metadata' not in sys.modules, 'importlib.metadata was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path)


def test_the_command_leaves_with_its_exit_code_and_all_its_output(tmp_path: Path) -> None:
    """`gofixer.cli.entry` ends the process with os._exit: stdout must be flushed first, codes kept."""
    files = [tmp_path / f"f{i}.go" for i in range(40)]
    for i, f in enumerate(files):
        f.write_text(
            f'package a\n\nimport "os"\n\nfunc F{i}() {{\n\tf, _ := os.Open("x")\n\t_ = f.Name()\n}}\n'
        )
    cmd = [sys.executable, "-m", "gofixer.cli", "check", "--no-cache", "--format", "json", str(tmp_path)]
    found = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert found.returncode == 1, found.stderr
    assert len(json.loads(found.stdout)) == 40  # a block-buffered pipe: nothing left behind
    clean = subprocess.run([*cmd[:-1], str(tmp_path / "none")], capture_output=True, text=True, check=False)
    assert clean.returncode == 2 and "no such file or directory" in clean.stderr
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.go").write_text("package a\n")
    assert subprocess.run([*cmd[:-1], str(tmp_path / "ok")], capture_output=True, check=False).returncode == 0
