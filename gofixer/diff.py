"""Unified diffs of rewrites, byte-exact, checked by parsing them back with unidiff."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass

from unidiff.errors import UnidiffParseError
from unidiff.patch import PatchSet


@dataclass(frozen=True)
class DiffStats:
    files: int
    hunks: int
    added: int
    removed: int


class DiffError(RuntimeError):
    """The diff gofixer produced does not parse back: a gofixer bug."""


def display_path(path: str, cwd: str | None = None) -> str:
    """Path relative to the current directory (so `git apply` at the repo root takes the diff)."""
    return os.path.relpath(path, cwd or os.getcwd())


def unified_diff(path: str, before: bytes, after: bytes, context: int = 3) -> bytes:
    """`--- a/PATH` / `+++ b/PATH` diff of one file; lines keep their own endings (CRLF stays CRLF)."""
    shown = display_path(path).replace(os.sep, "/").encode("utf-8", "surrogateescape")
    a = before.splitlines(keepends=True)
    b = after.splitlines(keepends=True)
    out: list[bytes] = []
    for line in difflib.diff_bytes(
        difflib.unified_diff, a, b, b"a/" + shown, b"b/" + shown, n=context, lineterm=b"\n"
    ):
        if line.startswith((b"---", b"+++", b"@@")):
            out.append(line.rstrip(b"\n") + b"\n")
            continue
        if not line.endswith(b"\n"):
            line += b"\n\\ No newline at end of file\n"
        out.append(line)
    return b"".join(out)


def check(diff: bytes) -> DiffStats:
    """Parse a diff with unidiff; raise DiffError if it does not parse; return its counts."""
    try:
        patch = PatchSet(diff.decode("utf-8", "surrogateescape"))
    except UnidiffParseError as exc:
        raise DiffError(f"gofixer produced a malformed diff: {exc}") from exc
    return DiffStats(
        files=len(patch),
        hunks=sum(len(f) for f in patch),
        added=patch.added,
        removed=patch.removed,
    )


def colorize(diff: bytes) -> bytes:
    out = []
    for line in diff.splitlines(keepends=True):
        if line.startswith((b"+++", b"---")):
            out.append(b"\x1b[1m" + line.rstrip(b"\n") + b"\x1b[0m\n")
        elif line.startswith(b"@@"):
            out.append(b"\x1b[36m" + line.rstrip(b"\n") + b"\x1b[0m\n")
        elif line.startswith(b"+"):
            out.append(b"\x1b[32m" + line.rstrip(b"\n") + b"\x1b[0m\n")
        elif line.startswith(b"-"):
            out.append(b"\x1b[31m" + line.rstrip(b"\n") + b"\x1b[0m\n")
        else:
            out.append(line)
    return b"".join(out)
