"""The index: one SQLite database in ``.kbik-cache/`` whose tables are the parsed sessions.

``files`` has each file's stamp (size, ``mtime_ns``, ``ctime_ns`` and inode, as git's
index keeps) and content digest; ``problems`` what was found wrong in it; a valid
session's facts are in ``sessions`` and the tables that hang off it, keyed by the
file's path and each item's place in its list, kelurahan by their official name.
``kbik search`` fills ``chunks`` (and through its triggers the full-text ``words``)
for the files it searches; ``tracks`` keeps where each kelurahan stood, for a warm
``kbik status``. ``SCHEMA`` is the only statement of all this: the index is trusted
only when ``sqlite_master`` holds exactly what it makes and ``meta`` names kbik, this
version and this kbik.toml; otherwise it is deleted and built again. A database that
is not kbik's is left alone, and the run keeps its index in memory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import sqlite3
import stat as stat_module
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from hashlib import blake2b
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from kbik import __version__
from kbik.errors import ConfigError
from kbik.i18n import N_
from kbik.problems import Problem

if TYPE_CHECKING:
    from kbik.model import Session
    from kbik.status import ReportGroup, Track

FOLDER = ".kbik-cache"
DATABASE = "index.sqlite"
APPLICATION = "kbik index"
# Raised when what a column holds changes but the schema's text does not (the schema
# itself is compared whole): an index of the earlier kind is then rebuilt.
FORMAT = "15"
PAGE_SIZE = 8192  # three or four session rows a page where 4 KiB pages hold one or two
BUSY_TIMEOUT_S = 10.0

_KEY = (
    "session TEXT NOT NULL REFERENCES sessions(path) ON DELETE CASCADE, position INTEGER NOT NULL"
)
_STRICT = "STRICT, WITHOUT ROWID"
# A figure: a whole number stays one (12, not 12.0, for whoever reads the tables), and
# no infinity.
_FINITE = (
    "value ANY NOT NULL CHECK (typeof(value) IN ('integer', 'real') "
    "AND abs(value) <= 1.7976931348623157e308)"
)
# Each table, what it holds (for the README and the export), and its columns.
TABLES: dict[str, tuple[str, str]] = {
    "meta": (
        "what built the index: program, version, kbik.toml",
        "key TEXT PRIMARY KEY, value TEXT NOT NULL",
    ),
    "files": (
        "every session file read: its stamp, content digest and where its date stands",
        "id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, size INTEGER NOT NULL, "
        "mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, inode INTEGER NOT NULL, "
        "digest BLOB NOT NULL, read_ns INTEGER NOT NULL, date_line INTEGER, "
        "searched INTEGER NOT NULL DEFAULT 0 CHECK (searched IN (0, 1))",
    ),
    "problems": (
        "each error and warning found in a file, at its line and column",
        "path TEXT NOT NULL REFERENCES files(path) ON DELETE CASCADE, position INTEGER NOT NULL, "
        "severity TEXT NOT NULL CHECK (severity IN ('error', 'warning')), code TEXT NOT NULL, "
        "message TEXT NOT NULL, line INTEGER, column INTEGER, PRIMARY KEY (path, position)",
    ),
    "sessions": (
        "one row per valid session",
        "path TEXT PRIMARY KEY REFERENCES files(path) ON DELETE CASCADE, "
        "date TEXT NOT NULL CHECK (date IS date(date)), title TEXT, place TEXT, "
        "facilitator TEXT, notetaker TEXT, note TEXT",
    ),
    "topics": (
        "the topics (materi) of each session",
        f"{_KEY}, topic TEXT NOT NULL, PRIMARY KEY (session, position)",
    ),
    "attendance": (
        "who attended each session",
        f"{_KEY}, name TEXT NOT NULL, PRIMARY KEY (session, position)",
    ),
    "absences": (
        "the teams absent from each session, why, and who passes the results on",
        f"{_KEY}, team INTEGER NOT NULL, reason TEXT, handover TEXT, "
        "PRIMARY KEY (session, position)",
    ),
    "kelurahan_reports": (
        "each kelurahan entry: official name, as written, status (none: not discussed), "
        "the 'previous' it wrote, note, team",
        f"{_KEY}, kelurahan TEXT NOT NULL, written TEXT NOT NULL, status TEXT, previous TEXT, "
        "note TEXT, team INTEGER, PRIMARY KEY (session, position)",
    ),
    "figures": (
        "each figure written for a kelurahan entry (RR, PAR, ...), in the order written",
        f"{_KEY}, number INTEGER NOT NULL, name TEXT NOT NULL, {_FINITE}, "
        "PRIMARY KEY (session, position, number), "
        "FOREIGN KEY (session, position) REFERENCES kelurahan_reports ON DELETE CASCADE",
    ),
    "followups": (
        "each follow-up (RKTL) as written in its session",
        f"{_KEY}, id TEXT NOT NULL, explicit_id INTEGER NOT NULL CHECK (explicit_id IN (0, 1)), "
        "action TEXT NOT NULL, team INTEGER, due TEXT CHECK (due IS date(due)), "
        "done INTEGER NOT NULL CHECK (done IN (0, 1)), "
        "done_on TEXT CHECK (done_on IS date(done_on)), "
        "line INTEGER, PRIMARY KEY (session, position)",
    ),
    "followup_kelurahan": (
        "the kelurahan of each follow-up, in order",
        f"{_KEY}, number INTEGER NOT NULL, kelurahan TEXT NOT NULL, "
        "PRIMARY KEY (session, position, number), "
        "FOREIGN KEY (session, position) REFERENCES followups ON DELETE CASCADE",
    ),
    "chunks": (
        "what search finds in a file: each front-matter value and body paragraph at its "
        "line, with the kelurahan entry and teams it is in",
        "id INTEGER PRIMARY KEY, path TEXT NOT NULL REFERENCES files(path) ON DELETE CASCADE, "
        "line INTEGER NOT NULL, text TEXT NOT NULL, "
        # The kelurahan entry a value is in (official name), and the teams of its entry or
        # body section ("6 7"): what search --kelurahan and --team look at.
        "kelurahan TEXT, teams TEXT NOT NULL DEFAULT ''",
    ),
    "tracks": (
        "where each kelurahan stood after all sessions ('all') and all but the latest ('before')",
        "stage TEXT NOT NULL CHECK (stage IN ('before', 'all')), kelurahan TEXT NOT NULL, "
        "team INTEGER, status TEXT, since TEXT CHECK (since IS date(since)), previous TEXT, "
        "last_reported TEXT CHECK (last_reported IS date(last_reported)), note TEXT, "
        "noted TEXT CHECK (noted IS date(noted)), PRIMARY KEY (stage, kelurahan)",
    ),
    "track_figures": (
        "the latest value of each figure of a kelurahan in 'tracks'",
        "stage TEXT NOT NULL, kelurahan TEXT NOT NULL, number INTEGER NOT NULL, "
        "name TEXT NOT NULL, "
        f"{_FINITE}, PRIMARY KEY (stage, kelurahan, number), "
        "FOREIGN KEY (stage, kelurahan) REFERENCES tracks ON DELETE CASCADE",
    ),
}
_ROWID = ("files", "chunks")  # tables whose rowid is their id
SCHEMA: tuple[str, ...] = (
    *(
        f"CREATE TABLE {name} ({columns}) {'STRICT' if name in _ROWID else _STRICT}"
        for name, (_, columns) in TABLES.items()
    ),
    "CREATE INDEX sessions_by_date ON sessions (date, path)",
    "CREATE INDEX chunks_by_path ON chunks (path)",
    "CREATE INDEX files_to_search ON files (path) WHERE NOT searched",  # a warm search: none
    # Case- and accent-insensitive words of the chunks, kept in step by the triggers.
    "CREATE VIRTUAL TABLE words USING fts5(text, content = 'chunks', content_rowid = 'id', "
    "tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER chunks_added AFTER INSERT ON chunks BEGIN "
    "INSERT INTO words (rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER chunks_removed AFTER DELETE ON chunks BEGIN "
    "INSERT INTO words (words, rowid, text) VALUES ('delete', old.id, old.text); END",
)
# What a parsed file gives each table: its rows, as the columns stand (the id of
# 'files' left to SQLite, 'searched' to search).
STORED = (
    "files",
    "problems",
    "sessions",
    "topics",
    "attendance",
    "absences",
    "kelurahan_reports",
    "figures",
    "followups",
    "followup_kelurahan",
)
Rows = dict[str, list[tuple[Any, ...]]]


_JULIAN_ORDINAL = 1721424.5  # a date's Julian day less this is its ordinal (Python's)


class Head(NamedTuple):
    """What every command needs of one file."""

    path: str
    date_line: int | None  # where 'date' stands, for problems across files
    day: int | None  # the session's day ordinal; None for a file that is no valid session
    first_error: str | None  # why it is no valid session


class Stamp(NamedTuple):
    """One version of a file: its stat, content digest and when it was read."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    digest: bytes
    read_ns: int


class Known(NamedTuple):
    """What the index holds of a file: its stamp's fields, where its date stands, and the
    day of its session (None for a file that is no valid session)."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    digest: bytes
    read_ns: int
    date_line: int | None
    day: int | None


class Kept(NamedTuple):
    """Where each kelurahan stood after some sessions, and the key of their contents."""

    key: str
    tracks: dict[str, Track]


class Damaged(Exception):
    """The index holds what its schema cannot: it is rebuilt on the next run."""


# What reading a damaged index can raise: SQLite's errors, and a value that fits no
# column (a date that is none, say) as it is made a record again.
DAMAGE = (Damaged, sqlite3.Error, ValueError, TypeError, KeyError, IndexError, OverflowError)


@cache
def expected_schema() -> frozenset[tuple[str, str, str, str | None]]:
    """What ``sqlite_master`` holds in an index of this SCHEMA (FTS5's own tables too)."""
    with contextlib.closing(sqlite3.connect(":memory:")) as memory:
        for statement in SCHEMA:
            memory.execute(statement)
        return frozenset(memory.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))


@dataclass
class Index:
    """One workspace's index as this run uses it (``path`` None: in memory)."""

    connection: sqlite3.Connection
    path: Path | None
    writing: bool = False
    blocked: bool = False  # the write lock could not be had: not asked again this run
    damaged: bool = False
    changed: set[str] = field(default_factory=set)  # files written by this run

    def read(self, query: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        """The rows of a query; any failure says the index is damaged."""
        try:
            return self.connection.execute(query, parameters).fetchall()
        except sqlite3.Error as error:  # a damaged page, a value that fits no column
            raise Damaged(str(error)) from None

    def stream(self, query: str, parameters: Sequence[Any] = ()) -> Iterator[Any]:
        """The rows of a query one at a time, for reading more than memory should hold."""
        try:
            yield from self.connection.execute(query, parameters)
        except sqlite3.Error as error:
            raise Damaged(str(error)) from None

    def write(self) -> bool:
        """Take the write lock, if not yet held; False when it cannot be had."""
        if self.writing:
            return True
        if self.blocked:
            return False
        try:
            if self.connection.in_transaction:
                self.connection.execute("COMMIT")  # a read snapshot: nothing to keep
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error:
            self.blocked = True
            return False
        self.writing = True
        return True

    def commit(self) -> bool:
        """End the write, and start the snapshot everything after reads; False when what
        was written is lost."""
        try:
            if self.writing:
                self.connection.execute("COMMIT")
            self.writing = False
            if not self.connection.in_transaction:
                self.connection.execute("BEGIN")
        except sqlite3.Error:
            self.writing = False
            return False
        return True

    def close(self) -> None:
        """Close the connection; a damaged index is deleted, to be built again."""
        with contextlib.suppress(sqlite3.Error):
            self.connection.close()
        if self.damaged and self.path is not None:
            remove(self.path)


SQLITE_NEEDED = (3, 37)  # STRICT tables


def memory() -> Index:
    """An index of this run alone."""
    if sqlite3.sqlite_version_info < SQLITE_NEEDED:
        raise ConfigError(
            N_(
                "kbik needs SQLite {needed} or later; this Python has SQLite {version} (use a "
                "newer Python, e.g. from python.org)"
            ),
            needed=".".join(map(str, SQLITE_NEEDED)),
            version=sqlite3.sqlite_version,
        )
    connection = _connect(":memory:")
    _create(connection, "")
    connection.execute("BEGIN")
    return Index(connection, None)


def _connect(target: str) -> sqlite3.Connection:
    connection = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def _create(connection: sqlite3.Connection, key: str) -> None:
    connection.execute("BEGIN IMMEDIATE")
    for statement in SCHEMA:
        connection.execute(statement)
    meta = {"application": APPLICATION, "key": key}
    connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    connection.execute("COMMIT")


def digest(raw: bytes) -> bytes:
    """A content hash of a file's bytes."""
    return blake2b(raw, digest_size=16).digest()


def key_of(config_digest: str) -> str:
    """What the whole index depends on besides the files: schema, version and kbik.toml."""
    return f"{FORMAT}:{__version__}:{config_digest}"


def remove(path: Path) -> None:
    """Delete a database and its write-ahead log."""
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink()


def _regular_or_absent(path: Path) -> bool:
    try:
        return stat_module.S_ISREG(path.lstat().st_mode)
    except FileNotFoundError:
        return True
    except OSError:
        return False


class _NotOurs(Exception):
    """An SQLite database of some other program: left alone."""


def open_index(root: Path, key: str) -> Index:
    """The workspace's index for this key, in a read snapshot: built anew when stale,
    damaged or of another schema; in memory when it cannot or must not be used (a
    folder of odd files, a database that is not kbik's)."""
    if sqlite3.sqlite_version_info < SQLITE_NEEDED:
        return memory()  # which says what is missing
    folder = root / FOLDER
    path = folder / DATABASE
    try:
        if folder.exists() and not stat_module.S_ISDIR(folder.lstat().st_mode):
            return memory()
        if not all(_regular_or_absent(folder / f"{DATABASE}{s}") for s in ("", "-wal", "-shm")):
            return memory()
        folder.mkdir(exist_ok=True)
        _keep_ignored(folder)
    except OSError:
        return memory()
    for attempt in range(2):
        try:
            return Index(_open(path, key), path)
        except _NotOurs:
            break
        except (sqlite3.Error, OSError):
            if attempt:
                break
            remove(path)  # damaged, or not a database at all: start afresh once
    return memory()


def _open(path: Path, key: str) -> sqlite3.Connection:
    fresh = not path.exists()
    connection = _connect(str(path))
    try:
        if fresh:
            connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        connection.execute("BEGIN")
        # sqlite_master is a plain table: reading it runs nothing a planted view or
        # trigger holds. Only an index of exactly this schema is read further.
        found = frozenset(connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        if found == expected_schema():
            meta = dict(connection.execute("SELECT key, value FROM meta"))
            if meta.get("application") == APPLICATION and meta.get("key") == key:
                return connection  # in its read snapshot
        elif found and not _was_kbiks(connection, found):
            raise _NotOurs
        connection.execute("COMMIT")
        connection.close()
        remove(path)
        connection = _connect(str(path))
        connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        connection.execute("PRAGMA journal_mode = WAL")
        _create(connection, key)
        connection.execute("BEGIN")
        return connection
    except BaseException:
        connection.close()
        raise


def _was_kbiks(connection: sqlite3.Connection, found: frozenset[tuple[Any, ...]]) -> bool:
    """Tell whether a database of another schema is an index an earlier kbik made."""
    if ("table", "meta", "meta") not in {row[:3] for row in found}:
        return False
    try:
        return any(
            value == APPLICATION
            for (value,) in connection.execute("SELECT value FROM meta WHERE key = 'application'")
        )
    except sqlite3.Error:
        return False


def _keep_ignored(folder: Path) -> None:
    """Keep git from taking the index: a ``.gitignore`` of ``*``, written whole."""
    ignore = folder / ".gitignore"
    try:
        if ignore.read_bytes() == b"*\n":
            return
    except OSError:
        pass
    # Imported here: kbik.files (tempfile, secrets), 3 ms, is not for a warm run.
    from kbik.files import replace_atomically  # noqa: PLC0415

    replace_atomically(ignore, b"*\n")


def clear(root: Path) -> bool:
    """Remove the workspace's index; tell whether there was one."""
    path = root / FOLDER / DATABASE
    existed = path.exists() or path.is_symlink()
    remove(path)
    return existed


# -- files in, rows out --------------------------------------------------------------


def stamps(index: Index) -> dict[str, Known]:
    """What the index holds of each file."""
    # One record a row, made from the row's columns in Known's order (a warm run reads
    # every file's row: one object each, not two).
    return {
        row[0]: Known._make(row[1:])
        for row in index.read(
            "SELECT files.path, size, mtime_ns, ctime_ns, inode, digest, read_ns, date_line, "
            f"CAST(julianday(date) - {_JULIAN_ORDINAL} AS INTEGER) "
            "FROM files LEFT JOIN sessions ON sessions.path = files.path"
        )
    }


def restamp(index: Index, path: str, stamp: Stamp) -> None:
    """Record a new stamp for a file whose content is what the index holds."""
    if index.write():
        index.connection.execute(
            "UPDATE files SET size = ?, mtime_ns = ?, ctime_ns = ?, inode = ?, read_ns = ? "
            "WHERE path = ? AND digest = ?",
            (
                stamp.size,
                stamp.mtime_ns,
                stamp.ctime_ns,
                stamp.inode,
                stamp.read_ns,
                path,
                stamp.digest,
            ),
        )


def store(index: Index, parsed: Iterable[Rows], known: Container[str]) -> bool:
    """Write freshly parsed files (each as its rows, see ``session_rows``), in place of
    what the index had of them (``known``); False when they could not be written."""
    batch = [rows for rows in parsed if rows["files"]]
    if not batch or not index.write():
        return not batch
    paths = [rows["files"][0][0] for rows in batch]
    index.changed.update(paths)
    try:
        # Only a file the index had has rows to delete: none, on a first run.
        drop(index, [path for path in paths if path in known])
        for table in STORED:
            rows = [row for item in batch for row in item[table]]
            if rows:
                columns = "path, size, mtime_ns, ctime_ns, inode, digest, read_ns, date_line"
                names = f" ({columns})" if table == "files" else ""
                marks = ", ".join("?" * len(rows[0]))
                index.connection.executemany(f"INSERT INTO {table}{names} VALUES ({marks})", rows)
    except sqlite3.Error:
        return False
    return True


def drop(index: Index, paths: Sequence[str]) -> None:
    """Delete these files and all that hangs off them (in the write transaction)."""
    index.changed.update(paths)
    index.connection.executemany("DELETE FROM files WHERE path = ?", ((p,) for p in paths))


def session_rows(
    path: str, stamp: Stamp | None, date_line: int | None, problems: Sequence[Problem], session: Any
) -> Rows:
    """What one parsed file gives each table: the one place a record becomes rows."""
    rows: Rows = {table: [] for table in STORED}
    if stamp is not None:  # else unreadable: nothing to keep
        rows["files"].append((path, *stamp, date_line))
    rows["problems"] = [
        (path, n, p.severity, p.code, p.message, p.line, p.column)
        for n, p in enumerate(problems, 1)
    ]
    if session is None:
        return rows
    s = session
    rows["sessions"] = [
        (path, s.date.isoformat(), s.title, s.place, s.facilitator, s.notetaker, s.note)
    ]
    rows["topics"] = [(path, n, topic) for n, topic in enumerate(s.topics, 1)]
    rows["attendance"] = [(path, n, name) for n, name in enumerate(s.attendees, 1)]
    rows["absences"] = [(path, n, a.team, a.reason, a.handover) for n, a in enumerate(s.absent, 1)]
    for n, e in enumerate(s.kelurahan, 1):
        rows["kelurahan_reports"].append(
            (path, n, e.name, e.written, e.status, e.previous, e.note, e.team)
        )
        figures = enumerate(e.figures.items(), 1)
        rows["figures"] += [(path, n, k, name, _stored(value)) for k, (name, value) in figures]
    for n, f in enumerate(s.followups, 1):
        rows["followups"].append(
            (
                path,
                n,
                f.id,
                f.explicit_id,
                f.action,
                f.team,
                _iso(f.due),
                f.done,
                _iso(f.done_on),
                f.line,
            )
        )
        rows["followup_kelurahan"] += [(path, n, k, name) for k, name in enumerate(f.kelurahan, 1)]
    return rows


def first_errors(index: Index, paths: Iterable[str]) -> dict[str, str]:
    """The first error of each of these files."""
    found: dict[str, str] = {}
    for batch in batches(list(paths)):
        for path, message in index.read(
            "SELECT path, message FROM problems WHERE severity = 'error' AND "
            f"path IN ({','.join('?' * len(batch))}) ORDER BY path, position DESC",
            batch,
        ):
            found[path] = message  # the last written is the first in the file
    return found


def batches(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    """The items in runs of ``size``: what one query takes at a time."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text is not None else None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _stored(value: float) -> float | int:
    """A figure as the index keeps it: a whole number as an integer."""
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def _finite(value: float) -> float:
    """A figure read back, as the checks made it (a float); an infinity, or a value that is
    no number, is damage (the schema's check was passed by)."""
    if type(value) not in (int, float) or not math.isfinite(value):
        raise Damaged(f"a figure of {value!r}")
    return float(value)


def reports(index: Index, only: Sequence[str] | None = None) -> Iterator[ReportGroup]:
    """What each stored session (or ``only`` these few) reported, by date then path."""
    group: tuple[str, str] | None = None
    entries: dict[int, tuple[str, str, str | None, str | None, int | None]] = {}
    figures: dict[int, list[tuple[str, float]]] = {}

    def done(date: str, path: str) -> ReportGroup:
        rows = tuple((*entry, tuple(figures.get(n, ()))) for n, entry in entries.items())
        return dt.date.fromisoformat(date), path, rows

    among = f"AND path IN ({','.join('?' * len(only))}) " if only is not None else ""
    for date, path, position, kelurahan, status, previous, note, team, name, value in index.stream(
        "SELECT date, r.session, r.position, r.kelurahan, r.status, r.previous, r.note, r.team, "
        "name, value "
        "FROM sessions JOIN kelurahan_reports AS r ON r.session = sessions.path "
        "LEFT JOIN figures USING (session, position) "
        f"WHERE status IS NOT NULL {among}ORDER BY date, r.session, r.position, number",
        only or (),
    ):
        if group != (date, path):
            if group is not None:
                yield done(*group)
            group, entries, figures = (date, path), {}, {}
        entries[position] = (kelurahan, status, previous, note, team)
        if name is not None:
            figures.setdefault(position, []).append((name, _finite(value)))
    if group is not None:
        yield done(*group)


def sessions(index: Index, wanted: Iterable[str]) -> dict[str, Session]:
    """The stored sessions of these paths, without their bodies: the one place rows
    become records again."""
    # Imported here: the session classes, 4 ms, are not for a warm search.
    from kbik import model  # noqa: PLC0415

    paths = list(wanted)
    parts: dict[str, dict[str, list[tuple[Any, ...]]]] = {}
    for batch in batches(paths):
        marks = ",".join("?" * len(batch))
        for table, key in (("sessions", "path"), *((t, "session") for t in STORED[3:])):
            query = f"SELECT * FROM {table} WHERE {key} IN ({marks}) ORDER BY {key}"
            if key == "session":
                numbered = table in ("figures", "followup_kelurahan")
                query += ", position" + (", number" if numbered else "")
            for row in index.read(query, batch):
                parts.setdefault(row[0], {}).setdefault(table, []).append(row)
    found = {}
    for path, p in parts.items():
        if "sessions" not in p:
            continue
        _, date, title, place, facilitator, notetaker, note = p["sessions"][0]
        figures: dict[int, dict[str, float]] = {}
        for _, n, _, name, value in p.get("figures", ()):
            figures.setdefault(n, {})[name] = _finite(value)
        places: dict[int, list[str]] = {}
        for _, n, _, name in p.get("followup_kelurahan", ()):
            places.setdefault(n, []).append(name)
        day = dt.date.fromisoformat(date)
        found[path] = model.Session(
            path=path,
            date=day,
            attendees=tuple(row[2] for row in p.get("attendance", ())),
            absent=tuple(model.Absence(*row[2:]) for row in p.get("absences", ())),
            kelurahan=tuple(
                model.KelurahanEntry(
                    name, written, status, previous, note, team, figures.get(n, {})
                )
                for _, n, name, written, status, previous, note, team in p.get(
                    "kelurahan_reports", ()
                )
            ),
            followups=tuple(
                model.Followup(
                    id,
                    action,
                    day,
                    n,
                    team,
                    tuple(places.get(n, ())),
                    _date(due),
                    bool(done),
                    _date(done_on),
                    bool(explicit),
                    line,
                )
                for _, n, id, explicit, action, team, due, done, done_on, line in p.get(
                    "followups", ()
                )
            ),
            topics=tuple(row[2] for row in p.get("topics", ())),
            title=title,
            place=place,
            facilitator=facilitator,
            notetaker=notetaker,
            note=note,
        )
    return found


def problems(index: Index, wanted: Iterable[str]) -> dict[str, tuple[Problem, ...]]:
    """The problems found in each of these files, in the order found."""
    found: dict[str, list[Problem]] = {}
    for batch in batches(list(wanted)):
        for path, _, *fields in index.read(
            f"SELECT * FROM problems WHERE path IN ({','.join('?' * len(batch))}) "
            "ORDER BY path, position",
            batch,
        ):
            found.setdefault(path, []).append(Problem(path, *fields))
    return {path: tuple(items) for path, items in found.items()}


# -- where each kelurahan stood, kept for a warm status --------------------------------


def kept_tracks(index: Index, stage: str) -> Kept | None:
    """The tracks kept for a stage ('all' sessions, or all 'before' the latest)."""
    # Imported here: kbik.status, 5 ms, is not for a warm search.
    from kbik.status import Track  # noqa: PLC0415

    key = index.read("SELECT value FROM meta WHERE key = ?", (f"tracks {stage}",))
    if not key:
        return None
    figures: dict[str, dict[str, float]] = {}
    for kelurahan, name, value in index.read(
        "SELECT kelurahan, name, value FROM track_figures WHERE stage = ? "
        "ORDER BY kelurahan, number",
        (stage,),
    ):
        figures.setdefault(kelurahan, {})[name] = _finite(value)
    tracks = {
        kelurahan: Track(
            team=team,
            status=status,
            since=_date(since),
            previous=previous,
            last=_date(last),
            note=note,
            noted=_date(noted),
            figures=figures.get(kelurahan, {}),
        )
        for kelurahan, team, status, since, previous, last, note, noted in index.read(
            "SELECT kelurahan, team, status, since, previous, last_reported, note, noted "
            "FROM tracks WHERE stage = ?",
            (stage,),
        )
    }
    return Kept(key[0][0], tracks)


def keep_tracks(index: Index, kept: dict[str, Kept]) -> None:
    """Keep the tracks of each stage with their key, in place of the last; skipped when
    another run holds the index (they are worth keeping, not worth waiting for)."""
    if index.writing:
        return
    connection = index.connection
    connection.execute("PRAGMA busy_timeout = 100")
    try:
        if not index.write():
            return
        for stage, (key, tracks) in kept.items():
            connection.execute("DELETE FROM tracks WHERE stage = ?", (stage,))
            connection.execute(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"tracks {stage}", key)
            )
            connection.executemany(
                "INSERT INTO tracks (stage, kelurahan, team, status, since, previous, "
                "last_reported, note, noted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        stage,
                        name,
                        t.team,
                        t.status,
                        _iso(t.since),
                        t.previous,
                        _iso(t.last),
                        t.note,
                        _iso(t.noted),
                    )
                    for name, t in tracks.items()
                ),
            )
            connection.executemany(
                "INSERT INTO track_figures VALUES (?, ?, ?, ?, ?)",
                (
                    (stage, name, number, figure, _stored(value))
                    for name, t in tracks.items()
                    for number, (figure, value) in enumerate(t.figures.items(), 1)
                ),
            )
        index.commit()
    except sqlite3.Error:
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")
        index.writing = False
    finally:
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
