"""The cache of check results, driven through the real CLI: a re-run is served from it, any change to a
file, to go.mod or to the options is a miss, damaged entries are ignored and rewritten, --no-cache neither
reads nor writes it, fix and diff never use it, and concurrent runs share it safely."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from gofixer.cache import FORMAT, BadEntry, decode, encode
from gofixer.engine import DirResult
from gofixer.model import AddImport, Applicability, Edit, FileError, Finding, Fix, Span
from tests.conftest import run

GOFIXER = Path(sys.executable).parent / "gofixer"

OPEN_LEAK = b"""package store

import (
\t"fmt"
\t"os"
)

func Show(path string) error {
\tf, err := os.Open(path)
\tif err != nil {
\t\treturn err
\t}
\tfmt.Println(f.Name())
\treturn nil
}
"""
OPEN_CLOSED = OPEN_LEAK.replace(b"\t}\n\tfmt.Println", b"\t}\n\tdefer f.Close()\n\tfmt.Println")

FILES = {
    "go.mod": b"module example.com/cached\n\ngo 1.27\n",
    "store/open.go": OPEN_LEAK,
    "fetch/get.go": b"""package fetch

import "net/http"

func Status(url string) int {
\tresp, _ := http.Get(url)
\tif resp == nil {
\t\treturn 0
\t}
\treturn resp.StatusCode
}
""",
    "clean/clean.go": b"""package clean

func Add(a, b int) int { return a + b }
""",
}
DIRECTORIES = 3

NOTE = re.compile(r"note: cache: (\d+) of (\d+) directories from (.+)")


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("GOFIXER_CACHE_DIR", str(where))
    return where


def check(*args: str) -> tuple[int, list[dict[str, object]], int | None]:
    """Run `check --format json --verbose`: exit code, findings, and how many directories came from the cache."""
    result = run("check", "--format", "json", "--verbose", *args)
    m = NOTE.search(result.stderr)
    return result.exit_code, json.loads(result.stdout), int(m.group(1)) if m else None


def entries(cache_dir: Path) -> list[Path]:
    return sorted(p for p in cache_dir.rglob("*") if p.is_file())


def test_rerun_is_served_from_the_cache(module: Path, cache_dir: Path) -> None:
    code, cold, hits = check(".")
    assert (code, hits) == (1, 0)
    assert {f["path"] for f in cold} == {"store/open.go", "fetch/get.go"}
    assert len(entries(cache_dir)) == DIRECTORIES
    code, warm, hits = check(".")
    assert (code, hits) == (1, DIRECTORIES)
    assert warm == cold


def test_a_valid_entry_is_what_is_reported(module: Path, cache_dir: Path) -> None:
    """Proof that a hit is read, not recomputed: an entry rewritten with a valid checksum is believed."""
    check(".")
    for path in entries(cache_dir):
        key = path.name
        result = decode(path.read_bytes(), key)
        if result.findings:
            result.findings = [
                Finding(f.rule, f.path, f.span, "message from the cache", f.fix, f.anchor)
                for f in result.findings
            ]
            path.write_bytes(encode(result, key))
    _, findings, hits = check(".")
    assert hits == DIRECTORIES
    assert {f["message"] for f in findings} == {"message from the cache"}


def test_content_change_is_a_miss_for_that_directory_only(module: Path, cache_dir: Path) -> None:
    _, before, _ = check(".")
    assert "store/open.go" in {f["path"] for f in before}
    (module / "store/open.go").write_bytes(OPEN_CLOSED)
    _, after, hits = check(".")
    assert hits == DIRECTORIES - 1
    assert {f["path"] for f in after} == {"fetch/get.go"}
    # Back to the first content: that entry is still there.
    (module / "store/open.go").write_bytes(OPEN_LEAK)
    _, again, hits = check(".")
    assert hits == DIRECTORIES
    assert again == before


def test_same_size_same_mtime_edit_is_still_seen(module: Path, cache_dir: Path) -> None:
    """Keys hash content, not size or modification time."""
    path = module / "store/open.go"
    check(".")
    st = path.stat()
    edited = OPEN_LEAK.replace(b"func Show(", b"func Shew(")
    assert len(edited) == len(OPEN_LEAK)
    path.write_bytes(edited)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    _, findings, hits = check(".")
    assert hits == DIRECTORIES - 1
    [store] = [f for f in findings if f["path"] == "store/open.go"]
    assert "os.Open" in str(store["message"])


def test_new_and_removed_files_are_misses(module: Path, cache_dir: Path) -> None:
    check(".")
    (module / "store/more.go").write_bytes(b"package store\n\nfunc More() {}\n")
    assert check(".")[2] == DIRECTORIES - 1
    (module / "store/more.go").unlink()
    assert check(".")[2] == DIRECTORIES


def test_go_mod_change_is_a_miss_everywhere(module: Path, cache_dir: Path) -> None:
    check(".")
    (module / "go.mod").write_bytes(b"module example.com/cached\n\ngo 1.22\n")
    assert check(".")[2] == 0
    assert check(".")[2] == DIRECTORIES


@pytest.mark.parametrize(
    "options",
    [["--select", "unclosed-resource"], ["--strict"], ["--unsafe-fixes"], ["--ignore", "unclosed-resource"]],
)
def test_options_that_change_findings_are_part_of_the_key(
    module: Path, cache_dir: Path, options: list[str]
) -> None:
    _, plain, _ = check(".")
    code, findings, hits = check(*options, ".")
    assert hits == 0
    if "--ignore" in options:
        assert findings == [] and code == 0
    assert check(*options, ".")[2] == DIRECTORIES
    assert check(".")[1] == plain


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b[:-3] + bytes([b[-3] ^ 0x01]) + b[-2:],  # one bit flipped in the body
        lambda b: b"",  # empty
        lambda b: b"\x80\x04garbage that is not an entry",  # what a pickle would look like
    ],
    ids=["truncated", "bit-flip", "empty", "garbage"],
)
def test_damaged_entries_are_ignored_and_rewritten(
    module: Path, cache_dir: Path, damage: Callable[[bytes], bytes]
) -> None:
    _, good, _ = check(".")
    for path in entries(cache_dir):
        path.write_bytes(damage(path.read_bytes()))
    code, findings, hits = check(".")
    assert (code, hits) == (1, 0)
    assert findings == good
    assert check(".")[2] == DIRECTORIES


def test_an_entry_under_another_key_is_not_trusted(module: Path, cache_dir: Path) -> None:
    """Valid checksum, wrong key: e.g. a file copied or renamed by hand."""
    _, good, _ = check(".")
    paths = entries(cache_dir)
    blobs = [p.read_bytes() for p in paths]
    for path, blob in zip(paths, blobs[1:] + blobs[:1], strict=True):
        path.write_bytes(blob)
    _, findings, hits = check(".")
    assert hits == 0
    assert findings == good


def test_wrong_shapes_are_rejected() -> None:
    key = "k"
    result = DirResult("/d", findings=[], files=1)
    blob = encode(result, key)
    assert decode(blob, key).files == 1
    header, body = blob.split(b"\n", 1)
    data = json.loads(body)
    for field, bad in [("files", "1"), ("findings", {}), ("errors", [["p", "m", 1]]), ("notes", [3])]:
        changed = dict(data, **{field: bad})
        new_body = json.dumps(changed).encode()
        new_blob = b"gofixer-cache " + hashlib.sha256(new_body).hexdigest().encode() + b"\n" + new_body
        with pytest.raises(BadEntry):
            decode(new_blob, key)
    assert header.startswith(b"gofixer-cache ")
    assert FORMAT >= 1


def test_round_trip_keeps_every_field_byte_exact() -> None:
    edit = Edit("/d/a.go", 10, 12, b"\xff\xfe not utf-8 \x00")
    fix = Fix("close it", (edit,), (AddImport("/d/a.go", "context"),), Applicability.UNSAFE)
    finding = Finding("unclosed-resource", "/d/a.go", Span(1, 2, 3, 4), "leak", fix, "f, _ := os.Open(p)")
    result = DirResult(
        "/d",
        findings=[finding, Finding("r", "/d/b.go", Span(5, 6, 7, 8), "m")],
        errors=[FileError("/d/c.go", "syntax error: file skipped", 3, 1)],
        warnings=[FileError("/d/e.go", "cannot parse", 1, 1)],
        skipped=[("/d/gen.go", "generated file")],
        notes=["a note"],
        files=4,
    )
    back = decode(encode(result, "key"), "key")
    assert back == result
    assert back.findings[0].anchor == finding.anchor  # anchor is not part of Finding equality
    assert back.findings[0].fix is not None and back.findings[0].fix.edits[0].text == edit.text


def test_no_cache_neither_reads_nor_writes(module: Path, cache_dir: Path) -> None:
    code, findings, hits = check("--no-cache", ".")
    assert (code, hits) == (1, None)
    assert not cache_dir.exists() or entries(cache_dir) == []
    # A (validly) altered entry is not read with --no-cache.
    check(".")
    for path in entries(cache_dir):
        result = decode(path.read_bytes(), path.name)
        result.findings = []
        path.write_bytes(encode(result, path.name))
    assert check(".")[1] == []
    assert check("--no-cache", ".")[1] == findings


def test_fix_and_diff_are_never_cached(module: Path, cache_dir: Path) -> None:
    diff = run("diff", ".")
    assert diff.exit_code == 1 and b"defer f.Close()" in diff.stdout_bytes
    assert not cache_dir.exists() or entries(cache_dir) == []
    check(".")
    written = entries(cache_dir)
    assert run("diff", ".").stdout_bytes == diff.stdout_bytes
    assert run("fix", ".").exit_code in (0, 1)
    assert entries(cache_dir) == written
    # The fixed files are new content: check recomputes them.
    _, findings, hits = check(".")
    assert hits is not None and hits < DIRECTORIES
    assert all(f["path"] != "store/open.go" for f in findings)


def test_unwritable_cache_directory_does_not_fail_the_run(
    module: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be")
    monkeypatch.setenv("GOFIXER_CACHE_DIR", str(blocker))
    code, findings, hits = check(".")
    assert (code, hits) == (1, 0)
    assert {f["path"] for f in findings} == {"store/open.go", "fetch/get.go"}


def test_concurrent_runs_share_the_cache(module: Path, cache_dir: Path) -> None:
    """Several real processes fill the same cache at once: all agree, entries are whole, none is left half
    written, and the next run is served from it."""
    # More directories, so the writers overlap.
    for i in range(12):
        (module / f"extra{i}").mkdir()
        (module / f"extra{i}" / "open.go").write_bytes(
            OPEN_LEAK.replace(b"package store", f"package extra{i}".encode())
        )
    env = dict(os.environ, GOFIXER_CACHE_DIR=str(cache_dir))
    cmd = [str(GOFIXER), "check", "--format", "json", "--jobs", "1", "."]
    procs = [
        subprocess.Popen(cmd, cwd=module, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [1] * 4
    assert len({out for out, _ in outs}) == 1
    findings = json.loads(outs[0][0])
    assert len(findings) == 2 + 12
    files = entries(cache_dir)
    assert len(files) == DIRECTORIES + 12
    assert not [p for p in files if p.name.endswith(".tmp")]  # no temporary file is left behind
    for path in files:
        decode(path.read_bytes(), path.name)  # raises BadEntry if any is damaged
    _, again, hits = check(".")
    assert hits == DIRECTORIES + 12
    assert again == findings


def test_workers_read_hash_and_store_in_parallel(module: Path, cache_dir: Path) -> None:
    """With enough files for the worker pool (--jobs 2), the workers look up and store the entries:
    a warm run is served from the cache whole, and an edited file makes just its directory a miss."""
    for i in range(14):
        for j in range(5):
            name = f"part{i}"
            body = OPEN_LEAK if j == 0 else f"package {name}\n\nfunc F{j}() int {{ return {j} }}\n".encode()
            path = module / name / f"f{j}.go"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(body.replace(b"package store", f"package {name}".encode()))
    dirs = DIRECTORIES + 14
    code, cold, hits = check("--jobs", "2", ".")
    assert (code, hits) == (1, 0)
    assert len(cold) == 2 + 14
    assert len(entries(cache_dir)) == dirs
    code, warm, hits = check("--jobs", "2", ".")
    assert (code, hits, warm) == (1, dirs, cold)
    (module / "part3" / "f0.go").write_bytes(OPEN_CLOSED.replace(b"package store", b"package part3"))
    _, edited, hits = check("--jobs", "2", ".")
    assert hits == dirs - 1
    assert [f for f in cold if "part3/" not in str(f["path"])] == edited
