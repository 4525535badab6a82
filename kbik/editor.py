"""Open a file in the user's editor, the way git does: $VISUAL, $EDITOR, a default."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from kbik.errors import UsageError
from kbik.i18n import N_


class EditorError(UsageError):
    """The editor setting cannot be used."""


def editor_command() -> list[str]:
    """Return the editor to run, as a command line (``code --wait`` works)."""
    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable, "").strip()
        if value:
            try:
                return shlex.split(value, posix=os.name != "nt")
            except ValueError as error:
                raise EditorError(
                    N_("${variable} is not a valid command ({reason}): {value}"),
                    variable=variable,
                    reason=str(error),
                    value=repr(value),
                ) from None
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
        raise UsageError(
            N_(
                "${variable} is not a valid command ({reason}): {value}; the file was "
                "created: {path}"
            ),
            variable=error.values["variable"],
            reason=error.values["reason"],
            value=error.values["value"],
            path=str(path),
        ) from None
    try:
        finished = subprocess.run([*command, str(path)], check=False)
    except OSError as error:
        raise UsageError(
            N_(
                "could not start the editor '{editor}': {reason}; set $VISUAL or $EDITOR "
                "(the file was created: {path})"
            ),
            editor=command[0],
            reason=error.strerror,
            path=str(path),
        ) from None
    if finished.returncode != 0:
        raise UsageError(
            N_("the editor '{editor}' exited with {code} (the file was created: {path})"),
            editor=command[0],
            code=finished.returncode,
            path=str(path),
        )
