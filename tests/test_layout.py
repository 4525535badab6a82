"""The layers: the CLI layer is kbik/cli/; everything else is the core, which never imports it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kbik"
CLI_ONLY = ("typer", "click", "rich", "kbik.cli")


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_core_never_imports_the_cli_layer() -> None:
    core = [p for p in PACKAGE.glob("*.py") if p.name != "__main__.py"]  # the entry point
    assert len(core) > 20
    for path in core:
        bad = {n for n in imported(path) if n.split(".")[0] in CLI_ONLY or n.startswith("kbik.cli")}
        assert not bad, f"{path.name} imports {bad}"


def test_the_cli_layer_is_one_sub_package() -> None:
    cli = PACKAGE / "cli"
    assert {p.name for p in cli.glob("*.py")} == {
        "__init__.py",
        "color.py",
        "console.py",
        "output.py",
    }
    assert (cli / "commands" / "common.py").is_file()
