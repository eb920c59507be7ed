#!/usr/bin/env python3
"""How fast is `gofixer check` next to the cost of merely parsing the same Go files?

One run times, each as a separate process measured the same way (wall clock, CPU of the process and
all its children, peak memory of the whole process tree):

- the parse floor: read and parse every file gofixer parses with py-tree-sitter, in 1 and in N
  processes (N = --jobs, default: every core this process may use); the ratios are against the N-process
  floor. For reference, also every .go file of the corpus in N processes (testdata/, vendor/ and
  generated files included, as issue 6 measured it);
- `gofixer check --no-cache`, `gofixer check` with an empty cache (cold: it also writes the cache) and
  again with that cache (warm);
- `gofmt -l` on the same tree, and ast-grep with three rules comparable to gofixer's queries when the
  `ast-grep` binary is installed (`pip install ast-grep-cli`);
- with --per-rule, `gofixer check --no-cache --select RULE` for each rule, to see which rule costs what.

It prints a table with wall, CPU, peak memory, files/s, MB/s and each wall time over the N-process floor.
Ratios are taken within one run, so a machine shared with other work skews them less than absolute times;
the load average before and after is printed with the machine. Usage:

    python benchmarks/bench.py [--corpus DIR] [--jobs N] [--repeat K] [--snapshot] [--per-rule]

The corpus defaults to the Go standard library of the Go toolchain gofixer finds. --snapshot copies the
gofixer and codemods packages to a temporary directory first, so edits made to the checkout during the
run (and the cache keys that hash that code) cannot change what is measured.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE_EVERY = 0.05  # seconds between memory samples
RESCAN_EVERY = 0.25  # seconds between looks for new processes in the tree


# -- the parse floor (run in a child process: `bench.py _floor JOBS LISTFILE`) ------------------------


def _parse_files(paths: list[str]) -> int:
    import tree_sitter_go
    from tree_sitter import Language, Parser

    parser = Parser(Language(tree_sitter_go.language()))
    n = 0
    for path in paths:
        with open(path, "rb") as fh:
            data = fh.read()
        parser.parse(data)
        n += len(data)
    return n


def _balanced(paths: list[str], parts: int) -> list[list[str]]:
    """Split ``paths`` into many chunks of about equal bytes, biggest files first: the best case."""
    sized = sorted(paths, key=lambda p: -os.path.getsize(p))
    chunks: list[list[str]] = [[] for _ in range(parts)]
    for i, p in enumerate(sized):
        chunks[i % parts].append(p)
    return chunks


def floor_main(jobs: int, list_file: str) -> None:
    paths = Path(list_file).read_text().splitlines()
    if jobs <= 1:
        _parse_files(paths)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(_parse_files, _balanced(paths, jobs * 16)))


# -- measuring one process tree -------------------------------------------------------------------


@dataclass
class Sample:
    name: str
    wall: float
    cpu: float
    peak_mib: float  # peak of the summed proportional set size (PSS) of the whole process tree
    max_rss_mib: float  # largest resident set of any single process in the tree
    status: int


def _children(root: int) -> set[int]:
    """``root`` and every process descending from it."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        parent[int(entry)] = int(fields[1])
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, ppid in parent.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return tree


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def measure(
    name: str, cmd: Sequence[str], env: dict[str, str] | None = None, cwd: str | None = None
) -> Sample:
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        # Run from a neutral directory: `python -m` puts the working directory first on sys.path, and
        # from a checkout that would import its code instead of the --snapshot copy.
        proc = subprocess.Popen(
            list(cmd), stdout=subprocess.DEVNULL, stderr=errors, env=env, cwd=cwd or tempfile.gettempdir()
        )
        peak = 0
        tree = {proc.pid}
        last_scan = 0.0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                break
            now = time.perf_counter()
            if now - last_scan > RESCAN_EVERY:
                tree = _children(proc.pid)
                last_scan = now
            peak = max(peak, sum(_pss_kib(p) for p in tree))
            time.sleep(SAMPLE_EVERY)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
    if proc.returncode not in (0, 1):
        lines = [line for line in stderr.splitlines() if "warning:" not in line]
        print(f"  {name}: exit {proc.returncode}; stderr ends:", *lines[-5:], sep="\n    ", file=sys.stderr)
    return Sample(
        name,
        wall,
        usage.ru_utime + usage.ru_stime,
        peak / 1024,
        usage.ru_maxrss / 1024,
        proc.returncode,
    )


def best(name: str, repeat: int, cmd: Sequence[str], env: dict[str, str] | None = None) -> Sample:
    """The fastest of ``repeat`` runs: on a shared machine the others measure the neighbours too."""
    runs = [measure(name, cmd, env) for _ in range(repeat)]
    return min(runs, key=lambda s: s.wall)


# -- the runs -------------------------------------------------------------------------------------


AST_GREP_RULES = {
    # Three rules shaped like gofixer's queries: goroutine starts, package-level vars, `x := f(...)`.
    "go-statement": "id: go-statement\nlanguage: go\nseverity: info\nrule:\n  kind: go_statement\n",
    "package-var": (
        "id: package-var\nlanguage: go\nseverity: info\nrule:\n  kind: var_declaration\n"
        "  inside:\n    kind: source_file\n"
    ),
    "assign-call": (
        "id: assign-call\nlanguage: go\nseverity: info\nrule:\n  kind: short_var_declaration\n"
        "  has:\n    field: right\n    has:\n      kind: call_expression\n"
    ),
}


def _ast_grep() -> str | None:
    for name in ("ast-grep", "sg"):
        found = shutil.which(name) or shutil.which(name, path=os.path.dirname(sys.executable))
        if not found:
            continue
        try:
            out = subprocess.run([found, "--version"], capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        if "ast-grep" in out:  # `sg` is also the name of newgrp's sibling on Linux
            return found
    return None


def _ast_grep_config(where: Path) -> Path:
    rules = where / "rules"
    rules.mkdir(parents=True)
    for name, text in AST_GREP_RULES.items():
        (rules / f"{name}.yml").write_text(text)
    config = where / "sgconfig.yml"
    config.write_text("ruleDirs:\n  - rules\n")
    return config


def _snapshot(where: Path) -> Path:
    for package in ("gofixer", "codemods"):
        shutil.copytree(REPO / package, where / package, ignore=shutil.ignore_patterns("__pycache__"))
    return where


def _compile(code: Path) -> None:
    """Byte-compile gofixer as `pip install` does, so no run pays for compiling its source (with
    PYTHONDONTWRITEBYTECODE set, as on some CI machines, every run would, in the main process alone)."""
    for package in ("gofixer", "codemods"):
        compileall.compile_dir(str(code / package), quiet=1)


def _loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _rows(samples: list[Sample], files: int, mbytes: float, floor: float) -> Iterator[str]:
    head = f"{'run':44} {'wall s':>7} {'CPU s':>7} {'peak MiB':>9} {'max RSS':>8} {'files/s':>8} {'MB/s':>6} {'x floor':>8}"
    yield head
    yield "-" * len(head)
    for s in samples:
        flag = "" if s.status in (0, 1) else f"  (exit {s.status})"
        yield (
            f"{s.name:44} {s.wall:7.2f} {s.cpu:7.2f} {s.peak_mib:9.0f} {s.max_rss_mib:8.0f} "
            f"{files / s.wall:8.0f} {mbytes / s.wall:6.1f} {s.wall / floor:8.2f}{flag}"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", help="Go source tree to check [default: $(go env GOROOT)/src]")
    ap.add_argument("--jobs", "-j", type=int, help="processes for the N-process runs [default: all cores]")
    ap.add_argument("--repeat", type=int, default=1, help="run each measurement K times, keep the fastest")
    ap.add_argument("--snapshot", action="store_true", help="measure a copy of the code, safe from edits")
    ap.add_argument("--per-rule", action="store_true", help="also time `check --select RULE` for each rule")
    ap.add_argument("--json", dest="json_out", help="also write the samples to this JSON file")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(REPO))
    from gofixer import gotool
    from gofixer.codemod import registry
    from gofixer.discover import discover
    from gofixer.engine import default_jobs
    from gofixer.parsing import is_generated

    jobs = args.jobs or default_jobs()
    corpus = args.corpus or os.path.join(
        subprocess.run(
            [gotool.find_tool("go") or "go", "env", "GOROOT"],
            capture_output=True,
            text=True,
            env=gotool.go_env(),
            check=True,
        ).stdout.strip(),
        "src",
    )
    corpus = os.path.abspath(corpus)
    found = discover([corpus])
    # The files gofixer parses: generated ones (`// Code generated ... DO NOT EDIT.`) are skipped unparsed.
    paths = [p for ps in found.by_dir.values() for p in ps if not is_generated(Path(p).read_bytes())]
    mbytes = sum(os.path.getsize(p) for p in paths) / 1e6
    rules = list(registry())

    with tempfile.TemporaryDirectory(prefix="gofixer-bench-") as tmp_name:
        tmp = Path(tmp_name)
        list_file = tmp / "files.txt"
        list_file.write_text("\n".join(paths) + "\n")
        every = [os.path.join(d, f) for d, _, names in os.walk(corpus) for f in names if f.endswith(".go")]
        every_file = tmp / "every.txt"
        every_file.write_text("\n".join(every) + "\n")
        env = dict(os.environ)
        if args.snapshot:
            env["PYTHONPATH"] = str(_snapshot(tmp / "code"))
        _compile(Path(env["PYTHONPATH"]) if args.snapshot else REPO)
        env["GOFIXER_CACHE_DIR"] = str(tmp / "cache")
        gofixer = [sys.executable, "-m", "gofixer.cli", "check", "--quiet", "--jobs", str(jobs)]
        floor_cmd = [sys.executable, str(Path(__file__).resolve()), "_floor"]

        print(f"corpus: {corpus}: {len(paths)} Go files parsed, {mbytes:.1f} MB", flush=True)
        print(f"rules:  {', '.join(rules)}", flush=True)
        load_before = _loadavg()
        samples: list[Sample] = []

        def add(sample: Sample) -> Sample:
            samples.append(sample)
            print(f"  {sample.name}: {sample.wall:.2f} s", file=sys.stderr, flush=True)
            return sample

        add(best("parse floor, 1 process", args.repeat, [*floor_cmd, "1", str(list_file)]))
        floor = add(
            best(f"parse floor, {jobs} processes", args.repeat, [*floor_cmd, str(jobs), str(list_file)])
        )
        add(
            best(
                f"parse floor, {jobs} processes, all {len(every)} .go files",
                args.repeat,
                [*floor_cmd, str(jobs), str(every_file)],
            )
        )
        add(
            best(f"gofixer check --no-cache, {jobs} jobs", args.repeat, [*gofixer, "--no-cache", corpus], env)
        )
        cold_runs = []
        warm_runs = []
        for _ in range(args.repeat):
            shutil.rmtree(tmp / "cache", ignore_errors=True)
            os.sync()  # the removal's writes are not left for the cold run to wait behind
            cold_runs.append(measure(f"gofixer check, cold cache, {jobs} jobs", [*gofixer, corpus], env))
            warm_runs.append(measure("gofixer check, warm cache", [*gofixer, corpus], env))
        add(min(cold_runs, key=lambda s: s.wall))
        add(min(warm_runs, key=lambda s: s.wall))
        add(
            best(
                "gofixer check, 1 job, --no-cache",
                args.repeat,
                [*gofixer[:-1], "1", "--no-cache", corpus],
                env,
            )
        )
        gofmt = gotool.find_tool("gofmt")
        if gofmt:
            add(best("gofmt -l (reference)", args.repeat, [gofmt, "-l", corpus], gotool.go_env()))
        sg = _ast_grep()
        if sg:
            config = _ast_grep_config(tmp / "ast-grep")
            sg_cmd = [
                sg,
                "scan",
                "--config",
                str(config),
                "-j",
                str(jobs),
                "--globs",
                "!**/testdata/**",
                "--globs",
                "!**/vendor/**",
            ]
            add(best(f"ast-grep, 3 rules, {jobs} threads", args.repeat, [*sg_cmd, corpus]))
        if args.per_rule:
            for rule in rules:
                cmd = [*gofixer, "--no-cache", "--select", rule, corpus]
                add(best(f"  only {rule}", args.repeat, cmd, env))

    print()
    print(
        f"machine: {_cpu_model()}, {os.cpu_count()} cores ({jobs} used), {platform.system()} {platform.release()}"
    )
    print(f"python {platform.python_version()}; load average before {load_before}, after {_loadavg()}")
    print(f"best of {args.repeat}; peak MiB: summed PSS of the process tree; max RSS: largest one process")
    print()
    for line in _rows(samples, len(paths), mbytes, floor.wall):
        print(line)
    if args.json_out:
        Path(args.json_out).write_text(
            json.dumps(
                {
                    "corpus": corpus,
                    "files": len(paths),
                    "mbytes": mbytes,
                    "jobs": jobs,
                    "rules": rules,
                    "load_before": load_before,
                    "load_after": _loadavg(),
                    "samples": [s.__dict__ for s in samples],
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "_floor":
        floor_main(int(sys.argv[2]), sys.argv[3])
        sys.exit(0)
    sys.exit(main())
