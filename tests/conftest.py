"""What several test files share: the --update-golden option, and a small Go module to drive the CLI in."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gofixer.cli import main


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite testdata goldens from the current fixes (review them by eye before committing)",
    )


@pytest.fixture
def module(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The requesting test file's ``FILES`` (relative path -> text or bytes) written out as a Go module,
    made the working directory."""
    root = write_files(tmp_path / "m", request.module.FILES)
    monkeypatch.chdir(root)
    return root


GO_MOD = "module example.com/m\n\ngo 1.27\n"


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (relative path -> text or bytes) under ``root``; return ``root``."""
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data if isinstance(data, bytes) else data.encode())
    return root


def run(*args: str) -> Result:
    """Run the gofixer CLI in this process, letting exceptions through."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def install_plugin(tmp_path: Path, rule: str, target: str, source: str) -> dict[str, str]:
    """Install a one-module codemod package under ``tmp_path`` with ``rule = target`` in the
    `gofixer.codemods` entry-point group; return the environment that makes Python see it."""
    import os

    module = target.split(":")[0]
    site = tmp_path / "site"
    (site / module).mkdir(parents=True)
    (site / module / "__init__.py").write_text(source)
    dist = site / f"{module}-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[gofixer.codemods]\n{rule} = {target}\n")
    return {**os.environ, "PYTHONPATH": str(site)}
