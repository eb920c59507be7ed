"""Runtime proof for goroutine-no-exit: Go's own leak detector sees the leaks before the fix, none after.

Each positive testdata case becomes a package of one temporary module, plus a test file that starts the
leaky code K times with a cancellable context in scope, cancels it, and reads Go 1.27's `goroutineleak`
profile (`pprof.Lookup("goroutineleak").WriteTo`, which runs a leak-detecting GC first). The Go test
itself decides: with PROOF_WANT=leak it passes once the profile counts at least the goroutines started;
with PROOF_WANT=none it passes once the profile is empty and the goroutines have exited. Between the two
runs, the real `gofixer fix --unsafe-fixes` (with its go vet type check) rewrites the module, the
harness files included: the harness never mentions what the fix should produce.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from gofixer import gotool
from gofixer.cli import main
from tests.golden import TESTDATA, cases

RULE = "goroutine-no-exit"
STARTS = 4  # how many times the harness runs the leaky code


@dataclass(frozen=True)
class Proof:
    case: str
    call: str  # Go statements run STARTS times; `ctx` is a cancellable context in scope
    goroutines: int  # goroutines one run of `call` leaks
    setup: str = ""  # Go statements before the loop
    imports: tuple[str, ...] = ()


PROOFS = [
    Proof("article_example", "leakyGoroutine()", 1),
    Proof("bare_receive", 'consume(ctx, "n")', 1),
    Proof("range_channel", "startPrinter()", 1),
    Proof("range_trailing_code", "collect(&wg)", 1, setup="var wg sync.WaitGroup", imports=("sync",)),
    Proof("named_worker", "startPool(ctx, 3)", 3),
    Proof("named_worker_result", "startTwice()", 2),
    Proof("method_goroutine", "newServer()", 1),
    Proof("generic_function", 'drain[int]("ints", func(int) {})', 1),
    Proof("unnamed_params", "use()", 3),
    Proof("renamed_context", 'subscribe(ctx)\n\t\tspawn("t")', 2),
    Proof(
        "http_handler",
        'watch(httptest.NewRequestWithContext(ctx, "GET", "/watch", nil))',
        1,
        imports=("net/http/httptest",),
    ),
    Proof("exported_spawner", 'listenAll([]string{"a", "b"})', 2),
    Proof("cross_file_callers", 'setupAll("a", "b")', 2),
    Proof("pipeline_stage", "start()", 2),
    Proof("ctx_reassigned", "clear(ctx, 1)", 1),
    Proof("one_line_main", "worker()", 1),
    Proof("blank_ctx_param", "worker(ctx)\n\t\tunnamed(ctx, 1)", 2),
    Proof("server_made_under_ctx", "serve(ctx)", 1),
    Proof("build_ignored", "worker()", 1),
]

HARNESS = """package {package}

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"runtime"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"
{imports})

var proofTotal = regexp.MustCompile(`goroutineleak profile: total (\\d+)`)

// proofLeaked runs the leak-detecting GC and returns how many goroutines it found blocked forever.
func proofLeaked(t *testing.T) int {{
	var buf bytes.Buffer
	if err := pprof.Lookup("goroutineleak").WriteTo(&buf, 1); err != nil {{
		t.Fatal(err)
	}}
	m := proofTotal.FindSubmatch(buf.Bytes())
	if m == nil {{
		t.Fatalf("no total in the goroutineleak profile:\\n%s", buf.Bytes())
	}}
	n, err := strconv.Atoi(string(m[1]))
	if err != nil {{
		t.Fatal(err)
	}}
	return n
}}

func TestGoroutineLeakProof(t *testing.T) {{
	baseline := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	_ = ctx
	{setup}
	for i := 0; i < {starts}; i++ {{
		{call}
	}}
	cancel()
	started := {starts} * {goroutines}
	deadline := time.Now().Add(10 * time.Second)
	for {{
		runtime.GC()
		leaked := proofLeaked(t)
		running := runtime.NumGoroutine() - baseline
		switch os.Getenv("PROOF_WANT") {{
		case "leak":
			if leaked >= started {{
				t.Logf("leaked %d of %d goroutines", leaked, started)
				return
			}}
		case "none":
			if leaked == 0 && running <= 0 {{
				return
			}}
		default:
			t.Fatal("set PROOF_WANT to leak or none")
		}}
		if time.Now().After(deadline) {{
			t.Fatalf("PROOF_WANT=%s: goroutineleak total %d, %d goroutines still running, %d started",
				os.Getenv("PROOF_WANT"), leaked, running, started)
		}}
		time.Sleep(20 * time.Millisecond)
	}}
}}
"""


def _lay_out(module: Path) -> None:
    module.mkdir(parents=True)
    (module / "go.mod").write_text("module example.com/proof\n\ngo 1.27\n")
    by_name = {c.name: c for c in cases(RULE)}
    for proof in PROOFS:
        case = by_name[proof.case]
        assert case.wants and case.expected is not None, f"{proof.case} is not a fixed positive case"
        d = module / proof.case
        d.mkdir()
        for fname, data in case.inputs.items():
            (d / fname).write_bytes(data)
        package = next(
            line.split()[1]
            for data in case.inputs.values()
            for line in data.decode().splitlines()
            if line.startswith("package ")
        )
        harness = HARNESS.format(
            package=package,
            imports="".join(f'\t"{imp}"\n' for imp in proof.imports),
            setup=proof.setup,
            starts=STARTS,
            call=proof.call,
            goroutines=proof.goroutines,
        )
        (d / "zz_leak_proof_test.go").write_text(harness)


def _go_test(module: Path, want: str) -> dict[str, tuple[str, str]]:
    """Run every package's proof test; package dir -> (pass/fail, output)."""
    go = gotool.find_tool("go")
    assert go is not None, "the Go toolchain is a test dependency (pip install -e '.[dev]')"
    env = gotool.go_env()
    env["PROOF_WANT"] = want
    proc = subprocess.run(
        [go, "test", "-json", "-count=1", "-p=2", "-run=TestGoroutineLeakProof", "./..."],
        cwd=module,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    results: dict[str, tuple[str, str]] = {}
    output: dict[str, list[str]] = {}
    for line in proc.stdout.splitlines():
        if not line.startswith("{"):
            continue
        event = json.loads(line)
        pkg = str(event.get("Package", "")).removeprefix("example.com/proof/")
        if event.get("Action") == "output":
            output.setdefault(pkg, []).append(str(event.get("Output", "")))
        elif event.get("Action") in ("pass", "fail") and not event.get("Test"):
            results[pkg] = (str(event["Action"]), "".join(output.get(pkg, [])))
    assert results, f"go test produced no results:\n{proc.stdout}\n{proc.stderr}"
    return results


@pytest.fixture(scope="module")
def proof_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    module = tmp_path_factory.mktemp("leakproof") / "proof"
    _lay_out(module)
    before = _go_test(module, "leak")
    runner = CliRunner()
    res = runner.invoke(
        main, ["fix", "--select", RULE, "--unsafe-fixes", str(module)], catch_exceptions=False
    )
    after = _go_test(module, "none")
    return {"before": before, "after": after, "fix_output": res.stdout, "fix_exit": res.exit_code}


@pytest.mark.parametrize("proof", PROOFS, ids=[p.case for p in PROOFS])
def test_leak_detector_sees_leak_before_and_none_after(proof: Proof, proof_runs: dict[str, object]) -> None:
    before = proof_runs["before"]
    after = proof_runs["after"]
    assert isinstance(before, dict) and isinstance(after, dict)
    status, out = before[proof.case]
    assert status == "pass", f"before the fix the leak detector should count the leaks:\n{out}"
    status, out = after[proof.case]
    assert status == "pass", (
        f"after the fix no goroutine should leak:\n{out}\n--- gofixer fix said:\n{proof_runs['fix_output']}"
    )


def test_fix_reports_no_dropped_fixes(proof_runs: dict[str, object]) -> None:
    """The type check in `gofixer fix` accepted every fix, the multi-file ones included."""
    out = str(proof_runs["fix_output"])
    by_name = {c.name: c for c in cases(RULE)}
    wanted = sum(len(by_name[p.case].wants) for p in PROOFS)
    assert "fix dropped" not in out, out
    assert f"Fixed {wanted} findings" in out, out


def test_every_proof_case_is_a_fixed_case() -> None:
    fixed = {c.name for c in cases(RULE) if c.expected is not None}
    assert {p.case for p in PROOFS} <= fixed
    assert (TESTDATA / RULE).is_dir()
