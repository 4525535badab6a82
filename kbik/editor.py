"""Open a file in the user's editor, the way git does: $VISUAL, $EDITOR, a default."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from kbik.errors import UsageError


class EditorError(Exception):
    """The editor setting cannot be used."""


def editor_command() -> list[str]:
    """Return the editor to run, as a command line (``code --wait`` works)."""
    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable, "").strip()
        if value:
            try:
                return shlex.split(value, posix=os.name != "nt")
            except ValueError as error:
                message = f"${variable} is not a valid command ({error}): {value!r}"
                raise EditorError(message) from None
    if sys.platform == "win32":
        return ["notepad"]
    for candidate in ("sensible-editor", "nano", "vim", "vi"):
        if shutil.which(candidate):
            return [candidate]
    return ["vi"]


def open_in_editor(path: Path) -> None:
    """Run the editor on ``path`` and wait for it to close."""
    try:
        command = editor_command()
    except EditorError as error:
        raise UsageError(f"{error}; the file was created: {path}") from None
    try:
        finished = subprocess.run([*command, str(path)], check=False)
    except OSError as error:
        raise UsageError(
            f"could not start the editor '{command[0]}': {error.strerror}; "
            f"set $VISUAL or $EDITOR (the file was created: {path})"
        ) from None
    if finished.returncode != 0:
        raise UsageError(
            f"the editor '{command[0]}' exited with {finished.returncode} "
            f"(the file was created: {path})"
        )
