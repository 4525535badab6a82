"""Every console example in the README runs as written on the example workspace."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```console\n(.*?)```", README, re.DOTALL)
COMMANDS = [line[2:] for block in BLOCKS for line in block.splitlines() if line.startswith("$ ")]


def test_readme_has_examples_of_every_command() -> None:
    for command in ("validate", "list", "status", "new", "report"):
        assert any(f"kbik {command}" in c for c in COMMANDS), command
    for fmt in ("html", "txt"):
        assert any(f"--format {fmt}" in c for c in COMMANDS), fmt


@pytest.fixture(scope="module")
def example_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("readme")
    shutil.copy(ROOT / "kbik.toml", target / "kbik.toml")
    shutil.copytree(ROOT / "meetings", target / "meetings")
    (target / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "rangkuman-2016-05-11.txt", target / "docs")
    # The example workspace is a git repository (kbik validate --changed asks git).
    for command in (
        ["init", "-q"],
        ["add", "."],
        [
            "-c",
            "user.name=kbik",
            "-c",
            "user.email=kbik@example.org",
            "commit",
            "-q",
            "-m",
            "example",
        ],
    ):
        subprocess.run(["git", *command], cwd=target, check=True, capture_output=True)
    return target


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_example_runs(command: str, example_copy: Path) -> None:
    scripts = Path(sys.executable).parent
    if not (scripts / "kbik").exists():
        pytest.fail(f"the kbik command is not installed beside {sys.executable}")
    env = {
        **os.environ,
        "PATH": f"{scripts}{os.pathsep}{os.environ['PATH']}",
        "VISUAL": "true",
        "COLUMNS": "100",
    }
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=example_copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr


def test_readme_documents_the_one_schema_of_index_and_export() -> None:
    """Each table of the index and the export, with what it holds and its columns."""
    from kbik.export import EXPORT_TABLES, INTERNAL
    from kbik.index import TABLES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, (holds, columns) in {**TABLES, **EXPORT_TABLES}.items():
        where = "index" if name in INTERNAL else "export" if name in EXPORT_TABLES else "both"
        start = f"| `{name}` | {where} | {holds} | "
        row = next((line for line in readme.splitlines() if line.startswith(start)), None)
        assert row is not None, name
        for column in columns.split(", "):
            word = column.split()[0]
            if word not in ("PRIMARY", "FOREIGN", "UNIQUE", "CHECK") and word.isidentifier():
                assert f"`{word}`" in row, (name, word)
