"""The one engine: read -> parse -> match -> apply fixes in passes -> gofmt -> type-check -> results.

Work is split by directory (a Go package and its external test package live in one directory), so
codemods that edit several files of a package see all of them, and directories run in parallel.
"""

from __future__ import annotations

import dataclasses
import os
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from gofixer import gotool, imports, suppress
from gofixer.codemod import Codemod, Match, iter_matches, registry
from gofixer.config import PerFileIgnores
from gofixer.model import Applicability, Edit, FileError, Finding, Fix
from gofixer.parsing import Encoding, Package, SourceFile, find_go_mod, first_error, is_generated

if TYPE_CHECKING:
    from gofixer.cache import Cache

Mode = Literal["check", "fix"]
MAX_PASSES = 5


@dataclass(frozen=True)
class Options:
    rules: tuple[str, ...]
    mode: Mode = "check"
    unsafe_fixes: bool = False
    verify: bool = True  # type-check rewritten packages with go vet -overlay
    max_passes: int = MAX_PASSES
    per_file_ignores: PerFileIgnores | None = None  # from the configuration file
    strict: bool = False  # report suppression comments that suppress nothing

    @property
    def min_applicability(self) -> Applicability:
        return Applicability.UNSAFE if self.unsafe_fixes else Applicability.SAFE


@dataclass
class Change:
    path: str
    before: bytes  # exactly as read from disk
    after: bytes  # exactly as it should be written


@dataclass
class DirResult:
    """What processing one directory produced. Picklable: it crosses process boundaries."""

    directory: str
    findings: list[Finding] = field(default_factory=list)  # check: all; fix: those left unfixed
    fixed: list[Finding] = field(default_factory=list)  # fix mode: findings whose fix was applied
    changes: list[Change] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[FileError] = field(default_factory=list)  # printed, but not an error exit
    files: int = 0
    cached: bool = False  # served from the cache


# -- reading and parsing ----------------------------------------------------------------------------


@dataclass
class _Input:
    path: str
    raw: bytes
    encoding: Encoding
    data: bytes


def _load(path: str) -> bytes | OSError:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        return exc


def _read(
    paths: list[str], result: DirResult, loaded: dict[str, bytes | OSError] | None = None
) -> list[_Input]:
    """The directory's files to parse; ``loaded`` has their bytes when they were read already."""
    inputs = []
    for path in paths:
        raw = loaded[path] if loaded is not None else _load(path)
        if isinstance(raw, OSError):
            result.errors.append(FileError(path, f"cannot read file: {raw.strerror or raw}"))
            continue
        if not raw or raw.isspace():  # (strip() would copy the whole file)
            result.errors.append(FileError(path, "empty file: a Go file needs at least a package clause"))
            continue
        if is_generated(raw):
            result.skipped.append((path, "generated file"))
            continue
        encoding, data = Encoding.detect(raw)
        inputs.append(_Input(path, raw, encoding, data))
    return inputs


def _parse(inputs: list[_Input], texts: dict[str, bytes] | None, result: DirResult | None) -> list[Package]:
    by_name: dict[str, list[SourceFile]] = defaultdict(list)
    for inp in inputs:
        data = texts[inp.path] if texts is not None else inp.data
        sf = SourceFile.parse(inp.path, data, inp.encoding)
        if sf.root.has_error:
            if result is not None:
                err = first_error(sf.root) or sf.root
                where = (inp.path, err.start_point.row + 1, err.start_point.column + 1)
                if _valid_go(inp.data):
                    # Valid Go that the grammar does not know yet (e.g. Go 1.26's `new(expr)`).
                    msg = "tree-sitter-go cannot parse this valid Go syntax yet: file skipped"
                    result.warnings.append(FileError(where[0], msg, where[1], where[2]))
                else:
                    result.errors.append(
                        FileError(where[0], "syntax error: file skipped", where[1], where[2])
                    )
            continue
        by_name[sf.package_name].append(sf)
    directory = os.path.dirname(inputs[0].path) if inputs else ""
    from gofixer.parsing import module_go_version

    version = module_go_version(directory) if inputs else None
    return [Package(directory, name, files, version) for name, files in sorted(by_name.items())]


def _valid_go(data: bytes) -> bool:
    """Does gofmt parse it? Tells a real syntax error from a construct the grammar lacks."""
    try:
        gotool.gofmt(data)
    except (gotool.GofmtError, gotool.ToolMissing):
        return False
    return True


# -- matching ---------------------------------------------------------------------------------------


def detect(package: Package, codemods: list[type[Codemod]], options: Options | None = None) -> list[Finding]:
    wanted = [cm for cm in codemods if cm.wants(package)]
    if not wanted:
        return suppress.filter_findings(package, [], options)
    per: list[list[Match]] = [[] for _ in wanted]
    for idx, match in iter_matches(wanted, package):
        per[idx].append(match)
    findings: list[Finding] = []
    for cm, matches in zip(wanted, per, strict=True):
        if matches or not cm.query:
            findings.extend(cm().run(package, matches))
    # Suppressed findings are neither reported nor fixed.
    return suppress.filter_findings(package, findings, options)


# -- applying fixes ---------------------------------------------------------------------------------


def apply_edits(data: bytes, edits: Iterable[Edit]) -> bytes:
    out = data
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: e.start] + e.text + out[e.end :]
    return out


def _choose(findings: list[Finding], options: Options, allow: Callable[[Finding], bool]) -> list[Finding]:
    """Fixable findings whose edits do not overlap: the rest wait for the next pass."""
    chosen: list[Finding] = []
    taken: list[Edit] = []
    candidates = [
        f
        for f in findings
        if f.fix is not None and f.fix.applicability >= options.min_applicability and allow(f)
    ]
    candidates.sort(key=lambda f: (f.path, f.span.line, f.span.column, f.rule))
    for f in candidates:
        assert f.fix is not None
        if any(e.overlaps(t) for e in f.fix.edits for t in taken):
            continue
        chosen.append(f)
        taken.extend(f.fix.edits)
    return chosen


def _render(texts: dict[str, bytes], package: Package, fixes: list[Fix]) -> dict[str, bytes]:
    """New text of every file the fixes touch (imports included), not yet formatted."""
    edits: dict[str, list[Edit]] = defaultdict(list)
    wanted_imports: dict[str, set[str]] = defaultdict(set)
    for fix in fixes:
        for e in fix.edits:
            edits[e.path].append(e)
        for imp in fix.imports:
            wanted_imports[imp.path].add(imp.import_path)
    for path, paths in wanted_imports.items():
        edits[path].extend(imports.import_edits(package.file(path), paths))
    return {path: apply_edits(texts[path], es) for path, es in edits.items()}


@dataclass
class _Formatter:
    """gofmt every rewrite; keep a file's formatting when it was not gofmt-clean to begin with."""

    originals: dict[str, bytes]
    _clean: dict[str, bool] = field(default_factory=dict)

    def was_clean(self, path: str) -> bool:
        if path not in self._clean:
            try:
                self._clean[path] = gotool.gofmt(self.originals[path]) == self.originals[path]
            except gotool.GofmtError:
                self._clean[path] = False
        return self._clean[path]

    def format(self, path: str, text: bytes) -> bytes:
        if not _is_utf8(text):
            return self._verify_masked(path, text)
        formatted = gotool.gofmt(text)  # raises GofmtError: the rewrite is not valid Go
        return formatted if self.was_clean(path) else text

    def _verify_masked(self, path: str, text: bytes) -> bytes:
        """A file with stray non-UTF-8 bytes (a Latin-1 comment, say): gofmt rejects it whatever the fix.

        Verify a copy whose invalid bytes are replaced one for one, and return the rewrite unformatted,
        so bytes the fix did not touch are never re-encoded.
        """
        masked = _mask_invalid_utf8(text)
        formatted = gotool.gofmt(masked)  # raises GofmtError: the rewrite is not valid Go
        original = _mask_invalid_utf8(self.originals[path])
        try:
            was_clean = gotool.gofmt(original) == original
        except gotool.GofmtError:
            was_clean = False
        if was_clean and formatted != masked:
            raise gotool.GofmtError(
                "the rewrite is not gofmt-clean, and a file with non-UTF-8 bytes is not reformatted"
            )
        return text


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _mask_invalid_utf8(data: bytes) -> bytes:
    """``data`` with every byte of an invalid UTF-8 sequence replaced by ``?``: offsets stay the same."""
    out = bytearray()
    i = 0
    while i < len(data):
        try:
            data[i:].decode("utf-8")
        except UnicodeDecodeError as exc:
            out += data[i : i + exc.start] + b"?" * (exc.end - exc.start)
            i += exc.end
            continue
        out += data[i:]
        break
    return bytes(out)


def _fix_passes(
    inputs: list[_Input],
    codemods: list[type[Codemod]],
    options: Options,
    allow: Callable[[Finding], bool],
    errors: list[FileError],
) -> tuple[dict[str, bytes], list[Finding], list[Finding]]:
    """Apply fixes pass by pass until nothing changes. Returns (texts, applied, remaining findings)."""
    texts = {inp.path: inp.data for inp in inputs}
    fmt = _Formatter(dict(texts))
    applied: list[Finding] = []
    findings: list[Finding] = []
    failed: set[tuple[str, str, str, str]] = set()
    for n in range(options.max_passes + 1):
        packages = _parse(inputs, texts, None)
        findings = [f for pkg in packages for f in detect(pkg, codemods, options)]
        if options.mode == "check" or n == options.max_passes:
            break
        chosen = _choose(findings, options, lambda f: allow(f) and f.key not in failed)
        if not chosen:
            break
        by_pkg = {sf.path: pkg for pkg in packages for sf in pkg.files}
        new_texts = _apply_verified(texts, by_pkg, chosen, fmt, errors)
        dropped = _dropped(chosen, errors)
        failed.update(f.key for f in dropped)  # reported once; not retried in the next pass
        if not new_texts:
            break
        texts.update(new_texts)
        applied.extend(f for f in chosen if f not in dropped)
    return texts, applied, findings


def _dropped(chosen: list[Finding], errors: list[FileError]) -> list[Finding]:
    marks = {(e.path, e.line, e.column) for e in errors}
    return [f for f in chosen if (f.path, f.span.line, f.span.column) in marks]


def _apply_verified(
    texts: dict[str, bytes],
    by_pkg: dict[str, Package],
    chosen: list[Finding],
    fmt: _Formatter,
    errors: list[FileError],
) -> dict[str, bytes]:
    """Apply the chosen fixes; a fix whose result gofmt rejects is dropped with an error naming it."""

    def attempt(fs: list[Finding]) -> tuple[dict[str, bytes], dict[str, str]]:
        out: dict[str, bytes] = {}
        bad: dict[str, str] = {}
        fixes = [f.fix for f in fs if f.fix is not None]
        if not fixes:
            return out, bad
        pkg = by_pkg[fs[0].path]
        for path, text in _render(texts, pkg, fixes).items():
            try:
                out[path] = fmt.format(path, text)
            except gotool.GofmtError as exc:
                bad[path] = str(exc)
        return out, bad

    # Fixes of different packages (a directory may hold `p` and `p_test`) never share files.
    result: dict[str, bytes] = {}
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in chosen:
        groups[by_pkg[f.path].name].append(f)
    for group in groups.values():
        out, bad = attempt(group)
        if bad:
            good = []
            for f in group:
                _, alone_bad = attempt([f])
                if alone_bad:
                    msg = next(iter(alone_bad.values()))
                    errors.append(
                        FileError(
                            f.path,
                            f"{f.rule}: the fix produced code gofmt rejects ({msg}); fix dropped "
                            "(a gofixer bug: please report it)",
                            f.span.line,
                            f.span.column,
                        )
                    )
                else:
                    good.append(f)
            out, bad = attempt(good)
            if bad:  # fixes valid alone but not together: keep none of them this time
                for f in good:
                    errors.append(
                        FileError(
                            f.path,
                            f"{f.rule}: fix dropped: together with other fixes it produced invalid Go",
                            f.span.line,
                            f.span.column,
                        )
                    )
                out = {}
        result.update(out)
    return result


# -- one directory ----------------------------------------------------------------------------------


def process_directory(
    directory: str, paths: list[str], options: Options, loaded: dict[str, bytes | OSError] | None = None
) -> DirResult:
    result = DirResult(directory)
    try:
        _process(directory, paths, options, result, loaded)
    except gotool.ToolMissing:
        raise
    except Exception as exc:  # a codemod bug must not take the run down: report it, go on
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        result.errors.append(
            FileError(
                directory,
                f"internal error: {type(exc).__name__}: {exc} "
                f"(at {os.path.basename(tb.filename)}:{tb.lineno}); directory skipped",
            )
        )
        result.findings, result.fixed, result.changes = [], [], []
    return result


def _process(
    directory: str,
    paths: list[str],
    options: Options,
    result: DirResult,
    loaded: dict[str, bytes | OSError] | None = None,
) -> None:
    reg = registry()
    codemods = [reg[name] for name in options.rules]
    inputs = _read(paths, result, loaded)
    result.files = len(inputs)
    # Syntax errors are reported once; such files are left out of their package.
    packages = _parse(inputs, None, result)
    good = {sf.path for pkg in packages for sf in pkg.files}
    inputs = [inp for inp in inputs if inp.path in good]
    if not inputs:
        return
    if options.mode == "check":
        result.findings = [f for pkg in packages for f in detect(pkg, codemods, options)]
        return
    originals = {inp.path: inp.data for inp in inputs}

    def attempt(allow: Callable[[Finding], bool]) -> _Attempt:
        errs: list[FileError] = []
        texts, applied, remaining = _fix_passes(inputs, codemods, options, allow, errs)
        changed = {p: t for p, t in texts.items() if t != originals[p]}
        return _Attempt(changed, applied, remaining, errs)

    best = attempt(lambda f: True)
    # An unsafe fix may change an exported signature: then the module's importers are checked too.
    wide = any(f.fix is not None and f.fix.applicability < Applicability.SAFE for f in best.applied)
    if best.changed and options.verify and _typecheck(directory, best.changed, result, wide):
        # New problems: try each applied fix on its own, keep those that type-check.
        keep: set[tuple[str, str, str, str]] = set()
        dropped: list[FileError] = []
        for f in best.applied:
            alone = attempt(lambda g, k=f.key: g.key == k)  # type: ignore[misc]
            problems = _typecheck(directory, alone.changed, result, wide) if alone.changed else []
            if problems:
                dropped.append(
                    FileError(
                        f.path,
                        f"{f.rule}: fix dropped: it does not type-check ({problems[0]})",
                        f.span.line,
                        f.span.column,
                    )
                )
            else:
                keep.add(f.key)
        best = attempt(lambda g: g.key in keep)
        if best.changed and _typecheck(directory, best.changed, result, wide):
            dropped.extend(
                FileError(
                    f.path,
                    f"{f.rule}: fix dropped: it does not type-check together with the other fixes",
                    f.span.line,
                    f.span.column,
                )
                for f in best.applied
            )
            best = _Attempt(
                {}, [], [f for pkg in packages for f in detect(pkg, codemods, options)], best.errors
            )
            keep = set()
        # A fix that does not type-check is a limit of the codemod, not an error of the run: warn, and
        # report the finding without its fix.
        result.warnings.extend(dropped)
        best.remaining = [
            f if f.fix is None or f.key in keep else dataclasses.replace(f, fix=None) for f in best.remaining
        ]
    result.errors.extend(best.errors)
    result.fixed = best.applied
    result.findings = best.remaining
    enc = {inp.path: inp for inp in inputs}
    result.changes = [
        Change(p, enc[p].raw, enc[p].encoding.restore(t)) for p, t in sorted(best.changed.items())
    ]


@dataclass
class _Attempt:
    changed: dict[str, bytes]
    applied: list[Finding]
    remaining: list[Finding]
    errors: list[FileError]


def _typecheck(directory: str, changed: dict[str, bytes], result: DirResult, wide: bool = False) -> list[str]:
    """New `go vet` problems the change introduces (an empty list when it is fine or cannot be judged)."""
    mod = find_go_mod(directory)
    if mod is None:
        _note(result, f"{directory}: not in a Go module: fixes verified with gofmt only")
        return []
    root = os.path.dirname(mod)
    dirs = [directory, *(gotool.importers(root, directory) if wide else [])]
    cache_key = (tuple(dirs), "|".join(_disk_state(d, mod) for d in dirs))
    before = _VET_BEFORE.get(cache_key)
    if before is None:
        before = gotool.vet(dirs, root)
        _VET_BEFORE[cache_key] = before
    if not before.ok:
        _note(result, f"{directory}: go vet cannot check this package: fixes verified with gofmt only")
        return []
    after = gotool.vet(dirs, root, overlay=changed)
    new = after.problems - before.problems
    return [f"{file}: {msg}" for (file, msg) in sorted(new)]


# go vet of the untouched package, reused while the package's files on disk stay the same (the per-fix
# retries after a failed type-check all compare against it).
_VET_BEFORE: dict[tuple[tuple[str, ...], str], gotool.VetResult] = {}


def _disk_state(directory: str, go_mod: str) -> str:
    """Names, sizes and modification times of the package's Go files and its go.mod."""
    parts = []
    for path in [go_mod, *sorted(e.path for e in os.scandir(directory) if e.name.endswith(".go"))]:
        try:
            st = os.stat(path)
        except OSError:
            continue
        parts.append(f"{path}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def _note(result: DirResult, note: str) -> None:
    if note not in result.notes:
        result.notes.append(note)


# -- many directories -------------------------------------------------------------------------------


_Task = tuple[str, list[str], Options, "Cache | None"]


def process_cached(directory: str, paths: list[str], options: Options, cache: Cache | None) -> DirResult:
    """`process_directory`, served from ``cache`` when it holds this directory's current result.

    The key hashes the very bytes the result is computed from (each file is read once), so a file
    changed meanwhile can never leave a result filed under a key it does not belong to.
    """
    if cache is None:
        return process_directory(directory, paths, options)
    loaded = {path: _load(path) for path in paths}
    key = cache.key(directory, paths, {p: None if isinstance(b, OSError) else b for p, b in loaded.items()})
    if key is not None:
        hit = cache.get(key)
        if hit is not None:
            hit.cached = True
            return hit
    result = process_directory(directory, paths, options, loaded)
    if key is not None:
        cache.put(key, result)
    return result


def _worker(task: _Task) -> DirResult:
    return process_cached(*task)


def _worker_chunk(chunk: list[_Task]) -> list[DirResult]:
    return [process_cached(*task) for task in chunk]


def default_jobs() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _chunks(tasks: list[_Task], jobs: int) -> list[list[_Task]]:
    """Biggest directories first, then ever smaller chunks (guided self-scheduling): each chunk takes
    about a quarter of what is left per worker, by bytes of Go source, so the workers finish close
    together; tiny directories are grouped so that none pays a round trip of its own."""

    def size(task: _Task) -> int:
        total = 0
        for p in task[1]:
            try:
                total += os.path.getsize(p)
            except OSError:
                pass
        return total

    sized = sorted(((size(t), t) for t in tasks), key=lambda st: -st[0])
    remaining = sum(s for s, _ in sized)
    smallest = remaining / (jobs * 64)
    chunks: list[list[_Task]] = []
    current: list[_Task] = []
    filled = 0
    for s, task in sized:
        current.append(task)
        filled += s
        if filled >= max(smallest, remaining / (jobs * 4)):
            chunks.append(current)
            remaining -= filled
            current, filled = [], 0
    if current:
        chunks.append(current)
    return chunks


def run(
    by_dir: dict[str, list[str]], options: Options, jobs: int | None = None, cache: Cache | None = None
) -> Iterator[DirResult]:
    """Process every directory, in parallel when there is enough work; results stream in any order.

    With ``cache``, each directory's result comes from it when current, and is stored there when
    not; the workers do both, so reading and hashing the files is shared out too.
    """
    tasks: list[_Task] = [(d, files, options, cache) for d, files in by_dir.items()]
    jobs = jobs or default_jobs()
    total = sum(len(t[1]) for t in tasks)
    if jobs <= 1 or len(tasks) <= 1 or total < 64:
        for task in tasks:
            yield _worker(task)
        return
    chunks = _chunks(tasks, jobs)
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(chunks)))
    try:
        futures = [pool.submit(_worker_chunk, chunk) for chunk in chunks]
        for future in as_completed(futures):
            yield from future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# -- a whole run ------------------------------------------------------------------------------------


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[FileError] = field(default_factory=list)
    files: int = 0

    def add(self, r: DirResult) -> None:
        self.warnings.extend(r.warnings)
        self.findings.extend(r.findings)
        self.fixed.extend(r.fixed)
        self.changes.extend(r.changes)
        self.errors.extend(r.errors)
        self.skipped.extend(r.skipped)
        self.notes.extend(r.notes)
        self.files += r.files

    def sort(self) -> None:
        def order(f: Finding) -> tuple[str, int, int, str]:
            return (f.path, f.span.line, f.span.column, f.rule)

        self.findings.sort(key=order)
        self.fixed.sort(key=order)
        self.changes.sort(key=lambda c: c.path)
        self.errors.sort(key=lambda e: (e.path, e.line, e.column))
        # Results stream in as directories finish: order everything else that is shown too.
        self.warnings.sort(key=lambda e: (e.path, e.line, e.column))
        self.skipped.sort()
        self.notes.sort()


def scan(
    paths: Iterable[str],
    options: Options,
    jobs: int | None = None,
    exclude: Callable[[str], bool] | None = None,
    on_progress: Callable[[DirResult], None] | None = None,
    use_cache: bool = False,
    on_start: Callable[[dict[str, list[str]]], None] | None = None,
) -> Report:
    """Discover, then process each directory: from the cache when allowed and its entry is current.

    ``on_start`` receives the directories and files found; ``on_progress`` each directory's result.
    """
    from gofixer.discover import discover

    found = discover(paths, exclude)
    report = Report(errors=list(found.errors), skipped=list(found.skipped))
    if on_start is not None:
        on_start(found.by_dir)

    def done(result: DirResult) -> None:
        report.add(result)
        if on_progress is not None:
            on_progress(result)

    store = None
    if use_cache:
        from gofixer.cache import Cache

        store = Cache.open(options)  # None: this mode's results are never cached
        if store is not None:
            store.prune()
    hits = 0
    for result in run(found.by_dir, options, jobs, store):
        hits += result.cached
        done(result)
    if store is not None:
        report.notes.append(f"cache: {hits} of {len(found.by_dir)} directories from {store.dir}")
    report.sort()
    return report
