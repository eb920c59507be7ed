"""Discovery: which Go files a run checks, walking real directories with real symbolic links."""

from __future__ import annotations

import os
from pathlib import Path

from gofixer.discover import discover

GO = b"package p\n"


def tree(root: Path, files: list[str]) -> None:
    for rel in files:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(GO)


def test_walks_go_files_and_skips_what_go_skips(tmp_path: Path) -> None:
    tree(
        tmp_path,
        [
            "a.go",
            "notes.txt",
            "sub/b.go",
            "sub/deeper/c.go",
            "sub/_d.go",
            "sub/.e.go",
            "vendor/v.go",
            "testdata/t.go",
            "node_modules/n.go",
            ".hidden/h.go",
            "_skip/s.go",
            "sub/testdata/x.go",
        ],
    )
    found = discover([str(tmp_path)])
    root = os.path.realpath(tmp_path)
    assert found.by_dir == {
        root: [f"{root}/a.go"],
        f"{root}/sub": [f"{root}/sub/b.go"],
        f"{root}/sub/deeper": [f"{root}/sub/deeper/c.go"],
    }
    assert not found.errors and not found.skipped


def test_symbolic_links(tmp_path: Path) -> None:
    tree(tmp_path, ["mod/real.go", "mod/pkg/x.go", "outside/o.go"])
    mod = tmp_path / "mod"
    (mod / "alias.go").symlink_to(mod / "real.go")  # inside the tree: the real file, once
    (mod / "out.go").symlink_to(tmp_path / "outside" / "o.go")  # out of the tree: not followed
    (mod / "broken.go").symlink_to(mod / "missing.go")
    (mod / "linkdir").symlink_to(tmp_path / "outside")  # a linked directory is never walked
    (mod / "dir.go").symlink_to(mod / "pkg")  # nor one named like a Go file
    found = discover([str(mod)])
    root = os.path.realpath(mod)
    assert found.by_dir == {root: [f"{root}/real.go"], f"{root}/pkg": [f"{root}/pkg/x.go"]}
    assert found.skipped == [(f"{root}/out.go", "symbolic link out of the scanned tree")]
    assert [(e.path, e.message) for e in found.errors] == [(f"{root}/broken.go", "broken symbolic link")]


def test_missing_path_and_file_arguments(tmp_path: Path) -> None:
    tree(tmp_path, ["one.go", "readme.md"])
    found = discover([str(tmp_path / "one.go"), str(tmp_path / "readme.md"), str(tmp_path / "nope")])
    root = os.path.realpath(tmp_path)
    assert found.by_dir == {root: [f"{root}/one.go"]}
    assert sorted(e.message for e in found.errors) == ["no such file or directory", "not a .go file"]


def test_exclude_vetoes_directories_and_files(tmp_path: Path) -> None:
    tree(tmp_path, ["keep/k.go", "gen/g.go", "keep/skip_me.go"])
    root = os.path.realpath(tmp_path)
    found = discover([str(tmp_path)], exclude=lambda p: p.endswith(("/gen", "skip_me.go")))
    assert found.by_dir == {f"{root}/keep": [f"{root}/keep/k.go"]}
    assert found.skipped == [(f"{root}/keep/skip_me.go", "excluded")]
