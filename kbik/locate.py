"""Finding the workspace (the folder that holds kbik.toml, or else meetings/) and the
language its kbik.toml sets, without reading the rest of kbik.toml: what a run needs
before it knows what it will do (``--help``, a wrong option), and little to import."""

from __future__ import annotations

import tomllib
from pathlib import Path

from kbik.errors import KbikError, UsageError
from kbik.i18n import N_
from kbik.settings import LANGUAGES, default

CONFIG_NAME = "kbik.toml"


def find_root(start: Path, explicit: Path | None = None) -> Path:
    """Return the workspace folder: ``explicit``, else the nearest one holding kbik.toml,
    else the nearest one holding a meetings/ folder; a UsageError when there is none."""
    if explicit is not None:
        if not explicit.is_dir():
            raise UsageError(N_("workspace folder not found: {path}"), path=str(explicit))
        root = explicit.resolve()
        if not _is_workspace(root):
            raise UsageError(
                N_(
                    "{path} is not a kbik workspace: it has no kbik.toml and no meetings/ "
                    "folder; make one there with 'kbik init {path}'"
                ),
                path=str(explicit),
            )
        return root
    start = start.resolve()
    folders = (start, *start.parents)
    for folder in folders:
        if (folder / CONFIG_NAME).is_file():
            return folder
    for folder in folders:
        if (folder / "meetings").is_dir():
            return folder
    raise UsageError(
        N_(
            "no kbik.toml or meetings/ folder here ({path}) or in any folder above it: "
            "make a workspace with 'kbik init', or name one with -C DIR"
        ),
        path=str(start),
    )


def workspace_language(start: Path, explicit: Path | None = None) -> str | None:
    """The language the kbik.toml of the workspace around ``start`` (or ``explicit``)
    sets, when it reads; None otherwise (the full read of the file says what is wrong)."""
    try:
        root = find_root(start, explicit)
        data = tomllib.loads((root / CONFIG_NAME).read_text(encoding="utf-8-sig"))
    except (KbikError, OSError, ValueError, RecursionError):
        return None
    language = data.get("language", default("language"))
    return language if language in LANGUAGES else None


def _is_workspace(folder: Path) -> bool:
    return (folder / CONFIG_NAME).is_file() or (folder / "meetings").is_dir()
