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
        "helps.py",
        "output.py",
    }
    assert (cli / "commands" / "common.py").is_file()


def test_the_lowest_direct_constraints_are_the_lower_bounds() -> None:
    """CI tests the lower bounds of pyproject.toml: the constraints must name them."""
    import re
    import tomllib

    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = [
        *project["project"]["dependencies"],
        *project["project"]["optional-dependencies"]["test"],
    ]
    bounds = {}
    for requirement in wanted:
        match = re.match(r"([A-Za-z0-9_.-]+)>=([0-9.]+)", requirement)
        assert match, requirement
        bounds[match[1].lower()] = match[2]
    pinned = {}
    for line in (PACKAGE.parent / ".ci" / "lowest-direct.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pinned[name.lower()] = version
    assert set(pinned) == set(bounds)
    for name, version in bounds.items():
        assert pinned[name].startswith(version), (name, version, pinned[name])
