"""The workspace as a documented SQLite database, for Datasette, sqlite-utils or a
spreadsheet (``kbik export PATH``)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from kbik.config import Config
from kbik.errors import UsageError
from kbik.files import new_file_mode
from kbik.followups import track
from kbik.indicators import figure_label
from kbik.model import Session
from kbik.names import name_key
from kbik.status import prior_status, session_reports, statuses_before

# Each table with what it holds: written into the database (table "tables") and the README.
TABLES: Sequence[tuple[str, str, str]] = (
    (
        "sessions",
        "one row per session",
        "path TEXT PRIMARY KEY, date TEXT NOT NULL, title TEXT, place TEXT, "
        "facilitator TEXT, notetaker TEXT, topics TEXT, body TEXT",
    ),
    (
        "attendance",
        "who attended each session, with their team (none for people outside teams)",
        "session TEXT NOT NULL REFERENCES sessions(path), date TEXT NOT NULL, "
        "name TEXT NOT NULL, team INTEGER",
    ),
    (
        "absences",
        "the teams absent from each session, why, and who passes the results on",
        "session TEXT NOT NULL REFERENCES sessions(path), date TEXT NOT NULL, "
        "team INTEGER NOT NULL, reason TEXT, handover TEXT",
    ),
    (
        "kelurahan_reports",
        "each status a session wrote: official name, as written, status, the status "
        "before (from earlier sessions, else the entry's own 'previous'), note, team",
        "session TEXT NOT NULL REFERENCES sessions(path), date TEXT NOT NULL, "
        "kelurahan TEXT NOT NULL, written TEXT NOT NULL, status TEXT NOT NULL, "
        "previous_status TEXT, note TEXT, team INTEGER",
    ),
    (
        "figures",
        "each figure a session recorded for a kelurahan, with its label",
        "session TEXT NOT NULL REFERENCES sessions(path), date TEXT NOT NULL, "
        "kelurahan TEXT NOT NULL, name TEXT NOT NULL, label TEXT NOT NULL, value REAL NOT NULL",
    ),
    (
        "followups",
        "each follow-up (RKTL) as first written, where it was opened and closed, "
        "and whether it is open",
        "id TEXT NOT NULL, action TEXT NOT NULL, team INTEGER, kelurahan TEXT, due TEXT, "
        "opened TEXT NOT NULL, opened_in TEXT NOT NULL REFERENCES sessions(path), "
        "state TEXT NOT NULL, closed TEXT, closed_in TEXT",
    ),
    (
        "followup_kelurahan",
        "the kelurahan of each follow-up, one row each",
        "followup TEXT NOT NULL REFERENCES followups(id), kelurahan TEXT NOT NULL",
    ),
)
SQLITE_HEADER = b"SQLite format 3\x00"
# What a row of each table is, one and many, for the summary of an export.
ROW_WORDS = {
    "sessions": ("session", "sessions"),
    "attendance": ("attendee", "attendees"),
    "absences": ("absence", "absences"),
    "kelurahan_reports": ("kelurahan report", "kelurahan reports"),
    "figures": ("figure", "figures"),
    "followups": ("follow-up", "follow-ups"),
    "followup_kelurahan": ("follow-up kelurahan", "follow-up kelurahan"),
}


def counted(counts: Mapping[str, int]) -> str:
    """Say how many rows each table got: "1 session, 10 attendees, ..."."""
    from kbik.i18n import translations

    catalog = translations("en")
    return ", ".join(
        f"{count} {catalog.ngettext(*ROW_WORDS.get(name, (name, name)), count)}"
        for name, count in counts.items()
    )


APPLICATION_ID = 0x4B42494B  # "KBIK": PRAGMA application_id marks a kbik export


def check_target(path: Path) -> os.stat_result | None:
    """Refuse a target kbik must not replace: a link, a folder, a device, or a file that
    is not an earlier kbik export (a database of the user's own would lose its tables).
    Return what is there, if anything."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror or error}") from None
    if stat.S_ISLNK(info.st_mode):
        raise UsageError(f"{path}: is a link; kbik exports only to a file of its own name")
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{path}: is a folder; give a file name, e.g. kbik.sqlite")
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{path}: is not a regular file; kbik exports to a database file")
    if info.st_size and not _is_export(path):
        raise UsageError(
            f"{path}: exists and is not a kbik export; kbik replaces only a database it "
            "wrote itself (give another name)"
        )
    return info


def _is_export(path: Path) -> bool:
    """Tell whether a file is a database kbik exported, read without changing it."""
    try:
        with open(path, "rb") as stream:
            if stream.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return False
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (OSError, sqlite3.Error, ValueError):
        return False
    try:
        if connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
            return True
        # An export from before the mark: exactly kbik's tables.
        tables = {
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        return tables == {"tables", *(name for name, _, _ in TABLES)}
    except sqlite3.Error:
        return False
    finally:
        connection.close()


def export(path: Path, sessions: Sequence[Session], config: Config) -> dict[str, int]:
    """Write the sessions as a new database at ``path`` (atomically); return row counts.

    A replaced export keeps its permission bits; errors name ``path``, never the
    temporary file the database is written in first.
    """
    info = check_target(path)
    folder = path.parent if str(path.parent) else Path(".")
    temporary: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        os.close(descriptor)
        os.chmod(temporary, stat.S_IMODE(info.st_mode) if info else new_file_mode())
        counts = _write(Path(temporary), sessions, config)
        check_target(path)  # nothing put there meanwhile that must not be replaced
        os.replace(temporary, path)
    except sqlite3.Error as error:
        raise UsageError(f"{path}: cannot write the database: {error}") from None
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror or error}") from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return counts


def _write(path: Path, sessions: Sequence[Session], config: Config) -> dict[str, int]:
    ordered = sorted(sessions, key=lambda session: (session.date, session.path))
    connection = sqlite3.connect(path)
    try:
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        with connection:
            connection.execute("CREATE TABLE tables (name TEXT PRIMARY KEY, holds TEXT)")
            for name, holds, columns in TABLES:
                connection.execute(f"CREATE TABLE {name} ({columns})")
                connection.execute("INSERT INTO tables VALUES (?, ?)", (name, holds))
            for table, rows in _rows(ordered, config):
                if rows:
                    marks = ",".join("?" * len(rows[0]))
                    connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
            for name, _, columns in TABLES:
                if "date TEXT" in columns:
                    connection.execute(f"CREATE INDEX {name}_by_date ON {name} (date)")
        counts = {
            name: connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            for name, _, _ in TABLES
        }
    finally:
        connection.close()
    return counts


Row = tuple[object, ...]


def _rows(sessions: Sequence[Session], config: Config) -> Iterable[tuple[str, list[Row]]]:
    """Each table's rows, made from the sessions (oldest first)."""
    members = {name_key(m): team.number for team in config.teams for m in team.members}
    before = statuses_before(session_reports(sessions))
    yield (
        "sessions",
        [
            (
                s.path,
                s.date.isoformat(),
                s.title,
                s.place,
                s.facilitator,
                s.notetaker,
                "; ".join(s.topics),
                s.body,
            )
            for s in sessions
        ],
    )
    yield (
        "attendance",
        [
            (s.path, s.date.isoformat(), name, members.get(name_key(name)))
            for s in sessions
            for name in s.attendees
        ],
    )
    yield (
        "absences",
        [
            (s.path, s.date.isoformat(), a.team, a.reason, a.handover)
            for s in sessions
            for a in s.absent
        ],
    )
    yield (
        "kelurahan_reports",
        [
            (
                s.path,
                s.date.isoformat(),
                e.name,
                e.written,
                e.status,
                prior_status(before.get((s.path, e.name)), e.previous),
                e.note,
                e.team,
            )
            for s in sessions
            for e in s.reported
        ],
    )
    yield (
        "figures",
        [
            (
                s.path,
                s.date.isoformat(),
                e.name,
                name,
                config.indicators[name].label
                if name in config.indicators
                else figure_label(name, config.figures, config.language),
                value,
            )
            for s in sessions
            for e in s.reported
            for name, value in e.figures.items()
        ],
    )
    states = track(sessions)
    yield (
        "followups",
        [
            (
                st.followup.id,
                st.followup.action,
                st.followup.team,
                ", ".join(st.followup.kelurahan) or None,
                st.followup.due.isoformat() if st.followup.due else None,
                st.followup.session.isoformat(),
                st.opened_in,
                "open" if st.is_open else "closed",
                st.closed.isoformat() if st.closed else None,
                st.closed_in,
            )
            for st in states
        ],
    )
    yield (
        "followup_kelurahan",
        [(st.followup.id, name) for st in states for name in st.followup.kelurahan],
    )
