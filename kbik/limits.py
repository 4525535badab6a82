"""Run work that a workspace controls (rendering its templates) bounded in time and memory.

Jinja2's sandbox keeps a template from reaching files and processes, but not from
spending: ``'{:>999999999}'.format('a')``, a string doubled sixty times or two nested
loops of a hundred thousand each run until the machine gives out, and checking sizes one
filter at a time always misses one. So the render itself is bounded: it runs in a child
process (a fork, which shares the parent's memory until it writes) whose address space
and CPU time are capped, and which is killed when it outlives its time. kbik's own
default templates are trusted and render in-process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TypeVar

from kbik.errors import ConfigError, KbikError
from kbik.i18n import N_

# What a template's failures say, wherever it is rendered (after "path:line: error: ").
FAILED = N_("template failed: {reason}")
TOO_MUCH_MEMORY = N_("template failed: it needs too much memory")
OUTSIDE = N_("template is a link to a file outside the workspace; not followed")
NOT_REGULAR = N_("template is not a regular file")
BROKEN_LINK = N_("template link is broken or loops")
UNREADABLE = N_("cannot read the template: {reason}")

SECONDS = 10.0  # wall-clock time a workspace template's render may take
MEMORY = 512 * 1024 * 1024  # bytes of memory it may add to what kbik already uses

T = TypeVar("T")


def bounded(
    name: str, work: Callable[[], T], seconds: float | None = None, memory: int | None = None
) -> T:
    """Return ``work()``, run in a child process with at most ``seconds`` and ``memory``
    more bytes (SECONDS and MEMORY unless given); a clean ConfigError naming ``name``
    when it needs more, fails or dies."""
    seconds = SECONDS if seconds is None else seconds
    memory = MEMORY if memory is None else memory
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork here (Windows): the sandbox's own checks only
        return work()
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(writer, name, work, seconds, memory), daemon=True)
    child.start()
    writer.close()
    try:
        if not reader.poll(seconds):
            raise ConfigError(
                N_("template failed: it ran for more than {seconds} seconds"),
                where=name,
                seconds=f"{seconds:g}",
            )
        try:
            outcome, value = reader.recv()
        except (EOFError, OSError):
            raise ConfigError(
                N_("template failed: it needs too much memory (more than {mib} MiB)"),
                where=name,
                mib=memory // (1024 * 1024),
            ) from None
    finally:
        reader.close()
        if child.is_alive():
            child.kill()
        child.join()
    if outcome == "error":
        text, where, values = value
        raise ConfigError(text, where=where, **values)
    return value  # type: ignore[no-any-return]


def _run(
    writer: Connection, name: str, work: Callable[[], object], seconds: float, memory: int
) -> None:
    """In the child: cap memory and CPU time, do the work, send back what came of it."""
    import resource  # noqa: PLC0415 - POSIX only, as fork is

    used = _address_space()
    if used is not None:
        limit = used + memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        result: tuple[str, object] = ("ok", work())
    except KbikError as error:  # sent as its parts: its class takes keywords pickle lacks
        result = ("error", (error.text, error.where, error.values))
    except MemoryError:
        result = ("error", (TOO_MUCH_MEMORY, name, {}))
    try:
        writer.send(result)
    except MemoryError:
        pass  # the parent sees the pipe close and says the render needed too much memory
    finally:
        writer.close()
        os._exit(0)  # nothing of the parent's to clean up: its files and index are its own


def _address_space() -> int | None:
    """The bytes of address space this process has now (None where that is not told)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as stream:
            pages = int(stream.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")
