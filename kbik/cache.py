"""A per-workspace index of parsed session files: one SQLite database in ``.kbik-cache/``.

Each file has a row with its stamp (size, ``mtime_ns``, ``ctime_ns`` and inode, as
git's index keeps), a content hash, what ``kbik status`` reads of it (the summary),
the rest (the detail) and, in a full-text table, its words for ``kbik search``. An
entry is trusted only when the whole stamp matches and the file was not changed too
close to when it was read (the racy window); otherwise the file is hashed, and parsed
again only when its content differs. A racy entry whose content holds is re-stamped,
so it is checked once, not on every run.

Each run writes what changed in one transaction; WAL and a busy timeout let several
kbik runs share the database. The summaries and details are plain tuples, read with
an unpickler that accepts no class at all, so a planted database runs nothing. A
database of another kbik version or another kbik.toml, or a damaged one, is built
anew; anything in the folder that is not a regular file, and an SQLite database that
is not kbik's, is never opened, and kbik runs without its cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import sqlite3
import stat as stat_module
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from kbik import __version__
from kbik.records import Detail, Summary

FOLDER = ".kbik-cache"
DATABASE = "index.sqlite"
APPLICATION = "kbik index"
FORMAT = 8  # raise it whenever what is stored changes, chunks for search included
# A file changed this close to when it was read may change again with the same stamp.
# File systems that keep whole seconds (FAT, HFS+) need two seconds; the others keep
# nanoseconds, with a clock tick of a few milliseconds.
RACY_NS = 2_000_000_000
RACY_FINE_NS = 50_000_000
BUSY_TIMEOUT_S = 10.0


class Entry(NamedTuple):
    """What the cache knows of one file."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    digest: bytes  # of the content
    parsed_ns: int  # when it was read
    summary: Summary


@dataclass
class Cache:
    """One workspace's index, and what this run changed in it."""

    root: Path
    key: str
    connection: sqlite3.Connection | None = None
    entries: dict[str, Entry] = field(default_factory=dict)
    changed: dict[str, tuple[Entry, Detail]] = field(default_factory=dict)
    restamped: dict[str, Entry] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)


def cache_key(config_digest: str) -> str:
    """Return what the whole cache depends on besides the files themselves."""
    return f"{FORMAT}:{__version__}:{config_digest}"


def digest(raw: bytes) -> bytes:
    """Return a content hash of a file's bytes."""
    return hashlib.blake2b(raw, digest_size=16).digest()


class _Unpickler(pickle.Unpickler):
    """Unpickles plain values only: every class, and so every call, is refused."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


def _dumps(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _loads(blob: bytes) -> Any:
    return _Unpickler(io.BytesIO(blob)).load()


# The full-text table for kbik search (here, or in memory when there is no index):
# case- and accent-insensitive words, each with its file and line.
WORDS_TABLE = (
    "CREATE VIRTUAL TABLE words USING fts5(name UNINDEXED, line UNINDEXED, text, "
    "tokenize = 'unicode61 remove_diacritics 2')"
)
_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE files (name TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, "
    "ctime_ns INTEGER, inode INTEGER, digest BLOB, parsed_ns INTEGER, summary BLOB, "
    "detail BLOB)",
    # Filled by search itself, so that the other commands never pay for it;
    # 'indexed' says of which content each file's words are.
    WORDS_TABLE,
    "CREATE TABLE indexed (name TEXT PRIMARY KEY, digest BLOB)",
)


def _regular_or_absent(path: Path) -> bool:
    """Tell whether a path is a regular file (not a link, pipe or device) or absent."""
    try:
        return stat_module.S_ISREG(path.lstat().st_mode)
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _usable_folder(folder: Path) -> bool:
    """The folder, the database and its WAL files: real, or not there yet."""
    try:
        if not stat_module.S_ISDIR(folder.lstat().st_mode):
            return False
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return all(
        _regular_or_absent(folder / f"{DATABASE}{suffix}") for suffix in ("", "-wal", "-shm")
    )


def connect(root: Path, key: str, create: bool = True) -> sqlite3.Connection | None:
    """Open the workspace's index for this key, built anew when it is stale or damaged;
    None when it cannot or must not be used."""
    folder = root / FOLDER
    if not _usable_folder(folder):
        return None
    path = folder / DATABASE
    if not path.exists() and not create:
        return None
    for attempt in range(2):
        try:
            if create:
                folder.mkdir(exist_ok=True)
                ignore = folder / ".gitignore"
                if not ignore.exists():
                    ignore.write_text("*\n", encoding="utf-8")
            connection = _open(path, key)
        except _NotOurs:
            return None
        except (sqlite3.DatabaseError, OSError):
            # Damaged, or not a database at all: start afresh once.
            if attempt or not create:
                return None
            _remove(path)
            continue
        return connection
    return None


class _NotOurs(Exception):
    """An SQLite database of some other program: left alone."""


def _open(path: Path, key: str) -> sqlite3.Connection:
    fresh = not path.exists()
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        # Whose database it is, asked before anything is written to it.
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if not fresh and tables and "meta" not in tables:
            raise _NotOurs
        meta = {}
        if "meta" in tables:
            meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("application") != APPLICATION:
                raise _NotOurs
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        if meta.get("key") == key:
            return connection
        with _transaction(connection):
            for table in ("files", "words", "indexed", "meta"):
                connection.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in _SCHEMA:
                connection.execute(statement)
            connection.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                [("application", APPLICATION), ("key", key)],
            )
        return connection
    except BaseException:
        connection.close()
        raise


@contextlib.contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[None]:
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink()


def load(root: Path, key: str) -> Cache:
    """Read the stamps and summaries of the workspace's index; empty when unusable."""
    cache = Cache(root, key, connect(root, key))
    if cache.connection is None:
        return cache
    try:
        rows = cache.connection.execute(
            "SELECT name, size, mtime_ns, ctime_ns, inode, digest, parsed_ns, summary FROM files"
        ).fetchall()
        for name, size, mtime, ctime, inode, hashed, parsed, summary in rows:
            cache.entries[name] = Entry(
                size, mtime, ctime, inode, hashed, parsed, Summary(*_loads(summary))
            )
    except Exception:  # any damage: run without the cache, and build it anew next time
        cache.entries.clear()
        _forget(cache)
    return cache


def _forget(cache: Cache) -> None:
    """Stop using a damaged index, and have the next run rebuild it."""
    if cache.connection is not None:
        with contextlib.suppress(sqlite3.Error):
            cache.connection.close()
        cache.connection = None
        _remove(cache.root / FOLDER / DATABASE)


def _racy(entry: Entry) -> bool:
    """Tell whether the file changed too close to when it was read to trust its stamp."""
    coarse = entry.mtime_ns % 1_000_000 == 0  # whole seconds or milliseconds: a coarse clock
    window = RACY_NS if coarse else RACY_FINE_NS
    return max(entry.mtime_ns, entry.ctime_ns) >= entry.parsed_ns - window


def _stamp(stat: os.stat_result) -> tuple[int, int, int, int]:
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


def lookup(cache: Cache, name: str, stat: os.stat_result) -> Summary | None:
    """Return the cached summary when the file's whole stamp matches and can be trusted."""
    entry = cache.entries.get(name)
    if entry is None or entry[:4] != _stamp(stat) or _racy(entry):
        return None
    return entry.summary


def lookup_content(cache: Cache, name: str, stat: os.stat_result, raw: bytes) -> Summary | None:
    """Return the cached summary when the content is unchanged (after a checkout, say),
    and re-stamp the entry so that the next run trusts it without reading the file."""
    entry = cache.entries.get(name)
    if entry is None or entry.digest != digest(raw):
        return None
    updated = entry._replace(
        size=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
        ctime_ns=stat.st_ctime_ns,
        inode=stat.st_ino,
        parsed_ns=time.time_ns(),
    )
    cache.entries[name] = updated
    if name in cache.changed:
        cache.changed[name] = (updated, cache.changed[name][1])
    else:
        cache.restamped[name] = updated
    return entry.summary


def store(cache: Cache, name: str, entry: Entry, detail: Detail) -> None:
    """Remember a freshly parsed file."""
    cache.entries[name] = entry
    cache.changed[name] = (entry, detail)
    cache.restamped.pop(name, None)
    cache.removed.discard(name)


def prune(cache: Cache, names: set[str]) -> None:
    """Forget files that are gone."""
    for name in set(cache.entries) - names:
        del cache.entries[name]
        cache.changed.pop(name, None)
        cache.restamped.pop(name, None)
        cache.removed.add(name)


def details(cache: Cache, names: Iterable[str]) -> dict[str, Detail]:
    """Return the cached details of these files, where the cache has them."""
    found: dict[str, Detail] = {}
    wanted = [name for name in names if name in cache.entries]
    for name in wanted:
        if name in cache.changed:
            found[name] = cache.changed[name][1]
    if cache.connection is None:
        return found
    rest = [name for name in wanted if name not in found]
    try:
        for batch in _batches(rest):
            marks = ",".join("?" * len(batch))
            rows = cache.connection.execute(
                f"SELECT name, digest, detail FROM files WHERE name IN ({marks})", batch
            )
            for name, hashed, blob in rows:
                if hashed == cache.entries[name].digest:
                    found[name] = _loads(blob)
    except Exception:  # damaged: the caller parses what is missing
        _forget(cache)
    return found


def _batches(names: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for start in range(0, len(names), size):
        yield names[start : start + size]


def save(cache: Cache) -> None:
    """Write what this run changed, in one transaction; failing is not an error."""
    connection = cache.connection
    if connection is None or not (cache.changed or cache.restamped or cache.removed):
        return
    try:
        with _transaction(connection):
            gone = [(name,) for name in [*cache.removed, *cache.changed]]
            connection.executemany("DELETE FROM files WHERE name = ?", gone)
            connection.executemany("DELETE FROM words WHERE name = ?", gone)
            connection.executemany("DELETE FROM indexed WHERE name = ?", gone)
            connection.executemany(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (name, *entry[:6], _dumps(tuple(entry.summary)), _dumps(detail))
                    for name, (entry, detail) in cache.changed.items()
                ),
            )
            connection.executemany(
                "UPDATE files SET size = ?, mtime_ns = ?, ctime_ns = ?, inode = ?, parsed_ns = ?"
                " WHERE name = ? AND digest = ?",
                (
                    (e.size, e.mtime_ns, e.ctime_ns, e.inode, e.parsed_ns, name, e.digest)
                    for name, e in cache.restamped.items()
                ),
            )
    except (sqlite3.Error, OSError):
        return  # another run holds it too long, or the disk is full: next time
    cache.changed.clear()
    cache.restamped.clear()
    cache.removed.clear()


def index_words(
    cache: Cache, paths: dict[str, Path], chunks: Callable[[str], Iterable[tuple[int, str]]]
) -> bool:
    """Bring the full-text table up to date for these files (name → path); False when the
    index cannot be written, and search must make its own."""
    connection = cache.connection
    if connection is None:
        return False
    try:
        done = dict(connection.execute("SELECT name, digest FROM indexed").fetchall())
        rows: list[tuple[str, int, str]] = []
        marks: list[tuple[str, bytes]] = []
        stale = [
            name for name in paths if name not in done or done[name] != _digest_of(cache, name)
        ]
        for name in stale:
            try:
                raw = paths[name].read_bytes()
            except OSError:
                continue
            marks.append((name, digest(raw)))
            rows.extend((name, line, text) for line, text in chunks(raw.decode("utf-8", "replace")))
        if marks:
            with _transaction(connection):
                names = [(name,) for name, _ in marks]
                connection.executemany("DELETE FROM words WHERE name = ?", names)
                connection.executemany("INSERT OR REPLACE INTO indexed VALUES (?, ?)", marks)
                connection.executemany("INSERT INTO words VALUES (?, ?, ?)", rows)
    except (sqlite3.Error, OSError):
        return False
    return True


def _digest_of(cache: Cache, name: str) -> bytes | None:
    entry = cache.entries.get(name)
    return entry.digest if entry is not None else None


def clear(root: Path) -> bool:
    """Remove the workspace's index; tell whether there was one."""
    path = root / FOLDER / DATABASE
    existed = path.exists() or path.is_symlink()
    _remove(path)
    return existed
