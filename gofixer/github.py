"""The little of the GitHub REST API the bot needs, through PyGithub: find, open and update pull requests.

Every failure comes out as one `ApiError` whose message is a single line a person can act on; the
token never appears in it (PyGithub keeps it in the Authorization header only).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
from github import Auth, Github, GithubException
from github.PullRequest import PullRequest

from gofixer import __version__

DEFAULT_API_URL = "https://api.github.com"


class ApiError(RuntimeError):
    """A GitHub API call failed; ``str()`` is the one line to show."""


@dataclass(frozen=True)
class Pull:
    number: int
    url: str  # the page a person opens
    title: str
    body: str
    state: str = "open"  # or "closed"
    merged: bool = False


def _pull(p: PullRequest) -> Pull:
    return Pull(p.number, p.html_url, p.title, p.body or "", p.state, p.merged_at is not None)


class PullRequests:
    """Pull requests of one repository, ``owner/name``, on github.com or a GitHub Enterprise server."""

    def __init__(self, api_url: str, token: str, owner: str, name: str, timeout: int = 30) -> None:
        self.api_url = api_url.rstrip("/")
        self.owner, self.name = owner, name
        # No retries and no throttling: a bot run is short, and a rate limit must be reported, not slept on.
        self._gh = Github(
            auth=Auth.Token(token),
            base_url=self.api_url,
            timeout=timeout,
            user_agent=f"gofixer/{__version__}",
            retry=None,
            seconds_between_requests=None,
            seconds_between_writes=None,
            lazy=True,
        )
        self._repo = self._gh.get_repo(f"{owner}/{name}")  # lazy: no request until it is used
        self._open: dict[int, PullRequest] = {}

    def find(self, branch: str) -> tuple[Pull | None, list[Pull]]:
        """The open pull request whose head is ``owner:branch``, if any, and the ones closed without
        being merged, newest first: one request (GET .../pulls?head=&state=all)."""
        found: Pull | None = None
        closed: list[Pull] = []
        with _translated(self):
            pulls = self._repo.get_pulls(state="all", head=f"{self.owner}:{branch}", sort="created")
            for p in pulls:
                pull = _pull(p)
                if pull.state == "open" and found is None:
                    self._open[p.number] = p
                    found = pull
                elif pull.state == "closed" and not pull.merged:
                    closed.append(pull)
        closed.sort(key=lambda pull: pull.number, reverse=True)
        return found, closed

    def create(self, *, head: str, base: str, title: str, body: str, draft: bool) -> Pull:
        with _translated(self):
            p = self._repo.create_pull(base=base, head=head, title=title, body=body, draft=draft)
        self._open[p.number] = p
        return _pull(p)

    def update(self, number: int, *, title: str, body: str) -> Pull:
        """PATCH the title and body of a pull request found by `find_open` or made by `create`."""
        p = self._open[number]
        with _translated(self):
            p.edit(title=title, body=body)
        return _pull(p)

    def add_labels(self, number: int, labels: list[str]) -> None:
        if not labels:
            return
        with _translated(self):
            self._open[number].add_to_labels(*labels)

    def close(self) -> None:
        self._gh.close()


class _translated:
    """Turn PyGithub's and requests' exceptions into an ApiError with one clear line."""

    def __init__(self, client: PullRequests) -> None:
        self.client = client

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        if isinstance(exc, GithubException):
            raise ApiError(describe(exc.status, exc.data, exc.headers or {}, self.client)) from None
        if isinstance(exc, requests.exceptions.RequestException):
            raise ApiError(
                f"GitHub API: cannot reach {self.client.api_url}: {_network_reason(exc)}"
            ) from None


def _network_reason(exc: requests.exceptions.RequestException) -> str:
    if isinstance(exc, requests.exceptions.Timeout):
        return "the request timed out"
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS handshake failed"
    if isinstance(exc, requests.exceptions.ConnectionError):
        text = str(exc).lower()
        if "refused" in text:
            return "connection refused"
        if "name or service not known" in text or "nodename nor servname" in text or "resolve" in text:
            return "unknown host"
        return "connection failed"
    return type(exc).__name__


def _header(headers: Mapping[str, Any], name: str) -> str | None:
    for k, v in headers.items():
        if k.lower() == name:
            return str(v)
    return None


def _reset_time(headers: Mapping[str, Any], now: datetime.datetime | None = None) -> str:
    """When a rate limit lifts: retry-after (seconds) first, as GitHub asks for secondary limits, then
    x-ratelimit-reset (epoch seconds)."""
    now = now or datetime.datetime.now(datetime.UTC)
    reset = _header(headers, "x-ratelimit-reset")
    retry_after = _header(headers, "retry-after")
    when: datetime.datetime | None = None
    if retry_after is not None and retry_after.isdigit():
        when = now + datetime.timedelta(seconds=int(retry_after))
    elif reset is not None and reset.isdigit():
        when = datetime.datetime.fromtimestamp(int(reset), datetime.UTC)
    if when is None:
        return "the reset time is unknown (no rate-limit headers)"
    minutes = max(0, round((when - now).total_seconds() / 60))
    return f"resets at {when.strftime('%Y-%m-%d %H:%M:%S')} UTC (in {minutes} min)"


def describe(status: int, data: Any, headers: Mapping[str, Any], client: PullRequests) -> str:
    """One line for a failed API response, by status as GitHub documents them."""
    message = str(data.get("message", "")) if isinstance(data, dict) else ""
    repo = f"{client.owner}/{client.name}"
    if status == 401:
        return "GitHub API: 401 bad credentials: the token was rejected (expired, revoked or mistyped)"
    remaining = _header(headers, "x-ratelimit-remaining")
    if status == 429 or (status == 403 and (remaining == "0" or "rate limit" in message.lower())):
        return f"GitHub API: {status} rate limit exceeded: {_reset_time(headers)}"
    if status == 403:
        why = f" ({message})" if message else ""
        return (
            f"GitHub API: 403 forbidden: the token lacks permission on {repo}{why}; "
            "it needs contents: write and pull-requests: write"
        )
    if status == 404:
        return f"GitHub API: 404 not found: repository {repo} does not exist or the token cannot see it"
    if status == 422:
        details = []
        if isinstance(data, dict):
            for err in data.get("errors") or []:
                if isinstance(err, dict):
                    details.append(str(err.get("message") or f"{err.get('field')} {err.get('code')}"))
                else:
                    details.append(str(err))
        tail = ": " + "; ".join(details) if details else ""
        return f"GitHub API: 422 validation failed ({message or 'Unprocessable Entity'}){tail}"
    return f"GitHub API: {status} {message or 'unexpected response'}"
