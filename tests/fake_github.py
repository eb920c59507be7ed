"""A small GitHub REST API on 127.0.0.1 for the bot's tests: a real HTTP server on an ephemeral port.

It serves the endpoints `gofixer pr` uses the way GitHub documents them
(docs.github.com/rest/pulls/pulls and /rest/issues/labels): list, create and update pull requests and
add labels, with GitHub's JSON shapes, status codes, error bodies and `X-RateLimit-*` headers. It checks
each request (token in `Authorization: Bearer|token`, a User-Agent, JSON bodies, head and base branches
that exist in the repository's bare git directory) and records every call for the tests to inspect.
"""

from __future__ import annotations

import json
import re
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

DOCS = "https://docs.github.com/rest"


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    authorization: str | None
    status: int = 0


@dataclass
class Failure:
    """Answer the next request matching method and path with this status and body (then forget it)."""

    method: str
    path: str
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FakeGitHub:
    def __init__(self, token: str, repos: dict[str, str]) -> None:
        """``repos`` maps "owner/name" to the bare git directory that holds its branches."""
        self.token = token
        self.repos = repos
        self.calls: list[Call] = []
        self.pulls: dict[str, list[dict[str, Any]]] = {r: [] for r in repos}
        self.failures: list[Failure] = []
        self.rate_limit = 5000
        self.rate_remaining = 5000
        self.rate_reset = int(time.time()) + 3600
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeGitHub:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def fail_next(self, method: str, path: str, status: int, body: dict[str, Any], **headers: str) -> None:
        self.failures.append(Failure(method, path, status, body, headers))

    def open_pulls(self, repo: str) -> list[dict[str, Any]]:
        return [p for p in self.pulls[repo] if p["state"] == "open"]

    # -- the API ------------------------------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, Any, dict[str, str]]:
        parts = urlsplit(target)
        query = parse_qs(parts.query)
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
        call = Call(method, parts.path, query, body, headers.get("authorization"))
        with self._lock:
            self.calls.append(call)
            status, payload, extra = self._answer(call, headers, raw)
            call.status = status
            out = {
                "X-RateLimit-Limit": str(self.rate_limit),
                "X-RateLimit-Remaining": str(self.rate_remaining),
                "X-RateLimit-Reset": str(self.rate_reset),
                "X-RateLimit-Used": str(self.rate_limit - self.rate_remaining),
                "X-RateLimit-Resource": "core",
                "X-GitHub-Api-Version-Selected": "2022-11-28",
            }
            out.update(extra)
        return status, payload, out

    def _answer(self, call: Call, headers: dict[str, str], raw: bytes) -> tuple[int, Any, dict[str, str]]:
        if not headers.get("user-agent"):
            return (
                403,
                _error(
                    "Request forbidden by administrative rules. Please make sure your request has "
                    "a User-Agent header"
                ),
                {},
            )
        auth = call.authorization
        if auth is None:
            return 401, _error("Requires authentication"), {}
        if auth not in (f"Bearer {self.token}", f"token {self.token}"):
            return 401, _error("Bad credentials"), {}
        if self.rate_remaining <= 0:
            return (
                403,
                _error(
                    "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for "
                    "help, please include the request ID."
                ),
                {},
            )
        self.rate_remaining -= 1
        for failure in self.failures:
            if failure.method == call.method and failure.path == call.path:
                self.failures.remove(failure)
                return failure.status, failure.body, failure.headers
        if call.method in ("POST", "PATCH"):
            if not headers.get("content-type", "").startswith("application/json"):
                return 415, _error("Unsupported 'Content-Type'"), {}
            if isinstance(call.body, str) or (raw and call.body is None):
                return 400, _error("Problems parsing JSON"), {}
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)/(pulls|issues)(?:/(\d+))?(/labels)?", call.path)
        if m is None:
            return 404, _error("Not Found"), {}
        repo = f"{m[1]}/{m[2]}"
        if repo not in self.repos:
            return 404, _error("Not Found"), {}
        number = int(m[4]) if m[4] else None
        if m[3] == "pulls" and number is None and not m[5]:
            if call.method == "GET":
                return 200, self._list(repo, call.query), {}
            if call.method == "POST":
                return self._create(repo, call.body)
        if m[3] == "pulls" and number is not None and not m[5] and call.method == "PATCH":
            return self._update(repo, number, call.body)
        if m[3] == "issues" and number is not None and m[5] and call.method == "POST":
            return self._label(repo, number, call.body)
        return 404, _error("Not Found"), {}

    def _list(self, repo: str, query: dict[str, list[str]]) -> list[dict[str, Any]]:
        state = query.get("state", ["open"])[0]
        head = query.get("head", [None])[0]
        base = query.get("base", [None])[0]
        out = []
        for p in self.pulls[repo]:
            if state != "all" and p["state"] != state:
                continue
            if head is not None and p["head"]["label"] != head:
                continue
            if base is not None and p["base"]["ref"] != base:
                continue
            out.append(p)
        return out

    def _branch_sha(self, repo: str, branch: str) -> str | None:
        proc = subprocess.run(
            [
                "git",
                "--git-dir",
                self.repos[repo],
                "rev-parse",
                "--verify",
                "--quiet",
                f"refs/heads/{branch}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        return proc.stdout.strip() or None

    def _create(self, repo: str, body: Any) -> tuple[int, Any, dict[str, str]]:
        if not isinstance(body, dict):
            return 400, _error("Problems parsing JSON"), {}
        for name in ("head", "base", "title"):
            if not isinstance(body.get(name), str) or not body[name]:
                return 422, _invalid("PullRequest", name, "missing_field"), {}
        owner = repo.split("/")[0]
        head = body["head"].split(":", 1)[-1]
        head_sha, base_sha = self._branch_sha(repo, head), self._branch_sha(repo, body["base"])
        if head_sha is None:
            return 422, _invalid("PullRequest", "head", "invalid"), {}
        if base_sha is None:
            return 422, _invalid("PullRequest", "base", "invalid"), {}
        label = f"{owner}:{head}"
        if any(
            p["head"]["label"] == label and p["base"]["ref"] == body["base"] for p in self.open_pulls(repo)
        ):
            return 422, _custom(f"A pull request already exists for {label}."), {}
        if head_sha == base_sha:
            return 422, _custom(f"No commits between {body['base']} and {head}"), {}
        number = 1 + sum(len(ps) for ps in self.pulls.values())
        api = f"{self.url}/repos/{repo}"
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        pull = {
            "url": f"{api}/pulls/{number}",
            "id": 1000 + number,
            "node_id": f"PR_fake{number}",
            "html_url": f"https://github.example/{repo}/pull/{number}",
            "issue_url": f"{api}/issues/{number}",
            "number": number,
            "state": "open",
            "locked": False,
            "title": body["title"],
            "body": body.get("body"),
            "draft": bool(body.get("draft", False)),
            "labels": [],
            "user": {"login": "gofixer-bot", "id": 1, "type": "Bot"},
            "head": {"label": label, "ref": head, "sha": head_sha},
            "base": {"label": f"{owner}:{body['base']}", "ref": body["base"], "sha": base_sha},
            "created_at": now,
            "updated_at": now,
            "merged": False,
            "merged_at": None,
        }
        self.pulls[repo].append(pull)
        return 201, pull, {"Location": pull["url"]}

    def _find(self, repo: str, number: int) -> dict[str, Any] | None:
        return next((p for p in self.pulls[repo] if p["number"] == number), None)

    def _update(self, repo: str, number: int, body: Any) -> tuple[int, Any, dict[str, str]]:
        pull = self._find(repo, number)
        if pull is None:
            return 404, _error("Not Found"), {}
        if not isinstance(body, dict):
            return 400, _error("Problems parsing JSON"), {}
        for name in ("title", "body", "state", "base"):
            if name in body:
                if name == "state" and body[name] not in ("open", "closed"):
                    return 422, _invalid("PullRequest", "state", "invalid"), {}
                if name == "base":
                    pull["base"]["ref"] = body[name]
                else:
                    pull[name] = body[name]
        pull["head"]["sha"] = self._branch_sha(repo, pull["head"]["ref"])
        pull["updated_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        return 200, pull, {}

    def _label(self, repo: str, number: int, body: Any) -> tuple[int, Any, dict[str, str]]:
        pull = self._find(repo, number)
        if pull is None:
            return 404, _error("Not Found"), {}
        names = body.get("labels") if isinstance(body, dict) else body
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            return 422, _invalid("Label", "labels", "invalid"), {}
        for n in names:
            if n not in [lbl["name"] for lbl in pull["labels"]]:
                pull["labels"].append({"id": len(pull["labels"]) + 1, "name": n, "color": "ededed"})
        return 200, pull["labels"], {}


def _error(message: str) -> dict[str, Any]:
    return {"message": message, "documentation_url": DOCS}


def _invalid(resource: str, field_name: str, code: str) -> dict[str, Any]:
    return {
        "message": "Validation Failed",
        "errors": [{"resource": resource, "field": field_name, "code": code}],
        "documentation_url": DOCS,
    }


def _custom(message: str) -> dict[str, Any]:
    return {
        "message": "Validation Failed",
        "errors": [{"resource": "PullRequest", "code": "custom", "message": message}],
        "documentation_url": DOCS,
    }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        fake: FakeGitHub = self.server.fake  # type: ignore[attr-defined]
        status, payload, extra = fake.handle(self.command, self.path, headers, raw)
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in extra.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet; calls are recorded instead
