"""A per-workspace cache of parsed session files, so warm runs skip YAML parsing.

Each file's entry is keyed on its size and modification time (nanoseconds). A file
whose key changed, or that changed within two seconds of when it was parsed (too
close for its time stamp to tell), is read and compared by content hash, and only
parsed again when the content differs. The whole cache starts afresh when kbik's
version or kbik.toml changes.

On disk, in ``.kbik-cache/``:

- ``index.pickle``: per file its key, hash and summary (see ``records``): all that
  ``kbik status`` reads;
- ``details.pickle``: per file the rest, read only by commands that need it;
- ``delta.pickle``: the files changed since those two were written, so that
  editing one file does not mean rewriting the whole cache.

Each is written to a temporary file and renamed into place. They hold plain tuples,
read with an unpickler that accepts no classes at all, so a planted cache file runs
nothing. A missing, corrupt, mismatched or unwritable cache is ignored, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import secrets
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from kbik import __version__
from kbik.records import Detail, Summary

FOLDER = ".kbik-cache"
INDEX, DETAILS, DELTA = "index.pickle", "details.pickle", "delta.pickle"
FORMAT = 6
RACY_NS = 2_000_000_000
# Up to this many changed files (or 2% of them) go to the delta file.
DELTA_LIMIT = 64


class Entry(NamedTuple):
    """What the cache knows of one file."""

    size: int
    mtime_ns: int
    digest: bytes  # of the content
    parsed_ns: int  # when it was parsed
    summary: Summary


@dataclass
class Cache:
    """What one workspace's cache holds, and what this run changed in it."""

    root: Path
    key: tuple[object, ...]
    generation: str = ""  # names the index and details files written together
    entries: dict[str, Entry] = field(default_factory=dict)
    changed: dict[str, tuple[Entry, Detail | None]] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)
    dirty: bool = False
    _details: dict[str, tuple[bytes, Detail]] | None = None


def cache_key(config_digest: str) -> tuple[object, ...]:
    """Return what the whole cache depends on besides the files themselves."""
    return (FORMAT, __version__, config_digest)


def digest(raw: bytes) -> bytes:
    """Return a content hash of a file's bytes."""
    return hashlib.blake2b(raw, digest_size=16).digest()


class _Unpickler(pickle.Unpickler):
    """Unpickles builtin values and kbik's own Summary record; any other class is refused.

    A Summary is a named tuple: it is rebuilt by calling the class with its fields,
    and runs nothing else.
    """

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("kbik.records", "Summary"):
            return Summary
        if (module, name) == ("kbik.cache", "Entry"):
            return Entry
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


def _read(path: Path) -> Any:
    """Unpickle a cache file; None when it is absent or damaged in any way."""
    try:
        return _Unpickler(io.BytesIO(path.read_bytes())).load()
    except Exception:  # any damage to the cache means: start afresh
        return None


def load(root: Path, key: tuple[object, ...]) -> Cache:
    """Read the workspace's index and delta; an empty cache when unusable."""
    cache = Cache(root, key)
    folder = root / FOLDER
    try:
        stored_key, generation, entries = _read(folder / INDEX)
        if tuple(stored_key) != key or not isinstance(entries, dict):
            return cache
        cache.generation, cache.entries = str(generation), entries
        delta = _read(folder / DELTA)
        if delta is not None:
            delta_key, delta_generation, changed, removed = delta
            if tuple(delta_key) == key and delta_generation == generation:
                cache.changed = dict(changed)
                cache.removed = set(removed)
                for name, (entry, _) in cache.changed.items():
                    entries[name] = entry
                for name in cache.removed:
                    entries.pop(name, None)
    except (TypeError, ValueError):
        return Cache(root, key)
    return cache


def lookup(cache: Cache, name: str, stat: os.stat_result) -> Summary | None:
    """Return the cached summary when size and time stamp match and can be trusted."""
    entry = cache.entries.get(name)
    if entry is None or entry.size != stat.st_size or entry.mtime_ns != stat.st_mtime_ns:
        return None
    if stat.st_mtime_ns >= entry.parsed_ns - RACY_NS:
        return None  # changed around when it was parsed: verify by content
    return entry.summary


def lookup_content(cache: Cache, name: str, stat: os.stat_result, raw: bytes) -> Summary | None:
    """Return the cached summary when the content is unchanged (after a checkout, say)."""
    entry = cache.entries.get(name)
    if entry is None or entry.digest != digest(raw):
        return None
    if (entry.size, entry.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
        updated = Entry(stat.st_size, stat.st_mtime_ns, entry.digest, time.time_ns(), entry.summary)
        cache.entries[name] = updated
        cache.changed[name] = (updated, cache.changed.get(name, (None, None))[1])
        cache.dirty = True
    return entry.summary


def store(cache: Cache, name: str, entry: Entry, detail: Detail) -> None:
    """Remember a freshly parsed file."""
    cache.entries[name] = entry
    cache.changed[name] = (entry, detail)
    cache.removed.discard(name)
    cache.dirty = True


def prune(cache: Cache, names: set[str]) -> None:
    """Forget files that are gone."""
    for name in set(cache.entries) - names:
        del cache.entries[name]
        cache.changed.pop(name, None)
        cache.removed.add(name)
        cache.dirty = True


def details(cache: Cache, names: Iterable[str]) -> dict[str, Detail]:
    """Return the cached details of these files, where the cache has them."""
    found: dict[str, Detail] = {}
    for name in names:
        entry = cache.entries.get(name)
        if entry is None:
            continue
        detail = cache.changed.get(name, (None, None))[1]
        if detail is None:
            stored = _base_details(cache).get(name)
            detail = stored[1] if stored is not None and stored[0] == entry.digest else None
        if detail is not None:
            found[name] = detail
    return found


def _base_details(cache: Cache) -> dict[str, tuple[bytes, Detail]]:
    if cache._details is None:
        cache._details = {}
        stored = _read(cache.root / FOLDER / DETAILS)
        with contextlib.suppress(TypeError, ValueError):
            stored_key, generation, table = stored
            if tuple(stored_key) == cache.key and generation == cache.generation:
                cache._details = dict(table)
    return cache._details


def save(cache: Cache) -> None:
    """Write what changed: a small delta, or the whole cache anew; failing is not an error."""
    if not cache.dirty:
        return
    folder = cache.root / FOLDER
    with contextlib.suppress(OSError):
        folder.mkdir(exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        limit = max(DELTA_LIMIT, len(cache.entries) // 50)
        if cache.generation and len(cache.changed) + len(cache.removed) <= limit:
            _write(folder / DELTA, (cache.key, cache.generation, cache.changed, cache.removed))
        else:
            found = details(cache, cache.entries)
            table = {name: (cache.entries[name].digest, detail) for name, detail in found.items()}
            generation = secrets.token_hex(8)
            _write(folder / DETAILS, (cache.key, generation, table))
            _write(folder / INDEX, (cache.key, generation, cache.entries))
            with contextlib.suppress(FileNotFoundError):
                (folder / DELTA).unlink()
        cache.dirty = False


def _write(path: Path, data: object) -> None:
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=".cache-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            pickle.dump(data, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(name, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)


def clear(root: Path) -> bool:
    """Remove the workspace's cache; tell whether there was one."""
    removed = False
    for name in (INDEX, DETAILS, DELTA):
        with contextlib.suppress(FileNotFoundError):
            (root / FOLDER / name).unlink()
            removed = True
    return removed
