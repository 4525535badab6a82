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
        "extractor.py",
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


def _runtime_imports(path: Path) -> set[str]:
    """The kbik modules a module imports when it runs (anywhere in it; not those only
    a type checker reads, under ``if TYPE_CHECKING:``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
        for inner in ast.walk(node)
    }
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_house_has_no_import_cycle() -> None:
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {
        name: {n for n in _runtime_imports(path) if n in paths and n != name}
        for name, path in paths.items()
    }
    # A package imports its own modules to assemble itself: only a module's imports
    # back into a package that contains it are left out (they add nothing new).
    graph = {
        name: {n for n in found if not name.startswith(f"{n}.")} for name, found in graph.items()
    }
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, " → ".join((*trail[trail.index(name) :], name))
        if name in done:
            return
        for other in sorted(graph[name]):
            visit(other, (*trail, name))
        done.add(name)

    assert len(graph) > 40
    for name in sorted(graph):
        visit(name, ())
