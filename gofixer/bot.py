"""`gofixer pr`: fix the leaks of a repository on a branch of its own and open (or update) a pull request.

The fixes are made in a temporary `git worktree` checked out at the base branch, so the user's checkout
is never switched, written or reset: whatever fails (the scan, the push, the API), the work tree is left
exactly as it was. Git runs through its CLI; GitHub is reached through `gofixer.github` (PyGithub).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import click

from gofixer import __version__
from gofixer.engine import Options, Report, scan
from gofixer.github import DEFAULT_API_URL, ApiError, PullRequests
from gofixer.model import plural
from gofixer.write import ConcurrentChange, atomic_write

BRANCH_PREFIX = "gofixer/"
DEFAULT_IDENTITY = "gofixer[bot] <gofixer[bot]@users.noreply.github.com>"
BODY_LIMIT = 60_000  # GitHub refuses bodies over 65536 characters
MAX_LISTED = 50  # findings listed one by one in a body before "and N more"
EXIT_OK, EXIT_ERROR = 0, 2
# Marks the bot's own commits: a branch whose tip lacks it was pushed to by someone else.
TRAILER = "Generated-by: gofixer"


class BotError(RuntimeError):
    """A refusal or failure: one line for the user, exit 2."""


# -- remotes ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RemoteRepo:
    host: str
    owner: str
    name: str


_SCP_LIKE = re.compile(r"^(?:[^@/:\s]+@)?(?P<host>[^/:\s]+):(?P<path>(?!/).+)$")


def parse_remote_url(url: str) -> RemoteRepo | None:
    """owner/name of a GitHub remote in its https, ssh:// or scp-like `git@host:owner/name.git` form."""
    url = url.strip()
    m = re.match(r"^(?P<scheme>[a-z][a-z0-9+.-]*)://(?:[^@/]*@)?(?P<host>[^/:]+)(?::\d+)?/(?P<path>.+)$", url)
    if m is not None:
        if m["scheme"] not in ("https", "http", "ssh", "git", "git+ssh", "ssh+git"):
            return None
        host, path = m["host"], m["path"]
    else:
        s = _SCP_LIKE.match(url)
        if s is None or os.path.exists(url):
            return None
        host, path = s["host"], s["path"]
    parts = [p for p in path.split("/") if p]
    if len(parts) < 2:
        return None
    owner, name = parts[-2], parts[-1].removesuffix("/").removesuffix(".git")
    if not owner or not name:
        return None
    return RemoteRepo(host.lower(), owner, name)


def api_url_for(host: str) -> str:
    """github.com's API, or a GitHub Enterprise Server's (it serves the REST API under /api/v3)."""
    return DEFAULT_API_URL if host in ("github.com", "www.github.com") else f"https://{host}/api/v3"


def redact(text: str, secret: str | None) -> str:
    """Drop a secret and any credentials embedded in URLs from text that is about to be shown.

    A "secret" of a few characters is no real token, and masking it would mangle every message.
    """
    if secret and len(secret) >= 8:
        text = text.replace(secret, "***")
    return re.sub(r"(\b[a-z][a-z0-9+.-]*://)[^/@\s]+@", r"\1***@", text)


# -- git ------------------------------------------------------------------------------------------------


class GitError(BotError):
    pass


@dataclass
class Git:
    """`git -C cwd ...`, never prompting, with every message it prints redacted."""

    cwd: str
    secret: str | None = None

    def _run(
        self, args: tuple[str, ...], env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        # Never wait for a password prompt; English messages, since some are parsed.
        full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"}
        full_env.update(env or {})
        return subprocess.run(
            ["git", "-C", self.cwd, *args],
            capture_output=True,
            text=True,
            errors="replace",
            env=full_env,
            check=False,
        )

    def run(self, *args: str, env: dict[str, str] | None = None, check: bool = True) -> str:
        proc = self._run(args, env)
        if check and proc.returncode != 0:
            raise GitError(f"git {args[0]} failed: {self.last_line(proc.stderr)}")
        return proc.stdout if proc.returncode == 0 else ""

    def ok(self, *args: str) -> bool:
        return self._run(args).returncode == 0

    def last_line(self, stderr: str) -> str:
        lines = [ln.strip() for ln in redact(stderr, self.secret).splitlines() if ln.strip()]
        return lines[-1] if lines else "no message"

    def push(self, remote: str, commit: str, branch: str, lease: str | None) -> None:
        """Push ``commit`` to ``branch``; with ``lease`` (the sha expected there, "" for none) force it."""
        args = ["push", "--porcelain"]
        if lease is not None:
            args.append(f"--force-with-lease=refs/heads/{branch}:{lease}")
        args += [remote, f"{commit}:refs/heads/{branch}"]
        proc = self._run(tuple(args))
        if proc.returncode == 0:
            return
        why = ""
        for line in proc.stdout.splitlines():
            if line.startswith("!"):  # porcelain: "!<TAB>src:dst<TAB>[rejected] (reason)"
                why = line.split("\t")[-1].strip()
        remote_says = [
            ln.strip()[len("remote:") :].strip()
            for ln in redact(proc.stderr, self.secret).splitlines()
            if ln.startswith("remote:") and ln[len("remote:") :].strip()
        ]
        detail = why or self.last_line(proc.stderr)
        if remote_says:
            detail += " — remote says: " + " / ".join(remote_says[:3])
        raise GitError(f"push of {branch} to {remote} failed: {redact(detail, self.secret)}")


@dataclass(frozen=True)
class Checkout:
    root: str
    remote: str
    current: str | None  # branch checked out, None when HEAD is detached


def inspect_checkout(path: str, remote: str | None) -> Checkout:
    """The git facts `pr` needs, or a BotError for each refusal."""
    if not os.path.exists(path):
        raise BotError(f"{path}: no such file or directory")
    start = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
    probe = Git(start)
    if probe.run("rev-parse", "--is-inside-work-tree", check=False).strip() != "true":
        raise BotError(f"{path} is not inside a git work tree")
    root = os.path.realpath(probe.run("rev-parse", "--show-toplevel").strip())
    git = Git(root)
    status = git.run("status", "--porcelain", "--untracked-files=normal").splitlines()
    if status:
        shown = ", ".join(s[3:] for s in status[:5]) + (
            f" and {len(status) - 5} more" if len(status) > 5 else ""
        )
        raise BotError(f"the work tree has uncommitted changes ({shown}): commit or stash them first")
    remotes = git.run("remote").split()
    if not remotes:
        raise BotError("the repository has no remote to push to (git remote add origin URL)")
    if remote is None:
        remote = "origin" if "origin" in remotes else remotes[0] if len(remotes) == 1 else None
        if remote is None:
            raise BotError(f"several remotes and none is 'origin' ({', '.join(remotes)}): pass --remote")
    elif remote not in remotes:
        raise BotError(f"no remote named {remote!r} (remotes: {', '.join(remotes)})")
    current = git.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False).strip() or None
    return Checkout(root, remote, current)


def default_branch(git: Git, remote: str, offline: bool) -> str:
    """The remote's default branch: from refs/remotes/REMOTE/HEAD, else (online) by asking the remote."""
    ref = git.run("symbolic-ref", "--quiet", f"refs/remotes/{remote}/HEAD", check=False).strip()
    prefix = f"refs/remotes/{remote}/"
    if ref.startswith(prefix):
        return ref[len(prefix) :]
    if not offline:
        for line in git.run("ls-remote", "--symref", remote, "HEAD").splitlines():
            m = re.match(r"^ref: refs/heads/(\S+)\tHEAD$", line)
            if m:
                return m[1]
    raise BotError(f"cannot tell the default branch of {remote}: pass --base")


@contextlib.contextmanager
def temporary_worktree(git: Git, commit: str) -> Iterator[str]:
    """A detached checkout of ``commit`` in a temporary directory, removed again whatever happens."""
    holder = tempfile.mkdtemp(prefix="gofixer-pr-")
    tree = os.path.join(holder, "tree")
    try:
        git.run("worktree", "add", "--detach", "--quiet", tree, commit)
        yield os.path.realpath(tree)
    finally:
        if os.path.exists(tree):
            git.run("worktree", "remove", "--force", tree, check=False)
        shutil.rmtree(holder, ignore_errors=True)
        git.run("worktree", "prune", check=False)


# -- what the pull request says -------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    name: str
    email: str

    @classmethod
    def parse(cls, text: str) -> Identity:
        m = re.match(r"^\s*([^<>]+?)\s*<([^<>\s]+)>\s*$", text)
        if m is None:
            raise click.BadParameter(f"{text!r} is not of the form 'Name <email>'")
        return cls(m[1], m[2])

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


def branch_slug(rules: tuple[str, ...], all_rules: tuple[str, ...]) -> str:
    if set(rules) == set(all_rules):
        return "all"
    return "+".join(sorted(rules))


@dataclass(frozen=True)
class Proposal:
    """Everything the bot would push and say, built from a fix Report before anything is pushed."""

    branch: str
    base: str
    title: str
    commit_message: str
    body: str
    files: tuple[str, ...]  # changed files, relative to the repository root
    diff: bytes
    fingerprint: str = ""  # which fixes: the same findings fixed give the same fingerprint


FINGERPRINT = re.compile(r"<!-- gofixer-fixes: ([0-9a-f]{16}) -->")


def fingerprint(fixed: list[tuple[str, str, str]]) -> str:
    """A short hash of the fixed findings as (rule, path, source line): line numbers left out, so the
    same fixes on a base where other code moved them keep their fingerprint."""
    digest = hashlib.sha256()
    for item in sorted(set(fixed)):
        digest.update("\0".join(item).encode() + b"\n")
    return digest.hexdigest()[:16]


def _code(text: str) -> str:
    """Markdown inline code that survives backticks and table pipes inside ``text``."""
    text = text.replace("|", "\\|")
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def build_proposal(
    report: Report,
    root: str,
    branch: str,
    base: str,
    options: Options,
    diff: bytes,
    command: str,
) -> Proposal:
    def rel(path: str) -> str:
        return os.path.relpath(path, root).replace(os.sep, "/")

    per_rule = Counter(f.rule for f in report.fixed)
    total = sum(per_rule.values())
    rules = sorted(per_rule)
    files = tuple(rel(c.path) for c in report.changes)
    what = rules[0] if len(rules) == 1 else plural(len(rules), "rule")
    title = f"gofixer: fix {plural(total, 'leak')} ({what})"

    commit = [title, "", "Fixed by rule:"]
    commit += [f"- {rule}: {per_rule[rule]}" for rule in rules]
    commit += ["", f"Changed files: {len(files)}", "", f"{TRAILER} {__version__}"]

    body = [
        f"gofixer found resource and memory leaks on `{base}` and fixed {plural(total, 'finding')} "
        f"in {plural(len(files), 'file')}.",
        "",
        "| Rule | Fixed |",
        "| --- | ---: |",
    ]
    body += [f"| {_code(rule)} | {per_rule[rule]} |" for rule in rules]
    if len(rules) > 1:
        body.append(f"| **Total** | **{total}** |")
    per_file = Counter(rel(f.path) for f in report.fixed)
    body += ["", f"### Changed files ({len(files)})", ""]
    for path in files[:MAX_LISTED]:
        n = per_file.get(path, 0)
        body.append(f"- {_code(path)}" + (f" ({plural(n, 'fix')})" if n else ""))
    if len(files) > MAX_LISTED:
        body.append(f"- and {len(files) - MAX_LISTED} more")
    body += ["", "### Verification", ""]
    body.append("- `gofmt`: every changed file is formatted by the real gofmt, which also proves it parses.")
    if options.verify:
        body.append(
            "- `go vet -overlay` (type-check): each changed package was checked before and after the fix; "
            "a fix that added a build error or a vet finding was dropped."
        )
        body += [f"  - {_shorten(note, root)}" for note in report.notes]
    else:
        body.append("- type-checking with `go vet` was skipped (`--no-verify`).")
    if report.errors:
        body += [
            "",
            f"### Problems ({len(report.errors)})",
            "",
            "Fixes dropped by verification, and files gofixer could not handle:",
            "",
        ]
        for err in report.errors[:MAX_LISTED]:
            where = f"{rel(err.path)}:{err.line}" if err.line else rel(err.path)
            body.append(f"- {_code(where)}: {_shorten(err.message, root)}")
        if len(report.errors) > MAX_LISTED:
            body.append(f"- and {len(report.errors) - MAX_LISTED} more")
    left = report.findings
    body += ["", f"### Left for a person ({len(left)})", ""]
    if not left:
        body.append("None: gofixer fixed every finding of the selected rules.")
    else:
        body.append("gofixer reports these but has no fix it can apply safely:")
        body.append("")
        for f in left[:MAX_LISTED]:
            unsafe = " (an unsafe fix exists: `--unsafe-fixes`)" if f.fix is not None else ""
            body.append(f"- {_code(f'{rel(f.path)}:{f.span.line}')} {_code(f.rule)} {f.message}{unsafe}")
        if len(left) > MAX_LISTED:
            body.append(f"- and {len(left) - MAX_LISTED} more")
    body += [
        "",
        "---",
        f"<sub>Made by gofixer {__version__} running `{command}`. The branch `{branch}` belongs to the bot: "
        "it is rewritten on every run, so push your own changes to another branch.</sub>",
    ]
    text = "\n".join(body) + "\n"
    if len(text) > BODY_LIMIT:
        text = text[:BODY_LIMIT].rsplit("\n", 1)[0] + "\n\n(truncated)\n"
    mark = fingerprint([(f.rule, rel(f.path), f.anchor) for f in report.fixed])
    text += f"<!-- gofixer-fixes: {mark} -->\n"  # lets a later run recognise these fixes
    return Proposal(branch, base, title, "\n".join(commit) + "\n", text, files, diff, mark)


def _shorten(text: str, root: str) -> str:
    """Messages from the engine carry absolute paths into the temporary worktree: make them relative."""
    return text.replace(root + os.sep, "").replace(root, ".")


# -- the command ----------------------------------------------------------------------------------------


@click.command("pr")
@click.argument("path", required=False, default=".", type=click.Path())
@click.option("--select", "select_", metavar="RULE,...", help="Only these rules (comma-separated).")
@click.option("--ignore", metavar="RULE,...", help="Skip these rules (comma-separated).")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes marked unsafe.")
@click.option("--no-verify", is_flag=True, help="Skip type-checking fixes with go vet.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes [default: all cores].")
@click.option("--base", help="Branch to fix and to open the pull request against [default: the remote's].")
@click.option("--branch", help="Branch to push [default: gofixer/<rules>].")
@click.option("--remote", help="Git remote to push to [default: origin].")
@click.option("--repo", metavar="OWNER/NAME", help="GitHub repository [default: from the remote's URL].")
@click.option("--api-url", help="GitHub API URL, for GitHub Enterprise [default: from the remote's host].")
@click.option(
    "--token-env",
    default="GITHUB_TOKEN",
    show_default=True,
    metavar="NAME",
    help="Variable holding the token.",
)
@click.option("--label", "labels", multiple=True, metavar="NAME", help="Label the pull request (repeatable).")
@click.option("--draft", is_flag=True, help="Open the pull request as a draft.")
@click.option("--author", default=DEFAULT_IDENTITY, show_default=True, help="Commit author, 'Name <email>'.")
@click.option("--committer", help="Commit committer, 'Name <email>' [default: the author].")
@click.option("--dry-run", is_flag=True, help="Print what would be pushed and opened; contact nothing.")
@click.option("--verbose", "-v", is_flag=True, help="Also say what was skipped and why.")
def pr(
    path: str,
    select_: str | None,
    ignore: str | None,
    unsafe_fixes: bool,
    no_verify: bool,
    jobs: int | None,
    base: str | None,
    branch: str | None,
    remote: str | None,
    repo: str | None,
    api_url: str | None,
    token_env: str,
    labels: tuple[str, ...],
    draft: bool,
    author: str,
    committer: str | None,
    dry_run: bool,
    verbose: bool,
) -> None:
    """Fix the leaks on a branch and open or update a GitHub pull request for it.

    Exit 0: done, or nothing to fix; 2: refused or failed (the checkout is left as it was).
    """
    from gofixer import cli  # here, not at the top: cli imports this module to register the command

    # The same configuration as `gofixer fix`: .gofixer.toml / [tool.gofixer], flags on top.
    settings = cli._settings(
        (path,), select_, ignore, unsafe_fixes or None, jobs, (), None, False, False if no_verify else None
    )
    options = settings.options("fix")
    jobs = settings.config.jobs
    who = Identity.parse(author)
    committer_id = Identity.parse(committer) if committer else who
    token = os.environ.get(token_env) or None
    try:
        run = _Run(
            path=path,
            options=options,
            jobs=jobs,
            exclude=settings.exclude,
            base=base,
            branch=branch,
            remote=remote,
            repo=repo,
            api_url=api_url,
            token_env=token_env,
            token=token,
            labels=list(labels),
            draft=draft,
            author=who,
            committer=committer_id,
            dry_run=dry_run,
            verbose=verbose,
            select_=select_,
            ignore=ignore,
        )
        run.main()
    except (BotError, ApiError) as exc:
        click.echo(f"gofixer: error: {redact(str(exc), token)}", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_OK)


@dataclass
class _Run:
    path: str
    options: Options
    jobs: int | None
    exclude: Callable[[str], bool] | None
    base: str | None
    branch: str | None
    remote: str | None
    repo: str | None
    api_url: str | None
    token_env: str
    token: str | None
    labels: list[str]
    draft: bool
    author: Identity
    committer: Identity
    dry_run: bool
    verbose: bool
    select_: str | None
    ignore: str | None

    def say(self, text: str, err: bool = False) -> None:
        click.echo(redact(text, self.token), err=err)

    def main(self) -> None:
        from gofixer import cli
        from gofixer.codemod import registry

        checkout = inspect_checkout(self.path, self.remote)
        git = Git(checkout.root, self.token)
        all_rules = tuple(registry())
        branch = self.branch or BRANCH_PREFIX + branch_slug(self.options.rules, all_rules)
        if not git.ok("check-ref-format", f"refs/heads/{branch}"):
            raise BotError(f"{branch!r} is not a valid branch name")
        if branch == checkout.current:
            raise BotError(f"the checkout is on {branch}, the branch the bot rewrites: switch to another")
        target = self._target(git, checkout.remote)
        if not self.dry_run and self.token is None:
            raise BotError(
                f"no GitHub token: set {self.token_env} (or name another variable with --token-env)"
            )
        base = self.base or default_branch(git, checkout.remote, offline=self.dry_run)
        if branch == base:
            raise BotError(f"the branch to push ({branch}) is the base branch itself")
        base_sha = self._base_commit(git, checkout.remote, base)
        cli._need_gofmt()
        rel = os.path.relpath(os.path.realpath(self.path), checkout.root)
        # A clean checkout of the base commit is scanned where it is (the usual CI case, and the usual
        # day with nothing to fix); otherwise a temporary worktree holds the base commit.
        in_place = git.run("rev-parse", "HEAD").strip() == base_sha
        with contextlib.ExitStack() as stack:
            src = checkout.root if in_place else stack.enter_context(temporary_worktree(git, base_sha))
            untracked = _untracked(Git(src))
            excluded = self.exclude
            report = scan(
                [os.path.join(src, rel)],
                self.options,
                self.jobs,
                exclude=lambda p: untracked(p) or (excluded is not None and excluded(p)),
            )
            self._report_problems(report, src)
            if not report.changes:
                n = len(report.findings)
                left = f"; {plural(n, 'finding')} left that gofixer cannot fix" if n else ""
                self.say(f"Nothing to fix on {base} ({plural(report.files, 'Go file')} scanned{left}).")
                return
            with contextlib.chdir(src):  # diff paths relative to the repository root
                diff = cli.render_diff(report)
            proposal = build_proposal(report, src, branch, base, self.options, diff, self._command())
            if self.dry_run:
                self._print_dry_run(proposal, target)
                return
            tree = stack.enter_context(temporary_worktree(git, base_sha)) if in_place else src
            for change in report.changes:
                name = os.path.relpath(change.path, src)
                try:
                    atomic_write(os.path.join(tree, name), change.before, change.after)
                except (OSError, ConcurrentChange) as exc:
                    raise BotError(f"cannot write {name} in the temporary worktree: {exc}") from None
            commit = self._commit(Git(tree, self.token), proposal)
        assert target is not None and self.token is not None
        self._publish(git, checkout.remote, proposal, commit, base_sha, target, self.token)

    def _target(self, git: Git, remote: str) -> tuple[str, str, str] | None:
        """(api url, owner, name) of the GitHub repository; None in a dry run that cannot tell."""
        url = git.run("remote", "get-url", remote).strip()
        parsed = parse_remote_url(url)
        if self.repo is not None:
            owner, _, name = self.repo.partition("/")
            if not owner or not name or "/" in name:
                raise BotError(f"--repo {self.repo!r} is not of the form OWNER/NAME")
        elif parsed is not None:
            owner, name = parsed.owner, parsed.name
        elif self.dry_run:
            return None
        else:
            raise BotError(
                f"cannot tell the GitHub repository from the URL of {remote}: pass --repo OWNER/NAME"
            )
        api = self.api_url or (api_url_for(parsed.host) if parsed is not None else DEFAULT_API_URL)
        return api, owner, name

    def _base_commit(self, git: Git, remote: str, base: str) -> str:
        tracking = f"refs/remotes/{remote}/{base}"
        if not self.dry_run:  # fix what the remote has now, not a stale copy of it
            git.run("fetch", "--quiet", "--no-tags", remote, f"+refs/heads/{base}:{tracking}")
        sha = git.run("rev-parse", "--verify", "--quiet", f"{tracking}^{{commit}}", check=False).strip()
        if not sha:
            raise BotError(f"no branch {base} on {remote} (known locally as {tracking})")
        return sha

    def _command(self) -> str:
        parts = ["gofixer pr"]
        if self.select_:
            parts.append(f"--select {self.select_}")
        if self.ignore:
            parts.append(f"--ignore {self.ignore}")
        if self.options.unsafe_fixes:
            parts.append("--unsafe-fixes")
        return " ".join(parts)

    def _report_problems(self, report: Report, tree: str) -> None:
        for err in report.errors:
            self.say(err.render(os.path.relpath(err.path, tree)), err=True)
        if self.verbose:
            for path, why in report.skipped:
                self.say(f"{os.path.relpath(path, tree)}: skipped: {why}", err=True)
            for note in report.notes:
                self.say(f"note: {_shorten(note, tree)}", err=True)

    def _print_dry_run(self, p: Proposal, target: tuple[str, str, str] | None) -> None:
        where = f"{target[1]}/{target[2]}" if target else "(unknown repository: pass --repo)"
        extra = (" as a draft" if self.draft else "") + (
            f", labelled {', '.join(self.labels)}" if self.labels else ""
        )
        self.say(f"Dry run: nothing is committed, pushed or sent.\nBranch: {p.branch} (from {p.base})")
        self.say(f"Pull request on {where} into {p.base}{extra}")
        self.say(f"\n--- commit message ---\n{p.commit_message}")
        self.say(f"--- title ---\n{p.title}\n")
        self.say(f"--- body ---\n{p.body}")
        self.say("--- diff ---")
        sys.stdout.flush()
        click.echo(p.diff.decode("utf-8", "replace"), nl=False)

    def _commit(self, tree: Git, p: Proposal) -> str:
        env = {
            "GIT_AUTHOR_NAME": self.author.name,
            "GIT_AUTHOR_EMAIL": self.author.email,
            "GIT_COMMITTER_NAME": self.committer.name,
            "GIT_COMMITTER_EMAIL": self.committer.email,
        }
        tree.run("add", "--", *p.files)
        tree.run(
            "-c", "commit.gpgsign=false", "commit", "--quiet", "--no-verify", "-m", p.commit_message, env=env
        )
        return tree.run("rev-parse", "HEAD").strip()

    def _publish(
        self,
        git: Git,
        remote: str,
        p: Proposal,
        commit: str,
        base_sha: str,
        target: tuple[str, str, str],
        token: str,
    ) -> None:
        api, owner, name = target
        pushed_sha = self._remote_sha(git, remote, p.branch)
        up_to_date = False
        if pushed_sha is not None:
            git.run("fetch", "--quiet", "--no-tags", remote, f"refs/heads/{p.branch}")
            parents = git.run("rev-list", "--parents", "-n", "1", pushed_sha).split()[1:]
            up_to_date = parents == [base_sha] and _tree(git, pushed_sha) == _tree(git, commit)
            if not up_to_date and p.branch.startswith(BRANCH_PREFIX):
                by, _, message = git.run("log", "-1", "--format=%ce%n%B", pushed_sha).partition("\n")
                if not any(line.startswith(TRAILER + " ") for line in message.splitlines()):
                    raise BotError(
                        f"{p.branch} on {remote} has a commit by someone else ({by}): not overwriting it; "
                        "merge or delete that branch, or pass --branch"
                    )
        client = PullRequests(api, token, owner, name)
        try:
            # Also proves the token and the repository before any push.
            existing, closed = client.find(p.branch)
            if existing is None:
                rejected = next((c for c in closed if _fingerprint_of(c.body) == p.fingerprint), None)
                if rejected is not None:
                    self.say(
                        f"Pull request #{rejected.number} with these same fixes was closed without being "
                        f"merged: not opening it again ({rejected.url}). A run that fixes something "
                        "else opens a new one; to propose these again, pass another --branch."
                    )
                    return
            if up_to_date and existing is not None:
                self.say(f"{p.branch} is up to date; pull request #{existing.number}: {existing.url}")
                return
            if up_to_date:
                self.say(f"{p.branch} on {remote} is up to date: not pushed again")
            else:
                lease = (pushed_sha or "") if p.branch.startswith(BRANCH_PREFIX) else None
                git.push(remote, commit, p.branch, lease)
                self.say(f"Pushed {p.branch} to {remote} ({plural(len(p.files), 'file')} changed).")
                if p.branch != _current(git):
                    git.run("update-ref", "-m", "gofixer pr", f"refs/heads/{p.branch}", commit)
            if existing is not None:
                done = client.update(existing.number, title=p.title, body=p.body)
                verb = "Updated"
            else:
                head = p.branch
                done = client.create(head=head, base=p.base, title=p.title, body=p.body, draft=self.draft)
                verb = "Opened"
            client.add_labels(done.number, self.labels)
            self.say(f"{verb} pull request #{done.number}: {done.url}")
        finally:
            client.close()

    def _remote_sha(self, git: Git, remote: str, branch: str) -> str | None:
        out = git.run("ls-remote", "--heads", remote, f"refs/heads/{branch}")
        for line in out.splitlines():
            sha, _, ref = line.partition("\t")
            if ref == f"refs/heads/{branch}":
                return sha
        return None


def _fingerprint_of(body: str) -> str | None:
    m = FINGERPRINT.search(body)
    return m.group(1) if m else None


def _untracked(git: Git) -> Callable[[str], bool]:
    """An `exclude` for the scan: files git does not track (ignored ones, e.g. generated code) are left out."""
    tracked: set[str] = set()
    for name in git.run("ls-files", "-z").split("\0"):
        if name:
            full = os.path.join(git.cwd, name)
            tracked.update((full, os.path.realpath(full)))
    return lambda path: os.path.isfile(path) and path not in tracked


def _tree(git: Git, commit: str) -> str:
    return git.run("rev-parse", f"{commit}^{{tree}}").strip()


def _current(git: Git) -> str | None:
    return git.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False).strip() or None
