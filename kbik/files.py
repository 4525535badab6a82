"""Writing files safely: create without clobbering, replace atomically, write where asked.

On Linux the data is first written to an unnamed file (O_TMPFILE) in the target's
folder, which gets a name only once it is complete and flushed: ``create_new``
links it straight to its final name, so a process killed at any moment leaves
nothing behind. ``replace_atomically`` links it to a hidden temporary name and
renames that over the target at once, so only a kill in the instant between the
two calls can leave a ``.kbik-*.tmp`` file. Where O_TMPFILE or /proc is missing,
a hidden temporary file written beside the target plays the unnamed file's part.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import tempfile
from pathlib import Path

from kbik.errors import NothingToDo, UsageError
from kbik.i18n import N_, message

Data = str | bytes


def create_new(path: Path, data: Data) -> None:
    """Create ``path`` holding ``data``, whole or not at all; never replace a file.

    The complete file is hard-linked into place, and linking fails when the name
    exists: two writers at once make one file and one error.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = _unnamed(path.parent, data)
    if descriptor is not None:
        try:
            _link_unnamed(descriptor, path)
            return
        except FileExistsError:
            raise _exists(path) from None
        except OSError:
            pass  # no /proc here: the portable way below
        finally:
            os.close(descriptor)
    temporary = _named(path.parent, data)
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise _exists(path) from None
    except OSError:
        _create_exclusive(path, data)  # no hard links at all (FAT, some shares)
    finally:
        temporary.unlink(missing_ok=True)


def replace_atomically(path: Path, data: Data, mode: int | None = None) -> None:
    """Write ``path`` so that readers see the old file or the new one, never a mix.

    ``mode`` sets the permission bits (a replaced file keeps its own).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = _unnamed(path.parent, data, mode)
    temporary: Path | None = None
    if descriptor is not None:
        candidate = path.parent / f".kbik-{secrets.token_hex(8)}.tmp"
        try:
            _link_unnamed(descriptor, candidate)
            temporary = candidate
        except OSError:
            pass
        finally:
            os.close(descriptor)
    if temporary is None:
        temporary = _named(path.parent, data, mode)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_output(path: Path, data: Data) -> None:
    """Write a result where the user asked, destroying nothing that is there.

    A folder is refused; a device or pipe (``/dev/stdout``, a FIFO) is written to,
    never replaced; a link is kept and the file it points to replaced; a replaced
    file keeps its permissions. Errors name ``path`` as the user gave it.
    """
    try:
        _write_output(path, data)
    except OSError as error:
        reason = error.strerror or str(error)
        raise UsageError(_reason(error), path=str(path), reason=reason) from None


def _write_output(path: Path, data: Data) -> None:
    try:
        info: os.stat_result | None = path.stat()  # through any links, as the kernel sees it
    except FileNotFoundError:
        info = None  # a new file, or a link to one
    except OSError as error:
        if error.errno == errno.ELOOP:
            loops = N_("{path}: is a link that loops back on itself")
            raise UsageError(loops, path=str(path)) from None
        raise
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise UsageError(
            N_("{path}: is a folder; give a file name, e.g. -o rangkuman.html"), path=str(path)
        )
    if info is not None and not stat.S_ISREG(info.st_mode):
        # A device or a pipe: write into it, as a shell's '>' does.
        with open(path, "wb") as stream:
            stream.write(_encoded(data))
        return
    # A link stays a link: the file it points to is the one replaced.
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    replace_atomically(target, data, stat.S_IMODE(info.st_mode) if info else None)


def _reason(error: OSError) -> str:
    """Why a file could not be written, with ``{path}`` and the system's ``{reason}``."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return N_("{path}: no space left on the device; nothing was written")
    if error.errno in (errno.EACCES, errno.EPERM):
        return N_("{path}: permission denied; nothing was written")
    if error.errno == errno.EROFS:
        return N_("{path}: the file system is read-only; nothing was written")
    return N_("{path}: cannot write: {reason}")


def _exists(path: Path) -> NothingToDo:
    return NothingToDo(N_("{path} exists already; it was left as it was"), path=str(path))


def _encoded(data: Data) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _write_all(descriptor: int, data: Data) -> None:
    view = memoryview(_encoded(data))
    while view:
        view = view[os.write(descriptor, view) :]
    os.fsync(descriptor)


def _unnamed(folder: Path, data: Data, mode: int | None = None) -> int | None:
    """Write ``data`` to a file with no name yet in ``folder``; None where unsupported."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None:
        return None
    try:
        descriptor = os.open(folder, flag | os.O_WRONLY, 0o666)
    except OSError:
        return None
    try:
        if mode is not None:
            os.fchmod(descriptor, mode)
        _write_all(descriptor, data)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _link_unnamed(descriptor: int, path: Path) -> None:
    """Give an unnamed file its name; fails with FileExistsError when the name is taken."""
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        # With a folder descriptor, os.link calls linkat with AT_SYMLINK_FOLLOW, which
        # links the file behind /proc/self/fd/N; plain link() would fail with EXDEV.
        os.link(f"/proc/self/fd/{descriptor}", path.name, dst_dir_fd=folder)
    finally:
        os.close(folder)


def new_file_mode() -> int:
    """The permission bits a new file gets here (0o666 less the umask)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _named(folder: Path, data: Data, mode: int | None = None) -> Path:
    """Write ``data`` to a hidden temporary file in ``folder``, flushed to disk."""
    descriptor, name = tempfile.mkstemp(dir=folder, prefix=".kbik-", suffix=".tmp")
    try:
        # mkstemp makes the file private; give it the permissions a new file would get.
        os.chmod(name, new_file_mode() if mode is None else mode)
        _write_all(descriptor, data)
    except BaseException:
        os.close(descriptor)
        Path(name).unlink(missing_ok=True)
        raise
    os.close(descriptor)
    return Path(name)


def _create_exclusive(path: Path, data: Data) -> None:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        raise _exists(path) from None
    try:
        _write_all(descriptor, data)
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    finally:
        os.close(descriptor)


def protected(root: Path, path: Path, language: str) -> str | None:
    """Say why kbik must never write over ``path``; None when it may.

    Session files (anywhere), everything under meetings/, kbik.toml and the cache
    belong to the workspace, not to an output.
    """
    # Imported here: kbik.documents (YAML), 20 ms, only for a file that may be a session.
    from kbik.documents import looks_like_session  # noqa: PLC0415

    real = Path(os.path.realpath(path))
    root = Path(os.path.realpath(root))
    if real.is_relative_to(root / "meetings"):
        return message(language, "lies under meetings/, which holds the session files")
    if real == root / "kbik.toml":
        return message(language, "is the workspace's kbik.toml")
    if real.is_relative_to(root / ".kbik-cache"):
        return message(language, "lies in the cache folder .kbik-cache/")
    if real.suffix == ".md" and real.is_file() and looks_like_session(real):
        return message(language, "is a session file")
    return None
