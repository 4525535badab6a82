"""A per-workspace cache of parsed session files, so warm runs skip YAML parsing.

Each file's entry is keyed on its size and modification time (nanoseconds); a
file whose key changed, or that changed too close to when the cache was written
for its time stamp to be trusted, is read and compared by content hash, and only
parsed again when the content differs. The whole cache is thrown away when kbik's
version or kbik.toml changes. It holds plain tuples (see ``records``) pickled with
an unpickler that accepts no classes at all, so a planted cache file runs nothing.
A missing, corrupt or unwritable cache is ignored, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kbik import __version__
from kbik.records import Record

FOLDER = ".kbik-cache"
FILE = "sessions.pickle"
FORMAT = 2
# A file changed within this margin of the cache's writing may share its time stamp
# with an earlier content (coarse file system clocks): such entries are re-hashed.
RACY_NS = 2_000_000_000

Entry = tuple[int, int, bytes, Record]  # size, mtime_ns, content digest, record


@dataclass
class Cache:
    """The entries of one workspace, by file path relative to the workspace."""

    key: tuple[object, ...]
    written_ns: int = 0
    entries: dict[str, Entry] = field(default_factory=dict)
    dirty: bool = False


def cache_key(config_digest: str) -> tuple[object, ...]:
    """Return what the whole cache depends on besides the files themselves."""
    return (FORMAT, __version__, config_digest)


def digest(raw: bytes) -> bytes:
    """Return a content hash of a file's bytes."""
    return hashlib.blake2b(raw, digest_size=16).digest()


class _Unpickler(pickle.Unpickler):
    """Unpickles builtin values only: tuples, lists, dicts, strings, numbers, bytes."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


def load(root: Path, key: tuple[object, ...]) -> Cache:
    """Read the workspace's cache; an empty one when absent, stale or unreadable."""
    try:
        data = _Unpickler(io.BytesIO((root / FOLDER / FILE).read_bytes())).load()
        stored_key, written_ns, entries = data
        if tuple(stored_key) != key or not isinstance(entries, dict):
            return Cache(key)
        return Cache(key, int(written_ns), entries)
    except Exception:  # any damage to the cache means: start afresh
        return Cache(key)


def lookup(cache: Cache, name: str, stat: os.stat_result) -> Record | None:
    """Return the cached record when size and time stamp match and can be trusted."""
    entry = cache.entries.get(name)
    if entry is None or entry[0] != stat.st_size or entry[1] != stat.st_mtime_ns:
        return None
    if stat.st_mtime_ns >= cache.written_ns - RACY_NS:
        return None  # changed around the time the cache was written: verify by content
    return entry[3]


def lookup_content(cache: Cache, name: str, stat: os.stat_result, raw: bytes) -> Record | None:
    """Return the cached record when the content is unchanged (after a checkout, say)."""
    entry = cache.entries.get(name)
    if entry is None or entry[2] != digest(raw):
        return None
    if (entry[0], entry[1]) != (stat.st_size, stat.st_mtime_ns):
        cache.entries[name] = (stat.st_size, stat.st_mtime_ns, entry[2], entry[3])
        cache.dirty = True
    return entry[3]


def store(cache: Cache, name: str, entry: Entry) -> None:
    """Remember a freshly parsed file."""
    cache.entries[name] = entry
    cache.dirty = True


def prune(cache: Cache, names: set[str]) -> None:
    """Forget files that are gone."""
    for name in set(cache.entries) - names:
        del cache.entries[name]
        cache.dirty = True


def save(root: Path, cache: Cache) -> None:
    """Write the cache atomically (temporary file, then rename); failing is not an error."""
    if not cache.dirty:
        return
    folder = root / FOLDER
    with contextlib.suppress(OSError):
        folder.mkdir(exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        cache.written_ns = time.time_ns()
        descriptor, name = tempfile.mkstemp(dir=folder, prefix=".sessions-", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "wb") as stream:
                pickle.dump(
                    (cache.key, cache.written_ns, cache.entries),
                    stream,
                    protocol=pickle.HIGHEST_PROTOCOL,
                )
            os.replace(name, folder / FILE)
            cache.dirty = False
        finally:
            with contextlib.suppress(OSError):
                os.unlink(name)


def clear(root: Path) -> bool:
    """Remove the workspace's cache; tell whether there was one."""
    try:
        (root / FOLDER / FILE).unlink()
    except FileNotFoundError:
        return False
    return True
