"""Configuration: `.gofixer.toml`, or `[tool.gofixer]` in a pyproject.toml, found from the scanned path upward.

Keys (kebab-case, like ruff's): select, ignore, per-file-ignores, exclude, unsafe-fixes, jobs, verify.
Command-line flags override the file. A bad file is a `ConfigError` whose one-line message names the file
and the key, so the CLI can print it and exit 2.

Globs (exclude, per-file-ignores) are matched against paths relative to the directory holding the file,
with `/` separators, the way .gitignore matches them: `*` and `?` stay inside one path component, `**`
crosses components, a pattern without a `/` matches a file or directory name at any depth, and a pattern
that matches a directory matches everything below it. A leading `/` anchors a name to the root.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

CONFIG_FILE = ".gofixer.toml"
PYPROJECT = "pyproject.toml"
KEYS = ("select", "ignore", "per-file-ignores", "exclude", "unsafe-fixes", "jobs", "verify")


class ConfigError(Exception):
    """A configuration file gofixer cannot use; the message is one line naming the file and the key."""


def _anchored(pattern: str) -> bool:
    """A pattern with a `/` (other than a trailing one) matches from the root, like in .gitignore."""
    return "/" in pattern.rstrip("/")


@functools.cache
def _glob_regex(pattern: str) -> re.Pattern[str]:
    pat = pattern.strip("/")
    if not _anchored(pattern):
        pat = "**/" + pat
    out: list[str] = []
    i = 0
    while i < len(pat):
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pat.startswith("**", i):
            out.append(".*")
            i += 2
        elif pat[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pat[i] == "?":
            out.append("[^/]")
            i += 1
        elif pat[i] == "[" and "]" in pat[i + 2 :]:
            close = pat.index("]", i + 2)
            body = pat[i + 1 : close]
            negate = body.startswith("!")
            body = body[1:] if negate else body
            out.append("[" + ("^" if negate else "") + body.replace("\\", "\\\\") + "]")
            i = close + 1
        else:
            out.append(re.escape(pat[i]))
            i += 1
    # A match of a leading directory covers everything under it.
    return re.compile("".join(out) + "(?:/.*)?")


@dataclass(frozen=True)
class Globs:
    """Glob patterns relative to ``root``; picklable, so it crosses process boundaries."""

    root: str
    patterns: tuple[str, ...]

    def match(self, path: str) -> bool:
        return any(self.match_one(p, path) for p in self.patterns)

    def match_one(self, pattern: str, path: str) -> bool:
        rel = os.path.relpath(path, self.root) if self.root else path
        if rel.startswith(".."):
            # Outside the configured tree: only patterns about names (no `/`) can apply.
            if _anchored(pattern):
                return False
            rel = path.lstrip(os.sep)
        rel = rel.replace(os.sep, "/")
        return _glob_regex(pattern).fullmatch(rel) is not None


@dataclass(frozen=True)
class PerFileIgnores:
    """`per-file-ignores`: rules switched off for the files a glob matches."""

    root: str
    entries: tuple[tuple[str, tuple[str, ...]], ...]

    def ignored(self, rule: str, path: str) -> bool:
        globs = Globs(self.root, ())
        return any(rule in rules and globs.match_one(pattern, path) for pattern, rules in self.entries)


@dataclass(frozen=True)
class Config:
    path: str | None = None  # the file it was read from; None: defaults only
    root: str = field(default_factory=os.getcwd)  # globs are relative to this directory
    select: tuple[str, ...] | None = None  # None: every rule
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    unsafe_fixes: bool = False
    jobs: int | None = None  # None: all cores
    verify: bool = True

    def override(self, **flags: Any) -> Config:
        """This configuration with every flag that was given on the command line (not None) on top."""
        given = {k: v for k, v in flags.items() if v is not None}
        return replace(self, **given)

    @property
    def excluded(self) -> Globs:
        return Globs(self.root, self.exclude)

    @property
    def file_ignores(self) -> PerFileIgnores | None:
        return PerFileIgnores(self.root, self.per_file_ignores) if self.per_file_ignores else None

    def rules(self) -> list[str]:
        """The rule ids this configuration runs, in registry order."""
        from gofixer.codemod import select

        return [cm.name for cm in select(self.select, self.ignore)]


def find(start: str) -> tuple[str, dict[str, Any]] | None:
    """The nearest configuration at or above ``start``: (file, its gofixer table).

    In one directory `.gofixer.toml` wins over pyproject.toml; a pyproject.toml without a
    `[tool.gofixer]` table is passed over.
    """
    here = os.path.abspath(start)
    if not os.path.isdir(here):
        here = os.path.dirname(here)
    while True:
        own = os.path.join(here, CONFIG_FILE)
        if os.path.isfile(own):
            return own, _read_toml(own)
        pyproject = os.path.join(here, PYPROJECT)
        if os.path.isfile(pyproject):
            tool = _read_toml(pyproject).get("tool", {})
            if isinstance(tool, dict) and "gofixer" in tool:
                table = tool["gofixer"]
                if not isinstance(table, dict):
                    raise ConfigError(f"{_shown(pyproject)}: [tool.gofixer] must be a table")
                return pyproject, table
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def _read_toml(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{_shown(path)}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{_shown(path)}: cannot read: {exc.strerror or exc}") from None


def load(path: str) -> Config:
    """Read one configuration file (a .gofixer.toml, or a pyproject.toml's `[tool.gofixer]`)."""
    data = _read_toml(path)
    if os.path.basename(path) == PYPROJECT:
        tool = data.get("tool", {})
        data = tool.get("gofixer", {}) if isinstance(tool, dict) else {}
    return parse(data, path)


def discover(paths: Iterable[str]) -> Config:
    """The configuration for a run over ``paths``: found from the first path (or the current directory)."""
    first = next(iter(paths), ".")
    found = find(first)
    if found is None:
        return Config()
    return parse(found[1], found[0])


def parse(table: Mapping[str, Any], path: str) -> Config:
    from gofixer.codemod import registry

    shown = _shown(path)
    known_rules = set(registry())

    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(f"{shown}: {key!r}: {problem}")

    def rule_list(key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(key, f"expected a list of rule ids, got {_toml(value)}")
        for rule in value:
            if rule not in known_rules:
                raise fail(key, f"unknown rule {rule!r} (known: {', '.join(sorted(known_rules))})")
        return tuple(value)

    def globs(key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip("/") for v in value):
            raise fail(key, f"expected a list of glob patterns, got {_toml(value)}")
        return tuple(value)

    def flag(key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise fail(key, f"expected true or false, got {_toml(value)}")
        return value

    settings: dict[str, Any] = {}
    for key, value in table.items():
        if key == "select":
            settings["select"] = rule_list(key, value)
        elif key == "ignore":
            settings["ignore"] = rule_list(key, value)
        elif key == "exclude":
            settings["exclude"] = globs(key, value)
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise fail(key, f"expected a table of glob = [rule ids], got {_toml(value)}")
            entries = []
            for pattern, rules in value.items():
                if not pattern.strip("/"):
                    raise fail(key, "an empty glob pattern")
                entries.append((pattern, rule_list(f"{key}.{pattern}", rules)))
            settings["per_file_ignores"] = tuple(entries)
        elif key == "unsafe-fixes":
            settings["unsafe_fixes"] = flag(key, value)
        elif key == "verify":
            settings["verify"] = flag(key, value)
        elif key == "jobs":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise fail(key, f"expected a whole number of worker processes >= 1, got {_toml(value)}")
            settings["jobs"] = value
        else:
            near = difflib.get_close_matches(key.replace("_", "-"), KEYS, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else f" (known keys: {', '.join(KEYS)})"
            raise ConfigError(f"{shown}: unknown key {key!r}{hint}")
    return Config(path=os.path.abspath(path), root=os.path.dirname(os.path.realpath(path)), **settings)


def _toml(value: Any) -> str:
    """A value as it would be written in TOML, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    return str(value)


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml(key)


def render(config: Config, rules: list[str], jobs: int) -> str:
    """The effective configuration as TOML that `.gofixer.toml` would accept."""
    where = _shown(config.path) if config.path else "none found (defaults)"
    lines = [
        f"# configuration file: {where}",
        f"# globs are relative to: {_shown(config.root)}",
        f"select = {_toml(rules)}",
        f"ignore = {_toml(list(config.ignore))}",
        f"exclude = {_toml(list(config.exclude))}",
        f"unsafe-fixes = {_toml(config.unsafe_fixes)}",
        f"jobs = {jobs}",
        f"verify = {_toml(config.verify)}",
        "",
        "[per-file-ignores]",
    ]
    lines.extend(f"{_toml(pattern)} = {_toml(list(rules))}" for pattern, rules in config.per_file_ignores)
    return "\n".join(lines)


def _shown(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel
