"""Work split across processes: `--jobs 1` and `--jobs 2` report and fix exactly the same, a package spread
over several files is still seen whole, every directory is processed once, and the progress bar shows only
on a terminal."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gofixer.engine import Options, _chunks, _Task, run
from gofixer.progress import ProgressBar, wanted

GOFIXER = Path(sys.executable).parent / "gofixer"
PACKAGES = 16
FILES_PER_PACKAGE = 5  # 16 * 5 = 80 files: above the size where the engine starts a process pool


def _leaky(pkg: str, n: int) -> str:
    return f"""package {pkg}

import (
\t"fmt"
\t"os"
)

func Show{n}(path string) error {{
\tf, err := os.Open(path)
\tif err != nil {{
\t\treturn err
\t}}
\tfmt.Println(f.Name())
\treturn nil
}}
"""


def _clean(pkg: str, n: int) -> str:
    return f"package {pkg}\n\nfunc Add{n}(a, b int) int {{ return a + b + {n} }}\n"


def _files() -> dict[str, str]:
    files = {"go.mod": "module example.com/parallel\n\ngo 1.27\n"}
    for p in range(PACKAGES):
        pkg = f"pkg{p:02d}"
        for n in range(FILES_PER_PACKAGE):
            # Every third file of every other package leaks.
            leaks = p % 2 == 0 and n % 3 == 0
            files[f"{pkg}/f{n}.go"] = _leaky(pkg, n) if leaks else _clean(pkg, n)
    # A global grown in one file, declared in another: one finding needs both files.
    files["grows/events.go"] = "package grows\n\nvar history []string\n"
    files["grows/emit.go"] = "package grows\n\nfunc Emit(e string) {\n\thistory = append(history, e)\n}\n"
    # The same, but a third file resets it: no finding, if and only if all three are seen together.
    files["bounded/events.go"] = "package bounded\n\nvar history []string\n"
    files["bounded/emit.go"] = "package bounded\n\nfunc Emit(e string) {\n\thistory = append(history, e)\n}\n"
    files["bounded/reset.go"] = "package bounded\n\nfunc Reset() {\n\thistory = nil\n}\n"
    return files


FILES = _files()
LEAKY_FILES = {rel for rel, text in FILES.items() if "os.Open" in text}


def gofixer(module: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """The installed script in a real process, without the cache, so every run does the work."""
    return subprocess.run(
        [str(GOFIXER), *args, "--no-cache", "."], cwd=module, capture_output=True, timeout=300, check=False
    )


def test_check_is_the_same_with_one_and_two_jobs(module: Path) -> None:
    one = gofixer(module, "check", "--format", "json", "--jobs", "1")
    two = gofixer(module, "check", "--format", "json", "--jobs", "2")
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr
    findings = json.loads(one.stdout)
    assert {f["path"] for f in findings if f["rule"] == "unclosed-resource"} == LEAKY_FILES


def test_cross_file_package_is_seen_whole_in_parallel(module: Path) -> None:
    result = gofixer(module, "check", "--format", "json", "--jobs", "2", "--select", "unbounded-global")
    findings = json.loads(result.stdout)
    assert [(f["path"], f["rule"]) for f in findings] == [("grows/events.go", "unbounded-global")]


def test_diff_is_the_same_with_one_and_two_jobs(module: Path) -> None:
    one = gofixer(module, "diff", "--jobs", "1")
    two = gofixer(module, "diff", "--jobs", "2")
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    assert one.stdout.count(b"+\tdefer f.Close()") == len(LEAKY_FILES)


def test_fix_is_the_same_with_one_and_two_jobs(module: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-r", str(module), str(copy)], check=True)
    one = gofixer(module, "fix", "--jobs", "1")
    two = gofixer(copy, "fix", "--jobs", "2")
    assert one.returncode == two.returncode
    for rel in FILES:
        assert (module / rel).read_bytes() == (copy / rel).read_bytes(), rel
    assert all(b"defer f.Close()" in (module / rel).read_bytes() for rel in LEAKY_FILES)


def test_every_directory_is_processed_exactly_once(module: Path) -> None:
    by_dir: dict[str, list[str]] = {}
    for rel in FILES:
        if rel.endswith(".go"):
            path = str(module / rel)
            by_dir.setdefault(os.path.dirname(path), []).append(path)
    options = Options(rules=("unclosed-resource",))
    results = list(run(by_dir, options, jobs=2))
    assert sorted(r.directory for r in results) == sorted(by_dir)
    assert sum(r.files for r in results) == sum(len(v) for v in by_dir.values())
    chunks = _chunks([(d, files, options, None) for d, files in by_dir.items()], 2)
    flat = [task[0] for chunk in chunks for task in chunk]
    assert sorted(flat) == sorted(by_dir)
    assert 1 < len(chunks) <= 2 * 64 + 1


def test_chunks_shrink_towards_the_end_so_workers_finish_together(tmp_path: Path) -> None:
    # 300 directories of one 1,000-byte file each, and one of 20,000 bytes.
    tasks: list[_Task] = []
    for i in range(301):
        path = tmp_path / f"d{i}" / "a.go"
        path.parent.mkdir()
        path.write_bytes(b"x" * (20_000 if i == 150 else 1_000))
        tasks.append((str(path.parent), [str(path)], Options(rules=()), None))
    chunks = _chunks(tasks, 2)
    assert sorted(t[0] for c in chunks for t in c) == sorted(t[0] for t in tasks)
    assert chunks[0][0][0].endswith("d150")  # the biggest directory goes first
    sizes = [sum(os.path.getsize(p) for t in c for p in t[1]) for c in chunks]
    # Each chunk takes about a quarter of what is left per worker, down to a floor of 1/128 of the work.
    assert all(a >= b for a, b in itertools.pairwise(sizes[1:-1])), sizes
    assert sizes[1] >= 4 * sizes[-2] and sizes[-2] >= sum(sizes) / 128


def test_progress_bar_is_silent_off_a_terminal(module: Path) -> None:
    result = subprocess.run(
        [str(GOFIXER), "check", "--no-cache", "--quiet", "."],
        cwd=module,
        capture_output=True,
        timeout=300,
        check=False,
        env=dict(os.environ, CI=""),
    )
    assert result.stderr == b""
    with open(os.devnull, "w") as devnull:
        assert not wanted(devnull)


def test_progress_bar_draws_on_a_terminal_but_not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    import pty

    master, slave = pty.openpty()
    try:
        with os.fdopen(slave, "w", closefd=False) as stream:
            monkeypatch.setenv("CI", "true")
            assert not wanted(stream)
            monkeypatch.delenv("CI")
            monkeypatch.setenv("TERM", "xterm")
            assert wanted(stream)
            from gofixer.engine import DirResult

            bar = ProgressBar("checking", stream=stream, delay=0.0)
            bar.start({"/a": ["/a/x.go", "/a/y.go"], "/b": ["/b/z.go"]})
            assert bar.enabled and bar.total == 3
            deadline = time.monotonic() + 60
            while not bar.shown and time.monotonic() < deadline:  # the timer thread draws it
                time.sleep(0.01)
            bar.advance(DirResult("/a"))
            assert bar.done == 2 and bar.shown
            bar.close()
            stream.flush()
        os.set_blocking(master, False)
        drawn = b""
        try:
            while chunk := os.read(master, 65536):
                drawn += chunk
        except BlockingIOError:
            pass
    finally:
        os.close(master)
        os.close(slave)
    assert b"checking" in drawn
    assert b"files" in drawn
