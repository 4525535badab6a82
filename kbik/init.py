"""``kbik init``: a new workspace, ready for git, pre-commit and editors."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path

from kbik.config import Config, load_config
from kbik.errors import NothingToDo, UsageError
from kbik.files import create_new
from kbik.i18n import N_
from kbik.locate import CONFIG_NAME
from kbik.schema import SCHEMA_FILE, front_matter_schema
from kbik.settings import BY_NAME, SETTINGS

INIT_FILES = (
    "meetings/.gitkeep",
    "templates/README.md",
    ".gitignore",
    ".pre-commit-config.yaml",
    SCHEMA_FILE,
    ".vscode/settings.json",
)

PRE_COMMIT = """\
# Checks session files before each commit: https://pre-commit.com
repos:
  - repo: local
    hooks:
      - id: kbik-validate
        name: kbik validate
        entry: kbik validate
        language: system
        files: ^meetings/.*\\.md$
"""

TEMPLATES_README = """\
# Templates

A file here replaces kbik's default template of the same name, for this workspace.
`kbik templates list` shows them all; `kbik templates copy report.txt.j2` copies a
default here to start from.
"""


@dataclass(frozen=True)
class Answers:
    """What the new workspace is for."""

    group: str
    city: str | None
    teams: int
    language: str = "id"


def config_text(answers: Answers) -> str:
    """The first kbik.toml, with commented examples of every setting."""
    city = (
        f"city = {json.dumps(answers.city, ensure_ascii=False)}"
        if answers.city
        else f"# {BY_NAME['city'].example}"
    )
    # A JSON string is a valid TOML basic string: quotes and backslashes escaped.
    given = {
        "group": f"group = {json.dumps(answers.group, ensure_ascii=False)}",
        "city": city,
        "language": f"language = {json.dumps(answers.language)}",
    }
    lines = ["# kbik workspace settings; every key is optional. See the README for all of them."]
    for setting in SETTINGS:
        if setting.kind in ("table", "tables"):
            if setting.name == "teams":
                continue  # written below, one per team
            first, *rest = setting.example.split("\n")
            lines += ["", f"# {first:<30} # {setting.description}", *(f"# {line}" for line in rest)]
        else:
            line = given.get(setting.name, setting.example)
            lines.append(f"{line:<32} # {setting.description}")
    for number in range(1, answers.teams + 1):
        lines += ["", "[[teams]]", f"number = {number}", "members = []", "kelurahan = []"]
    return "\n".join(lines) + "\n"


FOLDERS = ("meetings", "templates", ".vscode")


def check_targets(folder: Path, names: list[str]) -> None:
    """Refuse, before writing anything, a workspace that cannot be made here."""
    if (folder / CONFIG_NAME).exists():
        raise NothingToDo(
            N_("{path} exists already; kbik init left it as it was"),
            path=str(folder / CONFIG_NAME),
        )
    blocked = [
        path
        for path in (folder, *(folder / name for name in FOLDERS))
        if path.exists() and not path.is_dir()
    ]
    blocked += [folder / name for name in names if (folder / name).is_dir() and name not in FOLDERS]
    if blocked:
        shown = ", ".join(str(path) for path in blocked)
        raise UsageError(
            N_(
                "cannot make a workspace here: {paths} is in the way (a file where a folder "
                "belongs, or the other way round); nothing was written"
            ),
            paths=shown,
        )


def init_workspace(folder: Path, answers: Answers) -> tuple[list[Path], list[Path]]:
    """Create the workspace; return the files made and those left as they were.

    All or nothing: when a file cannot be written (a full disk, say), what this run
    made is taken away again and the error says so.
    """
    check_targets(folder, [CONFIG_NAME, *INIT_FILES])
    made: list[Path] = []
    folders: list[Path] = []  # made by this run, removed if it fails
    try:
        for path in (folder, *(folder / name for name in FOLDERS)):
            if not path.exists():
                path.mkdir(parents=True)
                folders.append(path)
        create_new(folder / CONFIG_NAME, config_text(answers))
        made.append(folder / CONFIG_NAME)
        kept = _write_files(folder, load_config(folder), made)
    except OSError as error:
        for path in reversed(made):
            path.unlink(missing_ok=True)
        for path in reversed(folders):
            with contextlib.suppress(OSError):
                path.rmdir()
        where = error.filename or folder
        raise UsageError(
            N_("{path}: {reason}; kbik init took back what it had made"),
            path=str(where),
            reason=error.strerror or str(error),
        ) from None
    return made, kept


def _write_files(folder: Path, config: Config, made: list[Path]) -> list[Path]:
    """Write the workspace's other files, adding each to ``made``; return those kept."""
    files = {
        "meetings/.gitkeep": "",
        "templates/README.md": TEMPLATES_README,
        # The index, and an export written into the workspace (kbik export kbik.sqlite).
        ".gitignore": ".kbik-cache/\n*.sqlite\n",
        ".pre-commit-config.yaml": PRE_COMMIT,
        SCHEMA_FILE: json.dumps(front_matter_schema(config), ensure_ascii=False, indent=2) + "\n",
        ".vscode/settings.json": json.dumps(
            {"yaml.schemas": {f"./{SCHEMA_FILE}": ["meetings/**/*.md"]}}, indent=2
        )
        + "\n",
    }
    kept = []
    for name, text in files.items():
        path = folder / name
        try:
            create_new(path, text)
            made.append(path)
        except NothingToDo:
            kept.append(path)
    return kept
