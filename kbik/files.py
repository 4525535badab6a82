"""Writing files safely: create without clobbering, replace atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from kbik.errors import NothingToDo


def _temporary(folder: Path, text: str) -> Path:
    """Write ``text`` to a new temporary file in ``folder``, flushed to disk."""
    descriptor, name = tempfile.mkstemp(dir=folder, prefix=".kbik-", suffix=".tmp")
    try:
        # mkstemp makes the file private; give it the permissions a new file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(name, 0o666 & ~umask)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def create_new(path: Path, text: str) -> None:
    """Create ``path`` holding ``text``, whole or not at all; never replace a file.

    The text is written to a temporary file and then hard-linked into place:
    the link fails if the name exists, so two writers make one file and one error.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary(path.parent, text)
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise NothingToDo(f"{path} exists already; it was left as it was") from None
    except OSError:
        # No hard links here (some network and FAT file systems): exclusive create.
        _create_exclusive(path, text)
    finally:
        temporary.unlink(missing_ok=True)


def _create_exclusive(path: Path, text: str) -> None:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise NothingToDo(f"{path} exists already; it was left as it was") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise


def replace_atomically(path: Path, text: str) -> None:
    """Write ``path`` so that readers see the old file or the new one, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary(path.parent, text)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
