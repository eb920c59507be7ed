"""`gofixer pr` end to end: real git (a bare remote on disk and a clone), a real HTTP GitHub stand-in."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gofixer.bot import api_url_for, parse_remote_url, redact
from gofixer.cli import main
from tests.fake_github import FakeGitHub

TOKEN = "ghp_fakeToken0123456789abcdefSECRET"
REPO = "acme/leaky"
BOT_EMAIL = "gofixer[bot]@users.noreply.github.com"

GO_MOD = "module example.com/leaky\n\ngo 1.22\n"
LEAKY = """package leaky

import (
	"fmt"
	"os"
)

// Name opens a file and never closes it.
func Name() string {
	f, _ := os.Open("x")
	return fmt.Sprint(f.Name())
}

// Discard drops the file os.Create returns: reported, but there is nothing to close.
func Discard() {
	os.Create("y")
}
"""
CLEAN = """package leaky

// Add leaks nothing.
func Add(a, b int) int { return a + b }
"""
MORE = """package leaky

import "os"

// Size opens a second file and never closes it.
func Size() int64 {
	g, _ := os.Open("z")
	st, _ := g.Stat()
	return st.Size()
}
"""


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout.strip()


@dataclass
class Repos:
    bare: Path
    work: Path
    tmp: Path

    def remote_refs(self) -> dict[str, str]:
        out = git(self.bare, "for-each-ref", "--format=%(refname) %(objectname)")
        pairs = [line.split(" ", 1) for line in out.splitlines()]
        return {ref: sha for ref, sha in pairs}

    def branch_file(self, branch: str, path: str) -> str:
        return git(self.bare, "show", f"refs/heads/{branch}:{path}")

    def state(self) -> tuple[str, str, str, str]:
        """What must not change in the clone: branch, HEAD, status, worktrees."""
        return (
            git(self.work, "symbolic-ref", "--short", "HEAD"),
            git(self.work, "rev-parse", "HEAD"),
            git(self.work, "status", "--porcelain"),
            git(self.work, "worktree", "list", "--porcelain").split("\n")[0],
        )


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Git without the machine's or the user's configuration; HOME (and so Go's build cache) untouched.
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # the bot's worktrees land here: checked empty


def make_repos(tmp_path: Path, files: dict[str, str]) -> Repos:
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", "-b", "main", str(bare))
    seed = tmp_path / "seed"
    git(tmp_path, "init", "--quiet", "-b", "main", str(seed))
    for name, text in files.items():
        (seed / name).parent.mkdir(parents=True, exist_ok=True)
        (seed / name).write_text(text)
    git(seed, "add", ".")
    git(seed, "commit", "--quiet", "-m", "initial")
    git(seed, "push", "--quiet", str(bare), "main")
    work = tmp_path / "work"
    git(tmp_path, "clone", "--quiet", str(bare), str(work))
    return Repos(bare, work, tmp_path)


@pytest.fixture
def repos(tmp_path: Path) -> Repos:
    return make_repos(tmp_path, {"go.mod": GO_MOD, "leaky/leaky.go": LEAKY})


@pytest.fixture
def fake(repos: Repos) -> Iterator[FakeGitHub]:
    with FakeGitHub(TOKEN, {REPO: str(repos.bare)}) as server:
        yield server


def run_pr(repos: Repos, *args: str, token: str | None = TOKEN) -> Result:
    env = {"GITHUB_TOKEN": token} if token is not None else {}
    result = CliRunner().invoke(main, ["pr", str(repos.work), *args], env=env)
    assert TOKEN not in result.output, "the token leaked into the output"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def api(fake: FakeGitHub, *more: str) -> list[str]:
    return ["--repo", REPO, "--api-url", fake.url, *more]


def assert_untouched(repos: Repos, before: tuple[str, str, str, str]) -> None:
    assert repos.state() == before
    assert git(repos.work, "worktree", "list").count("\n") == 0  # only the main work tree
    assert os.listdir(tempfile.gettempdir()) == []  # the temporary worktree is gone


def no_secret_anywhere(repos: Repos, fake: FakeGitHub) -> None:
    log = git(repos.bare, "log", "--all", "--format=%an %ae %cn %ce %B")
    assert TOKEN not in log
    for pulls in fake.pulls.values():
        for p in pulls:
            assert TOKEN not in str(p)


# -- the happy paths ----------------------------------------------------------------------------------


def test_first_run_pushes_a_branch_and_opens_a_pull_request(repos: Repos, fake: FakeGitHub) -> None:
    before = repos.state()
    main_sha = repos.remote_refs()["refs/heads/main"]
    # The real command line, as a CI job runs it; type-check verification included.
    gofixer = os.path.join(os.path.dirname(sys.executable), "gofixer")
    proc = subprocess.run(
        [gofixer, "pr", *api(fake, "--label", "leaks", "--label", "bot", "--draft")],
        cwd=repos.work,
        capture_output=True,
        text=True,
        env={**os.environ, "GITHUB_TOKEN": TOKEN},
        check=False,
    )
    assert TOKEN not in proc.stdout + proc.stderr
    assert proc.returncode == 0, proc.stderr
    assert "Pushed gofixer/all to origin (1 file changed)." in proc.stdout
    assert "Opened pull request #1: https://github.example/acme/leaky/pull/1" in proc.stdout

    # The branch: one commit on top of main, by the bot, with the fix.
    refs = repos.remote_refs()
    head = refs["refs/heads/gofixer/all"]
    assert git(repos.bare, "rev-parse", f"{head}^") == main_sha
    assert git(repos.bare, "log", "-1", "--format=%an <%ae>|%cn <%ce>", head) == (
        f"gofixer[bot] <{BOT_EMAIL}>|gofixer[bot] <{BOT_EMAIL}>"
    )
    message = git(repos.bare, "log", "-1", "--format=%B", head)
    assert message.splitlines()[0] == "gofixer: fix 1 leak (unclosed-resource)"
    assert "- unclosed-resource: 1" in message
    fixed = repos.branch_file("gofixer/all", "leaky/leaky.go")
    assert 'f, _ := os.Open("x")\n\tdefer f.Close()\n' in fixed
    assert git(repos.bare, "diff", "--name-only", main_sha, head) == "leaky/leaky.go"

    # The API conversation: look for an open PR, open one, label it; all authenticated.
    assert [(c.method, c.path, c.status) for c in fake.calls] == [
        ("GET", f"/repos/{REPO}/pulls", 200),
        ("POST", f"/repos/{REPO}/pulls", 201),
        ("POST", f"/repos/{REPO}/issues/1/labels", 200),
    ]
    assert fake.calls[0].query == {"state": ["all"], "head": ["acme:gofixer/all"], "sort": ["created"]}
    assert all(c.authorization in (f"token {TOKEN}", f"Bearer {TOKEN}") for c in fake.calls)
    sent = fake.calls[1].body
    assert (sent["head"], sent["base"], sent["draft"]) == ("gofixer/all", "main", True)
    assert sent["title"] == "gofixer: fix 1 leak (unclosed-resource)"
    assert fake.calls[2].body == ["leaks", "bot"]

    pull = fake.open_pulls(REPO)[0]
    body = pull["body"]
    assert "| `unclosed-resource` | 1 |" in body
    assert "### Changed files (1)" in body and "- `leaky/leaky.go` (1 fix)" in body
    assert "`gofmt`" in body and "`go vet -overlay`" in body and "skipped" not in body
    assert "### Left for a person (1)" in body
    assert "`leaky/leaky.go:17` `unclosed-resource` the file returned by os.Create is discarded" in body
    assert [lbl["name"] for lbl in pull["labels"]] == ["leaks", "bot"]

    # The checkout: same branch, same commit, clean; the local bot branch records what was pushed.
    assert_untouched(repos, before)
    assert git(repos.work, "rev-parse", "refs/heads/gofixer/all") == head
    no_secret_anywhere(repos, fake)


def test_second_run_updates_the_same_pull_request(repos: Repos, fake: FakeGitHub) -> None:
    assert run_pr(repos, "--no-verify", *api(fake)).exit_code == 0
    first = repos.remote_refs()["refs/heads/gofixer/all"]

    # A new leak lands on main.
    (repos.work / "leaky" / "more.go").write_text(MORE)
    git(repos.work, "add", ".")
    git(repos.work, "commit", "--quiet", "-m", "more")
    git(repos.work, "push", "--quiet", "origin", "main")
    new_main = git(repos.work, "rev-parse", "HEAD")
    before = repos.state()
    fake.calls.clear()

    result = run_pr(repos, "--no-verify", "--author", "Leak Bot <leaks@example.com>", *api(fake))
    assert result.exit_code == 0, result.output
    assert "Updated pull request #1" in result.stdout
    assert [(c.method, c.path) for c in fake.calls] == [
        ("GET", f"/repos/{REPO}/pulls"),
        ("PATCH", f"/repos/{REPO}/pulls/1"),
    ]
    assert len(fake.pulls[REPO]) == 1  # no duplicate
    pull = fake.pulls[REPO][0]
    assert pull["title"] == "gofixer: fix 2 leaks (unclosed-resource)"
    assert "| `unclosed-resource` | 2 |" in pull["body"] and "`leaky/more.go` (1 fix)" in pull["body"]
    assert "type-checking with `go vet` was skipped (`--no-verify`)" in pull["body"]

    # Rebuilt on the new main and force-pushed: one commit, both fixes.
    second = repos.remote_refs()["refs/heads/gofixer/all"]
    assert second != first
    assert git(repos.bare, "rev-parse", f"{second}^") == new_main
    assert "defer g.Close()" in repos.branch_file("gofixer/all", "leaky/more.go")
    assert "defer f.Close()" in repos.branch_file("gofixer/all", "leaky/leaky.go")
    assert git(repos.bare, "log", "-1", "--format=%an <%ae>", second) == "Leak Bot <leaks@example.com>"
    assert_untouched(repos, before)

    # Nothing new: the branch would be identical, so nothing is pushed or edited.
    fake.calls.clear()
    result = run_pr(repos, "--no-verify", "--author", "Leak Bot <leaks@example.com>", *api(fake))
    assert result.exit_code == 0, result.output
    assert "gofixer/all is up to date; pull request #1" in result.stdout
    assert repos.remote_refs()["refs/heads/gofixer/all"] == second
    assert [c.method for c in fake.calls] == ["GET"]
    assert_untouched(repos, before)
    no_secret_anywhere(repos, fake)


def test_a_pull_request_closed_unmerged_is_not_opened_again(repos: Repos, fake: FakeGitHub) -> None:
    """Like Dependabot: a person who closed the bot's pull request said no to those fixes. The same fixes
    are not proposed again, not even after the branch was deleted; different fixes get a new one."""
    assert run_pr(repos, "--no-verify", *api(fake)).exit_code == 0
    fake.pulls[REPO][0]["state"] = "closed"
    git(repos.bare, "branch", "-D", "gofixer/all")  # GitHub's "Delete branch" button
    fake.calls.clear()

    result = run_pr(repos, "--no-verify", *api(fake))
    assert result.exit_code == 0, result.output
    assert "Pull request #1 with these same fixes was closed without being merged" in result.stdout
    assert [c.method for c in fake.calls] == ["GET"]  # nothing opened
    assert "refs/heads/gofixer/all" not in repos.remote_refs()  # nothing pushed
    assert len(fake.pulls[REPO]) == 1

    # A new leak on main: the fixes differ now, so a new pull request is opened.
    (repos.work / "leaky" / "more.go").write_text(MORE)
    git(repos.work, "add", ".")
    git(repos.work, "commit", "--quiet", "-m", "more")
    git(repos.work, "push", "--quiet", "origin", "main")
    result = run_pr(repos, "--no-verify", *api(fake))
    assert result.exit_code == 0, result.output
    assert "Opened pull request #2" in result.stdout
    assert [p["state"] for p in fake.pulls[REPO]] == ["closed", "open"]

    # A merged one is no refusal: its fixes are on main and would not be proposed again anyway.
    fake.pulls[REPO][1].update(state="closed", merged=True, merged_at="2026-11-26T00:00:00Z")
    result = run_pr(repos, "--no-verify", *api(fake), "--branch", "gofixer/other")
    assert "Opened pull request #3" in result.stdout


def test_pushed_branch_without_a_pull_request_gets_one_without_a_push(repos: Repos, fake: FakeGitHub) -> None:
    fake.fail_next("POST", f"/repos/{REPO}/pulls", 502, {"message": "Server Error"})
    result = run_pr(repos, "--no-verify", *api(fake))
    assert result.exit_code == 2
    assert "GitHub API: 502 Server Error" in result.stderr
    pushed = repos.remote_refs()["refs/heads/gofixer/all"]

    fake.calls.clear()
    result = run_pr(repos, "--no-verify", *api(fake))
    assert result.exit_code == 0, result.output
    assert "up to date: not pushed again" in result.stdout and "Opened pull request #1" in result.stdout
    assert repos.remote_refs()["refs/heads/gofixer/all"] == pushed
    assert [c.method for c in fake.calls] == ["GET", "POST"]


def test_nothing_to_fix_touches_neither_git_nor_the_api(tmp_path: Path) -> None:
    repos = make_repos(tmp_path, {"go.mod": GO_MOD, "leaky/add.go": CLEAN})
    with FakeGitHub(TOKEN, {REPO: str(repos.bare)}) as fake:
        before, refs = repos.state(), repos.remote_refs()
        result = run_pr(repos, *api(fake))
        assert result.exit_code == 0, result.output
        assert "Nothing to fix on main (1 Go file scanned)." in result.stdout
        assert fake.calls == []
    assert repos.remote_refs() == refs
    assert git(repos.work, "branch", "--list", "gofixer/*") == ""
    assert_untouched(repos, before)


def test_dry_run_prints_everything_and_contacts_nothing(repos: Repos, fake: FakeGitHub) -> None:
    before, refs = repos.state(), repos.remote_refs()
    # An unreachable remote proves no fetch or push is attempted; the fake proves no API call.
    git(repos.work, "remote", "set-url", "origin", str(repos.tmp / "gone.git"))
    result = run_pr(repos, "--dry-run", "--no-verify", "--draft", "--label", "leaks", *api(fake), token=None)
    git(repos.work, "remote", "set-url", "origin", str(repos.bare))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Branch: gofixer/all (from main)" in out
    assert "Pull request on acme/leaky into main as a draft, labelled leaks" in out
    assert "--- commit message ---\ngofixer: fix 1 leak (unclosed-resource)\n" in out
    assert "--- title ---\ngofixer: fix 1 leak (unclosed-resource)\n" in out
    assert "| `unclosed-resource` | 1 |" in out
    assert "--- a/leaky/leaky.go\n+++ b/leaky/leaky.go\n" in out and "+\tdefer f.Close()\n" in out
    assert fake.calls == []
    assert repos.remote_refs() == refs
    assert git(repos.work, "branch", "--list", "gofixer/*") == ""
    assert_untouched(repos, before)


def test_fixes_the_base_branch_from_a_feature_branch_checkout(repos: Repos, fake: FakeGitHub) -> None:
    git(repos.work, "switch", "--quiet", "-c", "feature")
    (repos.work / "leaky" / "more.go").write_text(MORE)  # a leak that exists only on the feature branch
    git(repos.work, "add", ".")
    git(repos.work, "commit", "--quiet", "-m", "feature work")
    main_sha = repos.remote_refs()["refs/heads/main"]
    before = repos.state()
    result = run_pr(repos, "--no-verify", *api(fake))
    assert result.exit_code == 0, result.output
    head = repos.remote_refs()["refs/heads/gofixer/all"]
    assert git(repos.bare, "rev-parse", f"{head}^") == main_sha
    assert git(repos.bare, "diff", "--name-only", main_sha, head) == "leaky/leaky.go"
    assert fake.open_pulls(REPO)[0]["base"]["ref"] == "main"
    assert_untouched(repos, before)
    assert before[0] == "feature" and "defer" not in (repos.work / "leaky" / "more.go").read_text()


def test_ignored_go_files_are_not_scanned(repos: Repos, fake: FakeGitHub) -> None:
    (repos.work / ".gitignore").write_text("gen/\n")
    git(repos.work, "add", ".gitignore")
    git(repos.work, "commit", "--quiet", "-m", "ignore generated code")
    git(repos.work, "push", "--quiet", "origin", "main")
    (repos.work / "gen").mkdir()
    (repos.work / "gen" / "gen.go").write_text(MORE.replace("package leaky", "package gen"))
    result = run_pr(repos, "--dry-run", "--no-verify", *api(fake))
    assert result.exit_code == 0, result.output
    assert "+++ b/leaky/leaky.go" in result.stdout and "gen.go" not in result.stdout
    assert "defer" not in (repos.work / "gen" / "gen.go").read_text()


def test_select_names_the_branch_and_a_subdirectory_is_scanned_alone(tmp_path: Path) -> None:
    repos = make_repos(tmp_path, {"go.mod": GO_MOD, "leaky/leaky.go": LEAKY, "other/more.go": MORE})
    result = CliRunner().invoke(
        main,
        ["pr", str(repos.work / "other"), "--dry-run", "--no-verify", "--select", "unclosed-resource"],
    )
    assert result.exit_code == 0, result.output
    assert "Branch: gofixer/unclosed-resource (from main)" in result.stdout
    assert "(unknown repository: pass --repo)" in result.stdout  # a local remote names no GitHub repo
    assert "+++ b/other/more.go" in result.stdout and "leaky.go" not in result.stdout
    assert "running `gofixer pr --select unclosed-resource`" in result.stdout


def test_files_it_cannot_handle_are_listed_in_the_body(tmp_path: Path) -> None:
    broken = "package leaky\n\nfunc Broken( {\n"
    repos = make_repos(tmp_path, {"go.mod": GO_MOD, "leaky/leaky.go": LEAKY, "leaky/broken.go": broken})
    result = CliRunner().invoke(main, ["pr", str(repos.work), "--dry-run", "--no-verify"])
    assert result.exit_code == 0, result.output
    assert "leaky/broken.go:3:" in result.stderr and "syntax error" in result.stderr
    assert "### Problems (1)" in result.stdout
    assert "- `leaky/broken.go:3`: syntax error" in result.stdout
    assert "+\tdefer f.Close()\n" in result.stdout


def test_branches_outside_its_prefix_are_never_force_pushed(repos: Repos, fake: FakeGitHub) -> None:
    assert run_pr(repos, "--no-verify", "--branch", "fixes/leaks", *api(fake)).exit_code == 0
    first = repos.remote_refs()["refs/heads/fixes/leaks"]
    (repos.work / "leaky" / "more.go").write_text(MORE)
    git(repos.work, "add", ".")
    git(repos.work, "commit", "--quiet", "-m", "more")
    git(repos.work, "push", "--quiet", "origin", "main")
    result = run_pr(repos, "--no-verify", "--branch", "fixes/leaks", *api(fake))
    assert result.exit_code == 2
    assert "push of fixes/leaks to origin failed: [rejected] (non-fast-forward)" in result.stderr
    assert repos.remote_refs()["refs/heads/fixes/leaks"] == first


# -- refusals -----------------------------------------------------------------------------------------


def test_refuses_a_dirty_work_tree(repos: Repos, fake: FakeGitHub) -> None:
    target = repos.work / "leaky" / "leaky.go"
    target.write_text(LEAKY + "\n// local edit\n")
    result = run_pr(repos, *api(fake))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "gofixer: error: the work tree has uncommitted changes (leaky/leaky.go): commit or stash them first"
    )
    assert target.read_text().endswith("// local edit\n")
    target.write_text(LEAKY)
    (repos.work / "notes.txt").write_text("untracked\n")
    result = run_pr(repos, *api(fake))
    assert result.exit_code == 2 and "uncommitted changes (notes.txt)" in result.stderr
    assert fake.calls == [] and "refs/heads/gofixer/all" not in repos.remote_refs()


def test_refuses_outside_a_work_tree_and_without_a_remote(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    result = CliRunner().invoke(main, ["pr", str(plain)], env={"GITHUB_TOKEN": TOKEN})
    assert result.exit_code == 2 and "is not inside a git work tree" in result.stderr

    lone = tmp_path / "lone"
    git(tmp_path, "init", "--quiet", "-b", "main", str(lone))
    (lone / "a.go").write_text(LEAKY)
    git(lone, "add", ".")
    git(lone, "commit", "--quiet", "-m", "x")
    result = CliRunner().invoke(main, ["pr", str(lone)], env={"GITHUB_TOKEN": TOKEN})
    assert result.exit_code == 2 and "has no remote to push to" in result.stderr
    assert git(lone, "status", "--porcelain") == "" and "defer" not in (lone / "a.go").read_text()


def test_refuses_without_a_token(repos: Repos, fake: FakeGitHub) -> None:
    result = run_pr(repos, *api(fake), token=None)
    assert result.exit_code == 2
    assert "no GitHub token: set GITHUB_TOKEN" in result.stderr
    assert fake.calls == [] and "refs/heads/gofixer/all" not in repos.remote_refs()


def test_never_overwrites_a_branch_someone_else_pushed_to(repos: Repos, fake: FakeGitHub) -> None:
    git(repos.work, "push", "--quiet", "origin", "main:refs/heads/gofixer/all")
    human = git(repos.work, "rev-parse", "HEAD")
    result = run_pr(repos, "--no-verify", *api(fake))
    assert result.exit_code == 2
    assert "gofixer/all on origin has a commit by someone else (test@example.com)" in result.stderr
    assert repos.remote_refs()["refs/heads/gofixer/all"] == human
    assert fake.calls == []


# -- failures -----------------------------------------------------------------------------------------


def test_push_rejected_by_the_remote(repos: Repos, fake: FakeGitHub) -> None:
    hook = repos.bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pushes are frozen today' >&2\nexit 1\n")
    hook.chmod(0o755)
    before, refs = repos.state(), repos.remote_refs()
    result = run_pr(repos, "--no-verify", *api(fake))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("gofixer: error: push of gofixer/all to origin failed: ")
    assert "pre-receive hook declined" in lines[0] and "pushes are frozen today" in lines[0]
    assert repos.remote_refs() == refs
    assert [c.method for c in fake.calls] == ["GET"]  # the lookup only: no pull request without a branch
    assert git(repos.work, "branch", "--list", "gofixer/*") == ""
    assert_untouched(repos, before)


@dataclass(frozen=True)
class ApiCase:
    name: str
    expected: str
    pushed: bool  # whether the failure comes after the push


API_CASES = [
    ApiCase("bad-token", "GitHub API: 401 bad credentials: the token was rejected", False),
    ApiCase("rate-limit", "GitHub API: 403 rate limit exceeded: resets at ", False),
    ApiCase("secondary-rate-limit", "GitHub API: 403 rate limit exceeded: resets at ", False),
    ApiCase("no-permission", "GitHub API: 403 forbidden: the token lacks permission on acme/leaky", True),
    ApiCase("unknown-repo", "GitHub API: 404 not found: repository acme/nope does not exist", False),
    ApiCase(
        "validation", "GitHub API: 422 validation failed (Validation Failed): A pull request already", True
    ),
    ApiCase("network", "GitHub API: cannot reach http://127.0.0.1:", False),
]


@pytest.mark.parametrize("case", API_CASES, ids=[c.name for c in API_CASES])
def test_api_errors_get_one_clear_line(repos: Repos, fake: FakeGitHub, case: ApiCase) -> None:
    args = api(fake, "--no-verify")
    token = TOKEN
    if case.name == "bad-token":
        token = "ghp_" + "x" * 36
    elif case.name == "rate-limit":
        fake.rate_remaining = 0
    elif case.name == "secondary-rate-limit":
        limited = {"message": "You have exceeded a secondary rate limit. Please wait a few minutes."}
        fake.fail_next("GET", f"/repos/{REPO}/pulls", 403, limited, **{"Retry-After": "120"})
    elif case.name == "no-permission":
        denied = {"message": "Resource not accessible by integration", "documentation_url": "https://docs"}
        fake.fail_next("POST", f"/repos/{REPO}/pulls", 403, denied)
    elif case.name == "unknown-repo":
        args = ["--repo", "acme/nope", "--api-url", fake.url, "--no-verify"]
    elif case.name == "validation":
        body = {
            "message": "Validation Failed",
            "errors": [
                {"resource": "PullRequest", "code": "custom", "message": "A pull request already exists"}
            ],
        }
        fake.fail_next("POST", f"/repos/{REPO}/pulls", 422, body)
    elif case.name == "network":
        with FakeGitHub(TOKEN, {}) as gone:
            closed = gone.url  # a port that was just freed: nothing listens there any more
        args = ["--repo", REPO, "--api-url", closed, "--no-verify"]
    before = repos.state()
    result = run_pr(repos, *args, token=token)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("gofixer: error: " + case.expected), lines[0]
    assert token not in result.output
    if case.name == "rate-limit":
        when = datetime.datetime.fromtimestamp(fake.rate_reset, datetime.UTC)
        assert f"resets at {when:%Y-%m-%d %H:%M:%S} UTC (in 60 min)" in lines[0]
    if case.name == "secondary-rate-limit":
        assert lines[0].endswith(" UTC (in 2 min)")
    if case.name == "network":
        assert "connection refused" in lines[0]
    assert ("refs/heads/gofixer/all" in repos.remote_refs()) == case.pushed
    assert fake.open_pulls(REPO) == []
    assert_untouched(repos, before)


# -- pieces -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/acme/leaky.git", ("github.com", "acme", "leaky")),
        ("https://github.com/acme/leaky", ("github.com", "acme", "leaky")),
        ("https://x-access-token:abc@github.com/acme/leaky.git", ("github.com", "acme", "leaky")),
        ("git@github.com:acme/leaky.git", ("github.com", "acme", "leaky")),
        ("ssh://git@github.com/acme/leaky.git", ("github.com", "acme", "leaky")),
        ("ssh://git@ghe.example.com:2222/team/svc", ("ghe.example.com", "team", "svc")),
        ("/srv/git/leaky.git", None),
        ("file:///srv/git/acme/leaky.git", None),
    ],
)
def test_parse_remote_url(url: str, expected: tuple[str, str, str] | None) -> None:
    got = parse_remote_url(url)
    assert (None if got is None else (got.host, got.owner, got.name)) == expected


def test_redact_hides_the_token_and_url_credentials() -> None:
    text = f"fatal: https://x-access-token:{TOKEN}@github.com/a/b.git: token {TOKEN} refused"
    shown = redact(text, TOKEN)
    assert TOKEN not in shown
    assert shown == "fatal: https://***@github.com/a/b.git: token *** refused"


def test_api_url_follows_the_remote_host() -> None:
    assert api_url_for("github.com") == "https://api.github.com"
    assert api_url_for("ghe.example.com") == "https://ghe.example.com/api/v3"


def test_a_malformed_identity_is_a_usage_error(repos: Repos) -> None:
    result = CliRunner().invoke(main, ["pr", str(repos.work), "--author", "nobody"])
    assert result.exit_code == 2
    assert "'nobody' is not of the form 'Name <email>'" in result.output


def test_the_configuration_file_applies_as_for_fix(tmp_path: Path) -> None:
    """`.gofixer.toml` in the repository is honoured like `gofixer fix` honours it: `exclude` globs."""
    repos = make_repos(
        tmp_path,
        {
            "go.mod": GO_MOD,
            "leaky/leaky.go": LEAKY,
            "other/more.go": MORE,
            ".gofixer.toml": 'exclude = ["other/"]\n',
        },
    )
    result = CliRunner().invoke(main, ["pr", str(repos.work), "--dry-run", "--no-verify"])
    assert result.exit_code == 0, result.output
    assert "+++ b/leaky/leaky.go" in result.stdout
    assert "more.go" not in result.stdout
    # And a bad configuration is refused like everywhere else: one line, exit 2, nothing touched.
    (repos.work / ".gofixer.toml").write_text('nonsense = ["x"]\n')
    result = CliRunner().invoke(main, ["pr", str(repos.work), "--dry-run", "--no-verify"])
    assert result.exit_code == 2
    assert "nonsense" in result.stderr
