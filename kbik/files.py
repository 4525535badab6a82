"""Writing files safely: create without clobbering, replace atomically.

Where the system allows it (Linux), the text is first written to an unnamed file
(O_TMPFILE) that gets a name only once it is complete, so a process killed at any
moment leaves nothing behind. Elsewhere a hidden temporary file beside the target
plays that part.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

from kbik.errors import NothingToDo


def create_new(path: Path, text: str) -> None:
    """Create ``path`` holding ``text``, whole or not at all; never replace a file.

    The complete file is hard-linked into place, and linking fails when the name
    exists: two writers at once make one file and one error.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = _unnamed(path.parent, text)
    if descriptor is not None:
        try:
            os.link(f"/proc/self/fd/{descriptor}", path)
            return
        except FileExistsError:
            raise _exists(path) from None
        except OSError:
            pass  # no /proc, or no hard links here: the portable way below
        finally:
            os.close(descriptor)
    temporary = _named(path.parent, text)
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise _exists(path) from None
    except OSError:
        _create_exclusive(path, text)  # no hard links at all (FAT, some shares)
    finally:
        temporary.unlink(missing_ok=True)


def replace_atomically(path: Path, text: str) -> None:
    """Write ``path`` so that readers see the old file or the new one, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = _unnamed(path.parent, text)
    temporary = path.parent / f".kbik-{secrets.token_hex(8)}.tmp"
    if descriptor is not None:
        try:
            os.link(f"/proc/self/fd/{descriptor}", temporary)
        except OSError:
            temporary = _named(path.parent, text)
        finally:
            os.close(descriptor)
    else:
        temporary = _named(path.parent, text)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _exists(path: Path) -> NothingToDo:
    return NothingToDo(f"{path} exists already; it was left as it was")


def _write_all(descriptor: int, text: str) -> None:
    data = memoryview(text.encode("utf-8"))
    while data:
        data = data[os.write(descriptor, data) :]
    os.fsync(descriptor)


def _unnamed(folder: Path, text: str) -> int | None:
    """Write ``text`` to a file with no name yet in ``folder``; None where unsupported."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None:
        return None
    try:
        descriptor = os.open(folder, flag | os.O_WRONLY, 0o666)
    except OSError:
        return None
    try:
        _write_all(descriptor, text)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _named(folder: Path, text: str) -> Path:
    """Write ``text`` to a hidden temporary file in ``folder``, flushed to disk."""
    descriptor, name = tempfile.mkstemp(dir=folder, prefix=".kbik-", suffix=".tmp")
    try:
        # mkstemp makes the file private; give it the permissions a new file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(name, 0o666 & ~umask)
        _write_all(descriptor, text)
    except BaseException:
        os.close(descriptor)
        Path(name).unlink(missing_ok=True)
        raise
    os.close(descriptor)
    return Path(name)


def _create_exclusive(path: Path, text: str) -> None:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        raise _exists(path) from None
    try:
        _write_all(descriptor, text)
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    finally:
        os.close(descriptor)
