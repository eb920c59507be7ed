"""A cache of `check` results, one entry per directory, so re-checking an unchanged tree is nearly free.

An entry is keyed by everything its result depends on:

- the code that produced it: gofixer's version and the content of every gofixer and codemod module
  (so an edited checkout never serves results of the old code), the tree-sitter and grammar versions,
  and which gofmt the run would use (it tells a syntax error from syntax the grammar lacks);
- the options that change findings: the selected rules, `--unsafe-fixes`, `--strict`, per-file ignores;
- the directory, the name and content hash of each of its Go files, and the path and content of the
  enclosing go.mod (codemods read its `go` and `module` lines).

Only check-mode results are cached: `fix` and `diff` always recompute. Entries are written atomically
(temporary file + rename), so concurrent runs never see half an entry; an entry also carries a checksum
of its body and its own key, and one that fails either check, or does not decode into the exact shapes
expected, is ignored and recomputed. Entries are JSON, never pickle: a cache file is data, not code.

The cache lives in the platform cache directory (`~/.cache/gofixer` on Linux) or in $GOFIXER_CACHE_DIR.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import importlib
import json
import os
import shutil
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gofixer.model import AddImport, Applicability, Edit, FileError, Finding, Fix, Span

if TYPE_CHECKING:
    from gofixer.engine import DirResult, Options

FORMAT = 1  # bump when the entry layout changes
MAGIC = b"gofixer-cache"
ENV_DIR = "GOFIXER_CACHE_DIR"
STALE_AFTER = 7 * 24 * 3600  # seconds: a code fingerprint's entries unused this long are removed


class BadEntry(ValueError):
    """A cache entry that is truncated, altered or of an unexpected shape: never trusted."""


def default_dir() -> str:
    env = os.environ.get(ENV_DIR)
    if env:
        return env
    import platformdirs

    return platformdirs.user_cache_dir("gofixer", appauthor=False)


# -- what the results depend on -------------------------------------------------------------------


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def _build_of(module_name: str) -> bytes:
    """Which build of a compiled module this process runs: its file, size and modification time.

    Another tree-sitter or Go grammar parses differently; a different build is a different file (asking
    importlib.metadata for the versions would cost a tenth of a warm run).
    """
    module = importlib.import_module(module_name)
    path = getattr(module, "__file__", None) or module_name
    try:
        st = os.stat(path)
    except OSError:
        return path.encode()
    return f"{path}:{st.st_size}:{st.st_mtime_ns}".encode()


def code_fingerprint(module_files: Iterable[str]) -> str:
    """Hash of the code behind a result: versions, and the content of each module file given."""
    from gofixer import __version__, gotool

    parts = [
        MAGIC,
        str(FORMAT).encode(),
        __version__.encode(),
        sys.version.encode(),
        _build_of("tree_sitter._binding"),
        _build_of("tree_sitter_go._binding"),
        str(gotool.find_tool("gofmt")).encode(),
    ]
    for path in sorted(set(module_files)):
        try:
            parts += [path.encode(), Path(path).read_bytes()]
        except OSError:
            parts += [path.encode(), b"<unreadable>"]
    return _digest(*parts)


def _module_files() -> list[str]:
    """Every module of the gofixer package and every registered codemod's module."""
    import gofixer
    from gofixer.codemod import registry

    files = [str(p) for p in Path(gofixer.__file__).parent.glob("*.py")]
    for cm in registry().values():
        module = sys.modules.get(cm.__module__)
        path = getattr(module, "__file__", None)
        if path:
            files.append(path)
    return files


def options_fingerprint(options: Options) -> bytes:
    ignores = options.per_file_ignores
    data = {
        "rules": sorted(options.rules),
        "unsafe_fixes": options.unsafe_fixes,
        "strict": options.strict,
        "per_file_ignores": None if ignores is None else [ignores.root, [list(e) for e in ignores.entries]],
    }
    return json.dumps(data, sort_keys=True, default=list).encode()


def _read_go_mod(mod: str) -> bytes:
    try:
        return Path(mod).read_bytes()
    except OSError:
        return b"<unreadable>"


# -- the cache ------------------------------------------------------------------------------------


class Cache:
    """Entries for one code fingerprint and one set of options, under ``root``."""

    def __init__(self, root: str, fingerprint: str, options: bytes) -> None:
        self.root = root
        self.dir = os.path.join(root, f"v{FORMAT}", fingerprint[:24])
        self.options = options
        self._writable = True
        self._shards: set[str] = set()  # entry subdirectories known to exist
        self._written = 0
        self._go_mods: dict[str, bytes] = {}  # go.mod path -> its content, read once per run
        self._mod_of: dict[str, str | None] = {}  # directory -> the go.mod that governs it

    @classmethod
    def open(cls, options: Options, root: str | None = None) -> Cache | None:
        """The cache for a check run, or None when ``options`` ask for results that are never cached."""
        if options.mode != "check":
            return None
        return cls(root or default_dir(), code_fingerprint(_module_files()), options_fingerprint(options))

    def key(self, directory: str, paths: list[str], contents: dict[str, bytes | None]) -> str | None:
        """The key of ``directory``'s result, or None when a file cannot be read (nothing is cached).

        ``contents`` holds the bytes of each file in ``paths`` (None: unreadable), as the caller read
        them to compute the result: the key hashes the very bytes the result comes from.
        """
        mod = self._find_go_mod(directory)
        if mod is None:
            parts = [self.options, directory.encode(), b"<no go.mod>"]
        else:
            if mod not in self._go_mods:
                self._go_mods[mod] = _read_go_mod(mod)
            parts = [self.options, directory.encode(), mod.encode(), self._go_mods[mod]]
        for path in paths:
            data = contents[path]
            if data is None:
                return None
            parts += [path.encode(), hashlib.sha256(data).digest()]
        return _digest(*parts)

    def _find_go_mod(self, directory: str) -> str | None:
        """The go.mod governing ``directory`` (as parsing.find_go_mod), remembering every directory on the way."""
        if directory in self._mod_of:
            return self._mod_of[directory]
        candidate = os.path.join(directory, "go.mod")
        if os.path.isfile(candidate):
            found: str | None = candidate
        else:
            parent = os.path.dirname(directory)
            found = None if parent == directory else self._find_go_mod(parent)
        self._mod_of[directory] = found
        return found

    def _path(self, key: str) -> str:
        return os.path.join(self.dir, key[:2], key)

    def get(self, key: str) -> DirResult | None:
        try:
            with open(self._path(key), "rb") as fh:
                blob = fh.read()
        except OSError:
            return None
        try:
            return decode(blob, key)
        except BadEntry:
            return None

    def put(self, key: str, result: DirResult) -> None:
        """Store ``result`` atomically; a cache that cannot be written is silently given up on."""
        if not self._writable or not cacheable(result):
            return
        path = self._path(key)
        shard = os.path.dirname(path)
        # A temporary name no other writer uses (process id and a per-process count), created
        # exclusively, then renamed over the entry: readers see no entry or a whole one.
        self._written += 1
        tmp = os.path.join(shard, f".{key[:16]}.{os.getpid()}.{self._written}.tmp")
        try:
            if shard not in self._shards:
                os.makedirs(shard, exist_ok=True)
                self._shards.add(shard)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                blob = memoryview(encode(result, key))
                while blob:  # a regular file takes it whole, short of a full disk: then it raises
                    blob = blob[os.write(fd, blob) :]
            finally:
                os.close(fd)
            os.replace(tmp, path)
        except OSError:
            self._writable = False
            with contextlib.suppress(OSError):
                os.unlink(tmp)

    def prune(self, now: float | None = None) -> None:
        """Mark this fingerprint as used; remove the entries of fingerprints unused for a week."""
        now = time.time() if now is None else now
        parent = os.path.dirname(self.dir)
        try:
            os.makedirs(self.dir, exist_ok=True)
            os.utime(self.dir)
            siblings = os.listdir(parent)
        except OSError:
            return
        for name in siblings:
            other = os.path.join(parent, name)
            if other == self.dir:
                continue
            try:
                if now - os.stat(other).st_mtime > STALE_AFTER:
                    shutil.rmtree(other, ignore_errors=True)
            except OSError:
                continue


def cacheable(result: DirResult) -> bool:
    """A result worth keeping: not one cut short by an internal error (it might not happen again)."""
    return not any(e.message.startswith("internal error:") for e in result.errors)


# -- encoding: JSON with a checksum, checked field by field on the way back ---------------------------


def encode(result: DirResult, key: str) -> bytes:
    body = json.dumps(
        {
            "key": key,
            "directory": result.directory,
            "files": result.files,
            "findings": [_finding(f) for f in result.findings],
            "errors": [_error(e) for e in result.errors],
            "warnings": [_error(e) for e in result.warnings],
            "skipped": [list(s) for s in result.skipped],
            "notes": list(result.notes),
        },
        separators=(",", ":"),
    ).encode()
    return MAGIC + b" " + hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def decode(blob: bytes, key: str) -> DirResult:
    from gofixer.engine import DirResult

    header, sep, body = blob.partition(b"\n")
    if not sep or header != MAGIC + b" " + hashlib.sha256(body).hexdigest().encode():
        raise BadEntry("checksum mismatch")
    try:
        data = json.loads(body)
        if not isinstance(data, dict) or data.get("key") != key:
            raise BadEntry("entry for another key")
        return DirResult(
            directory=_str(data["directory"]),
            findings=[_to_finding(f) for f in _list(data["findings"])],
            errors=[_to_error(e) for e in _list(data["errors"])],
            warnings=[_to_error(e) for e in _list(data["warnings"])],
            skipped=[_to_pair(s) for s in _list(data["skipped"])],
            notes=[_str(n) for n in _list(data["notes"])],
            files=_int(data["files"]),
        )
    except (KeyError, TypeError, ValueError) as exc:  # BadEntry is a ValueError
        raise BadEntry(str(exc)) from exc


def _finding(f: Finding) -> dict[str, Any]:
    s = f.span
    out: dict[str, Any] = {
        "rule": f.rule,
        "path": f.path,
        "span": [s.line, s.column, s.end_line, s.end_column],
        "message": f.message,
        "anchor": f.anchor,
    }
    if f.fix is not None:
        out["fix"] = {
            "description": f.fix.description,
            "edits": [[e.path, e.start, e.end, base64.b64encode(e.text).decode()] for e in f.fix.edits],
            "imports": [[i.path, i.import_path] for i in f.fix.imports],
            "applicability": int(f.fix.applicability),
        }
    return out


def _error(e: FileError) -> list[Any]:
    return [e.path, e.message, e.line, e.column]


def _str(v: object) -> str:
    if not isinstance(v, str):
        raise BadEntry(f"expected a string, got {type(v).__name__}")
    return v


def _int(v: object) -> int:
    if not isinstance(v, int) or isinstance(v, bool):
        raise BadEntry(f"expected an integer, got {type(v).__name__}")
    return v


def _list(v: object, length: int | None = None) -> list[Any]:
    if not isinstance(v, list) or (length is not None and len(v) != length):
        raise BadEntry("expected a list" + (f" of {length}" if length is not None else ""))
    return v


def _dict(v: object) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise BadEntry("expected an object")
    return v


def _to_pair(v: object) -> tuple[str, str]:
    a, b = _list(v, 2)
    return _str(a), _str(b)


def _to_error(v: object) -> FileError:
    path, message, line, column = _list(v, 4)
    return FileError(_str(path), _str(message), _int(line), _int(column))


def _to_finding(v: object) -> Finding:
    d = _dict(v)
    line, column, end_line, end_column = (_int(x) for x in _list(d["span"], 4))
    fix = None
    if "fix" in d:
        fd = _dict(d["fix"])
        edits = []
        for e in _list(fd["edits"]):
            path, start, end, text = _list(e, 4)
            edits.append(
                Edit(_str(path), _int(start), _int(end), base64.b64decode(_str(text), validate=True))
            )
        fix = Fix(
            _str(fd["description"]),
            tuple(edits),
            tuple(AddImport(*_to_pair(i)) for i in _list(fd["imports"])),
            Applicability(_int(fd["applicability"])),
        )
    return Finding(
        _str(d["rule"]),
        _str(d["path"]),
        Span(line, column, end_line, end_column),
        _str(d["message"]),
        fix,
        _str(d["anchor"]),
    )
