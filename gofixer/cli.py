"""The command line: `gofixer check | diff | fix | rules | explain`."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

import click

from gofixer import __version__, gotool
from gofixer.codemod import registry, select
from gofixer.diff import check as check_diff
from gofixer.diff import colorize, display_path, unified_diff
from gofixer.engine import Options, Report, scan
from gofixer.model import Finding
from gofixer.write import ConcurrentChange, atomic_write

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _rule_list(value: str | None) -> list[str]:
    return [r.strip() for r in (value or "").split(",") if r.strip()]


def common_options(func: F) -> F:
    options = [
        click.argument("paths", nargs=-1, type=click.Path()),
        click.option("--select", "select_", metavar="RULE,...", help="Only these rules (comma-separated)."),
        click.option("--ignore", metavar="RULE,...", help="Skip these rules (comma-separated)."),
        click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes marked unsafe."),
        click.option(
            "--jobs", "-j", type=click.IntRange(min=1), help="Worker processes [default: all cores]."
        ),
        click.option("--verbose", "-v", is_flag=True, help="Also say what was skipped and why."),
    ]
    for opt in reversed(options):
        func = opt(func)
    return func


def _options(select_: str | None, ignore: str | None, **kw: Any) -> Options:
    try:
        chosen = select(_rule_list(select_), _rule_list(ignore))
    except KeyError as exc:
        known = ", ".join(registry())
        raise click.BadParameter(f"unknown rule {exc.args[0]!r} (known: {known})") from None
    return Options(rules=tuple(cm.name for cm in chosen), **kw)


def _need_gofmt() -> None:
    try:
        gotool.gofmt_path()
    except gotool.ToolMissing as exc:
        click.echo(f"gofixer: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)


def _report_problems(report: Report, verbose: bool) -> None:
    for err in report.errors:
        click.echo(err.render(display_path(err.path)), err=True)
    for warn in report.warnings:
        click.echo(warn.render(display_path(warn.path), "warning"), err=True)
    if verbose:
        for path, why in report.skipped:
            click.echo(f"{display_path(path)}: skipped: {why}", err=True)
        for note in report.notes:
            click.echo(f"note: {note}", err=True)


def _finding_line(f: Finding, unsafe_fixes: bool) -> str:
    mark = ""
    if f.fix is not None:
        mark = " [*]" if f.fix.applicability.name == "SAFE" or unsafe_fixes else " [unsafe fix]"
    return f"{display_path(f.path)}:{f.span.line}:{f.span.column}: {f.rule} {f.message}{mark}"


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "path": display_path(f.path),
        "line": f.span.line,
        "column": f.span.column,
        "end_line": f.span.end_line,
        "end_column": f.span.end_column,
        "message": f.message,
        "fix": None
        if f.fix is None
        else {"applicability": str(f.fix.applicability), "description": f.fix.description},
    }


def _summary(findings: list[Finding], unsafe_fixes: bool) -> str:
    n = len(findings)
    safe = sum(1 for f in findings if f.fix is not None and f.fix.applicability.name == "SAFE")
    unsafe = sum(1 for f in findings if f.fix is not None and f.fix.applicability.name == "UNSAFE")
    parts = [f"Found {n} finding{'s' if n != 1 else ''}"]
    fixable = safe + (unsafe if unsafe_fixes else 0)
    if fixable:
        parts.append(f"{fixable} fixable with `gofixer fix`")
    if unsafe and not unsafe_fixes:
        parts.append(f"{unsafe} more with `--unsafe-fixes`")
    return parts[0] + (" (" + "; ".join(parts[1:]) + ")" if len(parts) > 1 else "") + "."


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gofixer")
def main() -> None:
    """Find and fix memory and resource leaks in Go source code."""


@main.command()
@common_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check(
    paths: tuple[str, ...],
    select_: str | None,
    ignore: str | None,
    unsafe_fixes: bool,
    jobs: int | None,
    verbose: bool,
    fmt: str,
) -> None:
    """Report leaks. Exit 0: none; 1: findings; 2: error."""
    options = _options(select_, ignore, mode="check", unsafe_fixes=unsafe_fixes)
    report = scan(paths, options, jobs)
    _report_problems(report, verbose)
    if fmt == "json":
        click.echo(json.dumps([finding_json(f) for f in report.findings], indent=2))
    else:
        for f in report.findings:
            click.echo(_finding_line(f, unsafe_fixes))
        if report.findings:
            click.echo(_summary(report.findings, unsafe_fixes))
    sys.exit(EXIT_ERROR if report.errors else EXIT_FINDINGS if report.findings else EXIT_OK)


def _fix_report(
    paths: tuple[str, ...],
    select_: str | None,
    ignore: str | None,
    unsafe_fixes: bool,
    jobs: int | None,
    verify: bool,
) -> tuple[Options, Report]:
    options = _options(select_, ignore, mode="fix", unsafe_fixes=unsafe_fixes, verify=verify)
    _need_gofmt()
    return options, scan(paths, options, jobs)


def render_diff(report: Report) -> bytes:
    out = b"".join(unified_diff(c.path, c.before, c.after) for c in report.changes)
    check_diff(out)  # self-check: a diff that does not parse back is a gofixer bug
    return out


@main.command()
@common_options
@click.option("--no-verify", is_flag=True, help="Skip type-checking fixes with go vet.")
def diff(
    paths: tuple[str, ...],
    select_: str | None,
    ignore: str | None,
    unsafe_fixes: bool,
    jobs: int | None,
    verbose: bool,
    no_verify: bool,
) -> None:
    """Print the fixes as a unified diff; change nothing. Exit 0: no change; 1: changes; 2: error."""
    _, report = _fix_report(paths, select_, ignore, unsafe_fixes, jobs, not no_verify)
    _report_problems(report, verbose)
    out = render_diff(report)
    stats = check_diff(out)
    stdout = sys.stdout.buffer
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    stdout.write(colorize(out) if color else out)
    stdout.flush()
    if report.changes:
        click.echo(
            f"Would fix {len(report.fixed)} finding{'s' if len(report.fixed) != 1 else ''} in "
            f"{stats.files} file{'s' if stats.files != 1 else ''} "
            f"({stats.hunks} hunks, +{stats.added} -{stats.removed}).",
            err=True,
        )
    sys.exit(EXIT_ERROR if report.errors else EXIT_FINDINGS if report.changes else EXIT_OK)


@main.command()
@common_options
@click.option("--no-verify", is_flag=True, help="Skip type-checking fixes with go vet.")
def fix(
    paths: tuple[str, ...],
    select_: str | None,
    ignore: str | None,
    unsafe_fixes: bool,
    jobs: int | None,
    verbose: bool,
    no_verify: bool,
) -> None:
    """Apply the fixes in place. Exit 0: nothing left unfixed; 1: findings remain; 2: error."""
    _, report = _fix_report(paths, select_, ignore, unsafe_fixes, jobs, not no_verify)
    _report_problems(report, verbose)
    write_errors = 0
    written: set[str] = set()
    for change in report.changes:
        try:
            atomic_write(change.path, change.before, change.after)
            written.add(change.path)
        except (OSError, ConcurrentChange) as exc:
            write_errors += 1
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            click.echo(f"{display_path(change.path)}: error: cannot write: {why}", err=True)
    fixed = [f for f in report.fixed if f.path in written or _multi_file(f, written)]
    if fixed:
        per_file = Counter(display_path(f.path) for f in fixed)
        for path, n in sorted(per_file.items()):
            click.echo(f"{path}: fixed {n} finding{'s' if n != 1 else ''}")
        click.echo(
            f"Fixed {len(fixed)} finding{'s' if len(fixed) != 1 else ''} in {len(written)} "
            f"file{'s' if len(written) != 1 else ''}."
        )
    for f in report.findings:
        click.echo(_finding_line(f, unsafe_fixes))
    if report.findings:
        click.echo(f"{len(report.findings)} finding{'s' if len(report.findings) != 1 else ''} left unfixed.")
    failed = bool(report.errors) or write_errors > 0
    sys.exit(EXIT_ERROR if failed else EXIT_FINDINGS if report.findings else EXIT_OK)


def _multi_file(f: Finding, written: set[str]) -> bool:
    return f.fix is not None and bool(f.fix.files() & written)


@main.command()
def rules() -> None:
    """List the rules with a one-line summary each."""
    reg = registry()
    width = max((len(n) for n in reg), default=0)
    for name, cm in reg.items():
        click.echo(f"{name.ljust(width)}  {cm.summary}")


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Print the documentation of RULE."""
    reg = registry()
    if rule not in reg:
        raise click.BadParameter(f"unknown rule {rule!r} (known: {', '.join(reg)})", param_hint="RULE")
    click.echo(f"# {rule}\n\n{reg[rule].doc()}")


from gofixer.bot import pr  # noqa: E402

main.add_command(pr)

if __name__ == "__main__":
    main()
