"""A per-workspace index of parsed session files: one SQLite database in ``.kbik-cache/``.

Each file has a row with its stamp (size, ``mtime_ns``, ``ctime_ns`` and inode, as
git's index keeps), a content hash, its head (date, where the date stands, the first
error), what ``kbik status`` reads of it (its rows) and the rest (its detail). An
entry is trusted only when the whole stamp matches and the file was not changed too
close to when it was read (the racy window); otherwise the file is hashed, and parsed
again only when its content differs. A racy entry whose content holds is re-stamped,
so it is checked once, not on every run.

A run streams what it parses into one transaction, so that it never holds every
parsed file in memory, and reads rows back in date order. WAL and a busy timeout let
several kbik runs share the database; whatever is read back is checked against the
content hash this run expects, so a row another run changed meanwhile is never taken
for this one. Rows and details are plain tuples, read with an unpickler that accepts
no class at all, so a planted database runs nothing. A database of another kbik
version or another kbik.toml, or a damaged one, is built anew; anything in the
folder that is not a regular file, and an SQLite database that is not kbik's, is
never opened, and kbik runs without its index.

``kbik search`` keeps the full-text table and the tables of sessions, kelurahan
reports, figures and follow-ups (``records.TABLES``) up to date itself, for the
files it searches, so that the other commands never pay for them.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat as stat_module
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from hashlib import blake2b
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from kbik import __version__
from kbik.records import TABLES, Detail, Head, ReportRow, table_rows

FOLDER = ".kbik-cache"
DATABASE = "index.sqlite"
IGNORE_ALL = b"*\n"  # the cache folder's .gitignore
APPLICATION = "kbik index"
FORMAT = 10  # raise it whenever what is stored changes, chunks for search included
# A file changed this close to when it was read may change again with the same stamp.
# File systems that keep whole seconds (FAT, HFS+) need two seconds; the others keep
# nanoseconds, with a clock tick of a few milliseconds.
RACY_NS = 2_000_000_000
RACY_FINE_NS = 50_000_000
PAGE_SIZE = 8192
BUSY_TIMEOUT_S = 10.0
_T = TypeVar("_T")
KEEP_TIMEOUT_MS = 100  # how long a run waits to keep a result it could do without


class Stamp(NamedTuple):
    """What identifies one version of a file, and when it was read."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    digest: bytes  # of the content
    parsed_ns: int  # when it was read


class Parsed(NamedTuple):
    """A freshly parsed file, as the index stores it."""

    name: str
    head: Head
    stamp: Stamp | None  # None when the file could not be read: nothing to store
    rows: bytes  # dumps() of its ReportRows
    detail: bytes  # dumps() of its Detail


@dataclass
class Index:
    """One workspace's index, as this run found it, and its write transaction."""

    root: Path
    key: str
    connection: sqlite3.Connection | None = None
    # name → (name, size, mtime_ns, ctime_ns, inode, digest, parsed_ns, day, date_line,
    # first_error): its row in 'files', as read (plain rows: fast to load)
    known: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    writing: bool = False  # this run's transaction is open
    next_id: int = 0  # the id of the next file this run stores
    failed: bool = False  # this run could not write: it keeps what it parsed itself


def cache_key(config_digest: str) -> str:
    """Return what the whole index depends on besides the files themselves."""
    return f"{FORMAT}:{__version__}:{config_digest}"


def digest(raw: bytes) -> bytes:
    """Return a content hash of a file's bytes."""
    return blake2b(raw, digest_size=16).digest()


@cache
def _reader() -> Callable[[bytes], Any]:
    """A reader of pickles that unpickles plain values only: every class, and so every
    call, is refused."""
    import io
    import pickle

    class Unpickler(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")

    return lambda blob: Unpickler(io.BytesIO(blob)).load()


def dumps(value: object) -> bytes:
    """Pickle plain values (tuples, strings, numbers) for the index."""
    import pickle

    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def loads(blob: bytes) -> Any:
    """Read back what ``dumps`` wrote, refusing anything but plain values."""
    return _reader()(blob)


# The full-text table for kbik search (here, or in memory when there is no index):
# case- and accent-insensitive words, each with its file and line.
WORDS_TABLE = (
    "CREATE VIRTUAL TABLE words USING fts5(name UNINDEXED, line UNINDEXED, text, "
    "tokenize = 'unicode61 remove_diacritics 2')"
)
_KEYS = {
    "sessions": "name",
    "kelurahan_reports": "name, position",
    "figures": "name, kelurahan, label",
    "followups": "name, position",
}
# A file's words have the rowids from its number in 'indexed' times this on: the FTS
# table deletes a rowid range at once, where a search by name reads every row.
_WORDS_PER_FILE = 1 << 20  # more than the lines of a 1 MiB file
# What search reads: the words and the tables of TABLES, and of which content they are.
SEARCH_SCHEMA = (
    WORDS_TABLE,
    "CREATE TABLE indexed (id INTEGER PRIMARY KEY, name TEXT UNIQUE, digest BLOB)",
    *(
        f"CREATE TABLE {table} ({', '.join(columns)}, PRIMARY KEY ({_KEYS[table]})) WITHOUT ROWID"
        for table, columns in TABLES.items()
    ),
    "CREATE INDEX kelurahan_reports_by_kelurahan ON kelurahan_reports (kelurahan)",
)
_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # Small rows, read whole on every run; what is parsed from each file is kept
    # apart, where only the commands that need it read it.
    "CREATE TABLE files (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, size INTEGER, "
    "mtime_ns INTEGER, ctime_ns INTEGER, inode INTEGER, digest BLOB, parsed_ns INTEGER, "
    "day INTEGER, date_line INTEGER, first_error TEXT)",
    # kbik status reads the rows in date order, one file at a time.
    "CREATE INDEX files_by_day ON files (day, name, digest)",
    "CREATE TABLE status_rows (id INTEGER PRIMARY KEY, data BLOB)",
    "CREATE TABLE details (id INTEGER PRIMARY KEY, data BLOB)",
    # What a command worked out from every file, with the digest of their contents.
    "CREATE TABLE results (kind TEXT PRIMARY KEY, key BLOB, data BLOB)",
    *SEARCH_SCHEMA,
)


def _drop(connection: sqlite3.Connection, names: Sequence[tuple[str]], *, files: bool) -> None:
    """Delete what the index holds of these files: for search only, or all."""
    connection.executemany(
        "DELETE FROM words WHERE rowid >= (SELECT id FROM indexed WHERE name = ?1) * "
        f"{_WORDS_PER_FILE} AND rowid < ((SELECT id FROM indexed WHERE name = ?1) + 1) * "
        f"{_WORDS_PER_FILE}",
        names,
    )
    for table in ("indexed", *TABLES):
        connection.executemany(f"DELETE FROM {table} WHERE name = ?", names)
    if files:
        for table in ("status_rows", "details"):
            connection.executemany(
                f"DELETE FROM {table} WHERE id = (SELECT id FROM files WHERE name = ?)", names
            )
        connection.executemany("DELETE FROM files WHERE name = ?", names)


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


def _keep_ignored(folder: Path) -> None:
    """Keep git from taking the index: a ``.gitignore`` of ``*``, written whole, and
    written again when it is anything else (empty after a full disk, say)."""
    ignore = folder / ".gitignore"
    try:
        if ignore.read_bytes() == IGNORE_ALL:
            return
    except OSError:
        pass
    from kbik.files import replace_atomically  # tempfile and secrets: not on a warm start

    replace_atomically(ignore, IGNORE_ALL)


def connect(root: Path, key: str) -> sqlite3.Connection | None:
    """Open the workspace's index for this key, built anew when it is stale or damaged;
    None when it cannot or must not be used."""
    folder = root / FOLDER
    if not _usable_folder(folder):
        return None
    path = folder / DATABASE
    for attempt in range(2):
        try:
            folder.mkdir(exist_ok=True)
            _keep_ignored(folder)
            connection = _open(path, key)
        except _NotOurs:
            return None
        except (sqlite3.DatabaseError, OSError):
            # Damaged, or not a database at all: start afresh once.
            if attempt:
                return None
            _remove(path)
            continue
        return connection
    return None


def reader(root: Path, key: str, *, threads: bool = False) -> sqlite3.Connection | None:
    """A connection for reading the workspace's index as it stands: None when there is
    none, or it is not kbik's, is for another key or cannot be read. Nothing is created,
    rebuilt or written; the caller reads in one transaction and closes it. ``threads``:
    it may be handed to another thread, one at a time."""
    folder = root / FOLDER
    path = folder / DATABASE
    if not _usable_folder(folder) or not path.is_file():
        return None
    connection = None
    try:
        # mode=rw: a file gone meanwhile is not created afresh.
        connection = sqlite3.connect(
            f"{path.absolute().as_uri()}?mode=rw",
            uri=True,
            timeout=BUSY_TIMEOUT_S,
            isolation_level=None,
            check_same_thread=not threads,
        )
        meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("application") == APPLICATION and meta.get("key") == key:
            return connection
    except sqlite3.Error:
        pass
    if connection is not None:
        connection.close()
    return None


class _NotOurs(Exception):
    """An SQLite database of some other program: left alone."""


def _open(path: Path, key: str) -> sqlite3.Connection:
    fresh = not path.exists()
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        if fresh:
            # Pages of 8 KiB hold three or four records where 4 KiB pages hold one or two:
            # a first run writes 12% less, and commits in two thirds of the time.
            connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
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
            # Whatever an older kbik kept, tables and indexes alike.
            for kind, name in connection.execute(
                "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'words_%'"
            ).fetchall():
                connection.execute(f'DROP {kind} IF EXISTS "{name}"')
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


# Every connection to an index this process opened and has not closed, for close_all():
# a sqlite3.Connection is part of a reference cycle (with its statement cache), so only
# the cyclic collector would otherwise close it.
_opened: list[sqlite3.Connection] = []


def load(root: Path, key: str) -> Index:
    """Read the stamps and heads of the workspace's index; empty when unusable."""
    index = Index(root, key, connect(root, key))
    if index.connection is None:
        return index
    _opened.append(index.connection)
    try:
        rows = index.connection.execute(
            "SELECT name, size, mtime_ns, ctime_ns, inode, digest, parsed_ns, day, date_line, "
            "first_error FROM files"
        )
        index.known = {row[0]: row for row in rows}
    except Exception:  # any damage: run without the index, and build it anew next time
        index.known.clear()
        _forget(index)
    return index


def close_all() -> None:
    """Close every index this process opened, ending any transaction left open.

    The last connection to close folds the write-ahead log back into the database and
    removes it; a process that exits without closing leaves the log to grow, and every
    later run reads through it.
    """
    while _opened:
        with contextlib.suppress(sqlite3.Error):
            _opened.pop().close()


def _forget(index: Index) -> None:
    """Stop using a damaged index, and have the next run rebuild it."""
    if index.connection is not None:
        with contextlib.suppress(sqlite3.Error):
            index.connection.close()
        index.connection = None
        _remove(index.root / FOLDER / DATABASE)


def _racy(mtime_ns: int, ctime_ns: int, parsed_ns: int) -> bool:
    """Tell whether a file changed too close to when it was read to trust its stamp."""
    coarse = mtime_ns % 1_000_000 == 0  # whole seconds or milliseconds: a coarse clock
    since = parsed_ns - (RACY_NS if coarse else RACY_FINE_NS)
    return mtime_ns >= since or ctime_ns >= since  # not max(): run for every file


def known_stamp(index: Index, name: str) -> Stamp | None:
    """The stamp the index has for a file."""
    known = index.known.get(name)
    return Stamp(*known[1:7]) if known is not None else None


def _head(known: tuple[Any, ...]) -> Head:
    return Head(known[0], known[8], known[7], known[9])


def stamp_of(stat: os.stat_result, hashed: bytes, parsed_ns: int) -> Stamp:
    """The stamp of a file as ``stat`` found it, with its content hash."""
    return Stamp(stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, hashed, parsed_ns)


def _matches(known: tuple[Any, ...], stat: os.stat_result) -> bool:
    """Tell whether a file's stat is the whole stamp the index has, and that stamp can
    be trusted."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino) == known[
        1:5
    ] and not _racy(known[2], known[3], known[6])


def unchanged(
    index: Index,
    files: Iterable[tuple[str, str]],
    heads: dict[str, Head],
    digests: dict[str, bytes | None],
) -> list[tuple[str, str, os.stat_result | None]]:
    """Put the head and content hash of every file whose whole stamp matches the
    index's, and can be trusted, in ``heads`` and ``digests``; return the other
    (name, path) pairs, with their stat when the index knows them.

    One loop over every file of a warm run, which spends most of its time here.
    """
    others: list[tuple[str, str, os.stat_result | None]] = []
    known = index.known
    for name, path in files:
        entry = known.get(name)
        stat = None
        if entry is not None:
            try:
                stat = os.stat(path)
            except OSError:
                pass  # parsed, and so told, below
            else:
                if _matches(entry, stat):
                    heads[name] = _head(entry)
                    digests[name] = entry[5]
                    continue
        others.append((name, path, stat))
    return others


def lookup_content(
    index: Index, name: str, stat: os.stat_result, raw: bytes, now_ns: int
) -> tuple[Head, bytes] | None:
    """Return the file's head and hash when its content is unchanged (after a checkout,
    say), and re-stamp its entry as of ``now_ns`` so that the next run trusts it
    without reading it (unless that is within the racy window of its times)."""
    known = index.known.get(name)
    hashed = digest(raw)
    if known is None or known[5] != hashed:
        return None
    stamp = stamp_of(stat, hashed, now_ns)
    index.known[name] = (name, *stamp, *known[7:])
    if _begin(index):
        try:
            index.connection.execute(  # type: ignore[union-attr]
                "UPDATE files SET size = ?, mtime_ns = ?, ctime_ns = ?, inode = ?, parsed_ns = ?"
                " WHERE name = ? AND digest = ?",
                (*stamp[:4], stamp.parsed_ns, name, hashed),
            )
        except sqlite3.Error:
            _fail(index)
    return _head(known), hashed


def _begin(index: Index) -> bool:
    """Open this run's write transaction, if not yet; False when the run cannot write."""
    if index.writing:
        return True
    if index.connection is None or index.failed:
        return False
    try:
        index.connection.execute("BEGIN IMMEDIATE")
        index.next_id = index.connection.execute(
            "SELECT coalesce(max(id), 0) + 1 FROM files"
        ).fetchone()[0]
    except sqlite3.Error:  # another run holds it too long, or the disk is full
        _fail(index)
        return False
    index.writing = True
    return True


def _fail(index: Index) -> None:
    """Give up writing in this run: what was written is rolled back."""
    if index.writing and index.connection is not None:
        with contextlib.suppress(sqlite3.Error):
            index.connection.execute("ROLLBACK")
    index.writing = False
    index.failed = True


def store(index: Index, parsed: Sequence[Parsed]) -> bool:
    """Write freshly parsed files in this run's transaction; False when they could not
    be written, and the caller must keep them."""
    if not _begin(index):
        return False
    assert index.connection is not None
    # Only a file the index had needs its old rows deleted: none, on a first run.
    old = [(item.name,) for item in parsed if item.name in index.known]
    stored = [
        (number, item)
        for number, item in enumerate(
            (item for item in parsed if item.stamp is not None), start=index.next_id
        )
    ]
    index.next_id += len(stored)
    try:
        if old:
            _drop(index.connection, old, files=True)
        index.connection.executemany(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    number,
                    item.name,
                    *item.stamp,  # type: ignore[misc]
                    item.head.day,
                    item.head.date_line,
                    item.head.first_error,
                )
                for number, item in stored
            ),
        )
        index.connection.executemany(
            "INSERT INTO status_rows VALUES (?, ?)", ((n, item.rows) for n, item in stored)
        )
        index.connection.executemany(
            "INSERT INTO details VALUES (?, ?)", ((n, item.detail) for n, item in stored)
        )
    except sqlite3.Error:
        _fail(index)
        return False
    for item in parsed:
        if item.stamp is not None:
            head = item.head
            index.known[item.name] = (
                item.name,
                *item.stamp,
                head.day,
                head.date_line,
                head.first_error,
            )
    return True


def prune(index: Index, names: Mapping[str, object]) -> None:
    """Forget files that are gone (not among ``names``' keys)."""
    gone = [(name,) for name in index.known.keys() - names.keys()]
    if not gone or not _begin(index):
        return
    try:
        _drop(index.connection, gone, files=True)  # type: ignore[arg-type]
    except sqlite3.Error:
        _fail(index)
        return
    for (name,) in gone:
        del index.known[name]


def commit(index: Index) -> bool:
    """End this run's transaction; False when what it wrote was lost."""
    if not index.writing:
        return not index.failed
    try:
        index.connection.execute("COMMIT")  # type: ignore[union-attr]
    except sqlite3.Error:
        _fail(index)
        return False
    index.writing = False
    return True


def rows_by_date(index: Index) -> Iterator[tuple[int, str, bytes, tuple[ReportRow, ...]]]:
    """Every stored valid session's day, name, content hash and rows, by date then name,
    as one consistent read; empty when the index cannot be read."""
    if index.connection is None:
        return
    try:
        # One statement: it reads one snapshot of the database however long it runs.
        for day, name, hashed, blob in index.connection.execute(
            "SELECT day, name, digest, data FROM files JOIN status_rows USING (id) "
            "WHERE day IS NOT NULL ORDER BY day, name"
        ):
            yield day, name, hashed, loads(blob)
    except Exception:  # damaged: the caller parses what is missing
        return


def fetch(index: Index, table: str, wanted: Mapping[str, bytes | None]) -> dict[str, Any]:
    """The stored status rows or details (``table``) of these files (name → content hash),
    for those whose stored content is the one expected."""
    found: dict[str, Any] = {}
    if index.connection is None or table not in ("status_rows", "details"):
        return found
    names = [name for name, hashed in wanted.items() if hashed is not None]
    try:
        for batch in batches(names):
            marks = ",".join("?" * len(batch))
            for name, hashed, blob in index.connection.execute(
                f"SELECT name, digest, data FROM files JOIN {table} USING (id) "
                f"WHERE name IN ({marks})",
                batch,
            ):
                if hashed == wanted[name]:
                    found[name] = loads(blob)
    except Exception:  # damaged: the caller parses what is missing
        return found
    return found


def result(index: Index, kind: str) -> tuple[bytes, Any] | None:
    """What was last kept under ``kind``, with the key of the contents it came from."""
    if index.connection is None:
        return None
    try:
        row = index.connection.execute(
            "SELECT key, data FROM results WHERE kind = ?", (kind,)
        ).fetchone()
        return (row[0], loads(row[1])) if row is not None else None
    except Exception:  # damaged: worked out again
        return None


def keep_result(index: Index, kind: str, key: bytes, value: object) -> None:
    """Keep what a command worked out from files of this content, in place of the last."""
    connection = index.connection
    if connection is None or index.writing or index.failed:
        return
    # Worth keeping, not worth waiting for: while another run writes, this one goes on.
    connection.execute(f"PRAGMA busy_timeout = {KEEP_TIMEOUT_MS}")
    try:
        with contextlib.suppress(sqlite3.Error), _transaction(connection):
            connection.execute(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?)", (kind, key, dumps(value))
            )
    finally:
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")


def batches(items: Sequence[_T], size: int = 500) -> Iterator[Sequence[_T]]:
    """The items in runs of ``size``: what one query or one fetch takes at a time."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def indexed(connection: sqlite3.Connection) -> dict[str, bytes | None]:
    """Which files the words and the search tables are of: name → content hash."""
    return dict(connection.execute("SELECT name, digest FROM indexed"))


def index_for_search(
    connection: sqlite3.Connection,
    files: Mapping[str, str],
    digests: Mapping[str, bytes | None],
    chunks: Callable[[str], Iterable[tuple[int, str]]],
    details: Callable[[Sequence[str]], Mapping[str, Detail]],
) -> bool:
    """Bring the words and the search tables up to date for exactly these files (name →
    path, and name → content hash): from their text and their details; False when it
    cannot be written."""
    try:
        done = indexed(connection)
        if done == digests:
            return True  # the usual case, told without a loop in Python
        stale = [name for name, hashed in digests.items() if done.get(name) != hashed]
        gone = [(name,) for name in done if name not in digests]
        with _transaction(connection):
            _drop(connection, [*gone, *((name,) for name in stale)], files=False)
            for batch in batches(stale):  # never every detail at once
                found = details(batch)
                for name in batch:
                    text = _read_text(files[name])
                    if text is not None:  # else it is gone, and the next run forgets it
                        _index_file(connection, name, digests[name], text, chunks, found.get(name))
    except (sqlite3.Error, OSError):
        return False
    return True


def _read_text(path: str) -> str | None:
    try:
        with open(path, "rb") as stream:
            return stream.read().decode("utf-8", "replace")
    except OSError:
        return None


def _index_file(
    connection: sqlite3.Connection,
    name: str,
    hashed: bytes | None,
    text: str,
    chunks: Callable[[str], Iterable[tuple[int, str]]],
    detail: Detail | None,
) -> None:
    """Write one file's words and its rows in the search tables."""
    number = connection.execute(
        "INSERT INTO indexed (name, digest) VALUES (?, ?)", (name, hashed)
    ).lastrowid
    first = (number or 0) * _WORDS_PER_FILE
    connection.executemany(
        "INSERT INTO words (rowid, name, line, text) VALUES (?, ?, ?, ?)",
        ((first + offset, name, line, chunk) for offset, (line, chunk) in enumerate(chunks(text))),
    )
    if detail is not None:
        for table, rows in table_rows(name, detail).items():
            marks = ", ".join("?" * len(TABLES[table]))
            connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def clear(root: Path) -> bool:
    """Remove the workspace's index; tell whether there was one."""
    path = root / FOLDER / DATABASE
    existed = path.exists() or path.is_symlink()
    _remove(path)
    return existed
