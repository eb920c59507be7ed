"""The command line: `gofixer check | diff | fix | rules | explain | config` (and `pr`, from gofixer.bot)."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any, ClassVar, NoReturn, TypeVar

import click

from gofixer import __version__, config, gotool
from gofixer.codemod import PluginError, registry
from gofixer.diff import check as check_diff
from gofixer.diff import colorize, display_path, unified_diff
from gofixer.engine import Options, Report, default_jobs, scan
from gofixer.model import Finding, plural
from gofixer.output import (
    RuleDoc,
    Style,
    color_wanted,
    docs_url,
    finding_json,
    github_report,
    json_report,
    sarif_report,
    summary,
    text_report,
)
from gofixer.progress import ProgressBar
from gofixer.suppress import UNUSED, UNUSED_SUMMARY, unused_doc
from gofixer.write import ConcurrentChange, atomic_write

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

__all__ = ["finding_json", "main"]


def _rule_list(value: str | None) -> list[str]:
    return [r.strip() for r in (value or "").split(",") if r.strip()]


def _apply(options: list[Callable[[F], F]], func: F) -> F:
    for opt in reversed(options):
        func = opt(func)
    return func


def config_options(func: F) -> F:
    """The options a configuration file can also set, and where to find that file."""
    return _apply(
        [
            click.argument("paths", nargs=-1, type=click.Path()),
            click.option(
                "--select", "select_", metavar="RULE,...", help="Only these rules (comma-separated)."
            ),
            click.option("--ignore", metavar="RULE,...", help="Skip these rules (comma-separated)."),
            click.option(
                "--unsafe-fixes/--no-unsafe-fixes", default=None, help="Also apply fixes marked unsafe."
            ),
            click.option(
                "--jobs", "-j", type=click.IntRange(min=1), help="Worker processes [default: all cores]."
            ),
            click.option(
                "--exclude",
                metavar="GLOB",
                multiple=True,
                help="Skip files and directories matching GLOB (repeatable; replaces the configured list).",
            ),
            click.option(
                "--config",
                "config_file",
                type=click.Path(dir_okay=False),
                help="Use this .gofixer.toml or pyproject.toml instead of searching from the first PATH up.",
            ),
            click.option("--isolated", is_flag=True, help="Ignore configuration files."),
            click.option(
                "--no-cache", is_flag=True, help="Neither read nor write the cache of check results."
            ),
        ],
        func,
    )


def ui_options(func: F) -> F:
    return _apply(
        [
            click.option("--verbose", "-v", is_flag=True, help="Also say what was skipped and why."),
            click.option("--quiet", "-q", is_flag=True, help="Only findings and errors: no summary lines."),
            click.option(
                "--color",
                type=click.Choice(["auto", "always", "never"]),
                default="auto",
                show_default=True,
                help="Colour output (auto: on a terminal, unless NO_COLOR is set).",
            ),
        ],
        func,
    )


def common_options(func: F) -> F:
    return config_options(ui_options(func))


verify_option = click.option(
    "--verify/--no-verify", default=None, help="Type-check fixes with go vet [default: on]."
)


def _fail(message: str) -> None:
    click.echo(f"gofixer: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


@dataclass(frozen=True)
class Settings:
    """A run's configuration: the file's, with the command-line flags on top."""

    config: config.Config
    rules: tuple[str, ...]
    cache: bool = True  # check results are cached unless --no-cache

    @property
    def exclude(self) -> Callable[[str], bool] | None:
        return self.config.excluded.match if self.config.exclude else None

    def options(self, mode: str, strict: bool = False) -> Options:
        return Options(
            rules=self.rules,
            mode="fix" if mode == "fix" else "check",
            unsafe_fixes=self.config.unsafe_fixes,
            verify=self.config.verify,
            per_file_ignores=self.config.file_ignores,
            strict=strict,
        )


def _settings(
    paths: tuple[str, ...],
    select_: str | None,
    ignore: str | None,
    unsafe_fixes: bool | None,
    jobs: int | None,
    exclude: tuple[str, ...],
    config_file: str | None,
    isolated: bool,
    verify: bool | None = None,
    no_cache: bool = False,
) -> Settings:
    try:
        if isolated:
            base = config.Config()
        elif config_file:
            base = config.load(config_file)
        else:
            base = config.discover(paths)
    except config.ConfigError as exc:
        _fail(str(exc))
        raise AssertionError from exc  # unreachable: _fail exits
    selected, ignored = _rule_list(select_), _rule_list(ignore)
    cfg = base.override(
        select=tuple(selected) or None,
        ignore=tuple(ignored) if ignored else None,
        unsafe_fixes=unsafe_fixes,
        jobs=jobs,
        verify=verify,
        exclude=tuple(exclude) or None,
    )
    try:
        rules = cfg.rules()
    except KeyError as exc:
        known = ", ".join(registry())
        raise click.BadParameter(f"unknown rule {exc.args[0]!r} (known: {known})") from None
    return Settings(cfg, tuple(rules), cache=not no_cache)


def _need_gofmt() -> None:
    try:
        gotool.gofmt_path()
    except gotool.ToolMissing as exc:
        _fail(str(exc))


def _scan(paths: tuple[str, ...], settings: Settings, options: Options) -> Report:
    label = "checking" if options.mode == "check" else "fixing"
    with ProgressBar(label) as bar:  # drawn on a terminal only, once a run lasts over two seconds
        return scan(
            paths,
            options,
            settings.config.jobs,
            exclude=settings.exclude,
            on_progress=bar.advance,
            use_cache=settings.cache,
            on_start=bar.start,
        )


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
        n = report.files
        click.echo(f"Scanned {plural(n, 'Go file')}.", err=True)


def _show_source(flag: bool | None, stream: IO[str]) -> bool:
    return flag if flag is not None else stream.isatty()


def _print_findings(
    findings: Iterable[Finding], unsafe_fixes: bool, show_source: bool | None, color: str
) -> None:
    out = sys.stdout
    style = Style(color_wanted(color, out.isatty()))
    for line in text_report(findings, unsafe_fixes, _show_source(show_source, out), style):
        click.echo(line, color=style.color)


def _rule_docs(rules: Iterable[str], strict: bool) -> list[RuleDoc]:
    reg = registry()
    docs = [RuleDoc(r, reg[r].summary, reg[r].doc()) for r in rules]
    if strict:
        docs.append(RuleDoc(UNUSED, UNUSED_SUMMARY, unused_doc()))
    return docs


class _Commands(click.Group):
    """Loads `pr` only when it runs or help lists it: it imports PyGithub, ~0.13 s that check does not need."""

    LAZY: ClassVar[dict[str, str]] = {"pr": "gofixer.bot"}  # command -> module defining it

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PluginError as exc:
            _fail(str(exc))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.LAZY and name not in self.commands:
            import importlib

            self.add_command(getattr(importlib.import_module(self.LAZY[name]), name))
        return super().get_command(ctx, name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gofixer")
def main() -> None:
    """Find and fix memory and resource leaks in Go source code."""


@main.command()
@common_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "github"]),
    default="text",
    show_default=True,
    help="text for people; json; sarif (2.1.0, for code scanning); github (workflow annotations).",
)
@click.option(
    "--output-file",
    "-o",
    type=click.Path(dir_okay=False),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--show-source/--no-show-source",
    default=None,
    help="Show each finding's source line with a caret (text format) [default: on a terminal].",
)
@click.option("--strict", is_flag=True, help="Also report suppression comments that suppress nothing.")
def check(
    paths: tuple[str, ...],
    verbose: bool,
    quiet: bool,
    color: str,
    fmt: str,
    output_file: str | None,
    show_source: bool | None,
    strict: bool,
    **kw: Any,
) -> None:
    """Report leaks. Exit 0: none; 1: findings; 2: error."""
    settings = _settings(paths, **kw)
    options = settings.options("check", strict)
    report = _scan(paths, settings, options)
    _report_problems(report, verbose and not quiet)
    unsafe = options.unsafe_fixes
    if fmt == "json":
        text = json_report(report.findings) + "\n"
    elif fmt == "sarif":
        docs = _rule_docs(options.rules, strict)
        sarif = sarif_report(report.findings, docs, report.errors, report.warnings, docs_url())
        text = json.dumps(sarif, indent=2) + "\n"
    elif fmt == "github":
        text = "".join(line + "\n" for line in github_report(report.findings))
    elif output_file is None:
        _print_findings(report.findings, unsafe, show_source, color)
        if report.findings and not quiet:
            click.echo(summary(report.findings, unsafe))
        text = None
    else:
        lines = list(text_report(report.findings, unsafe, bool(show_source)))
        if report.findings and not quiet:
            lines.append(summary(report.findings, unsafe))
        text = "".join(line + "\n" for line in lines)
    if text is not None:
        if output_file is None:
            click.echo(text, nl=False)
        else:
            try:
                with open(output_file, "w", encoding="utf-8") as fh:
                    fh.write(text)
            except OSError as exc:
                _fail(f"cannot write {output_file}: {exc.strerror or exc}")
    sys.exit(EXIT_ERROR if report.errors else EXIT_FINDINGS if report.findings else EXIT_OK)


def _fix_report(paths: tuple[str, ...], **kw: Any) -> tuple[Options, Report]:
    settings = _settings(paths, **kw)
    options = settings.options("fix")
    _need_gofmt()
    return options, _scan(paths, settings, options)


def render_diff(report: Report) -> bytes:
    out = b"".join(unified_diff(c.path, c.before, c.after) for c in report.changes)
    check_diff(out)  # self-check: a diff that does not parse back is a gofixer bug
    return out


@main.command()
@common_options
@verify_option
def diff(paths: tuple[str, ...], verbose: bool, quiet: bool, color: str, **kw: Any) -> None:
    """Print the fixes as a unified diff; change nothing. Exit 0: no change; 1: changes; 2: error."""
    _, report = _fix_report(paths, **kw)
    _report_problems(report, verbose and not quiet)
    out = render_diff(report)
    stats = check_diff(out)
    stdout = sys.stdout.buffer
    stdout.write(colorize(out) if color_wanted(color, sys.stdout.isatty()) else out)
    stdout.flush()
    if report.changes and not quiet:
        click.echo(
            f"Would fix {plural(len(report.fixed), 'finding')} in {plural(stats.files, 'file')} "
            f"({plural(stats.hunks, 'hunk')}, +{stats.added} -{stats.removed}).",
            err=True,
        )
    sys.exit(EXIT_ERROR if report.errors else EXIT_FINDINGS if report.changes else EXIT_OK)


@main.command()
@common_options
@verify_option
@click.option(
    "--show-source/--no-show-source",
    default=None,
    help="Show the source line of each finding left unfixed [default: on a terminal].",
)
def fix(
    paths: tuple[str, ...], verbose: bool, quiet: bool, color: str, show_source: bool | None, **kw: Any
) -> None:
    """Apply the fixes in place. Exit 0: nothing left unfixed; 1: findings remain; 2: error."""
    options, report = _fix_report(paths, **kw)
    _report_problems(report, verbose and not quiet)
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
    if fixed and not quiet:
        per_file = Counter(display_path(f.path) for f in fixed)
        for path, n in sorted(per_file.items()):
            click.echo(f"{path}: fixed {plural(n, 'finding')}")
        click.echo(f"Fixed {plural(len(fixed), 'finding')} in {plural(len(written), 'file')}.")
    _print_findings(report.findings, options.unsafe_fixes, show_source, color)
    if report.findings and not quiet:
        click.echo(f"{plural(len(report.findings), 'finding')} left unfixed.")
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
    if rule == UNUSED:
        click.echo(f"# {rule}\n\n{unused_doc()}")
        return
    if rule not in reg:
        raise click.BadParameter(f"unknown rule {rule!r} (known: {', '.join(reg)})", param_hint="RULE")
    click.echo(f"# {rule}\n\n{reg[rule].doc()}")


@main.command("config")
@config_options
@verify_option
def config_command(paths: tuple[str, ...], **kw: Any) -> None:
    """Print the effective configuration for PATHS: the configuration file's, with the flags on top."""
    settings = _settings(paths, **kw)
    jobs = settings.config.jobs or default_jobs()
    click.echo(config.render(settings.config, list(settings.rules), jobs))


def entry() -> NoReturn:
    """The `gofixer` command: `main`, then leave without tearing the interpreter down.

    At exit, Python frees every object and module one by one (a check of a large tree pays tens of
    milliseconds for it, after all its work is done); the operating system releases a process at
    once. Everything gofixer writes is written and closed by then: only stdout and stderr are flushed.
    """
    try:
        main()
        code: int = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:  # sys.exit("message"): Python prints it and exits 1
            print(exc.code, file=sys.stderr)
            code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`gofixer check | head`), a closed stream
            code = code or EXIT_ERROR
    os._exit(code)


if __name__ == "__main__":
    entry()
