"""Finding the Go files to scan: recursive, skipping vendor/, testdata/, hidden directories and symlinks out."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from gofixer.model import FileError

SKIP_DIRS = frozenset({"vendor", "testdata", "node_modules"})


@dataclass
class Discovered:
    by_dir: dict[str, list[str]] = field(default_factory=dict)  # real directory -> real .go paths, sorted
    errors: list[FileError] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)

    @property
    def file_count(self) -> int:
        return sum(len(v) for v in self.by_dir.values())


def _inside(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def discover(paths: Iterable[str], exclude: Callable[[str], bool] | None = None) -> Discovered:
    """Walk ``paths`` (files or directories). ``exclude`` gets each real path and may veto it."""
    out = Discovered()
    seen: set[str] = set()
    args = list(paths) or ["."]
    roots: list[str] = []
    for p in args:
        if os.path.lexists(p):
            roots.append(os.path.realpath(p))

    def add(real: str, shown: str) -> None:
        if real in seen:
            return
        if exclude is not None and exclude(real):
            out.skipped.append((shown, "excluded"))
            return
        seen.add(real)
        out.by_dir.setdefault(os.path.dirname(real), []).append(real)

    for p in args:
        if not os.path.lexists(p):
            out.errors.append(FileError(os.path.abspath(p), "no such file or directory"))
            continue
        real = os.path.realpath(p)
        if not os.path.exists(real):
            out.errors.append(FileError(os.path.abspath(p), "broken symbolic link"))
        elif os.path.isfile(real):
            # A file named explicitly is scanned even without the .go suffix check failing loudly.
            if real.endswith(".go"):
                add(real, p)
            else:
                out.errors.append(FileError(os.path.abspath(p), "not a .go file"))
        else:
            _walk(real, roots, add, out, exclude)
    for files in out.by_dir.values():
        files.sort()
    out.by_dir = dict(sorted(out.by_dir.items()))
    return out


def _walk(
    top: str,
    roots: list[str],
    add: Callable[[str, str], None],
    out: Discovered,
    exclude: Callable[[str], bool] | None,
) -> None:
    # os.scandir tells directories, files and symbolic links apart from the directory listing itself
    # (no stat per entry on Linux): only a symbolic link to a .go file costs a look at its target.
    stack = [top]
    while stack:
        dirpath = stack.pop()
        try:
            with os.scandir(dirpath) as it:
                entries = list(it)
        except OSError as err:
            out.errors.append(
                FileError(str(err.filename or dirpath), f"cannot read directory: {err.strerror}")
            )
            continue
        subdirs = []
        for entry in entries:
            name = entry.name
            if name.startswith((".", "_")):
                continue
            try:
                is_link = entry.is_symlink()
                is_dir = not is_link and entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if name in SKIP_DIRS or (exclude is not None and exclude(entry.path)):
                    continue
                subdirs.append(entry.path)
                continue
            if not name.endswith(".go"):
                continue
            full = entry.path
            if is_link:
                real = os.path.realpath(full)
                if not _inside(real, roots):
                    out.skipped.append((full, "symbolic link out of the scanned tree"))
                    continue
                if not os.path.isfile(real):
                    if os.path.isdir(real):
                        continue  # a link to a directory named like a Go file: never followed
                    out.errors.append(FileError(full, "broken symbolic link"))
                    continue
                add(real, full)
            else:
                add(full, full)
        stack.extend(sorted(subdirs, reverse=True))  # visited in name order
